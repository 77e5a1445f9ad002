//! Pli's isomorphic application: the same components render on the server (feature `ssr`) and
//! hydrate in the browser (feature `hydrate`). Server-only code sits behind `ssr` and reaches the
//! server through the [`api::Services`] port, so the browser build never pulls database, HSM or
//! mail crates.

// The checkout this crate is built from (`.cargo/config.toml`): clones share one cargo target
// directory, and reading the variable makes cargo rebuild the crate when another clone built it
// last (see docs/build.md, "One target directory, several checkouts").
const _: Option<&str> = option_env!("PLI_CHECKOUT");

pub mod api;
pub mod contacts;
pub mod customers;
pub mod enrolment;
pub mod entities;
pub mod error;
pub mod first_steps;
pub mod hashing;
pub mod i18n;
pub mod incidents;
pub mod letters;
pub mod operators;
pub mod passkeys;
pub mod seal_keys;
pub use domain::lifecycle;
mod pages;
mod session;
pub mod terms;
pub mod texts;
pub mod types;
pub mod validation;
pub mod when;
use session::SessionScope;
pub use session::{Auth, use_auth};

use leptos::prelude::*;
use leptos_meta::{Html, MetaTags, Title, provide_meta_context};
use leptos_router::Lazy;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::i18n::{initial_lang, remember_lang, t, use_lang};
use crate::types::ServerInfo;

/// Name of the WASM/JS/CSS bundle (set by `scripts/build-site.sh`), in the content-addressed
/// directory `/pkg/<hash>/` (`LeptosOptions::site_pkg_dir`, read by the server at start-up).
pub const BUNDLE_NAME: &str = "pli";

/// The `<meta>` that tells the client where the bundle directory is (the hashing worker lives
/// there too).
pub const BUNDLE_META: &str = "pli-bundle";

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=format!("/{}/{BUNDLE_NAME}.css", options.site_pkg_dir) />
                <meta name=BUNDLE_META content=format!("/{}", options.site_pkg_dir) />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Sends a strict Content-Security-Policy with the page: scripts only from our origin or
/// inline with this response's nonce (Leptos puts it on its hydration and streaming scripts),
/// WebAssembly compilation allowed, no plugins, no framing by other sites, forms posting only
/// to us; `data:` images for the TOTP QR code.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; \
         frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Server information shared by every page (development banner, policy OID...). Computed on
/// the server while rendering and carried to the browser inside the page ([`SharedValue`]): it
/// is read synchronously, never awaited. (It used to be a resource read by several
/// `<Transition>`s, a pattern that intermittently left the server-rendered stream unfinished:
/// leptos-rs/leptos#4851.)
///
/// [`SharedValue`]: leptos::server::SharedValue
#[derive(Clone, Debug)]
pub struct Info(pub Option<ServerInfo>);

