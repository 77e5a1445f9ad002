//! Account pages (issue 4): sign-up, address confirmation, sign-in with a second factor, and
//! the profile (second-factor method, TOTP enrolment, OTP session time left).

use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{
    ConfirmEmail, DeactivateAccount, ProofingStart, ReactivateAccount, SecondFactor, SignIn,
    SignUp, TotpBegin, TotpConfirm, TotpRemove,
};
use crate::i18n::{Tr, t};
use crate::pages::first_steps::FirstSteps;
use crate::pages::form_error::FormError;
use crate::types::{AuthState, IdentityStatus, SecondFactorMethod, SignedInUser, TERMS_VERSION};
use crate::{ErrorText, action_error, form_done, go_to, texts, use_auth};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = FormError::of("sign-up-error", action);
    let posted = form_done::<SignUp>();
    let done = move || posted() || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=t(texts::NAV_SIGN_UP) />
        <h1>{t(texts::NAV_SIGN_UP)}</h1>
        <Show
            when=done
            fallback=move || {
                view! {
                    <p class="lead">{t(texts::SIGNUP_LEAD)}</p>
                    <ActionForm action attr:class="stack-form">
                        <label>
                            {t(texts::FIELD_NAME)}
                            <input type="text" name="name" required autocomplete="name" {..error.field("name")} />
                        </label>
                        <label>
                            {t(texts::FIELD_EMAIL)}
                            <input type="email" name="email" required autocomplete="email" {..error.field("email")} />
                        </label>
                        <label>
                            {t(texts::FIELD_PASSWORD)}
                            <input
                                type="password"
                                name="password"
                                {..error.field("password")}
                                required
                                minlength="12"
                                autocomplete="new-password"
                            />
                            <span class="hint">{t(texts::PASSWORD_HINT)}</span>
                        </label>
                        <input type="hidden" name="terms_version" value=TERMS_VERSION />
                        <label class="check">
                            <input type="checkbox" name="accept_terms" required {..error.field("accept_terms")} />
                            <span>
                                {t(texts::TERMS_ACCEPT)} " "
                                <A href="/terms/senders" attr:class="terms-link">
                                    {t(texts::TERMS_SENDERS_LINK)} " (version " {TERMS_VERSION} ")"
                                </A>
                            </span>
                        </label>
                        <button type="submit">{t(texts::SIGNUP_SUBMIT)}</button>
                        {error.message()}
                    </ActionForm>
                    <p>
                        <A href="/signin">{t(texts::NAV_SIGN_IN)}</A>
                    </p>
                }
            }
        >
            <p class="success" role="status">{t(texts::SIGNUP_DONE)}</p>
            <FirstSteps user=None />
        </Show>
    }
}

/// The page the confirmation email links to. Confirming takes a click (a POST), so that a
/// mail scanner that follows links does not spend the single-use token.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let action = ServerAction::<ConfirmEmail>::new();
    let posted = form_done::<ConfirmEmail>();
    view! {
        <Title text=t(texts::CONFIRM_TITLE) />
        <h1>{t(texts::CONFIRM_TITLE)}</h1>
        <Show
            when=move || posted() || matches!(action.value().get(), Some(Ok(())))
            fallback=move || {
                view! {
                    <p class="lead">{t(texts::CONFIRM_LEAD)}</p>
                    <ActionForm action attr:class="stack-form">
                        <input type="hidden" name="token" value=token />
                        <button type="submit">{t(texts::CONFIRM_SUBMIT)}</button>
                        {action_error(move || action.value().get())}
                    </ActionForm>
                }
            }
        >
            <p class="success" role="status">{t(texts::CONFIRM_DONE)}</p>
            <p>
                <A href="/signin" attr:class="button primary">{t(texts::NAV_SIGN_IN)}</A>
            </p>
        </Show>
    }
}

