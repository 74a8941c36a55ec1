//! The steps an official can take on one record, each shown only when the role allows it on
//! the record's village and the record's state fits (the server checks both again): verify or
//! reject a submitted enrolment, renew or deactivate a current one, edit it.

use leptos::prelude::*;
use pantau_core::intake::{MEMBERSHIP_NUMBER_DIGITS, PAID_MONTHS_CHOICES};
use pantau_core::workers::{DeactivationReason, Status, WorkerDetail};
use pantau_core::{ErrorCode, ErrorEnvelope};

use super::api::{self, KerjaError, Step};
use super::i18n::texts;
use super::state::{use_session, Notice};
use crate::i18n::locale;

/// Reasons given to a village are 5–300 characters (the server's rule).
const REASON_CHARS: std::ops::RangeInclusive<usize> = 5..=300;

fn refused(code: ErrorCode) -> KerjaError {
    KerjaError::Api(Box::new(ErrorEnvelope::of(code).error))
}

/// The steps for `worker`; a step's answer replaces the record shown.
#[component]
pub fn StepPanel(worker: RwSignal<WorkerDetail>, may_verify: bool, may_edit: bool) -> impl IntoView {
    let t = texts();
    let session = use_session();
    let id = worker.with_untracked(|w| w.row.id);
    let done = RwSignal::new(false);
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let step = Action::new_local(move |step: &Step| {
        let step = step.clone();
        async move {
            match api::step(id, &step).await {
                Ok(detail) => {
                    worker.set(detail);
                    error.set(None);
                    done.set(true);
                }
                Err(e) if e.needs_sign_in() => {
                    session.end(Notice::Refused(e.code().unwrap_or(ErrorCode::Unauthenticated)))
                }
                Err(e) => {
                    done.set(false);
                    error.set(Some(e));
                }
            }
        }
    });
    let pending = step.pending();
    let run = move |s: Step| {
        if !pending.get_untracked() {
            done.set(false);
            step.dispatch_local(s);
        }
    };
    let fail = move |code: ErrorCode| {
        done.set(false);
        error.set(Some(refused(code)));
    };
    let state = move || worker.with(|w| (w.row.status, w.row.deactivated.is_none()));
    let can_verify = move || may_verify && state() == (Status::Submitted, true);
    let can_edit = move || may_edit && state().1;
    let nothing = move || !can_verify() && !can_edit();

    // Verify: the KPJ number, prefilled when the village already typed one.
    let membership = RwSignal::new(worker.with_untracked(|w| w.membership_number.clone().unwrap_or_default()));
    let verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number: String = membership
            .get_untracked()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if number.len() == MEMBERSHIP_NUMBER_DIGITS && number.bytes().all(|b| b.is_ascii_digit()) {
            run(Step::Verify(number));
        } else {
            fail(ErrorCode::InvalidMembershipNumber);
        }
    };
    let reason = RwSignal::new(String::new());
    let reject = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_owned();
        if REASON_CHARS.contains(&text.chars().count()) {
            run(Step::Reject(text));
        } else {
            fail(ErrorCode::InvalidReason);
        }
    };
    let months = RwSignal::new("1".to_owned());
    let renew = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match months.get_untracked().parse::<u16>() {
            Ok(m) if PAID_MONTHS_CHOICES.contains(&m) => run(Step::Renew(m)),
            _ => fail(ErrorCode::InvalidPaidMonths),
        }
    };
    let why = RwSignal::new(String::new());
    let deactivate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match DeactivationReason::parse(&why.get_untracked()) {
            Some(r) => run(Step::Deactivate(r)),
            None => fail(ErrorCode::BadRequest),
        }
    };
    let reasons = move || {
        DeactivationReason::ALL
            .map(|r| {
                let code = r.as_str();
                view! { <option value=code prop:selected=move || why.with(|w| w == code)>{r.label(locale())}</option> }
            })
            .to_vec()
    };
    let month_options = move || {
        PAID_MONTHS_CHOICES
            .map(|m| {
                let code = m.to_string();
                let label = format!("{m}{}", t.months);
                view! { <option value=code.clone() prop:selected=move || months.with(|v| *v == code)>{label}</option> }
            })
            .to_vec()
    };

    view! {
        <section class="card steps" data-testid="steps" class:hidden=nothing>
            <h2>{t.actions_title}</h2>
            {move || done.get().then(|| view! { <p class="notice is-success" role="status" data-testid="step-done">{t.action_done}</p> })}
            {move || error.get().map(|e| view! { <p class="notice is-error" role="alert" data-testid="step-error">{e.to_string()}</p> })}
            <Show when=can_verify>
                <form class="step" on:submit=verify>
                    <h3>{t.verify_title}</h3>
                    <label for="verify-membership">{t.membership_input}</label>
                    <input
                        id="verify-membership"
                        inputmode="numeric"
                        autocomplete="off"
                        data-testid="verify-membership"
                        bind:value=membership
                    />
                    <button type="submit" class="button" data-testid="verify-submit" disabled=move || pending.get()>
                        {t.verify_button}
                    </button>
                </form>
                <form class="step" on:submit=reject>
                    <h3>{t.reject_title}</h3>
                    <label for="reject-reason">{t.reject_input}</label>
                    <textarea id="reject-reason" rows="3" maxlength="300" data-testid="reject-reason" bind:value=reason></textarea>
                    <button type="submit" class="button danger" data-testid="reject-submit" disabled=move || pending.get()>
                        {t.reject_button}
                    </button>
                </form>
            </Show>
            <Show when=can_edit>
                <a class="button secondary" href=format!("/kerja/pekerja/{id}/ubah") data-testid="edit-link">{t.edit_button}</a>
                <form class="step" on:submit=renew>
                    <h3>{t.renew_title}</h3>
                    <label for="renew-months">{t.paid_months}</label>
                    <select
                        id="renew-months"
                        data-testid="renew-months"
                        on:change=move |ev| months.set(event_target_value(&ev))
                    >
                        {month_options()}
                    </select>
                    <button type="submit" class="button" data-testid="renew-submit" disabled=move || pending.get()>
                        {t.renew_button}
                    </button>
                </form>
                <form class="step" on:submit=deactivate>
                    <h3>{t.deactivate_title}</h3>
                    <label for="deactivate-reason">{t.deactivate_reason}</label>
                    <select
                        id="deactivate-reason"
                        data-testid="deactivate-reason"
                        on:change=move |ev| why.set(event_target_value(&ev))
                    >
                        <option value="" prop:selected=move || why.with(String::is_empty)>{t.choose}</option>
                        {reasons()}
                    </select>
                    <button type="submit" class="button danger" data-testid="deactivate-submit" disabled=move || pending.get()>
                        {t.deactivate_button}
                    </button>
                </form>
            </Show>
        </section>
    }
}