fn server_info_now() -> Option<ServerInfo> {
    #[cfg(feature = "ssr")]
    {
        api::current_server_info()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    provide_context(Info(
        leptos::server::SharedValue::new(server_info_now).into_inner(),
    ));
    // Set once the WASM client has taken over the page (effects never run on the server);
    // end-to-end tests wait for it before interacting.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let loading = RouteLoading(RwSignal::new(false));
    provide_context(loading);
    let skip_to_main = |event: leptos::ev::MouseEvent| {
        // The router must not take the fragment link for a navigation: move the focus itself
        // (without JavaScript the browser follows the fragment, with the same effect).
        event.prevent_default();
        focus_main();
    };

    view! {
        <Html attr:lang=move || lang.get().code() />
        <Title formatter=|text| format!("{text} · Pli") />
        <Router>
            <SessionScope>
            <FocusOnNavigation loading />
            <div class="page" data-hydrated=move || (hydrated.get() && !loading.0.get()).to_string()>
                // WCAG 2.4.1 (RGAA 12.7): the first thing a keyboard reaches.
                <a class="skip-link" href="#main" on:click=skip_to_main>{t(texts::SKIP_TO_CONTENT)}</a>
                <Header />
                <DevBanner />
                <NewTermsBanner />
                <main class="content" id="main" tabindex="-1">
                    // In-order streaming: every page arrives whole, usable before (or without)
                    // the WASM client; out-of-order streaming needs JavaScript to show what a
                    // page waits for (progressive enhancement, issue 11).
                    <Routes fallback=NotFound>
                        <Route path=path!("/") ssr=SsrMode::InOrder view=pages::home::HomePage />
                        <Route path=path!("/signin") ssr=SsrMode::InOrder view=pages::account::SignInPage />
                        <Route path=path!("/signup") ssr=SsrMode::InOrder view=pages::account::SignUpPage />
                        <Route path=path!("/confirm-email") ssr=SsrMode::InOrder view=pages::account::ConfirmEmailPage />
                        <Route path=path!("/profile") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Profile>::new()} />
                        <Route path=path!("/back-office") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::BackOffice>::new()} />
                        <Route path=path!("/back-office/verifications") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Verifications>::new()} />
                        <Route path=path!("/organisations") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Organisations>::new()} />
                        <Route path=path!("/customer") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::CustomerSpace>::new()} />
                        <Route path=path!("/back-office/customers") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Customers>::new()} />
                        <Route path=path!("/back-office/incidents") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Incidents>::new()} />
                        <Route path=path!("/back-office/incidents/:id") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::IncidentSheet>::new()} />
                        <Route path=path!("/back-office/seal-keys") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::SealKeys>::new()} />
                        <Route path=path!("/reactivate") ssr=SsrMode::InOrder view=pages::account::ReactivatePage />
                        <Route path=path!("/contacts") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Contacts>::new()} />
                        <Route path=path!("/consents") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Consents>::new()} />
                        <Route path=path!("/consent/:token") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Consent>::new()} />
                        <Route path=path!("/dev/identity/:id") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Simulator>::new()} />
                        <Route path=path!("/identity/wallet/:id") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Wallet>::new()} />
                        <Route path=path!("/verify") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Verify>::new()} />
                        <Route path=path!("/policy") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Policy>::new()} />
                        <Route path=path!("/terms/senders") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::SenderTerms>::new()} />
                        <Route path=path!("/terms/recipients") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::RecipientTerms>::new()} />
                        <Route path=path!("/dev/mailbox") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Mailbox>::new()} />
                        <Route path=path!("/dev/mailbox/:id") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Mail>::new()} />
                        <Route path=path!("/dev/clock") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Clock>::new()} />
                        <Route path=path!("/compose") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::ComposeNew>::new()} />
                        <Route path=path!("/compose/:id") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Compose>::new()} />
                        <Route path=path!("/sent") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Sent>::new()} />
                        <Route path=path!("/sent/:id") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::SentLetter>::new()} />
                        <Route path=path!("/inbox") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Inbox>::new()} />
                        <Route path=path!("/received/:id") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Reception>::new()} />
                        <Route path=path!("/dev/evidence") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Evidence>::new()} />
                        <Route path=path!("/password/forgot") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::ForgotPassword>::new()} />
                        <Route path=path!("/password/reset/:token") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::ResetPassword>::new()} />
                        <Route path=path!("/accessibilite") ssr=SsrMode::InOrder view={Lazy::<pages::lazy::Accessibility>::new()} />
                    </Routes>
                </main>
                <Footer />
            </div>
            </SessionScope>
        </Router>
    }
}

/// The page of an address that matches no route (served with a 404).
#[component]
fn NotFound() -> impl IntoView {
    view! {
        <Title text=t(texts::NOT_FOUND_TITLE) />
        <h1>{t(texts::NOT_FOUND_TITLE)}</h1>
        <p>{t(texts::NOT_FOUND)}</p>
        <p>
            <A href="/">{t(texts::NAV_HOME)}</A>
        </p>
    }
}

