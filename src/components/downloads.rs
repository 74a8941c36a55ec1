//! Download links for a table: the same numbers as shown, as CSV and JSON.

use leptos::prelude::*;

use crate::i18n::texts;

/// "Unduh: CSV · JSON" for one table.
#[component]
pub fn Downloads(csv: String, json: String, #[prop(into)] testid: String) -> impl IntoView {
    view! {
        <p class="downloads" data-testid=testid>
            {texts().download} ": "
            <a href=csv download data-format="csv">"CSV"</a>
            " · "
            <a href=json data-format="json">"JSON"</a>
        </p>
    }
}
