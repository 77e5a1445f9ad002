//! Tables `legal_entity`, `entity_member` and `entity_document`: the companies people act for,
//! their requests and the documents of the manual verification (ID-05..ID-07;
//! `domain::entities`).

use sqlx::{Any, Executor};

/// A company.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Entity {
    pub id: String,
    pub name: String,
    /// `domain::entities::Registry::code`.
    pub registry: String,
    pub registry_number: String,
}

/// The company registered under `registry` and `number`, if any.
pub async fn entity_by_number<'c>(
    executor: impl Executor<'c, Database = Any>,
    registry: &str,
    number: &str,
) -> Result<Option<Entity>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, registry, registry_number FROM legal_entity \
         WHERE registry = $1 AND registry_number = $2",
    )
    .bind(registry)
    .bind(number)
    .fetch_optional(executor)
    .await
}

pub async fn insert_entity<'c>(
    executor: impl Executor<'c, Database = Any>,
    entity: &Entity,
    at: i64,
) -> Result<(), sqlx::Error> {
    // Two first requests for the same company at once: the second keeps the first's row.
    sqlx::query(
        "INSERT INTO legal_entity (id, name, registry, registry_number, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (registry, registry_number) DO NOTHING",
    )
    .bind(&entity.id)
    .bind(&entity.name)
    .bind(&entity.registry)
    .bind(&entity.registry_number)
    .bind(at)
    .execute(executor)
    .await
    .map(|_| ())
}

/// A request to act for a company, with the company and the person.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Member {
    pub id: String,
    pub entity_id: String,
    pub entity_name: String,
    pub registry: String,
    pub registry_number: String,
    pub account_id: String,
    pub name: String,
    pub email: String,
    /// `domain::entities::MemberRole::code`.
    pub role: String,
    pub representative_name: String,
    /// `domain::entities::MemberStatus::code`.
    pub status: String,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
    pub decided_at: Option<i64>,
    pub reason: Option<String>,
    pub verification_evidence_id: Option<String>,
    pub connection_evidence_id: Option<String>,
}

const MEMBER: &str = "SELECT m.id, m.entity_id, e.name AS entity_name, e.registry, \
     e.registry_number, m.account_id, a.name, a.email, m.role, m.representative_name, m.status, \
     m.created_at, m.submitted_at, m.decided_at, m.reason, m.verification_evidence_id, \
     m.connection_evidence_id \
     FROM entity_member m JOIN legal_entity e ON e.id = m.entity_id \
     JOIN account a ON a.id = m.account_id";

/// A request to write, as a draft.
pub struct NewMember<'a> {
    pub id: &'a str,
    pub entity_id: &'a str,
    pub account_id: &'a str,
    pub role: &'a str,
    pub representative_name: &'a str,
    pub at: i64,
}

pub async fn insert_member<'c>(
    executor: impl Executor<'c, Database = Any>,
    new: &NewMember<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO entity_member (id, entity_id, account_id, role, representative_name, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'draft', $6)",
    )
    .bind(new.id)
    .bind(new.entity_id)
    .bind(new.account_id)
    .bind(new.role)
    .bind(new.representative_name)
    .bind(new.at)
    .execute(executor)
    .await
    .map(|_| ())
}

pub async fn member<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Member>, sqlx::Error> {
    sqlx::query_as(&format!("{MEMBER} WHERE m.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// Every request of `account_id`, newest first.
pub async fn members_of_account<'c>(
    executor: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{MEMBER} WHERE m.account_id = $1 ORDER BY m.created_at DESC, m.id"
    ))
    .bind(account_id)
    .fetch_all(executor)
    .await
}

/// The verified requests of `account_id` (the companies it acts for), oldest first.
pub async fn verified_of_account<'c>(
    executor: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{MEMBER} WHERE m.account_id = $1 AND m.status = 'verified' ORDER BY m.created_at, m.id"
    ))
    .bind(account_id)
    .fetch_all(executor)
    .await
}

/// The requests of `entity_id` in `status`, oldest first.
pub async fn members_of_entity<'c>(
    executor: impl Executor<'c, Database = Any>,
    entity_id: &str,
    status: &str,
) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{MEMBER} WHERE m.entity_id = $1 AND m.status = $2 ORDER BY m.created_at, m.id"
    ))
    .bind(entity_id)
    .bind(status)
    .fetch_all(executor)
    .await
}

/// The requests waiting for a manual verification, oldest first.
pub async fn pending<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{MEMBER} WHERE m.status = 'pending' ORDER BY m.submitted_at, m.id"
    ))
    .fetch_all(executor)
    .await
}

