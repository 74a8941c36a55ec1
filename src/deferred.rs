//! What leaves the portal's first download: the map, the sections below the list (breakdowns,
//! local commitments, trend, sharing), the search box's results and the prose pages. Each function here is split into a
//! wasm module of its own by the release build (`cargo xtask`, feature `split`) and fetched
//! the first time it is called; the first paint (headline, children list, search, language
//! switch) never waits for them. Without the feature (tests, clippy) they are ordinary async
//! functions, so the same views run unsplit.
//!
//! Each function takes and returns concrete types only, as the splitter requires. A lazy
//! function is an exported symbol that the linker keeps in every binary of the crate, so the
//! officials' workspace (feature `kerja`) compiles them as plain functions, which it never
//! calls and the linker drops.

use leptos::prelude::*;
use pantau_core::api::{AreaChild, Figures};
use pantau_core::{AreaCode, Level};
use send_wrapper::SendWrapper;

use crate::components::breakdowns::{breakdowns_resource, BreakdownsSection};
use crate::components::commitments::CommitmentsSection;
use crate::components::embed_panel::EmbedPanel;
use crate::components::map::AreaMap;
use crate::components::search::{result_list, SearchState};
use crate::components::trend::TrendSection;
use crate::i18n::{locale, texts};
use crate::pages::about::AboutData;
use crate::pages::open_data::OpenData;

/// Shows the view that `load` builds once its code has arrived, and nothing before: callers
/// place it where late content moves nothing already on screen.
pub fn deferred(load: impl std::future::Future<Output = AnyView> + 'static) -> impl IntoView {
    Suspend::new(SendWrapper::new(load))
}

/// The sections of an area page below its children: breakdowns, commitments, trend, sharing.
#[cfg_attr(all(feature = "split", not(feature = "kerja")), leptos::lazy)]
pub async fn area_sections(code: AreaCode, level: Level, figures: Figures, name: String) -> AnyView {
    let t = texts();
    let breakdowns = breakdowns_resource(code.clone());
    view! {
        <BreakdownsSection code=code.clone() data=breakdowns/>
        <CommitmentsSection code=code.clone() level figures breakdowns/>
        <TrendSection code=code.clone()/>
        <section class="share" aria-label=t.embed_title>
            <p><a href=format!("/laporan/{code}?lang={}", locale().code()) target="_blank" rel="noopener" data-testid="report-link">{t.print_report}</a></p>
            <EmbedPanel code=code.clone() name/>
        </section>
    }
    .into_any()
}

/// The map of an area's children (for a village, of its siblings).
#[cfg_attr(all(feature = "split", not(feature = "kerja")), leptos::lazy)]
pub async fn area_map(code: AreaCode, level: Level, children: Vec<AreaChild>) -> AnyView {
    view! { <AreaMap code level children/> }.into_any()
}

/// The search box's fetching and result list, from its first focus or keystroke on.
#[cfg_attr(all(feature = "split", not(feature = "kerja")), leptos::lazy)]
pub async fn search_results(state: SearchState, id: String) -> AnyView {
    result_list(state, id).into_any()
}

/// `/tentang-data`.
#[cfg_attr(all(feature = "split", not(feature = "kerja")), leptos::lazy)]
pub async fn about_page() -> AnyView {
    view! { <AboutData/> }.into_any()
}

/// `/data-terbuka`.
#[cfg_attr(all(feature = "split", not(feature = "kerja")), leptos::lazy)]
pub async fn open_data_page() -> AnyView {
    view! { <OpenData/> }.into_any()
}
