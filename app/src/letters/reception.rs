//! The recipient's side of a letter (LET-08 to LET-10, ID-03, ACC-02 (3)): the reception page's
//! server functions.

use leptos::prelude::*;

use super::Reception;
#[cfg(feature = "ssr")]
use super::{letters, reception_token};
use crate::error::AppError;

#[server(endpoint = "reception")]
pub async fn fetch_reception(
    transaction_id: String,
    token: Option<String>,
) -> Result<Reception, AppError> {
    letters()?
        .reception(
            crate::api::caller(),
            reception_token(),
            transaction_id,
            token,
        )
        .await
}

/// ID-03: starts an identity proofing at this reception; returns the provider's page.
#[server(endpoint = "reception_proofing_start")]
pub async fn reception_proofing_start(
    transaction_id: String,
    token: String,
) -> Result<String, AppError> {
    let url = crate::api::with_cookie(
        letters()?
            .reception_proofing_start(crate::api::caller(), transaction_id, token)
            .await?,
    );
    crate::api::redirect_plain_form(&url);
    Ok(url)
}

/// TERMS-01 (policy §3.3): a decision needs the recipient terms in force accepted — the box
/// ticked (`accept_terms`) and the version the page showed (`terms_version`).
#[cfg(feature = "ssr")]
fn accepted_recipient_terms(
    accept_terms: Option<String>,
    terms_version: Option<String>,
) -> Result<String, AppError> {
    match terms_version {
        Some(version)
            if accept_terms.is_some() && version == crate::terms::RECIPIENT_TERMS_VERSION =>
        {
            Ok(version)
        }
        _ => Err(crate::validation::Invalid::Terms.into()),
    }
}

/// LET-08: accepts the letter (needs a live OTP session or reception session, and the
/// recipient terms accepted).
#[server(endpoint = "letter_accept")]
pub async fn letter_accept(
    transaction_id: String,
    accept_terms: Option<String>,
    terms_version: Option<String>,
) -> Result<Reception, AppError> {
    let terms_version = accepted_recipient_terms(accept_terms, terms_version)?;
    letters()?
        .accept(
            crate::api::caller(),
            reception_token(),
            transaction_id,
            terms_version,
        )
        .await
}

/// LET-09: refuses the letter (the recipient terms accepted, as for accepting).
#[server(endpoint = "letter_refuse")]
pub async fn letter_refuse(
    transaction_id: String,
    accept_terms: Option<String>,
    terms_version: Option<String>,
) -> Result<Reception, AppError> {
    let terms_version = accepted_recipient_terms(accept_terms, terms_version)?;
    letters()?
        .refuse(
            crate::api::caller(),
            reception_token(),
            transaction_id,
            terms_version,
        )
        .await
}

/// ACC-02 (3): after an identity proofing at this reception, reactivates the recipient's
/// deactivated account (then sign in as usual; sending needs a new proofing).
#[server(endpoint = "reception_reactivate")]
pub async fn reception_reactivate(transaction_id: String) -> Result<Reception, AppError> {
    letters()?
        .reactivate_after_reception(crate::api::caller(), reception_token(), transaction_id)
        .await
}
