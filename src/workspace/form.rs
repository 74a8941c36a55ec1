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
use pantau_core::workers::{DuplicateNik, WorkerDetail};
use pantau_core::{AreaCode, ErrorCode, Field, FundingSource, Level, Month, Nik, Program, RegionCode, Segment, Sex};

use super::api::{self, WsError};
use super::codes;
use super::fields::{FormCtx, Message, RadioField, SelectField, TextField};
use super::i18n::texts;
use super::state::{today, use_flash, use_session, Notice};
use crate::i18n::{category_label, locale, Locale};

/// Highest income tier offered in the list (far above any vulnerable worker's income).
const HIGHEST_LISTED_INCOME: u64 = 20_000_000;

/// One signal per input of the form; copies share the same signals.
#[derive(Clone, Copy)]
pub struct FormFields {
    pub nik: RwSignal<String>,
    pub full_name: RwSignal<String>,
    pub birth_date: RwSignal<String>,
    pub sex: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub address: RwSignal<String>,
    pub segment: RwSignal<String>,
    pub occupation_other: RwSignal<String>,
    pub village: RwSignal<String>,
    pub program: RwSignal<String>,
    pub income: RwSignal<String>,
    pub funding: RwSignal<String>,
    pub sponsor: RwSignal<String>,
    pub coverage_start: RwSignal<String>,
    pub paid_months: RwSignal<String>,
    pub membership_number: RwSignal<String>,
    pub consent: RwSignal<bool>,
    /// Stands in for the checkbox where a text signal is asked for; never shown.
    unused: RwSignal<String>,
}

impl Default for FormFields {
    fn default() -> Self {
        Self::new()
    }
}

impl FormFields {
    /// A form with the usual starting choices (see [`FormFields::clear`]).
    pub fn new() -> Self {
        let text = || RwSignal::new(String::new());
        let fields = Self {
            nik: text(),
            full_name: text(),
            birth_date: text(),
            sex: text(),
            phone: text(),
            address: text(),
            segment: text(),
            occupation_other: text(),
            village: text(),
            program: text(),
            income: text(),
            funding: text(),
            sponsor: text(),
            coverage_start: text(),
            paid_months: text(),
            membership_number: text(),
            consent: RwSignal::new(false),
            unused: text(),
        };
        fields.clear();
        fields
    }

    /// Empties the form, keeping the usual choices: the JKK + JKM package, cover from this
    /// month, paid one month at a time.
    pub fn clear(&self) {
        self.fill(&EnrolmentDraft {
            program: Some(Program::JkkJkm),
            coverage_start: Month::of(today()).to_string(),
            paid_months: Some(1),
            ..EnrolmentDraft::default()
        });
    }

    /// Puts `draft`'s values into the inputs.
    pub fn fill(&self, draft: &EnrolmentDraft) {
        self.nik.set(draft.nik.clone());
        self.full_name.set(draft.full_name.clone());
        self.birth_date.set(draft.birth_date.clone());
        self.sex.set(draft.sex.map(codes::sex).unwrap_or_default().to_owned());
        self.phone.set(draft.phone.clone());
        self.address.set(draft.address.clone());
        self.segment
            .set(draft.segment.map(codes::segment).unwrap_or_default().to_owned());
        self.occupation_other.set(draft.occupation_other.clone());
        self.village.set(draft.village.clone());
        self.program
            .set(draft.program.map(codes::program).unwrap_or_default().to_owned());
        self.income.set(draft.income.map(|i| i.to_string()).unwrap_or_default());
        self.funding
            .set(draft.funding.map(codes::funding).unwrap_or_default().to_owned());
        self.sponsor.set(draft.sponsor.clone());
        self.coverage_start.set(draft.coverage_start.clone());
        self.paid_months
            .set(draft.paid_months.map(|m| m.to_string()).unwrap_or_default());
        self.membership_number.set(draft.membership_number.clone());
        self.consent.set(draft.consent);
    }

