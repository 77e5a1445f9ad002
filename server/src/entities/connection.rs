//! The representative-link evidence (policy §4.7, ID-06): it binds a person to the company
//! they act for — the status, the legal representative, the delegate if any, both companies
//! with their registry numbers, and references to the extracts' upload evidences (and to the
//! power-of-attorney verification for a delegate).
//!
//! A legal representative's is sealed when an identity-check operator approves them
//! ([`super::verification`]); a delegate's at their first sign-in after approval: the sign-in
//! queues a job ([`on_sign_in`]), which seals it ([`Connection`]).

use chrono::{DateTime, Utc};
use domain::entities::{self as rules, DocumentKind, MemberRole, MemberStatus, Registry};
use evidence::pades::{ContentDigest, Evidence, EvidenceKind, Party, keys};
use serde_json::json;
use sqlx::{Any, Transaction};

use crate::AppState;
use crate::audit;
use crate::error::{JobResult, ServerError};
use crate::jobs::{Handler, Job, NewJob};
use crate::store::entities::{self as rows, Document, Member};

/// The job kind that seals a delegate's representative-link evidence.
pub const CONNECTION_JOB: &str = "entity_connection";

/// The status written in a representative-link evidence.
const CONNECTED: &str = "Connexion établie / Connected";

/// The extracts of a request, latest first (the one that counts for a company with several).
pub fn extracts(documents: &[Document]) -> Vec<&Document> {
    documents
        .iter()
        .rev()
        .filter(|d| d.kind == DocumentKind::Kbis.code())
        .collect()
}

/// The chain links the extracts state: each company and the company leading it.
pub fn links<'a>(extracts: &[&'a Document]) -> Vec<rules::ChainLink<'a>> {
    extracts
        .iter()
        .filter_map(|d| {
            Some(rules::ChainLink {
                number: d.company_number.as_deref()?,
                led_by: d.led_by_number.as_deref(),
            })
        })
        .collect()
}

/// The extracts of `member`'s chain, from its company up to the natural person, latest first
/// for a company with several.
pub fn chain<'a>(member: &Member, documents: &'a [Document]) -> Vec<&'a Document> {
    let extracts = extracts(documents);
    rules::chain(&member.registry_number, &links(&extracts))
        .unwrap_or_default()
        .iter()
        .filter_map(|number| {
            extracts
                .iter()
                .find(|d| d.company_number.as_deref() == Some(number))
                .copied()
        })
        .collect()
}

/// "RCS 732 829 320" for a document's company.
fn rcs_of(document: &Document) -> String {
    let registry = document
        .company_registry
        .as_deref()
        .and_then(Registry::from_code)
        .unwrap_or(Registry::France);
    registry.display(document.company_number.as_deref().unwrap_or_default())
}

