//! The development clock: move service time forward to demonstrate deadlines.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::ErrorText;
use crate::api::{DevClockAdvance, DevClockReset, dev_clock_get};
use crate::i18n::{Tr, t};
use crate::texts;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

#[component]
pub fn ClockPage() -> impl IntoView {
    let advance = ServerAction::<DevClockAdvance>::new();
    let reset = ServerAction::<DevClockReset>::new();
    let clock = Resource::new(
        move || (advance.version().get(), reset.version().get()),
        |_| dev_clock_get(),
    );
    let step = move |label: Tr, seconds: i64| {
        view! {
            <ActionForm action=advance attr:class="inline">
                <input type="hidden" name="seconds" value=seconds.to_string() />
                <button type="submit">{t(label)}</button>
            </ActionForm>
        }
    };
    view! {
        <Title text=t(texts::CLOCK_TITLE) />
        <h1>{t(texts::CLOCK_TITLE)}</h1>
        <p class="lead">{t(texts::CLOCK_LEAD)}</p>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match clock.await {
                    Ok(state) => view! {
                        <dl class="facts">
                            <dt>{t(texts::CLOCK_NOW)}</dt>
                            <dd><time class="clock-now">{state.now}</time></dd>
                            <dt>{t(texts::CLOCK_OFFSET)}</dt>
                            <dd class="clock-offset">{format_offset(state.offset_seconds)}</dd>
                        </dl>
                    }.into_any(),
                    Err(error) => view! { <ErrorText error /> }.into_any(),
                }
            })}
        </Transition>
        <div class="actions">
            {step(texts::CLOCK_PLUS_HOUR, HOUR)}
            {step(texts::CLOCK_PLUS_DAY, DAY)}
            {step(texts::CLOCK_PLUS_4DAYS, 4 * DAY)}
            <ActionForm action=reset attr:class="inline">
                <button type="submit">{t(texts::CLOCK_RESET)}</button>
            </ActionForm>
        </div>
    }
}

/// "+1 d 02:00:00"-style offset, language-neutral.
fn format_offset(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "+" };
    let s = seconds.unsigned_abs();
    format!(
        "{sign}{} d {:02}:{:02}:{:02}",
        s / 86_400,
        s % 86_400 / 3600,
        s % 3600 / 60,
        s % 60
    )
}
