//! Consents of non-professional recipients (CONS-01..CONS-04) and their withdrawal when the
//! recipient deactivates their account (ACC-01). See `docs/consent.md`.
//!
//! - **Request** (CONS-02): the sender asks from a contact; the recipient gets an email that
//!   names the sender (account name and address) and links to `/consent/<token>`. The token is
//!   256 random bits; only its SHA-256 is stored (`consent.token_hash`). The consent row, its
//!   ConsentRequest evidence, the email and the expiry job commit together.
//! - **Answer** (CONS-02, CONS-04): through the link, grant (which confirms the address) or
//!   refuse; each with its evidence and an email to both parties.
//! - **Revocation** (CONS-03): through the same link, or from the recipient's account, or by
//!   deactivating that account (ACC-01); journaled (there is no revocation evidence kind), both
//!   parties told (the sender only, on deactivation: the recipient gets the deactivation mail).
//! - **Expiry** (CONS-04): a request unanswered for [`CONSENT_REQUEST_DAYS`] days expires by a
//!   job, with its evidence and an email to the sender.
//!
//! Every state change goes through [`ConsentStatus::apply`] and a conditional `UPDATE ...
//! WHERE status = <the state it leaves>`, so that a double click or a job racing a click
//! changes a consent once.
//!
//! The status that counts for a sender and an address is the latest row by `requested_at` for
//! `(sender_id, recipient_email_key)`: [`consent_allows`].

use app::api::Caller;
use app::contacts::{ConsentRequestView, GrantedConsent};
use app::error::AppError;
use app::lifecycle::{CONSENT_REQUEST_DAYS, ConsentEvent, ConsentStatus, may_send};
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use evidence::pades::{Evidence, EvidenceKind, Party, keys};
use serde_json::json;
use sqlx::{Any, Transaction};

use super::email_key;
use crate::AppState;
use crate::account::principal::Principal;
use crate::account::session::{new_token, token_hash};
use crate::audit::{self, Event};
use crate::clock::Clock;
use crate::db::Db;
use crate::jobs::{Handler, Job, Jobs, NewJob};
use crate::mailer::{Email, Outbox};
use crate::sealing::{self, Sealer};
use crate::services::internal;

/// The job kind of a consent request's expiry (CONS-04), due at the request's `expires_at`,
/// unique per consent (`consent-expiry:<consent id>`).
pub const CONSENT_EXPIRY_JOB: &str = "consent.expiry";

/// The stored form of a status (`consent.status`, [`ConsentStatus::code`]).
pub fn status_str(status: ConsentStatus) -> &'static str {
    status.code()
}

fn decode_status(text: &str) -> Result<ConsentStatus, sqlx::Error> {
    ConsentStatus::from_code(text)
        .ok_or_else(|| sqlx::Error::Protocol(format!("unknown consent status {text}")))
}

pub(super) fn rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// CONS-01, CONS-03, CONS-05: whether `sender_id` may send a letter to their contact
/// `contact_id` now. A professional contact needs no consent (true); for a non-professional,
/// the latest consent row by `requested_at` for the sender and the contact's **current**
/// address must be `granted`. An unknown contact, or another user's, is false.
///
/// `executor` is a pool or a transaction (`&mut *tx`), so that a sending can check inside its
/// own transaction.
pub async fn consent_allows<'c, E>(
    executor: E,
    sender_id: &str,
    contact_id: &str,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT c.professional, (SELECT k.status FROM consent k WHERE k.sender_id = c.owner_id \
         AND k.recipient_email_key = c.email_key ORDER BY k.requested_at DESC, k.id DESC LIMIT 1) \
         FROM contact c WHERE c.id = $1 AND c.owner_id = $2",
    )
    .bind(contact_id)
    .bind(sender_id)
    .fetch_optional(executor)
    .await?;
    Ok(row.is_some_and(|(professional, status)| {
        may_send(
            professional != 0,
            status.as_deref().and_then(ConsentStatus::from_code),
        )
    }))
}

/// The consent that counts for a sender and an address.
#[derive(Clone, Debug)]
pub struct Latest {
    pub id: String,
    pub status: ConsentStatus,
    pub expires_at: i64,
}