/// ACC-02: the page the reactivation email links to; a click reactivates, then sign-in.
#[component]
pub fn ReactivatePage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let action = ServerAction::<ReactivateAccount>::new();
    let posted = form_done::<ReactivateAccount>();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            navigate("/signin?reactivated=1", Default::default());
        }
    });
    view! {
        <Title text=t(texts::REACTIVATE_TITLE) />
        <h1>{t(texts::REACTIVATE_TITLE)}</h1>
        <Show
            when=posted
            fallback=move || view! {
                <ActionForm action attr:class="stack-form">
                    <input type="hidden" name="token" value=token />
                    <button type="submit">{t(texts::REACTIVATE_SUBMIT)}</button>
                    {action_error(move || action.value().get())}
                </ActionForm>
            }
        >
            // Reached without JavaScript: the page the client would have gone to, in short.
            <p class="success" role="status">{t(texts::REACTIVATED_NOTICE)}</p>
            <p>
                <A href="/signin" attr:class="button primary">{t(texts::NAV_SIGN_IN)}</A>
            </p>
        </Show>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let sign_in = ServerAction::<SignIn>::new();
    let sign_in_error = FormError::of("sign-in-error", sign_in);
    let code = ServerAction::<SecondFactor>::new();
    let navigate = use_navigate();
    // Fully signed in (by password alone before any enrolment, or after the code): go on.
    Effect::new(move |_| {
        let done = |state: Option<Result<AuthState, _>>| matches!(state, Some(Ok(state)) if state.signed_in());
        if done(sign_in.value().get()) || done(code.value().get()) {
            auth.refresh();
            // Back where the user came from (e.g. a received letter), on this site only.
            let next = query.read_untracked().get("next");
            let next = next
                .as_deref()
                .and_then(crate::validation::next_path)
                .unwrap_or("/profile")
                .to_owned();
            navigate(&next, Default::default());
        }
    });
    let inactive_query = move || query.read().get("reason").as_deref() == Some("inactivity");
    // Notices carried in the address: after deactivation, from the deactivation email's
    // button, after reactivation (ACC-01, ACC-02).
    let notice = move || -> Option<Tr> {
        let query = query.read();
        if query.get("deactivated").is_some() {
            Some(texts::DEACTIVATED_NOTICE)
        } else if query.get("reactivate").is_some() {
            Some(texts::REACTIVATE_LEAD)
        } else if query.get("reactivated").is_some() {
            Some(texts::REACTIVATED_NOTICE)
        } else if query.get("password_reset").is_some() {
            Some(texts::PASSWORD_RESET_NOTICE)
        } else {
            None
        }
    };
    view! {
        <Title text=t(texts::NAV_SIGN_IN) />
        <h1>{t(texts::NAV_SIGN_IN)}</h1>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                let state = auth.state.await.unwrap_or_default();
                if state.signed_in() {
                    // Already signed in (or the code was just accepted by a form posted without
                    // JavaScript, where the client cannot move on by itself): the way on.
                    let next = query.read_untracked().get("next");
                    let next = next
                        .as_deref()
                        .and_then(crate::validation::next_path)
                        .unwrap_or("/profile")
                        .to_owned();
                    return view! {
                        <p class="success" role="status">{t(texts::SIGNED_IN_NOTICE)}</p>
                        <p>
                            <A href=next attr:class="button primary continue">{t(texts::CONTINUE)}</A>
                        </p>
                    }
                    .into_any();
                }
                let inactive = state.signed_out_for_inactivity;
                let pending = state.awaiting_second_factor();
                let awaiting_code = move || match sign_in.value().get() {
                    Some(Ok(state)) => state.awaiting_second_factor(),
                    _ => pending,
                };
                view! {
                    <Show when=move || inactive || inactive_query()>
                        <p class="notice" role="status">{t(texts::SIGNED_OUT_INACTIVE)}</p>
                    </Show>
                    {move || notice().map(|text| view! { <p class="notice" role="status">{t(text)}</p> })}
                    <Show
                        when=awaiting_code
                        fallback=move || {
                            view! {
                                <ActionForm action=sign_in attr:class="stack-form">
                                    <label>
                                        {t(texts::FIELD_EMAIL)}
                                        <input
                                            type="email"
                                            name="email"
                                            {..sign_in_error.field("email")}
                                            required
                                            autocomplete="username"
                                        />
                                    </label>
                                    <label>
                                        {t(texts::FIELD_PASSWORD)}
                                        <input
                                            type="password"
                                            name="password"
                                            {..sign_in_error.field("password")}
                                            required
                                            autocomplete="current-password"
                                        />
                                    </label>
                                    <button type="submit">{t(texts::SIGNIN_SUBMIT)}</button>
                                    {sign_in_error.message()}
                                </ActionForm>
                                <p>
                                    <A href="/password/forgot" attr:class="forgot-link">{t(texts::FORGOT_LINK)}</A>
                                </p>
                                <p>
                                    {t(texts::NO_ACCOUNT)} " "
                                    <A href="/signup">{t(texts::NAV_SIGN_UP)}</A>
                                </p>
                            }
                        }
                    >
                        <CodeForm action=code id="sign-in-code-error" lead=true />
                    </Show>
                }
                .into_any()
            })}
        </Transition>
    }
}

