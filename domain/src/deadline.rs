//! Deadlines of a registered letter (LET-06, LET-07, LET-10), as plain functions of the
//! notification instant and the legal time zone — no clock, no database — so that the jobs, the
//! pages and the tests share one rule. Examples and the reasoning: `docs/deadlines.md`.
//!
//! - Day 0 is the calendar date of the notification **in the legal time zone** (default
//!   Europe/Paris), whatever its UTC date.
//! - The recipient has **15 calendar days counted from the day after the notification**
//!   (policy §7.2.6): days 1 to 15. The letter expires when day 15 ends, i.e. at 00:00 local
//!   time on day 16, converted to UTC (daylight saving time included).
//! - Reminders (LET-07) are due on days 4, 8 and 12 at 08:00 local time, if the recipient has
//!   not acted by then.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

pub use crate::policy::{ACCEPTANCE_DAYS, REMINDER_DAYS, REMINDER_HOUR};

/// The deadlines of one transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadlines {
    /// Day 0: the notification's calendar date in the legal time zone.
    pub notified_on: NaiveDate,
    /// The last day on which the recipient may still accept or refuse (day 15).
    pub last_day: NaiveDate,
    /// The first instant at which the letter is expired (00:00 local on day 16), in UTC.
    pub expires_at: DateTime<Utc>,
    /// When each reminder is due (days 4, 8, 12 at 08:00 local), in UTC.
    pub reminders: [DateTime<Utc>; 3],
}

impl Deadlines {
    /// The deadlines of a letter whose recipient was notified at `notified_at`.
    pub fn new(notified_at: DateTime<Utc>, zone: Tz) -> Deadlines {
        let notified_on = notified_at.with_timezone(&zone).date_naive();
        let day = |n: u64| {
            notified_on
                .checked_add_days(Days::new(n))
                .unwrap_or(NaiveDate::MAX)
        };
        Deadlines {
            notified_on,
            last_day: day(ACCEPTANCE_DAYS),
            expires_at: local_instant(zone, day(ACCEPTANCE_DAYS + 1), NaiveTime::MIN),
            reminders: REMINDER_DAYS.map(|n| {
                let at = NaiveTime::from_hms_opt(REMINDER_HOUR, 0, 0).unwrap_or(NaiveTime::MIN);
                local_instant(zone, day(n), at)
            }),
        }
    }

    /// Whether the letter is expired at `now` (LET-10): from 00:00 local on day 16 on.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires_at
    }
}

/// The UTC instant of a local date and time. A local time skipped by a daylight-saving change
/// is moved to the first valid instant after it; a repeated one takes the earlier occurrence.
fn local_instant(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    let mut candidate = naive;
    for _ in 0..=24 * 4 {
        if let Some(instant) = zone.from_local_datetime(&candidate).earliest() {
            return instant.with_timezone(&Utc);
        }
        candidate += chrono::TimeDelta::minutes(15);
    }
    Utc.from_utc_datetime(&naive)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("time").to_utc()
    }

    const PARIS: Tz = chrono_tz::Europe::Paris;

    /// LET-06: a notification at 23:30 Paris time counts the next day as day 1 (only 30
    /// minutes of day 0 remained), and the letter expires at 00:00 Paris on day 16.
    #[test]
    fn let_06_notification_at_2330_paris() {
        let d = Deadlines::new(utc("2026-01-15T22:30:00Z"), PARIS); // 23:30 CET
        assert_eq!(d.notified_on.to_string(), "2026-01-15");
        assert_eq!(d.last_day.to_string(), "2026-01-30");
        assert_eq!(d.expires_at, utc("2026-01-30T23:00:00Z")); // 2026-01-31 00:00 CET
        // The exact edge: one second before is still day 15; the instant itself is expired.
        assert!(!d.is_expired(utc("2026-01-30T22:59:59Z")));
        assert!(d.is_expired(utc("2026-01-30T23:00:00Z")));
    }

    /// LET-06: the calendar date is the legal time zone's, not UTC's.
    #[test]
    fn let_06_day_zero_is_the_paris_date() {
        let d = Deadlines::new(utc("2026-06-10T22:30:00Z"), PARIS); // 00:30 CEST on June 11
        assert_eq!(d.notified_on.to_string(), "2026-06-11");
        assert_eq!(d.expires_at, utc("2026-06-26T22:00:00Z")); // 2026-06-27 00:00 CEST
    }

    /// LET-06: across the change to summer time (2026-03-29), the period stays 15 calendar
    /// days and ends at local midnight, which is 22:00 UTC instead of 23:00.
    #[test]
    fn let_06_across_daylight_saving_time() {
        let d = Deadlines::new(utc("2026-03-20T10:00:00Z"), PARIS); // 11:00 CET
        assert_eq!(d.last_day.to_string(), "2026-04-04");
        assert_eq!(d.expires_at, utc("2026-04-04T22:00:00Z")); // 2026-04-05 00:00 CEST
        // Reminders: day 4 in winter time, days 8 and 12 in summer time, all at 08:00 local.
        assert_eq!(d.reminders[0], utc("2026-03-24T07:00:00Z"));
        assert_eq!(d.reminders[1], utc("2026-03-28T07:00:00Z"));
        assert_eq!(d.reminders[2], utc("2026-04-01T06:00:00Z"));
        // And back to winter time (2026-10-25).
        let d = Deadlines::new(utc("2026-10-20T10:00:00Z"), PARIS);
        assert_eq!(d.expires_at, utc("2026-11-04T23:00:00Z")); // 2026-11-05 00:00 CET
    }

    /// LET-06: a notification on 31 December runs into the new year.
    #[test]
    fn let_06_on_31_december() {
        let d = Deadlines::new(utc("2026-12-31T10:00:00Z"), PARIS);
        assert_eq!(d.notified_on.to_string(), "2026-12-31");
        assert_eq!(d.last_day.to_string(), "2027-01-15");
        assert_eq!(d.expires_at, utc("2027-01-15T23:00:00Z")); // 2027-01-16 00:00 CET
    }

    /// LET-07: reminders on days 4, 8 and 12 after the notification, before the expiry.
    #[test]
    fn let_07_reminder_days() {
        let d = Deadlines::new(utc("2026-01-15T22:30:00Z"), PARIS);
        let local: Vec<String> = d
            .reminders
            .iter()
            .map(|r| r.with_timezone(&PARIS).format("%Y-%m-%d %H:%M").to_string())
            .collect();
        assert_eq!(
            local,
            ["2026-01-19 08:00", "2026-01-23 08:00", "2026-01-27 08:00"]
        );
        assert!(d.reminders.iter().all(|r| *r < d.expires_at));
    }

    /// A zone where midnight can be skipped (e.g. America/Santiago's spring change at 00:00):
    /// the expiry moves to the first valid instant instead of failing.
    #[test]
    fn skipped_local_midnight_moves_forward() {
        let zone: Tz = "America/Santiago".parse().expect("zone");
        // Chile moved clocks from 00:00 to 01:00 on 2026-09-06.
        let at = local_instant(
            zone,
            NaiveDate::from_ymd_opt(2026, 9, 6).expect("date"),
            NaiveTime::MIN,
        );
        assert_eq!(at.with_timezone(&zone).format("%H:%M").to_string(), "01:00");
    }
}
