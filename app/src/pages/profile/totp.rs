//! The authenticator app (AUTH-01): enrolment (QR code and key, a first code, the recovery
//! codes once), replacement and removal. Without JavaScript the server keeps what the page
//! needs between the posts (`crate::enrolment`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{TotpBegin, TotpConfirm, TotpRemove};
use crate::enrolment::{TotpRecoveryDone, totp_pending, totp_recovery_codes};
use crate::i18n::t;
use crate::pages::account::CodeField;
use crate::pages::form_error::FormError;
use crate::types::TotpEnrolment;
use crate::{ErrorText, action_error, form_done, form_failed, texts, use_auth};

/// An enrolled authenticator app: replace it (a new QR code) or remove it. "Change app" is a
/// link (`?replace`), so that it works before the client runs too.
#[component]
pub(super) fn TotpManage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let begun = form_done::<TotpBegin>();
    let confirm_failed = form_failed::<TotpConfirm>();
    // Asked by the link (and no form posted since), or on the way (begun, a wrong first code).
    let asked = {
        let query = query.read_untracked();
        query.get("replace").is_some() && query.get("__done").is_none()
    };
    let replacing = RwSignal::new(asked || begun() || confirm_failed());
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
                            <a
                                href="/profile?replace=1#second-factor"
                                role="button"
                                class="button totp-replace"
                                on:click=move |event| {
                                    event.prevent_default();
                                    replacing.set(true);
                                }
                            >
                                {t(texts::TOTP_REPLACE)}
                            </a>
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
pub(super) fn TotpEnrol() -> impl IntoView {
    let begin = ServerAction::<TotpBegin>::new();
    let confirm = ServerAction::<TotpConfirm>::new();
    let confirm_error = FormError::of("totp-confirm-error", confirm);
    // Reached without JavaScript after beginning (or after a wrong first code): the enrolment
    // begun, from the server.
    let begun = form_done::<TotpBegin>();
    let confirm_failed = form_failed::<TotpConfirm>();
    let pending = Resource::new(
        move || begun() || confirm_failed(),
        |ask| async move {
            if ask {
                totp_pending().await.ok().flatten()
            } else {
                None
            }
        },
    );
    view! {
        <section class="card totp-enrol" id="second-factor">
            <h2>{t(texts::PROFILE_SECOND_FACTOR)}</h2>
            <Suspense fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
                {move || Suspend::new(async move {
                    let pending = pending.await;
                    move || {
                        if let Some(Ok(codes)) = confirm.value().get() {
                            return view! { <RecoveryCodes codes /> }.into_any();
                        }
                        match begin.value().get().or_else(|| pending.clone().map(Ok)) {
                            Some(Ok(enrolment)) => scan(enrolment, confirm, confirm_error),
                            other => {
                                view! {
                                    <p>{t(texts::TOTP_SETUP_LEAD)}</p>
                                    <ActionForm action=begin>
                                        <button type="submit">{t(texts::TOTP_START)}</button>
                                    </ActionForm>
                                    {other.and_then(Result::err).map(|error| view! { <ErrorText error /> })}
                                }
                                    .into_any()
                            }
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The QR code and key of `enrolment`, and the form of the first code.
fn scan(
    enrolment: TotpEnrolment,
    confirm: ServerAction<TotpConfirm>,
    confirm_error: FormError,
) -> AnyView {
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

/// The recovery codes, shown once, and "I have saved them" (which, without JavaScript, also
/// takes them out of the browser's cookie).
#[component]
pub(super) fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    let auth = use_auth();
    let done = ServerAction::<TotpRecoveryDone>::new();
    Effect::new(move |_| {
        if matches!(done.value().get(), Some(Ok(()))) {
            auth.refresh();
        }
    });
    view! {
        <h3>{t(texts::RECOVERY_TITLE)}</h3>
        <p>{t(texts::RECOVERY_LEAD)}</p>
        <ul class="recovery-codes">
            {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
        </ul>
        <ActionForm action=done>
            <button type="submit">{t(texts::RECOVERY_DONE)}</button>
        </ActionForm>
    }
}

/// The recovery codes of an enrolment confirmed without JavaScript (the page the server sent
/// the browser back to), at the top of the profile until the user says they kept them.
#[component]
pub(super) fn RecoveryCodesKept() -> impl IntoView {
    let confirmed = form_done::<TotpConfirm>();
    let codes = Resource::new(confirmed, |confirmed| async move {
        if confirmed {
            totp_recovery_codes().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let codes = codes.await;
                (!codes.is_empty())
                    .then(|| {
                        view! {
                            <section class="card totp-enrol" id="second-factor">
                                <p class="success" role="status">{t(texts::TOTP_ENROLLED)}</p>
                                <RecoveryCodes codes />
                            </section>
                        }
                    })
            })}
        </Suspense>
    }
}