/// The latest consent row of `sender_id` for the address `email_key`, if any.
pub async fn latest<'c, E>(
    executor: E,
    sender_id: &str,
    email_key: &str,
) -> Result<Option<Latest>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT id, status, expires_at FROM consent WHERE sender_id = $1 \
         AND recipient_email_key = $2 ORDER BY requested_at DESC, id DESC LIMIT 1",
    )
    .bind(sender_id)
    .bind(email_key)
    .fetch_optional(executor)
    .await?;
    row.map(|(id, status, expires_at)| {
        Ok(Latest {
            id,
            status: decode_status(&status)?,
            expires_at,
        })
    })
    .transpose()
}

/// A consent with its sender's current name and address.
#[derive(Clone, Debug)]
struct ConsentRow {
    id: String,
    sender_id: String,
    sender_name: String,
    sender_email: String,
    contact_id: String,
    recipient_email: String,
    recipient_email_key: String,
    recipient_name: String,
    status: ConsentStatus,
    requested_at: i64,
    expires_at: i64,
    answered_at: Option<i64>,
    revoked_at: Option<i64>,
    recipient_account_id: Option<String>,
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

const ROW_SELECT: &str = "SELECT k.id, k.sender_id, a.name, a.email, k.contact_id, \
     k.recipient_email, k.recipient_email_key, k.recipient_name, k.status, k.requested_at, \
     k.expires_at, k.answered_at, k.revoked_at, k.recipient_account_id \
     FROM consent k JOIN account a ON a.id = k.sender_id";

fn from_row(row: Row) -> Result<ConsentRow, sqlx::Error> {
    let (
        id,
        sender_id,
        sender_name,
        sender_email,
        contact_id,
        recipient_email,
        recipient_email_key,
        recipient_name,
        status,
        requested_at,
        expires_at,
        answered_at,
        revoked_at,
        recipient_account_id,
    ) = row;
    Ok(ConsentRow {
        id,
        sender_id,
        sender_name,
        sender_email,
        contact_id,
        recipient_email,
        recipient_email_key,
        recipient_name,
        status: decode_status(&status)?,
        requested_at,
        expires_at,
        answered_at,
        revoked_at,
        recipient_account_id,
    })
}

/// The consent whose `column` (of table `consent`, alias `k`) equals `value`.
async fn find<'c, E>(
    executor: E,
    column: &str,
    value: &str,
) -> Result<Option<ConsentRow>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let row: Option<Row> = sqlx::query_as(&format!("{ROW_SELECT} WHERE k.{column} = $1"))
        .bind(value)
        .fetch_optional(executor)
        .await?;
    row.map(from_row).transpose()
}

/// The consent behind an emailed link; an unknown token is NotFound.
async fn by_token(state: &AppState, token: &str) -> Result<ConsentRow, AppError> {
    find(state.db.pool(), "token_hash", &token_hash(token.trim()))
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

impl ConsentRow {
    /// What the link shows: a request past its period reads as expired even before the
    /// expiry job has run (it runs within seconds; nothing can be answered meanwhile).
    fn view(&self, now_ms: i64) -> ConsentRequestView {
        let status = if self.status == ConsentStatus::Requested && now_ms >= self.expires_at {
            ConsentStatus::Expired
        } else {
            self.status
        };
        ConsentRequestView {
            sender_name: self.sender_name.clone(),
            sender_email: self.sender_email.clone(),
            recipient_name: self.recipient_name.clone(),
            recipient_email: self.recipient_email.clone(),
            status,
            requested_at: rfc3339(self.requested_at),
            expires_at: rfc3339(self.expires_at),
            answered_at: self.answered_at.map(rfc3339),
            revoked_at: self.revoked_at.map(rfc3339),
        }
    }

    /// An evidence of `kind` about this consent (CONS-04): sender name/id/email, recipient
    /// name/id/email, the consent's id. The recipient's id is their account's when the
    /// address has one, else the sender's contact id.
    fn evidence(&self, sealer: &Sealer, kind: EvidenceKind, at: DateTime<Utc>) -> Evidence {
        let mut evidence = sealer
            .evidence(kind, at)
            .with_field(keys::CONSENT_ID, self.id.clone());
        evidence.sender = Some(Party::new(
            self.sender_name.clone(),
            self.sender_id.clone(),
            self.sender_email.clone(),
        ));
        evidence.recipient = Some(Party::new(
            self.recipient_name.clone(),
            self.recipient_account_id
                .clone()
                .unwrap_or_else(|| self.contact_id.clone()),
            self.recipient_email.clone(),
        ));
        evidence
    }
}

/// Seals outside any transaction (HSM, then the TSA); nothing is recorded if it fails.
async fn seal(sealer: &Sealer, evidence: &Evidence) -> Result<Vec<u8>, AppError> {
    sealer.seal(evidence).await.map_err(|error| {
        tracing::error!(%error, kind = evidence.kind.code(), "cannot seal a consent evidence");
        AppError::EvidenceUnavailable
    })
}

/// The active account that holds `email_key`, if any.
async fn account_of(db: &Db, email_key: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM account WHERE email_key = $1 AND deactivated_at IS NULL")
            .bind(email_key)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(id,)| id))
}

