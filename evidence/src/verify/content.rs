//! Reading back the evidence XML that [`Evidence::to_xml`](crate::pades::Evidence::to_xml)
//! attaches to every evidence PDF (EVD-03, EVD-04, EVD-08): identifier, kind and event, event
//! time, policy OID, the parties as the XML names them, the letter's status and the recorded
//! file digests.
//!
//! The reader knows that writer's output (one element per line, text escaped, no CDATA, no
//! comments) and nothing more: it looks elements up by name, refuses a singular element that
//! is missing or repeated, and decodes the five XML entities and character references. Markup
//! cannot appear inside a value, since the writer escapes `<`.

use std::time::{Duration, SystemTime};

use crate::pades::{ContentDigest, ETSI_NAMESPACE, EvidenceKind, PLI_NAMESPACE, Party};

/// What the evidence XML records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct EvidenceData {
    pub id: String,
    pub kind: EvidenceKind,
    /// `ERDSEventId`: the ETSI EN 319 522 event URI (or Pli's, beyond the standard).
    pub event: String,
    pub event_time: SystemTime,
    /// Dotted, without the `urn:oid:` prefix.
    pub policy_oid: String,
    /// The letter (transaction) the evidence is about (`pli:Letter/pli:Identifier`), if any.
    pub letter_id: Option<String>,
    /// `SenderDetails`: name, identifier (identity attribute), email (electronic address).
    pub sender: Option<Party>,
    /// `RecipientDetails`, likewise.
    pub recipient: Option<Party>,
    /// `pli:UserDetails`: the person concerned when neither sender nor recipient.
    pub user: Option<Party>,
    /// The letter's status (`pli:Letter/pli:Status`), French and English.
    pub status: Option<(String, String)>,
    pub digests: Vec<ContentDigest>,
    /// The labelled fields (`pli:Fields/pli:Field`): key and value, in the XML's order.
    pub fields: Vec<(String, String)>,
}

