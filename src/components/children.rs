//! The ranking of an area's children, sortable, each row a link one level down.

use leptos::prelude::*;
use leptos_router::components::A;
use pantau_core::api::AreaChild;
use pantau_core::{AreaCode, Level};

use crate::components::downloads::Downloads;
use crate::components::progress::{band, ProgressBar};
use crate::deferred::{area_map, deferred};
use crate::format::{count, percent};
use crate::i18n::{children_heading, locale, texts};

/// How the list is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Kemendagri code order.
    Name,
    /// Highest progress first.
    Progress,
    /// Most enrolled first.
    Enrolled,
    /// Largest shortfall to target first.
    Gap,
}

fn gap(child: &AreaChild) -> u64 {
    child.figures.target.saturating_sub(child.figures.active)
}

/// Children ordered by `key`; ties keep code order. One comparison function for every key:
/// each `sort_by` closure would be its own copy of the sort in the first download.
pub fn sorted(mut children: Vec<AreaChild>, key: SortKey) -> Vec<AreaChild> {
    children.sort_by(|a, b| match key {
        SortKey::Name => a.name.cmp(&b.name),
        SortKey::Progress => b.figures.progress_pct.total_cmp(&a.figures.progress_pct),
        SortKey::Enrolled => b.figures.enrolled.cmp(&a.figures.enrolled),
        SortKey::Gap => gap(b).cmp(&gap(a)),
    });
    children
}

