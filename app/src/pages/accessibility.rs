//! `/accessibilite`: the accessibility statement (issue 11; RGAA 4.1's model), linked from
//! every page's footer with the conformity status.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::Info;
use crate::i18n::t;
use crate::texts;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let contact = expect_context::<Info>()
        .0
        .and_then(|info| info.contact_email);
    view! {
        <Title text=t(texts::A11Y_TITLE) />
        <h1>{t(texts::A11Y_TITLE)}</h1>
        <p class="lead">{t(texts::A11Y_LEAD)}</p>
        <section class="a11y-status">
            <h2>{t(texts::A11Y_STATUS_TITLE)}</h2>
            <p>{t(texts::A11Y_STATUS)}</p>
        </section>
        <section class="a11y-tested">
            <h2>{t(texts::A11Y_TESTED_TITLE)}</h2>
            <ul>{texts::A11Y_TESTED.into_iter().map(|text| view! { <li>{t(text)}</li> }).collect_view()}</ul>
        </section>
        <section class="a11y-not-tested">
            <h2>{t(texts::A11Y_NOT_TESTED_TITLE)}</h2>
            <ul>{texts::A11Y_NOT_TESTED.into_iter().map(|text| view! { <li>{t(text)}</li> }).collect_view()}</ul>
        </section>
        <section>
            <h2>{t(texts::A11Y_NOT_ACCESSIBLE_TITLE)}</h2>
            <p>{t(texts::A11Y_NOT_ACCESSIBLE)}</p>
        </section>
        <section class="a11y-contact">
            <h2>{t(texts::A11Y_CONTACT_TITLE)}</h2>
            <p>{t(texts::A11Y_CONTACT)}</p>
            {match contact {
                Some(address) => {
                    let href = format!("mailto:{address}");
                    view! {
                        <p>
                            {t(texts::A11Y_CONTACT_ADDRESS)} " "
                            <a href=href>{address}</a>
                        </p>
                    }
                        .into_any()
                }
                None => view! { <p>{t(texts::A11Y_CONTACT_NONE)}</p> }.into_any(),
            }}
        </section>
        <section class="a11y-recourse">
            <h2>{t(texts::A11Y_RECOURSE_TITLE)}</h2>
            <p>{t(texts::A11Y_RECOURSE)}</p>
            <ul>
                <li>
                    <a href="https://formulaire.defenseurdesdroits.fr/">{t(texts::A11Y_RECOURSE_FORM)}</a>
                </li>
                <li>
                    <a href="https://www.defenseurdesdroits.fr/saisir/delegues">{t(texts::A11Y_RECOURSE_DELEGATE)}</a>
                </li>
                <li>{t(texts::A11Y_RECOURSE_POST)}</li>
            </ul>
        </section>
        <section>
            <h2>{t(texts::A11Y_DATE_TITLE)}</h2>
            <p>{t(texts::A11Y_DATE)}</p>
        </section>
    }
}