/// Reads the evidence XML; the error says what is missing or malformed.
pub(super) fn read(xml: &[u8]) -> Result<EvidenceData, String> {
    let xml = std::str::from_utf8(xml).map_err(|_| "the XML is not UTF-8".to_owned())?;
    let (root_attrs, root) = match elements(xml, "Evidence").as_slice() {
        [one] => *one,
        [] => return Err("no <Evidence> element: not a Pli evidence".to_owned()),
        _ => return Err("several <Evidence> elements".to_owned()),
    };
    for (prefix, namespace) in [("xmlns", ETSI_NAMESPACE), ("xmlns:pli", PLI_NAMESPACE)] {
        if !root_attrs.contains(&format!("{prefix}=\"{namespace}\"")) {
            return Err(format!(
                "the <Evidence> element does not declare {prefix}=\"{namespace}\""
            ));
        }
    }
    let id = single(root, "EvidenceIdentifier")?;
    let event = single(root, "ERDSEventId")?;
    let code = single(root, "pli:EvidenceKind")?;
    let kind =
        EvidenceKind::from_code(&code).ok_or_else(|| format!("unknown evidence kind {code:?}"))?;
    if event != kind.event_uri() {
        return Err(format!(
            "the event {event:?} is not the one of kind {code} ({})",
            kind.event_uri()
        ));
    }
    let event_time_text = single(root, "EventTime")?;
    let event_time = parse_rfc3339_utc(&event_time_text)
        .ok_or_else(|| format!("the event time {event_time_text:?} is not an RFC 3339 UTC time"))?;
    let policy = single(root, "PolicyID")?;
    let policy_oid = policy
        .strip_prefix("urn:oid:")
        .filter(|oid| const_oid::ObjectIdentifier::new(oid).is_ok())
        .ok_or_else(|| format!("the policy {policy:?} is not a urn:oid: identifier"))?
        .to_owned();
    let letter_id = match elements(root, "pli:Letter").as_slice() {
        [] => None,
        [(_, letter)] => match elements(letter, "pli:Identifier").as_slice() {
            [] => None,
            [(_, text)] => Some(unescape(text)?),
            _ => return Err("the letter has several identifiers".to_owned()),
        },
        _ => return Err("several <pli:Letter> elements".to_owned()),
    };
    let sender = optional(root, "SenderDetails")?.map(entity).transpose()?;
    let recipient = optional(root, "RecipientDetails")?
        .map(entity)
        .transpose()?;
    let user = optional(root, "pli:UserDetails")?
        .map(|block| {
            Ok::<_, String>(Party {
                name: single(block, "pli:Name")?,
                id: single(block, "pli:Identifier")?,
                email: optional(block, "pli:Email")?.map(unescape).transpose()?,
            })
        })
        .transpose()?;
    let status = match elements(root, "pli:Status").as_slice() {
        [] => None,
        [(fr_attrs, fr), (en_attrs, en)]
            if fr_attrs.contains("xml:lang=\"fr\"") && en_attrs.contains("xml:lang=\"en\"") =>
        {
            Some((unescape(fr)?, unescape(en)?))
        }
        _ => return Err("the letter's status is not one French and one English text".to_owned()),
    };
    let mut digests = Vec::new();
    for (_, block) in elements(root, "pli:ContentDigest") {
        let file_name = single(block, "pli:FileName")?;
        let file_id = match elements(block, "pli:FileIdentifier").as_slice() {
            [] => None,
            [(_, text)] => Some(unescape(text)?),
            _ => return Err("a content digest has several file identifiers".to_owned()),
        };
        let algorithm = single(block, "pli:DigestMethod")?;
        let hex = single(block, "pli:DigestValue")?.to_ascii_lowercase();
        let expected_len = match algorithm.as_str() {
            "SHA-256" => 64,
            "SHA-384" => 96,
            "SHA-512" => 128,
            other => return Err(format!("unknown digest method {other:?} for {file_name:?}")),
        };
        if hex.len() != expected_len || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "the {algorithm} digest of {file_name:?} is not {expected_len} hexadecimal digits"
            ));
        }
        digests.push(ContentDigest {
            file_name,
            file_id,
            algorithm,
            hex,
        });
    }
    let mut fields = Vec::new();
    for (attrs, block) in elements(root, "pli:Field") {
        let key = attrs
            .split_once("key=\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(key, _)| unescape(key))
            .transpose()?
            .ok_or_else(|| "a field has no key".to_owned())?;
        fields.push((key, single(block, "pli:Value")?));
    }
    Ok(EvidenceData {
        fields,
        id,
        kind,
        event,
        event_time,
        policy_oid,
        letter_id,
        sender,
        recipient,
        user,
        status,
        digests,
    })
}

/// An entity of EN 319 522-3 as the writer structures it: `NamesPostalAddresses/…/Name`, an
/// optional `ElectronicAddress` (`mailto:` for people) and the identifier as an identity
/// attribute (`Identity/saml:Attribute/saml:AttributeValue`).
fn entity(block: &str) -> Result<Party, String> {
    let email = match optional(block, "ElectronicAddress")? {
        None => None,
        Some(address) => {
            let address = unescape(address)?;
            Some(
                address
                    .strip_prefix("mailto:")
                    .ok_or_else(|| format!("the party's address {address:?} is not mailto:"))?
                    .to_owned(),
            )
        }
    };
    let identity = optional(block, "Identity")?.ok_or("a party without <Identity>")?;
    Ok(Party {
        name: single(block, "Name")?,
        id: single(identity, "saml:AttributeValue")?,
        email,
    })
}

/// The inner text of the one `<name>` element in `xml`, if any (still escaped).
fn optional<'x>(xml: &'x str, name: &str) -> Result<Option<&'x str>, String> {
    match elements(xml, name).as_slice() {
        [] => Ok(None),
        [(_, inner)] => Ok(Some(inner)),
        _ => Err(format!("several <{name}> elements")),
    }
}

/// Every `<name ...>inner</name>` of `xml` (not nested in one another), as (attributes,
/// inner text).
fn elements<'x>(xml: &'x str, name: &str) -> Vec<(&'x str, &'x str)> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        // `<pli:ContentDigest` must not match `<pli:ContentDigests>`.
        if !after.starts_with(['>', ' ', '\t', '\n', '\r']) {
            rest = after;
            continue;
        }
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attrs = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(end) = body.find(&close) else {
            break;
        };
        out.push((attrs, &body[..end]));
        rest = &body[end + close.len()..];
    }
    out
}

