//! Administration pages of the workspace: accounts, village targets, budgets, regulations,
//! the audit log, village boundaries and the operators' sync. Each page checks the official's grant on the area it
//! works on (the server checks again) and says so plainly when it is not theirs to use.
//!
//! The area a page works on is the official's own scope, or for officials above the page's
//! level (a national admin) the code in `?wilayah=…`, chosen on the page.

pub mod audit;
pub mod boundaries;
pub mod budgets;
pub mod regulations;
pub mod sync;
pub mod targets;
pub mod users;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use pantau_core::account::{Action as Permission, Grant, Role};
use pantau_core::commitments::RegulationProblem;
use pantau_core::{AreaCode, ErrorCode, Field, Level};

use super::api::{self, KerjaError};
use super::i18n::{admin_texts, error_message, sync_texts};
use crate::i18n::{locale, Locale};

/// One administration page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Users,
    Targets,
    Budgets,
    Regulations,
    Audit,
    Boundaries,
    Sync,
}

impl Page {
    /// Every page, in the order home lists them.
    pub const ALL: [Page; 7] = [
        Page::Users,
        Page::Targets,
        Page::Budgets,
        Page::Regulations,
        Page::Audit,
        Page::Boundaries,
        Page::Sync,
    ];

    /// Its address.
    pub fn href(self) -> &'static str {
        match self {
            Page::Users => "/kerja/admin/pengguna",
            Page::Targets => "/kerja/admin/target",
            Page::Budgets => "/kerja/admin/anggaran",
            Page::Regulations => "/kerja/admin/regulasi",
            Page::Audit => "/kerja/admin/audit",
            Page::Boundaries => "/kerja/admin/batas-desa",
            Page::Sync => "/kerja/admin/sinkron",
        }
    }

    /// Test id of its link on home.
    pub fn testid(self) -> &'static str {
        match self {
            Page::Users => "admin-users",
            Page::Targets => "admin-targets",
            Page::Budgets => "admin-budgets",
            Page::Regulations => "admin-regulations",
            Page::Audit => "admin-audit",
            Page::Boundaries => "admin-boundaries",
            Page::Sync => "admin-sync",
        }
    }

    /// Its title.
    pub fn title(self) -> &'static str {
        let t = admin_texts();
        match self {
            Page::Users => t.users_title,
            Page::Targets => t.targets_title,
            Page::Budgets => t.budgets_title,
            Page::Regulations => t.regulations_title,
            Page::Audit => t.audit_title,
            Page::Boundaries => t.boundaries_title,
            Page::Sync => sync_texts().title,
        }
    }

    /// What it is for, in a line.
    pub fn summary(self) -> &'static str {
        let t = admin_texts();
        match self {
            Page::Users => t.users_summary,
            Page::Targets => t.targets_summary,
            Page::Budgets => t.budgets_summary,
            Page::Regulations => t.regulations_summary,
            Page::Audit => t.audit_summary,
            Page::Boundaries => t.boundaries_summary,
            Page::Sync => sync_texts().summary,
        }
    }

    /// The level of area the page works on; `None` for any area in the scope.
    fn level(self) -> Option<&'static [Level]> {
        match self {
            Page::Users | Page::Audit | Page::Targets | Page::Sync => None,
            Page::Budgets | Page::Boundaries => Some(&[Level::Regency]),
            Page::Regulations => Some(&[Level::Regency, Level::Province]),
        }
    }

    /// Whether the role may use the page at all (home lists it); the page then checks the area.
    pub fn open_to(self, role: Role) -> bool {
        match self {
            Page::Users => role.may(Permission::ManageUsers),
            Page::Targets => role.may(Permission::SetTargets),
            Page::Budgets => role.may(Permission::ViewBudgets),
            Page::Regulations => role.may(Permission::ManageRegulations),
            Page::Audit => role.may(Permission::ViewAudit),
            Page::Boundaries => role.may(Permission::UploadBoundaries),
            Page::Sync => role.may(Permission::ViewSync),
        }
    }

    /// Whether `grant` may use the page on `area`.
    pub fn allowed(self, grant: &Grant, area: &AreaCode) -> bool {
        let right_level = self.level().is_none_or(|levels| levels.contains(&area.level()));
        let action = match self {
            Page::Users => Permission::ManageUsers,
            Page::Targets => Permission::SetTargets,
            Page::Budgets => Permission::ViewBudgets,
            Page::Regulations => Permission::ManageRegulations,
            Page::Audit => Permission::ViewAudit,
            Page::Boundaries => Permission::UploadBoundaries,
            Page::Sync => Permission::ViewSync,
        };
        self.open_to(grant.role) && right_level && grant.allows(action, area)
    }
}

