//! `/kerja/admin/audit`: the latest changes and full-NIK views inside an area, newest first,
//! with who did what and what changed (the server masks NIKs before anything reaches here).

use leptos::prelude::*;
use pantau_core::display::{rupiah, timestamp_wib};
use pantau_core::workers::AuditEntry;
use pantau_core::FundingSource;
use serde_json::Value;

use super::{area_page, AdminArea, Page};
use crate::i18n::locale;
use crate::kerja::api;
use crate::kerja::i18n::{admin_texts, audit_action_name};
use crate::kerja::layout::KerjaLoadError;

/// Longest value shown in a change line; longer texts are cut with `…`.
const VALUE_CHARS: usize = 60;

/// The audit page.
#[component]
pub fn AuditPage() -> impl IntoView {
    area_page(Page::Audit, |AdminArea { area, .. }| {
        let log = LocalResource::new(move || {
            let area = area.get();
            async move { api::audit(&area).await }
        });
        move || {
            let t = admin_texts();
            match log.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Ok(entries)) if entries.is_empty() => {
                    view! { <p class="card" data-testid="audit-empty">{t.audit_empty}</p> }.into_any()
                }
                Some(Ok(mut entries)) => {
                    entries.sort_by_key(|e| std::cmp::Reverse(e.at));
                    view! {
                        <p class="hint">{t.audit_note}</p>
                        <ol class="admin-list audit" data-testid="audit-list">
                            {entries.into_iter().map(|entry| view! { <AuditItem entry/> }).collect_view()}
                        </ol>
                    }
                    .into_any()
                }
                Some(Err(error)) => view! { <KerjaLoadError error retry=move || log.refetch()/> }.into_any(),
            }
        }
    })
}

#[component]
fn AuditItem(entry: AuditEntry) -> impl IntoView {
    let action = audit_action_name(&entry.action).map_or_else(|| entry.action.clone(), str::to_owned);
    let mut changes = changes(entry.before.as_ref(), entry.after.as_ref());
    let hidden = admin_texts().audit_hidden_change;
    changes.extend(entry.hidden_changes.iter().map(|field| format!("{field}: {hidden}")));
    view! {
        <li data-testid="audit-entry" data-action=entry.action.clone()>
            <p class="admin-item-title">
                <strong data-testid="audit-action">{action}</strong>
            </p>
            <p class="hint">
                <span data-testid="audit-time">{timestamp_wib(entry.at, locale())}</span>
                " · "
                <span data-testid="audit-actor">{format!("@{}", entry.actor)}</span>
            </p>
            <p class="hint">
                <span data-testid="audit-subject">{entry.subject.clone()}</span>
                " · "
                <span data-testid="audit-area">{entry.area.clone()}</span>
            </p>
            {(!changes.is_empty())
                .then(|| {
                    view! {
                        <ul class="changes" data-testid="audit-changes">
                            {changes.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                        </ul>
                    }
                })}
        </li>
    }
}

/// One line per changed field: `field: before → after`, or `field: value` for a new record.
fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .filter(|k| b.get(*k) != a.get(*k))
                .map(|k| format!("{k}: {} → {}", shown(b.get(k)), shown(a.get(k))))
                .collect()
        }
        (None | Some(Value::Null), Some(Value::Object(a))) => {
            a.iter().map(|(k, v)| format!("{k}: {}", shown(Some(v)))).collect()
        }
        // A list of changes (a budget's allocations): one line each.
        (None | Some(Value::Null), Some(Value::Array(items))) => items.iter().map(|v| shown(Some(v))).collect(),
        (Some(Value::Object(b)), None | Some(Value::Null)) => {
            b.iter().map(|(k, v)| format!("{k}: {} → —", shown(Some(v)))).collect()
        }
        (None, None) => Vec::new(),
        (b, a) => vec![format!("{} → {}", shown(b), shown(a))],
    }
}

/// A JSON value as a short text, without a JSON writer (which would grow the download).
fn shown(value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => "—".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(items)) => items.iter().map(|v| shown(Some(v))).collect::<Vec<_>>().join(", "),
        // A budget allocation: the source's name and rupiah.
        Some(Value::Object(map)) if map.len() == 2 && map.contains_key("funding") => {
            let funding = map.get("funding").and_then(Value::as_str).unwrap_or_default();
            let allocated = map.get("allocated").and_then(Value::as_u64).unwrap_or_default();
            let funding = FundingSource::parse(funding).map_or(funding, |f| f.label(locale()));
            format!("{funding}: {}", rupiah(allocated, locale()))
        }
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", shown(Some(v))))
            .collect::<Vec<_>>()
            .join(", "),
    };
    if text.chars().count() > VALUE_CHARS {
        let cut: String = text.chars().take(VALUE_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_fields_are_listed() {
        let before = json!({ "target": 100, "name": "Sagara" });
        let after = json!({ "target": 150, "name": "Sagara" });
        assert_eq!(changes(Some(&before), Some(&after)), vec!["target: 100 → 150"]);
    }

    #[test]
    fn a_new_record_lists_its_fields_and_long_texts_are_cut() {
        let after = json!({ "title": "x".repeat(100), "villages": 3 });
        let lines = changes(None, Some(&after));
        assert_eq!(lines[1], "villages: 3");
        assert!(lines[0].ends_with('…') && lines[0].chars().count() == "title: ".len() + VALUE_CHARS);
    }
}
