//! `/kerja/kotak-keluar`: what waits on this phone, each record's state and what to do about
//! a refusal; "download unsent" and loading a file back; the last receipts; and, when the
//! official asked to sign out with records unsent, the warning before anything is removed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use pantau_core::account::Action as Permission;
use pantau_core::display::timestamp_wib;
use pantau_core::{AreaCode, ErrorCode};
use time::OffsetDateTime;

use super::texts::texts;
use super::vault::{self, VaultError, SHORTEST_PASSPHRASE};
use super::{sender, store, use_outbox, KeptKind, Pending, RecordState, Write};
use crate::i18n::locale;
use crate::kerja::form_parts::DuplicateNotice;
use crate::kerja::i18n::{error_message, problem_message};
use crate::kerja::state::{use_session, Notice};

fn when(ms: f64) -> String {
    OffsetDateTime::from_unix_timestamp((ms / 1000.0) as i64)
        .map(|t| timestamp_wib(t, locale()))
        .unwrap_or_default()
}

fn kind_label(write: &Write) -> &'static str {
    let t = texts();
    match KeptKind::of(write) {
        KeptKind::Enrol => t.kind_enrol,
        KeptKind::Update => t.kind_update,
        KeptKind::Renew => t.kind_renew,
        KeptKind::Deactivate => t.kind_deactivate,
    }
}

/// The outbox page.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let t = texts();
    let outbox = use_outbox();
    let query = use_query_map();
    let leaving = move || query.with(|q| q.get("keluar").is_some());
    let count = move || outbox.count().unwrap_or(0);
    view! {
        <h1>{t.title}</h1>
        <p class="intro">{t.intro}</p>
        <Show when=leaving>
            <SignOutWarning/>
        </Show>
        <section class="card outbox-summary">
            {move || {
                let n = count();
                if n == 0 {
                    view! { <p data-testid="outbox-all-sent">{t.all_sent}</p> }.into_any()
                } else {
                    view! {
                        <p class="notice is-warning" data-testid="outbox-on-device">
                            <strong>{format!("{}{n}", t.only_here.0)}</strong>
                            {t.only_here.1}
                        </p>
                    }
                    .into_any()
                }
            }}
            {move || {
                outbox
                    .persisted
                    .get()
                    .map(|kept| view! { <p class="hint">{if kept { t.persisted } else { t.not_persisted }}</p> })
            }}
            <Show when=move || { count() > 0 }>
                <button type="button" class="button" data-testid="outbox-send-now" on:click=|_| sender::kick()>
                    {t.send_now}
                </button>
            </Show>
        </section>
        <ol class="outbox-list" data-testid="outbox-list">
            <For
                each=move || outbox.records.get().unwrap_or_default()
                key=|record| (record.id.clone(), format!("{:?}", record.state), record.attempts)
                children=|record| view! { <RecordItem record/> }
            />
        </ol>
        <Vault/>
        <Receipts/>
    }
}

