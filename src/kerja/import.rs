//! `/kerja/impor`: bulk import from a spreadsheet. The official downloads the template,
//! chooses a filled file, sees the dry run (every problem by row and column, as on the form),
//! then stores the valid rows, and can undo an import while none of its records moved on.
//! The file is sent as it is; the server reads CSV and XLSX with the same checks as the form.

use leptos::html::Input;
use leptos::prelude::*;
use pantau_core::display::count;
use pantau_core::import::{ImportBatch, ImportReport, RowProblem};
use pantau_core::{AreaCode, Severity};
use wasm_bindgen::JsValue;

use super::api::{self, KerjaError};
use super::i18n::pick;
use super::outbox::vault;
use super::state::use_session;
use crate::i18n::{locale, Locale};

/// Problems listed on the page; the errors file has them all.
const PROBLEMS_SHOWN: usize = 200;

/// The chosen file (a `File`), its media type and size.
#[derive(Clone)]
struct Chosen {
    file: JsValue,
    content_type: String,
    bytes: f64,
}

fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<Chosen> {
    let file = input.files()?.get(0)?;
    let content_type = match file.type_() {
        t if t.is_empty() || t == "application/vnd.ms-excel" => "text/csv".to_owned(),
        t => t,
    };
    Some(Chosen {
        bytes: file.size(),
        content_type,
        file: file.into(),
    })
}

/// A problem's sentence in the current language: the server's Bahasa Indonesia one (which
/// may name a row or a village), or the problem's English text.
fn problem_text(problem: &RowProblem) -> String {
    match locale() {
        Locale::Id => problem.message.clone(),
        Locale::En => problem.problem.message_en().to_owned(),
    }
}

fn size_text(bytes: f64) -> String {
    if bytes >= 1_048_576.0 {
        format!("{:.1} MB", bytes / 1_048_576.0)
    } else {
        format!("{} KB", (bytes / 1024.0).ceil())
    }
}

