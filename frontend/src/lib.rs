//! The browser entry point. `hydrate()` is called by the script that the server-rendered page
//! loads (`/pkg/pli.js`); it attaches the reactive app to the HTML the server sent.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
