//! `/kerja/pekerja/{id}`: one worker's record, the full NIK on request for the roles that need
//! it, and the steps the official's role allows.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use pantau_core::account::Action as Permission;
use pantau_core::display::{month_year, rupiah, timestamp_wib};
use pantau_core::workers::WorkerDetail;
use pantau_core::{AreaCode, ErrorCode, ErrorEnvelope, Month};

use super::api::{self, KerjaError};
use super::i18n::texts;
use super::layout::{FlashNotice, KerjaLoadError, PressButton};
use super::state::use_session;
use super::steps::StepPanel;
use crate::i18n::locale;

/// The error for an id that cannot be a record's.
pub fn not_found() -> KerjaError {
    KerjaError::Api(Box::new(ErrorEnvelope::of(ErrorCode::EnrolmentNotFound).error))
}

/// The record id in the address.
pub fn id_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|raw| raw.parse().ok()))
}

/// The detail page.
#[component]
pub fn DetailPage() -> impl IntoView {
    let t = texts();
    let id = id_param();
    let detail = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::worker(id).await,
                None => Err(not_found()),
            }
        }
    });
    view! {
        <p class="back"><a href="/kerja/pekerja" data-testid="back-to-list">{t.back_to_list}</a></p>
        <FlashNotice/>
        {move || match detail.get() {
            None => view! { <p class="loading" data-testid="detail-loading">{t.loading}</p> }.into_any(),
            Some(Ok(detail)) => view! { <WorkerView detail/> }.into_any(),
            Some(Err(error)) => view! { <KerjaLoadError error retry=move || detail.refetch()/> }.into_any(),
        }}
    }
}

/// A birth date as `7 Agu 1985`.
fn long_date(date: time::Date) -> String {
    format!("{} {}", date.day(), month_year(Month::of(date), locale()))
}

#[component]
fn WorkerView(detail: WorkerDetail) -> impl IntoView {
    let t = texts();
    let lang = locale();
    let session = use_session();
    let village = AreaCode::Region(detail.row.village.clone());
    let may_see_nik = session.may(Permission::ViewFullNik, &village);
    let may_verify = session.may(Permission::Verify, &village);
    let may_edit = session.may(Permission::EditWorker, &village);
    let id = detail.row.id;
    let masked = detail.row.nik_masked.clone();
    let worker = RwSignal::new(detail);
    // Facts that steps change are read from the signal; the rest from the record as loaded.
    let row = move || worker.with(|w| w.row.clone());
    let d = worker.get_untracked();
    let segment = match &d.occupation_other {
        Some(other) => format!("{} ({other})", d.row.segment.label(locale())),
        None => d.row.segment.label(locale()).to_owned(),
    };
    let funding = match &d.sponsor {
        Some(sponsor) => format!("{} ({sponsor})", d.row.funding.label(locale())),
        None => d.row.funding.label(locale()).to_owned(),
    };
    let fact = |label: &'static str, testid: &'static str, value: String| {
        view! {
            <div>
                <dt>{label}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    view! {
        <article class="card worker" data-testid="worker-detail" data-id=id.to_string()>
            <h1 data-testid="detail-name">{d.row.full_name.clone()}</h1>
            <p class="worker-badges">
                <span class=move || format!("badge status-{}", row().status.as_str()) data-testid="detail-status">
                    {move || row().status.label(locale())}
                </span>
                {move || match row().deactivated {
                    Some(reason) => view! {
                        <span class="badge deactivated" data-testid="detail-deactivated">
                            {format!("{}: {}", t.deactivated, reason.label(locale()))}
                        </span>
                    }
                    .into_any(),
                    None => view! {
                        <span class=format!("badge coverage-{}", row().coverage.as_str()) data-testid="detail-coverage">
                            {row().coverage.label(locale())}
                        </span>
                    }
                    .into_any(),
                }}
            </p>
            {move || {
                worker.with(|w| w.reject_reason.clone()).filter(|_| row().status == pantau_core::workers::Status::Rejected).map(|reason| {
                    view! {
                        <p class="notice is-error" data-testid="detail-reject-reason">
                            <strong>{t.reject_reason} ": "</strong>
                            {reason}
                        </p>
                    }
                })
            }}
            <NikRow id masked may_see_nik/>
            <dl class="facts">
                {match d.birth_date {
                    Some(date) => fact(t.birth_date, "detail-birth-date", long_date(date)),
                    // Roles that may not see the NIK see the year only: the date is part of it.
                    None => fact(t.birth_year, "detail-birth-year", d.birth_year.to_string()),
                }}
                {fact(t.sex, "detail-sex", d.sex.label(locale()).to_owned())}
                {fact(t.phone_short, "detail-phone", d.phone.clone().unwrap_or_else(|| t.none.to_owned()))}
                {fact(t.address, "detail-address", d.address.clone())}
                {fact(t.segment, "detail-segment", segment)}
                {fact(t.village, "detail-village", format!("{} ({})", d.row.village_name, d.row.village))}
                {fact(t.program, "detail-program", d.program.label(locale()).to_owned())}
                {fact(t.income, "detail-income", rupiah(d.income, lang))}
                {fact(t.funding, "detail-funding", funding)}
                {fact(t.coverage_start, "detail-coverage-start", month_year(d.coverage_start, lang))}
                <div>
                    <dt>{t.paid_through}</dt>
                    <dd data-testid="detail-paid-through">{move || month_year(row().paid_through, lang)}</dd>
                </div>
                {fact(t.monthly_premium, "detail-monthly-premium", rupiah(d.monthly_premium, lang))}
                <div>
                    <dt>{t.membership}</dt>
                    <dd data-testid="detail-membership">
                        {move || worker.with(|w| w.membership_number.clone()).unwrap_or_else(|| t.none.to_owned())}
                    </dd>
                </div>
                {fact(t.created_at, "detail-created-at", timestamp_wib(d.created_at, lang))}
                {fact(t.consent_version, "detail-consent-version", d.consent_version.clone())}
            </dl>
        </article>
        <StepPanel worker may_verify may_edit/>
    }
}

/// The masked NIK, and for roles that need it the full one on request (audited by the server).
#[component]
fn NikRow(id: i64, masked: String, may_see_nik: bool) -> impl IntoView {
    let t = texts();
    let full: RwSignal<Option<String>> = RwSignal::new(None);
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let reveal = Action::new_local(move |_: &()| async move {
        match api::full_nik(id).await {
            Ok(nik) => {
                error.set(None);
                full.set(Some(nik.nik));
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let shown = move || full.get().unwrap_or_else(|| masked.clone());
    view! {
        <div class="nik-row">
            <span class="label">{t.nik}</span>
            <span class="nik" data-testid="detail-nik">{shown}</span>
            {may_see_nik
                .then(|| {
                    view! {
                        <PressButton
                            class="button secondary small"
                            testid="toggle-nik"
                            pending=reveal.pending()
                            press=move || {
                                if full.with(Option::is_some) {
                                    full.set(None);
                                } else {
                                    reveal.dispatch_local(());
                                }
                            }
                        >
                            {move || if full.with(Option::is_some) { t.hide_nik } else { t.show_nik }}
                        </PressButton>
                        <p class="hint">{t.nik_audit_note}</p>
                    }
                })}
            {move || error.get().map(|e| view! { <p class="notice is-error" role="alert">{e.to_string()}</p> })}
        </div>
    }
}