/// A bilingual plain-text email.
fn email(to: &str, subject: String, french: String, english: String) -> Email {
    Email {
        to: to.to_owned(),
        subject,
        text: format!("{french}\n\n---\n\n{english}\n"),
        html: None,
    }
}

fn link(public_url: &str, token: &str) -> String {
    format!("{}/consent/{token}", public_url.trim_end_matches('/'))
}

/// CONS-02: the request, to the recipient; it names the sender (account name and address).
fn request_email(row: &ConsentRow, url: &str) -> Email {
    let (sender, address, recipient) = (&row.sender_name, &row.sender_email, &row.recipient_name);
    let days = CONSENT_REQUEST_DAYS;
    email(
        &row.recipient_email,
        format!("Pli : {sender} demande votre consentement / asks for your consent"),
        format!(
            "Bonjour {recipient},\n\n{sender} ({address}) souhaite vous adresser des lettres \
             recommandées électroniques par Pli et vous demande votre consentement préalable.\n\n\
             Pour l'accorder ou le refuser, ouvrez ce lien (la demande expire dans {days} jours) \
             :\n{url}\n\nLe même lien vous permettra de retirer votre consentement à tout moment. \
             Si vous ne connaissez pas cet expéditeur, refusez ou ignorez ce courriel."
        ),
        format!(
            "Hello {recipient},\n\n{sender} ({address}) would like to send you electronic \
             registered letters through Pli and asks for your prior consent.\n\n\
             To grant or refuse it, open this link (the request expires in {days} days):\n{url}\n\n\
             The same link lets you withdraw your consent at any time. If you do not know this \
             sender, refuse or ignore this email."
        ),
    )
}

/// CONS-02: the confirmations of an answer, to the recipient then to the sender.
fn answer_emails(row: &ConsentRow, granted: bool, url: &str) -> [Email; 2] {
    let (sender, address) = (&row.sender_name, &row.sender_email);
    let (recipient, recipient_address) = (&row.recipient_name, &row.recipient_email);
    let to_recipient = if granted {
        email(
            recipient_address,
            format!("Pli : consentement accordé à {sender} / consent granted"),
            format!(
                "Vous avez accordé à {sender} ({address}) votre consentement à recevoir ses \
                 lettres recommandées électroniques à l'adresse {recipient_address}, qui est \
                 ainsi confirmée.\n\nVous pouvez le retirer à tout moment par ce lien :\n{url}"
            ),
            format!(
                "You granted {sender} ({address}) your consent to receive their electronic \
                 registered letters at {recipient_address}, which is thereby confirmed.\n\n\
                 You may withdraw it at any time with this link:\n{url}"
            ),
        )
    } else {
        email(
            recipient_address,
            format!("Pli : consentement refusé à {sender} / consent refused"),
            format!(
                "Vous avez refusé à {sender} ({address}) votre consentement à recevoir ses lettres \
                 recommandées électroniques. Il ne pourra pas vous en adresser par Pli."
            ),
            format!(
                "You refused {sender} ({address}) your consent to receive their electronic \
                 registered letters. They cannot send you any through Pli."
            ),
        )
    };
    let to_sender = if granted {
        email(
            address,
            format!("Pli : {recipient} a accordé son consentement / consent granted"),
            format!(
                "{recipient} ({recipient_address}) a accordé son consentement : vous pouvez lui \
                 adresser des lettres recommandées électroniques jusqu'à ce qu'il le retire."
            ),
            format!(
                "{recipient} ({recipient_address}) granted consent: you may send them electronic \
                 registered letters until they withdraw it."
            ),
        )
    } else {
        email(
            address,
            format!("Pli : {recipient} a refusé son consentement / consent refused"),
            format!(
                "{recipient} ({recipient_address}) a refusé son consentement : vous ne pouvez pas \
                 lui adresser de lettres recommandées électroniques."
            ),
            format!(
                "{recipient} ({recipient_address}) refused consent: you cannot send them \
                 electronic registered letters."
            ),
        )
    };
    [to_recipient, to_sender]
}

