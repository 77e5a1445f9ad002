//! The browser entry point. `hydrate()` is called by the script that the server-rendered page
//! loads (`/pkg/pli.js`); it attaches the reactive app to the HTML the server sent.

// The checkout this crate is built from (`.cargo/config.toml`): clones share one cargo target
// directory, and reading the variable makes cargo rebuild the crate when another clone built it
// last (see docs/build.md, "One target directory, several checkouts").
const _: Option<&str> = option_env!("PLI_CHECKOUT");

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // With lazy routes (app/src/pages/lazy.rs): a page whose code is in a split module is
    // hydrated once that module has arrived.
    leptos::mount::hydrate_lazy(app::App);
}
