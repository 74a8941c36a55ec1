//! `/kerja/admin/regulasi`: the regulations of a regency or province (Perbup/Perwal, Pergub,
//! SE, MoU, PKS) shown on public area pages under "Komitmen daerah"; admins add and remove them.

use leptos::prelude::*;
use pantau_core::account::Action as Permission;
use pantau_core::commitments::{check_regulation, Regulation, RegulationDraft, RegulationKind};
use pantau_core::display::month_year;
use pantau_core::{AreaCode, ErrorCode, Field, Month};

use super::{area_page, field_message, local_error, other_message, AdminArea, AdminTextField, FieldMsg, Page};
use crate::i18n::locale;
use crate::kerja::api::{self, KerjaError};
use crate::kerja::i18n::admin_texts;
use crate::kerja::layout::{KerjaLoadError, PressButton};
use crate::kerja::state::today;

/// JSON names of the kinds.
const FIELDS: [Field; 6] = [
    Field::Kind,
    Field::Number,
    Field::Date,
    Field::Title,
    Field::Summary,
    Field::Link,
];

/// The regulations page.
#[component]
pub fn RegulationsPage() -> impl IntoView {
    area_page(Page::Regulations, |AdminArea { area, grant }| {
        let list = LocalResource::new(move || {
            let area = area.get();
            async move { api::regulations(&area).await }
        });
        move || {
            let t = admin_texts();
            view! {
                <RegulationForm area=area.get() list/>
                <h2>{t.regulations_list}</h2>
                {move || match list.get() {
                    None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                    Some(Ok(regulations)) if regulations.is_empty() => {
                        view! { <p class="card" data-testid="regulations-empty">{t.no_regulations}</p> }.into_any()
                    }
                    Some(Ok(regulations)) => {
                        view! {
                            <ul class="admin-list" data-testid="regulation-list">
                                {regulations
                                    .into_iter()
                                    .map(|regulation| {
                                        let may_delete = grant
                                            .with_value(|g| {
                                                g.allows(Permission::ManageRegulations, &AreaCode::Region(regulation.area.clone()))
                                            });
                                        view! { <RegulationItem regulation may_delete list/> }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Some(Err(error)) => view! { <KerjaLoadError error retry=move || list.refetch()/> }.into_any(),
                }}
            }
            .into_any()
        }
    })
}

type List = LocalResource<Result<Vec<Regulation>, KerjaError>>;

#[component]
fn RegulationForm(area: AreaCode, list: List) -> impl IntoView {
    let t = admin_texts();
    let kind = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let added = RwSignal::new(false);
    let area = StoredValue::new(area);
    let send = Action::new_local(move |draft: &RegulationDraft| {
        let draft = draft.clone();
        async move {
            let AreaCode::Region(code) = area.get_value() else {
                error.set(Some(local_error(ErrorCode::InvalidRegionCode, None)));
                return;
            };
            match api::add_regulation(&code, &draft).await {
                Ok(_) => {
                    error.set(None);
                    added.set(true);
                    for field in [kind, number, date, title, summary, link] {
                        field.set(String::new());
                    }
                    list.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let pending = send.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        added.set(false);
        let draft = RegulationDraft {
            kind: kind.with_untracked(|k| RegulationKind::parse(k)),
            number: number.get_untracked(),
            date: date.get_untracked(),
            title: title.get_untracked(),
            summary: summary.get_untracked(),
            link: link.get_untracked(),
        };
        // The same check as the server's, so a mistake is named before sending.
        match check_regulation(&draft, today()) {
            Ok(_) => {
                send.dispatch_local(draft);
            }
            Err(problem) => error.set(Some(local_error(ErrorCode::InvalidRegulation, Some(problem.field())))),
        }
    };
    let message = move |field: Field| Signal::derive(move || error.with(|e| field_message(e.as_ref(), field)));
    let invalid = move |field: Field| move || error.with(|e| field_message(e.as_ref(), field).is_some()).to_string();
    let kinds = RegulationKind::ALL
        .map(|k| {
            let code = k.as_str();
            view! { <option value=code prop:selected=move || kind.with(|v| v == code)>{k.label(locale())}</option> }
        })
        .to_vec();
    view! {
        <details class="card admin-form" data-testid="new-regulation" open=true>
            <summary>{t.new_regulation}</summary>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="regulation-kind">{t.kind}</label>
                    <select
                        id="regulation-kind"
                        aria-describedby="regulation-kind-msg"
                        aria-invalid=invalid(Field::Kind)
                        data-testid="regulation-kind"
                        on:change=move |ev| kind.set(event_target_value(&ev))
                    >
                        <option value="" prop:selected=move || kind.with(String::is_empty)>{t.choose}</option>
                        {kinds}
                    </select>
                    <FieldMsg id="regulation-kind" message=message(Field::Kind)/>
                </div>
                <AdminTextField id="regulation-number" label=t.number field=Field::Number value=number error/>
                <AdminTextField id="regulation-date" label=t.date field=Field::Date value=date error kind="date"/>
                <AdminTextField id="regulation-title" label=t.reg_title field=Field::Title value=title error/>
                <div class="field">
                    <label for="regulation-summary">{t.summary}</label>
                    <textarea
                        id="regulation-summary"
                        rows="4"
                        maxlength="2000"
                        aria-describedby="regulation-summary-msg"
                        aria-invalid=invalid(Field::Summary)
                        data-testid="regulation-summary"
                        bind:value=summary
                    ></textarea>
                    <FieldMsg id="regulation-summary" message=message(Field::Summary)/>
                </div>
                <AdminTextField id="regulation-link" label=t.link field=Field::Link value=link error kind="url"/>
                {move || {
                    error
                        .with(|e| other_message(e.as_ref(), &FIELDS))
                        .map(|m| view! { <p class="notice is-error" role="alert" data-testid="regulation-error">{m}</p> })
                }}
                {move || added.get().then(|| view! { <p class="notice is-success" role="status" data-testid="regulation-added">{t.regulation_added}</p> })}
                <button type="submit" class="button big" data-testid="regulation-submit" disabled=move || pending.get()>
                    {t.add_regulation}
                </button>
            </form>
        </details>
    }
}

/// One regulation, with delete (asked twice) where the admin may.
#[component]
fn RegulationItem(regulation: Regulation, may_delete: bool, list: List) -> impl IntoView {
    let t = admin_texts();
    let id = regulation.id;
    let confirming = RwSignal::new(false);
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let remove = Action::new_local(move |_: &()| async move {
        match api::delete_regulation(id).await {
            Ok(()) => list.refetch(),
            Err(e) => error.set(Some(e)),
        }
    });
    let signed = format!(
        "{} {}",
        regulation.date.day(),
        month_year(Month::of(regulation.date), locale())
    );
    view! {
        <li data-testid="regulation" data-id=id.to_string()>
            <p class="admin-item-title">
                <span class="badge">{regulation.kind.label(locale())}</span>
                " "
                <strong data-testid="regulation-item-title">{regulation.title.clone()}</strong>
            </p>
            <p class="hint">{format!("{} · {} · {}", regulation.number, signed, regulation.area_name)}</p>
            {(!regulation.summary.is_empty()).then(|| view! { <p>{regulation.summary.clone()}</p> })}
            {regulation
                .link
                .clone()
                .map(|href| view! { <p><a href=href rel="noopener noreferrer" target="_blank">{t.read_text}</a></p> })}
            {may_delete
                .then(|| {
                    view! {
                        <div class="actions">
                            <Show
                                when=move || confirming.get()
                                fallback=move || {
                                    view! {
                                        <button
                                            type="button"
                                            class="button secondary small"
                                            data-testid="regulation-delete"
                                            on:click=move |_| confirming.set(true)
                                        >
                                            {t.delete}
                                        </button>
                                    }
                                }
                            >
                                <p class="confirm" role="alert">{t.delete_confirm}</p>
                                <PressButton
                                    class="button danger small"
                                    testid="regulation-delete-confirm"
                                    pending=remove.pending()
                                    press=move || {
                                        remove.dispatch_local(());
                                    }
                                >
                                    {t.delete_yes}
                                </PressButton>
                                <button type="button" class="button secondary small" on:click=move |_| confirming.set(false)>
                                    {t.cancel}
                                </button>
                            </Show>
                        </div>
                    }
                })}
            {move || error.get().map(|e| view! { <p class="notice is-error" role="alert">{e.to_string()}</p> })}
        </li>
    }
}
