//! An instant to the second, in UTC: when a row was written or an event happened (audit trail,
//! creation and status stamps). There is no clock here: the wall clock is read at the edges (the command
//! line, the HTTP server) and the instant is passed in, like every business date.

use std::fmt;

use crate::Date;

/// Seconds since 1970-01-01T00:00:00Z. Shown and stored as RFC 3339 (`2026-11-22T10:15:00Z`), whose
/// strings sort as the instants do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// The last second of 9999-12-31: an instant past it would not print as four-digit-year RFC 3339.
const MAX_SECONDS: i64 = 253_402_300_799;

impl Timestamp {
    /// The instant `secs` seconds after the Unix epoch, clamped to 1970-01-01 .. 9999-12-31.
    pub const fn from_unix_seconds(secs: i64) -> Timestamp {
        Timestamp(if secs < 0 {
            0
        } else if secs > MAX_SECONDS {
            MAX_SECONDS
        } else {
            secs
        })
    }

    pub fn unix_seconds(self) -> i64 {
        self.0
    }

    /// The instant `minutes` earlier (never before the epoch).
    pub fn minutes_earlier(self, minutes: i64) -> Timestamp {
        Timestamp::from_unix_seconds(self.0.saturating_sub(minutes.saturating_mul(60)))
    }

    /// The instant `seconds` later (clamped like [`Timestamp::from_unix_seconds`]).
    pub fn seconds_later(self, seconds: i64) -> Timestamp {
        Timestamp::from_unix_seconds(self.0.saturating_add(seconds))
    }

    /// Midnight UTC at the start of `date` (for work stamped by its as-of date: fixtures, dry runs).
    pub fn start_of(date: Date) -> Timestamp {
        Timestamp::from_unix_seconds(i64::from(date.days_since_epoch()) * 86_400)
    }

    /// The calendar day of the instant, in UTC.
    pub fn date(self) -> Date {
        Date::from_days_since_epoch((self.0 / 86_400) as i32)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rem = self.0 % 86_400;
        write!(f, "{}T{:02}:{:02}:{:02}Z", self.date(), rem / 3600, (rem % 3600) / 60, rem % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_as_rfc3339_utc() {
        assert_eq!(Timestamp::from_unix_seconds(0).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp::from_unix_seconds(1_795_342_500).to_string(), "2026-11-22T10:15:00Z");
        assert_eq!(Timestamp::from_unix_seconds(i64::MAX).to_string(), "9999-12-31T23:59:59Z");
        assert_eq!(Timestamp::from_unix_seconds(-5).to_string(), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn minutes_earlier_and_the_day() {
        let t = Timestamp::from_unix_seconds(1_795_342_500);
        assert_eq!(t.minutes_earlier(10).to_string(), "2026-11-22T10:05:00Z");
        assert_eq!(t.minutes_earlier(i64::MAX).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(t.date().to_string(), "2026-11-22");
    }
}
