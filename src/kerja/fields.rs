//! The inputs of the enrolment form. Each has a `<label>`, an optional hint, and the message of
//! its one problem right below it, tied to the input with `aria-describedby`; an error also
//! sets `aria-invalid`. Warnings look different from errors and never block sending.

use leptos::prelude::*;
use pantau_core::intake::Assessment;
use pantau_core::{Field, FieldProblem, Problem, Severity};

use super::draft::FormFields;
use super::i18n::{problem_message, texts};

/// Every field of the enrolment form, in its order, with the kebab-case name used in element
/// ids and `data-testid`s.
pub const FORM_FIELDS: [(Field, &str); 17] = [
    (Field::Nik, "nik"),
    (Field::FullName, "full-name"),
    (Field::BirthDate, "birth-date"),
    (Field::Sex, "sex"),
    (Field::Phone, "phone"),
    (Field::Address, "address"),
    (Field::Segment, "segment"),
    (Field::OccupationOther, "occupation-other"),
    (Field::Village, "village"),
    (Field::Program, "program"),
    (Field::Income, "income"),
    (Field::Funding, "funding"),
    (Field::Sponsor, "sponsor"),
    (Field::CoverageStart, "coverage-start"),
    (Field::PaidMonths, "paid-months"),
    (Field::MembershipNumber, "membership-number"),
    (Field::Consent, "consent"),
];

/// Kebab-case name of a form field.
pub fn field_name(field: Field) -> &'static str {
    FORM_FIELDS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or("", |(_, name)| name)
}

/// The state shared by the inputs of one form.
#[derive(Clone, Copy)]
pub struct FormCtx {
    pub fields: FormFields,
    /// The core check of the current values, rerun on every change.
    pub assessment: Memo<Assessment>,
    /// Fields the official has left at least once: their problems show from then on.
    pub touched: RwSignal<Vec<Field>>,
    /// Set by a send attempt: every problem shows.
    pub attempted: RwSignal<bool>,
    /// Problems the server found that the form could not (unknown village, NIK changed), each
    /// shown until its field changes.
    pub server: RwSignal<Vec<FieldProblem>>,
}

impl FormCtx {
    /// The problem to show under `field` now, if any (tracked).
    pub fn shown(&self, field: Field) -> Option<(Severity, Problem)> {
        let from_server = self.server.with(|problems| {
            problems
                .iter()
                .find(|p| p.field == field)
                .map(|p| (p.severity, p.problem))
        });
        if from_server.is_some() {
            return from_server;
        }
        let (severity, problem) = self
            .assessment
            .with(|a| a.problem_for(field).map(|p| (p.severity, p.problem)))?;
        // A character that can never be right is worth saying at once, while typing.
        let at_once = matches!(
            problem,
            Problem::NikNotDigits | Problem::NameCharacters | Problem::TextCharacters
        );
        let visible = at_once || self.attempted.get() || self.touched.with(|t| t.contains(&field));
        visible.then_some((severity, problem))
    }

    /// Whether `field` shows an error (tracked).
    pub fn is_error(&self, field: Field) -> bool {
        matches!(self.shown(field), Some((Severity::Error, _)))
    }

    /// The official left `field`.
    pub fn touch(&self, field: Field) {
        if !self.touched.with_untracked(|t| t.contains(&field)) {
            self.touched.update(|t| t.push(field));
        }
    }

    /// The official changed `field`: the server's verdict on the old value no longer applies,
    /// and a value the NIK filled in is now the official's.
    pub fn edited(&self, field: Field) {
        self.fields.changed_by_hand(field);
        if self.server.with_untracked(|s| s.iter().any(|p| p.field == field)) {
            self.server.update(|s| s.retain(|p| p.field != field));
        }
    }
}

fn form() -> FormCtx {
    expect_context::<FormCtx>()
}

/// `aria-describedby` of a field: its hint (when there is one), its "filled from the NIK"
/// note (when it can have one) and its message.
fn described_by(name: &str, has_hint: bool, from_nik: bool) -> String {
    let hint = if has_hint {
        format!("f-{name}-hint ")
    } else {
        String::new()
    };
    let filled = if from_nik {
        format!("f-{name}-filled ")
    } else {
        String::new()
    };
    format!("{hint}{filled}f-{name}-msg")
}

/// Under a field the NIK fills: says so while the value is the NIK's, until the official
/// changes it.
fn filled_note(field: Field, name: &'static str, from_nik: bool) -> impl IntoView {
    let fields = form().fields;
    from_nik.then(|| {
        view! {
            <Show when=move || fields.is_filled_from_nik(field)>
                <p class="hint is-filled" id=format!("f-{name}-filled") data-testid=format!("filled-{name}")>
                    {texts().filled_from_nik}
                </p>
            </Show>
        }
    })
}

