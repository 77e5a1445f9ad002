//! The RFC 3161 / RFC 5816 structures this module reads and writes, beyond what x509-tsp 0.1
//! and cms 0.2 give: a tolerant `TSTInfo`, `PKIStatusInfo` with the time-stamping failure
//! bits, the response with its token kept opaque, and `SigningCertificateV2`.

use std::fmt;
use std::time::{Duration, SystemTime};

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, BitString, Int, OctetString, Utf8StringRef};
use der::{
    Decode, DecodeValue, Encode, EncodeValue, FixedTag, Header, Length, Reader, Sequence, Tag,
    Writer,
};
use rand_core::{OsRng, RngCore};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::name::GeneralName;
#[cfg(feature = "hsm")]
use x509_cert::serial_number::SerialNumber;
use x509_tsp::{Accuracy, MessageImprint, TimeStampReq, TspVersion};

use super::TimestampError;

/// `id-ct-TSTInfo` (RFC 3161 §2.4.2): `{ id-smime ct(1) 4 }` = 1.2.840.113549.1.9.16.1.4.
pub(crate) const ID_CT_TST_INFO: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

/// Length of the nonces this client sends, in bytes (128 bits).
const NONCE_LEN: usize = 16;

/// A `TimeStampReq` (RFC 3161 §2.4.1) over a SHA-256 digest, ready to send.
///
/// ```text
/// TimeStampReq ::= SEQUENCE  {
///    version               INTEGER  { v1(1) },
///    messageImprint        MessageImprint,
///    reqPolicy             TSAPolicyId              OPTIONAL,
///    nonce                 INTEGER                  OPTIONAL,
///    certReq               BOOLEAN                  DEFAULT FALSE,
///    extensions            [0] IMPLICIT Extensions  OPTIONAL  }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeStampRequest {
    /// The DER encoding, body of the `application/timestamp-query` POST.
    pub der: Vec<u8>,
    /// The random nonce sent, as its INTEGER content bytes (what the token must echo).
    pub nonce: Vec<u8>,
}

impl TimeStampRequest {
    /// A v1 request for (sha256, `digest`) with a fresh random 128-bit nonce, `certReq` true
    /// (so the TSA includes its certificate) and, if given, `reqPolicy`.
    pub fn new(
        digest: &[u8; 32],
        policy: Option<ObjectIdentifier>,
    ) -> Result<Self, TimestampError> {
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);
        // der's Int must be minimally encoded and we want a positive number: a first byte in
        // 0x40..=0x7f needs no padding and keeps the nonce at exactly 16 bytes.
        nonce[0] = 0x40 | (nonce[0] & 0x3f);
        let malformed = |e: der::Error| TimestampError::Malformed {
            what: format!("request (encoding failed: {e})"),
        };
        let request = TimeStampReq {
            version: TspVersion::V1,
            message_imprint: MessageImprint {
                // NULL parameters, as OpenSSL sends them: every TSA accepts that form.
                hash_algorithm: AlgorithmIdentifierOwned {
                    oid: const_oid::db::rfc5912::ID_SHA_256,
                    parameters: Some(der::Any::null()),
                },
                hashed_message: OctetString::new(digest.as_slice()).map_err(malformed)?,
            },
            req_policy: policy,
            nonce: Some(Int::new(&nonce).map_err(malformed)?),
            cert_req: true,
            extensions: None,
        };
        Ok(Self {
            der: request.to_der().map_err(malformed)?,
            nonce: nonce.to_vec(),
        })
    }
}

/// `PKIStatus` (RFC 3161 §2.4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PkiStatus {
    /// 0: "when the PKIStatus contains the value zero a TimeStampToken, as requested, is present".
    Granted,
    /// 1: "when the PKIStatus contains the value one a TimeStampToken, with modifications, is present".
    GrantedWithMods,
    /// 2: the request was refused (see the failure info).
    Rejection,
    /// 3: the request has not been handled yet.
    Waiting,
    /// 4: a revocation is imminent.
    RevocationWarning,
    /// 5: a revocation has occurred.
    RevocationNotification,
    /// Any other value.
    Other(u32),
}