    /// The inputs as the API's draft (tracked).
    pub fn draft(&self) -> EnrolmentDraft {
        EnrolmentDraft {
            nik: self.nik.get(),
            full_name: self.full_name.get(),
            birth_date: self.birth_date.get(),
            sex: self.sex.with(|s| codes::parse_sex(s)),
            phone: self.phone.get(),
            address: self.address.get(),
            segment: self.segment.with(|s| codes::parse_segment(s)),
            occupation_other: self.occupation_other.get(),
            village: self.village.get(),
            program: self.program.with(|s| codes::parse_program(s)),
            income: self.income.with(|s| s.parse().ok()),
            funding: self.funding.with(|s| codes::parse_funding(s)),
            sponsor: self.sponsor.get(),
            coverage_start: self.coverage_start.get(),
            paid_months: self.paid_months.with(|s| s.parse().ok()),
            membership_number: self.membership_number.get(),
            consent: self.consent.get(),
        }
    }

    /// The text signal of `field` (the consent checkbox has none).
    pub fn text(&self, field: Field) -> RwSignal<String> {
        match field {
            Field::Nik => self.nik,
            Field::FullName => self.full_name,
            Field::BirthDate => self.birth_date,
            Field::Sex => self.sex,
            Field::Phone => self.phone,
            Field::Address => self.address,
            Field::Segment => self.segment,
            Field::OccupationOther => self.occupation_other,
            Field::Village => self.village,
            Field::Program => self.program,
            Field::Income => self.income,
            Field::Funding => self.funding,
            Field::Sponsor => self.sponsor,
            Field::CoverageStart => self.coverage_start,
            Field::PaidMonths => self.paid_months,
            Field::MembershipNumber => self.membership_number,
            _ => self.unused,
        }
    }
}

/// A stored worker as a draft to edit. `nik` is the full NIK when the official may see it,
/// else empty for the official to type from the ID card.
pub fn draft_of(detail: &WorkerDetail, nik: String) -> EnrolmentDraft {
    let row = &detail.row;
    let birth = detail.birth_date;
    let paid = row.paid_through.index() - detail.coverage_start.index() + 1;
    EnrolmentDraft {
        nik,
        full_name: row.full_name.clone(),
        birth_date: format!("{:04}-{:02}-{:02}", birth.year(), u8::from(birth.month()), birth.day()),
        sex: Some(detail.sex),
        phone: detail.phone.clone().unwrap_or_default(),
        address: detail.address.clone(),
        segment: Some(row.segment),
        occupation_other: detail.occupation_other.clone().unwrap_or_default(),
        village: row.village.to_string(),
        program: Some(detail.program),
        income: Some(detail.income),
        funding: Some(row.funding),
        sponsor: detail.sponsor.clone().unwrap_or_default(),
        coverage_start: detail.coverage_start.to_string(),
        // After renewals the paid months may be none of the choices: the official picks again.
        paid_months: u16::try_from(paid).ok().filter(|m| PAID_MONTHS_CHOICES.contains(m)),
        membership_number: detail.membership_number.clone().unwrap_or_default(),
        // Given at enrolment; the text is shown again and the box can be unticked.
        consent: true,
    }
}

/// New enrolment or edit of record `id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormMode {
    New,
    Edit { id: i64 },
}

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
        let first = codes::FORM_FIELDS
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

fn income_options() -> Vec<(String, String)> {
    let rules = PremiumRules::default();
    let lang = locale();
    (0..)
        .map(|step| rules.lowest_income + step * rules.income_step)
        .take_while(|income| *income <= HIGHEST_LISTED_INCOME)
        .map(|income| (income.to_string(), rupiah(income, lang)))
        .collect()
}

