//! Who the browser is signed in as, and the browser's side of the 15-minute inactivity rule
//! (AUTH-03): keys, clicks and navigations are activity.

use leptos::prelude::*;

use crate::types::AuthState;
use crate::{api, error};

/// Who the browser is signed in as (issue 4), fetched again at every navigation (which also
/// counts as activity for the 15-minute inactivity rule, AUTH-03) and after sign-in/out.
#[derive(Clone, Copy)]
pub struct Auth {
    pub state: Resource<Result<AuthState, error::AppError>>,
    version: RwSignal<u32>,
}

impl Auth {
    /// Fetches the state again (after signing in or out, enrolling a second factor...).
    pub fn refresh(&self) {
        self.version.update(|v| *v += 1);
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// How often, at most, keyboard and pointer activity is reported to the server (the server
/// records activity to `domain::policy::ACTIVITY_PRECISION_MS` anyway).
const ACTIVITY_REPORT_MS: f64 = 30_000.0;

/// The browser's clock, in milliseconds (0 on the server, where no timer runs).
fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    return js_sys::Date::now();
    #[cfg(not(feature = "hydrate"))]
    0.0
}

/// Provides [`Auth`] to the pages, and signs the browser out after 15 minutes of inactivity
/// (AUTH-03; the server applies the same rule on its side). Activity is a navigation, a key
/// pressed or a pointer used (issue 11: a person typing a long letter is active): it is
/// reported to the server at most every [`ACTIVITY_REPORT_MS`] by fetching the session state,
/// which the server counts as activity, and which re-arms the browser's timer.
///
/// A report does not refresh [`Auth::state`]: the pages render from it, and a refresh while a
/// form's request is on its way re-created the form, losing its answer (a password change's
/// error went unshown when the person typed after 30 s idle). Only a report that finds the
/// session ended refreshes it.
#[component]
pub(crate) fn SessionScope(children: Children) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let version = RwSignal::new(0_u32);
    let state = Resource::new(
        move || (location.pathname.get(), version.get()),
        |_| api::fetch_auth_state(),
    );
    let auth = Auth { state, version };
    provide_context(auth);
    let navigate = leptos_router::hooks::use_navigate();
    // When the server last heard from this page, and when the person last did something.
    let reported = StoredValue::new(now_ms());
    let active = StoredValue::new(now_ms());
    // Each report re-arms the idle timer: 15 minutes from the last one.
    let rearm = RwSignal::new(0_u32);
    let signed_in = move || {
        matches!(
            state.try_get_untracked(),
            Some(Some(Ok(AuthState { user: Some(_), .. })))
        )
    };
    // Tells the server the person is active (fetching the state counts as activity); the
    // pages' state is refreshed only if the session has ended meanwhile.
    let report = move || {
        reported.set_value(now_ms());
        rearm.update(|n| *n += 1);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let live = matches!(
                api::fetch_auth_state().await,
                Ok(AuthState { user: Some(_), .. })
            );
            if !live {
                auth.refresh();
            }
        });
    };
    let on_activity = move || {
        let now = now_ms();
        active.set_value(now);
        if signed_in() && now - reported.get_value() >= ACTIVITY_REPORT_MS {
            report();
        }
    };
    // Listening for the page's whole life (this scope is the app's).
    #[cfg(feature = "hydrate")]
    {
        let _ = window_event_listener(leptos::ev::keydown, move |_| on_activity());
        let _ = window_event_listener(leptos::ev::pointerdown, move |_| on_activity());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on_activity;
    Effect::new(move |previous: Option<Option<TimeoutHandle>>| {
        if let Some(Some(handle)) = previous {
            handle.clear();
        }
        rearm.track();
        let idle = match state.get() {
            Some(Ok(AuthState {
                user: Some(user), ..
            })) => user.idle_timeout_seconds,
            _ => return None,
        };
        reported.set_value(now_ms());
        let navigate = navigate.clone();
        set_timeout_with_handle(
            move || {
                // Activity since the last report (less than ACTIVITY_REPORT_MS ago): report it
                // now instead, which re-arms this timer.
                #[expect(clippy::cast_precision_loss, reason = "seconds of a timeout")]
                let idle_ms = idle as f64 * 1000.0;
                if now_ms() - active.get_value() < idle_ms {
                    report();
                    return;
                }
                leptos::task::spawn_local(async move {
                    // The server ends the session itself too; this makes it immediate and
                    // journaled as an inactivity logout. Navigating counts as activity, so
                    // sign out first.
                    let _ = api::sign_out(Some("browser".to_owned())).await;
                    auth.refresh();
                    navigate("/signin?reason=inactivity", Default::default());
                });
            },
            std::time::Duration::from_secs(u64::try_from(idle).unwrap_or(900)),
        )
        .ok()
    });
    children()
}