impl PkiStatus {
    fn from_u32(value: u32) -> Self {
        match value {
            0 => Self::Granted,
            1 => Self::GrantedWithMods,
            2 => Self::Rejection,
            3 => Self::Waiting,
            4 => Self::RevocationWarning,
            5 => Self::RevocationNotification,
            other => Self::Other(other),
        }
    }

    #[cfg(any(feature = "hsm", test))]
    fn to_u32(self) -> u32 {
        match self {
            Self::Granted => 0,
            Self::GrantedWithMods => 1,
            Self::Rejection => 2,
            Self::Waiting => 3,
            Self::RevocationWarning => 4,
            Self::RevocationNotification => 5,
            Self::Other(other) => other,
        }
    }
}

impl fmt::Display for PkiStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Granted => f.write_str("granted"),
            Self::GrantedWithMods => f.write_str("grantedWithMods"),
            Self::Rejection => f.write_str("rejection"),
            Self::Waiting => f.write_str("waiting"),
            Self::RevocationWarning => f.write_str("revocationWarning"),
            Self::RevocationNotification => f.write_str("revocationNotification"),
            Self::Other(n) => write!(f, "unknown ({n})"),
        }
    }
}

/// `PKIFailureInfo` (RFC 3161 §2.4.2), a BIT STRING of named bits.
///
/// (cmpv2 0.2's `PkiFailureInfoValues`, which x509-tsp uses, gives `badTime` the bit of
/// `badRequest`, so the bits are handled here.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FailureInfo(u32);

impl FailureInfo {
    /// "unrecognized or unsupported Algorithm Identifier"
    pub const BAD_ALG: u32 = 0;
    /// "transaction not permitted or supported"
    pub const BAD_REQUEST: u32 = 2;
    /// "the data submitted has the wrong format"
    pub const BAD_DATA_FORMAT: u32 = 5;
    /// "the TSA's time source is not available"
    pub const TIME_NOT_AVAILABLE: u32 = 14;
    /// "the requested TSA policy is not supported by the TSA"
    pub const UNACCEPTED_POLICY: u32 = 15;
    /// "the requested extension is not supported by the TSA"
    pub const UNACCEPTED_EXTENSION: u32 = 16;
    /// "the additional information requested could not be understood or is not available"
    pub const ADD_INFO_NOT_AVAILABLE: u32 = 17;
    /// "the request cannot be handled due to system failure"
    pub const SYSTEM_FAILURE: u32 = 25;

    /// The failure info with only bit `bit` set (none when `bit` is 32 or more: the
    /// time-stamping bits end at 25).
    pub const fn bit(bit: u32) -> Self {
        if bit < 32 { Self(1 << bit) } else { Self(0) }
    }

    /// Whether bit `bit` is set.
    pub const fn has(self, bit: u32) -> bool {
        bit < 32 && self.0 & (1 << bit) != 0
    }

    /// The names of the set bits, comma-separated ("none" when no bit is set).
    pub fn names(self) -> String {
        let names: Vec<String> = (0..32)
            .filter(|bit| self.has(*bit))
            .map(|bit| match bit {
                Self::BAD_ALG => "badAlg".to_owned(),
                Self::BAD_REQUEST => "badRequest".to_owned(),
                Self::BAD_DATA_FORMAT => "badDataFormat".to_owned(),
                Self::TIME_NOT_AVAILABLE => "timeNotAvailable".to_owned(),
                Self::UNACCEPTED_POLICY => "unacceptedPolicy".to_owned(),
                Self::UNACCEPTED_EXTENSION => "unacceptedExtension".to_owned(),
                Self::ADD_INFO_NOT_AVAILABLE => "addInfoNotAvailable".to_owned(),
                Self::SYSTEM_FAILURE => "systemFailure".to_owned(),
                other => format!("bit {other}"),
            })
            .collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(",")
        }
    }

    #[cfg(any(feature = "hsm", test))]
    /// Named-bit DER encoding: bit 0 is the most significant bit of the first byte, trailing
    /// zero bits are dropped (X.690 §11.2.2).
    fn to_bit_string(self) -> der::Result<BitString> {
        if self.0 == 0 {
            return BitString::new(0, Vec::new());
        }
        let highest = 31 - self.0.leading_zeros();
        let len = highest as usize / 8 + 1;
        let mut bytes = vec![0u8; len];
        for bit in 0..=highest {
            if self.has(bit) {
                bytes[bit as usize / 8] |= 0x80 >> (bit % 8);
            }
        }
        let unused = (7 - highest % 8) as u8;
        BitString::new(unused, bytes)
    }

    fn from_bit_string(bits: &BitString) -> Self {
        let mut value = 0u32;
        for (i, byte) in bits.raw_bytes().iter().take(4).enumerate() {
            for j in 0..8 {
                if byte & (0x80 >> j) != 0 {
                    value |= 1 << (i * 8 + j);
                }
            }
        }
        Self(value)
    }
}

