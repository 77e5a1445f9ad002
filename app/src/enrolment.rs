//! TOTP enrolment without JavaScript (issue 11, progressive enhancement). With the WASM client
//! the page keeps what `totp_begin` and `totp_confirm` return; a form the browser posts itself
//! gets a redirect back to the profile instead, so the page must find them again:
//! - the QR code and key of the enrolment begun: the pending secret is kept by the server
//!   until a first code confirms it ([`totp_pending`]);
//! - the recovery codes, of which the server keeps only hashes: `totp_confirm` hands them to
//!   the browser that confirmed, in a short-lived cookie ([`RECOVERY_COOKIE`]: `HttpOnly`,
//!   `SameSite=Strict`, 10 minutes) that the profile reads when rendered
//!   ([`totp_recovery_codes`]) and that goes once the user says they kept them
//!   ([`totp_recovery_done`]).

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::TotpEnrolment;

/// The cookie that carries the recovery codes to the profile page after an enrolment
/// confirmed without JavaScript.
pub const RECOVERY_COOKIE: &str = "pli_recovery";

/// How long the recovery codes stay in the cookie, unless the user dismisses them first.
#[cfg(feature = "ssr")]
const RECOVERY_COOKIE_SECONDS: u32 = 600;

/// Sets the recovery-code cookie with `codes` (a form posted without JavaScript).
#[cfg(feature = "ssr")]
pub(crate) fn keep_recovery_codes(codes: &[String], secure: bool) {
    set_recovery_cookie(&codes.join("."), RECOVERY_COOKIE_SECONDS, secure);
}

#[cfg(feature = "ssr")]
fn set_recovery_cookie(value: &str, max_age: u32, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{RECOVERY_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    );
    if let Ok(value) = http::HeaderValue::from_str(&cookie)
        && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The recovery codes of a cookie's value: at most 10, each of the characters a recovery code
/// is made of (anything else is ignored: the browser may send what it likes).
pub fn recovery_codes_of(value: &str) -> Vec<String> {
    value
        .split('.')
        .filter(|code| {
            (1..=32).contains(&code.len())
                && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .take(10)
        .map(str::to_owned)
        .collect()
}

/// The enrolment begun and not confirmed yet (its QR code and key again), if any.
#[server(endpoint = "totp_pending")]
pub async fn totp_pending() -> Result<Option<TotpEnrolment>, AppError> {
    crate::api::services()?
        .totp_pending(crate::api::caller())
        .await
}

/// The recovery codes this browser was handed at an enrolment confirmed without JavaScript.
#[server(endpoint = "totp_recovery_codes")]
pub async fn totp_recovery_codes() -> Result<Vec<String>, AppError> {
    Ok(crate::api::cookie(RECOVERY_COOKIE)
        .map(|value| recovery_codes_of(&value))
        .unwrap_or_default())
}

/// "I have saved them": the recovery codes leave the browser's cookie.
#[server(endpoint = "totp_recovery_done")]
pub async fn totp_recovery_done() -> Result<(), AppError> {
    let secure = crate::api::services()?.secure_cookies();
    set_recovery_cookie("", 0, secure);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::recovery_codes_of;

    #[test]
    fn only_recovery_codes_are_read_from_the_cookie() {
        assert_eq!(recovery_codes_of("ABCD-EFGH.1234"), ["ABCD-EFGH", "1234"]);
        assert!(recovery_codes_of("").is_empty());
        assert_eq!(recovery_codes_of("<script>.OK"), ["OK"]);
        assert_eq!(recovery_codes_of(&["A"; 20].join(".")).len(), 10);
    }
}
