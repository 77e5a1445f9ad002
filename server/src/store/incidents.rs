//! Tables `incident` and `incident_letter`: the security-incident register and the letters each
//! incident affects (OPS-08; `domain::incidents`). A step moves an incident only from the status
//! it expects (`WHERE status = ...`), so two operators acting at once cannot both succeed.

use sqlx::{Any, Executor};

/// An incident with the names of who took each step.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub description: String,
    /// `domain::incidents::Severity::code`.
    pub severity: String,
    /// `domain::incidents::IncidentStatus::code`.
    pub status: String,
    pub detected_at: i64,
    pub opened_at: i64,
    pub opened_by: String,
    pub qualified_at: Option<i64>,
    pub qualified_by: Option<String>,
    pub personal_data: Option<i64>,
    pub confidentiality: Option<i64>,
    pub integrity: Option<i64>,
    pub availability: Option<i64>,
    pub assessment: Option<String>,
    pub notified_at: Option<i64>,
    pub notified_by: Option<String>,
    pub notice: Option<String>,
    pub closed_at: Option<i64>,
    pub closed_by: Option<String>,
    pub summary: Option<String>,
}

/// Who took each step is read by name ("Name <address>").
const SELECT: &str = "SELECT i.id, i.title, i.description, i.severity, i.status, i.detected_at, \
     i.opened_at, o.name || ' <' || o.email || '>' AS opened_by, \
     i.qualified_at, q.name || ' <' || q.email || '>' AS qualified_by, \
     i.personal_data, i.confidentiality, i.integrity, i.availability, i.assessment, \
     i.notified_at, n.name || ' <' || n.email || '>' AS notified_by, i.notice, \
     i.closed_at, c.name || ' <' || c.email || '>' AS closed_by, i.summary \
     FROM incident i JOIN account o ON o.id = i.opened_by \
     LEFT JOIN account q ON q.id = i.qualified_by \
     LEFT JOIN account n ON n.id = i.notified_by \
     LEFT JOIN account c ON c.id = i.closed_by";

/// An incident to record, open.
#[derive(Clone, Debug)]
pub struct NewIncident<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub severity: &'a str,
    pub detected_at: i64,
    pub opened_by: &'a str,
    pub at: i64,
}

pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    new: &NewIncident<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO incident (id, title, description, severity, status, detected_at, opened_at, opened_by) \
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $7)",
    )
    .bind(new.id)
    .bind(new.title)
    .bind(new.description)
    .bind(new.severity)
    .bind(new.detected_at)
    .bind(new.at)
    .bind(new.opened_by)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Incident `id`.
pub async fn get<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Incident>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// The register, the latest detected first (at most `limit`).
pub async fn list<'c>(
    executor: impl Executor<'c, Database = Any>,
    limit: i64,
) -> Result<Vec<Incident>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} ORDER BY i.detected_at DESC, i.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(executor)
    .await
}

/// The qualification of an incident.
#[derive(Clone, Debug)]
pub struct Qualification<'a> {
    pub severity: &'a str,
    pub personal_data: bool,
    pub confidentiality: bool,
    pub integrity: bool,
    pub availability: bool,
    pub assessment: &'a str,
}

/// Qualifies open incident `id` by `by` at `at`; false when it was not open.
pub async fn qualify<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    qualification: &Qualification<'_>,
    by: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE incident SET status = 'qualified', severity = $1, personal_data = $2, \
         confidentiality = $3, integrity = $4, availability = $5, assessment = $6, \
         qualified_by = $7, qualified_at = $8 WHERE id = $9 AND status = 'open'",
    )
    .bind(qualification.severity)
    .bind(i64::from(qualification.personal_data))
    .bind(i64::from(qualification.confidentiality))
    .bind(i64::from(qualification.integrity))
    .bind(i64::from(qualification.availability))
    .bind(qualification.assessment)
    .bind(by)
    .bind(at)
    .bind(id)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// The steps after the qualification, each recording a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Later {
    /// The notification of a qualified incident (`notice`: to whom, how).
    Notify,
    /// The closing of a qualified or notified incident (`summary`).
    Close,
}

/// Takes step `later` on incident `id` with `text` by `by` at `at`; false when the incident's
/// status did not allow it.
pub async fn record<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    later: Later,
    text: &str,
    by: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let (set, from) = match later {
        Later::Notify => (
            "status = 'notified', notice = $2, notified_by = $3, notified_at = $4",
            "('qualified')",
        ),
        Later::Close => (
            "status = 'closed', summary = $2, closed_by = $3, closed_at = $4",
            "('qualified', 'notified')",
        ),
    };
    sqlx::query(&format!(
        "UPDATE incident SET {set} WHERE id = $1 AND status IN {from}"
    ))
    .bind(id)
    .bind(text)
    .bind(by)
    .bind(at)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// The letter `id` names: a sent letter, or the letter of a recipient's transaction `id`.
pub async fn sent_letter<'c, E>(executor: E, id: &str) -> Result<Option<String>, sqlx::Error>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let letter: Option<String> =
        sqlx::query_scalar("SELECT id FROM letter WHERE id = $1 AND status = 'sent'")
            .bind(id)
            .fetch_optional(executor)
            .await?;
    if letter.is_some() {
        return Ok(letter);
    }
    sqlx::query_scalar("SELECT letter_id FROM letter_transaction WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// Adds letter `letter_id` to incident `incident_id`, unless it is closed; false when it was
/// closed or the letter there already.
pub async fn attach<'c>(
    executor: impl Executor<'c, Database = Any>,
    incident_id: &str,
    letter_id: &str,
    by: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO incident_letter (incident_id, letter_id, added_at, added_by) \
         SELECT $1, $2, $3, $4 WHERE EXISTS \
         (SELECT 1 FROM incident WHERE id = $1 AND status <> 'closed') \
         ON CONFLICT (incident_id, letter_id) DO NOTHING",
    )
    .bind(incident_id)
    .bind(letter_id)
    .bind(at)
    .bind(by)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// A letter added to an incident, by whom and when.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Attached {
    pub letter_id: String,
    pub added_at: i64,
    pub added_by: String,
}

/// The letters of incident `id`, in the order they were added.
pub async fn attached<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Vec<Attached>, sqlx::Error> {
    sqlx::query_as(
        "SELECT il.letter_id, il.added_at, a.name || ' <' || a.email || '>' AS added_by \
         FROM incident_letter il JOIN account a ON a.id = il.added_by \
         WHERE il.incident_id = $1 ORDER BY il.added_at, il.letter_id",
    )
    .bind(id)
    .fetch_all(executor)
    .await
}

/// One recipient of a letter an incident affects.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Affected {
    pub letter_id: String,
    pub transaction_id: String,
    pub sender_name: String,
    pub sender_email: String,
    pub recipient_name: String,
    pub recipient_email: String,
    /// `domain::lifecycle::TransactionStatus` code.
    pub status: String,
    pub sent_at: Option<i64>,
}

/// The recipients of the letters of incident `id` (one row per recipient's letter).
pub async fn affected<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Vec<Affected>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id AS letter_id, t.id AS transaction_id, \
         COALESCE(l.sender_name, '') AS sender_name, COALESCE(l.sender_email, '') AS sender_email, \
         t.recipient_name, t.recipient_email, t.status, l.sent_at \
         FROM incident_letter il JOIN letter l ON l.id = il.letter_id \
         JOIN letter_transaction t ON t.letter_id = l.id \
         WHERE il.incident_id = $1 ORDER BY il.added_at, l.id, t.id",
    )
    .bind(id)
    .fetch_all(executor)
    .await
}