/// ```text
/// PKIStatusInfo ::= SEQUENCE {
///    status        PKIStatus,
///    statusString  PKIFreeText     OPTIONAL,
///    failInfo      PKIFailureInfo  OPTIONAL  }
/// PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String
/// ```
#[derive(Clone, Debug, Sequence)]
struct PkiStatusInfo<'a> {
    status: u32,
    #[asn1(optional = "true")]
    status_string: Option<Vec<Utf8StringRef<'a>>>,
    #[asn1(optional = "true")]
    fail_info: Option<BitString>,
}

/// ```text
/// TimeStampResp ::= SEQUENCE  {
///    status                  PKIStatusInfo,
///    timeStampToken          TimeStampToken     OPTIONAL  }
/// ```
/// The token is kept as its raw DER (it is stored as is, and signed as is).
#[derive(Clone, Debug, Sequence)]
struct TimeStampResp<'a> {
    status: PkiStatusInfo<'a>,
    #[asn1(optional = "true")]
    time_stamp_token: Option<AnyRef<'a>>,
}

/// The token of a granted `TimeStampResp` (DER), or the refusal as
/// [`TimestampError::Rejected`]. The token itself is not checked here: see
/// [`super::verify_token`].
pub fn token_from_response(response_der: &[u8]) -> Result<Vec<u8>, TimestampError> {
    let response =
        TimeStampResp::from_der(response_der).map_err(|e| TimestampError::Malformed {
            what: format!("response (not a DER TimeStampResp: {e})"),
        })?;
    let status = PkiStatus::from_u32(response.status.status);
    if !matches!(status, PkiStatus::Granted | PkiStatus::GrantedWithMods) {
        let fail_info = response
            .status
            .fail_info
            .as_ref()
            .map(FailureInfo::from_bit_string)
            .unwrap_or_default();
        let text = response
            .status
            .status_string
            .iter()
            .flatten()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(TimestampError::Rejected {
            status: status.to_string(),
            fail_info: fail_info.names(),
            text,
        });
    }
    let token = response
        .time_stamp_token
        .ok_or_else(|| TimestampError::Malformed {
            what: format!("response (status {status} but no token)"),
        })?;
    token.to_der().map_err(|e| TimestampError::Malformed {
        what: format!("response (token: {e})"),
    })
}

#[cfg(any(feature = "hsm", test))]
/// DER of a `TimeStampResp` with `status`, the optional failure info and text, and the token.
pub(crate) fn encode_response(
    status: PkiStatus,
    fail_info: Option<FailureInfo>,
    text: Option<&str>,
    token_der: Option<&[u8]>,
) -> der::Result<Vec<u8>> {
    let status_string = match text {
        Some(text) => Some(vec![Utf8StringRef::new(text)?]),
        None => None,
    };
    let fail_info = match fail_info {
        Some(info) if info != FailureInfo::default() => Some(info.to_bit_string()?),
        _ => None,
    };
    let time_stamp_token = match token_der {
        Some(der) => Some(AnyRef::from_der(der)?),
        None => None,
    };
    TimeStampResp {
        status: PkiStatusInfo {
            status: status.to_u32(),
            status_string,
            fail_info,
        },
        time_stamp_token,
    }
    .to_der()
}