fn labelled<T: Copy>(values: &[T], code: fn(T) -> &'static str) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| (code(*v).to_owned(), category_label(code(*v)).to_owned()))
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
    if let Some((code, _)) = &fixed_village {
        fields.village.set(code.clone());
    }

    let today = today();
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

    let duplicate: RwSignal<Option<DuplicateNik>> = RwSignal::new(None);
    let form_error: RwSignal<Option<WsError>> = RwSignal::new(None);
    let blocked = RwSignal::new(false);
    let navigate = use_navigate();
    let send = Action::new_local(move |draft: &EnrolmentDraft| {
        let draft = draft.clone();
        let navigate = navigate.clone();
        async move {
            let saved = match mode {
                FormMode::New => api::enrol(&draft).await.map(|e| e.worker.full_name),
                FormMode::Edit { id } => api::update(id, &draft).await.map(|d| d.row.full_name),
            };
            match saved {
                Ok(name) => {
                    let (path, notice) = after_save(mode, &name);
                    flash.0.set(Some(notice));
                    if mode == FormMode::New {
                        fields.clear();
                    }
                    navigate(
                        &path,
                        NavigateOptions {
                            resolve: false,
                            ..Default::default()
                        },
                    );
                }
                Err(error) if error.needs_sign_in() => {
                    session.end(Notice::Refused(error.code().unwrap_or(ErrorCode::Unauthenticated)));
                }
                Err(WsError::Api(body)) if body.code == ErrorCode::InvalidEnrolment => {
                    form.server.set(body.problems);
                    form.attempted.set(true);
                    focus_first_error(form);
                }
                Err(WsError::Api(body)) if body.code == ErrorCode::DuplicateNik && body.duplicate.is_some() => {
                    duplicate.set(body.duplicate);
                }
                Err(error) => form_error.set(Some(error)),
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
        (codes::sex(Sex::Male), category_label("male")),
        (codes::sex(Sex::Female), category_label("female")),
    ];
    let program_options = labelled(&Program::ALL, codes::program);
    let segment_options = labelled(&Segment::ALL, codes::segment);
    let funding_options = labelled(&FundingSource::ALL, codes::funding);
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
            <p class="intro">{t.form_intro}</p>
            <section class="card form-section">
                <h2>{t.section_person}</h2>
                <TextField field=Field::Nik label=t.nik hint=nik_hint inputmode="numeric" readonly=nik_readonly/>
                <TextField field=Field::FullName label=t.full_name/>
                <TextField field=Field::BirthDate label=t.birth_date kind="date" max=today_iso(today)/>
                <RadioField field=Field::Sex label=t.sex options=sex_options/>
                <TextField field=Field::Phone label=t.phone hint=t.phone_hint kind="tel" inputmode="tel"/>
            </section>
            <section class="card form-section">
                <h2>{t.section_work}</h2>
                <SelectField field=Field::Segment label=t.segment options=segment_options/>
                <Show when=move || fields.segment.with(|s| s == codes::segment(Segment::Other))>
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
                <Show when=move || fields.funding.with(|s| s == codes::funding(FundingSource::Csr))>
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
            {move || duplicate.get().map(|d| view! { <DuplicateNotice duplicate=d.clone() may_open=may_open(&d.village)/> })}
            {move || form_error.get().map(|e| view! { <p class="notice is-error" role="alert" data-testid="form-error">{e.to_string()}</p> })}
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

impl FormFields {
    /// The draft without subscribing to the inputs (for event handlers).
    fn draft_untracked(&self) -> EnrolmentDraft {
        untrack(|| self.draft())
    }
}

/// The operator's own village, shown by name.
#[component]
fn FixedVillage(code: String, name: String) -> impl IntoView {
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
fn VillageInput() -> impl IntoView {
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
fn PremiumPanel() -> impl IntoView {
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

/// The NIK is covered elsewhere: where, and what the official can do about it.
#[component]
fn DuplicateNotice(duplicate: DuplicateNik, may_open: bool) -> impl IntoView {
    let t = texts();
    let reported = RwSignal::new(false);
    let (before, middle, after) = t.duplicate_text;
    let action = match duplicate.enrolment_id.filter(|_| may_open) {
        Some(id) => view! {
            <a class="button" href=format!("/kerja/pekerja/{id}") data-testid="duplicate-open">{t.open_existing}</a>
        }
        .into_any(),
        None => view! {
            <button type="button" class="button secondary" data-testid="duplicate-report" on:click=move |_| reported.set(true)>
                {t.report_conflict}
            </button>
            <Show when=move || reported.get()>
                <p class="hint" data-testid="duplicate-report-note">{t.conflict_note}</p>
            </Show>
        }
        .into_any(),
    };
    view! {
        <div class="notice is-error" role="alert" data-testid="duplicate-notice">
            <strong>{t.duplicate_title}</strong>
            <p>{format!("{before}{}{middle}{} ({}){after}", duplicate.nik_masked, duplicate.village_name, duplicate.village)}</p>
            {action}
        </div>
    }
}