/// The text of the one `<name>` element in `xml`, unescaped.
fn single(xml: &str, name: &str) -> Result<String, String> {
    match elements(xml, name).as_slice() {
        [(_, text)] => unescape(text),
        [] => Err(format!("no <{name}> element")),
        _ => Err(format!("several <{name}> elements")),
    }
}

/// Decodes the predefined entities and character references (XML 1.0 §4.1, §4.6).
fn unescape(text: &str) -> Result<String, String> {
    if text.contains('<') {
        return Err(format!("unexpected markup in {text:?}"));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after
            .find(';')
            .filter(|&end| end <= 10)
            .ok_or_else(|| format!("unterminated entity in {text:?}"))?;
        let entity = &after[..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => entity
                .strip_prefix("#x")
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32)
                .ok_or_else(|| format!("unknown entity &{entity}; in {text:?}"))?,
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the form
/// [`rfc3339_utc`](crate::pades::rfc3339_utc) writes.
pub(super) fn parse_rfc3339_utc(text: &str) -> Option<SystemTime> {
    let text = text.strip_suffix('Z')?;
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let b = whole.as_bytes();
    if b.len() != 19
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || b.get(10) != Some(&b'T')
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u16> {
        let part = whole.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let time = civil_time(
        number(0..4)?,
        number(5..7)?,
        number(8..10)?,
        number(11..13)?,
        number(14..16)?,
        number(17..19)?,
    )?;
    Some(time + fraction_duration(fraction)?)
}

/// `.fraction` digits as a duration (nanosecond precision); `None` when not digits.
fn fraction_duration(fraction: Option<&str>) -> Option<Duration> {
    let Some(fraction) = fraction else {
        return Some(Duration::ZERO);
    };
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut nanos = 0u64;
    for (i, digit) in fraction.bytes().take(9).enumerate() {
        nanos += u64::from(digit - b'0') * 10u64.pow(8 - i as u32);
    }
    Some(Duration::from_nanos(nanos))
}

/// A UTC civil time (year 1970 to 9999), through der's calendar arithmetic.
pub(super) fn civil_time(
    year: u16,
    month: u16,
    day: u16,
    hour: u16,
    minute: u16,
    second: u16,
) -> Option<SystemTime> {
    let small = |v: u16| u8::try_from(v).ok();
    der::DateTime::new(
        year,
        small(month)?,
        small(day)?,
        small(hour)?,
        small(minute)?,
        small(second)?,
    )
    .ok()
    .map(|t| t.to_system_time())
}

/// Parses a PDF date (PDF 32000-1 §7.9.4), `D:YYYYMMDDHHmmSSOHH'mm` with every part after
/// the year optional, as written in a signature's `/M`.
pub(super) fn parse_pdf_date(raw: &[u8]) -> Option<SystemTime> {
    let text = std::str::from_utf8(raw).ok()?;
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if !(4..=14).contains(&digits) || digits % 2 != 0 {
        return None;
    }
    let (stamp, zone) = text.split_at(digits);
    let field = |range: std::ops::Range<usize>, default: u16| -> Option<u16> {
        match stamp.get(range) {
            Some(part) => part.parse().ok(),
            None => Some(default),
        }
    };
    let local = civil_time(
        field(0..4, 0)?,
        field(4..6, 1)?,
        field(6..8, 1)?,
        field(8..10, 0)?,
        field(10..12, 0)?,
        field(12..14, 0)?,
    )?;
    // The offset of local time from UTC: `Z`, `+HH'mm'`, `-HH'mm` (or none: unknown, taken
    // as UTC).
    let zone = zone.trim_end_matches('\'');
    let (sign, offset) = match zone.as_bytes().first() {
        None | Some(b'Z') => return (zone.len() <= 1).then_some(local),
        Some(b'+') => (1, &zone[1..]),
        Some(b'-') => (-1, &zone[1..]),
        Some(_) => return None,
    };
    let (hours, minutes) = offset.split_once('\'').unwrap_or((offset, "0"));
    let hours: u64 = hours.parse().ok().filter(|h| *h < 24)?;
    let minutes: u64 = minutes.parse().ok().filter(|m| *m < 60)?;
    let offset = Duration::from_secs(hours * 3600 + minutes * 60);
    if sign > 0 {
        local.checked_sub(offset)
    } else {
        local.checked_add(offset)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

    use std::time::UNIX_EPOCH;

    use super::*;
    use crate::pades::{Evidence, Issuer, rfc3339_utc};

    #[test]
    fn reads_back_what_the_writer_wrote() {
        let time = UNIX_EPOCH + Duration::from_millis(1_793_614_530_123);
        let mut evidence = Evidence::new(
            EvidenceKind::Opening,
            "EVD-<&>\"'",
            time,
            "1.3.6.1.4.1.32473.1.1",
            Issuer {
                name: "Pli".to_owned(),
                url: "https://pli.example".to_owned(),
                time_zone: None,
            },
        );
        evidence.digests = vec![
            ContentDigest::sha256_of("a <b> & c.pdf", Some("att_1".to_owned()), b"a"),
            ContentDigest::sha256_of("d.txt", None, b"d"),
        ];
        evidence.letter_id = Some("tx <1>".to_owned());
        evidence.recipient = Some(crate::pades::Party::new("R", "rcp_1", "r@example.org"));
        let data = read(evidence.to_xml().as_bytes()).unwrap();
        assert_eq!(data.letter_id.as_deref(), Some("tx <1>"));
        assert_eq!(data.id, evidence.id);
        assert_eq!(data.kind, EvidenceKind::Opening);
        assert_eq!(data.event, EvidenceKind::Opening.event_uri());
        assert_eq!(rfc3339_utc(data.event_time), rfc3339_utc(time));
        assert_eq!(data.event_time, time);
        assert_eq!(data.policy_oid, "1.3.6.1.4.1.32473.1.1");
        assert_eq!(data.digests, evidence.digests);
        assert_eq!(data.recipient, evidence.recipient);
        assert_eq!(data.sender, None);
        assert_eq!(data.status, None);

        // The parties and the status as the XML names them (EVD-08).
        evidence.kind = EvidenceKind::Refusal;
        evidence.sender = Some(crate::pades::Party::new(
            "S & <s>",
            "snd_1",
            "s@example.org",
        ));
        let data = read(evidence.to_xml().as_bytes()).unwrap();
        assert_eq!(data.sender, evidence.sender);
        assert_eq!(data.recipient, evidence.recipient);
        assert_eq!(
            data.status,
            Some(("Rejeté".to_owned(), "Rejected".to_owned()))
        );
    }

    #[test]
    fn refuses_what_is_not_an_evidence() {
        for xml in [
            &b"\xff\xfe"[..],
            b"",
            b"<Evidence>",
            b"<Evidence xmlns=\"x\"></Evidence>",
            b"<?xml version=\"1.0\"?><root/>",
        ] {
            assert!(read(xml).is_err());
        }
        assert!(unescape("a &bogus; b").is_err());
        assert!(unescape("a & b").is_err());
        assert_eq!(unescape("&#13;&#x41;&amp;").unwrap(), "\rA&");
    }

    #[test]
    fn parses_dates() {
        let t = UNIX_EPOCH + Duration::from_secs(1_793_614_530);
        assert_eq!(parse_pdf_date(b"D:20261102101530Z"), Some(t));
        assert_eq!(parse_pdf_date(b"D:20261102121530+02'00"), Some(t));
        assert_eq!(parse_pdf_date(b"D:20261102121530+02'00'"), Some(t));
        assert_eq!(parse_pdf_date(b"D:20261102081530-02'00"), Some(t));
        assert_eq!(parse_pdf_date(b"D:2026"), civil_time(2026, 1, 1, 0, 0, 0));
        for bad in [
            &b"D:"[..],
            b"D:202611021015301",
            b"D:20261302101530Z",
            b"D:20261102101530X",
        ] {
            assert_eq!(parse_pdf_date(bad), None, "{bad:?}");
        }
        assert_eq!(parse_rfc3339_utc("2026-11-02T10:15:30Z"), Some(t));
        assert_eq!(
            parse_rfc3339_utc("2026-11-02T10:15:30.5Z"),
            Some(t + Duration::from_millis(500))
        );
        assert_eq!(parse_rfc3339_utc("2026-11-02 10:15:30Z"), None);
        assert_eq!(parse_rfc3339_utc("2026-11-02T10:15:30"), None);
    }
}
