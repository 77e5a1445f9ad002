//! The reception of a letter, from the notification link `/received/<transaction id>?t=<token>`
//! (LET-05..LET-11): the recipient identifies (an account with a fresh second-factor code, or
//! an identity proofing at this reception, ID-03), then accepts or refuses; after acceptance
//! the sender and the content are shown, each attachment with its SHA-256, and a downloaded
//! file can be checked against them in the browser.

use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::texts;
use super::{Day, FreshCode, LetterError, StatusBadge};
use crate::error::AppError;
use crate::i18n::t;
use crate::letters::{
    LetterAccept, LetterRefuse, Reception, ReceptionProofingStart, ReceptionReactivate,
    RecipientAuth, fetch_reception, letter_accept, letter_refuse, reception_proofing_start,
    reception_reactivate,
};
use crate::lifecycle::TransactionStatus;
use crate::pages::terms::{DocumentFacts, DocumentText};
use crate::terms::{DocumentKind, RECIPIENT_TERMS_VERSION};
use crate::{go_to, texts as common};
use leptos::server_fn::ServerFn;

use super::delivered::{Delivered, DossierLink};

/// How often the page asks again while an identity proofing is pending.
const POLL_EVERY: Duration = Duration::from_secs(2);

#[component]
pub fn ReceptionPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let version = RwSignal::new(0_u32);
    let reception = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("t").filter(|t| !t.is_empty()),
                version.get(),
            )
        },
        |(id, token, _)| fetch_reception(id, token),
    );
    let refresh = Callback::new(move |()| version.update(|v| *v += 1));
    // While a proofing is pending, ask again every two seconds; when the reception session or
    // the OTP session ends, ask again so that the page offers to identify anew.
    Effect::new(move |_| {
        let Some(Ok(current)) = reception.get() else {
            return;
        };
        let after = match current.auth {
            RecipientAuth::ProofingPending => Some(POLL_EVERY),
            _ if current.status != TransactionStatus::Awaiting => None,
            RecipientAuth::Reception { seconds_left, .. }
            | RecipientAuth::Account {
                otp_seconds_left: seconds_left,
                ..
            } if seconds_left > 0 => u64::try_from(seconds_left)
                .ok()
                .map(|s| Duration::from_secs(s + 1)),
            _ => None,
        };
        if let Some(after) = after {
            set_timeout(
                move || {
                    let _ = version.try_update(|v| *v += 1);
                },
                after,
            );
        }
    });
    let token = Signal::derive(move || query.read().get("t").filter(|t| !t.is_empty()));
    view! {
        <Title text=t(texts::RECEPTION_TITLE) />
        <h1>{t(texts::RECEPTION_TITLE)}</h1>
        <Transition fallback=move || view! { <p>{t(common::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match reception.await {
                    Ok(reception) => view! { <ReceptionView reception token refresh /> }.into_any(),
                    Err(error) => view! { <LetterError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReceptionView(
    reception: Reception,
    token: Signal<Option<String>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let status = reception.status;
    // Policy §6.4: a letter to a company goes to its representative or a delegate.
    let company = reception.company.clone().map(|company| {
        view! {
            <p class="for-company">
                {t(texts::FOR_COMPANY)} " " <strong class="company-name">{company}</strong> ". "
                {t(texts::FOR_COMPANY_RULE)}
            </p>
        }
    });
    let head = view! {
        <p class="reception-status">
            <StatusBadge status />
        </p>
        {company}
    };
    let body = match status {
        TransactionStatus::Refused => view! {
            <p class="notice refused">{t(texts::REFUSED_ON)}</p>
            <DossierLink reception=reception.clone() />
        }
        .into_any(),
        TransactionStatus::Expired => {
            view! { <p class="notice expired">{t(texts::EXPIRED_NOTICE)}</p> }.into_any()
        }
        TransactionStatus::Accepted if reception.subject.is_some() => {
            view! { <Delivered reception /> }.into_any()
        }
        TransactionStatus::Accepted => view! {
            <p class="notice">{t(texts::ACCEPTED_NOTICE)}</p>
            <Identify reception token refresh />
        }
        .into_any(),
        TransactionStatus::Awaiting => {
            let last_day = reception.last_day.clone();
            let can_decide = reception.can_decide;
            let transaction_id = reception.transaction_id.clone();
            view! {
                <p class="notice awaits">
                    {t(texts::RECEPTION_AWAITS)} " " <Day day=last_day /> "."
                </p>
                <Identify reception token refresh />
                {can_decide.then(|| view! { <Decide transaction_id refresh /> })}
            }
            .into_any()
        }
        // Never shown: a recipient not notified has nothing (the server answers "not found").
        TransactionStatus::Notifying | TransactionStatus::NotNotified => ().into_any(),
    };
    view! {
        {head}
        {body}
    }
}

/// How the recipient identifies, by what the server knows of the caller (ID-03).
#[component]
fn Identify(
    reception: Reception,
    token: Signal<Option<String>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let awaiting = reception.status == TransactionStatus::Awaiting;
    let transaction_id = reception.transaction_id.clone();
    match reception.auth.clone() {
        // A letter to a company is received from the account of a person acting for it
        // (policy §6.4): a proofing at this reception cannot make anyone its addressee.
        RecipientAuth::None if reception.company.is_some() => view! {
            <section class="card identify">
                <div class="actions">
                    <A href=format!("/signin?next=/received/{transaction_id}") attr:class="button">{t(texts::RECEPTION_SIGN_IN)}</A>
                </div>
            </section>
        }
        .into_any(),
        RecipientAuth::None => view! {
            <section class="card identify">
                <p>{t(texts::RECEPTION_IDENTIFY)}</p>
                <div class="actions">
                    <A href=format!("/signin?next=/received/{transaction_id}") attr:class="button">{t(texts::RECEPTION_SIGN_IN)}</A>
                    <ProveIdentity transaction_id token />
                </div>
                <p class="muted">{t(texts::RECEPTION_PROVE_LEAD)}</p>
            </section>
        }
        .into_any(),
        RecipientAuth::ProofingPending => view! {
            <p class="notice proofing-pending" role="status">{t(texts::PROOFING_PENDING)}</p>
        }
        .into_any(),
        RecipientAuth::ProofingFailed { reason } => view! {
            <section class="card identify">
                <p class="error" role="alert">{t(texts::PROOFING_FAILED)} {reason.map(|why| t(crate::texts::identity_failure(&why)))}</p>
                <div class="actions">
                    <A href=format!("/signin?next=/received/{transaction_id}") attr:class="button">{t(texts::RECEPTION_SIGN_IN)}</A>
                    <ProveIdentity transaction_id token />
                </div>
            </section>
        }
        .into_any(),
        RecipientAuth::Account {
            name,
            otp_seconds_left,
        } => view! {
            <p class="identified">{t(texts::SIGNED_IN_AS)} " " <strong>{name}</strong></p>
            {(awaiting && otp_seconds_left <= 0)
                .then(|| {
                    view! {
                        <FreshCode lead=texts::OTP_NEEDED_DECIDE on_done=refresh />
                        <p class="muted">
                            {t(texts::NO_AUTHENTICATOR)} " "
                            <A href="/profile">{t(common::NAV_PROFILE)}</A>
                        </p>
                    }
                })}
        }
        .into_any(),
        RecipientAuth::AccountUnverified { name } => view! {
            <p class="identified">{t(texts::SIGNED_IN_AS)} " " <strong>{name}</strong></p>
            <section class="card identify account-unverified">
                <p>{t(texts::ACCOUNT_NOT_PROVEN)}</p>
                <div class="actions">
                    <A href="/profile" attr:class="button">{t(texts::PROVE_FROM_PROFILE)}</A>
                    <ProveIdentity transaction_id token />
                </div>
            </section>
        }
        .into_any(),
        RecipientAuth::NotTheAddressee { verified_name } if reception.company.is_some() => view! {
            <section class="card not-the-addressee not-the-company" role="alert">
                <p>
                    {t(texts::IDENTIFIED_AS)} " " <strong class="verified-name">{verified_name}</strong>
                </p>
                <p class="error">{t(texts::NOT_THE_COMPANY)}</p>
                <div class="actions">
                    <A href="/organisations" attr:class="button">{t(texts::ACT_FOR_COMPANY)}</A>
                </div>
            </section>
        }
        .into_any(),
        RecipientAuth::NotTheAddressee { verified_name } => view! {
            <section class="card not-the-addressee" role="alert">
                <p>
                    {t(texts::IDENTIFIED_AS)} " " <strong class="verified-name">{verified_name}</strong>
                </p>
                <p class="error">{t(texts::NOT_THE_ADDRESSEE)}</p>
                <div class="actions">
                    <ProveIdentity transaction_id token />
                </div>
            </section>
        }
        .into_any(),
        RecipientAuth::Reception {
            verified_name,
            seconds_left,
        } => view! {
            <p class="identified">
                {t(texts::IDENTIFIED_AS)} " " <strong class="verified-name">{verified_name}</strong>
            </p>
            {(awaiting && seconds_left <= 0)
                .then(|| {
                    view! {
                        <section class="card identify">
                            <p>{t(texts::RECEPTION_SESSION_OVER)}</p>
                            <div class="actions">
                                <ProveIdentity transaction_id token />
                            </div>
                        </section>
                    }
                })}
            <AccountOffer reception />
        }
        .into_any(),
    }
}

/// After a proofing at this reception, when the address has no active account: create one
/// (ID-03), or reactivate the deactivated one here (ACC-02 (3)). The reactivation is a form
/// that works without JavaScript too: the server sends the browser back here with `__done`.
#[component]
pub(super) fn AccountOffer(reception: Reception) -> impl IntoView {
    let action = ServerAction::<ReceptionReactivate>::new();
    let posted = crate::form_done::<ReceptionReactivate>();
    let reactivated = view! {
        <p class="success account-offer" role="status">
            {t(texts::REACTIVATED)} " "
            <A href="/signin">{t(common::NAV_SIGN_IN)}</A>
        </p>
    };
    // Reactivated by a plain post: the address has an active account again, no offer left.
    if posted() {
        return reactivated.into_any();
    }
    if !reception.offer_account {
        return ().into_any();
    }
    if !reception.deactivated_account {
        return view! {
            <p class="account-offer">
                {t(texts::CREATE_ACCOUNT)} " "
                <A href="/signup">{t(common::NAV_SIGN_UP)}</A>
            </p>
        }
        .into_any();
    }
    let transaction_id = StoredValue::new(reception.transaction_id);
    let state = RwSignal::new(
        action
            .value()
            .get_untracked()
            .map(|result| result.map(|_| ())),
    );
    let reactivate = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        leptos::task::spawn_local(async move {
            let result = reception_reactivate(transaction_id.get_value()).await;
            state.set(Some(result.map(|_| ())));
        });
    };
    view! {
        <div class="account-offer">
            {move || match state.get() {
                Some(Ok(())) => view! {
                    <p class="success" role="status">
                        {t(texts::REACTIVATED)} " "
                        <A href="/signin">{t(common::NAV_SIGN_IN)}</A>
                    </p>
                }
                .into_any(),
                other => view! {
                    <p>{t(texts::REACTIVATE_OFFER)}</p>
                    <form method="post" action=ReceptionReactivate::PATH class="inline">
                        <input type="hidden" name="transaction_id" value=transaction_id.get_value() />
                        <button type="submit" class="reactivate" on:click=reactivate>
                            {t(texts::REACTIVATE)}
                        </button>
                    </form>
                    {other.and_then(Result::err).map(|error| view! { <LetterError error /> })}
                }
                .into_any(),
            }}
        </div>
    }
    .into_any()
}

/// Starts an identity proofing at this reception and leaves for the provider's page: a form
/// that works without JavaScript too (the server then answers with the redirect itself).
#[component]
fn ProveIdentity(transaction_id: String, token: Signal<Option<String>>) -> impl IntoView {
    let action = ServerAction::<ReceptionProofingStart>::new();
    let failed = RwSignal::new(action.value().get_untracked().and_then(Result::err));
    let busy = RwSignal::new(false);
    let id = StoredValue::new(transaction_id);
    let start = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        let Some(token) = token.get_untracked() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match reception_proofing_start(id.get_value(), token).await {
                Ok(url) => go_to(&url),
                Err(error) => {
                    busy.set(false);
                    failed.set(Some(error));
                }
            }
        });
    };
    view! {
        <Show
            when=move || token.get().is_some()
            fallback=|| view! { <p class="muted">{t(texts::RECEPTION_NO_TOKEN)}</p> }
        >
            <form method="post" action=ReceptionProofingStart::PATH class="inline">
                <input type="hidden" name="transaction_id" value=id.get_value() />
                <input type="hidden" name="token" value=move || token.get().unwrap_or_default() />
                <button type="submit" class="primary prove" disabled=move || busy.get() on:click=start>
                    {t(texts::RECEPTION_PROVE)}
                </button>
            </form>
        </Show>
        {move || failed.get().map(|error| view! { <LetterError error /> })}
    }
}

/// Where a decision stands.
#[derive(Clone, Debug, PartialEq)]
enum DecideState {
    Idle,
    ConfirmRefuse,
    Working,
    NeedCode,
    Failed(AppError),
}

impl DecideState {
    /// What a failed decision leads to.
    fn after(error: AppError) -> Self {
        match error {
            AppError::OtpSessionRequired => Self::NeedCode,
            error => Self::Failed(error),
        }
    }
}

/// Accept, or refuse after a confirmation (LET-08, LET-09), once the recipient terms in force
/// are accepted (TERMS-01, policy §3.3): the box is sent with the version shown, and the
/// server refuses a decision without them.
///
/// A real form, usable before (or without) the WASM client: accepting posts it; refusing first
/// asks a confirmation through the address (`?refuse`), then posts it to the refusal; the
/// server answers with a redirect back here, its error in the address. With the client, the
/// buttons wait for the box and the decision is made in place.
#[component]
fn Decide(transaction_id: String, refresh: Callback<()>) -> impl IntoView {
    let query = use_query_map();
    let accepted = ServerAction::<LetterAccept>::new();
    let refused = ServerAction::<LetterRefuse>::new();
    // A decision posted without JavaScript that failed comes back in the address.
    let initial = match (
        accepted.value().get_untracked(),
        refused.value().get_untracked(),
    ) {
        (Some(Err(error)), _) | (_, Some(Err(error))) => DecideState::after(error),
        _ if query.read_untracked().get("refuse").is_some() => DecideState::ConfirmRefuse,
        _ => DecideState::Idle,
    };
    let state = RwSignal::new(initial);
    let terms_accepted = RwSignal::new(false);
    // Effects run only in the browser: until the client runs, the buttons stay usable and the
    // box's `required` is what holds the decision back.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let waiting = move || live.get() && !terms_accepted.get();
    let transaction_id = StoredValue::new(transaction_id);
    let decide = move |accept: bool| {
        state.set(DecideState::Working);
        leptos::task::spawn_local(async move {
            let id = transaction_id.get_value();
            let (box_ticked, version) = if terms_accepted.get_untracked() {
                (
                    Some("on".to_owned()),
                    Some(RECIPIENT_TERMS_VERSION.to_owned()),
                )
            } else {
                (None, None)
            };
            let result = if accept {
                letter_accept(id, box_ticked, version).await
            } else {
                letter_refuse(id, box_ticked, version).await
            };
            match result {
                Ok(_) => {
                    state.set(DecideState::Idle);
                    refresh.run(());
                }
                Err(error) => state.set(DecideState::after(error)),
            }
        });
    };
    let code_done = Callback::new(move |()| {
        state.set(DecideState::Idle);
        refresh.run(());
    });
    // The page's address with `refuse` added or removed (the reception token stays).
    let here = move |refuse: bool| {
        let mut pairs: Vec<String> = query
            .read()
            .get("t")
            .map(|token| format!("t={token}"))
            .into_iter()
            .collect();
        if refuse {
            pairs.push("refuse=1".to_owned());
        }
        let path = format!("/received/{}", transaction_id.get_value());
        if pairs.is_empty() {
            path
        } else {
            format!("{path}?{}", pairs.join("&"))
        }
    };
    view! {
        {move || (state.get() == DecideState::NeedCode).then(|| {
            view! { <FreshCode lead=texts::OTP_NEEDED_DECIDE on_done=code_done /> }
        })}
        <form method="post" action=LetterAccept::PATH class="card decide">
            <input type="hidden" name="transaction_id" value=transaction_id.get_value() />
            <input type="hidden" name="terms_version" value=RECIPIENT_TERMS_VERSION />
            <RecipientTerms accepted=terms_accepted />
            {move || match state.get() {
                DecideState::ConfirmRefuse => {
                    view! {
                        <p class="refuse-confirm" role="alert">{t(texts::REFUSE_CONFIRM)}</p>
                        <div class="actions">
                            <button
                                type="submit"
                                formaction=LetterRefuse::PATH
                                class="danger refuse-yes"
                                disabled=waiting
                                on:click=move |event| {
                                    event.prevent_default();
                                    decide(false);
                                }
                            >
                                {t(texts::REFUSE_YES)}
                            </button>
                            <a
                                href=move || here(false)
                                role="button"
                                class="button"
                                on:click=move |event| {
                                    event.prevent_default();
                                    state.set(DecideState::Idle);
                                }
                            >
                                {t(texts::CANCEL)}
                            </a>
                        </div>
                    }
                        .into_any()
                }
                DecideState::NeedCode => ().into_any(),
                other => {
                    let working = other == DecideState::Working;
                    view! {
                        {match other {
                            DecideState::Failed(error) => Some(view! { <LetterError error /> }),
                            _ => None,
                        }}
                        <div class="actions">
                            <button
                                type="submit"
                                class="primary accept"
                                disabled=move || working || waiting()
                                on:click=move |event| {
                                    event.prevent_default();
                                    decide(true);
                                }
                            >
                                {t(texts::ACCEPT)}
                            </button>
                            <a
                                href=move || here(true)
                                role="button"
                                class="button refuse"
                                aria-disabled=move || (working || waiting()).to_string()
                                on:click=move |event| {
                                    event.prevent_default();
                                    if !working && !waiting() {
                                        state.set(DecideState::ConfirmRefuse);
                                    }
                                }
                            >
                                {t(texts::REFUSE)}
                            </a>
                        </div>
                    }
                        .into_any()
                }
            }}
        </form>
    }
}

/// TERMS-01: the recipient terms in force, readable here, and the box that accepts them.
#[component]
fn RecipientTerms(accepted: RwSignal<bool>) -> impl IntoView {
    let (terms, published) = crate::pages::terms::in_force(DocumentKind::RecipientTerms);
    view! {
            <div class="decide-terms">
                <p>{t(texts::DECIDE_TERMS_LEAD)}</p>
                <details class="terms-inline">
                    <summary>{t(texts::DECIDE_TERMS_READ)}</summary>
                    <DocumentFacts document=terms published current=true />
                    <DocumentText document=terms />
                </details>
                <label class="check">
                    <input
                        type="checkbox"
                        name="accept_terms"
                        class="accept-terms"
                        required
                        prop:checked=move || accepted.get()
                        on:change=move |ev| accepted.set(event_target_checked(&ev))
                    />
                    <span>
                        {t(texts::DECIDE_TERMS_ACCEPT)} " "
                        <A href="/terms/recipients" attr:target="_blank">
                            {t(common::TERMS_RECIPIENTS_LINK)} " (version " {RECIPIENT_TERMS_VERSION} ")"
                        </A>
                    </span>
                </label>
            </div>
    }
    .into_any()
}
