//! The officials' workspace under `/kerja/`: a second Trunk entry (workspace/index.html), so
//! none of its code reaches what citizens download.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(pantau::workspace::App);
}