/// WCAG 2.4.3 (RGAA 12.8): after a client-side navigation (not the first load) the focus
/// moves to the new page's main heading — or to `<main>` if it has none —, as a screen reader
/// user would expect of a new page. A lazy page is waited for ([`RouteLoading`]); a heading
/// that a page shows once its data arrived is looked for during two seconds.
#[component]
fn FocusOnNavigation(loading: RouteLoading) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    // The number of navigations so far, and the last one whose page got the focus.
    let navigations = RwSignal::new(0_u32);
    let focused = StoredValue::new(0_u32);
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            navigations.update(|n| *n += 1);
        }
        path
    });
    Effect::new(move |_| {
        let navigation = navigations.get();
        if navigation > focused.get_value() && !loading.0.get() {
            focus_heading(navigation, 120, false, loading, navigations, focused);
        }
    });
}

/// One attempt per animation frame to focus the heading of navigation `navigation`; stops when
/// a newer navigation started or the page is loading (the effect tries again once it is
/// there). Once focused (`focused_once`), the heading must keep the focus for a frame: if the
/// focus fell back to the body, the heading was the previous page's, removed meanwhile, and
/// the new one is focused; if the user moved the focus, it stays where they put it. Without a
/// heading after `frames` frames, `<main>` gets the focus.
fn focus_heading(
    navigation: u32,
    frames: u32,
    focused_once: bool,
    loading: RouteLoading,
    navigations: RwSignal<u32>,
    focused: StoredValue<u32>,
) {
    request_animation_frame(move || {
        if navigations.get_untracked() != navigation
            || focused.get_value() >= navigation
            || loading.0.get_untracked()
        {
            return;
        }
        let done = match focus_state() {
            // Already inside the new page (a field the user went to): leave it there.
            FocusState::InMain if !focused_once => true,
            // Kept by the heading, or moved by the user meanwhile.
            FocusState::OnHeading | FocusState::InMain | FocusState::Elsewhere if focused_once => {
                true
            }
            _ if frames == 0 => {
                focus_main();
                true
            }
            _ => false,
        };
        if done {
            focused.set_value(navigation);
            return;
        }
        let focused_now = focus_main_heading();
        focus_heading(
            navigation,
            frames - 1,
            focused_once || focused_now,
            loading,
            navigations,
            focused,
        );
    });
}

/// Where the focus is, for [`focus_heading`].
#[cfg_attr(
    not(feature = "hydrate"),
    allow(dead_code, reason = "the focus exists in the browser only")
)]
enum FocusState {
    /// On `<main>`'s first `<h1>`.
    OnHeading,
    /// On another element inside `<main>`.
    InMain,
    /// Nowhere in particular: the body (or nothing).
    Body,
    /// Elsewhere: the header, the footer, `<main>` itself.
    Elsewhere,
}

fn focus_state() -> FocusState {
    #[cfg(feature = "hydrate")]
    {
        let document = document();
        let Some(active) = document.active_element() else {
            return FocusState::Body;
        };
        let heading = document.query_selector("main#main h1").ok().flatten();
        if heading.as_ref() == Some(&active) {
            FocusState::OnHeading
        } else if document
            .body()
            .is_some_and(|body| AsRef::<web_sys::Element>::as_ref(&body) == &active)
        {
            FocusState::Body
        } else if active.id() != "main" && active.closest("main#main").ok().flatten().is_some() {
            FocusState::InMain
        } else {
            FocusState::Elsewhere
        }
    }
    #[cfg(not(feature = "hydrate"))]
    FocusState::Body
}