/// CONS-03: the revocation notices, to the recipient then to the sender.
fn revocation_emails(row: &ConsentRow) -> [Email; 2] {
    let (sender, address) = (&row.sender_name, &row.sender_email);
    let (recipient, recipient_address) = (&row.recipient_name, &row.recipient_email);
    [
        email(
            recipient_address,
            format!("Pli : consentement retiré à {sender} / consent withdrawn"),
            format!(
                "Votre consentement à recevoir les lettres recommandées électroniques de {sender} \
                 ({address}) est retiré : il ne peut plus vous en adresser."
            ),
            format!(
                "Your consent to receive electronic registered letters from {sender} ({address}) \
                 is withdrawn: they can no longer send you any."
            ),
        ),
        email(
            address,
            format!("Pli : {recipient} a retiré son consentement / consent withdrawn"),
            format!(
                "{recipient} ({recipient_address}) a retiré son consentement : vous ne pouvez \
                 plus lui adresser de lettres recommandées électroniques. Vous pouvez lui en \
                 redemander un depuis vos contacts."
            ),
            format!(
                "{recipient} ({recipient_address}) withdrew consent: you can no longer send them \
                 electronic registered letters. You may ask again from your contacts."
            ),
        ),
    ]
}

/// CONS-04: the expiry notice, to the sender.
fn expiry_email(row: &ConsentRow) -> Email {
    let (recipient, recipient_address) = (&row.recipient_name, &row.recipient_email);
    let days = CONSENT_REQUEST_DAYS;
    email(
        &row.sender_email,
        "Pli : demande de consentement expirée / consent request expired".to_owned(),
        format!(
            "{recipient} ({recipient_address}) n'a pas répondu dans les {days} jours à votre \
             demande de consentement, qui a expiré. Vous pouvez la renouveler depuis vos contacts."
        ),
        format!(
            "{recipient} ({recipient_address}) did not answer your consent request within \
             {days} days; it expired. You may ask again from your contacts."
        ),
    )
}

