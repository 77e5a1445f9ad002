//! The installation ceremony (OPS-01, OPS-06): `pli operators init EMAIL` names a security
//! officer without dual control, while the service has fewer than two — dual control needs two
//! security officers, and nobody could approve the first grant otherwise. It is run on the
//! server by whoever installs the service, in the presence of the persons named; each is
//! journaled (`operators/ceremony_security_officer`), and the role is in effect at once (they
//! accept it at the ceremony).

use domain::roles::{AssignmentStatus, TrustedRole};
use serde_json::json;

use chrono::{DateTime, Utc};

use crate::account::principal::email_key;
use crate::audit::{self, Event};
use crate::db::Db;
use crate::error::ServerError;
use crate::store;

/// How many security officers the ceremony may name.
pub const CEREMONY_OFFICERS: i64 = 2;

/// Why the ceremony refused.
#[derive(Debug, thiserror::Error)]
pub enum CeremonyError {
    #[error("no account has the address {0}: the person signs up first")]
    NoAccount(String),
    #[error("the account {0} has not confirmed its address or enrolled its second factor yet")]
    NotReady(String),
    #[error("{0} is already a security officer")]
    AlreadyOfficer(String),
    #[error(
        "the service already has {CEREMONY_OFFICERS} security officers: further roles are granted under dual control, from the back office"
    )]
    Done,
    #[error(transparent)]
    Server(#[from] ServerError),
}

impl From<sqlx::Error> for CeremonyError {
    fn from(error: sqlx::Error) -> Self {
        CeremonyError::Server(error.into())
    }
}

/// Names the account at `email` security officer at `now`; the assignment's id.
pub async fn security_officer(
    db: &Db,
    now: DateTime<Utc>,
    email: &str,
) -> Result<String, CeremonyError> {
    let pool = db.pool();
    let account = store::accounts::by_email_key(pool, &email_key(email))
        .await?
        .filter(|account| account.deactivated_at.is_none())
        .ok_or_else(|| CeremonyError::NoAccount(email.to_owned()))?;
    if account.email_confirmed_at.is_none() || !account.has_second_factor() {
        return Err(CeremonyError::NotReady(email.to_owned()));
    }
    let role = TrustedRole::SecurityOfficer;
    let mut tx = db.begin().await?;
    // The first statement writes (SQLite takes the write lock now: two ceremonies at once
    // cannot both count one officer).
    let id = uuid::Uuid::now_v7().to_string();
    store::roles::insert_assignment(
        &mut *tx,
        &store::roles::NewAssignment {
            id: &id,
            account_id: &account.id,
            role: role.code(),
            status: AssignmentStatus::Active.code(),
            request_id: None,
            at: now.timestamp_millis(),
        },
    )
    .await?;
    let held = store::roles::of_account(&mut *tx, &account.id).await?;
    let already = held
        .iter()
        .filter(|row| row.role == role.code() && row.status == AssignmentStatus::Active.code())
        .count();
    if already > 1 {
        return Err(CeremonyError::AlreadyOfficer(email.to_owned()));
    }
    let conflicts = held
        .iter()
        .filter(|row| AssignmentStatus::from_code(&row.status).is_some_and(|s| s.holds()))
        .filter_map(|row| TrustedRole::from_code(&row.role))
        .find(|other| !role.compatible_with(*other));
    if let Some(other) = conflicts {
        return Err(CeremonyError::Server(ServerError::User(
            app::error::AppError::RoleConflict {
                role: role.code().to_owned(),
                held: other.code().to_owned(),
            },
        )));
    }
    if store::roles::holders(&mut *tx, role.code()).await? > CEREMONY_OFFICERS {
        return Err(CeremonyError::Done);
    }
    let event = Event {
        category: "operators",
        action: "ceremony_security_officer",
        actor: Some("installation".to_owned()),
        details: json!({ "assignment_id": id, "account_id": account.id, "email": account.email, "role": role.code() }),
    };
    audit::record_in(&mut tx, now, &event).await?;
    tx.commit().await?;
    Ok(id)
}
