//! Passkeys in the profile (issue 14, AUTH-01): a first passkey instead of (or replacing) the
//! authenticator app, with its recovery codes shown once; then one passkey per device, listed
//! and removed one by one, or back to an app. WebAuthn is a browser API: these forms need
//! JavaScript.

use leptos::prelude::*;

use super::totp::{RecoveryCodes, TotpEnrol};
use crate::error::AppError;
use crate::i18n::{Tr, t, use_lang};
use crate::passkeys::{PasskeyRemove, fetch_passkeys};
use crate::when::Time;
use crate::{ErrorText, action_error, texts, use_auth};

/// Registering a passkey named by its input: the recovery codes of a first passkey.
type Register = Action<String, Result<Vec<String>, AppError>>;

fn register_action() -> Register {
    Action::new_unsync(|name: &String| crate::passkeys::register(name.clone()))
}

/// A first passkey: instead of an app (`lead` says which case).
#[component]
pub(super) fn PasskeyEnrol(lead: Tr) -> impl IntoView {
    let create = register_action();
    view! {
        <section class="card passkey-enrol" id="passkeys">
            <h2>{t(texts::passkeys::TITLE)}</h2>
            {move || match create.value().get() {
                Some(Ok(codes)) => {
                    view! {
                        <p class="success" role="status">{t(texts::passkeys::ENROLLED)}</p>
                        <RecoveryCodes codes />
                    }
                        .into_any()
                }
                _ => {
                    view! {
                        <p>{t(lead)}</p>
                        <NameForm action=create submit=texts::passkeys::CREATE />
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// The account's passkeys: listed with their dates, removed one by one (the last one takes
/// the second factor with it), one more added, or an app instead.
#[component]
pub(super) fn PasskeyManage() -> impl IntoView {
    let auth = use_auth();
    let add = register_action();
    let remove = ServerAction::<PasskeyRemove>::new();
    let keys = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| fetch_passkeys(),
    );
    let to_app = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(remove.value().get(), Some(Ok(()))) {
            auth.refresh();
        }
    });
    view! {
        <section class="card passkey-manage" id="passkeys">
            <h2>{t(texts::passkeys::TITLE)}</h2>
            <p>{t(texts::passkeys::MANAGE_LEAD)}</p>
            <Suspense fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) => {
                            view! {
                                <ul class="passkeys">
                                    {list
                                        .into_iter()
                                        .map(|key| view! { <Key key remove /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorText error /> }.into_any(),
                    }
                })}
            </Suspense>
            {action_error(move || remove.value().get())}
            <Show when=move || matches!(add.value().get(), Some(Ok(_)))>
                <p class="success" role="status">{t(texts::passkeys::ADDED)}</p>
            </Show>
            <NameForm action=add submit=texts::passkeys::ADD />
            <Show
                when=move || to_app.get()
                fallback=move || {
                    view! {
                        <button type="button" class="passkey-to-app" on:click=move |_| to_app.set(true)>
                            {t(texts::passkeys::TO_APP)}
                        </button>
                    }
                }
            >
                <TotpEnrol />
            </Show>
        </section>
    }
}

/// One passkey of the list.
#[component]
fn Key(key: crate::passkeys::PasskeyView, remove: ServerAction<PasskeyRemove>) -> impl IntoView {
    view! {
        <li class="passkey">
            <strong class="passkey-name">{key.name}</strong>
            <span class="muted">
                " " {t(texts::passkeys::ADDED_ON)} " " <Time at=key.created_at /> " · "
                {match key.last_used_at {
                    Some(at) => view! { {t(texts::passkeys::LAST_USED)} " " <Time at /> }.into_any(),
                    None => view! { {t(texts::passkeys::NEVER_USED)} }.into_any(),
                }}
            </span>
            <ActionForm action=remove attr:class="inline">
                <input type="hidden" name="id" value=key.id />
                <button type="submit" class="danger passkey-remove">
                    {t(texts::passkeys::REMOVE)}
                </button>
            </ActionForm>
        </li>
    }
}

/// The name of a new passkey ("Passkey" unless changed) and the button that creates it.
#[component]
fn NameForm(action: Register, submit: Tr) -> impl IntoView {
    let lang = use_lang();
    let name = RwSignal::new(
        texts::passkeys::NAME_DEFAULT
            .get(lang.get_untracked())
            .to_owned(),
    );
    view! {
        <form
            class="stack-form passkey-form"
            on:submit=move |event| {
                event.prevent_default();
                action.dispatch(name.get_untracked());
            }
        >
            <label>
                {t(texts::passkeys::NAME_LABEL)}
                <input type="text" name="name" maxlength="60" required bind:value=name />
            </label>
            <button type="submit" class="passkey-create" disabled=move || action.pending().get()>
                {t(submit)}
            </button>
            {action_error(move || action.value().get())}
        </form>
    }
}
