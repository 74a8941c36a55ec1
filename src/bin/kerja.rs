//! The officials' workspace under `/kerja/`: a second app (kerja/index.html, built by
//! `cargo xtask build` with the feature `kerja`), so none of its code reaches what citizens download.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(pantau::kerja::App);
}
