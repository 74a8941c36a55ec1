//! `/kerja/admin/anggaran`: a regency's premium budget for a year, one line per funding
//! source: allocated (set by admins), committed by the enrolments that source pays for, and
//! what remains or is over.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use pantau_core::account::Action as Permission;
use pantau_core::commitments::{Allocation, BudgetLine, BudgetView, BUDGET_YEARS, MAX_ALLOCATION};
use pantau_core::display::rupiah;
use pantau_core::{AreaCode, ErrorCode, FundingSource, RegionCode};

use super::{area_page, local_error, AdminArea, Page};
use crate::i18n::locale;
use crate::kerja::api::{self, KerjaError};
use crate::kerja::i18n::admin_texts;
use crate::kerja::layout::KerjaLoadError;
use crate::kerja::state::today;

/// Rupiah typed as `1.500.000`, `1500000` or `Rp 1.500.000`.
fn parse_rupiah(raw: &str) -> Option<u64> {
    let digits: String = raw
        .trim()
        .trim_start_matches("Rp")
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | ','))
        .collect();
    if digits.is_empty() {
        return Some(0);
    }
    digits.parse().ok().filter(|n| *n <= MAX_ALLOCATION)
}

/// The budgets page.
#[component]
pub fn BudgetsPage() -> impl IntoView {
    area_page(Page::Budgets, |AdminArea { area, grant }| {
        let t = admin_texts();
        let query = use_query_map();
        let this_year = today().year();
        let year = Memo::new(move |_| {
            query
                .read()
                .get("tahun")
                .and_then(|y| y.parse::<i32>().ok())
                .filter(|y| BUDGET_YEARS.contains(y))
                .unwrap_or(this_year)
        });
        let may_set = move || grant.with_value(|g| g.allows(Permission::ManageBudgets, &area.get()));
        let budget = LocalResource::new(move || {
            let (area, year) = (area.get(), year.get());
            async move {
                match area {
                    AreaCode::Region(regency) => api::budget(&regency, year).await,
                    AreaCode::Nation => Err(local_error(ErrorCode::InvalidRegionCode, None)),
                }
            }
        });
        let navigate = use_navigate();
        let pick_year = move |ev: leptos::ev::Event| {
            let href = format!(
                "{}?wilayah={}&tahun={}",
                Page::Budgets.href(),
                area.get_untracked(),
                event_target_value(&ev)
            );
            navigate(&href, NavigateOptions::default());
        };
        let years = move || {
            (this_year - 3..=this_year + 1)
                .rev()
                .map(|y| view! { <option value=y.to_string() prop:selected=move || year.get() == y>{y.to_string()}</option> })
                .collect_view()
        };
        move || {
            let pick_year = pick_year.clone();
            view! {
                <div class="field year-field">
                    <label for="budget-year">{t.year}</label>
                    <select id="budget-year" data-testid="budget-year" on:change=pick_year>
                        {years()}
                    </select>
                </div>
                {move || match budget.get() {
                    None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                    Some(Ok(view)) => view! { <BudgetTable view may_set=may_set()/> }.into_any(),
                    Some(Err(error)) => view! { <KerjaLoadError error retry=move || budget.refetch()/> }.into_any(),
                }}
            }
            .into_any()
        }
    })
}

