//! The security-incident register (OPS-08; eIDAS Art. 19(2); policy §13.9): an incident is
//! opened by the trusted staff who detect it, qualified, notified to the supervisory body and
//! the affected users, and closed — in that order ([`IncidentStatus::after`]). Its report is
//! due within [`REPORT_HOURS`] of its detection (§13.9.2: "signalés … dans les 24 heures
//! suivant leur détection").
//!
//! Who does what follows §13.1.3 ([`IncidentAction::roles`]): the system administrators and
//! operators watch the systems and detect incidents, the security officer applies the security
//! policy, the service manager "gère les incidents majeurs"; the system auditor reads.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::roles::TrustedRole;
use crate::text;

/// Within how many hours of its detection an incident is reported (§13.9.2).
pub const REPORT_HOURS: i64 = 24;

/// The longest title of an incident.
pub const TITLE_MAX_CHARS: usize = 200;

/// The longest text of an incident (description, assessment, notice, closing summary).
pub const TEXT_MAX_CHARS: usize = 10_000;

/// How serious an incident is (§13.9.1: "les alertes sont classées en fonction de leur
/// gravité"), as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn from_code(code: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Where an incident stands: open → qualified → notified → closed (an incident qualified as
/// calling for no notification may be closed once qualified).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IncidentStatus {
    /// Recorded on detection, under investigation.
    Open,
    /// Its impact assessed: personal data, confidentiality, integrity, availability.
    Qualified,
    /// The supervisory body and the affected users were informed.
    Notified,
    /// Resolved, with a closing summary; nothing changes any more.
    Closed,
}

impl IncidentStatus {
    pub fn code(self) -> &'static str {
        match self {
            IncidentStatus::Open => "open",
            IncidentStatus::Qualified => "qualified",
            IncidentStatus::Notified => "notified",
            IncidentStatus::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<IncidentStatus> {
        [
            IncidentStatus::Open,
            IncidentStatus::Qualified,
            IncidentStatus::Notified,
            IncidentStatus::Closed,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// The status after `action`, or the refusal when this status does not allow it.
    pub fn after(self, action: IncidentAction) -> Result<IncidentStatus, IncidentRefusal> {
        use IncidentAction as A;
        use IncidentStatus as S;
        match (self, action) {
            (S::Open, A::Qualify) => Ok(S::Qualified),
            (S::Qualified, A::Notify) => Ok(S::Notified),
            (S::Qualified | S::Notified, A::Close) => Ok(S::Closed),
            (S::Closed, A::AttachLetter) => Err(self.refuses(action)),
            (status, A::Read | A::Open | A::AttachLetter) => Ok(status),
            _ => Err(self.refuses(action)),
        }
    }

    fn refuses(self, action: IncidentAction) -> IncidentRefusal {
        IncidentRefusal::Transition {
            status: self,
            action,
        }
    }
}

/// What somebody does with the register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IncidentAction {
    /// Reads the register and exports a report.
    Read,
    Open,
    /// Names a letter the incident affects.
    AttachLetter,
    Qualify,
    Notify,
    Close,
}

/// The roles that detect incidents and may open them, and add the letters they affect.
const DETECT: [TrustedRole; 4] = [
    TrustedRole::SecurityOfficer,
    TrustedRole::ServiceManager,
    TrustedRole::SystemAdministrator,
    TrustedRole::SystemOperator,
];

/// The roles that qualify, notify and close.
const DECIDE: [TrustedRole; 2] = [TrustedRole::SecurityOfficer, TrustedRole::ServiceManager];

/// The roles that read the register.
const READ: [TrustedRole; 5] = [
    TrustedRole::SecurityOfficer,
    TrustedRole::ServiceManager,
    TrustedRole::SystemAdministrator,
    TrustedRole::SystemOperator,
    TrustedRole::SystemAuditor,
];

impl IncidentAction {
    /// The trusted roles that may take this action (§13.1.3).
    pub fn roles(self) -> &'static [TrustedRole] {
        match self {
            IncidentAction::Read => &READ,
            IncidentAction::Open | IncidentAction::AttachLetter => &DETECT,
            IncidentAction::Qualify | IncidentAction::Notify | IncidentAction::Close => &DECIDE,
        }
    }

    /// Whether somebody holding `held` may take this action.
    pub fn allowed(self, held: &[TrustedRole]) -> bool {
        self.roles().iter().any(|role| held.contains(role))
    }
}

/// Why the register refused an input or an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum IncidentRefusal {
    /// A title empty, longer than [`TITLE_MAX_CHARS`] or with a control character.
    #[error("the title is empty or too long")]
    Title,
    /// A description, assessment, notice or summary that is empty (when required), longer
    /// than [`TEXT_MAX_CHARS`] or with a control character.
    #[error("a text is empty or too long")]
    Text,
    /// A severity that is none of [`Severity::ALL`].
    #[error("unknown severity")]
    Severity,
    /// A detection time that is not a date and time, or in the future.
    #[error("the detection time is not a past date and time")]
    DetectedAt,
    /// A letter id that names no sent letter (nor one of its recipients' letters).
    #[error("no sent letter has this id")]
    UnknownLetter,
    /// An action the incident's status does not allow (closing before qualifying...).
    #[error("the incident is {status:?}: {action:?} is not possible")]
    Transition {
        status: IncidentStatus,
        action: IncidentAction,
    },
}