/// Moves request `id` from `from` to `to` (with who and why, when given): whether it was in
/// `from` (a concurrent decision leaves it unchanged).
pub async fn change_status<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    from: &str,
    to: &str,
    by: Option<&str>,
    reason: Option<&str>,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let column = match to {
        "pending" => "submitted_at = $5",
        "revoked" => "ended_at = $5, ended_by = $3",
        _ => "decided_at = $5, decided_by = $3",
    };
    let done = sqlx::query(&format!(
        "UPDATE entity_member SET status = $1, {column}, reason = COALESCE($4, reason) \
         WHERE id = $6 AND status = $2"
    ))
    .bind(to)
    .bind(from)
    .bind(by)
    .bind(reason)
    .bind(at)
    .bind(id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the verification or representative-link evidence of request `id`.
pub async fn set_evidence<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    verification: Option<&str>,
    connection: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE entity_member SET \
         verification_evidence_id = COALESCE($1, verification_evidence_id), \
         connection_evidence_id = COALESCE($2, connection_evidence_id) WHERE id = $3",
    )
    .bind(verification)
    .bind(connection)
    .bind(id)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Records the representative-link evidence of request `id` unless it has one: whether it
/// was recorded.
pub async fn set_connection_once<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    evidence_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE entity_member SET connection_evidence_id = $1 \
         WHERE id = $2 AND connection_evidence_id IS NULL",
    )
    .bind(evidence_id)
    .bind(id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A document, without its content.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Document {
    pub id: String,
    pub member_id: String,
    /// `domain::entities::DocumentKind::code`.
    pub kind: String,
    /// YYYY-MM-DD.
    pub issued_on: Option<String>,
    pub company_name: Option<String>,
    pub company_registry: Option<String>,
    pub company_number: Option<String>,
    pub led_by_number: Option<String>,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: i64,
    pub upload_evidence_id: String,
    pub purged_at: Option<i64>,
    pub purge_evidence_id: Option<String>,
}

const DOCUMENT: &str = "SELECT id, member_id, kind, issued_on, company_name, company_registry, \
     company_number, led_by_number, file_name, media_type, size, sha256, uploaded_by, \
     uploaded_at, upload_evidence_id, purged_at, purge_evidence_id FROM entity_document";

pub async fn insert_document<'c>(
    executor: impl Executor<'c, Database = Any>,
    document: &Document,
    content: &[u8],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO entity_document (id, member_id, kind, issued_on, company_name, \
         company_registry, company_number, led_by_number, file_name, media_type, size, sha256, \
         content, uploaded_by, uploaded_at, upload_evidence_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(&document.id)
    .bind(&document.member_id)
    .bind(&document.kind)
    .bind(&document.issued_on)
    .bind(&document.company_name)
    .bind(&document.company_registry)
    .bind(&document.company_number)
    .bind(&document.led_by_number)
    .bind(&document.file_name)
    .bind(&document.media_type)
    .bind(document.size)
    .bind(&document.sha256)
    .bind(content.to_vec())
    .bind(&document.uploaded_by)
    .bind(document.uploaded_at)
    .bind(&document.upload_evidence_id)
    .execute(executor)
    .await
    .map(|_| ())
}

/// The documents of request `member_id`, in upload order.
pub async fn documents<'c>(
    executor: impl Executor<'c, Database = Any>,
    member_id: &str,
) -> Result<Vec<Document>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{DOCUMENT} WHERE member_id = $1 ORDER BY uploaded_at, id"
    ))
    .bind(member_id)
    .fetch_all(executor)
    .await
}

pub async fn document<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Document>, sqlx::Error> {
    sqlx::query_as(&format!("{DOCUMENT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// The content of document `id`, unless purged.
pub async fn content<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar::<_, Option<Vec<u8>>>("SELECT content FROM entity_document WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await
        .map(Option::flatten)
}

/// The documents of `kinds` uploaded at `before` or earlier and not purged yet.
pub async fn due_for_purge<'c>(
    executor: impl Executor<'c, Database = Any>,
    kinds: &[&str],
    before: i64,
) -> Result<Vec<Document>, sqlx::Error> {
    let list = kinds
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query_as(&format!(
        "{DOCUMENT} WHERE kind IN ({list}) AND purged_at IS NULL AND uploaded_at <= $1 \
         ORDER BY member_id, uploaded_at, id"
    ))
    .bind(before)
    .fetch_all(executor)
    .await
}

/// Drops the content of document `id`, keeping its hash: whether it still had it.
pub async fn purge<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    at: i64,
    evidence_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE entity_document SET content = NULL, purged_at = $1, purge_evidence_id = $2 \
         WHERE id = $3 AND purged_at IS NULL",
    )
    .bind(at)
    .bind(evidence_id)
    .bind(id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}
