//! `/kerja/admin/pengguna`: the accounts in the admin's scope, a form for new ones (only the
//! roles the admin may create; the holder sets the password with the link the form shows),
//! one-time password-reset links, and for each account a change of name, role or scope,
//! disabling, and ending its sessions.

use leptos::prelude::*;
use pantau_core::account::{AccountFields, Grant, NewUser, ResetLink, Role, UserChange, UserSummary};
use pantau_core::display::timestamp_wib;
use pantau_core::{AreaCode, ErrorCode, Field};

use super::{field_message, local_error, other_message, AdminTextField, Denied, FieldMsg, Page};
use crate::i18n::locale;
use crate::kerja::api::{self, KerjaError};
use crate::kerja::i18n::admin_texts;
use crate::kerja::layout::{KerjaLoadError, PressButton};
use crate::kerja::state::use_session;

/// Fields of the form, in order.
const FIELDS: [Field; 4] = [Field::Username, Field::Email, Field::DisplayName, Field::Scope];

/// The users page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let t = admin_texts();
    let session = use_session();
    let Some(me) = session.me() else {
        return ().into_any();
    };
    if !Page::Users.allowed(&me.grant, &me.grant.scope) {
        return view! { <Denied page=Page::Users/> }.into_any();
    }
    let users = LocalResource::new(api::users);
    let grant = StoredValue::new(me.grant.clone());
    let me_id = me.user_id;
    view! {
        <p class="back"><a href="/kerja/" data-testid="back-home">{t.back_home}</a></p>
        <h1>{t.users_title}</h1>
        <p class="intro">{t.users_intro}</p>
        <NewUserForm grant=me.grant.clone() users/>
        <h2>{t.users_list}</h2>
        {move || match users.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(Ok(list)) => {
                view! {
                    <ul class="admin-list" data-testid="user-list">
                        {list
                            .into_iter()
                            .map(|user| {
                                let managed = user.id != me_id && grant.with_value(|g| g.manages(&user.grant));
                                view! { <UserItem user managed grant=grant.get_value() users/> }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }
            Some(Err(error)) => view! { <KerjaLoadError error retry=move || users.refetch()/> }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn NewUserForm(grant: Grant, users: LocalResource<Result<Vec<UserSummary>, KerjaError>>) -> impl IntoView {
    let t = admin_texts();
    let roles: Vec<Role> = Role::ALL.into_iter().filter(|r| grant.role.manages(*r)).collect();
    let first = roles.first().copied();
    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(first.map(Role::as_str).unwrap_or_default().to_owned());
    let scope = RwSignal::new(grant.scope.to_string());
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let created: RwSignal<Option<(String, ResetLink)>> = RwSignal::new(None);
    let scope_name = LocalResource::new(move || {
        let raw = scope.get();
        async move {
            match AreaCode::parse(&raw) {
                Ok(code) => api::area_name(&code).await.ok().flatten(),
                Err(_) => None,
            }
        }
    });
    let send = Action::new_local(move |user: &NewUser| {
        let user = user.clone();
        async move {
            match api::create_user(&user).await {
                Ok(made) => {
                    error.set(None);
                    let text = format!("{}{}{}", t.user_created.0, made.user.username, t.user_created.1);
                    created.set(Some((text, made.link)));
                    for field in [username, email, display_name] {
                        field.set(String::new());
                    }
                    users.refetch();
                }
                Err(e) => {
                    created.set(None);
                    error.set(Some(e));
                }
            }
        }
    });
    let pending = send.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Some(role) = Role::parse(&role.get_untracked()) else {
            error.set(Some(local_error(ErrorCode::InvalidScope, Some(Field::Scope))));
            return;
        };
        let Ok(scope) = AreaCode::parse(&scope.get_untracked()) else {
            error.set(Some(local_error(ErrorCode::InvalidScope, Some(Field::Scope))));
            return;
        };
        // The API's own rule, so the first fault shows before anything is sent.
        let fields = match AccountFields::check(
            &username.get_untracked(),
            &display_name.get_untracked(),
            Some(&email.get_untracked()),
        ) {
            Ok(fields) => fields,
            Err(problems) => {
                let first = problems[0];
                error.set(Some(local_error(first.code, Some(first.field))));
                return;
            }
        };
        send.dispatch_local(NewUser {
            username: fields.username,
            email: fields.email,
            display_name: fields.display_name,
            grant: Grant { role, scope },
        });
    };
    let message = move |field: Field| Signal::derive(move || error.with(|e| field_message(e.as_ref(), field)));
    let invalid = move |field: Field| move || error.with(|e| field_message(e.as_ref(), field).is_some()).to_string();
    let scope_hint = move || match Role::parse(&role.get()) {
        Some(Role::VillageOperator) => t.scope_hint_village,
        Some(Role::DistrictOfficer) => t.scope_hint_district,
        Some(Role::RegencyAdmin) => t.scope_hint_regency,
        Some(Role::BpjsVerifier) => t.scope_hint_bpjs,
        Some(Role::NationalAdmin) | None => t.scope_hint_nation,
    };
    let role_options = role_options(roles, role);
    view! {
        <details class="card admin-form" data-testid="new-user" open=true>
            <summary>{t.new_user}</summary>
            <form on:submit=submit novalidate>
                <p class="hint" data-testid="user-password-note">{t.user_password_note}</p>
                <div class="field">
                    <label for="user-username">{t.username}</label>
                    <p class="hint" id="user-username-hint">{t.username_hint}</p>
                    <input
                        id="user-username"
                        autocomplete="off"
                        autocapitalize="none"
                        spellcheck="false"
                        aria-describedby="user-username-hint user-username-msg"
                        aria-invalid=invalid(Field::Username)
                        data-testid="user-username"
                        bind:value=username
                    />
                    <FieldMsg id="user-username" message=message(Field::Username)/>
                </div>
                <AdminTextField
                    id="user-display-name"
                    label=t.display_name
                    field=Field::DisplayName
                    value=display_name
                    error
                />
                <AdminTextField id="user-email" label=t.email field=Field::Email value=email error kind="email"/>
                <div class="field">
                    <label for="user-role">{t.role}</label>
                    <select id="user-role" data-testid="user-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {role_options}
                    </select>
                </div>
                <div class="field">
                    <label for="user-scope">{t.scope}</label>
                    <p class="hint" id="user-scope-hint">{scope_hint}</p>
                    <input
                        id="user-scope"
                        inputmode="decimal"
                        autocomplete="off"
                        aria-describedby="user-scope-hint user-scope-msg"
                        aria-invalid=invalid(Field::Scope)
                        data-testid="user-scope"
                        bind:value=scope
                    />
                    <p class="resolved" data-testid="user-scope-name">{move || scope_name.get().flatten()}</p>
                    <FieldMsg id="user-scope" message=message(Field::Scope)/>
                </div>
                {move || {
                    error
                        .with(|e| other_message(e.as_ref(), &FIELDS))
                        .map(|m| view! { <p class="notice is-error" role="alert" data-testid="user-error">{m}</p> })
                }}
                {move || {
                    created
                        .get()
                        .map(|(text, made)| {
                            view! {
                                <p class="notice is-success" role="status" data-testid="user-created">{text}</p>
                                <ResetLinkBox made/>
                            }
                        })
                }}
                <button type="submit" class="button big" data-testid="user-submit" disabled=move || pending.get()>
                    {t.create_user}
                </button>
            </form>
        </details>
    }
}

/// The `<option>`s of the roles an admin may give, `role` the chosen one's code.
fn role_options(roles: Vec<Role>, role: RwSignal<String>) -> impl IntoView {
    roles
        .into_iter()
        .map(|r| {
            let code = r.as_str();
            view! { <option value=code prop:selected=move || role.with(|v| v == code)>{r.label(locale())}</option> }
        })
        .collect_view()
}

/// One account; for those the admin manages, a reset link, a change of name, role or area,
/// disabling, and ending its sessions.
#[component]
fn UserItem(
    user: UserSummary,
    managed: bool,
    grant: Grant,
    users: LocalResource<Result<Vec<UserSummary>, KerjaError>>,
) -> impl IntoView {
    let t = admin_texts();
    let id = user.id;
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let done: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let display_name = RwSignal::new(user.display_name.clone());
    let role = RwSignal::new(user.grant.role.as_str().to_owned());
    let scope = RwSignal::new(user.grant.scope.to_string());
    let active = user.active;
    let change = Action::new_local(move |active: &bool| {
        let active = *active;
        async move {
            let (Some(role), Ok(scope)) = (
                Role::parse(&role.get_untracked()),
                AreaCode::parse(&scope.get_untracked()),
            ) else {
                error.set(Some(local_error(ErrorCode::InvalidScope, Some(Field::Scope))));
                return;
            };
            let change = UserChange {
                display_name: display_name.get_untracked(),
                grant: Grant { role, scope },
                active,
            };
            match api::change_user(id, &change).await {
                Ok(_) => {
                    error.set(None);
                    done.set(Some(t.user_changed));
                    users.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let sign_out = Action::new_local(move |_: &()| async move {
        match api::sign_out_user(id).await {
            Ok(()) => {
                error.set(None);
                done.set(Some(t.user_signed_out));
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let roles: Vec<Role> = Role::ALL.into_iter().filter(|r| grant.role.manages(*r)).collect();
    let link: RwSignal<Option<ResetLink>> = RwSignal::new(None);
    let make = Action::new_local(move |_: &()| async move {
        match api::reset_link(id).await {
            Ok(made) => {
                error.set(None);
                link.set(Some(made));
            }
            Err(e) => error.set(Some(e)),
        }
    });
    view! {
        <li data-testid="user-row" data-username=user.username.clone()>
            <p class="admin-item-title">
                <strong data-testid="user-name">{user.display_name.clone()}</strong>
                " "
                <span class="code">{format!("@{}", user.username)}</span>
            </p>
            <p class="hint" data-testid="user-grant">
                {format!("{} · {}", user.grant.role.label(locale()), user.grant.scope)}
                {(!user.active).then(|| format!(" · {}", t.inactive))}
            </p>
            {managed
                .then(|| {
                    view! {
                        <div class="actions">
                            <PressButton
                                class="button secondary small"
                                testid="reset-link-make"
                                pending=make.pending()
                                press=move || {
                                    make.dispatch_local(());
                                }
                            >
                                {t.make_reset_link}
                            </PressButton>
                            <PressButton
                                class="button secondary small"
                                testid="user-sign-out"
                                pending=sign_out.pending()
                                press=move || {
                                    sign_out.dispatch_local(());
                                }
                            >
                                {t.user_sign_out_all}
                            </PressButton>
                            <PressButton
                                class="button secondary small"
                                testid="user-toggle-active"
                                pending=change.pending()
                                press=move || {
                                    change.dispatch_local(!active);
                                }
                            >
                                {if active { t.user_disable } else { t.user_enable }}
                            </PressButton>
                        </div>
                        <details class="user-change" data-testid="user-change">
                            <summary>{t.user_change}</summary>
                            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                                ev.prevent_default();
                                change.dispatch_local(active);
                            } novalidate>
                                <div class="field">
                                    <label for=format!("user-change-name-{id}")>{t.display_name}</label>
                                    <input
                                        id=format!("user-change-name-{id}")
                                        autocomplete="off"
                                        data-testid="user-change-display-name"
                                        bind:value=display_name
                                    />
                                </div>
                                <div class="field">
                                    <label for=format!("user-change-role-{id}")>{t.role}</label>
                                    <select
                                        id=format!("user-change-role-{id}")
                                        data-testid="user-change-role"
                                        on:change=move |ev| role.set(event_target_value(&ev))
                                    >
                                        {role_options(roles, role)}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for=format!("user-change-scope-{id}")>{t.scope}</label>
                                    <input
                                        id=format!("user-change-scope-{id}")
                                        inputmode="decimal"
                                        autocomplete="off"
                                        data-testid="user-change-scope"
                                        bind:value=scope
                                    />
                                </div>
                                <button type="submit" class="button small" data-testid="user-change-save" disabled=move || change.pending().get()>
                                    {t.user_change_save}
                                </button>
                            </form>
                        </details>
                    }
                })}
            {move || error.get().map(|e| view! { <p class="notice is-error" role="alert" data-testid="user-item-error">{e.to_string()}</p> })}
            {move || done.get().map(|m| view! { <p class="notice is-success" role="status" data-testid="user-item-done">{m}</p> })}
            {move || link.get().map(|made| view! { <ResetLinkBox made/> })}
        </li>
    }
}

/// The full link, a copy button and when it stops working.
#[component]
fn ResetLinkBox(made: ResetLink) -> impl IntoView {
    let t = admin_texts();
    let origin = window().location().origin().unwrap_or_default();
    let url = format!("{origin}{}", made.path);
    let copied = RwSignal::new(false);
    let copy = {
        let url = url.clone();
        move |_| {
            let _ = window().navigator().clipboard().write_text(&url);
            copied.set(true);
        }
    };
    view! {
        <div class="notice is-success reset-link" data-testid="reset-link">
            <p><strong>{t.reset_link_title}</strong></p>
            <input readonly class="link-text" aria-label=t.reset_link_title data-testid="reset-link-url" prop:value=url.clone()/>
            <div class="actions">
                <button type="button" class="button small" data-testid="reset-link-copy" on:click=copy>
                    {t.copy}
                </button>
                {move || copied.get().then(|| view! { <span role="status" data-testid="reset-link-copied">{t.copied}</span> })}
            </div>
            <p data-testid="reset-link-expiry">{t.valid_until} " " {timestamp_wib(made.expires_at, locale())}</p>
            <p class="hint">{t.reset_link_note}</p>
        </div>
    }
}
