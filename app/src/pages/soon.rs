//! Pages whose feature is built by a later issue: they say so plainly.

#![allow(
    dead_code,
    reason = "kept for the pages of later issues; none is pending since sign-in and sign-up exist"
)]

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{Tr, t};
use crate::texts;

#[component]
fn Soon(title: Tr, #[prop(optional)] lead: Option<Tr>) -> impl IntoView {
    view! {
        <Title text=t(title) />
        <h1>{t(title)}</h1>
        {lead.map(|lead| view! { <p class="lead">{t(lead)}</p> })}
        <p class="notice">{t(texts::SOON)}</p>
    }
}
