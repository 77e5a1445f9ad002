//! The evidence data model, one shape for every kind (EVD-04), and its validation.

use std::collections::HashSet;
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::PadesError;
use super::fields::{field_labels, is_member_key, keys};
use super::kinds::EvidenceKind;

/// Who issues (and seals) the evidence: the trust service provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issuer {
    /// The provider's name, e.g. "Pli".
    pub name: String,
    /// The service's public address, e.g. `https://pli.example`; the evidence says it can be
    /// verified at `<url>/verify` (EVD-06).
    pub url: String,
    /// The legal time zone of the service (policy; Europe/Paris by default): the PDF prints the
    /// event time in it, in words, next to UTC (issue 11). `None` prints UTC only.
    pub time_zone: Option<domain::time::Tz>,
}

impl Issuer {
    /// The public verification page, `<url>/verify` (EVD-06).
    pub fn verify_url(&self) -> String {
        format!("{}/verify", self.url.trim_end_matches('/'))
    }
}

/// A natural or legal person named in an evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    /// Full name (or company name).
    pub name: String,
    /// The service's unique identifier for this person.
    pub id: String,
    /// Email address, where the evidence type lists it.
    pub email: Option<String>,
}

impl Party {
    /// A party with an email address.
    pub fn new(name: impl Into<String>, id: impl Into<String>, email: impl Into<String>) -> Self {
        Party {
            name: name.into(),
            id: id.into(),
            email: Some(email.into()),
        }
    }
}

/// The sessions under which the user acted (AUTH-04, policy §6.6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sessions {
    /// The login session's identifier.
    pub login_session_id: String,
    /// When the user logged in.
    pub login_time: SystemTime,
    /// The OTP session (15 minutes after a second-factor check, AUTH-02) the action used.
    pub otp_session_id: String,
}

/// One more labelled value of an evidence, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Stable key (see [`keys`](super::keys)); unique within an evidence.
    pub key: String,
    /// French label, printed first.
    pub label_fr: String,
    /// English label, printed below the French one.
    pub label_en: String,
    /// The value, as printed (times in [`format_utc`] form).
    pub value: String,
}

impl Field {
    /// A field with explicit labels.
    pub fn new(
        key: impl Into<String>,
        label_fr: impl Into<String>,
        label_en: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        Field {
            key: key.into(),
            label_fr: label_fr.into(),
            label_en: label_en.into(),
            value: value.into(),
        }
    }

    /// A field with a well-known key: its labels come from the catalogue
    /// ([`field_labels`](super::field_labels)); an unknown key gets itself as both labels.
    pub fn known(key: &str, value: impl Into<String>) -> Self {
        let (fr, en) = field_labels(key).unwrap_or((key, key));
        Field::new(key, fr, en, value)
    }

    /// A well-known field holding a time, written as [`format_utc`] does.
    pub fn time(key: &str, time: SystemTime) -> Self {
        Field::known(key, format_utc(time))
    }
}

/// A digest of a file the evidence is about (LET-02, EVD-03, ID-06).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentDigest {
    /// The file's name as uploaded.
    pub file_name: String,
    /// The service's unique identifier for the file, where the evidence type lists it (ID-06).
    pub file_id: Option<String>,
    /// The hash method: "SHA-256" (also accepted: "SHA-384", "SHA-512").
    pub algorithm: String,
    /// The digest, lowercase hexadecimal.
    pub hex: String,
}

impl ContentDigest {
    /// A SHA-256 digest given as hex (lowercased).
    pub fn sha256_hex(
        file_name: impl Into<String>,
        file_id: Option<String>,
        hex: impl Into<String>,
    ) -> Self {
        ContentDigest {
            file_name: file_name.into(),
            file_id,
            algorithm: "SHA-256".to_owned(),
            hex: hex.into().to_ascii_lowercase(),
        }
    }

    /// The SHA-256 digest of `data`.
    pub fn sha256_of(file_name: impl Into<String>, file_id: Option<String>, data: &[u8]) -> Self {
        ContentDigest::sha256_hex(file_name, file_id, hex(&Sha256::digest(data)))
    }

