//! New editions of the published documents (OPS-07; policy §1.2.3-§1.2.5; `app::terms`):
//!
//! - [`announce_due`]: on its announcement date, an edition not yet in force is announced by
//!   email to every active account, once (the `terms_announcement` row), at least a month
//!   before it applies (the editions' dates are checked by `app::terms`' tests);
//! - [`pending`]: from its effective date, an account that accepted an older edition of the
//!   sender terms is asked to accept the one in force ([`accept`]) at its next sign-in, and
//!   cannot send before it does ([`require_current`]).

use app::api::Caller;
use app::error::AppError;
use app::terms::{Document, DocumentKind};
use app::validation::Invalid;
use serde_json::json;

use crate::AppState;
use crate::audit::{self, Event};
use crate::error::ServerError;
use crate::mail::Outbox;
use crate::store::accounts;

/// The edition of the sender terms in force that `account_id` has not accepted, if any.
pub async fn pending(
    state: &AppState,
    account_id: &str,
) -> Result<Option<&'static Document>, ServerError> {
    let in_force = DocumentKind::SenderTerms.in_force(&state.legal_today());
    let accepted = accounts::terms_version(state.db.pool(), account_id).await?;
    Ok((accepted.as_deref() != Some(in_force.version)).then_some(in_force))
}

/// [`AppError::TermsToAccept`] while `account_id` has not accepted the sender terms in force.
pub async fn require_current(state: &AppState, account_id: &str) -> Result<(), ServerError> {
    match pending(state, account_id).await? {
        Some(terms) => Err(AppError::TermsToAccept {
            version: terms.version.to_owned(),
        }
        .into()),
        None => Ok(()),
    }
}

/// The signed-in caller accepts the sender terms `version`, which must be the edition in
/// force; recorded with its OID and journaled.
pub async fn accept(state: &AppState, caller: &Caller, version: &str) -> Result<(), ServerError> {
    let principal = state.principal(caller).await?;
    let published = state
        .publication
        .get(DocumentKind::SenderTerms, &state.legal_today());
    if version != published.version {
        return Err(Invalid::Terms.into());
    }
    let mut tx = state.db.begin().await?;
    accounts::set_terms(
        &mut *tx,
        &principal.account_id,
        published.version,
        &published.oid,
    )
    .await?;
    let event = Event {
        category: "account",
        action: "terms_accepted",
        actor: Some(principal.account_id.clone()),
        details: json!({
            "user_id": principal.account_id,
            "terms_version": published.version,
            "terms_oid": published.oid,
            "ip": caller.ip,
        }),
    };
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Announces every edition whose announcement date has come and which is not yet in force,
/// once: an email to every active account, journaled. Returns how many editions this call
/// announced.
pub async fn announce_due(state: &AppState) -> Result<usize, ServerError> {
    let today = state.legal_today();
    let mut announced = 0;
    for kind in DocumentKind::ALL {
        for edition in kind.upcoming(&today) {
            if edition.announced > today.as_str() {
                continue;
            }
            let addresses = accounts::active_addresses(state.db.pool()).await?;
            let now = state.clock.now();
            let mut tx = state.db.begin().await?;
            let claimed = accounts::claim_announcement(
                &mut *tx,
                &format!("{kind:?}"),
                edition.version,
                now.timestamp_millis(),
                addresses.len() as i64,
            )
            .await?;
            if !claimed {
                continue;
            }
            let base = state.public_url();
            for address in &addresses {
                let email = crate::mail::account::new_terms(address, edition, base);
                Outbox::queue_in(&state.jobs, &mut tx, &email, now).await?;
            }
            let event = Event {
                category: "terms",
                action: "edition_announced",
                actor: None,
                details: json!({
                    "document": format!("{kind:?}"),
                    "version": edition.version,
                    "effective": edition.effective,
                    "recipients": addresses.len(),
                }),
            };
            audit::record_in(&mut tx, now, &event).await?;
            tx.commit().await?;
            announced += 1;
        }
    }
    Ok(announced)
}
