//! How the service writes a time: RFC 3339 in UTC, from the milliseconds since the epoch that
//! the database stores.

use chrono::{DateTime, SecondsFormat, Utc};

/// RFC 3339 UTC, to the second (`2026-11-30T18:25:00Z`): what pages and emails show.
pub fn rfc3339(ms: i64) -> String {
    at(ms).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// RFC 3339 UTC, to the millisecond: what the journal records.
pub fn rfc3339_millis(ms: i64) -> String {
    at(ms).to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(rfc3339(1_764_527_100_123), "2025-11-30T18:25:00Z");
        assert_eq!(
            rfc3339_millis(1_764_527_100_123),
            "2025-11-30T18:25:00.123Z"
        );
    }
}