    /// The XML-DSig URI of the digest method, and the digest length in bytes.
    pub(crate) fn method(&self) -> Option<(&'static str, usize)> {
        match self.algorithm.as_str() {
            "SHA-256" => Some(("http://www.w3.org/2001/04/xmlenc#sha256", 32)),
            "SHA-384" => Some(("http://www.w3.org/2001/04/xmldsig-more#sha384", 48)),
            "SHA-512" => Some(("http://www.w3.org/2001/04/xmlenc#sha512", 64)),
            _ => None,
        }
    }
}

/// One evidence: what happened, when, to whom, under which policy (EVD-04, policy §9.6).
///
/// Build it, call [`validate`](Evidence::validate) (also done by
/// [`prepare`](Evidence::prepare)), then seal it. Every value is printed in the PDF and
/// written to the attached XML ([`to_xml`](Evidence::to_xml)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// Unique evidence identifier (EVD-04): 1 to 128 printable characters.
    pub id: String,
    /// What kind of event this evidence records.
    pub kind: EvidenceKind,
    /// When the event happened, UTC (EVD-04); printed to the millisecond.
    pub event_time: SystemTime,
    /// When the letter was submitted, where relevant (ETSI `SubmissionTime`).
    pub submission_time: Option<SystemTime>,
    /// The OID of the evidence policy in force (OPS-07), dotted, e.g. `1.2.250.1.999.1.1`.
    pub policy_oid: String,
    /// Who issues and seals the evidence.
    pub issuer: Issuer,
    /// The letter's sender, or the sender asking for consent.
    pub sender: Option<Party>,
    /// The letter's (or consent's) recipient.
    pub recipient: Option<Party>,
    /// The person the event is about when neither sender nor recipient: the identified
    /// person (ID-04), the uploader (ID-06).
    pub user: Option<Party>,
    /// The letter's unique identifier (LET-03).
    pub letter_id: Option<String>,
    /// The letter's subject.
    pub subject: Option<String>,
    /// The sessions the actor used (AUTH-04).
    pub sessions: Option<Sessions>,
    /// Every other value, labelled in both languages, in print order.
    pub fields: Vec<Field>,
    /// Digests of the files concerned, in print order.
    pub digests: Vec<ContentDigest>,
}

impl Evidence {
    /// An evidence with no parties, letter, sessions, fields or digests yet.
    pub fn new(
        kind: EvidenceKind,
        id: impl Into<String>,
        event_time: SystemTime,
        policy_oid: impl Into<String>,
        issuer: Issuer,
    ) -> Self {
        Evidence {
            id: id.into(),
            kind,
            event_time,
            submission_time: None,
            policy_oid: policy_oid.into(),
            issuer,
            sender: None,
            recipient: None,
            user: None,
            letter_id: None,
            subject: None,
            sessions: None,
            fields: Vec::new(),
            digests: Vec::new(),
        }
    }

    /// Adds a well-known field (see [`Field::known`]).
    pub fn with_field(mut self, key: &str, value: impl Into<String>) -> Self {
        self.fields.push(Field::known(key, value));
        self
    }

