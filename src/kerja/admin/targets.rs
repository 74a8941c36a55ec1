//! `/kerja/admin/target`: village targets. The admin walks down from their area to a district
//! and sets each village's target (workers to cover, 0–10,000); public pages count progress
//! against it.

use leptos::prelude::*;
use pantau_core::coverage::MAX_VILLAGE_TARGET;
use pantau_core::display::count;
use pantau_core::{AreaCode, ErrorCode, Field, Level, RegionCode};

use super::{area_page, local_error, AdminArea, Page};
use crate::i18n::locale;
use crate::kerja::api::{self, AreaTree, KerjaError};
use crate::kerja::i18n::admin_texts;
use crate::kerja::layout::KerjaLoadError;

/// The targets page.
#[component]
pub fn TargetsPage() -> impl IntoView {
    area_page(Page::Targets, |AdminArea { area, grant }| {
        let tree = LocalResource::new(move || {
            let area = area.get();
            async move { api::area_tree(&area).await }
        });
        move || match tree.get() {
            None => view! { <p class="loading">{admin_texts().loading}</p> }.into_any(),
            Some(Ok(tree)) => view! { <TargetTree tree scope=grant.with_value(|g| g.scope.clone())/> }.into_any(),
            Some(Err(error)) => view! { <KerjaLoadError error retry=move || tree.refetch()/> }.into_any(),
        }
    })
}

#[component]
fn TargetTree(tree: AreaTree, scope: AreaCode) -> impl IntoView {
    let t = admin_texts();
    let lang = locale();
    // Up one level, while still inside the official's scope.
    let up = tree
        .breadcrumbs
        .last()
        .filter(|crumb| scope_covers(&scope, &crumb.code))
        .map(|crumb| {
            view! {
                <p>
                    <a href=format!("{}?wilayah={}", Page::Targets.href(), crumb.code) data-testid="target-up">
                        {format!("‹ {}", crumb.name)}
                    </a>
                </p>
            }
        });
    let body = match (&tree.code, tree.level) {
        (AreaCode::Region(code), Level::Village) => {
            let village = code.clone();
            view! {
                <ul class="admin-list" data-testid="village-targets">
                    <VillageTarget code=village name=tree.name.clone() target=tree.target active=tree.active/>
                </ul>
            }
            .into_any()
        }
        _ if tree.children.iter().all(|c| c.level == Level::Village) => view! {
            <p class="hint">{t.targets_villages_note}</p>
            <ul class="admin-list" data-testid="village-targets">
                {tree
                    .children
                    .iter()
                    .map(|c| view! { <VillageTarget code=c.code.clone() name=c.name.clone() target=c.target active=c.active/> })
                    .collect_view()}
            </ul>
        }
        .into_any(),
        _ => view! {
            <p class="hint">{t.targets_choose_note}</p>
            <ul class="admin-list area-links" data-testid="target-areas">
                {tree
                    .children
                    .iter()
                    .map(|c| {
                        view! {
                            <li>
                                <a
                                    href=format!("{}?wilayah={}", Page::Targets.href(), c.code)
                                    data-testid="target-area-link"
                                    data-code=c.code.to_string()
                                >
                                    <strong>{c.name.clone()}</strong>
                                    <span class="hint">{format!("{}: {}", t.target, count(c.target, lang))}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        {up}
        <p class="total" data-testid="target-total">{format!("{}: {}", t.target_total, count(tree.target, lang))}</p>
        {body}
    }
}

fn scope_covers(scope: &AreaCode, area: &AreaCode) -> bool {
    match (scope, area) {
        (AreaCode::Nation, _) => true,
        (AreaCode::Region(s), AreaCode::Region(a)) => s.contains(a),
        _ => false,
    }
}

/// One village: its target now, and a box to set a new one.
#[component]
fn VillageTarget(code: RegionCode, name: String, target: u64, active: u64) -> impl IntoView {
    let t = admin_texts();
    let lang = locale();
    let current = RwSignal::new(target);
    let typed = RwSignal::new(target.to_string());
    let saved = RwSignal::new(false);
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let village = StoredValue::new(code.clone());
    let save = Action::new_local(move |value: &u32| {
        let value = *value;
        let village = village.get_value();
        async move {
            match api::set_target(&village, value).await {
                Ok(()) => {
                    error.set(None);
                    current.set(u64::from(value));
                    saved.set(true);
                }
                Err(e) => {
                    saved.set(false);
                    error.set(Some(e));
                }
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        match typed.get_untracked().trim().replace('.', "").parse::<u32>() {
            Ok(value) if u64::from(value) <= MAX_VILLAGE_TARGET => {
                save.dispatch_local(value);
            }
            _ => error.set(Some(local_error(ErrorCode::InvalidTarget, Some(Field::Target)))),
        }
    };
    let input_id = format!("target-{code}");
    let message = move || error.with(|e| e.as_ref().map(ToString::to_string));
    view! {
        <li data-testid="village-target" data-code=code.to_string()>
            <form class="target-form" on:submit=submit>
                <p class="admin-item-title">
                    <strong>{name}</strong>
                    " "
                    <span class="code">{code.to_string()}</span>
                </p>
                <p class="hint">
                    {t.target_now} " "
                    <strong data-testid="village-target-current">{move || count(current.get(), lang)}</strong>
                    {format!(" · {} {}", t.active_now, count(active, lang))}
                </p>
                <label for=input_id.clone()>{t.new_target}</label>
                <div class="inline-field">
                    <input
                        id=input_id
                        type="number"
                        min="0"
                        max=MAX_VILLAGE_TARGET.to_string()
                        inputmode="numeric"
                        data-testid="village-target-input"
                        bind:value=typed
                    />
                    <button type="submit" class="button" data-testid="village-target-save" disabled=move || save.pending().get()>
                        {t.save}
                    </button>
                </div>
                {move || {
                    saved
                        .get()
                        .then(|| {
                            view! {
                                <p class="notice is-success" role="status" data-testid="village-target-saved">
                                    {format!("{} {}", t.target_saved, count(current.get(), lang))}
                                </p>
                            }
                        })
                }}
                {move || message().map(|m| view! { <p class="field-msg is-error" role="alert" data-testid="village-target-error">{m}</p> })}
            </form>
        </li>
    }
}
