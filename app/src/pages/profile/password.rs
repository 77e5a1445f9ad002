//! The password change from the profile (issue 11): the current password and a new one (the
//! sign-up rules), within a live OTP session; the other sessions end, this one stays. Works
//! without JavaScript: the server sends the browser back here with `__done`, or with the
//! error tied to its field.

use leptos::prelude::*;

use crate::api::PasswordChange as Change;
use crate::i18n::t;
use crate::pages::account::NewPasswordField;
use crate::pages::form_error::FormError;
use crate::{form_done, texts};

#[component]
pub(super) fn PasswordChange() -> impl IntoView {
    let change = ServerAction::<Change>::new();
    let error = FormError::of("password-change-error", change);
    let posted = form_done::<Change>();
    let done = move || posted() || matches!(change.value().get(), Some(Ok(())));
    let form = NodeRef::<leptos::html::Form>::new();
    // A new password stays in no field once changed.
    Effect::new(move |_| {
        if matches!(change.value().get(), Some(Ok(())))
            && let Some(form) = form.get()
        {
            form.reset();
        }
    });
    view! {
        <section class="card password-change" id="password">
            <h2>{t(texts::CHANGE_TITLE)}</h2>
            <p>{t(texts::CHANGE_LEAD)}</p>
            <ActionForm action=change node_ref=form attr:class="stack-form">
                <label>
                    {t(texts::FIELD_CURRENT_PASSWORD)}
                    <input
                        type="password"
                        name="current_password"
                        {..error.field("current_password")}
                        required
                        autocomplete="current-password"
                    />
                </label>
                <NewPasswordField label=texts::FIELD_NEW_PASSWORD error />
                <button type="submit">{t(texts::CHANGE_SUBMIT)}</button>
                {error.message()}
                <Show when=done>
                    <p class="success" role="status">{t(texts::CHANGE_DONE)}</p>
                </Show>
            </ActionForm>
        </section>
    }
}
