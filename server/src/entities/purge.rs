//! The 60-day purge (ID-07, policy §4.5): the documents kept only for the manual verification
//! (the power of attorney, the representative's ID front and back) lose their content
//! [`PURGE_AFTER_DAYS`] days after their upload, whatever the request became. Their records,
//! SHA-256 and upload evidences stay, and the purge is sealed: a
//! [`EvidenceKind::DocumentPurge`] evidence naming each purged file by name, id and hash.
//!
//! Each upload of such a document queues a job due 60 days later ([`PURGE_JOB`]); a job purges
//! every document of its request then due, in one evidence, and a later job of the same request
//! finds nothing left and does nothing.

use chrono::TimeDelta;
use domain::entities::{DocumentKind, PURGE_AFTER_DAYS};
use evidence::pades::{ContentDigest, EvidenceKind, Party};
use serde_json::json;
use sqlx::{Any, Transaction};

use crate::AppState;
use crate::audit;
use crate::error::JobResult;
use crate::jobs::{Handler, Job};
use crate::store::entities as rows;

/// The job kind of the purge.
pub const PURGE_JOB: &str = "entity_document_purge";

/// Purges the due documents of a request (job [`PURGE_JOB`]).
pub struct Purge {
    state: AppState,
}

impl Purge {
    pub fn new(state: AppState) -> Purge {
        Purge { state }
    }
}

#[async_trait::async_trait]
impl Handler for Purge {
    async fn run(&self, tx: &mut Transaction<'_, Any>, job: &Job) -> JobResult {
        let state = &self.state;
        let member_id = job.payload["member_id"].as_str().unwrap_or_default();
        let Some(member) = rows::member(state.db.pool(), member_id).await? else {
            return Ok(());
        };
        let now = state.clock.now();
        let before = (now - TimeDelta::days(PURGE_AFTER_DAYS)).timestamp_millis();
        let kinds: Vec<&str> = DocumentKind::ALL
            .into_iter()
            .filter(|k| k.purged())
            .map(DocumentKind::code)
            .collect();
        let due: Vec<rows::Document> = rows::due_for_purge(state.db.pool(), &kinds, before)
            .await?
            .into_iter()
            .filter(|d| d.member_id == member_id)
            .collect();
        if due.is_empty() {
            return Ok(());
        }
        let mut evidence = state.sealer.evidence(EvidenceKind::DocumentPurge, now);
        evidence.user = Some(Party::new(
            member.name.clone(),
            member.account_id.clone(),
            member.email.clone(),
        ));
        evidence.digests = due
            .iter()
            .map(|d| {
                ContentDigest::sha256_hex(d.file_name.clone(), Some(d.id.clone()), d.sha256.clone())
            })
            .collect();
        let pdf = state.sealer.seal(&evidence).await?;
        crate::sealing::store_in(tx, &evidence, &pdf, None).await?;
        let at = now.timestamp_millis();
        for document in &due {
            rows::purge(&mut **tx, &document.id, at, &evidence.id).await?;
        }
        let details = json!({
            "member_id": member_id,
            "documents": due.iter().map(|d| &d.id).collect::<Vec<_>>(),
            "evidence_id": evidence.id,
        });
        let event = audit::Event {
            category: "entities",
            action: "documents_purged",
            actor: None,
            details,
        };
        audit::record_in(tx, now, &event).await?;
        tracing::info!(
            member_id,
            count = due.len(),
            "verification documents purged"
        );
        Ok(())
    }
}