/// The second-factor code form (sign-in, or a fresh OTP session); `id` is its error's.
#[component]
fn CodeForm(
    action: ServerAction<SecondFactor>,
    id: &'static str,
    #[prop(optional)] lead: bool,
) -> impl IntoView {
    let error = FormError::of(id, action);
    view! {
        <ActionForm action attr:class="stack-form code-form">
            {lead.then(|| view! { <p>{t(texts::SIGNIN_CODE_LEAD)}</p> })}
            <CodeField maxlength="16" error />
            <button type="submit">{t(texts::CODE_SUBMIT)}</button>
            {error.message()}
        </ActionForm>
    }
}

/// The second-factor code field: `maxlength` 6 for an authenticator code only, 16 where a
/// recovery code is accepted too; tied to its form's `error`.
#[component]
pub(crate) fn CodeField(maxlength: &'static str, error: FormError) -> impl IntoView {
    view! {
        <label>
            {t(texts::FIELD_CODE)}
            <input
                type="text"
                name="code"
                {..error.field("code")}
                required
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength=maxlength
            />
        </label>
    }
}

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
        None => texts::METHOD_NONE,
    };
    let renew = ServerAction::<SecondFactor>::new();
    Effect::new(move |_| {
        if matches!(renew.value().get(), Some(Ok(_))) {
            auth.refresh();
        }
    });
    let enrolled = user.second_factor.is_some();
    let (identity, simulator) = match &user.identity {
        IdentityStatus::NotVerified => (texts::IDENTITY_NOT_VERIFIED, false),
        IdentityStatus::Pending => (texts::IDENTITY_PENDING, false),
        IdentityStatus::Failed => (texts::IDENTITY_FAILED, false),
        IdentityStatus::Verified {
            qualified_provider, ..
        } => (texts::IDENTITY_VERIFIED, !qualified_provider),
    };
    let verified = matches!(user.identity, IdentityStatus::Verified { .. });
    view! {
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
            </dd>
            <dt>{t(texts::PROFILE_SECOND_FACTOR)}</dt>
            <dd class="second-factor-method">{t(method)}</dd>
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
                                        <CodeForm action=renew id="renew-code-error" />
                                    }
                                        .into_any()
                                }
                            }}
                        </dd>
                    }
                })}
        </dl>
        {(!verified).then(|| view! { <ProveIdentity /> })}
        {if enrolled {
            view! { <TotpManage /> }.into_any()
        } else {
            view! { <TotpEnrol /> }.into_any()
        }}
        <Deactivate />
    }
}

/// ID-01: sends the user to the identity-proofing provider.
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

