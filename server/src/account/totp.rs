//! Time-based one-time passwords (AUTH-01, RFC 6238) and recovery codes.
//!
//! SHA-1, 6 digits, 30-second steps, 160-bit secrets, ±1 step of clock drift: what Google
//! Authenticator, Microsoft Authenticator and FreeOTP all support. The last accepted time step
//! is remembered per user and never accepted again (RFC 6238 §5.2).

use app::types::TotpEnrolment;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use crate::ledger::sha256_hex;

/// The issuer shown by authenticator apps.
pub const ISSUER: &str = "Pli";
/// Number of recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// A new random 160-bit secret, base32 (32 characters, no padding).
pub fn new_secret() -> String {
    Secret::from(rand::random::<[u8; 20]>()).to_base32()
}

/// The generator for a base32 secret, labelled with the user's address.
pub fn generator(secret_base32: &str, account_name: &str) -> Result<Totp, String> {
    let secret = Secret::try_from_base32(secret_base32).map_err(|e| e.to_string())?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        // A colon separates issuer and account in the otpauth label.
        .with_account_name(account_name.replace(':', ""))
        .build()
        .map_err(|e| e.to_string())
}

/// What the profile shows to enrol: QR code (otpauth URI) and the secret in text.
pub fn enrolment(secret_base32: &str, account_name: &str) -> Result<TotpEnrolment, String> {
    let totp = generator(secret_base32, account_name)?;
    Ok(TotpEnrolment {
        qr_png_base64: totp.to_qr_base64().map_err(|e| e.to_string())?,
        secret_base32: secret_base32.to_owned(),
        otpauth_uri: totp.to_url().map_err(|e| e.to_string())?,
    })
}

/// The time step `code` belongs to at `unix_seconds` (±1 step), if it is valid and from a
/// step after `last_step`.
pub fn check(
    secret_base32: &str,
    code: &str,
    unix_seconds: i64,
    last_step: Option<i64>,
) -> Option<i64> {
    let totp = generator(secret_base32, "").ok()?;
    let now = u64::try_from(unix_seconds).ok()?;
    let step = i64::try_from(totp.check(code, now)?).ok()?;
    match last_step {
        Some(last) if step <= last => None,
        _ => Some(step),
    }
}

/// Fresh recovery codes: 12 base32 characters (60 bits) each, shown as `xxxx-xxxx-xxxx`.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    (0..RECOVERY_CODES)
        .map(|_| {
            let bits = rand::random::<u64>();
            let chars: Vec<char> = (0..12)
                .map(|i| ALPHABET[((bits >> (5 * i)) & 31) as usize] as char)
                .collect();
            chars
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// How a recovery code is stored: SHA-256 of its normalised form (see
/// [`app::validation::code`]). 60 random bits each, and attempts are rate-limited.
pub fn recovery_code_hash(code: &str) -> String {
    sha256_hex(app::validation::code(code).unwrap_or_default().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AUTH-01: RFC 6238 Appendix B test vectors (SHA-1, 8 digits, the ASCII secret
    /// "12345678901234567890").
    #[test]
    fn rfc6238_test_vectors() {
        let totp = Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(8)
            .with_secret(Secret::from(b"12345678901234567890".to_vec()))
            .build_noncompliant();
        for (time, expected) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(totp.generate(time).to_string(), expected, "T = {time}");
        }
    }

    /// AUTH-01: ±1 step accepted, ±2 refused, a used step never again.
    #[test]
    fn skew_and_step_reuse() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32, "160 bits in base32");
        let totp = generator(&secret, "alice@example.org").expect("generator");
        let t = 1_800_000_000_i64;
        let code = |at: i64| totp.generate(at as u64).to_string();
        let step = t / 30;
        assert_eq!(check(&secret, &code(t), t, None), Some(step));
        assert_eq!(check(&secret, &code(t - 30), t, None), Some(step - 1));
        assert_eq!(check(&secret, &code(t + 30), t, None), Some(step + 1));
        assert_eq!(check(&secret, &code(t - 60), t, None), None);
        assert_eq!(check(&secret, &code(t + 60), t, None), None);
        assert_eq!(check(&secret, &code(t), t, Some(step)), None, "reused step");
        assert_eq!(check(&secret, &code(t - 30), t, Some(step - 1)), None);
        assert_eq!(check(&secret, &code(t + 30), t, Some(step)), Some(step + 1));
    }

    #[test]
    fn enrolment_uri_and_recovery_codes() {
        let secret = new_secret();
        let e = enrolment(&secret, "alice@example.org").expect("enrolment");
        assert!(
            e.otpauth_uri
                .starts_with("otpauth://totp/Pli:alice%40example.org?"),
            "{}",
            e.otpauth_uri
        );
        assert!(e.otpauth_uri.contains(&format!("secret={secret}")));
        assert!(e.otpauth_uri.contains("issuer=Pli"));
        assert!(!e.qr_png_base64.is_empty());
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        for code in &codes {
            assert_eq!(code.len(), 14, "{code}");
            assert!(app::validation::code(code).is_ok(), "{code}");
        }
        assert_eq!(
            recovery_code_hash(&codes[0]),
            recovery_code_hash(&codes[0].to_uppercase().replace('-', " "))
        );
    }
}