/// CONS-02: asks `contact`'s consent for `sender`. Nothing happens for a professional
/// (CONS-05) or while a request is pending or a consent granted (no second email).
pub(super) async fn request(
    state: &AppState,
    sender: &Principal,
    contact: &super::ContactRow,
) -> Result<(), AppError> {
    let (contact_id, recipient_email, recipient_email_key, recipient_name, professional, _) =
        contact;
    let pending = |latest: &Option<Latest>| {
        latest.as_ref().is_some_and(|latest| {
            matches!(
                latest.status,
                ConsentStatus::Requested | ConsentStatus::Granted
            )
        })
    };
    if *professional != 0
        || pending(
            &latest(state.db.pool(), &sender.account_id, recipient_email_key)
                .await
                .map_err(internal)?,
        )
    {
        return Ok(());
    }
    let now = state.clock.now();
    let days = i64::try_from(CONSENT_REQUEST_DAYS).unwrap_or(30);
    let expires_at = now + TimeDelta::days(days);
    let row = ConsentRow {
        id: uuid::Uuid::now_v7().to_string(),
        sender_id: sender.account_id.clone(),
        sender_name: sender.name.clone(),
        sender_email: sender.email.clone(),
        contact_id: contact_id.clone(),
        recipient_email: recipient_email.clone(),
        recipient_email_key: recipient_email_key.clone(),
        recipient_name: recipient_name.clone(),
        status: ConsentStatus::Requested,
        requested_at: now.timestamp_millis(),
        expires_at: expires_at.timestamp_millis(),
        answered_at: None,
        revoked_at: None,
        recipient_account_id: account_of(&state.db, recipient_email_key)
            .await
            .map_err(internal)?,
    };
    let token = new_token();
    let evidence = row.evidence(&state.sealer, EvidenceKind::ConsentRequest, now);
    let pdf = seal(&state.sealer, &evidence).await?;
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    // Checked again inside the transaction, after taking the contact's row lock (PostgreSQL;
    // SQLite has one writer at a time): of two requests racing, the second sees the first's
    // row, so a double click sends one request.
    sqlx::query("UPDATE contact SET updated_at = updated_at WHERE id = $1")
        .bind(contact_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    if pending(
        &latest(&mut *tx, &sender.account_id, recipient_email_key)
            .await
            .map_err(internal)?,
    ) {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO consent (id, sender_id, contact_id, recipient_email, recipient_email_key, \
         recipient_name, status, token_hash, requested_at, expires_at, recipient_account_id, \
         request_evidence_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&row.id)
    .bind(&row.sender_id)
    .bind(&row.contact_id)
    .bind(&row.recipient_email)
    .bind(&row.recipient_email_key)
    .bind(&row.recipient_name)
    .bind(status_str(row.status))
    .bind(token_hash(&token))
    .bind(row.requested_at)
    .bind(row.expires_at)
    .bind(row.recipient_account_id.clone())
    .bind(&evidence.id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    sealing::store_in(&mut tx, &evidence, &pdf, None)
        .await
        .map_err(internal)?;
    let url = link(&state.config.server.public_url, &token);
    Outbox::queue_in(&state.jobs, &mut tx, &request_email(&row, &url), now)
        .await
        .map_err(internal)?;
    state
        .jobs
        .enqueue_in(
            &mut tx,
            &NewJob {
                kind: CONSENT_EXPIRY_JOB.to_owned(),
                payload: json!({ "consent_id": row.id }),
                due_at: expires_at,
                unique_key: Some(format!("consent-expiry:{}", row.id)),
                max_attempts: 20,
            },
        )
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)
}

/// What the consent link shows.
pub(super) async fn view(state: &AppState, token: &str) -> Result<ConsentRequestView, AppError> {
    Ok(by_token(state, token).await?.view(state.clock.now_ms()))
}

/// CONS-02, CONS-04: the recipient grants or refuses through the link. A request no longer
/// pending (answered, expired) is left as it is and shown as it stands.
pub(super) async fn answer(
    state: &AppState,
    token: &str,
    grant: bool,
) -> Result<ConsentRequestView, AppError> {
    let row = by_token(state, token).await?;
    let now = state.clock.now();
    let event = if grant {
        ConsentEvent::Grant
    } else {
        ConsentEvent::Refuse
    };
    let next = row.status.apply(event);
    let Some(next) = next.filter(|_| now.timestamp_millis() < row.expires_at) else {
        return Ok(row.view(now.timestamp_millis()));
    };
    let mut answered = row.clone();
    if answered.recipient_account_id.is_none() {
        answered.recipient_account_id = account_of(&state.db, &row.recipient_email_key)
            .await
            .map_err(internal)?;
    }
    let kind = if grant {
        EvidenceKind::ConsentGranted
    } else {
        EvidenceKind::ConsentRefused
    };
    let evidence = answered.evidence(&state.sealer, kind, now);
    let pdf = seal(&state.sealer, &evidence).await?;
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    let updated = sqlx::query(
        "UPDATE consent SET status = $1, answered_at = $2, answer_evidence_id = $3, \
         recipient_account_id = $4 WHERE id = $5 AND status = $6",
    )
    .bind(status_str(next))
    .bind(now.timestamp_millis())
    .bind(&evidence.id)
    .bind(answered.recipient_account_id.clone())
    .bind(&row.id)
    .bind(status_str(row.status))
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if updated.rows_affected() == 1 {
        sealing::store_in(&mut tx, &evidence, &pdf, None)
            .await
            .map_err(internal)?;
        let url = link(&state.config.server.public_url, token.trim());
        for mail in answer_emails(&answered, grant, &url) {
            Outbox::queue_in(&state.jobs, &mut tx, &mail, now)
                .await
                .map_err(internal)?;
        }
        tx.commit().await.map_err(internal)?;
    } else {
        // Answered or expired meanwhile (a double click, the expiry job): nothing twice.
        tx.rollback().await.map_err(internal)?;
    }
    view(state, token).await
}

/// Who revokes a consent, for the journal.
#[derive(Clone, Copy, Debug)]
enum RevokedBy<'a> {
    /// The recipient, through the emailed link.
    Link(&'a Caller),
    /// The recipient, signed in to their account.
    Account(&'a Caller, &'a str),
    /// The recipient deactivated their account (ACC-01).
    Deactivation(&'a str),
}

/// CONS-03: revokes the granted consent `row` inside `tx`: conditional update, journal entry,
/// notices (to the sender always, to the recipient unless their account is being
/// deactivated). Returns whether this call revoked it.
async fn revoke_in(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    row: &ConsentRow,
    by: RevokedBy<'_>,
) -> Result<bool, sqlx::Error> {
    let Some(next) = row.status.apply(ConsentEvent::Revoke) else {
        return Ok(false);
    };
    let now = state.clock.now();
    let updated = sqlx::query(
        "UPDATE consent SET status = $1, revoked_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(status_str(next))
    .bind(now.timestamp_millis())
    .bind(&row.id)
    .bind(status_str(row.status))
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Ok(false);
    }
    let (how, actor, caller) = match by {
        RevokedBy::Link(caller) => ("link", None, Some(caller)),
        RevokedBy::Account(caller, account) => ("account", Some(account), Some(caller)),
        RevokedBy::Deactivation(account) => ("account_deactivated", Some(account), None),
    };
    let event = Event {
        category: "consent",
        action: "consent_revoked",
        actor: actor.map(str::to_owned),
        details: json!({
            "consent_id": row.id,
            "sender_id": row.sender_id,
            "recipient_email": row.recipient_email,
            "recipient_account_id": row.recipient_account_id,
            "by": how,
            "ip": caller.map(|c| c.ip.clone()),
            "user_agent": caller.map(|c| c.user_agent.clone()),
        }),
    };
    audit::record_in(tx, now, &event).await?;
    let [to_recipient, to_sender] = revocation_emails(row);
    Outbox::queue_in(&state.jobs, tx, &to_sender, now).await?;
    if !matches!(by, RevokedBy::Deactivation(_)) {
        Outbox::queue_in(&state.jobs, tx, &to_recipient, now).await?;
    }
    Ok(true)
}

/// CONS-03: the recipient revokes through the link; a consent not granted is shown as it is.
pub(super) async fn revoke_by_link(
    state: &AppState,
    caller: &Caller,
    token: &str,
) -> Result<ConsentRequestView, AppError> {
    let row = by_token(state, token).await?;
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    revoke_in(state, &mut tx, &row, RevokedBy::Link(caller))
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    view(state, token).await
}

/// CONS-03: the signed-in recipient revokes a consent granted from their address; any other
/// consent is NotFound.
pub(super) async fn withdraw(
    state: &AppState,
    caller: &Caller,
    account: &Principal,
    consent_id: &str,
) -> Result<(), AppError> {
    let row = find(state.db.pool(), "id", consent_id)
        .await
        .map_err(internal)?
        .filter(|row| row.recipient_email_key == email_key(&account.email))
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    revoke_in(
        state,
        &mut tx,
        &row,
        RevokedBy::Account(caller, &account.account_id),
    )
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)
}

/// The consents granted from `email` (now in force), newest first.
pub(super) async fn granted_from(
    state: &AppState,
    email: &str,
) -> Result<Vec<GrantedConsent>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{ROW_SELECT} WHERE k.recipient_email_key = $1 AND k.status = 'granted' \
         ORDER BY k.answered_at DESC, k.id DESC"
    ))
    .bind(email_key(email))
    .fetch_all(state.db.pool())
    .await
    .map_err(internal)?;
    rows.into_iter()
        .map(|row| {
            let row = from_row(row).map_err(internal)?;
            Ok(GrantedConsent {
                granted_at: rfc3339(row.answered_at.unwrap_or(row.requested_at)),
                id: row.id,
                sender_name: row.sender_name,
                sender_email: row.sender_email,
                recipient_email: row.recipient_email,
            })
        })
        .collect()
}

