//! The page of the emailed consent link `/consent/<token>` (no account needed): who asks, for
//! which address, and the buttons that grant or refuse (CONS-02) and later withdraw (CONS-03).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::contacts::load_error;
use crate::action_error;
use crate::contacts::{
    ConsentGrant, ConsentRefuse, ConsentRequestView, ConsentRevoke, fetch_consent,
};
use crate::i18n::{Tr, t};
use crate::lifecycle::ConsentStatus;
use crate::texts;
use crate::texts::contacts as tx;
use crate::when::DayOf;

#[component]
pub fn ConsentPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let grant = ServerAction::<ConsentGrant>::new();
    let refuse = ServerAction::<ConsentRefuse>::new();
    let revoke = ServerAction::<ConsentRevoke>::new();
    let consent = Resource::new(
        move || {
            (
                token(),
                grant.version().get(),
                refuse.version().get(),
                revoke.version().get(),
            )
        },
        |(token, ..)| fetch_consent(token),
    );
    view! {
        <Title text=t(tx::CONSENT_PAGE_TITLE) />
        <h1>{t(tx::CONSENT_PAGE_TITLE)}</h1>
        {action_error(move || grant.value().get())}
        {action_error(move || refuse.value().get())}
        {action_error(move || revoke.value().get())}
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match consent.await {
                    Ok(consent) => {
                        view! { <ConsentAnswer consent token=token() grant refuse revoke /> }
                            .into_any()
                    }
                    Err(error) => load_error(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn ConsentAnswer(
    consent: ConsentRequestView,
    token: String,
    grant: ServerAction<ConsentGrant>,
    refuse: ServerAction<ConsentRefuse>,
    revoke: ServerAction<ConsentRevoke>,
) -> impl IntoView {
    let status = consent.status;
    let code = tx::consent_code(Some(status), false);
    let lead = match status {
        ConsentStatus::Requested => tx::CONSENT_PAGE_LEAD,
        ConsentStatus::Granted => tx::CONSENT_GRANTED_LEAD,
        ConsentStatus::Refused => tx::CONSENT_REFUSED_LEAD,
        ConsentStatus::Revoked => tx::CONSENT_REVOKED_LEAD,
        ConsentStatus::Expired => tx::CONSENT_EXPIRED_LEAD,
    };
    let (token_grant, token_refuse, token_revoke) = (token.clone(), token.clone(), token);
    view! {
        <section class="card consent-request" data-consent=code>
            <p class="lead consent-lead">{t(lead)}</p>
            <dl class="facts">
                <dt>{t(tx::CONSENT_SENDER)}</dt>
                <dd class="consent-sender">
                    <strong>{consent.sender_name}</strong> " (" {consent.sender_email} ")"
                </dd>
                <dt>{t(tx::CONSENT_YOUR_ADDRESS)}</dt>
                <dd class="consent-recipient">{consent.recipient_email}</dd>
                <dt>{t(tx::CONSENT_STATUS)}</dt>
                <dd class=format!("consent-status consent-{code}") data-consent=code>
                    {t(tx::consent_status(status))}
                </dd>
                {day_fact(tx::CONSENT_REQUESTED_AT, &consent.requested_at)}
                {(status == ConsentStatus::Requested)
                    .then(|| day_fact(tx::CONSENT_EXPIRES_AT, &consent.expires_at))}
                {consent.answered_at.map(|at| day_fact(tx::CONSENT_ANSWERED_AT, &at))}
                {consent.revoked_at.map(|at| day_fact(tx::CONSENT_REVOKED_AT, &at))}
            </dl>
            {match status {
                ConsentStatus::Requested => {
                    view! {
                        <p>{t(tx::CONSENT_EXPLAIN)}</p>
                        <div class="actions">
                            <ActionForm action=grant attr:class="inline">
                                <input type="hidden" name="token" value=token_grant />
                                <button type="submit" class="consent-grant">{t(tx::CONSENT_GRANT)}</button>
                            </ActionForm>
                            <ActionForm action=refuse attr:class="inline">
                                <input type="hidden" name="token" value=token_refuse />
                                <button type="submit" class="consent-refuse secondary">
                                    {t(tx::CONSENT_REFUSE)}
                                </button>
                            </ActionForm>
                        </div>
                    }
                        .into_any()
                }
                ConsentStatus::Granted => {
                    view! {
                        <ActionForm action=revoke attr:class="stack-form">
                            <input type="hidden" name="token" value=token_revoke />
                            <button type="submit" class="danger consent-revoke">
                                {t(tx::CONSENT_REVOKE)}
                            </button>
                        </ActionForm>
                    }
                        .into_any()
                }
                _ => ().into_any(),
            }}
        </section>
    }
}

/// A day among the facts of the request: its label, then the day of `time`.
fn day_fact(label: Tr, time: &str) -> impl IntoView + use<> {
    view! {
        <dt>{t(label)}</dt>
        <dd><DayOf at=time.to_owned() /></dd>
    }
}
