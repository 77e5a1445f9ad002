//! Legal entities (ID-05..ID-07; policy §4.2, §4.5, §4.7): the companies a person acts for,
//! the documents that prove it, and the rules those documents must meet.
//!
//! - Only companies of the French or Luxembourg trade registers (§4.2): a French company by its
//!   SIREN (9 digits, Luhn check), a Luxembourg one by its RCS number (section letter and
//!   digits, e.g. B123456).
//! - A trade-register extract (Kbis) and a power of attorney must be **less than 3 months
//!   old** ([`fresh`]), when uploaded and again when an identity-check operator approves.
//! - An entity led by another entity is followed up the chain of extracts to the first natural
//!   person ([`chain`]), at most [`MAX_CHAIN`] companies.
//! - The power of attorney and the representative's ID document are kept only for the manual
//!   verification: purged [`PURGE_AFTER_DAYS`] days after their upload (§4.5); their hashes
//!   and evidences stay.

use chrono::{Months, NaiveDate};

use crate::validation::Invalid;

/// How long the documents of a manual verification are kept (§4.5).
pub const PURGE_AFTER_DAYS: i64 = 60;
/// How old, in months, an extract or a power of attorney may be (§4.2: "moins de 3 mois").
pub const FRESH_MONTHS: u32 = 3;
/// The longest chain of companies followed to a natural person.
pub const MAX_CHAIN: usize = 5;
/// The largest document accepted (a scan or a PDF).
pub const DOCUMENT_MAX_BYTES: u64 = 10 * 1024 * 1024;
/// The longest company name.
pub const COMPANY_NAME_MAX_CHARS: usize = 200;

/// The trade register a company is entered in (§4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Registry {
    /// Registre du commerce et des sociétés (France): the SIREN.
    France,
    /// Registre de commerce et des sociétés Luxembourg.
    Luxembourg,
}

impl Registry {
    pub const ALL: [Registry; 2] = [Registry::France, Registry::Luxembourg];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Registry::France => "rcs_fr",
            Registry::Luxembourg => "rcs_lu",
        }
    }

    pub fn from_code(code: &str) -> Option<Registry> {
        Registry::ALL.into_iter().find(|r| r.code() == code)
    }

    /// A number of this register, normalised: a SIREN as 9 digits, a Luxembourg number as its
    /// section letter and digits; [`Invalid::RegistryNumber`] otherwise.
    pub fn number(self, input: &str) -> Result<String, Invalid> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
            .collect::<String>()
            .to_uppercase();
        let valid = match self {
            Registry::France => siren(&compact),
            Registry::Luxembourg => luxembourg(&compact),
        };
        valid.then_some(compact).ok_or(Invalid::RegistryNumber)
    }

    /// How the number reads in evidence: "RCS 732 829 320" or "RCS Luxembourg B123456".
    pub fn display(self, number: &str) -> String {
        match self {
            Registry::France if number.len() == 9 => {
                format!("RCS {} {} {}", &number[..3], &number[3..6], &number[6..])
            }
            Registry::France => format!("RCS {number}"),
            Registry::Luxembourg => format!("RCS Luxembourg {number}"),
        }
    }
}