/// An INTEGER read without der's canonical-encoding check, kept as its content bytes: serial
/// numbers and nonces are only compared and displayed, never computed with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LaxInteger(pub Vec<u8>);

impl FixedTag for LaxInteger {
    const TAG: Tag = Tag::Integer;
}

impl<'a> DecodeValue<'a> for LaxInteger {
    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        Ok(Self(reader.read_vec(header.length)?))
    }
}

impl EncodeValue for LaxInteger {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(self.0.len())
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(&self.0)
    }
}

/// A `GeneralizedTime` in UTC, with or without fractional seconds
/// (`YYYYMMDDHHMMSS[.f*]Z`, RFC 3161 §2.4.2: "GeneralizedTime values MUST include seconds
/// [...] MUST NOT include fractional seconds that end in zero" — der 0.7 accepts no
/// fraction at all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LaxGeneralizedTime(pub SystemTime);

impl FixedTag for LaxGeneralizedTime {
    const TAG: Tag = Tag::GeneralizedTime;
}

impl<'a> DecodeValue<'a> for LaxGeneralizedTime {
    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        let bytes = reader.read_vec(header.length)?;
        parse_generalized_time(&bytes)
            .map(Self)
            .ok_or_else(|| Tag::GeneralizedTime.value_error())
    }
}

impl EncodeValue for LaxGeneralizedTime {
    fn value_len(&self) -> der::Result<Length> {
        der::asn1::GeneralizedTime::from_system_time(self.0)?.value_len()
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        der::asn1::GeneralizedTime::from_system_time(self.0)?.encode_value(writer)
    }
}

/// Parses `YYYYMMDDHHMMSS[.fraction]Z`.
fn parse_generalized_time(bytes: &[u8]) -> Option<SystemTime> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_suffix('Z')?;
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| whole.get(range)?.parse::<u16>().ok();
    let date_time = der::DateTime::new(
        number(0..4)?,
        u8::try_from(number(4..6)?).ok()?,
        u8::try_from(number(6..8)?).ok()?,
        u8::try_from(number(8..10)?).ok()?,
        u8::try_from(number(10..12)?).ok()?,
        u8::try_from(number(12..14)?).ok()?,
    )
    .ok()?;
    let mut nanos = 0u32;
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Nanosecond precision; further digits are dropped.
        for (i, digit) in fraction.bytes().take(9).enumerate() {
            nanos += u32::from(digit - b'0') * 10u32.pow(8 - i as u32);
        }
    }
    Some(date_time.to_system_time() + Duration::from_nanos(u64::from(nanos)))
}

/// `TSTInfo` (RFC 3161 §2.4.2), tolerant where TSAs differ: `genTime` with fractional
/// seconds, serial number and nonce as raw INTEGER bytes.
///
/// ```text
/// TSTInfo ::= SEQUENCE  {
///    version                      INTEGER  { v1(1) },
///    policy                       TSAPolicyId,
///    messageImprint               MessageImprint,
///    serialNumber                 INTEGER,
///    genTime                      GeneralizedTime,
///    accuracy                     Accuracy                 OPTIONAL,
///    ordering                     BOOLEAN             DEFAULT FALSE,
///    nonce                        INTEGER                  OPTIONAL,
///    tsa                          [0] GeneralName          OPTIONAL,
///    extensions                   [1] IMPLICIT Extensions   OPTIONAL  }
/// ```
#[derive(Clone, Debug, Sequence)]
pub(crate) struct TstInfo {
    pub version: TspVersion,
    pub policy: ObjectIdentifier,
    pub message_imprint: MessageImprint,
    pub serial_number: LaxInteger,
    pub gen_time: LaxGeneralizedTime,
    #[asn1(optional = "true")]
    pub accuracy: Option<Accuracy>,
    #[asn1(default = "Default::default")]
    pub ordering: bool,
    #[asn1(optional = "true")]
    pub nonce: Option<LaxInteger>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub tsa: Option<GeneralName>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<Extensions>,
}