    /// The field with this key, if any.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Checks that the evidence carries every field its kind requires
    /// ([`EvidenceKind::required_fields`]) and that every value is well formed, so that the
    /// service cannot issue an evidence lacking a field (EVD-04).
    ///
    /// The first problem found is returned: [`PadesError::MissingField`] names the missing key,
    /// [`PadesError::InvalidField`] a malformed value, [`PadesError::DuplicateField`] a key
    /// given twice (or given as a field although it is a member).
    pub fn validate(&self) -> Result<(), PadesError> {
        let invalid = |field: &str, reason: &'static str| PadesError::InvalidField {
            field: field.to_owned(),
            reason,
        };
        check_text("id", &self.id, false)?;
        if self.id.chars().count() > 128 {
            return Err(invalid("id", "longer than 128 characters"));
        }
        if self.event_time < UNIX_EPOCH {
            return Err(invalid("event_time", "before 1970"));
        }
        if const_oid::ObjectIdentifier::new(&self.policy_oid).is_err() {
            return Err(invalid("policy_oid", "not a dotted object identifier"));
        }
        check_text("issuer.name", &self.issuer.name, false)?;
        if !(self.issuer.url.starts_with("https://") || self.issuer.url.starts_with("http://")) {
            return Err(invalid("issuer.url", "not an http(s) URL"));
        }
        check_text("issuer.url", &self.issuer.url, false)?;
        for (role, party) in [
            ("sender", &self.sender),
            ("recipient", &self.recipient),
            ("user", &self.user),
        ] {
            if let Some(party) = party {
                check_text(&format!("{role}.name"), &party.name, false)?;
                check_text(&format!("{role}.id"), &party.id, false)?;
                if let Some(email) = &party.email {
                    check_text(&format!("{role}.email"), email, false)?;
                    if !email.contains('@') {
                        return Err(invalid(&format!("{role}.email"), "not an email address"));
                    }
                }
            }
        }
        if let Some(id) = &self.letter_id {
            check_text(keys::LETTER_ID, id, false)?;
        }
        if let Some(subject) = &self.subject {
            check_text(keys::LETTER_SUBJECT, subject, false)?;
        }
        if let Some(sessions) = &self.sessions {
            check_text(keys::LOGIN_SESSION_ID, &sessions.login_session_id, false)?;
            check_text(keys::OTP_SESSION_ID, &sessions.otp_session_id, false)?;
        }
        let mut seen = HashSet::new();
        for field in &self.fields {
            if is_member_key(&field.key) || !seen.insert(field.key.as_str()) {
                return Err(PadesError::DuplicateField {
                    field: field.key.clone(),
                });
            }
            check_text("field key", &field.key, false)?;
            check_text(&field.key, &field.label_fr, false)?;
            check_text(&field.key, &field.label_en, false)?;
            check_text(&field.key, &field.value, field.key == keys::LETTER_MESSAGE)?;
        }
        for digest in &self.digests {
            check_text("digest file name", &digest.file_name, false)?;
            if let Some(id) = &digest.file_id {
                check_text("digest file id", id, false)?;
            }
            let Some((_, len)) = digest.method() else {
                return Err(invalid(&digest.file_name, "unknown digest method"));
            };
            if digest.hex.len() != 2 * len
                || !digest
                    .hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            {
                return Err(invalid(
                    &digest.file_name,
                    "digest is not lowercase hex of its method's length",
                ));
            }
        }

        for &key in self.kind.required_fields() {
            if !self.has(key) {
                return Err(PadesError::MissingField {
                    kind: self.kind,
                    field: key,
                });
            }
        }
        if let Some(result) = self.kind.fixed_result()
            && self
                .field(keys::IDENTIFICATION_RESULT)
                .is_some_and(|f| f.value != result.joined())
        {
            return Err(invalid(
                keys::IDENTIFICATION_RESULT,
                "not the policy's result for this kind (« Réussi / Succeeded », §9.6)",
            ));
        }
        if let Some(f) = self.field(keys::LOG_TREE_SIZE)
            && (f.value.parse::<u64>().is_err()
                || f.value.starts_with(['+', '0']) && f.value != "0")
        {
            return Err(invalid(
                keys::LOG_TREE_SIZE,
                "not a decimal number of leaves",
            ));
        }
        if let Some(f) = self.field(keys::LOG_ROOT_HASH)
            && (f.value.len() != 64
                || !f
                    .value
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        {
            return Err(invalid(keys::LOG_ROOT_HASH, "not a lowercase hex SHA-256"));
        }
        let together = self.kind.required_together();
        if together.iter().any(|key| self.has(key)) {
            for &key in together {
                if !self.has(key) {
                    return Err(PadesError::MissingField {
                        kind: self.kind,
                        field: key,
                    });
                }
            }
        }
        Ok(())
    }

