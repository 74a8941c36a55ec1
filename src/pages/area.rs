//! `/` (the nation) and `/wilayah/{kode}`: an area's coverage and its children.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use pantau_core::{AreaCode, ErrorCode};

use crate::api;
use crate::components::area_summary::AreaSummary;
use crate::components::load_error::LoadError;
use crate::error::AppError;
use crate::i18n::texts;

/// The area page. Reads the code inside the fetcher, so moving from one area to another
/// refetches instead of showing the old area.
///
/// The resource is read directly rather than through `<Transition>`/`<ErrorBoundary>`: the
/// page has one loading state and one error state, and leaving out the suspense machinery
/// keeps the wasm a citizen downloads smaller (see `cargo xtask bench`). While a new area
/// loads, the resource keeps the previous one on screen.
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
    move || match area.get() {
        None => view! { <p class="loading" data-testid="area-loading">{texts().loading_area}</p> }.into_any(),
        Some(Ok(area)) => view! { <AreaSummary area/> }.into_any(),
        Some(Err(error)) => view! { <LoadError error retry=move || area.refetch()/> }.into_any(),
    }
}
