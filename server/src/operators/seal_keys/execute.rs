//! The second person's decision on a seal-key request, and the operation carried out at its
//! approval (OPS-06): generate, activate, retire, change the TSA. Each is journaled twice: the
//! approval (`dual_control_approved`) and what it did (`seal_key_generated`,
//! `seal_key_activated`, `seal_key_retired`, `tsa_changed`).
//!
//! The slow steps (the key generation in the HSM, the TSA's test time-stamp) run before the
//! transaction that marks the request executed, so that no database lock is held meanwhile; a
//! key generated for a request approved twice at once is the same key (its label comes from the
//! request), registered once.

use app::api::Caller;
use app::error::AppError;
use domain::roles::RequestStatus;
use domain::seal_keys::{self as rules, SealKeyAction, SealKeyRefusal, SealKeyStatus};
use serde_json::{Value, json};
use sqlx::{Any, Transaction};
use x509_cert::der::EncodePem;

use super::{Payload, key, officer, pending, refused};
use crate::AppState;
use crate::audit::{self, Event};
use crate::error::ServerError;
use crate::operators::Operator;
use crate::operators::roles::expire;
use crate::sealing::{SealingError, parse_pem_bundle, pem_bundle};
use crate::store::roles as requests;
use crate::store::seal_keys::{self as rows, NewKey};

/// A seal or security officer approves request `request_id` (never their own: it is carried
/// out at once) or rejects it (the requester may withdraw their own).
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    request_id: &str,
    approve: bool,
) -> Result<(), ServerError> {
    let operator = officer(state, caller, rules::may_approve).await?;
    expire(state).await?;
    let request = requests::request(state.db.pool(), request_id)
        .await?
        .filter(|r| SealKeyAction::from_code(&r.action).is_some())
        .ok_or(ServerError::User(AppError::NotFound))?;
    if RequestStatus::from_code(&request.status) != Some(RequestStatus::Pending) {
        return Err(ServerError::User(AppError::RequestClosed));
    }
    let own = request.requested_by == operator.principal.account_id;
    if !approve {
        // Anyone who may approve may reject; the requester withdraws their own.
        return reject(state, &operator, request_id).await;
    }
    if own {
        return Err(ServerError::User(AppError::OwnRequest));
    }
    let Some((_, action, payload)) = pending(state)
        .await?
        .into_iter()
        .find(|(r, _, _)| r.id == request_id)
    else {
        return Err(ServerError::User(AppError::RequestClosed));
    };
    let approval = json!({ "request_id": request_id, "action": action.code(),
                           "requested_by": request.requested_by });
    match action {
        SealKeyAction::Generate => generate(state, &operator, request_id, approval).await,
        SealKeyAction::Activate => activate(state, &operator, request_id, &payload, approval).await,
        SealKeyAction::Retire => retire(state, &operator, request_id, &payload, approval).await,
        SealKeyAction::ChangeTsa => {
            change_tsa(state, &operator, request_id, &payload, approval).await
        }
    }
}