/// A SIREN: 9 digits passing the Luhn check; La Poste's 356 000 000, the one SIREN that does
/// not, is accepted as INSEE allocates it.
fn siren(number: &str) -> bool {
    number.len() == 9
        && number.bytes().all(|b| b.is_ascii_digit())
        && (luhn(number) || number == "356000000")
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A Luxembourg RCS number: a section letter (A to K) and 1 to 6 digits, no leading zero.
fn luxembourg(number: &str) -> bool {
    let mut chars = number.chars();
    let Some(section) = chars.next() else {
        return false;
    };
    let digits = chars.as_str();
    ('A'..='K').contains(&section)
        && (1..=6).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// A company name: trimmed, single line, 1 to [`COMPANY_NAME_MAX_CHARS`] characters.
pub fn company_name(input: &str) -> Result<String, Invalid> {
    let name = crate::text::line(input)?;
    if name.is_empty() || name.chars().count() > COMPANY_NAME_MAX_CHARS {
        return Err(Invalid::CompanyName);
    }
    Ok(name)
}

/// Whether a document dated `issued_on` is less than [`FRESH_MONTHS`] months old on `today`:
/// [`Invalid::DocumentDate`] if dated after `today`, [`Invalid::DocumentTooOld`] if
/// `today` is [`FRESH_MONTHS`] calendar months after its date or later.
pub fn fresh(issued_on: NaiveDate, today: NaiveDate) -> Result<(), Invalid> {
    if issued_on > today {
        return Err(Invalid::DocumentDate);
    }
    match issued_on.checked_add_months(Months::new(FRESH_MONTHS)) {
        Some(limit) if today < limit => Ok(()),
        _ => Err(Invalid::DocumentTooOld),
    }
}

/// A date typed as YYYY-MM-DD.
pub fn date(input: &str) -> Result<NaiveDate, Invalid> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").map_err(|_| Invalid::DocumentDate)
}

/// The part a person plays for a company.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemberRole {
    /// The legal representative named in the extract (or at the end of the chain).
    Representative,
    /// A person the legal representative empowered by a power of attorney.
    Delegate,
}

impl MemberRole {
    pub fn code(self) -> &'static str {
        match self {
            MemberRole::Representative => "representative",
            MemberRole::Delegate => "delegate",
        }
    }

    pub fn from_code(code: &str) -> Option<MemberRole> {
        [MemberRole::Representative, MemberRole::Delegate]
            .into_iter()
            .find(|r| r.code() == code)
    }

    /// The documents a request in this role needs besides the extracts.
    pub fn required_documents(self) -> &'static [DocumentKind] {
        match self {
            MemberRole::Representative => &[],
            MemberRole::Delegate => &[
                DocumentKind::PowerOfAttorney,
                DocumentKind::IdFront,
                DocumentKind::IdBack,
            ],
        }
    }
}

/// Where a person's request to act for a company stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemberStatus {
    /// Being put together: documents may be added.
    Draft,
    /// Submitted, in the manual verification queue.
    Pending,
    /// Approved by an identity-check operator: the person acts for the company.
    Verified,
    /// Refused by an identity-check operator, with a reason.
    Rejected,
    /// A delegate the legal representative revoked.
    Revoked,
}

impl MemberStatus {
    pub fn code(self) -> &'static str {
        match self {
            MemberStatus::Draft => "draft",
            MemberStatus::Pending => "pending",
            MemberStatus::Verified => "verified",
            MemberStatus::Rejected => "rejected",
            MemberStatus::Revoked => "revoked",
        }
    }

    pub fn from_code(code: &str) -> Option<MemberStatus> {
        [
            MemberStatus::Draft,
            MemberStatus::Pending,
            MemberStatus::Verified,
            MemberStatus::Rejected,
            MemberStatus::Revoked,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// A document of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// A trade-register extract (Kbis), of the company or of a company leading it.
    Kbis,
    /// The power of attorney the legal representative signed for a delegate.
    PowerOfAttorney,
    /// The legal representative's ID document, front.
    IdFront,
    /// Its back.
    IdBack,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 4] = [
        DocumentKind::Kbis,
        DocumentKind::PowerOfAttorney,
        DocumentKind::IdFront,
        DocumentKind::IdBack,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Kbis => "kbis",
            DocumentKind::PowerOfAttorney => "power_of_attorney",
            DocumentKind::IdFront => "id_front",
            DocumentKind::IdBack => "id_back",
        }
    }

    pub fn from_code(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether the document carries a date that must be less than 3 months old.
    pub fn dated(self) -> bool {
        matches!(self, DocumentKind::Kbis | DocumentKind::PowerOfAttorney)
    }

    /// Whether the document is kept only for the manual verification and purged after
    /// [`PURGE_AFTER_DAYS`] (§4.5).
    pub fn purged(self) -> bool {
        !matches!(self, DocumentKind::Kbis)
    }
}

/// An extract of a request's chain: the company it is about, and the company leading it
/// (`None`: led by a natural person, who ends the chain).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainLink<'a> {
    pub number: &'a str,
    pub led_by: Option<&'a str>,
}

