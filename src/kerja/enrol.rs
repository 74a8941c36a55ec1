//! `/kerja/daftar-baru` (new worker) and `/kerja/pekerja/{id}/ubah` (edit, or correct and
//! resubmit a rejected record): the same form.

use leptos::prelude::*;
use pantau_core::account::Action as Permission;
use pantau_core::AreaCode;

use super::api;
use super::detail::{id_param, not_found};
use super::form::{draft_of, EnrolmentForm, FormFields, FormMode};
use super::i18n::texts;
use super::layout::KerjaLoadError;
use super::state::use_session;

/// A new enrolment. The form's values live in the session, so they survive a look at another
/// page, a language switch or an expired session.
#[component]
pub fn EnrolPage() -> impl IntoView {
    let t = texts();
    let session = use_session();
    view! {
        <h1>{t.form_title_new}</h1>
        <EnrolmentForm fields=session.draft mode=FormMode::New/>
    }
}

/// Editing a stored record, prefilled. Roles that may see the full NIK get it filled in (the
/// server records the view); others type it from the ID card, and the server checks it is the
/// stored one.
#[component]
pub fn EditPage() -> impl IntoView {
    let t = texts();
    let session = use_session();
    let id = id_param();
    let loaded = LocalResource::new(move || {
        let id = id.get();
        let me = session.me();
        async move {
            let id = id.ok_or_else(not_found)?;
            let detail = api::worker(id).await?;
            let village = AreaCode::Region(detail.row.village.clone());
            let may_see_nik = me.is_some_and(|me| me.grant.allows(Permission::ViewFullNik, &village));
            let nik = if may_see_nik {
                api::full_nik(id).await?.nik
            } else {
                String::new()
            };
            Ok((id, detail, nik))
        }
    });
    view! {
        <h1>{t.form_title_edit}</h1>
        {move || match loaded.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(Ok((id, detail, nik))) => {
                let fields = FormFields::new();
                let nik_readonly = !nik.is_empty();
                fields.fill(&draft_of(&detail, nik));
                view! { <EnrolmentForm fields mode=FormMode::Edit { id } nik_readonly/> }.into_any()
            }
            Some(Err(error)) => view! { <KerjaLoadError error retry=move || loaded.refetch()/> }.into_any(),
        }}
    }
}
