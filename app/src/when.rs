//! Times as people read them (issue 11): the server sends each time as RFC 3339 in the legal
//! time zone ([`domain::time::legal_rfc3339`]); pages show it in words, in the current
//! language, with the one formatting function that emails and evidence use too
//! ([`domain::time::in_words`]), and keep UTC in the machine-readable `datetime` attribute.

use domain::time::{self, Language};
use leptos::prelude::*;

use crate::i18n::{Lang, use_lang};

/// The time language of an interface language.
pub fn language(lang: Lang) -> Language {
    match lang {
        Lang::Fr => Language::French,
        Lang::En => Language::English,
    }
}

/// A time in words: "le 30 novembre 2026 à 15 h 38" / "30 November 2026 at 15:38".
pub fn in_words(lang: Lang, rfc3339: &str) -> String {
    time::in_words(rfc3339, language(lang))
}

/// A time in words in a `<time>` element whose `datetime` is the UTC instant. `lang`: the
/// language signal when the caller has it at hand ([`crate::i18n::tr`]).
#[component]
pub fn Time(at: String, #[prop(optional)] lang: Option<RwSignal<Lang>>) -> impl IntoView {
    let lang = lang.unwrap_or_else(use_lang);
    let machine = time::utc(&at).unwrap_or_else(|| at.clone());
    let title = machine.replace('T', " ").replace('Z', " UTC");
    view! { <time datetime=machine title=title>{move || in_words(lang.get(), &at)}</time> }
}

/// The time of day of a time: "15 h 38" / "15:38".
#[component]
pub fn Clock(at: String) -> impl IntoView {
    let lang = use_lang();
    let machine = time::utc(&at).unwrap_or_else(|| at.clone());
    view! { <time datetime=machine>{move || time::clock_in_words(&at, language(lang.get()))}</time> }
}

/// A calendar day of the legal time zone (`YYYY-MM-DD`) in words: "15 décembre 2026".
#[component]
pub fn Day(day: String, #[prop(optional)] lang: Option<RwSignal<Lang>>) -> impl IntoView {
    let lang = lang.unwrap_or_else(use_lang);
    let shown = day.clone();
    view! {
        <time class="day" datetime=day>
            {move || time::day_in_words(&shown, language(lang.get()))}
        </time>
    }
}

/// The calendar day of a time, in words ("30 novembre 2026"), for dates whose hour does not
/// matter (consents).
#[component]
pub fn DayOf(at: String) -> impl IntoView {
    let day = at.get(..10).unwrap_or(&at).to_owned();
    view! { <Day day /> }
}
