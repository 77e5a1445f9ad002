//! Recorded events (OPS-02, OPS-03): who did what, when, from where. Each event is stored as a
//! JSON document and chained into the [`ledger`](crate::ledger) in the same transaction.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use sqlx::{Any, Transaction};

use app::api::Caller;

use crate::db::Db;
use crate::ledger::{self, EntryType};
use crate::store::journal::{self, NewEvent};

/// An event to record. `category` groups events (`system`, `key`, `auth`, `evidence`...);
/// `action` says what happened; `actor` who did it (user id, operator, or `system`).
#[derive(Clone, Debug)]
pub struct Event {
    pub category: &'static str,
    pub action: &'static str,
    pub actor: Option<String>,
    pub details: Value,
}

impl Event {
    pub fn system(category: &'static str, action: &'static str, details: Value) -> Event {
        Event {
            category,
            action,
            actor: Some("system".to_owned()),
            details,
        }
    }
}

/// An authentication event (AUTH-05) with the caller's address and browser.
pub fn auth_event(
    action: &'static str,
    actor: Option<&str>,
    caller: &Caller,
    details: Value,
) -> Event {
    let mut document = json!({ "ip": caller.ip, "user_agent": caller.user_agent });
    if let (Some(into), Value::Object(extra)) = (document.as_object_mut(), details) {
        into.extend(extra);
    }
    Event {
        category: "auth",
        action,
        actor: actor.map(str::to_owned),
        details: document,
    }
}

/// Records `event` at `at` inside `tx`; returns the event id.
pub async fn record_in(
    tx: &mut Transaction<'_, Any>,
    at: DateTime<Utc>,
    event: &Event,
) -> Result<String, sqlx::Error> {
    let id = uuid::Uuid::now_v7().to_string();
    let document = json!({
        "id": id,
        "time": at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "category": event.category,
        "action": event.action,
        "actor": event.actor,
        "details": event.details,
    })
    .to_string();
    let at_ms = at.timestamp_millis();
    journal::insert_event(
        &mut **tx,
        &NewEvent {
            id: &id,
            recorded_at: at_ms,
            category: event.category,
            action: event.action,
            actor: event.actor.as_deref(),
            document: &document,
        },
    )
    .await?;
    ledger::append(
        tx,
        EntryType::Event,
        &id,
        at_ms,
        &ledger::sha256_hex(document.as_bytes()),
    )
    .await?;
    Ok(id)
}

/// Records `event` in its own transaction.
pub async fn record(db: &Db, at: DateTime<Utc>, event: &Event) -> Result<String, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id = record_in(&mut tx, at, event).await?;
    tx.commit().await?;
    Ok(id)
}