/// Focuses `<main>`'s first `<h1>` (focusable by script only: `tabindex="-1"`), if any;
/// whether there was one.
fn focus_main_heading() -> bool {
    #[cfg(feature = "hydrate")]
    if let Some(heading) = document().query_selector("main#main h1").ok().flatten() {
        use wasm_bindgen::JsCast;
        if !heading.has_attribute("tabindex") {
            let _ = heading.set_attribute("tabindex", "-1");
        }
        if let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>() {
            let _ = heading.focus();
            return true;
        }
    }
    false
}

/// Focuses `<main>` (the skip link's target, `tabindex="-1"`) and brings it into view.
fn focus_main() {
    #[cfg(feature = "hydrate")]
    if let Some(main) = document().get_element_by_id("main") {
        use wasm_bindgen::JsCast;
        main.scroll_into_view();
        if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
            let _ = main.focus();
        }
    }
}

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let switch = move |_| {
        let next = lang.get_untracked().other();
        remember_lang(next);
        lang.set(next);
    };
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-name">"Pli"</span>
                <span class="brand-tagline">{t(texts::BRAND_TAGLINE)}</span>
            </A>
            <nav class="site-nav">
                <A href="/verify">{t(texts::NAV_VERIFY)}</A>
                <AccountNav />
                <button
                    type="button"
                    class="lang-switch"
                    aria-label=t(texts::SWITCH_LABEL)
                    lang=move || lang.get().other().code()
                    on:click=switch
                >
                    {t(texts::SWITCH_TO_OTHER)}
                </button>
            </nav>
        </header>
    }
}

/// Sign-in and sign-up links, or the account link and the sign-out button.
#[component]
fn AccountNav() -> impl IntoView {
    let auth = use_auth();
    let sign_out = ServerAction::<api::SignOut>::new();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if matches!(sign_out.value().get(), Some(Ok(()))) {
            auth.refresh();
            navigate("/", Default::default());
        }
    });
    let signed_in = move || matches!(auth.state.get(), Some(Ok(state)) if state.signed_in());
    let staff = move || matches!(auth.state.get(), Some(Ok(state)) if state.user.as_ref().is_some_and(|user| user.trusted_staff));
    view! {
        <Transition fallback=|| ()>
            <Show
                when=signed_in
                fallback=|| {
                    view! {
                        <A href="/signin">{t(texts::NAV_SIGN_IN)}</A>
                        <A href="/signup" attr:class="button">{t(texts::NAV_SIGN_UP)}</A>
                    }
                }
            >
                <pages::letters::LetterNav />
                <A href="/contacts">{t(texts::contacts::NAV_CONTACTS)}</A>
                <A href="/profile">{t(texts::NAV_PROFILE)}</A>
                <Show when=staff>
                    <A href="/back-office">{t(texts::operators::BACK_OFFICE_TITLE)}</A>
                </Show>
                <ActionForm action=sign_out attr:class="inline">
                    <button type="submit" class="sign-out">{t(texts::NAV_SIGN_OUT)}</button>
                </ActionForm>
            </Show>
        </Transition>
    }
}

/// Leaves the app for `url` (an identity provider's page): a full navigation.
pub fn go_to(url: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        // Fails only for a malformed URL, which the server never returns.
        let _ = window.location().assign(url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}

/// Whether the server runs in development mode, once known.
fn use_development() -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let development = expect_context::<Info>()
        .0
        .is_some_and(|info| info.development);
    move || development
}

#[component]
fn DevBanner() -> impl IntoView {
    let development = use_development();
    view! {
        <Show when=development>
            <div class="dev-banner" role="note">
                <span>{t(texts::DEV_BANNER)}</span>
                <A href="/dev/mailbox">{t(texts::NAV_MAILBOX)}</A>
                <A href="/dev/clock">{t(texts::NAV_CLOCK)}</A>
                <A href="/dev/evidence">{t(texts::NAV_EVIDENCE)}</A>
            </div>
        </Show>
    }
}

