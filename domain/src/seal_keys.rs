//! The seal keys and the time-stamping authority, changed under dual control (OPS-01, OPS-06;
//! policy §13.1.3 "Responsable du cachet", §13.6): every operation — generate, activate or
//! retire a seal key, change the TSA — is requested by a seal officer and approved by a second
//! trusted person (another seal officer, or a security officer), never by the requester,
//! within [`crate::roles::DUAL_CONTROL_HOURS`].
//!
//! A key goes **generated → ready → active**, and from generated or ready to **retired**:
//!
//! - *generated*: the key pair is in the HSM, without a certificate yet (production: the
//!   certificate comes from a certification authority, issued on the key's request);
//! - *ready*: its certificate is attached (in development the development PKI issues it at
//!   once), it may be activated;
//! - *active*: every new evidence is sealed with it; activating another key makes it ready
//!   again;
//! - *retired*: never used again; the active key cannot be retired.

use serde::{Deserialize, Serialize};

use crate::roles::TrustedRole;

/// Where a seal key stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SealKeyStatus {
    /// In the HSM, without a certificate.
    Generated,
    /// With its certificate, not in use.
    Ready,
    /// Seals every new evidence.
    Active,
    /// Never used again.
    Retired,
}

impl SealKeyStatus {
    pub const ALL: [SealKeyStatus; 4] = [
        SealKeyStatus::Generated,
        SealKeyStatus::Ready,
        SealKeyStatus::Active,
        SealKeyStatus::Retired,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            SealKeyStatus::Generated => "generated",
            SealKeyStatus::Ready => "ready",
            SealKeyStatus::Active => "active",
            SealKeyStatus::Retired => "retired",
        }
    }

    pub fn from_code(code: &str) -> Option<SealKeyStatus> {
        SealKeyStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether a key in this status may be activated: only a ready one (a generated key has
    /// no certificate; an active one is already; a retired one never again).
    pub fn activation(self) -> Result<(), SealKeyRefusal> {
        match self {
            SealKeyStatus::Ready => Ok(()),
            SealKeyStatus::Generated => Err(SealKeyRefusal::NoCertificate),
            SealKeyStatus::Active => Err(SealKeyRefusal::AlreadyActive),
            SealKeyStatus::Retired => Err(SealKeyRefusal::Retired),
        }
    }

    /// Whether a key in this status may be retired: not the active one, not twice.
    pub fn retirement(self) -> Result<(), SealKeyRefusal> {
        match self {
            SealKeyStatus::Generated | SealKeyStatus::Ready => Ok(()),
            SealKeyStatus::Active => Err(SealKeyRefusal::RetireActive),
            SealKeyStatus::Retired => Err(SealKeyRefusal::Retired),
        }
    }

    /// Whether a certificate may be attached: not to a retired key.
    pub fn certification(self) -> Result<(), SealKeyRefusal> {
        match self {
            SealKeyStatus::Generated | SealKeyStatus::Ready => Ok(()),
            SealKeyStatus::Active => Err(SealKeyRefusal::AlreadyActive),
            SealKeyStatus::Retired => Err(SealKeyRefusal::Retired),
        }
    }
}

/// A seal-key operation under dual control, with its stored action code
/// (`dual_control_request.action`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SealKeyAction {
    Generate,
    Activate,
    Retire,
    ChangeTsa,
}

