//! The identity-proofing simulator (development and tests only, **not qualified**): it stands
//! in for a remote identity-verification provider's pages (ID-01). The tester chooses the
//! outcome and the name "read from the document"; the user then returns to their profile.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{DevIdentityDecide, dev_identity_get};
use crate::i18n::t;
use crate::{ErrorText, action_error, go_to, texts};

#[component]
pub fn SimulatorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let session = Resource::new(id, dev_identity_get);
    let decide = ServerAction::<DevIdentityDecide>::new();
    Effect::new(move |_| {
        if let Some(Ok(url)) = decide.value().get() {
            go_to(&url);
        }
    });
    view! {
        <Title text=t(texts::SIMULATOR_TITLE) />
        <h1>{t(texts::SIMULATOR_TITLE)}</h1>
        <p class="notice simulator-warning" role="note">{t(texts::SIMULATOR_WARNING)}</p>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(session) if session.decided => {
                        view! { <p>{t(texts::SIMULATOR_DONE)}</p> }.into_any()
                    }
                    Ok(session) => {
                        view! {
                            <dl class="facts">
                                <dt>{t(texts::SIMULATOR_EXPECTED)}</dt>
                                <dd>{session.expected_name.clone()}</dd>
                            </dl>
                            <ActionForm action=decide attr:class="stack-form">
                                <input type="hidden" name="id" value=id />
                                <label>
                                    {t(texts::SIMULATOR_VERIFIED_NAME)}
                                    <input
                                        type="text"
                                        name="verified_name"
                                        required
                                        value=session.expected_name
                                    />
                                </label>
                                <fieldset class="choices">
                                    <legend>{t(texts::SIMULATOR_OUTCOME)}</legend>
                                    <label class="check">
                                        <input type="radio" name="outcome" value="success" checked />
                                        <span>{t(texts::SIMULATOR_SUCCESS)}</span>
                                    </label>
                                    <label class="check">
                                        <input type="radio" name="outcome" value="failure" />
                                        <span>{t(texts::SIMULATOR_FAILURE)}</span>
                                    </label>
                                </fieldset>
                                <button type="submit">{t(texts::SIMULATOR_SUBMIT)}</button>
                                {action_error(move || decide.value().get())}
                            </ActionForm>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorText error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