/// ACC-01: deactivation, with its effects spelled out and a confirmation box.
#[component]
fn Deactivate() -> impl IntoView {
    let auth = use_auth();
    let deactivate = ServerAction::<DeactivateAccount>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(deactivate.value().get(), Some(Ok(()))) {
            auth.refresh();
            navigate("/signin?deactivated=1", Default::default());
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

/// An enrolled authenticator app: replace it (a new QR code) or remove it.
#[component]
fn TotpManage() -> impl IntoView {
    let auth = use_auth();
    let replacing = RwSignal::new(false);
    let remove = ServerAction::<TotpRemove>::new();
    Effect::new(move |_| {
        if matches!(remove.value().get(), Some(Ok(()))) {
            auth.refresh();
        }
    });
    view! {
        <Show
            when=move || replacing.get()
            fallback=move || {
                view! {
                    <section class="card totp-manage">
                        <h2>{t(texts::PROFILE_SECOND_FACTOR)}</h2>
                        <p>{t(texts::TOTP_MANAGE_LEAD)}</p>
                        <div class="actions">
                            <button type="button" on:click=move |_| replacing.set(true)>
                                {t(texts::TOTP_REPLACE)}
                            </button>
                            <ActionForm action=remove attr:class="inline">
                                <button type="submit" class="danger">{t(texts::TOTP_REMOVE)}</button>
                            </ActionForm>
                        </div>
                        {action_error(move || remove.value().get())}
                    </section>
                }
            }
        >
            <TotpEnrol />
        </Show>
    }
}

/// TOTP enrolment (AUTH-01): QR code and key, first code, then the recovery codes once.
#[component]
fn TotpEnrol() -> impl IntoView {
    let auth = use_auth();
    let begin = ServerAction::<TotpBegin>::new();
    let confirm = ServerAction::<TotpConfirm>::new();
    let confirm_error = FormError::of("totp-confirm-error", confirm);
    view! {
        <section class="card totp-enrol" id="second-factor">
            <h2>{t(texts::PROFILE_SECOND_FACTOR)}</h2>
            {move || match (begin.value().get(), confirm.value().get()) {
                (_, Some(Ok(codes))) => {
                    view! {
                        <h3>{t(texts::RECOVERY_TITLE)}</h3>
                        <p>{t(texts::RECOVERY_LEAD)}</p>
                        <ul class="recovery-codes">
                            {codes
                                .into_iter()
                                .map(|code| view! { <li><code>{code}</code></li> })
                                .collect_view()}
                        </ul>
                        <button type="button" on:click=move |_| auth.refresh()>
                            {t(texts::RECOVERY_DONE)}
                        </button>
                    }
                        .into_any()
                }
                (Some(Ok(enrolment)), _) => {
                    view! {
                        <p>{t(texts::TOTP_SCAN)}</p>
                        <img
                            class="totp-qr"
                            width="200"
                            height="200"
                            alt=t(texts::TOTP_QR_ALT)
                            src=format!("data:image/png;base64,{}", enrolment.qr_png_base64)
                        />
                        <p>
                            {t(texts::TOTP_KEY)} " "
                            <code class="totp-secret">{enrolment.secret_base32}</code>
                        </p>
                        <ActionForm action=confirm attr:class="stack-form">
                            <CodeField maxlength="6" error=confirm_error />
                            <button type="submit">{t(texts::TOTP_CONFIRM)}</button>
                            {confirm_error.message()}
                        </ActionForm>
                    }
                        .into_any()
                }
                (other, _) => {
                    view! {
                        <p>{t(texts::TOTP_SETUP_LEAD)}</p>
                        <ActionForm action=begin>
                            <button type="submit">{t(texts::TOTP_START)}</button>
                        </ActionForm>
                        {match other {
                            Some(Err(error)) => Some(view! { <ErrorText error /> }),
                            _ => None,
                        }}
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
