//! CONS-04: the job that expires an unanswered request at its `expires_at` — status `expired`,
//! a ConsentExpired evidence, an email to the sender — once: the conditional update, the
//! evidence, the email and the job's completion commit in the job's transaction.

use app::lifecycle::ConsentEvent;
use evidence::pades::EvidenceKind;
use sqlx::{Any, Transaction};

use super::consent::evidence;
use crate::clock::Clock;
use crate::db::Db;
use crate::error::{JobResult, ServerError};
use crate::jobs::{Handler, Job, Jobs};
use crate::mail;
use crate::mail::Outbox;
use crate::sealing::{self, Sealer};
use crate::store::consents::{self, Change};
use domain::time::rfc3339;

/// The handler of [`super::CONSENT_EXPIRY_JOB`].
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

    async fn expire(&self, tx: &mut Transaction<'_, Any>, job: &Job) -> Result<(), ServerError> {
        let id = job
            .payload
            .get("consent_id")
            .and_then(|id| id.as_str())
            .ok_or_else(|| ServerError::internal("a consent expiry job without consent_id"))?;
        // Read outside `tx`, which must write first (SQLite upgrades a read transaction to a
        // write one only if nobody wrote meanwhile, and sealing takes a while).
        let consent = consents::by_id(self.db.pool(), id)
            .await?
            .ok_or_else(|| ServerError::internal(format!("unknown consent {id}")))?;
        let now = self.clock.now();
        let Some(next) = consent.status.apply(ConsentEvent::Expire) else {
            return Ok(()); // answered in time: nothing to do
        };
        if now.timestamp_millis() < consent.expires_at {
            return Err(ServerError::internal(format!(
                "consent {id} expires at {}",
                rfc3339(consent.expires_at)
            )));
        }
        let evidence = evidence(&consent, &self.sealer, EvidenceKind::ConsentExpired, now);
        let pdf = self.sealer.seal(&evidence).await?;
        let change = Change {
            id: &consent.id,
            from: consent.status,
            to: next,
            at: now.timestamp_millis(),
            evidence_id: Some(&evidence.id),
            recipient_account_id: None,
        };
        if !consents::expire(tx, &change).await? {
            return Ok(()); // answered meanwhile
        }
        sealing::store_in(tx, &evidence, &pdf, None).await?;
        Outbox::queue_in(&self.jobs, tx, &mail::consent::expiry_email(&consent), now).await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl Handler for ConsentExpiry {
    async fn run(&self, tx: &mut Transaction<'_, Any>, job: &Job) -> JobResult {
        self.expire(tx, job).await
    }
}
