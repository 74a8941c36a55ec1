//! Home: who and where the official is, the work waiting in their area, and the way in.

use leptos::prelude::*;
use leptos_router::components::A;
use pantau_core::account::Action as Permission;
use pantau_core::display::count;
use pantau_core::workers::Workload;

use super::admin::Page;
use super::api;
use super::conflicts::ConflictList;
use super::i18n::{admin_texts, texts};
use super::layout::{KerjaLoadError, PressButton};
use super::state::{use_session, Notice};
use crate::i18n::locale;

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    let t = texts();
    let session = use_session();
    let Some(me) = session.me() else {
        return ().into_any();
    };
    let scope = me.grant.scope.clone();
    let may_enrol = me.grant.allows(Permission::Enrol, &scope);
    let area = StoredValue::new(scope.clone());
    let workload = LocalResource::new(move || {
        let scope = scope.clone();
        async move { api::workload(&scope).await }
    });
    let everywhere = Action::new_local(move |_: &()| async move {
        let _ = api::sign_out_everywhere().await;
        session.end(Notice::SignedOut);
    });
    view! {
        <section class="card who" data-testid="who">
            <p class="hello">{t.hello} <strong data-testid="me-name">{me.display_name.clone()}</strong></p>
            <p>
                <span data-testid="me-role">{me.grant.role.label(locale())}</span>
                " · "
                <span data-testid="me-scope">{me.scope_name.clone()}</span>
            </p>
        </section>
        <div class="big-actions">
            {may_enrol
                .then(|| {
                    view! {
                        <A href="/kerja/daftar-baru" attr:class="button big" attr:data-testid="go-enrol">
                            {t.nav_enrol}
                        </A>
                        <A href="/kerja/impor" attr:class="button big secondary" attr:data-testid="go-import">
                            {super::i18n::pick("Impor dari Excel", "Import from Excel")}
                        </A>
                    }
                })}
            <A href="/kerja/pekerja" attr:class="button big secondary" attr:data-testid="go-list">
                {t.nav_list}
            </A>
        </div>
        // Above the workload: its list arrives later and would push the links down under a
        // finger about to tap one.
        <AdminLinks role=me.grant.role/>
        <h2>{t.workload_title}</h2>
        {move || match workload.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(Ok(counts)) => {
                view! {
                    <WorkloadLinks counts/>
                    {(counts.conflicts > 0).then(|| view! { <ConflictList area=area.get_value()/> })}
                }
                    .into_any()
            }
            Some(Err(error)) => view! { <KerjaLoadError error retry=move || workload.refetch()/> }.into_any(),
        }}
        <section class="card everywhere">
            <p class="hint">{t.sign_out_everywhere_note}</p>
            <PressButton
                class="button secondary"
                testid="sign-out-everywhere"
                pending=everywhere.pending()
                press=move || {
                    everywhere.dispatch_local(());
                }
            >
                {t.sign_out_everywhere}
            </PressButton>
        </section>
    }
    .into_any()
}

/// Each count links to the list filtered on it.
#[component]
fn WorkloadLinks(counts: Workload) -> impl IntoView {
    let t = texts();
    let lang = locale();
    let items = [
        ("submitted", "status=submitted", t.wl_submitted, counts.submitted),
        ("verified", "status=verified", t.wl_verified, counts.verified),
        ("rejected", "status=rejected", t.wl_rejected, counts.rejected),
        ("lapsing", "masa=lapsing", t.wl_lapsing, counts.lapsing),
        ("lapsed", "masa=lapsed", t.wl_lapsed, counts.lapsed),
    ];
    // Reports from other villages are listed below on this page.
    let conflicts = (counts.conflicts > 0).then(|| {
        view! {
            <li>
                <a href="#laporan-konflik" rel="external" class="wl wl-conflicts" data-testid="wl-conflicts">
                    <span class="wl-count" data-testid="wl-conflicts-count">{count(counts.conflicts, lang)}</span>
                    <span class="wl-label">{t.wl_conflicts}</span>
                </a>
            </li>
        }
    });
    view! {
        <ul class="workload" data-testid="workload">
            {items
                .into_iter()
                .map(|(key, query, label, n)| {
                    view! {
                        <li>
                            <a
                                href=format!("/kerja/pekerja?{query}")
                                class=format!("wl wl-{key}")
                                data-testid=format!("wl-{key}")
                            >
                                <span class="wl-count" data-testid=format!("wl-{key}-count")>{count(n, lang)}</span>
                                <span class="wl-label">{label}</span>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
            {conflicts}
        </ul>
    }
}

/// The administration pages the role may use, if any.
#[component]
fn AdminLinks(role: pantau_core::account::Role) -> impl IntoView {
    let pages: Vec<Page> = Page::ALL.into_iter().filter(|p| p.open_to(role)).collect();
    (!pages.is_empty()).then(|| {
        view! {
            <section class="admin-links" data-testid="admin-links">
                <h2>{admin_texts().admin_title}</h2>
                <ul>
                    {pages
                        .into_iter()
                        .map(|page| {
                            view! {
                                <li>
                                    <a href=page.href() class="admin-link" data-testid=page.testid()>
                                        <strong>{page.title()}</strong>
                                        <span>{page.summary()}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}