/// One typed allocation per line, and the lines as last answered by the API.
#[component]
fn BudgetTable(view: BudgetView, may_set: bool) -> impl IntoView {
    let t = admin_texts();
    let lang = locale();
    let regency: RegionCode = view.regency.clone();
    let year = view.year;
    let lines = RwSignal::new(view.lines.clone());
    let typed: Vec<RwSignal<String>> = view
        .lines
        .iter()
        .map(|l| RwSignal::new(l.allocated.to_string()))
        .collect();
    let typed = StoredValue::new(typed);
    let saved = RwSignal::new(false);
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let regency = StoredValue::new(regency);
    let save = Action::new_local(move |allocations: &Vec<Allocation>| {
        let allocations = allocations.clone();
        async move {
            match api::set_budget(&regency.get_value(), year, &allocations).await {
                Ok(view) => {
                    error.set(None);
                    lines.set(view.lines);
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
        let current = lines.get_untracked();
        let parsed: Option<Vec<Allocation>> = typed.with_value(|typed| {
            current
                .iter()
                .zip(typed)
                .map(|(line, raw)| {
                    parse_rupiah(&raw.get_untracked()).map(|allocated| Allocation {
                        funding: line.funding,
                        allocated,
                    })
                })
                .collect::<Option<Vec<_>>>()
                // Only what changed: the others keep theirs, and the audit log stays short.
                .map(|all| {
                    all.into_iter()
                        .zip(&current)
                        .filter(|(new, line)| new.allocated != line.allocated)
                        .map(|(new, _)| new)
                        .collect()
                })
        });
        match parsed {
            Some(allocations) => {
                save.dispatch_local(allocations);
            }
            None => error.set(Some(local_error(ErrorCode::InvalidBudget, None))),
        }
    };
    let rows = view
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let funding = line.funding;
            let raw = typed.with_value(|typed| typed[i]);
            let line_now = move || lines.with(|l| l.get(i).copied());
            view! { <BudgetRow funding raw line_now=Signal::derive(line_now) may_set/> }
        })
        .collect_view();
    let total = move |pick: fn(&BudgetLine) -> u64| lines.with(|l| l.iter().map(pick).sum::<u64>());
    view! {
        <form class="budget" on:submit=submit>
            <ul class="budget-lines" data-testid="budget-lines">{rows}</ul>
            <p class="budget-total" data-testid="budget-total">
                {move || {
                    format!(
                        "{} {}: {} · {}: {}",
                        t.total,
                        year,
                        rupiah(total(|l| l.allocated), lang),
                        t.committed,
                        rupiah(total(|l| l.committed), lang),
                    )
                }}
            </p>
            {move || saved.get().then(|| view! { <p class="notice is-success" role="status" data-testid="budget-saved">{t.saved}</p> })}
            {move || error.get().map(|e| view! { <p class="notice is-error" role="alert" data-testid="budget-error">{e.to_string()}</p> })}
            {may_set
                .then(|| {
                    view! {
                        <button type="submit" class="button big" data-testid="budget-save" disabled=move || save.pending().get()>
                            {t.save_budget}
                        </button>
                    }
                })}
        </form>
    }
}

/// One funding source: allocated (an input for admins), committed, and what remains or is over.
#[component]
fn BudgetRow(
    funding: FundingSource,
    raw: RwSignal<String>,
    line_now: Signal<Option<BudgetLine>>,
    may_set: bool,
) -> impl IntoView {
    let t = admin_texts();
    let lang = locale();
    let code = funding.as_str();
    let allocated = move || line_now.get().map_or(0, |l| l.allocated);
    let committed = move || line_now.get().map_or(0, |l| l.committed);
    let balance = move || {
        let (a, c) = (allocated(), committed());
        if c > a {
            (true, rupiah(c - a, lang))
        } else {
            (false, rupiah(a - c, lang))
        }
    };
    let input_id = format!("budget-{code}");
    let typed_rupiah = move || parse_rupiah(&raw.get()).map(|n| rupiah(n, lang));
    view! {
        <li class="budget-line" data-testid="budget-line" data-funding=code>
            <h3>{funding.label(lang)}</h3>
            {if may_set {
                view! {
                    <label for=input_id.clone()>{t.new_allocation}</label>
                    <input
                        id=input_id
                        inputmode="numeric"
                        autocomplete="off"
                        data-testid="budget-input"
                        bind:value=raw
                    />
                    <p class="hint" data-testid="budget-input-rupiah">{typed_rupiah}</p>
                }
                    .into_any()
            } else {
                ().into_any()
            }}
            <dl class="budget-facts">
                <div>
                    <dt>{t.allocated}</dt>
                    <dd data-testid="budget-allocated">{move || rupiah(allocated(), lang)}</dd>
                </div>
                <div>
                    <dt>{t.committed}</dt>
                    <dd data-testid="budget-committed">{move || rupiah(committed(), lang)}</dd>
                </div>
                <div class:is-over=move || balance().0>
                    <dt>{move || if balance().0 { t.over } else { t.remaining }}</dt>
                    <dd data-testid="budget-balance">{move || balance().1}</dd>
                </div>
            </dl>
        </li>
    }
}
