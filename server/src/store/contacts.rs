//! Table `contact`: each sender's address book (CONS-01).

use sqlx::{Any, Executor, Transaction};

/// A contact as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ContactRecord {
    pub id: String,
    pub email: String,
    /// The comparison key of the address (`account::principal::email_key`).
    pub email_key: String,
    pub name: String,
    /// 1 for a professional (CONS-05), 0 for a private person.
    pub professional: i64,
    pub company_name: Option<String>,
    /// The company's registry (`domain::entities::Registry::code`) and normalised number,
    /// when the letter is for the company itself (policy §6.4).
    pub company_registry: Option<String>,
    pub company_number: Option<String>,
}

impl ContactRecord {
    /// A professional needs no consent (CONS-05).
    pub fn is_professional(&self) -> bool {
        self.professional != 0
    }
}

/// A contact to write.
#[derive(Clone, Debug)]
pub struct ContactFields<'a> {
    pub email: &'a str,
    pub email_key: &'a str,
    pub name: &'a str,
    pub professional: bool,
    pub company_name: Option<&'a str>,
    /// `(registry code, normalised number)`.
    pub company_number: Option<(&'a str, &'a str)>,
}

const COLUMNS: &str =
    "id, email, email_key, name, professional, company_name, company_registry, company_number";

/// `owner_id`'s contact `id`, if it is theirs.
pub async fn owned<'c>(
    executor: impl Executor<'c, Database = Any>,
    owner_id: &str,
    id: &str,
) -> Result<Option<ContactRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM contact WHERE id = $1 AND owner_id = $2"
    ))
    .bind(id)
    .bind(owner_id)
    .fetch_optional(executor)
    .await
}

/// `owner_id`'s contacts, by name.
pub async fn of_owner<'c>(
    executor: impl Executor<'c, Database = Any>,
    owner_id: &str,
) -> Result<Vec<ContactRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM contact WHERE owner_id = $1 ORDER BY name, email_key"
    ))
    .bind(owner_id)
    .fetch_all(executor)
    .await
}

/// The id of `owner_id`'s contact with the address `email_key`, if any.
pub async fn with_address<'c>(
    executor: impl Executor<'c, Database = Any>,
    owner_id: &str,
    email_key: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM contact WHERE owner_id = $1 AND email_key = $2")
            .bind(owner_id)
            .bind(email_key)
            .fetch_optional(executor)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// Adds a contact to `owner_id`'s book.
pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    owner_id: &str,
    fields: &ContactFields<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO contact (id, owner_id, email, email_key, name, professional, \
         company_name, company_registry, company_number, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(id)
    .bind(owner_id)
    .bind(fields.email)
    .bind(fields.email_key)
    .bind(fields.name)
    .bind(i64::from(fields.professional))
    .bind(fields.company_name)
    .bind(fields.company_number.map(|(registry, _)| registry))
    .bind(fields.company_number.map(|(_, number)| number))
    .bind(now)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Changes `owner_id`'s contact `id`.
pub async fn update<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    owner_id: &str,
    fields: &ContactFields<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE contact SET email = $1, email_key = $2, name = $3, professional = $4, \
         company_name = $5, company_registry = $6, company_number = $7, updated_at = $8 \
         WHERE id = $9 AND owner_id = $10",
    )
    .bind(fields.email)
    .bind(fields.email_key)
    .bind(fields.name)
    .bind(i64::from(fields.professional))
    .bind(fields.company_name)
    .bind(fields.company_number.map(|(registry, _)| registry))
    .bind(fields.company_number.map(|(_, number)| number))
    .bind(now)
    .bind(id)
    .bind(owner_id)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Takes the contact's row lock until `tx` ends (PostgreSQL; SQLite has one writer at a time),
/// so that two requests about one contact happen one after the other.
pub async fn lock(tx: &mut Transaction<'_, Any>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE contact SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