/// The representative-link evidence of `member` (approved), not yet sealed. `representative_id`:
/// the legal representative's unique id (their account when they have one here).
pub fn link_evidence(
    state: &AppState,
    member: &Member,
    documents: &[Document],
    representative_id: &str,
    at: DateTime<Utc>,
) -> Evidence {
    let chain = chain(member, documents);
    let top = chain.last().copied();
    let company = chain.first().copied();
    let mut evidence = state
        .sealer
        .evidence(EvidenceKind::LegalRepresentativeConnection, at)
        .with_field(keys::VERIFICATION_STATUS, CONNECTED)
        .with_field(
            keys::REPRESENTATIVE_NAME,
            member.representative_name.clone(),
        )
        .with_field(keys::REPRESENTATIVE_ID, representative_id)
        .with_field(
            keys::REPRESENTATIVE_COMPANY,
            top.and_then(|d| d.company_name.clone())
                .unwrap_or_else(|| member.entity_name.clone()),
        )
        .with_field(
            keys::REPRESENTATIVE_RCS,
            top.map(rcs_of).unwrap_or_default(),
        )
        .with_field(
            keys::KBIS_EVIDENCES,
            chain
                .iter()
                .map(|d| d.upload_evidence_id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    evidence.user = Some(Party::new(
        member.name.clone(),
        member.account_id.clone(),
        member.email.clone(),
    ));
    let company_rcs = company.map(rcs_of).unwrap_or_default();
    if member.role == MemberRole::Delegate.code() {
        evidence = evidence
            .with_field(keys::DELEGATE_NAME, member.name.clone())
            .with_field(keys::DELEGATE_ID, member.account_id.clone())
            .with_field(keys::DELEGATE_COMPANY, member.entity_name.clone())
            .with_field(keys::DELEGATE_RCS, company_rcs)
            .with_field(
                keys::POA_EVIDENCE,
                member.verification_evidence_id.clone().unwrap_or_default(),
            );
    } else {
        evidence = evidence
            .with_field(keys::COMPANY_NAME, member.entity_name.clone())
            .with_field(keys::COMPANY_RCS, company_rcs);
    }
    let linked = documents
        .iter()
        .filter(|d| d.kind != DocumentKind::Kbis.code() || chain.iter().any(|c| c.id == d.id));
    evidence.digests = linked
        .map(|d| {
            ContentDigest::sha256_hex(d.file_name.clone(), Some(d.id.clone()), d.sha256.clone())
        })
        .collect();
    evidence
}

/// At the sign-in of `account_id`: queues the representative-link evidence of each of its
/// verified delegations that has none yet.
pub async fn on_sign_in(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    account_id: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for member in rows::members_of_account(&mut **tx, account_id).await? {
        if member.role != MemberRole::Delegate.code()
            || member.status != MemberStatus::Verified.code()
            || member.connection_evidence_id.is_some()
        {
            continue;
        }
        let job = NewJob {
            kind: CONNECTION_JOB.to_owned(),
            payload: json!({ "member_id": member.id }),
            due_at: at,
            unique_key: Some(format!("entity-connection:{}", member.id)),
            max_attempts: 20,
        };
        state.jobs.enqueue_in(tx, &job).await?;
    }
    Ok(())
}

/// The unique id written for the legal representative of `member`'s company: the account of a
/// verified representative, else the ID document the delegate showed for them.
pub async fn representative_id(
    state: &AppState,
    member: &Member,
    documents: &[Document],
) -> Result<String, ServerError> {
    let representative = rows::members_of_entity(
        state.db.pool(),
        &member.entity_id,
        MemberStatus::Verified.code(),
    )
    .await?
    .into_iter()
    .find(|m| m.role == MemberRole::Representative.code());
    Ok(match representative {
        Some(m) => m.account_id,
        None => documents
            .iter()
            .find(|d| d.kind == DocumentKind::IdFront.code())
            .map_or_else(|| member.id.clone(), |d| format!("document:{}", d.id)),
    })
}

/// The company a sender acts for in a letter.
#[derive(Clone, Debug)]
pub struct ActingFor {
    pub member_id: String,
    pub name: String,
    /// Its registry number, as it reads.
    pub rcs: String,
}

/// The company of `account_id`'s verified request `member_id` ([`AppError::NotFound`]
/// otherwise), its representative link sealed now if the delegate's sign-in job has not yet.
pub async fn acting_for(
    state: &AppState,
    account_id: &str,
    member_id: &str,
) -> Result<ActingFor, ServerError> {
    let member = rows::member(state.db.pool(), member_id)
        .await?
        .filter(|m| m.account_id == account_id && m.status == MemberStatus::Verified.code())
        .ok_or(app::error::AppError::NotFound)?;
    if member.connection_evidence_id.is_none() {
        let mut tx = state.db.begin().await?;
        link(state, &mut tx, &member).await?;
        tx.commit().await?;
    }
    let registry = Registry::from_code(&member.registry).unwrap_or(Registry::France);
    Ok(ActingFor {
        rcs: registry.display(&member.registry_number),
        member_id: member.id,
        name: member.entity_name,
    })
}

/// Seals and stores the representative-link evidence of verified `member`, journaled.
async fn link(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    member: &Member,
) -> Result<(), ServerError> {
    let documents = rows::documents(state.db.pool(), &member.id).await?;
    let now = state.clock.now();
    let representative = representative_id(state, member, &documents).await?;
    let evidence = link_evidence(state, member, &documents, &representative, now);
    let pdf = state.sealer.seal(&evidence).await?;
    // Only once: a concurrent sealing of the same link loses.
    if !rows::set_connection_once(&mut **tx, &member.id, &evidence.id).await? {
        return Ok(());
    }
    crate::sealing::store_in(tx, &evidence, &pdf, None).await?;
    let details = json!({ "member_id": member.id, "evidence_id": evidence.id });
    audit::record_in(
        tx,
        now,
        &super::event(&member.account_id, "representative_link", details),
    )
    .await?;
    Ok(())
}

/// Seals a delegate's representative-link evidence (job [`CONNECTION_JOB`]).
pub struct Connection {
    state: AppState,
}

impl Connection {
    pub fn new(state: AppState) -> Connection {
        Connection { state }
    }
}

#[async_trait::async_trait]
impl Handler for Connection {
    async fn run(&self, tx: &mut Transaction<'_, Any>, job: &Job) -> JobResult {
        let state = &self.state;
        let member_id = job.payload["member_id"].as_str().unwrap_or_default();
        let Some(member) = rows::member(state.db.pool(), member_id).await? else {
            return Ok(());
        };
        if member.status != MemberStatus::Verified.code() || member.connection_evidence_id.is_some()
        {
            return Ok(());
        }
        link(state, tx, &member).await
    }
}