#[component]
fn RecordItem(record: Pending) -> impl IntoView {
    let t = texts();
    let session = use_session();
    let outbox = use_outbox();
    let navigate = use_navigate();
    let (state, state_class) = match &record.state {
        RecordState::Waiting => (t.waiting, "waiting"),
        RecordState::Sending => (t.sending, "sending"),
        RecordState::Refused { .. } => (t.refused, "refused"),
    };
    let title = match record.write.name() {
        Some(name) if !name.trim().is_empty() => format!("{} · {name}", kind_label(&record.write)),
        _ => match record.write.record() {
            Some(id) => format!("{} · #{id}", kind_label(&record.write)),
            None => kind_label(&record.write).to_owned(),
        },
    };
    let id = record.id.clone();
    let remove = move |_| {
        let confirmed = window().confirm_with_message(t.remove_confirm).unwrap_or(false);
        if confirmed {
            let id = id.clone();
            spawn_local(async move {
                let _ = store::remove(&id).await;
                sender::kick();
            });
        }
    };
    let refusal = record.refusal().cloned();
    let fix = {
        let record = record.clone();
        move |_| {
            if let Write::Enrol { draft } = &record.write {
                session.draft.fill(draft);
                outbox.fixing.set(Some(record.id.clone()));
                navigate(
                    "/kerja/daftar-baru",
                    NavigateOptions {
                        resolve: false,
                        ..Default::default()
                    },
                );
            }
        }
    };
    let detail = refusal.clone().map(|error| {
        let duplicate = error
            .duplicate
            .clone()
            .filter(|_| error.code == ErrorCode::DuplicateNik);
        let problems: Vec<String> = error
            .problems
            .iter()
            .map(|p| problem_message(p.problem).to_owned())
            .collect();
        let draft = match &record.write {
            Write::Enrol { draft } | Write::Update { draft, .. } => Some(draft.clone()),
            _ => None,
        };
        match (duplicate, draft) {
            (Some(duplicate), Some(draft)) => {
                let may_open = session.may(Permission::ViewWorkers, &AreaCode::Region(duplicate.village.clone()));
                view! { <DuplicateNotice duplicate may_open nik=draft.nik village=draft.village/> }.into_any()
            }
            _ => view! {
                <div class="notice is-error" data-testid="outbox-refusal">
                    <p>{error_message(error.code)}</p>
                    <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any(),
        }
    });
    // A duplicate NIK is often a mistyped one: it can be fixed like any refusal.
    let may_fix = matches!(record.write, Write::Enrol { .. }) && refusal.is_some();
    let existing = record.write.record();
    view! {
        <li class=format!("card outbox-item is-{state_class}") data-testid="outbox-item" data-state=state_class>
            <div class="outbox-head">
                <strong>{title}</strong>
                <span class=format!("badge is-{state_class}") data-testid="outbox-state">{state}</span>
            </div>
            <p class="hint">
                {format!("{} {}", t.stored_at, when(record.created))}
                {(record.attempts > 0).then(|| format!(" · {}{}{}", t.attempts.0, record.attempts, t.attempts.1))}
            </p>
            {detail}
            <div class="form-actions">
                <Show when=move || may_fix>
                    <button type="button" class="button" data-testid="outbox-fix" on:click=fix.clone()>{t.fix}</button>
                </Show>
                {existing.map(|id| view! { <a class="button secondary" href=format!("/kerja/pekerja/{id}")>{t.open_record}</a> })}
                <Show when=move || refusal.is_some()>
                    <button type="button" class="button secondary" data-testid="outbox-remove" on:click=remove.clone()>{t.remove}</button>
                </Show>
            </div>
        </li>
    }
}

/// "Download unsent" and loading a file back.
#[component]
fn Vault() -> impl IntoView {
    let t = texts();
    let outbox = use_outbox();
    let session = use_session();
    let passphrase = RwSignal::new(String::new());
    let message: RwSignal<Option<(bool, String)>> = RwSignal::new(None);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let vault_message = |error: VaultError| match error {
        VaultError::NotOurs => texts().not_ours,
        VaultError::WrongPassphrase => texts().wrong_passphrase,
        VaultError::Unavailable => texts().crypto_unavailable,
    };
    let long_enough = move || passphrase.with(|p| p.chars().count() >= SHORTEST_PASSPHRASE);
    let download = move |_| {
        if !long_enough() {
            message.set(Some((false, t.passphrase_short.to_owned())));
            return;
        }
        let records = outbox.records.get_untracked().unwrap_or_default();
        if records.is_empty() {
            message.set(Some((false, t.nothing_to_download.to_owned())));
            return;
        }
        let secret = passphrase.get_untracked();
        spawn_local(async move {
            match vault::seal(&records, &secret).await {
                Ok(text) => {
                    let day = js_sys::Date::new_0();
                    let name = format!(
                        "pantau-kotak-keluar-{:04}{:02}{:02}.json",
                        day.get_full_year(),
                        day.get_month() + 1,
                        day.get_date()
                    );
                    vault::download(&name, &text);
                    message.set(Some((true, t.downloaded.to_owned())));
                }
                Err(error) => message.set(Some((false, vault_message(error).to_owned()))),
            }
        });
    };
    let load = move |_| {
        if !long_enough() {
            message.set(Some((false, t.passphrase_short.to_owned())));
            return;
        }
        let Some(me) = session.me() else { return };
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            message.set(Some((false, t.not_ours.to_owned())));
            return;
        };
        let secret = passphrase.get_untracked();
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            let Some(text) = text else {
                message.set(Some((false, t.not_ours.to_owned())));
                return;
            };
            match vault::open(&text, &secret).await {
                Ok(records) => {
                    // Loaded records belong to whoever loads them, waiting again.
                    let records: Vec<Pending> = records
                        .into_iter()
                        .map(|mut r| {
                            r.user = me.user_id;
                            if r.state == RecordState::Sending {
                                r.state = RecordState::Waiting;
                            }
                            r
                        })
                        .collect();
                    match store::add_missing(&records).await {
                        Ok(added) => {
                            message.set(Some((true, format!("{}{added}{}", t.imported.0, t.imported.1))));
                            sender::kick();
                            sender::refresh(me.user_id, outbox).await;
                        }
                        Err(_) => message.set(Some((false, crate::kerja::i18n::texts().storage_failed.to_owned()))),
                    }
                }
                Err(error) => message.set(Some((false, vault_message(error).to_owned()))),
            }
        });
    };
    view! {
        <section class="card outbox-vault">
            <h2>{t.vault_title}</h2>
            <p class="hint">{t.vault_intro}</p>
            <div class="field">
                <label for="vault-passphrase">{t.passphrase}</label>
                <input
                    id="vault-passphrase"
                    type="password"
                    autocomplete="new-password"
                    data-testid="vault-passphrase"
                    aria-describedby="vault-passphrase-hint"
                    bind:value=passphrase
                />
                <p class="hint" id="vault-passphrase-hint">{t.passphrase_hint}</p>
            </div>
            <button type="button" class="button" data-testid="vault-download" on:click=download>{t.download}</button>
            <h3>{t.import_title}</h3>
            <div class="field">
                <label for="vault-file">{t.import_file}</label>
                <input id="vault-file" type="file" accept=".json,application/json" data-testid="vault-file" node_ref=file_input/>
            </div>
            <button type="button" class="button secondary" data-testid="vault-import" on:click=load>{t.import_button}</button>
            {move || {
                message
                    .get()
                    .map(|(ok, text)| {
                        let class = if ok { "notice is-success" } else { "notice is-error" };
                        view! { <p class=class role="status" data-testid="vault-message">{text}</p> }
                    })
            }}
        </section>
    }
}