/// The area a page works on: `?wilayah=` when it parses, else the official's scope.
pub fn chosen_area(scope: AreaCode) -> Memo<AreaCode> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .read()
            .get("wilayah")
            .and_then(|raw| AreaCode::parse(&raw).ok())
            .unwrap_or_else(|| scope.clone())
    })
}

/// What the shell hands a page on an area: the area chosen and the official's grant.
#[derive(Clone, Copy)]
pub struct AdminArea {
    pub area: Memo<AreaCode>,
    pub grant: StoredValue<Grant>,
}

/// The frame of an administration page on an area: the way home, its title, the area and
/// (for officials above the page's level) the area chooser, then what the page shows while
/// the official may use it on the chosen area, or why not. `setup` runs once, with the area
/// to follow, and returns what the page shows.
pub fn area_page<Body, V>(page: Page, setup: impl FnOnce(AdminArea) -> Body) -> AnyView
where
    Body: Fn() -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let session = super::state::use_session();
    let Some(me) = session.me() else {
        return ().into_any();
    };
    let scope = me.grant.scope.clone();
    let area = chosen_area(scope.clone());
    let grant = StoredValue::new(me.grant);
    let body = setup(AdminArea { area, grant });
    view! {
        <AdminHeading page area scope/>
        {move || {
            if grant.with_value(|g| page.allowed(g, &area.get())) {
                body().into_any()
            } else {
                view! { <Denied page/> }.into_any()
            }
        }}
    }
    .into_any()
}

/// Shown instead of a page the official may not use here.
#[component]
pub fn Denied(page: Page) -> impl IntoView {
    let t = admin_texts();
    view! {
        <section class="card" role="alert" data-testid="not-allowed">
            <h1>{page.title()}</h1>
            <p>{t.not_allowed}</p>
            <p><a href="/kerja/">{t.back_home}</a></p>
        </section>
    }
}

/// Title, area name and, for officials above the page's level, a box to choose the area by code.
#[component]
pub fn AdminHeading(page: Page, area: Memo<AreaCode>, scope: AreaCode) -> impl IntoView {
    let t = admin_texts();
    let name = LocalResource::new(move || {
        let area = area.get();
        async move { api::area_name(&area).await.ok().flatten() }
    });
    let choose = page.level().is_some_and(|levels| !levels.contains(&scope.level()))
        || matches!(scope.level(), Level::Nation | Level::Province);
    let hint = match page.level() {
        Some([Level::Regency]) => t.area_hint_regency,
        Some(_) => t.area_hint_regency_or_province,
        None => t.area_hint_any,
    };
    view! {
        <p class="back"><a href="/kerja/" data-testid="back-home">{t.back_home}</a></p>
        <h1>{page.title()}</h1>
        <p class="admin-area" data-testid="admin-area">
            {move || name.get().flatten().unwrap_or_default()}
            " "
            <span class="code">{move || format!("({})", area.get())}</span>
        </p>
        {choose.then(|| view! { <AreaChooser page area hint/> })}
    }
}

