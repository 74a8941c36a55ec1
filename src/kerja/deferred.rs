//! The workspace pages that leave its first download: everything but the header and sign-in. The release build (feature `split`) puts each function here into a wasm module of
//! its own, fetched the first time the page opens, so a village operator's first load carries
//! no administration pages and no form code until it is used. See `crate::deferred`.

use leptos::prelude::*;

use super::admin::audit::AuditPage;
use super::admin::boundaries::BoundariesPage;
use super::admin::budgets::BudgetsPage;
use super::admin::regulations::RegulationsPage;
use super::admin::sync::SyncPage;
use super::admin::targets::TargetsPage;
use super::admin::users::UsersPage;
use super::admin::Page;
use super::detail::DetailPage;
use super::enrol::{EditPage, EnrolPage};
use super::home::Home;
use super::list::ListPage;
use super::outbox::page::{sign_out_and_forget, OutboxPage};
use super::outbox::{sender, Outbox};
use super::reset::ResetPasswordPage;
use super::state::Session;

/// An administration page: regency and national admins only (district officers: sync), so
/// one module for all seven.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn admin_page(page: Page) -> AnyView {
    match page {
        Page::Users => view! { <UsersPage/> }.into_any(),
        Page::Targets => view! { <TargetsPage/> }.into_any(),
        Page::Budgets => view! { <BudgetsPage/> }.into_any(),
        Page::Regulations => view! { <RegulationsPage/> }.into_any(),
        Page::Audit => view! { <AuditPage/> }.into_any(),
        Page::Boundaries => view! { <BoundariesPage/> }.into_any(),
        Page::Sync => view! { <SyncPage/> }.into_any(),
    }
}

/// Home: the official's area and its work. Fetched while the sign-in is typed (see
/// `prefetch`), so it is there when the session starts.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn home_page() -> AnyView {
    view! { <Home/> }.into_any()
}

/// Setting a password with a reset link: opened once per account.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn reset_page() -> AnyView {
    view! { <ResetPasswordPage/> }.into_any()
}

/// The enrolment form, new (`edit` false) or for a record's correction.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn form_page(edit: bool) -> AnyView {
    if edit {
        view! { <EditPage/> }.into_any()
    } else {
        view! { <EnrolPage/> }.into_any()
    }
}

/// Bulk import from a spreadsheet: opened by the officials who import, seldom.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn import_page() -> AnyView {
    view! { <super::import::ImportPage/> }.into_any()
}

/// The worker list with its filters.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn list_page() -> AnyView {
    view! { <ListPage/> }.into_any()
}

/// One worker's record with its actions.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn detail_page() -> AnyView {
    view! { <DetailPage/> }.into_any()
}

/// `/kerja/kotak-keluar`.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn outbox_page() -> AnyView {
    view! { <OutboxPage/> }.into_any()
}

/// Starts the outbox of the signed-in official (its IndexedDB code and sender arrive here,
/// after the first paint), and keeps the scope's names for the form offline.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn start_outbox(user: i64, outbox: Outbox, session: Session) {
    sender::start(user, outbox, session);
    if let Some(me) = session.me().filter(|_| session.online.get_untracked()) {
        super::api::keep_scope_offline(&me.grant.scope).await;
    }
}

/// Waits for the server to confirm the device's last session (the app opened offline).
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn confirm_session(session: Session) {
    sender::confirm_session(session).await;
}

/// Signs out and removes the official's records and receipts from this device.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn sign_out_here(session: Session, outbox: Outbox) {
    sign_out_and_forget(session, outbox).await;
}

/// Fetches home's code in the background while the sign-in page shows, so the first page
/// after signing in appears at once.
pub fn prefetch_home() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(__preload_home_page());
}