async fn reject(
    state: &AppState,
    operator: &Operator,
    request_id: &str,
) -> Result<(), ServerError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let rejected = RequestStatus::Rejected.code();
    let by = &operator.principal.account_id;
    if !requests::decide(
        &mut *tx,
        request_id,
        rejected,
        by,
        now.timestamp_millis(),
        None,
    )
    .await?
    {
        return Err(ServerError::User(AppError::RequestClosed));
    }
    let details = json!({ "request_id": request_id });
    audit::record_in(
        &mut tx,
        now,
        &operator.event("dual_control_rejected", details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Marks the request executed by `operator` inside `tx` and journals the approval and
/// `event` ([`AppError::RequestClosed`] if another decision came first).
async fn executed(
    tx: &mut Transaction<'_, Any>,
    state: &AppState,
    operator: &Operator,
    request_id: &str,
    approval: Value,
    event: (&'static str, Value),
) -> Result<(), ServerError> {
    let now = state.clock.now();
    let by = &operator.principal.account_id;
    let status = RequestStatus::Executed.code();
    if !requests::decide(
        &mut **tx,
        request_id,
        status,
        by,
        now.timestamp_millis(),
        None,
    )
    .await?
    {
        return Err(ServerError::User(AppError::RequestClosed));
    }
    audit::record_in(tx, now, &operator.event("dual_control_approved", approval)).await?;
    audit::record_in(tx, now, &operator.event(event.0, event.1)).await?;
    Ok(())
}

/// The label of the key a generation request makes: `seal-` and the random end of its id.
fn label_for(request_id: &str) -> String {
    let hex: String = request_id.chars().filter(char::is_ascii_hexdigit).collect();
    format!("seal-{}", &hex[hex.len().saturating_sub(12)..])
}

async fn generate(
    state: &AppState,
    operator: &Operator,
    request_id: &str,
    approval: Value,
) -> Result<(), ServerError> {
    let label = label_for(request_id);
    let hsm = state.sealer.hsm().clone();
    let dev_pki = state.seal.dev_pki.clone();
    let now = std::time::SystemTime::from(state.clock.now());
    let made = {
        let label = label.clone();
        tokio::task::spawn_blocking(move || {
            hsm.ensure_rsa_key(&label)?;
            let public = hsm.public_key(&label)?;
            let certificate = dev_pki
                .map(|pki| pki.issue_seal_certificate(&hsm, &label, now))
                .transpose()?;
            Ok::<_, evidence::Error>((public, certificate))
        })
        .await?
        .map_err(SealingError::from)?
    };
    let (public, certificate) = made;
    let pem = |e: x509_cert::der::Error| ServerError::internal(format!("PEM: {e}"));
    let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::from_key(public)
        .map_err(|e| ServerError::internal(format!("public key: {e}")))?
        .to_pem(x509_cert::der::pem::LineEnding::LF)
        .map_err(pem)?;
    let certificate_pem = certificate
        .as_ref()
        .map(|c| c.to_pem(x509_cert::der::pem::LineEnding::LF))
        .transpose()
        .map_err(pem)?;
    let status = match certificate {
        Some(_) => SealKeyStatus::Ready,
        None => SealKeyStatus::Generated,
    };
    let id = uuid::Uuid::now_v7().to_string();
    let at = state.clock.now();
    let mut tx = state.db.begin().await?;
    let new = NewKey {
        id: &id,
        label: &label,
        status: status.code(),
        origin: "generated",
        public_key: &spki,
        certificate: certificate_pem.as_deref(),
        request_id: Some(request_id),
        at: at.timestamp_millis(),
    };
    if !rows::insert(&mut *tx, &new).await? {
        return Err(ServerError::User(AppError::RequestClosed));
    }
    let mut details = json!({ "request_id": request_id, "key_id": id, "label": label,
        "token": state.sealer.hsm().token_label(), "algorithm": "RSA-3072",
        "status": status.code() });
    if let Some(cert) = &certificate {
        details["certificate_subject"] = json!(cert.tbs_certificate.subject.to_string());
        details["certificate_serial"] = json!(crate::ledger::hex(
            cert.tbs_certificate.serial_number.as_bytes()
        ));
    }
    executed(
        &mut tx,
        state,
        operator,
        request_id,
        approval,
        ("seal_key_generated", details),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(event = "seal_key_generated", key = %label, "seal key generated in the token");
    Ok(())
}

async fn activate(
    state: &AppState,
    operator: &Operator,
    request_id: &str,
    payload: &Payload,
    approval: Value,
) -> Result<(), ServerError> {
    let key_id = payload.key_id.as_deref().unwrap_or_default();
    let (key, status) = key(state, key_id).await?;
    status.activation().map_err(refused)?;
    // The key must be usable by this instance before every instance turns to it.
    state.sealer.check_key(&key).await?;
    let at = state.clock.now();
    let mut tx = state.db.begin().await?;
    rows::deactivate_all(&mut *tx).await?;
    if !rows::activate(&mut *tx, &key.id, at.timestamp_millis()).await? {
        return Err(refused(SealKeyRefusal::NoCertificate));
    }
    rows::bump(&mut *tx, at.timestamp_millis()).await?;
    let details = json!({ "request_id": request_id, "key_id": key.id, "label": key.label,
                          "token": state.sealer.hsm().token_label() });
    executed(
        &mut tx,
        state,
        operator,
        request_id,
        approval,
        ("seal_key_activated", details),
    )
    .await?;
    tx.commit().await?;
    follow(state).await;
    Ok(())
}

async fn retire(
    state: &AppState,
    operator: &Operator,
    request_id: &str,
    payload: &Payload,
    approval: Value,
) -> Result<(), ServerError> {
    let key_id = payload.key_id.as_deref().unwrap_or_default();
    let (key, status) = key(state, key_id).await?;
    status.retirement().map_err(refused)?;
    let at = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !rows::retire(&mut *tx, &key.id, at.timestamp_millis()).await? {
        // Activated meanwhile.
        return Err(refused(SealKeyRefusal::RetireActive));
    }
    let details = json!({ "request_id": request_id, "key_id": key.id, "label": key.label });
    executed(
        &mut tx,
        state,
        operator,
        request_id,
        approval,
        ("seal_key_retired", details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn change_tsa(
    state: &AppState,
    operator: &Operator,
    request_id: &str,
    payload: &Payload,
    approval: Value,
) -> Result<(), ServerError> {
    let url = payload.tsa_url.clone().unwrap_or_default();
    let roots = parse_pem_bundle(payload.trust_roots.as_deref().unwrap_or_default())
        .map_err(|_| refused(SealKeyRefusal::TrustRoots))?;
    if let Err(error) = state.sealer.probe_tsa(&url, &roots).await {
        tracing::warn!(%error, tsa = %url, "the TSA did not answer the test time-stamp");
        let details =
            json!({ "request_id": request_id, "tsa_url": url, "error": error.to_string() });
        let event = Event {
            category: "operators",
            action: "tsa_change_refused",
            actor: Some(operator.principal.account_id.clone()),
            details,
        };
        audit::record(&state.db, state.clock.now(), &event).await?;
        return Err(refused(SealKeyRefusal::TsaUnreachable));
    }
    let at = state.clock.now();
    let mut tx = state.db.begin().await?;
    let current = rows::state(&mut *tx).await?;
    let mut history =
        parse_pem_bundle(&current.tsa_roots_history).map_err(ServerError::internal)?;
    for root in &roots {
        if !history.contains(root) {
            history.push(root.clone());
        }
    }
    let roots_pem = pem_bundle(&roots);
    rows::set_tsa(
        &mut *tx,
        &url,
        &roots_pem,
        &pem_bundle(&history),
        at.timestamp_millis(),
    )
    .await?;
    let details = json!({ "request_id": request_id, "tsa_url": url,
        "previous_tsa_url": state.sealer.tsa_url(), "trust_roots": roots.len() });
    executed(
        &mut tx,
        state,
        operator,
        request_id,
        approval,
        ("tsa_changed", details),
    )
    .await?;
    tx.commit().await?;
    follow(state).await;
    Ok(())
}

/// This instance turns to the new settings at once (the others before their next seal).
async fn follow(state: &AppState) {
    if let Err(error) = state.sealer.follow().await {
        tracing::error!(%error, "cannot reload the seal settings: the next seal will retry");
    }
}