/// ACC-01: inside the deactivation's transaction, withdraws every consent granted from the
/// account (by its id, or by its address) and tells each sender. Withdrawn consents stay
/// withdrawn after a reactivation (ACC-02): a sender asks again. Returns how many.
pub async fn withdraw_consents_of_account(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    account_id: &str,
    email: &str,
) -> Result<usize, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{ROW_SELECT} WHERE k.status = 'granted' \
         AND (k.recipient_account_id = $1 OR k.recipient_email_key = $2) ORDER BY k.id"
    ))
    .bind(account_id)
    .bind(email_key(email))
    .fetch_all(&mut **tx)
    .await?;
    let mut withdrawn = 0;
    for row in rows {
        let row = from_row(row)?;
        if revoke_in(state, tx, &row, RevokedBy::Deactivation(account_id)).await? {
            withdrawn += 1;
        }
    }
    Ok(withdrawn)
}

/// CONS-04: the job that expires an unanswered request at its `expires_at` — status
/// `expired`, a ConsentExpired evidence, an email to the sender — once: the conditional update,
/// the evidence, the email and the job's completion commit in the job's transaction.
#[derive(Clone)]
pub struct ConsentExpiry {
    db: Db,
    sealer: Sealer,
    clock: Clock,
    jobs: Jobs,
}

