//! A forgotten password (issue 11): `/password/forgot` asks for the address and answers the
//! same whether or not it has an account; the emailed link opens `/password/reset/<token>`,
//! which says at once if the link no longer works, else takes the new password and leads to
//! sign-in. Both forms work without JavaScript (plain posts answered with a redirect).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::{PASSWORD_RESET_DONE, PasswordForgot, PasswordReset, password_reset_check};
use crate::error::AppError;
use crate::i18n::t;
use crate::pages::account::NewPasswordField;
use crate::pages::form_error::FormError;
use crate::{ErrorText, action_error, form_done, texts, use_auth};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<PasswordForgot>::new();
    let posted = form_done::<PasswordForgot>();
    let done = move || posted() || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=t(texts::FORGOT_TITLE) />
        <h1>{t(texts::FORGOT_TITLE)}</h1>
        <Show
            when=done
            fallback=move || {
                view! {
                    <p class="lead">{t(texts::FORGOT_LEAD)}</p>
                    <ActionForm action attr:class="stack-form forgot-form">
                        <label>
                            {t(texts::FIELD_EMAIL)}
                            <input type="email" name="email" required autocomplete="email" />
                        </label>
                        <button type="submit">{t(texts::FORGOT_SUBMIT)}</button>
                        {action_error(move || action.value().get())}
                    </ActionForm>
                }
            }
        >
            <p class="success" role="status">{t(texts::FORGOT_DONE)}</p>
            <p>
                <A href="/signin">{t(texts::NAV_SIGN_IN)}</A>
            </p>
        </Show>
    }
}

/// The page of the emailed link. The link is checked (not spent) on arrival, so that a used or
/// expired one says so before the new password is typed; it is spent by the form's POST only
/// (a mail scanner following the link spends nothing).
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let check = Resource::new(token, password_reset_check);
    let action = ServerAction::<PasswordReset>::new();
    let error = FormError::of("reset-error", action);
    let auth = use_auth();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            auth.refresh();
            navigate(PASSWORD_RESET_DONE, Default::default());
        }
    });
    view! {
        <Title text=t(texts::RESET_TITLE) />
        <h1>{t(texts::RESET_TITLE)}</h1>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match check.await {
                    Ok(()) => {
                        view! {
                            <p class="lead">{t(texts::RESET_LEAD)}</p>
                            <ActionForm action attr:class="stack-form reset-form">
                                <input type="hidden" name="token" value=token />
                                <NewPasswordField label=texts::FIELD_NEW_PASSWORD error />
                                <button type="submit">{t(texts::RESET_SUBMIT)}</button>
                                {error.message()}
                            </ActionForm>
                        }
                            .into_any()
                    }
                    Err(AppError::LinkInvalid) => view! { <DeadLink /> }.into_any(),
                    Err(error) => view! { <ErrorText error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A used or expired reset link, and the way to ask for a new one.
#[component]
fn DeadLink() -> impl IntoView {
    view! {
        <p class="notice link-dead" role="alert">{t(texts::RESET_LINK_DEAD)}</p>
        <p>
            <A href="/password/forgot" attr:class="button primary">{t(texts::RESET_ASK_AGAIN)}</A>
        </p>
    }
}