fn aria_invalid(field: Field) -> impl Fn() -> &'static str + Send + Sync + 'static {
    move || if form().is_error(field) { "true" } else { "false" }
}

/// The message under a field: empty, an error, or a warning.
#[component]
pub fn Message(field: Field) -> impl IntoView {
    let form = form();
    let name = field_name(field);
    let class = move || match form.shown(field) {
        Some((Severity::Error, _)) => "field-msg is-error",
        Some((Severity::Warning, _)) => "field-msg is-warning",
        None => "field-msg",
    };
    let severity = move || {
        form.shown(field).map(|(severity, _)| match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    };
    view! {
        <p
            id=format!("f-{name}-msg")
            class=class
            data-testid=format!("problem-{name}")
            data-severity=severity
            aria-live="polite"
        >
            {move || {
                form.shown(field)
                    .map(|(severity, problem)| {
                        let prefix = (severity == Severity::Warning).then(|| format!("{}: ", texts().warning));
                        view! {
                            {prefix.map(|p| view! { <strong>{p}</strong> })}
                            {problem_message(problem)}
                        }
                    })
            }}
        </p>
    }
}

fn hint_view(name: &'static str, hint: Option<&'static str>) -> impl IntoView {
    hint.map(|hint| view! { <p class="hint" id=format!("f-{name}-hint")>{hint}</p> })
}

/// A typed input (text, tel, date, month).
#[component]
pub fn TextField(
    field: Field,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] readonly: bool,
    #[prop(optional)] max: Option<String>,
    /// The NIK may fill it (see [`FormFields::fill_from_nik`]).
    #[prop(optional)]
    from_nik: bool,
) -> impl IntoView {
    let form = form();
    let name = field_name(field);
    let value = form.fields.text(field);
    view! {
        <div class="field">
            <label for=format!("f-{name}")>{label}</label>
            {hint_view(name, hint)}
            <input
                id=format!("f-{name}")
                name=name
                type=kind
                inputmode=inputmode
                max=max
                readonly=readonly
                autocomplete="off"
                spellcheck="false"
                data-testid=format!("input-{name}")
                aria-describedby=described_by(name, hint.is_some(), from_nik)
                aria-invalid=aria_invalid(field)
                bind:value=value
                on:input=move |_| form.edited(field)
                on:blur=move |_| form.touch(field)
            />
            {filled_note(field, name, from_nik)}
            <Message field/>
        </div>
    }
}

/// A choice from a list; `options` are (JSON name, label) pairs.
#[component]
pub fn SelectField(
    field: Field,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let form = form();
    let name = field_name(field);
    let value = form.fields.text(field);
    let options = options
        .into_iter()
        .map(|(code, text)| {
            let code_for_check = code.clone();
            // The property, not the attribute: it moves the selection even after the official
            // picked something (the form is cleared or filled from a record).
            view! { <option value=code prop:selected=move || value.with(|v| *v == code_for_check)>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=format!("f-{name}")>{label}</label>
            {hint_view(name, hint)}
            <select
                id=format!("f-{name}")
                name=name
                data-testid=format!("input-{name}")
                aria-describedby=described_by(name, hint.is_some(), false)
                aria-invalid=aria_invalid(field)
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    form.edited(field);
                    form.touch(field);
                }
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>{texts().choose}</option>
                {options}
            </select>
            <Message field/>
        </div>
    }
}

/// A few choices side by side as large radio buttons; `options` are (JSON name, label) pairs.
#[component]
pub fn RadioField(
    field: Field,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    /// The NIK may fill it (see [`FormFields::fill_from_nik`]).
    #[prop(optional)]
    from_nik: bool,
) -> impl IntoView {
    let form = form();
    let name = field_name(field);
    let value = form.fields.text(field);
    let radios = options
        .into_iter()
        .enumerate()
        .map(|(i, (code, text))| {
            // The first radio carries the field's id, so a jump to the field lands on it.
            let id = if i == 0 {
                format!("f-{name}")
            } else {
                format!("f-{name}-{code}")
            };
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        id=id
                        name=name
                        value=code
                        data-testid=format!("input-{name}-{code}")
                        aria-describedby=described_by(name, false, from_nik)
                        aria-invalid=aria_invalid(field)
                        prop:checked=move || value.with(|v| v == code)
                        on:change=move |_| {
                            value.set(code.to_owned());
                            form.edited(field);
                            form.touch(field);
                        }
                    />
                    <span>{text}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field">
            <legend>{label}</legend>
            <div class="choices">{radios}</div>
            {filled_note(field, name, from_nik)}
            <Message field/>
        </fieldset>
    }
}
