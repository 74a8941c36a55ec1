//! `/` (the nation) and `/wilayah/{kode}`: an area's coverage and its children.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use pantau_core::{AreaCode, ErrorCode};

use crate::api;
use crate::components::area_summary::AreaSummary;
use crate::components::load_error::LoadError;
use crate::error::AppError;

/// The area page. Reads the code inside the fetcher, so moving from one area to another
/// refetches instead of showing the old area.
#[component]
pub fn AreaPage() -> impl IntoView {
    let params = use_params_map();
    let area = LocalResource::new(move || {
        let raw = params.read().get("kode").unwrap_or_else(|| "ID".to_owned());
        async move {
            let code = AreaCode::parse(&raw).map_err(|_| AppError::Api(ErrorCode::InvalidRegionCode))?;
            api::area(&code).await
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="loading" data-testid="area-loading">"Memuat data wilayah…"</p> }>
            <ErrorBoundary fallback=move |errors| view! { <LoadError errors retry=move || area.refetch()/> }>
                {move || Suspend::new(async move { area.await.map(|area| view! { <AreaSummary area/> }) })}
            </ErrorBoundary>
        </Transition>
    }
}