    /// Whether the evidence carries `key` with a value.
    fn has(&self, key: &str) -> bool {
        let party = |p: &Option<Party>, f: fn(&Party) -> Option<&str>| {
            p.as_ref().and_then(f).is_some_and(|v| !v.trim().is_empty())
        };
        match key {
            keys::SENDER_NAME => party(&self.sender, |p| Some(&p.name)),
            keys::SENDER_ID => party(&self.sender, |p| Some(&p.id)),
            keys::SENDER_EMAIL => party(&self.sender, |p| p.email.as_deref()),
            keys::RECIPIENT_NAME => party(&self.recipient, |p| Some(&p.name)),
            keys::RECIPIENT_ID => party(&self.recipient, |p| Some(&p.id)),
            keys::RECIPIENT_EMAIL => party(&self.recipient, |p| p.email.as_deref()),
            keys::USER_NAME => party(&self.user, |p| Some(&p.name)),
            keys::USER_ID => party(&self.user, |p| Some(&p.id)),
            keys::USER_EMAIL => party(&self.user, |p| p.email.as_deref()),
            keys::LETTER_ID => self.letter_id.as_deref().is_some_and(not_blank),
            keys::LETTER_SUBJECT => self.subject.as_deref().is_some_and(not_blank),
            keys::LETTER_STATUS => self.kind.letter_status().is_some(),
            keys::SUBMISSION_TIME => self.submission_time.is_some(),
            keys::LOGIN_SESSION_ID | keys::LOGIN_TIME | keys::OTP_SESSION_ID => {
                self.sessions.is_some()
            }
            keys::CONTENT_DIGESTS => !self.digests.is_empty(),
            keys::CONTENT_FILE_IDS => {
                !self.digests.is_empty()
                    && self
                        .digests
                        .iter()
                        .all(|d| d.file_id.as_deref().is_some_and(not_blank))
            }
            other => self.field(other).is_some_and(|f| not_blank(&f.value)),
        }
    }

    /// The name of the attached XML file: `evidence-<id>.xml`, with every character outside
    /// `[A-Za-z0-9._-]` of the id replaced by `_`.
    pub fn xml_file_name(&self) -> String {
        let id: String = self
            .id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("evidence-{id}.xml")
    }
}

fn not_blank(value: &str) -> bool {
    !value.trim().is_empty()
}

/// Refuses blank values and what neither XML 1.0 nor the PDF font can carry: the text rule of
/// the forms ([`domain::text`]), so that any text the service accepted can be sealed;
/// `multiline` allows line feeds and tabs.
fn check_text(field: &str, value: &str, multiline: bool) -> Result<(), PadesError> {
    let invalid = |reason| PadesError::InvalidField {
        field: field.to_owned(),
        reason,
    };
    if value.trim().is_empty() {
        return Err(invalid("empty"));
    }
    let checked = if multiline {
        domain::text::check_lines(value)
    } else {
        domain::text::check_line(value)
    };
    checked.map_err(|_| invalid("contains a control character"))
}

/// Lowercase hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A UTC civil time, to the millisecond.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Civil {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub millis: u16,
}

impl Civil {
    /// `time` in UTC; times before 1970 are clamped to the epoch.
    pub fn from(time: SystemTime) -> Civil {
        let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
        let secs = since.as_secs();
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil {
            year,
            month,
            day,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
            millis: since.subsec_millis() as u16,
        }
    }
}

/// RFC 3339 / `xs:dateTime` in UTC to the millisecond: `2026-11-02T10:15:30.123Z`.
pub fn rfc3339_utc(time: SystemTime) -> String {
    let c = Civil::from(time);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis
    )
}

/// The human form of a UTC time printed in evidence PDFs: `2026-11-02 10:15:30.123 UTC`.
pub fn format_utc(time: SystemTime) -> String {
    let c = Civil::from(time);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03} UTC",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn utc_formatting() {
        let t = UNIX_EPOCH + Duration::from_millis(1_793_614_530_123);
        assert_eq!(rfc3339_utc(t), "2026-11-02T10:15:30.123Z");
        assert_eq!(format_utc(t), "2026-11-02 10:15:30.123 UTC");
        assert_eq!(rfc3339_utc(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(rfc3339_utc(leap), "2000-02-29T00:00:00.000Z");
    }
}