/// OPS-07: a new edition of the sender terms applies and the signed-in account has not
/// accepted it: read it, accept it (without JavaScript too).
#[component]
fn NewTermsBanner() -> impl IntoView {
    let auth = use_auth();
    let accept = ServerAction::<api::TermsAccept>::new();
    Effect::new(move |_| {
        if matches!(accept.value().get(), Some(Ok(()))) {
            auth.refresh();
        }
    });
    let pending = move || match auth.state.get() {
        Some(Ok(state)) => state
            .user
            .filter(|user| !user.awaiting_second_factor)
            .and_then(|user| user.terms_to_accept),
        _ => None,
    };
    let lang = i18n::use_lang();
    view! {
        <Transition fallback=|| ()>
            {move || pending().map(|version| {
                let effective = terms::DocumentKind::SenderTerms
                    .edition(&version)
                    .map_or("", |d| d.effective);
                let text = texts::TERMS_NEW_EDITION
                    .get(lang.get())
                    .replace("{version}", &version)
                    .replace("{effective}", effective);
                view! {
                    <div class="notice new-terms" role="region" aria-label=t(texts::TERMS_SENDERS_LINK)>
                        <p>{text} " " <A href="/terms/senders">{t(texts::TERMS_SENDERS_LINK)}</A></p>
                        <ActionForm action=accept attr:class="inline">
                            <input type="hidden" name="terms_version" value=version />
                            <button type="submit" class="accept-new-terms">{t(texts::TERMS_ACCEPT_NEW)}</button>
                        </ActionForm>
                        {action_error(move || accept.value().get())}
                    </div>
                }
            })}
        </Transition>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <A href="/policy">{t(texts::NAV_POLICY)}</A>
            <A href="/terms/senders">{t(texts::TERMS_SENDERS_LINK)}</A>
            <A href="/terms/recipients">{t(texts::TERMS_RECIPIENTS_LINK)}</A>
            <A href="/verify">{t(texts::NAV_VERIFY)}</A>
            // RGAA: the conformity status, in the footer of every page.
            <A href="/accessibilite">{t(texts::ACCESSIBILITY_LINK)}</A>
            <span class="muted">"Pli " {env!("CARGO_PKG_VERSION")}</span>
        </footer>
    }
}

/// Shows an error from a server function in the current language.
#[component]
fn ErrorText(error: error::AppError) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }
}

/// Shows the error of the last run of an action, if it failed.
fn action_error<T: 'static>(
    value: impl Fn() -> Option<Result<T, error::AppError>> + Send + Sync + 'static,
) -> impl IntoView {
    move || match value() {
        Some(Err(error)) => Some(view! { <ErrorText error /> }),
        _ => None,
    }
}

/// Whether this page was reached from a successful submission of server function `S`'s form
/// without JavaScript: the server redirects back with `__done=<S's path>` (its error, when it
/// fails, comes back through `__err`, which [`ServerAction::new`] reads).
pub fn form_done<S: leptos::server_fn::ServerFn>()
-> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || query.read().get("__done").as_deref() == Some(S::PATH)
}

/// Whether this page was reached from a failed submission of server function `S`'s form
/// without JavaScript (`server_fn` puts `__path=<S's path>` and `__err` in the address).
pub fn form_failed<S: leptos::server_fn::ServerFn>()
-> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || {
        let query = query.read();
        query.get("__path").as_deref() == Some(S::PATH) && query.get("__err").is_some()
    }
}

/// Whether the page of a lazy route (`pages::lazy`) is still on its way: its module loading,
/// then its view hydrating. The page counts as ready (`data-hydrated`) only once it is there.
#[derive(Clone, Copy)]
pub struct RouteLoading(pub RwSignal<bool>);

/// "Sign in to continue", with the link, for pages that need an account.
#[component]
fn SignInNotice() -> impl IntoView {
    view! {
        <p class="notice">
            {t(texts::ERR_SIGN_IN_REQUIRED)} " "
            <A href="/signin">{t(texts::NAV_SIGN_IN)}</A>
        </p>
    }
}
