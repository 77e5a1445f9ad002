//! The profile (issue 4): what the account is, its second factor (TOTP enrolment, OTP session
//! time left), identity proofing, the password change and deactivation. Every form works
//! without JavaScript too (issue 11): the server answers a plain post with a redirect back
//! here, and the page shows the outcome by itself.

mod passkeys;
mod password;
mod totp;

use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use self::passkeys::{PasskeyEnrol, PasskeyManage};
use self::password::PasswordChange;
use self::totp::{RecoveryCodesKept, TotpEnrol, TotpManage};
use crate::api::{DeactivateAccount, ProofingStart, SecondFactor, TotpRemove};
use crate::i18n::t;
use crate::pages::account::{CodeForm, passkey_action};
use crate::pages::first_steps::FirstSteps;
use crate::types::{AuthState, IdentityStatus, SecondFactorMethod, SignedInUser};
use crate::{action_error, form_done, go_to, texts, use_auth};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Title text=t(texts::PROFILE_TITLE) />
        <h1>{t(texts::PROFILE_TITLE)}</h1>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match auth.state.await {
                    Ok(AuthState { user: Some(user), .. }) if !user.awaiting_second_factor => {
                        view! { <Profile user /> }.into_any()
                    }
                    _ => {
                        view! {
                            <p class="notice">
                                {t(texts::ERR_SIGN_IN_REQUIRED)} " "
                                <A href="/signin">{t(texts::NAV_SIGN_IN)}</A>
                            </p>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn Profile(user: SignedInUser) -> impl IntoView {
    let auth = use_auth();
    let method = match user.second_factor {
        Some(SecondFactorMethod::Totp) => texts::METHOD_TOTP,
        Some(SecondFactorMethod::Passkey) => texts::passkeys::METHOD,
        None => texts::METHOD_NONE,
    };
    let renew = ServerAction::<SecondFactor>::new();
    let renew_passkey = passkey_action();
    Effect::new(move |_| {
        if matches!(renew.value().get(), Some(Ok(_)))
            || matches!(renew_passkey.value().get(), Some(Ok(_)))
        {
            auth.refresh();
        }
    });
    let passkey = user.uses_passkeys().then_some(renew_passkey);
    let enrolled = user.second_factor.is_some();
    let (identity, simulator) = match &user.identity {
        IdentityStatus::NotVerified => (texts::IDENTITY_NOT_VERIFIED, false),
        IdentityStatus::Pending => (texts::IDENTITY_PENDING, false),
        IdentityStatus::Failed { .. } => (texts::IDENTITY_FAILED, false),
        IdentityStatus::Verified {
            qualified_provider, ..
        } => (texts::IDENTITY_VERIFIED, !qualified_provider),
    };
    let verified = matches!(user.identity, IdentityStatus::Verified { .. });
    // Issue 14: why the provider's answer was refused, in words.
    let failure = match &user.identity {
        IdentityStatus::Failed {
            reason: Some(reason),
        } => Some(texts::identity_failure(reason)),
        _ => None,
    };
    // Reached from a form posted without JavaScript: what it did.
    let totp_removed = form_done::<TotpRemove>();
    view! {
        <RecoveryCodesKept />
        <Show when=totp_removed>
            <p class="success" role="status">{t(texts::TOTP_REMOVED)}</p>
        </Show>
        <FirstSteps user=Some(user.clone()) />
        <dl class="facts">
            <dt>{t(texts::FIELD_NAME)}</dt>
            <dd class="profile-name">{user.name.clone()}</dd>
            <dt>{t(texts::FIELD_EMAIL)}</dt>
            <dd class="profile-email">{user.email.clone()}</dd>
            <dt>{t(texts::IDENTITY_TITLE)}</dt>
            <dd class="identity-status">
                {t(identity)}
                {simulator.then(|| view! { " " <span class="muted">{t(texts::IDENTITY_NOT_QUALIFIED)}</span> })}
                {failure.map(|why| view! { <span class="identity-failure" role="alert">{t(why)}</span> })}
            </dd>
            <dt>{t(texts::PROFILE_SECOND_FACTOR)}</dt>
            <dd class="second-factor-method">{t(method)}</dd>
            <dt>{t(texts::customers::SPACE_TITLE)}</dt>
            <dd class="customer-link">
                <A href="/customer">{t(texts::customers::SPACE_LINK)}</A>
            </dd>
            <dt>{t(texts::entities::TITLE)}</dt>
            <dd class="organisations-link">
                <A href="/organisations">{t(texts::entities::MANAGE)}</A>
            </dd>
            {enrolled
                .then(|| {
                    view! {
                        <dt>{t(texts::RECOVERY_LEFT)}</dt>
                        <dd>{user.recovery_codes_left}</dd>
                        <dt>{t(texts::OTP_SESSION)}</dt>
                        <dd class="otp-session">
                            {match user.otp_seconds_left {
                                Some(seconds) => view! { <Countdown seconds /> }.into_any(),
                                None => {
                                    view! {
                                        <span>{t(texts::OTP_SESSION_NONE)}</span>
                                        <CodeForm action=renew id="renew-code-error" passkey />
                                    }
                                        .into_any()
                                }
                            }}
                        </dd>
                    }
                })}
        </dl>
        {(!verified).then(|| view! { <ProveIdentity /> })}
        {match user.second_factor {
            Some(SecondFactorMethod::Totp) => {
                view! {
                    <TotpManage />
                    <PasskeyEnrol lead=texts::passkeys::SWITCH_LEAD />
                }
                    .into_any()
            }
            Some(SecondFactorMethod::Passkey) => view! { <PasskeyManage /> }.into_any(),
            None => {
                view! {
                    <TotpEnrol />
                    <PasskeyEnrol lead=texts::passkeys::SETUP_LEAD />
                }
                    .into_any()
            }
        }}
        {enrolled.then(|| view! { <PasswordChange /> })}
        <Deactivate />
    }
}

/// ID-01: sends the user to the identity-proofing provider (without JavaScript, the server
/// answers the form with the redirect itself).
#[component]
fn ProveIdentity() -> impl IntoView {
    let start = ServerAction::<ProofingStart>::new();
    Effect::new(move |_| {
        if let Some(Ok(url)) = start.value().get() {
            go_to(&url);
        }
    });
    view! {
        <section class="card identity" id="identity">
            <h2>{t(texts::IDENTITY_TITLE)}</h2>
            <p>{t(texts::IDENTITY_LEAD)}</p>
            <ActionForm action=start>
                <button type="submit">{t(texts::IDENTITY_START)}</button>
            </ActionForm>
            {action_error(move || start.value().get())}
        </section>
    }
}

/// ACC-01: deactivation, with its effects spelled out and a confirmation box; without
/// JavaScript the server answers with the redirect to the sign-in page's notice.
#[component]
fn Deactivate() -> impl IntoView {
    let auth = use_auth();
    let deactivate = ServerAction::<DeactivateAccount>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(deactivate.value().get(), Some(Ok(()))) {
            auth.refresh();
            navigate(crate::api::DEACTIVATED, Default::default());
        }
    });
    view! {
        <section class="card deactivate">
            <h2>{t(texts::DEACTIVATE_TITLE)}</h2>
            <p>{t(texts::DEACTIVATE_LEAD)}</p>
            <ActionForm action=deactivate attr:class="stack-form">
                <label class="check">
                    <input type="checkbox" name="confirm" required />
                    <span>{t(texts::DEACTIVATE_CONFIRM)}</span>
                </label>
                <button type="submit" class="danger">{t(texts::DEACTIVATE_TITLE)}</button>
                {action_error(move || deactivate.value().get())}
            </ActionForm>
        </section>
    }
}

/// "time left 14:59", counting down in the browser (AUTH-02); at 0:00 the profile asks for
/// a fresh code.
#[component]
fn Countdown(seconds: i64) -> impl IntoView {
    let auth = use_auth();
    let left = RwSignal::new(seconds);
    Effect::new(move |previous: Option<i64>| {
        let now = left.get();
        // Only when the countdown reaches zero here (not for a session shown at 0:00).
        if previous.is_some_and(|p| p > 0) && now == 0 {
            auth.refresh();
        }
        now
    });
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || left.update(|s| *s = (*s - 1).max(0)),
            Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <span>
            {t(texts::OTP_SESSION_LEFT)} " "
            <time class="otp-left">
                {move || format!("{}:{:02}", left.get() / 60, left.get() % 60)}
            </time>
        </span>
    }
}
