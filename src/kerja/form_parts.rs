//! Parts of the enrolment form: the village (fixed for an operator, typed by wider roles),
//! the live premium, and the notice for a NIK enrolled elsewhere.

use leptos::prelude::*;
use pantau_core::display::rupiah;
use pantau_core::workers::{ConflictReport, DuplicateNik};
use pantau_core::{AreaCode, Field, Level, RegionCode};

use super::api::{self, KerjaError};
use super::fields::{FormCtx, Message, TextField};
use super::i18n::texts;
use crate::i18n::locale;

/// The operator's own village, shown by name.
#[component]
pub fn FixedVillage(code: String, name: String) -> impl IntoView {
    let t = texts();
    view! {
        <div class="field">
            <span class="label">{t.village}</span>
            <p class="fixed-value" data-testid="fixed-village">
                <strong>{name}</strong>
                " "
                <span class="code">{code}</span>
            </p>
            <p class="hint">{t.village_fixed_hint}</p>
            <Message field=Field::Village/>
        </div>
    }
}

/// A village code for officials above the village, with the name it resolves to.
#[component]
pub fn VillageInput() -> impl IntoView {
    let t = texts();
    let form = expect_context::<FormCtx>();
    let code = Memo::new(move |_| {
        form.fields
            .village
            .with(|raw| RegionCode::parse(raw).ok().filter(|c| c.level() == Level::Village))
    });
    let name = LocalResource::new(move || {
        let code = code.get();
        async move {
            match code {
                Some(code) => api::area_name(&AreaCode::Region(code)).await.ok().flatten(),
                None => None,
            }
        }
    });
    view! {
        <TextField field=Field::Village label=t.village hint=t.village_hint inputmode="decimal"/>
        <p class="resolved" data-testid="village-name" aria-live="polite">
            {move || code.get().and(name.get().flatten())}
        </p>
    }
}

/// JKK, JKM, JHT, the monthly sum and the amount for the chosen months.
#[component]
pub fn PremiumPanel() -> impl IntoView {
    let t = texts();
    let form = expect_context::<FormCtx>();
    let lang = locale();
    move || match form.assessment.with(|a| a.premium) {
        Some(quote) => view! {
            <dl class="premium" data-testid="premium" aria-live="polite">
                <div><dt>"JKK"</dt><dd>{rupiah(quote.jkk, lang)}</dd></div>
                <div><dt>"JKM"</dt><dd>{rupiah(quote.jkm, lang)}</dd></div>
                {(quote.jht > 0).then(|| view! { <div><dt>"JHT"</dt><dd>{rupiah(quote.jht, lang)}</dd></div> })}
                <div class="sum">
                    <dt>{t.per_month}</dt>
                    <dd data-testid="premium-monthly">{rupiah(quote.monthly, lang)}</dd>
                </div>
                <div class="sum">
                    <dt>{format!("{}{}{}", t.for_months.0, quote.months, t.for_months.1)}</dt>
                    <dd data-testid="premium-total">{rupiah(quote.total, lang)}</dd>
                </div>
            </dl>
        }
        .into_any(),
        None => view! { <p class="hint" data-testid="premium-pending">{t.premium_pending}</p> }.into_any(),
    }
}

/// The NIK is covered elsewhere: where, and what the official can do about it. Inside their
/// scope they open the record; outside it they report the conflict to that village's officials
/// (`nik` and `village` are what was sent, kept from the refused request).
#[component]
pub fn DuplicateNotice(duplicate: DuplicateNik, may_open: bool, nik: String, village: String) -> impl IntoView {
    let t = texts();
    let (before, middle, after) = t.duplicate_text;
    let action = match duplicate.enrolment_id.filter(|_| may_open) {
        Some(id) => view! {
            <a class="button" href=format!("/kerja/pekerja/{id}") data-testid="duplicate-open">{t.open_existing}</a>
        }
        .into_any(),
        None => view! { <ConflictReportForm village_name=duplicate.village_name.clone() nik village/> }.into_any(),
    };
    view! {
        <div class="notice is-error" role="alert" id="duplicate-notice" data-testid="duplicate-notice">
            <strong>{t.duplicate_title}</strong>
            <p>{format!("{before}{}{middle}{} ({}){after}", duplicate.nik_masked, duplicate.village_name, duplicate.village)}</p>
            {action}
        </div>
    }
}

/// "Report a conflict", then an optional note and "send".
#[component]
fn ConflictReportForm(village_name: String, nik: String, village: String) -> impl IntoView {
    let t = texts();
    let opened = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let sent = RwSignal::new(false);
    let village = RegionCode::parse(&village).ok();
    let send = Action::new_local(move |report: &ConflictReport| {
        let report = report.clone();
        async move {
            match api::report_conflict(&report).await {
                Ok(()) => sent.set(true),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let pending = send.pending();
    let report = StoredValue::new((nik, village));
    let on_send = move |_| {
        error.set(None);
        let (nik, village) = report.get_value();
        if let Some(village) = village {
            send.dispatch_local(ConflictReport {
                nik,
                village,
                note: note.get_untracked().trim().to_owned(),
            });
        }
    };
    let sent_text = format!("{}{village_name}{}", t.report_sent.0, t.report_sent.1);
    view! {
        <Show when=move || !opened.get()>
            <button type="button" class="button secondary" data-testid="duplicate-report" on:click=move |_| opened.set(true)>
                {t.report_conflict}
            </button>
        </Show>
        <Show when=move || opened.get() && !sent.get()>
            <p class="hint">{t.conflict_note}</p>
            <label for="conflict-note">{t.report_note}</label>
            <textarea id="conflict-note" rows="2" maxlength="500" data-testid="conflict-note" bind:value=note></textarea>
            <button
                type="button"
                class="button"
                data-testid="conflict-send"
                disabled=move || pending.get()
                on:click=on_send
            >
                {t.send_report}
            </button>
        </Show>
        <Show when=move || sent.get()>
            <p role="status" data-testid="conflict-sent">{sent_text.clone()}</p>
        </Show>
        {move || error.get().map(|e| view! { <p data-testid="conflict-error">{e.to_string()}</p> })}
    }
}
