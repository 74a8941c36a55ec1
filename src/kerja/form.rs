//! The enrolment form, for a new worker and for editing one. Every keystroke reruns core's
//! `assess` (the check the server runs on submit), so the message under a field and the
//! premium are there before anything is sent.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use pantau_core::account::Action as Permission;
use pantau_core::display::rupiah;
use pantau_core::intake::{assess, EnrolmentDraft, CONSENT_TEXT_EN, CONSENT_TEXT_ID, PAID_MONTHS_CHOICES};
use pantau_core::premium::PremiumRules;
use pantau_core::workers::DuplicateNik;
use pantau_core::{AreaCode, ErrorCode, Field, FundingSource, Level, Nik, Program, RegionCode, Segment, Sex};

use super::api::{self, KerjaError};
use super::fields::{FormCtx, Message, RadioField, SelectField, TextField, FORM_FIELDS};
use super::form_parts::{DuplicateNotice, FixedVillage, PremiumPanel, VillageInput};
use super::i18n::texts;
use super::outbox::sender::{self, Answer};
use super::outbox::texts::texts as outbox_texts;
use super::outbox::{client_id, store, use_outbox, Pending, Write};
use super::state::{today, use_flash, use_session};
use crate::i18n::{locale, Locale};

/// Highest income tier offered in the list (far above any vulnerable worker's income).
const HIGHEST_LISTED_INCOME: u64 = 20_000_000;

pub use super::draft::{draft_of, FormFields, FormMode};

/// Where to go after a successful send, and what to say there.
fn after_save(mode: FormMode, name: &str) -> (String, String) {
    let t = texts();
    match mode {
        FormMode::New => (
            "/kerja/pekerja".to_owned(),
            format!("{}{name}{}", t.enrolled_notice.0, t.enrolled_notice.1),
        ),
        FormMode::Edit { id } => (format!("/kerja/pekerja/{id}"), t.saved_notice.to_owned()),
    }
}

/// Moves focus to the first field showing an error, once the page has drawn it.
fn focus_first_error(form: FormCtx) {
    request_animation_frame(move || {
        let first = FORM_FIELDS
            .iter()
            .find(|(field, _)| form.is_error(*field))
            .map(|(_, name)| *name);
        let element = first.and_then(|name| document().get_element_by_id(&format!("f-{name}")));
        if let Some(element) = element {
            element.scroll_into_view();
            if let Ok(input) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element) {
                let _ = input.focus();
            }
        }
    });
}

/// Brings the element `id` into view once drawn (an answer shown near the send button may
/// be below the fold of a phone).
fn reveal(id: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(id) {
            element.scroll_into_view();
        }
    });
}

fn income_options() -> Vec<(String, String)> {
    let rules = PremiumRules::default();
    let lang = locale();
    (0..)
        .map(|step| rules.lowest_income + step * rules.income_step)
        .take_while(|income| *income <= HIGHEST_LISTED_INCOME)
        .map(|income| (income.to_string(), rupiah(income, lang)))
        .collect()
}

fn labelled<T: Copy>(
    values: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Locale) -> &'static str,
) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| (code(*v).to_owned(), label(*v, locale()).to_owned()))
        .collect()
}