/// A region code typed in opens the page on that area.
#[component]
fn AreaChooser(page: Page, area: Memo<AreaCode>, hint: &'static str) -> impl IntoView {
    let t = admin_texts();
    let navigate = use_navigate();
    let code = RwSignal::new(area.get_untracked().to_string());
    let error = RwSignal::new(false);
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match AreaCode::parse(&code.get_untracked()) {
            Ok(chosen) => {
                error.set(false);
                let href = format!("{}?wilayah={chosen}", page.href());
                navigate(&href, NavigateOptions::default());
            }
            Err(_) => error.set(true),
        }
    };
    view! {
        <form class="card area-chooser" on:submit=open>
            <div class="field">
                <label for="area-code">{t.area_code}</label>
                <p class="hint" id="area-code-hint">{hint}</p>
                <div class="inline-field">
                    <input
                        id="area-code"
                        inputmode="decimal"
                        autocomplete="off"
                        aria-describedby="area-code-hint"
                        data-testid="area-code"
                        bind:value=code
                    />
                    <button type="submit" class="button" data-testid="area-open">{t.open}</button>
                </div>
                {move || error.get().then(|| view! { <p class="field-msg is-error">{error_message(ErrorCode::InvalidRegionCode)}</p> })}
            </div>
        </form>
    }
}

/// The message of `error` when the API put it on `field`.
pub fn field_message(error: Option<&KerjaError>, field: Field) -> Option<String> {
    match error? {
        KerjaError::Api(body) if body.field == Some(field) => Some(api_message(body.code, body.field)),
        _ => None,
    }
}

/// The message of `error` when it is on none of `fields` (shown above the form's button).
pub fn other_message(error: Option<&KerjaError>, fields: &[Field]) -> Option<String> {
    match error? {
        KerjaError::Api(body) if body.field.is_some_and(|f| fields.contains(&f)) => None,
        KerjaError::Api(body) => Some(api_message(body.code, body.field)),
        other => Some(other.to_string()),
    }
}

/// The error code's message, or for a regulation the sentence about its field.
fn api_message(code: ErrorCode, field: Option<Field>) -> String {
    if code == ErrorCode::InvalidRegulation {
        if let Some(problem) = field.and_then(regulation_problem) {
            return regulation_message(problem).to_owned();
        }
    }
    error_message(code).to_owned()
}

/// The problem of a regulation draft named by its field.
fn regulation_problem(field: Field) -> Option<RegulationProblem> {
    [
        RegulationProblem::Kind,
        RegulationProblem::Number,
        RegulationProblem::Date,
        RegulationProblem::Title,
        RegulationProblem::Summary,
        RegulationProblem::Link,
    ]
    .into_iter()
    .find(|p| p.field() == field)
}

/// A regulation problem in the official's language.
pub fn regulation_message(problem: RegulationProblem) -> &'static str {
    match locale() {
        Locale::Id => problem.message_id(),
        Locale::En => problem.message_en(),
    }
}

/// An error made in the app with `code` on `field`, shown like the API's.
pub fn local_error(code: ErrorCode, field: Option<Field>) -> KerjaError {
    let mut envelope = pantau_core::ErrorEnvelope::of(code);
    envelope.error.field = field;
    KerjaError::Api(Box::new(envelope.error))
}

/// A labelled text input of an administration form with its error line: `field`'s message
/// in `error`, tied to the input by `id` (also its test id). `kind` is the input's type.
#[component]
pub fn AdminTextField(
    id: &'static str,
    label: &'static str,
    field: Field,
    value: RwSignal<String>,
    error: RwSignal<Option<KerjaError>>,
    #[prop(default = "text")] kind: &'static str,
) -> impl IntoView {
    let message = Signal::derive(move || error.with(|e| field_message(e.as_ref(), field)));
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type=kind
                autocomplete="off"
                aria-describedby=format!("{id}-msg")
                aria-invalid=move || message.with(Option::is_some).to_string()
                data-testid=id
                bind:value=value
            />
            <FieldMsg id message/>
        </div>
    }
}

/// A field's error line under its input (empty when fine), tied to it by `id`.
#[component]
pub fn FieldMsg(id: &'static str, message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="field-msg is-error" id=format!("{id}-msg") data-testid=format!("error-{id}") role="alert">
            {move || message.get()}
        </p>
    }
}