/// A title as entered: one line, 1 to [`TITLE_MAX_CHARS`] characters.
pub fn title(input: &str) -> Result<String, IncidentRefusal> {
    let title = text::line(input).map_err(|_| IncidentRefusal::Title)?;
    let count = title.chars().count();
    if count == 0 || count > TITLE_MAX_CHARS {
        return Err(IncidentRefusal::Title);
    }
    Ok(title)
}

/// A multi-line text as entered: at most [`TEXT_MAX_CHARS`] characters, not empty when
/// `required`.
pub fn body(input: &str, required: bool) -> Result<String, IncidentRefusal> {
    let body = text::lines(input).map_err(|_| IncidentRefusal::Text)?;
    let body = body.trim_start().to_owned();
    if (required && body.is_empty()) || body.chars().count() > TEXT_MAX_CHARS {
        return Err(IncidentRefusal::Text);
    }
    Ok(body)
}

/// A severity code as entered.
pub fn severity(input: &str) -> Result<Severity, IncidentRefusal> {
    Severity::from_code(input.trim()).ok_or(IncidentRefusal::Severity)
}

/// The detection time entered as a local date and time of the legal time zone `zone`
/// (`YYYY-MM-DDTHH:MM`, seconds optional, as a `datetime-local` field sends it), in
/// milliseconds; empty means `now_ms`. Never after `now_ms`.
pub fn detected_at(input: &str, zone: Tz, now_ms: i64) -> Result<i64, IncidentRefusal> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(now_ms);
    }
    let local = NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| IncidentRefusal::DetectedAt)?;
    let at = zone
        .from_local_datetime(&local)
        .earliest()
        .ok_or(IncidentRefusal::DetectedAt)?
        .timestamp_millis();
    if at > now_ms {
        return Err(IncidentRefusal::DetectedAt);
    }
    Ok(at)
}

/// When the report of an incident detected at `detected_ms` is due.
pub fn report_due(detected_ms: i64) -> i64 {
    detected_ms + REPORT_HOURS * 3_600_000
}

#[cfg(test)]
mod tests {
    use super::IncidentAction as A;
    use super::IncidentStatus as S;
    use super::*;

    #[test]
    fn an_incident_is_qualified_before_it_is_notified_or_closed() {
        assert_eq!(S::Open.after(A::Qualify), Ok(S::Qualified));
        assert_eq!(S::Qualified.after(A::Notify), Ok(S::Notified));
        assert_eq!(S::Notified.after(A::Close), Ok(S::Closed));
        assert_eq!(S::Qualified.after(A::Close), Ok(S::Closed));
        for (status, action) in [
            (S::Open, A::Close),
            (S::Open, A::Notify),
            (S::Qualified, A::Qualify),
            (S::Notified, A::Notify),
            (S::Closed, A::Close),
            (S::Closed, A::AttachLetter),
        ] {
            assert_eq!(
                status.after(action),
                Err(IncidentRefusal::Transition { status, action })
            );
        }
        assert_eq!(S::Notified.after(A::AttachLetter), Ok(S::Notified));
        assert_eq!(S::from_code("qualified"), Some(S::Qualified));
        assert_eq!(S::from_code("lost"), None);
    }

    #[test]
    fn who_does_what() {
        use TrustedRole::*;
        assert!(A::Open.allowed(&[SystemOperator]));
        assert!(!A::Qualify.allowed(&[SystemOperator, SystemAdministrator]));
        assert!(A::Close.allowed(&[ServiceManager]));
        assert!(A::Read.allowed(&[SystemAuditor]));
        assert!(!A::Open.allowed(&[SystemAuditor]));
        assert!(!A::Read.allowed(&[SealOfficer, BusinessOperator, Archivist]));
    }

    #[test]
    fn inputs() {
        assert_eq!(title("  Fuite  "), Ok("Fuite".to_owned()));
        assert_eq!(title(" "), Err(IncidentRefusal::Title));
        assert_eq!(title(&"x".repeat(201)), Err(IncidentRefusal::Title));
        assert_eq!(body("", false), Ok(String::new()));
        assert_eq!(body("\n", true), Err(IncidentRefusal::Text));
        assert_eq!(body("a\u{0}b", false), Err(IncidentRefusal::Text));
        assert_eq!(severity("high"), Ok(Severity::High));
        assert_eq!(severity("urgent"), Err(IncidentRefusal::Severity));
        let paris: Tz = "Europe/Paris".parse().expect("zone");
        // 2025-12-01T10:00:00Z, 11:00 in Paris.
        let now = 1_764_583_200_000;
        assert_eq!(detected_at("", paris, now), Ok(now));
        assert_eq!(detected_at("2025-12-01T11:00", paris, now), Ok(now));
        assert_eq!(
            detected_at("2025-12-01T11:01", paris, now),
            Err(IncidentRefusal::DetectedAt)
        );
        assert_eq!(
            detected_at("hier", paris, now),
            Err(IncidentRefusal::DetectedAt)
        );
        assert_eq!(report_due(0), 86_400_000);
    }
}
