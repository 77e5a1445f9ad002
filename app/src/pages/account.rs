//! Account pages (issue 4): sign-up, address confirmation, reactivation, sign-in with a second
//! factor (the profile is in `pages::profile`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{ConfirmEmail, ReactivateAccount, SecondFactor, SignIn, SignUp};
use crate::error::AppError;
use crate::i18n::{Tr, t};
use crate::pages::first_steps::FirstSteps;
use crate::pages::form_error::FormError;
use crate::terms::DocumentKind;
use crate::types::{AuthState, TERMS_VERSION};
use crate::{ErrorText, action_error, form_done, texts, use_auth};

/// A passkey's assertion (issue 14): the browser's ceremony between two server functions.
pub(crate) type PasskeyAction = Action<(), Result<AuthState, AppError>>;

/// A new [`PasskeyAction`].
pub(crate) fn passkey_action() -> PasskeyAction {
    Action::new_unsync(|_: &()| crate::passkeys::authenticate())
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = FormError::of("sign-up-error", action);
    let posted = form_done::<SignUp>();
    let done = move || posted() || matches!(action.value().get(), Some(Ok(())));
    // The sender terms in force on the server's date (OPS-07).
    let terms_version = expect_context::<crate::Info>()
        .0
        .and_then(|info| {
            info.document(DocumentKind::SenderTerms)
                .map(|d| d.version.clone())
        })
        .unwrap_or_else(|| TERMS_VERSION.to_owned());
    view! {
        <Title text=t(texts::NAV_SIGN_UP) />
        <h1>{t(texts::NAV_SIGN_UP)}</h1>
        <Show
            when=done
            fallback=move || {
                let (terms_version, shown_version) = (terms_version.clone(), terms_version.clone());
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
                        <NewPasswordField label=texts::FIELD_PASSWORD error />
                        <input type="hidden" name="terms_version" value=terms_version />
                        <label class="check">
                            <input type="checkbox" name="accept_terms" required {..error.field("accept_terms")} />
                            <span>
                                {t(texts::TERMS_ACCEPT)} " "
                                <A href="/terms/senders" attr:class="terms-link">
                                    {t(texts::TERMS_SENDERS_LINK)} " (version " {shown_version} ")"
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
                        <LinkTokenSubmit token submit=texts::CONFIRM_SUBMIT error=action_failure(action) />
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
                    <LinkTokenSubmit token submit=texts::REACTIVATE_SUBMIT error=action_failure(action) />
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

/// The inside of the form of an emailed link's page: the link's `token`, the one button and
/// the last attempt's `error`.
#[component]
fn LinkTokenSubmit(
    token: impl Fn() -> String + Send + Sync + 'static,
    submit: Tr,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <input type="hidden" name="token" value=token />
        <button type="submit">{t(submit)}</button>
        {move || error.get().map(|error| view! { <ErrorText error /> })}
    }
}

/// The error of the last run of `action`, if it failed.
fn action_failure<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + Clone + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// A new password (sign-up, reset, change): the sign-up rules' length, the hint, tied to its
/// form's `error`.
#[component]
pub(crate) fn NewPasswordField(label: Tr, error: FormError) -> impl IntoView {
    view! {
        <label>
            {t(label)}
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
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let sign_in = ServerAction::<SignIn>::new();
    let sign_in_error = FormError::of("sign-in-error", sign_in);
    let code = ServerAction::<SecondFactor>::new();
    let passkey = passkey_action();
    let navigate = use_navigate();
    // Fully signed in (by password alone before any enrolment, or after the second factor):
    // go on.
    Effect::new(move |_| {
        let done = |state: Option<Result<AuthState, _>>| matches!(state, Some(Ok(state)) if state.signed_in());
        if done(sign_in.value().get()) || done(code.value().get()) || done(passkey.value().get()) {
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
                let pending_passkey = state.uses_passkeys();
                let awaiting_code = move || match sign_in.value().get() {
                    Some(Ok(state)) => state.awaiting_second_factor(),
                    _ => pending,
                };
                let with_passkey = move || match sign_in.value().get() {
                    Some(Ok(state)) => state.uses_passkeys(),
                    _ => pending_passkey,
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
                        {move || {
                            let passkey = with_passkey().then_some(passkey);
                            view! { <CodeForm action=code id="sign-in-code-error" lead=true passkey /> }
                        }}
                    </Show>
                }
                .into_any()
            })}
        </Transition>
    }
}

/// The second-factor code form (sign-in, or a fresh OTP session); `id` is its error's. With
/// `passkey` (an account that confirms with passkeys, issue 14), the passkey's button comes
/// first and the code field takes a recovery code.
#[component]
pub(crate) fn CodeForm(
    action: ServerAction<SecondFactor>,
    id: &'static str,
    #[prop(optional)] lead: bool,
    #[prop(optional_no_strip)] passkey: Option<PasskeyAction>,
) -> impl IntoView {
    let error = FormError::of(id, action);
    let lead_text = if passkey.is_some() {
        texts::passkeys::SIGNIN_LEAD
    } else {
        texts::SIGNIN_CODE_LEAD
    };
    view! {
        {passkey.map(|passkey| view! { <PasskeyUse action=passkey /> })}
        <ActionForm action attr:class="stack-form code-form">
            {lead.then(|| view! { <p>{t(lead_text)}</p> })}
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

/// "Use my passkey": the passkey's assertion, and why it failed.
#[component]
fn PasskeyUse(action: PasskeyAction) -> impl IntoView {
    view! {
        <div class="passkey-use">
            <button
                type="button"
                class="primary passkey-use-button"
                disabled=move || action.pending().get()
                on:click=move |_| {
                    action.dispatch(());
                }
            >
                {t(texts::passkeys::USE)}
            </button>
            {action_error(move || action.value().get())}
        </div>
    }
}