#[component]
fn Receipts() -> impl IntoView {
    let t = texts();
    let outbox = use_outbox();
    view! {
        <section class="card outbox-receipts">
            <h2>{t.receipts_title}</h2>
            <p class="hint">{t.receipts_intro}</p>
            {move || {
                let kept = outbox.receipts.get();
                if kept.is_empty() {
                    return view! { <p data-testid="no-receipts">{t.no_receipts}</p> }.into_any();
                }
                view! {
                    <ol class="receipts" data-testid="receipts">
                        {kept
                            .into_iter()
                            .take(20)
                            .map(|k| {
                                let what = match k.what {
                                    KeptKind::Enrol => t.kind_enrol,
                                    KeptKind::Update => t.kind_update,
                                    KeptKind::Renew => t.kind_renew,
                                    KeptKind::Deactivate => t.kind_deactivate,
                                };
                                let at = time::OffsetDateTime::parse(&k.received_at, &time::format_description::well_known::Rfc3339)
                                    .map(|at| timestamp_wib(at, locale()))
                                    .unwrap_or(k.received_at.clone());
                                view! {
                                    <li data-testid="receipt">
                                        {format!("{what} {}{}{}{at}", t.receipt_line.0, k.server_id, t.receipt_line.1)}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                .into_any()
            }}
        </section>
    }
}

/// Shown when the official asked to sign out with records unsent.
#[component]
fn SignOutWarning() -> impl IntoView {
    let t = texts();
    let outbox = use_outbox();
    let session = use_session();
    let navigate = use_navigate();
    let leave = move |_| {
        spawn_local(async move {
            sign_out_and_forget(session, outbox).await;
        });
    };
    let stay = move |_| {
        navigate(
            "/kerja/kotak-keluar",
            NavigateOptions {
                resolve: false,
                ..Default::default()
            },
        )
    };
    view! {
        <section class="notice is-error outbox-leave" role="alert" data-testid="sign-out-warning">
            <strong>{t.sign_out_title}</strong>
            <p>{move || format!("{}{}{}", t.sign_out_text.0, outbox.count().unwrap_or(0), t.sign_out_text.1)}</p>
            <div class="form-actions">
                <button type="button" class="button secondary" on:click=stay>{t.sign_out_cancel}</button>
                <button type="button" class="button danger" data-testid="sign-out-anyway" on:click=leave>{t.sign_out_anyway}</button>
            </div>
        </section>
    }
}

/// Signs out and removes the account's records and receipts from this device.
pub async fn sign_out_and_forget(session: crate::kerja::state::Session, outbox: super::Outbox) {
    if let Some(me) = session.me() {
        let _ = store::forget(me.user_id).await;
    }
    outbox.records.set(Some(Vec::new()));
    outbox.receipts.set(Vec::new());
    let _ = crate::kerja::api::sign_out().await;
    session.end(Notice::SignedOut);
    // A fresh page, so nothing of this account (its outbox listeners, its lock) stays in
    // memory for the next; the sign-in there says the official signed out.
    crate::kerja::state::mark_signed_out();
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href("/kerja/");
    }
}
