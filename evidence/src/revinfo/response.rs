//! An OCSP basic response (RFC 6960 §4.2.1) read leniently: as x509-ocsp's
//! `BasicOcspResponse`, but with its times and certificate statuses kept as sent, because
//! responders may write GeneralizedTime with fractional seconds (RFC 6960 does not forbid it;
//! certomancer and others do it), which the DER time types refuse. What is read from them:
//! [`generalized_time`] and [`Status::of`].

use std::time::SystemTime;

use der::asn1::{Any, BitString};
use der::{DateTime, Sequence, Tag, TagNumber, Tagged};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_ocsp::{CertId, ResponderId, Version};

#[derive(Clone, Debug, Sequence)]
pub(super) struct BasicResponse {
    pub tbs_response_data: ResponseData,
    pub signature_algorithm: AlgorithmIdentifierOwned,
    pub signature: BitString,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    pub certs: Option<Vec<Certificate>>,
}

#[derive(Clone, Debug, Sequence)]
pub(super) struct ResponseData {
    #[asn1(
        context_specific = "0",
        default = "Default::default",
        tag_mode = "EXPLICIT"
    )]
    pub version: Version,
    pub responder_id: ResponderId,
    pub produced_at: Any,
    pub responses: Vec<SingleResponse>,
    #[asn1(context_specific = "1", optional = "true", tag_mode = "EXPLICIT")]
    pub response_extensions: Option<Any>,
}

#[derive(Clone, Debug, Sequence)]
pub(super) struct SingleResponse {
    pub cert_id: CertId,
    pub cert_status: Any,
    pub this_update: Any,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    pub next_update: Option<Any>,
    #[asn1(context_specific = "1", optional = "true", tag_mode = "EXPLICIT")]
    pub single_extensions: Option<Any>,
}

/// `CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo,
/// unknown [2] IMPLICIT UnknownInfo }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Status {
    Good,
    Revoked,
    Unknown,
}

impl Status {
    pub(super) fn of(status: &Any) -> Option<Status> {
        match status.tag() {
            Tag::ContextSpecific { number, .. } if number == TagNumber::N0 => Some(Status::Good),
            Tag::ContextSpecific { number, .. } if number == TagNumber::N1 => Some(Status::Revoked),
            Tag::ContextSpecific { number, .. } if number == TagNumber::N2 => Some(Status::Unknown),
            _ => None,
        }
    }
}

/// A GeneralizedTime `YYYYMMDDHHMMSS[.f...]Z`, fractional seconds dropped.
pub(super) fn generalized_time(time: &Any) -> Option<SystemTime> {
    if time.tag() != Tag::GeneralizedTime {
        return None;
    }
    let text = std::str::from_utf8(time.value()).ok()?.strip_suffix('Z')?;
    let whole = text.split_once('.').map_or(text, |(whole, _)| whole);
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let field = |at: usize, len: usize| whole[at..at + len].parse::<u16>().ok();
    let byte = |at: usize| field(at, 2).and_then(|v| u8::try_from(v).ok());
    DateTime::new(
        field(0, 4)?,
        byte(4)?,
        byte(6)?,
        byte(8)?,
        byte(10)?,
        byte(12)?,
    )
    .ok()
    .map(|time| time.to_system_time())
}

#[cfg(test)]
mod tests {
    use der::{Decode, Encode};

    use super::*;

    fn time(text: &str) -> Any {
        let mut der = vec![0x18, u8::try_from(text.len()).expect("short")];
        der.extend_from_slice(text.as_bytes());
        Any::from_der(&der).expect("a TLV")
    }

    #[test]
    fn generalized_times_with_and_without_fractions() {
        let whole = generalized_time(&time("20261201202215Z")).expect("whole seconds");
        let fraction = generalized_time(&time("20261201202215.123456Z")).expect("a fraction");
        assert_eq!(whole, fraction);
        let expected =
            der::asn1::GeneralizedTime::from_der(&time("20261201202215Z").to_der().expect("DER"))
                .expect("GeneralizedTime")
                .to_system_time();
        assert_eq!(whole, expected);
        for bad in [
            "20261201202215",
            "2026120120221Z",
            "2026120120221xZ",
            "20261301202215Z",
        ] {
            assert_eq!(generalized_time(&time(bad)), None, "{bad}");
        }
    }
}
