//! SPEC §4.10 (days sales outstanding): how many days of sales the receivables stand for, by two
//! methods, computed exactly in integers.
//!
//! - **Simple**: `receivables / sales × days` over the whole period.
//! - **Countback**: starting from the most recent slice of the period (a calendar month, the first
//!   and last ones cut to the period), the receivables are set against each slice's sales in turn:
//!   a slice whose sales they cover counts all its days and its sales are taken off; the first slice
//!   they do not cover counts `rest / sales × its days`, and the count stops. When the receivables
//!   exceed every sale of the period, the result is the period's length and says so
//!   (`beyond_period`): the true figure is higher.
//!
//! Both are given in tenths of a day, rounded once at the end, half up (the receivables are
//! positive: half away from zero). Receivables of zero or less give 0.0; the simple method with no
//! sales and positive receivables has no figure (`None`). Amounts are i128 minor units of one
//! currency (the caller never mixes currencies).

use crate::{round_div, Rounding};
use std::fmt;

/// A number of days with one decimal, held as tenths (`453` is 45.3 days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DsoDays {
    tenths: i64,
}

impl DsoDays {
    pub fn from_tenths(tenths: i64) -> DsoDays {
        DsoDays { tenths }
    }

    pub fn tenths(&self) -> i64 {
        self.tenths
    }
}

impl fmt::Display for DsoDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.tenths < 0 { "-" } else { "" };
        let abs = self.tenths.unsigned_abs();
        write!(f, "{sign}{}.{}", abs / 10, abs % 10)
    }
}

impl serde::Serialize for DsoDays {
    /// As a decimal string, `"45.3"`, like amounts.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

/// One slice of the period (oldest first in the slices given to [`countback`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SalesSlice {
    /// Days of the slice (≥ 1).
    pub days: i64,
    /// Sales of the slice in minor units (negative counts as none).
    pub sales: i128,
}

/// The countback result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Countback {
    pub days: DsoDays,
    /// The receivables exceed every sale of the period: `days` is the period's length.
    pub beyond_period: bool,
}

fn tenths(value: i128) -> DsoDays {
    DsoDays::from_tenths(i64::try_from(value).unwrap_or(i64::MAX))
}

/// `receivables / sales × days`, to a tenth of a day.
pub fn simple(receivables: i128, sales: i128, days: i64) -> Option<DsoDays> {
    if receivables <= 0 {
        return Some(DsoDays::from_tenths(0));
    }
    if sales <= 0 {
        return None;
    }
    let numerator = receivables.checked_mul(i128::from(days) * 10)?;
    Some(tenths(round_div(numerator, sales, Rounding::HalfAwayFromZero)))
}

/// The countback method over `slices`, oldest first (see the module doc).
pub fn countback(receivables: i128, slices: &[SalesSlice]) -> Countback {
    if receivables <= 0 {
        return Countback { days: DsoDays::from_tenths(0), beyond_period: false };
    }
    let mut rest = receivables;
    let mut full_days: i128 = 0;
    for slice in slices.iter().rev() {
        let sales = slice.sales.max(0);
        if rest > sales {
            rest -= sales;
            full_days += i128::from(slice.days);
            continue;
        }
        // rest ≤ sales, sales > 0: the part of this slice the rest stands for.
        let part = round_div(rest * i128::from(slice.days) * 10, sales, Rounding::HalfAwayFromZero);
        return Countback { days: tenths(full_days * 10 + part), beyond_period: false };
    }
    Countback { days: tenths(full_days * 10), beyond_period: true }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn simple_method_by_hand() {
        // 1,500.00 receivable, 9,000.00 of sales over 90 days: 1500 / 9000 × 90 = 15.0 days.
        assert_eq!(simple(150_000, 900_000, 90), Some(DsoDays::from_tenths(150)));
        // 1,000.00 / 3,000.00 × 31 = 10.333… → 10.3.
        assert_eq!(simple(100_000, 300_000, 31).unwrap().to_string(), "10.3");
        // 0.05 / 1.00 × 1 = 0.05 → 0.1 (half up).
        assert_eq!(simple(5, 100, 1).unwrap().to_string(), "0.1");
        assert_eq!(simple(0, 0, 30).unwrap().to_string(), "0.0");
        assert_eq!(simple(100, 0, 30), None);
    }

    #[test]
    fn countback_by_hand() {
        // Receivables 5,000.00. December (31 days) sold 3,000.00: covered, 31 days, 2,000.00 left.
        // November (30 days) sold 4,000.00: 2000 / 4000 × 30 = 15 days. DSO = 31 + 15 = 46.0.
        let slices = [
            SalesSlice { days: 31, sales: 500_000 },
            SalesSlice { days: 30, sales: 400_000 },
            SalesSlice { days: 31, sales: 300_000 },
        ];
        assert_eq!(countback(500_000, &slices), Countback { days: DsoDays::from_tenths(460), beyond_period: false });
        // Exactly December's sales: 31.0 days, November not touched.
        assert_eq!(countback(300_000, &slices).days.to_string(), "31.0");
        // More than every sale: the period's 92 days, beyond it.
        assert_eq!(countback(2_000_000, &slices), Countback { days: DsoDays::from_tenths(920), beyond_period: true });
        // A month without sales is covered whole.
        let gap = [SalesSlice { days: 30, sales: 100 }, SalesSlice { days: 31, sales: 0 }];
        assert_eq!(countback(50, &gap).days.to_string(), "46.0");
        assert_eq!(countback(-5, &gap).days.to_string(), "0.0");
    }

    #[test]
    fn days_print_with_one_decimal() {
        assert_eq!(DsoDays::from_tenths(0).to_string(), "0.0");
        assert_eq!(DsoDays::from_tenths(1234).to_string(), "123.4");
        assert_eq!(serde_json::to_string(&DsoDays::from_tenths(5)).unwrap(), "\"0.5\"");
    }

    proptest! {
        /// With one slice, countback and the simple method agree whenever the sales cover the
        /// receivables.
        #[test]
        fn one_slice_countback_is_the_simple_method(r in 0i128..1_000_000, extra in 0i128..1_000_000, days in 1i64..366) {
            let sales = r + extra + 1;
            let cb = countback(r, &[SalesSlice { days, sales }]);
            prop_assert_eq!(Some(cb.days), simple(r, sales, days));
            prop_assert!(!cb.beyond_period);
        }

        /// Countback never exceeds the period and grows with the receivables.
        #[test]
        fn countback_is_monotonic(r in 0i128..10_000_000, more in 0i128..1_000_000, sales in proptest::collection::vec(0i128..3_000_000, 1..8)) {
            let slices: Vec<_> = sales.iter().map(|&s| SalesSlice { days: 30, sales: s }).collect();
            let a = countback(r, &slices);
            let b = countback(r + more, &slices);
            prop_assert!(a.days <= b.days);
            prop_assert!(b.days.tenths() <= 300 * slices.len() as i64);
        }
    }
}
