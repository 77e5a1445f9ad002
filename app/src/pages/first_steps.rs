//! First steps (issue 11): the checklist of an account that cannot send yet (after sign-up, on
//! the home page and the profile), and the compose page's "before you can send". Both say
//! what [`crate::first_steps::missing`] finds.

use leptos::prelude::*;

use crate::first_steps::{Progress, Step, checklist, missing};
use crate::i18n::{Tr, t};
use crate::letters::recipient_choices;
use crate::types::SignedInUser;
use crate::{texts, use_auth};

/// A step's name, and the link to where it is done (none for the address: the link is in the
/// mailbox).
fn step_texts(step: Step) -> (Tr, Option<(&'static str, Tr)>) {
    match step {
        Step::ConfirmAddress => (texts::STEP_CONFIRM, None),
        Step::SecondFactor => (
            texts::STEP_SECOND_FACTOR,
            Some(("/profile#second-factor", texts::STEP_SECOND_FACTOR_ACTION)),
        ),
        Step::ProveIdentity => (
            texts::STEP_IDENTITY,
            Some(("/profile#identity", texts::STEP_IDENTITY_ACTION)),
        ),
        Step::Customer => (
            texts::STEP_CUSTOMER,
            Some(("/customer", texts::STEP_CUSTOMER_ACTION)),
        ),
        Step::Recipient => (
            texts::STEP_RECIPIENT,
            Some(("/contacts", texts::STEP_RECIPIENT_ACTION)),
        ),
    }
}

/// The code of a step, for the page's classes (and the tests).
fn step_code(step: Step) -> &'static str {
    match step {
        Step::ConfirmAddress => "confirm-address",
        Step::SecondFactor => "second-factor",
        Step::ProveIdentity => "identity",
        Step::Customer => "customer",
        Step::Recipient => "recipient",
    }
}

/// The checklist of `user` (`None`: just signed up, not signed in), while a step is left:
/// each step done or to do, and the action of the next one.
#[component]
pub fn FirstSteps(user: Option<SignedInUser>) -> impl IntoView {
    checklist(Progress::of(user.as_ref())).map(steps_view)
}

fn steps_view(steps: Vec<(Step, bool)>) -> impl IntoView {
    let next = steps.iter().find(|(_, done)| !done).map(|(step, _)| *step);
    let items = steps
        .into_iter()
        .map(|(step, done)| {
            let (name, action) = step_texts(step);
            let is_next = next == Some(step);
            let state = if done {
                texts::STEP_DONE
            } else if is_next {
                texts::STEP_NEXT
            } else {
                texts::STEP_TO_DO
            };
            let class = format!(
                "step {} {}",
                step_code(step),
                if done { "done" } else { "to-do" }
            );
            let action = is_next.then(|| match action {
                Some((href, label)) => {
                    view! { <a href=href class="button primary step-action">{t(label)}</a> }
                        .into_any()
                }
                None => view! { <span class="step-action">{t(texts::STEP_CONFIRM_ACTION)}</span> }
                    .into_any(),
            });
            view! {
                <li class=class aria-current=is_next.then_some("step")>
                    <span class="step-name">{t(name)}</span>
                    " "
                    <span class="step-state">"(" {t(state)} ")"</span>
                    {action}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card first-steps" aria-labelledby="first-steps-title">
            <h2 id="first-steps-title">{t(texts::FIRST_STEPS_TITLE)}</h2>
            <p>{t(texts::FIRST_STEPS_LEAD)}</p>
            <ol class="checklist">{items}</ol>
        </section>
    }
}

/// The signed-in user's checklist, while a step is left (nothing for visitors).
#[component]
pub fn FirstStepsOfUser() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.state.await {
                    Ok(state) if state.signed_in() => view! { <FirstSteps user=state.user /> }
                        .into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// Compose: what is still missing to send, before the sender writes anything (nothing once
/// the account may send).
#[component]
pub fn MissingToSend() -> impl IntoView {
    let auth = use_auth();
    let choices = Resource::new(|| (), |()| recipient_choices());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let state = auth.state.await;
                let user = match state {
                    Ok(state) if state.signed_in() => state.user,
                    _ => return ().into_any(),
                };
                let choices = choices.await;
                let progress = Progress::of(user.as_ref()).with_recipients(&choices);
                let missing = missing(progress);
                if missing.is_empty() {
                    return ().into_any();
                }
                let items = missing
                    .into_iter()
                    .map(|step| {
                        let (name, action) = step_texts(step);
                        let class = format!("step {}", step_code(step));
                        view! {
                            <li class=class>
                                <span class="step-name">{t(name)}</span>
                                {action.map(|(href, label)| view! {
                                    " " <a href=href class="step-action">{t(label)}</a>
                                })}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="notice missing-to-send" aria-labelledby="missing-title">
                        <h2 id="missing-title">{t(texts::MISSING_TITLE)}</h2>
                        <p>{t(texts::MISSING_LEAD)}</p>
                        <ul>{items}</ul>
                    </section>
                }
                .into_any()
            })}
        </Transition>
    }
}