impl ConsentExpiry {
    pub fn new(db: Db, sealer: Sealer, clock: Clock, jobs: Jobs) -> ConsentExpiry {
        ConsentExpiry {
            db,
            sealer,
            clock,
            jobs,
        }
    }
}

#[async_trait::async_trait]
impl Handler for ConsentExpiry {
    async fn run(&self, tx: &mut Transaction<'_, Any>, job: &Job) -> Result<(), String> {
        let id = job
            .payload
            .get("consent_id")
            .and_then(|id| id.as_str())
            .ok_or("a consent expiry job without consent_id")?;
        // Read outside `tx`, which must write first (SQLite upgrades a read transaction to a
        // write one only if nobody wrote meanwhile, and sealing takes a while).
        let row = find(self.db.pool(), "id", id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("unknown consent {id}"))?;
        let now = self.clock.now();
        let Some(next) = row.status.apply(ConsentEvent::Expire) else {
            return Ok(()); // answered in time: nothing to do
        };
        if now.timestamp_millis() < row.expires_at {
            return Err(format!(
                "consent {id} expires at {}",
                rfc3339(row.expires_at)
            ));
        }
        let evidence = row.evidence(&self.sealer, EvidenceKind::ConsentExpired, now);
        let pdf = self
            .sealer
            .seal(&evidence)
            .await
            .map_err(|e| e.to_string())?;
        let updated = sqlx::query(
            "UPDATE consent SET status = $1, answer_evidence_id = $2 WHERE id = $3 AND status = $4",
        )
        .bind(status_str(next))
        .bind(&evidence.id)
        .bind(&row.id)
        .bind(status_str(row.status))
        .execute(&mut **tx)
        .await
        .map_err(|e| e.to_string())?;
        if updated.rows_affected() != 1 {
            return Ok(()); // answered meanwhile
        }
        sealing::store_in(tx, &evidence, &pdf, None)
            .await
            .map_err(|e| e.to_string())?;
        Outbox::queue_in(&self.jobs, tx, &expiry_email(&row), now)
            .await
            .map_err(|e| e.to_string())
    }
}
