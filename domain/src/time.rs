//! How the service writes a time. The database stores milliseconds since the epoch; machines
//! read RFC 3339 (the journal and the evidence's machine-readable parts in UTC); people read
//! the time of the **legal time zone** (policy: Europe/Paris by default) in words, French first:
//! "le 30 novembre 2026 à 15 h 38" (issue 11). Pages, emails and evidence all go through
//! [`in_words`] (or [`in_words_precise`] to the millisecond), from an RFC 3339 time carrying
//! the legal zone's offset ([`legal_rfc3339`]), so the browser needs no time-zone database.

use chrono::{DateTime, Datelike, FixedOffset, SecondsFormat, Timelike, Utc};
pub use chrono_tz::Tz;

/// RFC 3339 UTC, to the second (`2026-11-30T18:25:00Z`).
pub fn rfc3339(ms: i64) -> String {
    at(ms).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// RFC 3339 UTC, to the millisecond: what the journal records.
pub fn rfc3339_millis(ms: i64) -> String {
    at(ms).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// RFC 3339 in the legal time zone, to the second, with its UTC offset
/// (`2026-11-30T15:38:00+01:00`): what the pages receive, to show it with [`in_words`].
pub fn legal_rfc3339(ms: i64, zone: Tz) -> String {
    at(ms)
        .with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// As [`legal_rfc3339`], to the millisecond (`2026-11-30T15:38:12.123+01:00`), for evidence.
pub fn legal_rfc3339_millis(ms: i64, zone: Tz) -> String {
    at(ms)
        .with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Millis, false)
}

/// The same instant in UTC (`2026-11-30T14:38:00Z`), for machine-readable attributes; `None`
/// when `rfc3339` is not an RFC 3339 time.
pub fn utc(rfc3339: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(rfc3339).ok().map(|t| {
        t.with_timezone(&Utc)
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    })
}

/// A language the service writes times in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    French,
    English,
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// An RFC 3339 time in words, in the time zone of its offset (the legal one, see
/// [`legal_rfc3339`]), to the minute: "le 30 novembre 2026 à 15 h 38", "le 1er décembre 2026 à
/// 0 h 05" (French); "30 November 2026 at 15:38" (English). Anything that is not an RFC 3339
/// time is returned as it is.
pub fn in_words(rfc3339: &str, language: Language) -> String {
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(time) => words(time, language, false),
        Err(_) => rfc3339.to_owned(),
    }
}

/// As [`in_words`], to the millisecond, for evidence: "le 30 novembre 2026 à 15 h 38 min
/// 12,123 s" / "30 November 2026 at 15:38:12.123".
pub fn in_words_precise(rfc3339: &str, language: Language) -> String {
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(time) => words(time, language, true),
        Err(_) => rfc3339.to_owned(),
    }
}

/// A calendar day (`YYYY-MM-DD`) in words: "30 novembre 2026", "1er décembre 2026",
/// "30 November 2026". Anything else is returned as it is.
pub fn day_in_words(day: &str, language: Language) -> String {
    match chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        Ok(date) => date_words(date.day(), date.month0(), date.year(), language),
        Err(_) => day.to_owned(),
    }
}

/// The time of day of an RFC 3339 time, in its offset's zone: "15 h 38" / "15:38".
pub fn clock_in_words(rfc3339: &str, language: Language) -> String {
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(time) => clock(time, language, false),
        Err(_) => rfc3339.to_owned(),
    }
}

fn words(time: DateTime<FixedOffset>, language: Language, precise: bool) -> String {
    let date = date_words(time.day(), time.month0(), time.year(), language);
    let clock = clock(time, language, precise);
    match language {
        Language::French => format!("le {date} à {clock}"),
        Language::English => format!("{date} at {clock}"),
    }
}

fn date_words(day: u32, month0: u32, year: i32, language: Language) -> String {
    let month = usize::try_from(month0).unwrap_or(0).min(11);
    match language {
        Language::French if day == 1 => format!("1er {} {year}", MONTHS_FR[month]),
        Language::French => format!("{day} {} {year}", MONTHS_FR[month]),
        Language::English => format!("{day} {} {year}", MONTHS_EN[month]),
    }
}

fn clock(time: DateTime<FixedOffset>, language: Language, precise: bool) -> String {
    let (h, m, s) = (time.hour(), time.minute(), time.second());
    let ms = time.timestamp_subsec_millis();
    match (language, precise) {
        (Language::French, false) => format!("{h} h {m:02}"),
        (Language::French, true) => format!("{h} h {m:02} min {s:02},{ms:03} s"),
        (Language::English, false) => format!("{h:02}:{m:02}"),
        (Language::English, true) => format!("{h:02}:{m:02}:{s:02}.{ms:03}"),
    }
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;

    #[test]
    fn formats() {
        assert_eq!(rfc3339(1_764_527_100_123), "2025-11-30T18:25:00Z");
        assert_eq!(
            rfc3339_millis(1_764_527_100_123),
            "2025-11-30T18:25:00.123Z"
        );
    }

    /// 2026-11-30 14:38:12.123 UTC.
    const NOV_30: i64 = 1_796_049_492_123;

    #[test]
    fn the_legal_time_in_words() {
        let legal = legal_rfc3339(NOV_30, Paris);
        assert_eq!(legal, "2026-11-30T15:38:12+01:00");
        assert_eq!(utc(&legal).as_deref(), Some("2026-11-30T14:38:12Z"));
        assert_eq!(
            in_words(&legal, Language::French),
            "le 30 novembre 2026 à 15 h 38"
        );
        assert_eq!(
            in_words(&legal, Language::English),
            "30 November 2026 at 15:38"
        );
        assert_eq!(clock_in_words(&legal, Language::French), "15 h 38");
    }

    #[test]
    fn summer_time_the_first_of_the_month_and_midnight() {
        // 2026-07-01 00:05 in Paris is 2026-06-30 22:05 UTC (UTC+2).
        let ms = 1_782_857_100_000;
        let legal = legal_rfc3339(ms, Paris);
        assert_eq!(legal, "2026-07-01T00:05:00+02:00");
        assert_eq!(
            in_words(&legal, Language::French),
            "le 1er juillet 2026 à 0 h 05"
        );
        assert_eq!(in_words(&legal, Language::English), "1 July 2026 at 00:05");
        assert_eq!(
            day_in_words("2026-12-01", Language::French),
            "1er décembre 2026"
        );
        assert_eq!(
            day_in_words("2026-12-15", Language::English),
            "15 December 2026"
        );
    }

    #[test]
    fn to_the_millisecond_for_evidence() {
        let precise = DateTime::<Utc>::from_timestamp_millis(NOV_30)
            .unwrap_or_default()
            .with_timezone(&Paris)
            .to_rfc3339_opts(SecondsFormat::Millis, false);
        assert_eq!(
            in_words_precise(&precise, Language::French),
            "le 30 novembre 2026 à 15 h 38 min 12,123 s"
        );
        assert_eq!(
            in_words_precise(&precise, Language::English),
            "30 November 2026 at 15:38:12.123"
        );
    }

    #[test]
    fn anything_else_is_shown_as_it_is() {
        assert_eq!(in_words("soon", Language::French), "soon");
        assert_eq!(day_in_words("2026-13-01", Language::French), "2026-13-01");
        assert_eq!(utc("soon"), None);
    }
}