thread_local! {
    /// The reader's last choice of list or map, kept while they move between areas.
    static MAP_CHOSEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Viewport width from which the list and the map stand side by side (as in style/main.css).
const SIDE_BY_SIDE: &str = "(min-width: 64rem)";

/// The children as a list and as a map: two views of the same figures. On a phone the list
/// comes first and the map is one tap away; on a wide screen both stand side by side. The
/// map's geometry is fetched only once the map is shown.
#[component]
pub fn ChildrenViews(code: AreaCode, level: Level, children: Vec<AreaChild>) -> impl IntoView {
    let t = texts();
    let wide = window()
        .match_media(SIDE_BY_SIDE)
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    let chosen = MAP_CHOSEN.with(std::cell::Cell::get);
    let show_map = RwSignal::new(chosen);
    // Once opened, the map stays mounted so switching back and forth keeps its zoom.
    let map_mounted = RwSignal::new(wide || chosen);
    let choose = move |map: bool| {
        MAP_CHOSEN.with(|c| c.set(map));
        show_map.set(map);
        if map {
            map_mounted.set(true);
        }
    };
    let map_children = children.clone();
    let map_code = code.clone();
    view! {
        <div class="children-views" class:map-open=move || show_map.get()>
            <div class="view-switch" role="group" aria-label=t.views_label>
                <button
                    type="button"
                    class="chip"
                    data-testid="view-list"
                    aria-pressed=move || (!show_map.get()).to_string()
                    on:click=move |_| choose(false)
                >
                    {t.view_list}
                </button>
                <button
                    type="button"
                    class="chip"
                    data-testid="view-map"
                    aria-pressed=move || show_map.get().to_string()
                    on:click=move |_| choose(true)
                >
                    {t.view_map}
                </button>
            </div>
            <div class="list-pane">
                <ChildList code level children/>
            </div>
            <div class="map-pane">
                {move || map_mounted.get().then(|| {
                    deferred(area_map(map_code.clone(), level, map_children.clone()))
                })}
            </div>
        </div>
    }
}

/// The list with its sort buttons and downloads.
#[component]
pub fn ChildList(code: AreaCode, level: Level, children: Vec<AreaChild>) -> impl IntoView {
    let t = texts();
    let heading = level.child().map(children_heading).unwrap_or_default();
    let total = children.len();
    let key = RwSignal::new(SortKey::Progress);
    let button = move |k: SortKey, label: &'static str, id: &'static str| {
        view! {
            <button
                type="button"
                class="chip"
                data-testid=id
                aria-pressed=move || (key.get() == k).to_string()
                on:click=move |_| key.set(k)
            >
                {label}
            </button>
        }
    };
    let rows = move || {
        sorted(children.clone(), key.get())
            .into_iter()
            .map(|child| view! { <ChildRow child/> })
            .collect_view()
    };
    view! {
        <section class="children" aria-labelledby="children-heading">
            <h2 id="children-heading">{heading} " (" {total} ")"</h2>
            <div class="sort" role="group" aria-label=t.sort_by>
                <span class="sort-label">{t.sort_by} ":"</span>
                {button(SortKey::Progress, t.sort_progress, "sort-progress")}
                {button(SortKey::Enrolled, t.sort_enrolled, "sort-enrolled")}
                {button(SortKey::Gap, t.sort_gap, "sort-gap")}
                {button(SortKey::Name, t.sort_name, "sort-name")}
            </div>
            <ol class="child-list" data-testid="child-list">{rows}</ol>
            <Downloads
                csv=format!("/api/v1/areas/{code}/children.csv")
                json=format!("/api/v1/areas/{code}")
                testid="children-downloads"
            />
        </section>
    }
}

/// One child in the list, the whole row a link one level down.
#[component]
fn ChildRow(child: AreaChild) -> impl IntoView {
    let l = locale();
    let f = child.figures;
    let href = format!("/wilayah/{}", child.code);
    let villages = (child.level != Level::Village).then(|| {
        format!(
            "{} {} {} {}",
            count(f.villages_at_target, l),
            texts().top.of,
            count(f.villages, l),
            texts().villages_reaching
        )
    });
    view! {
        <li data-testid="child-row" data-code=child.code.to_string()>
            <A href=href attr:class="child-link">
                <span class="child-name" data-testid="child-name">{child.name.clone()}</span>
                <span class="child-figures">
                    <span data-testid="child-active">{count(f.active, l)}</span>
                    " / "
                    <span data-testid="child-target">{count(f.target, l)}</span>
                </span>
                <ProgressBar pct=f.progress_pct label=format!("{} {}", texts().top.progress_label, child.name)/>
                <span class=format!("pct {}", band(f.progress_pct)) data-testid="child-progress">{percent(f.progress_pct, l)}</span>
                {villages.map(|text| view! { <span class="child-villages">{text}</span> })}
            </A>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pantau_core::api::Figures;
    use pantau_core::RegionCode;

    fn child(code: &str, name: &str, target: u64, enrolled: u64, active: u64) -> AreaChild {
        AreaChild {
            code: RegionCode::parse(code).unwrap(),
            name: name.into(),
            level: Level::District,
            figures: Figures {
                target,
                enrolled,
                verified: enrolled,
                active,
                progress_pct: pantau_core::coverage::progress_pct(active, target),
                villages: 1,
                villages_at_target: 0,
                premium_per_year: Some(0),
            },
        }
    }

    fn codes(children: Vec<AreaChild>) -> Vec<String> {
        children.into_iter().map(|c| c.code.to_string()).collect()
    }

    #[test]
    fn each_key_orders_as_its_label_says() {
        let all = vec![
            child("32.16.01", "Tarumajaya", 800, 518, 409),
            child("32.16.02", "Babelan", 900, 960, 930),
            child("32.16.03", "Sukawangi", 2000, 700, 300),
        ];
        assert_eq!(
            codes(sorted(all.clone(), SortKey::Progress)),
            ["32.16.02", "32.16.01", "32.16.03"]
        );
        assert_eq!(
            codes(sorted(all.clone(), SortKey::Enrolled)),
            ["32.16.02", "32.16.03", "32.16.01"]
        );
        assert_eq!(
            codes(sorted(all.clone(), SortKey::Gap)),
            ["32.16.03", "32.16.01", "32.16.02"]
        );
        assert_eq!(codes(sorted(all, SortKey::Name)), ["32.16.02", "32.16.03", "32.16.01"]);
    }
}
