//! "Sematkan / Embed": everything a regency web admin needs to put this area's live progress
//! on their own site: a preview, the options, and snippets to copy.

use leptos::prelude::*;
use pantau_core::AreaCode;

use crate::i18n::{locale, texts, Locale};

/// Listens for the widget's height and sizes its iframe (documented in the README).
const RESIZE_SCRIPT: &str = "<script>addEventListener('message',function(e){if(e.data&&e.data.type==='pantau:height'){document.querySelectorAll('iframe[data-pantau]').forEach(function(f){if(f.contentWindow===e.source)f.style.height=e.data.height+'px'})}})</script>";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Widget,
    Badge,
}

/// The embed panel of one area page. Its preview (an iframe or image) loads only once the
/// reader opens it, so the page itself stays light.
#[component]
pub fn EmbedPanel(code: AreaCode, name: String) -> impl IntoView {
    let t = texts();
    let open = RwSignal::new(false);
    view! {
        <details class="embed-panel" data-testid="embed-panel" on:toggle=move |_| open.update(|o| *o = !*o)>
            <summary>{t.embed_title}</summary>
            {move || open.get().then(|| view! { <EmbedOptions code=code.clone() name=name.clone()/> })}
        </details>
    }
}

/// Options, preview and snippets.
#[component]
fn EmbedOptions(code: AreaCode, name: String) -> impl IntoView {
    let t = texts();
    let lang = locale().code();
    let origin = window().location().origin().unwrap_or_default();
    let kind = RwSignal::new(Kind::Widget);
    let dark = RwSignal::new(false);
    let compact = RwSignal::new(false);
    let active_metric = RwSignal::new(false);
    let copied = RwSignal::new(None::<&'static str>);
    let code_text = code.to_string();

    let widget_url = {
        let (origin, code) = (origin.clone(), code_text.clone());
        move || {
            let theme = if dark.get() { "dark" } else { "light" };
            let mode = if compact.get() { "compact" } else { "full" };
            format!("{origin}/embed/{code}?lang={lang}&theme={theme}&mode={mode}")
        }
    };
    let badge_url = {
        let (origin, code) = (origin.clone(), code_text.clone());
        move || {
            let metric = if active_metric.get() { "active" } else { "progress" };
            format!("{origin}/badge/{code}.svg?lang={lang}&metric={metric}")
        }
    };
    let page_url = format!("{origin}/wilayah/{code_text}");
    let snippets = {
        let (widget_url, badge_url, name) = (widget_url.clone(), badge_url.clone(), name.clone());
        move || -> Vec<(&'static str, String)> {
            match kind.get() {
                Kind::Widget => vec![(
                    "HTML (iframe)",
                    format!(
                        "<iframe data-pantau src=\"{}\" title=\"Pantau — {name}\" style=\"width:100%;max-width:420px;border:0\" height=\"260\" loading=\"lazy\"></iframe>{RESIZE_SCRIPT}",
                        widget_url()
                    ),
                )],
                Kind::Badge => vec![
                    ("HTML", format!("<a href=\"{page_url}\"><img src=\"{}\" alt=\"Pantau — {name}\"></a>", badge_url())),
                    ("Markdown", format!("[![Pantau — {name}]({})]({page_url})", badge_url())),
                ],
            }
        }
    };
    let copy = move |label: &'static str, text: String| {
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&text);
        copied.set(Some(label));
    };
    let (widget_label, badge_label, dark_label, compact_label, metric_label, copy_label, copied_label) =
        if locale() == Locale::Id {
            (
                "Widget",
                "Lencana",
                "Tema gelap",
                "Ringkas (tanpa grafik)",
                "Tampilkan jumlah terlindungi",
                "Salin",
                "Tersalin",
            )
        } else {
            (
                "Widget",
                "Badge",
                "Dark theme",
                "Compact (no chart)",
                "Show number protected",
                "Copy",
                "Copied",
            )
        };
    view! {
            <p class="note">{t.embed_note}</p>
            <div class="sort" role="radiogroup" aria-label=t.embed_title>
                <button type="button" class="chip" aria-pressed=move || (kind.get() == Kind::Widget).to_string()
                    data-testid="embed-kind-widget" on:click=move |_| kind.set(Kind::Widget)>{widget_label}</button>
                <button type="button" class="chip" aria-pressed=move || (kind.get() == Kind::Badge).to_string()
                    data-testid="embed-kind-badge" on:click=move |_| kind.set(Kind::Badge)>{badge_label}</button>
            </div>
            <Show
                when=move || kind.get() == Kind::Widget
                fallback={
                    let badge_url = badge_url.clone();
                    move || view! {
                        <label class="option"><input type="checkbox" bind:checked=active_metric/> " " {metric_label}</label>
                        <p class="preview"><img src=badge_url.clone() alt="" data-testid="embed-preview-badge"/></p>
                    }
                }
            >
                <label class="option"><input type="checkbox" bind:checked=dark/> " " {dark_label}</label>
                <label class="option"><input type="checkbox" bind:checked=compact/> " " {compact_label}</label>
                <iframe class="preview" src=widget_url.clone() title="Pantau" data-testid="embed-preview-widget"></iframe>
            </Show>
            {move || snippets()
                .into_iter()
                .map(|(label, text)| {
                    let for_copy = text.clone();
                    view! {
                        <div class="snippet">
                            <span class="snippet-label">{label}</span>
                            <textarea readonly rows="3" data-testid="embed-snippet">{text}</textarea>
                            <button type="button" class="chip" on:click=move |_| copy(label, for_copy.clone())>
                                {move || if copied.get() == Some(label) { copied_label } else { copy_label }}
                            </button>
                        </div>
                    }
                })
                .collect_view()}
    }
}