impl SealKeyAction {
    pub const ALL: [SealKeyAction; 4] = [
        SealKeyAction::Generate,
        SealKeyAction::Activate,
        SealKeyAction::Retire,
        SealKeyAction::ChangeTsa,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SealKeyAction::Generate => "generate_seal_key",
            SealKeyAction::Activate => "activate_seal_key",
            SealKeyAction::Retire => "retire_seal_key",
            SealKeyAction::ChangeTsa => "change_tsa",
        }
    }

    pub fn from_code(code: &str) -> Option<SealKeyAction> {
        SealKeyAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// Who may request a seal-key operation: a seal officer (§13.1.3).
pub fn may_request(roles: &[TrustedRole]) -> bool {
    roles.contains(&TrustedRole::SealOfficer)
}

/// Who may approve or reject one (the second person): a seal officer, or a security officer,
/// who answers for the security policy (§13.1.3). Never the requester (checked apart).
pub fn may_approve(roles: &[TrustedRole]) -> bool {
    roles.contains(&TrustedRole::SealOfficer) || roles.contains(&TrustedRole::SecurityOfficer)
}

/// Who may see the seal keys' page: those who request or approve.
pub fn may_read(roles: &[TrustedRole]) -> bool {
    may_approve(roles)
}

/// Longest TSA address accepted.
pub const TSA_URL_MAX_CHARS: usize = 2000;

/// A TSA address as entered: `http://` or `https://`, printable ASCII without spaces, at most
/// [`TSA_URL_MAX_CHARS`]; or `builtin`, the development TSA (development only, checked by the
/// server).
pub fn tsa_url(input: &str) -> Result<String, SealKeyRefusal> {
    let url = input.trim();
    if url == "builtin" {
        return Ok(url.to_owned());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or(SealKeyRefusal::TsaUrl)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty()
        || url.len() > TSA_URL_MAX_CHARS
        || !url.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(SealKeyRefusal::TsaUrl);
    }
    Ok(url.to_owned())
}

/// Why a seal-key operation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum SealKeyRefusal {
    /// Retiring the key that seals (activate another one first).
    #[error("the active seal key cannot be retired")]
    RetireActive,
    /// Activating, retiring or certifying a retired key.
    #[error("the seal key is retired")]
    Retired,
    /// Activating the key already active, or attaching a certificate to it.
    #[error("the seal key is already active")]
    AlreadyActive,
    /// Activating a key without a certificate.
    #[error("the seal key has no certificate yet")]
    NoCertificate,
    /// A certificate that is not a PEM X.509 certificate, not valid now, or not for an RSA
    /// key.
    #[error("not a usable certificate")]
    Certificate,
    /// A certificate for another key than this one.
    #[error("the certificate is not for this key")]
    CertificateMismatch,
    /// A TSA address that is not an http(s) URL (or `builtin` in development).
    #[error("not a TSA address")]
    TsaUrl,
    /// Trust roots that are not PEM certificates.
    #[error("the trust roots are not PEM certificates")]
    TrustRoots,
    /// The TSA did not answer a test time-stamp request with a token its trust roots verify.
    #[error("the TSA did not answer a test time-stamp request")]
    TsaUnreachable,
    /// The same operation on the same key (or the same TSA) is already waiting for approval.
    #[error("the same request is already pending")]
    Pending,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions() {
        use SealKeyStatus::*;
        assert_eq!(Ready.activation(), Ok(()));
        assert_eq!(Generated.activation(), Err(SealKeyRefusal::NoCertificate));
        assert_eq!(Active.activation(), Err(SealKeyRefusal::AlreadyActive));
        assert_eq!(Retired.activation(), Err(SealKeyRefusal::Retired));
        assert_eq!(Generated.retirement(), Ok(()));
        assert_eq!(Ready.retirement(), Ok(()));
        assert_eq!(Active.retirement(), Err(SealKeyRefusal::RetireActive));
        assert_eq!(Retired.retirement(), Err(SealKeyRefusal::Retired));
        assert_eq!(Retired.certification(), Err(SealKeyRefusal::Retired));
        for status in SealKeyStatus::ALL {
            assert_eq!(SealKeyStatus::from_code(status.code()), Some(status));
        }
        for action in SealKeyAction::ALL {
            assert_eq!(SealKeyAction::from_code(action.code()), Some(action));
        }
    }

    #[test]
    fn who_may_do_what() {
        use TrustedRole::*;
        assert!(may_request(&[SealOfficer]));
        assert!(!may_request(&[SecurityOfficer]));
        assert!(may_approve(&[SecurityOfficer]));
        assert!(may_approve(&[SealOfficer]));
        assert!(!may_approve(&[SystemAdministrator, ServiceManager]));
    }

    #[test]
    fn tsa_addresses() {
        assert_eq!(
            tsa_url(" https://tsa.example/ts ").as_deref(),
            Ok("https://tsa.example/ts")
        );
        assert_eq!(
            tsa_url("http://127.0.0.1:9/tsa").as_deref(),
            Ok("http://127.0.0.1:9/tsa")
        );
        assert_eq!(tsa_url("builtin").as_deref(), Ok("builtin"));
        for bad in [
            "",
            "ftp://x",
            "https://",
            "http:///x",
            "https://a b",
            "javascript:x",
        ] {
            assert_eq!(tsa_url(bad), Err(SealKeyRefusal::TsaUrl), "{bad}");
        }
    }
}