#[cfg(feature = "hsm")]
/// RFC 5035 §3 / RFC 5816 §2.2.1:
///
/// ```text
/// SigningCertificateV2 ::=  SEQUENCE {
///    certs        SEQUENCE OF ESSCertIDv2,
///    policies     SEQUENCE OF PolicyInformation OPTIONAL }
/// ```
#[derive(Clone, Debug, Sequence)]
pub(crate) struct SigningCertificateV2 {
    pub certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    pub policies: Option<Vec<der::Any>>,
}

#[cfg(feature = "hsm")]
/// ```text
/// ESSCertIDv2 ::=  SEQUENCE {
///    hashAlgorithm           AlgorithmIdentifier DEFAULT {algorithm id-sha256},
///    certHash                 Hash,
///    issuerSerial             IssuerSerial OPTIONAL }
/// ```
/// DER forbids encoding a DEFAULT value: `hash_algorithm` is `None` for SHA-256.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct EssCertIdV2 {
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    pub cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

#[cfg(feature = "hsm")]
/// ```text
/// IssuerSerial ::= SEQUENCE {
///    issuer                   GeneralNames,
///    serialNumber             CertificateSerialNumber }
/// ```
#[derive(Clone, Debug, Sequence)]
pub(crate) struct IssuerSerial {
    pub issuer: Vec<GeneralName>,
    pub serial_number: SerialNumber,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "unit tests")]

    use super::*;

    #[test]
    fn generalized_time_with_and_without_fraction() {
        let whole = parse_generalized_time(b"20261105101112Z").unwrap();
        let unix = whole.duration_since(SystemTime::UNIX_EPOCH).unwrap();
        assert_eq!(unix.as_secs(), 1_793_873_472);
        let fraction = parse_generalized_time(b"20261105101112.123456Z").unwrap();
        assert_eq!(
            fraction.duration_since(whole).unwrap(),
            Duration::from_micros(123_456)
        );
        for bad in [
            &b"20261105101112"[..],
            b"20261105101112.Z",
            b"202611051011Z",
            b"20261305101112Z",
            b"2026110510111x.1Z",
        ] {
            assert!(parse_generalized_time(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn failure_info_bits_round_trip() {
        for bit in [
            FailureInfo::BAD_ALG,
            FailureInfo::BAD_REQUEST,
            FailureInfo::BAD_DATA_FORMAT,
            FailureInfo::SYSTEM_FAILURE,
        ] {
            let info = FailureInfo::bit(bit);
            let bits = info.to_bit_string().unwrap();
            assert_eq!(FailureInfo::from_bit_string(&bits), info);
        }
        // badAlg: one byte 0x80 with 7 unused bits, as OpenSSL writes it.
        let bits = FailureInfo::bit(FailureInfo::BAD_ALG)
            .to_bit_string()
            .unwrap();
        assert_eq!(bits.to_der().unwrap(), [0x03, 0x02, 0x07, 0x80]);
        assert_eq!(
            FailureInfo::bit(FailureInfo::BAD_DATA_FORMAT).names(),
            "badDataFormat"
        );
    }

    #[test]
    fn rejection_response_round_trip() {
        let der = encode_response(
            PkiStatus::Rejection,
            Some(FailureInfo::bit(FailureInfo::BAD_ALG)),
            Some("unsupported"),
            None,
        )
        .unwrap();
        match token_from_response(&der) {
            Err(TimestampError::Rejected {
                status,
                fail_info,
                text,
            }) => {
                assert_eq!(status, "rejection");
                assert_eq!(fail_info, "badAlg");
                assert_eq!(text, "unsupported");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nonce_is_positive_and_minimal() {
        for _ in 0..64 {
            let request = TimeStampRequest::new(&[7; 32], None).unwrap();
            let decoded = TimeStampReq::from_der(&request.der).unwrap();
            assert_eq!(decoded.nonce.unwrap().as_bytes(), request.nonce.as_slice());
            assert!(decoded.cert_req);
            assert_eq!(request.nonce.len(), NONCE_LEN);
        }
    }
}
