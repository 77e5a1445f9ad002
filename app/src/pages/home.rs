use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::i18n::t;
use crate::pages::first_steps::FirstStepsOfUser;
use crate::texts;

/// The public home page: what the service is, how it works, where to go next.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=t(texts::BRAND_TAGLINE) />
        // Signed in with steps left before a first sending: the next one first (issue 11).
        <FirstStepsOfUser />
        <section class="hero">
            <h1>{t(texts::HOME_TITLE)}</h1>
            <p class="lead">{t(texts::HOME_LEAD)}</p>
            <div class="actions">
                <A href="/signup" attr:class="button primary">{t(texts::HOME_START)}</A>
                <A href="/signin" attr:class="button">{t(texts::NAV_SIGN_IN)}</A>
            </div>
        </section>
        <section class="steps">
            <h2>{t(texts::HOME_HOW)}</h2>
            <ol>
                <li>{t(texts::HOME_STEP_1)}</li>
                <li>{t(texts::HOME_STEP_2)}</li>
                <li>{t(texts::HOME_STEP_3)}</li>
                <li>{t(texts::HOME_STEP_4)}</li>
            </ol>
        </section>
        <section class="card verify-cta">
            <p>{t(texts::HOME_VERIFY_LEAD)}</p>
            <A href="/verify" attr:class="button">{t(texts::NAV_VERIFY)}</A>
            " "
            <A href="/policy">{t(texts::NAV_POLICY)}</A>
        </section>
    }
}
