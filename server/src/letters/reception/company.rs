//! Letters to a company (issue 13; policy §6.4): a professional contact named by its
//! company's registry number makes the letter the company's. It is delivered to the company's
//! legal representative or a delegate, verified by the service (an `entity_member` in status
//! `verified`, `crate::entities`), whatever their own address: the letter shows in their inbox,
//! and only they may accept, refuse or open it. The evidence of their decision and openings
//! names the company and their capacity; their company evidences join the dossier
//! (`letters::dossier`, role `recipient-entity`).

use domain::entities::{MemberRole, Registry};
use evidence::pades::{Evidence, keys};

use crate::AppState;
use crate::error::ServerError;
use crate::store::entities::{self as rows, Member};
use crate::store::transactions::TransactionRecord;

/// The company `record` is for, by its registry code and number, if it is for one.
fn company_of(record: &TransactionRecord) -> Option<(&str, &str)> {
    Some((
        record.recipient_company_registry.as_deref()?,
        record.recipient_company_number.as_deref()?,
    ))
}

/// Whether `record` is for the company registered as `number` in `registry` (its code).
pub fn is_for(record: &TransactionRecord, registry: &str, number: &str) -> bool {
    company_of(record) == Some((registry, number))
}

/// Whether `record` is for a company rather than a person.
pub fn is_for_company(record: &TransactionRecord) -> bool {
    company_of(record).is_some()
}

/// The verified request that lets `account_id` act for the company `record` is for; `None`
/// when the letter is for a person, or the account does not act for it.
pub async fn acting_for(
    state: &AppState,
    record: &TransactionRecord,
    account_id: &str,
) -> Result<Option<Member>, ServerError> {
    if !is_for_company(record) {
        return Ok(None);
    }
    Ok(rows::verified_of_account(state.db.pool(), account_id)
        .await?
        .into_iter()
        .find(|m| is_for(record, &m.registry, &m.registry_number)))
}

/// The companies `account_id` acts for, by registry code and number: the letters to them are
/// in its inbox.
pub async fn companies_of(
    state: &AppState,
    account_id: &str,
) -> Result<Vec<(String, String)>, ServerError> {
    Ok(rows::verified_of_account(state.db.pool(), account_id)
        .await?
        .into_iter()
        .map(|m| (m.registry, m.registry_number))
        .collect())
}

/// How a company reads to its recipient: "Filiale SAS (RCS 732 829 320)", or its registry
/// number alone without a name.
pub fn reads(name: Option<&str>, registry: &str, number: &str) -> Option<String> {
    let rcs = app::contacts::company_rcs(Some(registry), Some(number))?;
    Some(match name {
        Some(name) => format!("{name} ({rcs})"),
        None => rcs,
    })
}

/// How the company of `record` reads, if the letter is for one.
pub fn label(record: &TransactionRecord) -> Option<String> {
    let (registry, number) = company_of(record)?;
    reads(record.recipient_company.as_deref(), registry, number)
}

/// `evidence` naming the company `member` acts for, and in what capacity.
pub fn name_in(evidence: Evidence, member: &Member) -> Evidence {
    let registry = Registry::from_code(&member.registry).unwrap_or(Registry::France);
    let capacity = match MemberRole::from_code(&member.role) {
        Some(MemberRole::Representative) => "Représentant légal / Legal representative",
        _ => "Délégataire / Delegate",
    };
    evidence
        .with_field(keys::RECIPIENT_COMPANY, member.entity_name.clone())
        .with_field(
            keys::RECIPIENT_COMPANY_RCS,
            registry.display(&member.registry_number),
        )
        .with_field(keys::RECIPIENT_CAPACITY, capacity)
}
