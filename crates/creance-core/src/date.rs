//! SPEC §2 (business dates are calendar dates without time zone): a proleptic Gregorian date.
//!
//! Stored as days since 1970-01-01 (Howard Hinnant's `days_from_civil` / `civil_from_days`). The
//! supported range is 0001-01-01 ..= 9999-12-31 ([`Date::MIN`], [`Date::MAX`]): `from_ymd` and `parse`
//! reject years outside it, and every arithmetic operation (`add_days`, `add_months`,
//! `from_days_since_epoch`) saturates at its bounds instead of panicking. There is no clock here: "today"
//! is always a parameter.

use std::fmt;
use std::str::FromStr;

/// A calendar date; `Ord` is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(i32);

/// A text that is not a date, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub text: String,
    pub reason: &'static str,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\" is not a valid date: {}", self.text, self.reason)
    }
}

impl std::error::Error for DateError {}

pub fn is_leap_year(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` (1..=12) of year `y`; 0 for a month out of range.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Hinnant's days_from_civil, for a valid date with 1 ≤ y ≤ 9999 (no overflow possible in i64).
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Hinnant's civil_from_days.
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = y + i64::from(m <= 2);
    // Within the supported range y is in 1..=9999, m in 1..=12 and d in 1..=31, so the casts are exact.
    (y as i32, m as u32, d as u32)
}

const MIN_DAYS: i32 = -719_162; // 0001-01-01
const MAX_DAYS: i32 = 2_932_896; // 9999-12-31

impl Date {
    pub const MIN: Date = Date(MIN_DAYS);
    pub const MAX: Date = Date(MAX_DAYS);

    /// The date, or `None` if the month, the day or the year (1..=9999) is out of range.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // In range by the check above: |days| < 3 million.
        Some(Date(days_from_civil(y, m, d) as i32))
    }

    /// Days since 1970-01-01, clamped to [`Date::MIN`] ..= [`Date::MAX`].
    pub fn from_days_since_epoch(days: i32) -> Date {
        Date(days.clamp(MIN_DAYS, MAX_DAYS))
    }

    pub fn days_since_epoch(&self) -> i32 {
        self.0
    }

    pub fn ymd(&self) -> (i32, u32, u32) {
        civil_from_days(i64::from(self.0))
    }

    pub fn year(&self) -> i32 {
        self.ymd().0
    }

    pub fn month(&self) -> u32 {
        self.ymd().1
    }

    pub fn day(&self) -> u32 {
        self.ymd().2
    }

    /// `self + days`, saturating at [`Date::MIN`] / [`Date::MAX`].
    pub fn add_days(&self, days: i64) -> Date {
        let target = i64::from(self.0).saturating_add(days).clamp(i64::from(MIN_DAYS), i64::from(MAX_DAYS));
        Date(target as i32) // clamped into the i32 range just above
    }

    /// `other − self` in days (positive when `other` is later).
    pub fn days_until(&self, other: Date) -> i64 {
        i64::from(other.0) - i64::from(self.0)
    }

    /// The last day of this date's month.
    pub fn end_of_month(&self) -> Date {
        let (y, m, _) = self.ymd();
        Date::from_ymd(y, m, days_in_month(y, m)).unwrap_or(*self) // always valid: same year/month
    }

    /// The first day of this date's month.
    pub fn start_of_month(&self) -> Date {
        let (y, m, _) = self.ymd();
        Date::from_ymd(y, m, 1).unwrap_or(*self) // always valid: same year/month
    }

    /// `n` months later (earlier if negative); the day is clamped to the target month's length
    /// (Jan 31 + 1 month = Feb 28 or 29). Saturates at [`Date::MIN`] / [`Date::MAX`].
    pub fn add_months(&self, n: i32) -> Date {
        let (y, m, d) = self.ymd();
        let index = i64::from(y) * 12 + i64::from(m) - 1 + i64::from(n);
        let (ty, tm) = (index.div_euclid(12), index.rem_euclid(12) + 1);
        if ty < 1 {
            return Date::MIN;
        }
        if ty > 9999 {
            return Date::MAX;
        }
        // 1 ≤ ty ≤ 9999 and 1 ≤ tm ≤ 12 here, so the casts are exact and the date is valid.
        let (ty, tm) = (ty as i32, tm as u32);
        Date::from_ymd(ty, tm, d.min(days_in_month(ty, tm))).unwrap_or(*self)
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    pub fn weekday(&self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (i64::from(self.0) + 3).rem_euclid(7) as u32
    }

    /// Parses `YYYY-MM-DD`, `DD/MM/YYYY` or `DD.MM.YYYY` (day and month may have one digit).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let err = |reason: &'static str| DateError { text: text.to_string(), reason };
        let t = text.trim();
        let sep = if t.contains('-') {
            '-'
        } else if t.contains('/') {
            '/'
        } else if t.contains('.') {
            '.'
        } else {
            return Err(err("expected YYYY-MM-DD, DD/MM/YYYY or DD.MM.YYYY"));
        };
        let parts: Vec<&str> = t.split(sep).collect();
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(err("expected YYYY-MM-DD, DD/MM/YYYY or DD.MM.YYYY"));
        }
        let (ys, ms, ds) = if sep == '-' { (parts[0], parts[1], parts[2]) } else { (parts[2], parts[1], parts[0]) };
        if ys.len() != 4 || ms.len() > 2 || ds.len() > 2 {
            return Err(err("expected a 4-digit year and a 1- or 2-digit month and day"));
        }
        // All-digit strings of at most 4 characters: parsing cannot fail.
        let num = |s: &str| s.parse::<u32>().unwrap_or(0);
        let (y, m, d) = (num(ys) as i32, num(ms), num(ds));
        if y < 1 {
            return Err(err("year out of range (0001 to 9999)"));
        }
        if !(1..=12).contains(&m) {
            return Err(err("month out of range"));
        }
        Date::from_ymd(y, m, d).ok_or_else(|| err("day out of range for month"))
    }
}

impl fmt::Display for Date {
    /// ISO 8601: `2026-01-31`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written as \"YYYY-MM-DD\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    #[test]
    fn epoch_and_bounds() {
        assert_eq!(d(1970, 1, 1).days_since_epoch(), 0);
        assert_eq!(d(1, 1, 1), Date::MIN);
        assert_eq!(d(9999, 12, 31), Date::MAX);
        assert_eq!(Date::from_days_since_epoch(i32::MIN), Date::MIN);
        assert_eq!(Date::MAX.add_days(1), Date::MAX);
        assert_eq!(Date::MIN.add_days(i64::MIN), Date::MIN);
        assert_eq!(d(2000, 3, 1).days_since_epoch(), 11_017);
    }

    #[test]
    fn from_ymd_validates() {
        let cases = [
            ((2024, 2, 29), true),
            ((2026, 2, 29), false),
            ((1900, 2, 29), false),
            ((2000, 2, 29), true),
            ((2026, 4, 31), false),
            ((2026, 13, 1), false),
            ((2026, 0, 1), false),
            ((2026, 1, 0), false),
            ((0, 1, 1), false),
            ((10_000, 1, 1), false),
        ];
        for ((y, m, day), ok) in cases {
            assert_eq!(Date::from_ymd(y, m, day).is_some(), ok, "{y}-{m}-{day}");
        }
    }

    #[test]
    fn parse_table() {
        let ok = [
            ("2026-01-31", d(2026, 1, 31)),
            ("31/01/2026", d(2026, 1, 31)),
            ("31.01.2026", d(2026, 1, 31)),
            ("1.2.2026", d(2026, 2, 1)),
            (" 2024-02-29 ", d(2024, 2, 29)),
        ];
        for (text, want) in ok {
            assert_eq!(Date::parse(text), Ok(want), "{text}");
        }
        let bad = [
            ("31/02/2026", "day out of range for month"),
            ("2026-13-01", "month out of range"),
            ("0000-01-01", "year out of range (0001 to 9999)"),
            ("2026/01/31", "expected a 4-digit year and a 1- or 2-digit month and day"),
            ("26-01-31", "expected a 4-digit year and a 1- or 2-digit month and day"),
            ("", "expected YYYY-MM-DD, DD/MM/YYYY or DD.MM.YYYY"),
            ("2026-01", "expected YYYY-MM-DD, DD/MM/YYYY or DD.MM.YYYY"),
            ("2026-01-3x", "expected YYYY-MM-DD, DD/MM/YYYY or DD.MM.YYYY"),
        ];
        for (text, reason) in bad {
            assert_eq!(Date::parse(text), Err(DateError { text: text.into(), reason }), "{text}");
        }
        assert_eq!(
            Date::parse("31/02/2026").unwrap_err().to_string(),
            "\"31/02/2026\" is not a valid date: day out of range for month"
        );
    }

    #[test]
    fn month_arithmetic() {
        let cases = [
            (d(2026, 1, 31), 1, d(2026, 2, 28)),
            (d(2024, 1, 31), 1, d(2024, 2, 29)),
            (d(2026, 3, 31), -1, d(2026, 2, 28)),
            (d(2026, 12, 15), 1, d(2027, 1, 15)),
            (d(2026, 1, 15), -13, d(2024, 12, 15)),
            (d(2026, 5, 31), 1, d(2026, 6, 30)),
            (d(9999, 12, 1), 1, Date::MAX),
            (d(1, 1, 31), -1, Date::MIN),
        ];
        for (start, n, want) in cases {
            assert_eq!(start.add_months(n), want, "{start} + {n} months");
        }
        assert_eq!(d(2024, 2, 3).end_of_month(), d(2024, 2, 29));
        assert_eq!(d(2026, 12, 3).end_of_month(), d(2026, 12, 31));
        assert_eq!(d(2026, 12, 3).start_of_month(), d(2026, 12, 1));
        assert_eq!(d(2026, 1, 1).days_until(d(2026, 3, 1)), 59);
    }

    #[test]
    fn weekdays() {
        assert_eq!(d(1970, 1, 1).weekday(), 3); // Thursday
        assert_eq!(d(2026, 1, 5).weekday(), 0); // Monday
        assert_eq!(d(2026, 1, 4).weekday(), 6); // Sunday
        assert_eq!(d(1900, 1, 1).weekday(), 0); // Monday
    }

    #[test]
    fn serde_is_iso_string() {
        let date = d(2026, 3, 9);
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"2026-03-09\"");
        assert_eq!(serde_json::from_str::<Date>("\"2026-03-09\"").unwrap(), date);
        assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
    }

    proptest! {
        #[test]
        fn ymd_round_trip(days in -25_567i32..84_000) { // 1900-01-01 .. ~2199
            let date = Date::from_days_since_epoch(days);
            let (y, m, day) = date.ymd();
            prop_assert!((1900..2200).contains(&y));
            prop_assert_eq!(Date::from_ymd(y, m, day), Some(date));
            prop_assert_eq!(Date::parse(&date.to_string()), Ok(date));
            prop_assert_eq!(date.add_days(1).weekday(), (date.weekday() + 1) % 7);
            let next = date.add_days(1);
            let (ny, nm, nd) = next.ymd();
            if day < days_in_month(y, m) { prop_assert_eq!((ny, nm, nd), (y, m, day + 1)); } else { prop_assert_eq!(nd, 1); }
        }

        #[test]
        fn add_months_clamps(days in -25_567i32..84_000, n in -1200i32..1200) {
            let date = Date::from_days_since_epoch(days);
            let (y, m, day) = date.ymd();
            let moved = date.add_months(n);
            let (ty, tm, td) = moved.ymd();
            prop_assert_eq!(i64::from(ty) * 12 + i64::from(tm), i64::from(y) * 12 + i64::from(m) + i64::from(n));
            prop_assert_eq!(td, day.min(days_in_month(ty, tm)));
        }
    }
}