/// The form. `nik_readonly` when editing with the stored NIK filled in.
#[component]
pub fn EnrolmentForm(fields: FormFields, mode: FormMode, #[prop(optional)] nik_readonly: bool) -> impl IntoView {
    let t = texts();
    let session = use_session();
    let flash = use_flash();
    let me = session.me();
    let scope = me.as_ref().map(|m| m.grant.scope.clone());
    // An operator's village is the account's; wider roles type a village code.
    let fixed_village = scope.as_ref().filter(|s| s.level() == Level::Village).map(|s| {
        (
            s.to_string(),
            me.as_ref().map(|m| m.scope_name.clone()).unwrap_or_default(),
        )
    });
    let user = me.as_ref().map(|m| m.user_id);
    let today = today();
    if mode == FormMode::New {
        fields.start_for(user);
        // Only a change of the NIK fills, not a form opened with one already typed; a stored
        // record being edited is never changed behind the official's back.
        Effect::new(move |previous: Option<String>| {
            let nik = fields.nik.get();
            if previous.is_some_and(|p| p != nik) {
                fields.fill_from_nik(today);
            }
            nik
        });
    }
    let own_village = fixed_village.as_ref().map(|(code, _)| code.clone());
    if let Some(code) = &own_village {
        fields.village.set(code.clone());
    }

    // Known districts: asked for once the NIK parses; until the answer, assumed known.
    let district = Memo::new(move |_| fields.nik.with(|raw| Nik::parse(raw).ok().map(|n| n.district_code())));
    let known = LocalResource::new(move || {
        let code = district.get();
        async move {
            match code {
                Some(code) => {
                    let known = api::district_known(&code).await;
                    (Some(code), known)
                }
                None => (None, true),
            }
        }
    });
    let assessment = Memo::new(move |_| {
        let draft = fields.draft();
        let code = district.get();
        let known = known
            .get()
            .filter(|(answered, _)| *answered == code)
            .is_none_or(|(_, known)| known);
        assess(&draft, today, &PremiumRules::default(), &|_| known)
    });
    let form = FormCtx {
        fields,
        assessment,
        touched: RwSignal::new(Vec::new()),
        attempted: RwSignal::new(false),
        server: RwSignal::new(Vec::new()),
    };
    provide_context(form);

    // The refusal, with the NIK and village that were sent (a conflict report names them).
    let duplicate: RwSignal<Option<(DuplicateNik, String, String)>> = RwSignal::new(None);
    let form_error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let blocked = RwSignal::new(false);
    let navigate = use_navigate();
    let outbox = use_outbox();
    // The record's client id is made when the form opens and stored with the record in one
    // write; a refused record gets a new one, since its fixed body is another request.
    let key = StoredValue::new(client_id());
    let queued: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let send = Action::new_local(move |draft: &EnrolmentDraft| {
        let draft = draft.clone();
        let navigate = navigate.clone();
        let own_village = own_village.clone();
        async move {
            let Some(me) = session.me() else { return };
            let write = match mode {
                FormMode::New => Write::Enrol { draft: draft.clone() },
                FormMode::Edit { id } => Write::Update {
                    id,
                    draft: draft.clone(),
                },
            };
            let record = Pending::new(key.get_value(), me.user_id, write);
            if store::put(&record).await.is_err() {
                form_error.set(Some(KerjaError::Storage));
                reveal("form-error");
                return;
            }
            if let Some(fixed) = outbox.fixing.get_untracked().filter(|_| mode == FormMode::New) {
                let _ = store::remove(&fixed).await;
                outbox.fixing.set(None);
            }
            sender::kick();
            match sender::answer(&record.id, me.user_id).await {
                Answer::Accepted => {
                    let (path, notice) = after_save(mode, &draft.full_name);
                    flash.0.set(Some(notice));
                    if mode == FormMode::New {
                        fields.next_worker(&draft, user);
                    }
                    navigate(
                        &path,
                        NavigateOptions {
                            resolve: false,
                            ..Default::default()
                        },
                    );
                }
                Answer::Waiting => {
                    // Kept on the phone: the outbox sends it when the network is back.
                    key.set_value(client_id());
                    if mode == FormMode::New {
                        fields.next_worker(&draft, user);
                        // The next worker is of the same village.
                        if let Some(code) = &own_village {
                            fields.village.set(code.clone());
                        }
                        form.attempted.set(false);
                        form.touched.set(Vec::new());
                        queued.set(Some(outbox_texts().queued_notice));
                    } else {
                        queued.set(Some(outbox_texts().queued_edit_notice));
                    }
                    reveal("queued-notice");
                }
                Answer::Refused(body) => {
                    // The official is here to fix it: the form shows why, as online.
                    let _ = store::remove(&record.id).await;
                    sender::kick();
                    key.set_value(client_id());
                    let error = KerjaError::Api(body);
                    match error {
                        KerjaError::Api(body) if body.code == ErrorCode::InvalidEnrolment => {
                            form.server.set(body.problems);
                            form.attempted.set(true);
                            focus_first_error(form);
                        }
                        KerjaError::Api(body) if body.code == ErrorCode::DuplicateNik && body.duplicate.is_some() => {
                            duplicate.set(body.duplicate.map(|d| (d, draft.nik.clone(), draft.village.clone())));
                            reveal("duplicate-notice");
                        }
                        error => {
                            form_error.set(Some(error));
                            reveal("form-error");
                        }
                    }
                }
            }
        }
    });
    let pending = send.pending();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        form.attempted.set(true);
        duplicate.set(None);
        form_error.set(None);
        queued.set(None);
        if !assessment.with_untracked(|a| a.is_valid()) {
            blocked.set(true);
            focus_first_error(form);
            return;
        }
        blocked.set(false);
        send.dispatch_local(fields.draft_untracked());
    };
    // The summary goes once the errors are fixed.
    let show_blocked = move || blocked.get() && !assessment.with(|a| a.is_valid());

    let sex_options = vec![
        (Sex::Male.as_str(), Sex::Male.label(locale())),
        (Sex::Female.as_str(), Sex::Female.label(locale())),
    ];
    let program_options = labelled(&Program::ALL, Program::as_str, Program::label);
    let segment_options = labelled(&Segment::ALL, Segment::as_str, Segment::label);
    let funding_options = labelled(&FundingSource::ALL, FundingSource::as_str, FundingSource::label);
    let months_options: Vec<(String, String)> = PAID_MONTHS_CHOICES
        .iter()
        .map(|m| (m.to_string(), format!("{m}{}", t.months)))
        .collect();
    let nik_hint = match (mode, nik_readonly) {
        (FormMode::New, _) => t.nik_hint,
        (FormMode::Edit { .. }, true) => t.nik_fixed_hint,
        (FormMode::Edit { .. }, false) => t.nik_confirm_hint,
    };
    let consent_text = if locale() == Locale::Id {
        CONSENT_TEXT_ID
    } else {
        CONSENT_TEXT_EN
    };
    let may_open = move |village: &RegionCode| session.may(Permission::ViewWorkers, &AreaCode::Region(village.clone()));

    view! {
        <form class="enrol-form" novalidate autocomplete="off" on:submit=on_submit data-testid="enrol-form">
            {move || queued.get().map(|text| view! { <p class="notice is-success" role="status" id="queued-notice" data-testid="queued-notice">{text}</p> })}
            <Show when=move || outbox.fixing.get().is_some() && mode == FormMode::New>
                <p class="notice is-warning" data-testid="fixing-notice">{outbox_texts().fixing_notice}</p>
            </Show>
            <p class="intro">{t.form_intro}</p>
            <section class="card form-section">
                <h2>{t.section_person}</h2>
                <TextField field=Field::Nik label=t.nik hint=nik_hint inputmode="numeric" readonly=nik_readonly/>
                <TextField field=Field::FullName label=t.full_name/>
                <TextField field=Field::BirthDate label=t.birth_date kind="date" max=today_iso(today) from_nik=true/>
                <RadioField field=Field::Sex label=t.sex options=sex_options from_nik=true/>
                <TextField field=Field::Phone label=t.phone hint=t.phone_hint kind="tel" inputmode="tel"/>
            </section>
            <section class="card form-section">
                <h2>{t.section_work}</h2>
                <SelectField field=Field::Segment label=t.segment options=segment_options/>
                <Show when=move || fields.segment.with(|s| s == Segment::Other.as_str())>
                    <TextField field=Field::OccupationOther label=t.occupation_other/>
                </Show>
                <TextField field=Field::Address label=t.address/>
                {match fixed_village.clone() {
                    Some((code, name)) => view! { <FixedVillage code name/> }.into_any(),
                    None => view! { <VillageInput/> }.into_any(),
                }}
            </section>
            <section class="card form-section">
                <h2>{t.section_program}</h2>
                <SelectField field=Field::Program label=t.program options=program_options/>
                <SelectField field=Field::Income label=t.income hint=t.income_hint options=income_options()/>
                <SelectField field=Field::Funding label=t.funding options=funding_options/>
                <Show when=move || fields.funding.with(|s| s == FundingSource::Csr.as_str())>
                    <TextField field=Field::Sponsor label=t.sponsor/>
                </Show>
                <TextField field=Field::CoverageStart label=t.coverage_start kind="month"/>
                <SelectField field=Field::PaidMonths label=t.paid_months options=months_options/>
                <TextField
                    field=Field::MembershipNumber
                    label=t.membership_number
                    hint=t.membership_hint
                    inputmode="numeric"
                />
                <PremiumPanel/>
            </section>
            <section class="card form-section">
                <h2>{t.section_consent}</h2>
                <p class="consent-text" id="consent-text" lang=locale().code()>{consent_text}</p>
                <div class="field">
                    <label class="choice consent">
                        <input
                            type="checkbox"
                            id="f-consent"
                            data-testid="input-consent"
                            aria-describedby="consent-text f-consent-msg"
                            aria-invalid=move || if form.is_error(Field::Consent) { "true" } else { "false" }
                            bind:checked=fields.consent
                            on:change=move |_| form.touch(Field::Consent)
                        />
                        <span>{t.consent_label}</span>
                    </label>
                    <Message field=Field::Consent/>
                </div>
            </section>
            {move || {
                duplicate
                    .get()
                    .map(|(d, nik, village)| {
                        let may_open = may_open(&d.village);
                        view! { <DuplicateNotice duplicate=d may_open nik village/> }
                    })
            }}
            {move || form_error.get().map(|e| view! { <p class="notice is-error" role="alert" id="form-error" data-testid="form-error">{e.to_string()}</p> })}
            <Show when=show_blocked>
                <p class="notice is-error" role="alert" data-testid="form-summary">{t.form_has_errors}</p>
            </Show>
            <div class="form-actions">
                <button type="submit" class="button big" data-testid="enrol-submit" disabled=move || pending.get()>
                    {move || {
                        if pending.get() {
                            t.submitting
                        } else if matches!(mode, FormMode::New) {
                            t.submit_new
                        } else {
                            t.submit_edit
                        }
                    }}
                </button>
                {cancel_link(mode)}
            </div>
        </form>
    }
}

fn cancel_link(mode: FormMode) -> impl IntoView {
    let href = match mode {
        FormMode::New => "/kerja/".to_owned(),
        FormMode::Edit { id } => format!("/kerja/pekerja/{id}"),
    };
    view! { <a href=href class="button secondary">{texts().cancel}</a> }
}

fn today_iso(today: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", today.year(), u8::from(today.month()), today.day())
}