/// The import page.
#[component]
pub fn ImportPage() -> impl IntoView {
    let session = use_session();
    let Some(me) = session.me() else {
        return ().into_any();
    };
    let area: AreaCode = me.grant.scope.clone();
    let area = StoredValue::new(area);
    let input: NodeRef<Input> = NodeRef::new();
    let chosen: RwSignal<Option<Chosen>> = RwSignal::new(None);
    let checked: RwSignal<Option<ImportReport>> = RwSignal::new(None);
    let committed: RwSignal<Option<ImportReport>> = RwSignal::new(None);
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let batches = LocalResource::new(move || async move { api::import_batches(&area.get_value()).await });

    let on_change = move |_| {
        checked.set(None);
        committed.set(None);
        error.set(None);
        chosen.set(input.get_untracked().and_then(|i| chosen_file(&i)));
    };
    let send = Action::new_local(move |query: &&'static str| {
        let query = *query;
        async move {
            let Some(file) = chosen.get_untracked() else { return };
            error.set(None);
            match api::import_file(&area.get_value(), query, &file.file, &file.content_type).await {
                Ok(report) if query.starts_with("mode=commit") => {
                    committed.set(Some(report));
                    checked.set(None);
                    batches.refetch();
                }
                Ok(report) => checked.set(Some(report)),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let errors_file = Action::new_local(move |_: &()| async move {
        let Some(file) = chosen.get_untracked() else { return };
        match api::import_errors_file(&area.get_value(), &file.file, &file.content_type).await {
            Ok(text) => vault::download_as("pantau-impor-masalah.csv", "text/csv", &text),
            Err(e) => error.set(Some(e)),
        }
    });
    let undo = Action::new_local(move |batch: &String| {
        let batch = batch.clone();
        async move {
            match api::undo_import(&batch).await {
                Ok(_) => {
                    committed.set(None);
                    batches.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let busy = move || send.pending().get() || errors_file.pending().get();

    view! {
        <h1>{pick("Impor data pekerja", "Import workers")}</h1>
        <section class="card import-steps">
            <p class="intro">
                {pick(
                    "Isi templat dengan satu baris per pekerja, unggah, periksa hasil uji, lalu simpan baris yang benar. Data yang diimpor menunggu verifikasi BPJS seperti data dari formulir.",
                    "Fill in the template, one row per worker, upload it, check the trial run, then store the valid rows. Imported records await BPJS verification like those from the form.",
                )}
            </p>
            <p class="template-links">
                <a class="button secondary" href="/api/v1/imports/template.xlsx" download data-testid="template-xlsx">
                    {pick("Unduh templat Excel (.xlsx)", "Download Excel template (.xlsx)")}
                </a>
                " "
                <a class="button secondary" href="/api/v1/imports/template.csv" download data-testid="template-csv">
                    {pick("Templat CSV", "CSV template")}
                </a>
            </p>
            <div class="field">
                <label for="import-file">{pick("Berkas CSV atau Excel (paling banyak 100.000 baris)", "CSV or Excel file (at most 100,000 rows)")}</label>
                <input
                    id="import-file"
                    type="file"
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    data-testid="import-file"
                    node_ref=input
                    on:change=on_change
                />
            </div>
            <button
                type="button"
                class="button big"
                data-testid="import-check"
                disabled=move || chosen.with(Option::is_none) || busy()
                on:click=move |_| {
                    send.dispatch_local("mode=dry_run");
                }
            >
                {pick("Periksa berkas (uji coba)", "Check the file (trial run)")}
            </button>
            <Show when=busy>
                <div class="import-progress" role="status" data-testid="import-progress">
                    <progress></progress>
                    <p>
                        {move || {
                            let size = chosen.with(|c| c.as_ref().map(|c| size_text(c.bytes))).unwrap_or_default();
                            format!("{} ({size})…", pick("Mengunggah dan memeriksa berkas", "Uploading and checking the file"))
                        }}
                    </p>
                </div>
            </Show>
        </section>
        {move || error.get().map(|e| {
            let details = match &e {
                KerjaError::Api(body) => body.details.clone(),
                _ => Vec::new(),
            };
            view! {
                <div class="notice is-error" role="alert" data-testid="import-error">
                    <p>{e.to_string()}</p>
                    <ul class="details">{details.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                </div>
            }
        })}
        {move || checked.get().map(|report| view! {
            <Preview report send errors_file busy/>
        })}
        {move || committed.get().map(|report| {
            let batch = report.batch_id.clone();
            view! {
                <section class="card notice is-success" role="status" data-testid="import-done">
                    <p>
                        <strong>{format!("{} {}", count(u64::from(report.created), locale()), pick("data tersimpan", "records stored"))}</strong>
                        {format!(
                            " · {} {} · {} {}",
                            count(u64::from(report.unchanged), locale()),
                            pick("sudah ada sebelumnya", "already stored"),
                            count(u64::from(report.invalid), locale()),
                            pick("baris tidak disimpan", "rows not stored"),
                        )}
                    </p>
                    {batch.map(|batch| view! {
                        <button type="button" class="button secondary" data-testid="import-undo"
                            disabled=move || undo.pending().get()
                            on:click=move |_| { undo.dispatch_local(batch.clone()); }>
                            {pick("Batalkan impor ini", "Undo this import")}
                        </button>
                    })}
                </section>
            }
        })}
        <h2>{pick("Impor terakhir", "Recent imports")}</h2>
        {move || match batches.get() {
            None => view! { <p class="loading">{pick("Memuat…", "Loading…")}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p class="hint">{pick("Belum ada impor.", "No imports yet.")}</p> }.into_any(),
            Some(Ok(list)) => view! { <BatchList list undo/> }.into_any(),
            Some(Err(e)) => view! { <p class="notice is-error">{e.to_string()}</p> }.into_any(),
        }}
    }
    .into_any()
}

/// The dry run: counts, the problems by row, the errors file and "store the valid rows".
#[component]
fn Preview(
    report: ImportReport,
    send: Action<&'static str, ()>,
    errors_file: Action<(), ()>,
    busy: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let to_store = report.valid.saturating_sub(report.unchanged);
    let shown: Vec<RowProblem> = report.problems.iter().take(PROBLEMS_SHOWN).cloned().collect();
    let more = report.problems.len().saturating_sub(PROBLEMS_SHOWN);
    let n = |v: u32| count(u64::from(v), locale());
    view! {
        <section class="card import-preview" data-testid="import-preview">
            <h2>{pick("Hasil uji coba", "Trial run")}</h2>
            <ul class="import-counts" data-testid="import-summary">
                <li><strong data-testid="import-rows">{n(report.rows)}</strong> {pick(" baris dibaca", " rows read")}</li>
                <li class="ok"><strong data-testid="import-valid">{n(to_store)}</strong> {pick(" siap disimpan", " ready to store")}</li>
                <li class="bad"><strong data-testid="import-invalid">{n(report.invalid)}</strong> {pick(" bermasalah", " with problems")}</li>
                {(report.unchanged > 0).then(|| view! {
                    <li><strong>{n(report.unchanged)}</strong> {pick(" sudah tersimpan, tidak berubah", " already stored, unchanged")}</li>
                })}
            </ul>
            {(!shown.is_empty()).then(|| view! {
                <ol class="import-problems" data-testid="import-problems">
                    {shown.into_iter().map(|p| {
                        let class = if p.severity == Severity::Error { "problem is-error" } else { "problem is-warning" };
                        view! {
                            <li class=class data-testid="import-problem" data-row=p.row>
                                <span class="where">{format!("{} {} · {}", pick("Baris", "Row"), p.row, p.column)}</span>
                                <span class="what">{problem_text(&p)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            })}
            {(more > 0).then(|| view! {
                <p class="hint">{format!("{} {more} {}", pick("dan", "and"), pick("masalah lain di berkas masalah.", "more problems in the errors file."))}</p>
            })}
            <div class="import-actions">
                {(report.invalid > 0).then(|| view! {
                    <button type="button" class="button secondary" data-testid="import-errors-file"
                        disabled=busy on:click=move |_| { errors_file.dispatch_local(()); }>
                        {pick("Unduh berkas masalah (CSV)", "Download the errors file (CSV)")}
                    </button>
                })}
                {(to_store > 0).then(|| view! {
                    <button type="button" class="button big" data-testid="import-commit"
                        disabled=busy on:click=move |_| { send.dispatch_local("mode=commit&only_valid=true"); }>
                        {format!("{} {} {}", pick("Simpan", "Store"), count(u64::from(to_store), locale()), pick("baris yang benar", "valid rows"))}
                    </button>
                })}
            </div>
        </section>
    }
}

/// Recent imports, each undoable while it stands.
#[component]
fn BatchList(list: Vec<ImportBatch>, undo: Action<String, ()>) -> impl IntoView {
    view! {
        <ul class="import-batches" data-testid="import-batches">
            {list.into_iter().map(|b| {
                let id = b.batch_id.clone();
                let when = b.imported_at.get(..16).unwrap_or(&b.imported_at).replace('T', " ");
                view! {
                    <li>
                        <span>{format!("{when} · {} · {} {}", b.imported_by, count(u64::from(b.created), locale()), pick("data", "records"))}</span>
                        {match b.undone_at {
                            Some(_) => view! { <span class="hint">{pick(" · dibatalkan", " · undone")}</span> }.into_any(),
                            None => view! {
                                <button type="button" class="link-button" disabled=move || undo.pending().get()
                                    on:click=move |_| { undo.dispatch_local(id.clone()); }>
                                    {pick("Batalkan", "Undo")}
                                </button>
                            }.into_any(),
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