/// Why a chain of extracts does not lead from the company to a natural person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainGap {
    /// No extract of this company (the request's company, or a leader named by an extract).
    MissingExtract(String),
    /// The chain comes back to a company already in it.
    Cycle(String),
    /// More than [`MAX_CHAIN`] companies.
    TooLong,
}

/// The chain from `company` up to the first natural person, through `links` (one per extract;
/// a company with several extracts counts its latest, the first in `links`): the registry
/// numbers in order, or the gap.
pub fn chain(company: &str, links: &[ChainLink<'_>]) -> Result<Vec<String>, ChainGap> {
    let mut path: Vec<String> = Vec::new();
    let mut current = company;
    loop {
        if path.iter().any(|n| n == current) {
            return Err(ChainGap::Cycle(current.to_owned()));
        }
        if path.len() == MAX_CHAIN {
            return Err(ChainGap::TooLong);
        }
        let link = links
            .iter()
            .find(|l| l.number == current)
            .ok_or_else(|| ChainGap::MissingExtract(current.to_owned()))?;
        path.push(current.to_owned());
        match link.led_by {
            Some(leader) => current = leader,
            None => return Ok(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        date(s).expect("a date")
    }

    #[test]
    fn a_siren_passes_the_luhn_check() {
        assert_eq!(
            Registry::France.number("732 829 320").as_deref(),
            Ok("732829320")
        );
        assert_eq!(
            Registry::France.number("732829321"),
            Err(Invalid::RegistryNumber)
        );
        assert_eq!(
            Registry::France.number("73282932"),
            Err(Invalid::RegistryNumber)
        );
        assert!(Registry::France.number("356 000 000").is_ok());
        assert_eq!(Registry::France.display("732829320"), "RCS 732 829 320");
    }

    #[test]
    fn a_luxembourg_number_is_a_section_and_digits() {
        assert_eq!(
            Registry::Luxembourg.number("b 123456").as_deref(),
            Ok("B123456")
        );
        for bad in ["123456", "B", "B0123", "B1234567", "Z12"] {
            assert_eq!(
                Registry::Luxembourg.number(bad),
                Err(Invalid::RegistryNumber),
                "{bad}"
            );
        }
    }

    #[test]
    fn documents_are_fresh_for_three_calendar_months() {
        let issued = day("2026-09-15");
        assert_eq!(fresh(issued, day("2026-09-15")), Ok(()));
        assert_eq!(fresh(issued, day("2026-12-14")), Ok(()));
        assert_eq!(
            fresh(issued, day("2026-12-15")),
            Err(Invalid::DocumentTooOld)
        );
        assert_eq!(fresh(issued, day("2026-09-14")), Err(Invalid::DocumentDate));
        // The end of a month: 30 November + 3 months is 28 February.
        assert_eq!(fresh(day("2026-11-30"), day("2027-02-27")), Ok(()));
        assert_eq!(
            fresh(day("2026-11-30"), day("2027-02-28")),
            Err(Invalid::DocumentTooOld)
        );
        assert_eq!(date("15/09/2026"), Err(Invalid::DocumentDate));
    }

    #[test]
    fn a_chain_is_followed_to_a_natural_person() {
        let links = [
            ChainLink {
                number: "A",
                led_by: Some("B"),
            },
            ChainLink {
                number: "B",
                led_by: Some("C"),
            },
            ChainLink {
                number: "C",
                led_by: None,
            },
        ];
        assert_eq!(
            chain("A", &links),
            Ok(vec!["A".into(), "B".into(), "C".into()])
        );
        assert_eq!(
            chain("A", &links[..2]),
            Err(ChainGap::MissingExtract("C".into()))
        );
        let cycle = [
            ChainLink {
                number: "A",
                led_by: Some("B"),
            },
            ChainLink {
                number: "B",
                led_by: Some("A"),
            },
        ];
        assert_eq!(chain("A", &cycle), Err(ChainGap::Cycle("A".into())));
        let long: Vec<String> = (0..7).map(|i| i.to_string()).collect();
        let long_links: Vec<ChainLink<'_>> = (0..7)
            .map(|i| ChainLink {
                number: &long[i],
                led_by: long.get(i + 1).map(String::as_str),
            })
            .collect();
        assert_eq!(chain("0", &long_links), Err(ChainGap::TooLong));
    }
}
