//! SPEC §4.7: statutory late interest, computed exactly. Interest runs day by day on an installment's
//! open amount; the period is cut wherever the rate or the open amount changes, and each sub-period is
//! `open × rate × days / basis`, rounded half away from zero to the minor unit (the printed lines add
//! up to the total). Days are counted in `[start, end)`: the caller starts the day after the due date
//! (or after the day interest was last charged to), so the same days are never charged twice.

use crate::{Date, Decimal, Money};

/// Days in a year for the computation (SPEC §4.7: actual/365 by default, actual/360 as an option).
/// Stored and written as `actual_365` / `actual_360`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum DayCount {
    #[serde(rename = "actual_365")]
    Actual365,
    #[serde(rename = "actual_360")]
    Actual360,
}

impl DayCount {
    pub const ALL: [DayCount; 2] = [DayCount::Actual365, DayCount::Actual360];

    pub fn as_str(self) -> &'static str {
        match self {
            DayCount::Actual365 => "actual_365",
            DayCount::Actual360 => "actual_360",
        }
    }

    pub fn parse(s: &str) -> Option<DayCount> {
        DayCount::ALL.into_iter().find(|d| d.as_str() == s)
    }

    fn basis(self) -> i128 {
        match self {
            DayCount::Actual365 => 365,
            DayCount::Actual360 => 360,
        }
    }
}

/// An annual rate in percent, applying from a date until the next period's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatePeriod {
    pub from: Date,
    /// Percent per year, e.g. `12.15`.
    pub percent: Decimal,
}

/// One computed sub-period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterestLine {
    pub from: Date,
    /// Exclusive.
    pub to: Date,
    pub days: i64,
    pub open: Money,
    pub percent: Decimal,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterestError {
    /// No rate applies on this day.
    NoRate(Date),
    /// The computation does not fit in 128 bits (absurd inputs).
    Overflow,
}

impl std::fmt::Display for InterestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InterestError::NoRate(d) => write!(f, "no interest rate is defined for {d}"),
            InterestError::Overflow => write!(f, "the interest computation overflows"),
        }
    }
}

impl std::error::Error for InterestError {}

impl std::fmt::Display for DayCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `num / den` rounded half away from zero (`den > 0`).
fn div_round(num: i128, den: i128) -> i128 {
    let q = num / den;
    let r = num % den;
    if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    }
}

/// Interest for the days in `[start, end)`. `balances` gives the open amount from each date on (sorted,
/// the first at or before `start`); `rates` the rate from each date on (sorted). Sub-periods with
/// nothing open or a zero rate are left out.
pub fn compute(
    balances: &[(Date, Money)],
    rates: &[RatePeriod],
    start: Date,
    end: Date,
    basis: DayCount,
) -> Result<Vec<InterestLine>, InterestError> {
    let mut cuts: Vec<Date> = vec![start, end];
    cuts.extend(balances.iter().map(|b| b.0).filter(|d| *d > start && *d < end));
    cuts.extend(rates.iter().map(|r| r.from).filter(|d| *d > start && *d < end));
    cuts.sort();
    cuts.dedup();
    let mut lines = Vec::new();
    for w in cuts.windows(2) {
        let (from, to) = (w[0], w[1]);
        let Some(open) = balances.iter().rev().find(|b| b.0 <= from).map(|b| b.1) else {
            continue;
        };
        let rate = rates.iter().rev().find(|r| r.from <= from).ok_or(InterestError::NoRate(from))?;
        let days = from.days_until(to);
        if !open.is_positive() || rate.percent.is_zero() || days <= 0 {
            continue;
        }
        // open (minor) × mantissa × days / (100 × basis × 10^scale)
        let num = i128::from(open.minor())
            .checked_mul(rate.percent.mantissa())
            .and_then(|x| x.checked_mul(i128::from(days)))
            .ok_or(InterestError::Overflow)?;
        let den = 100 * basis.basis() * crate::decimal::pow10(rate.percent.scale()).ok_or(InterestError::Overflow)?;
        let minor = i64::try_from(div_round(num, den)).map_err(|_| InterestError::Overflow)?;
        lines.push(InterestLine {
            from,
            to,
            days,
            open,
            percent: rate.percent,
            amount: Money::new(minor, open.currency()),
        });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }
    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }
    fn pct(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }
    fn total(lines: &[InterestLine]) -> i64 {
        lines.iter().map(|l| l.amount.minor()).sum()
    }

    #[test]
    fn thirty_days_of_1000_at_10_percent_actual_365() {
        // 1000.00 × 10 % × 30 / 365 = 8.2191… → 8.22
        let rates = [RatePeriod { from: d("2020-01-01"), percent: pct("10") }];
        let lines =
            compute(&[(d("2026-01-01"), eur(100_000))], &rates, d("2026-01-01"), d("2026-01-31"), DayCount::Actual365)
                .unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!((lines[0].days, total(&lines)), (30, 822));
        // Actual/360: 1000.00 × 10 % × 30 / 360 = 8.3333… → 8.33
        let lines =
            compute(&[(d("2026-01-01"), eur(100_000))], &rates, d("2026-01-01"), d("2026-01-31"), DayCount::Actual360)
                .unwrap();
        assert_eq!(total(&lines), 833);
    }

    #[test]
    fn a_rate_change_on_1_july_cuts_the_period() {
        // 5000.00 from 16 June to 15 July included: 15 days at 12.15 % (24.9657… → 24.97), then 15 days
        // at 12.00 % from 1 July (24.6575… → 24.66).
        let rates = [
            RatePeriod { from: d("2026-01-01"), percent: pct("12.15") },
            RatePeriod { from: d("2026-07-01"), percent: pct("12.00") },
        ];
        let lines =
            compute(&[(d("2026-06-01"), eur(500_000))], &rates, d("2026-06-16"), d("2026-07-16"), DayCount::Actual365)
                .unwrap();
        let parts: Vec<(i64, i64)> = lines.iter().map(|l| (l.days, l.amount.minor())).collect();
        assert_eq!(parts, [(15, 2_497), (15, 2_466)]);
        assert_eq!(total(&lines), 4_963);
    }

    #[test]
    fn a_partial_payment_lowers_the_open_amount_from_its_date() {
        // 3000.00 open from 1 March; 2000.00 paid on 11 March: 10 days on 3000.00 (8.2191… → 8.22) at 10 %,
        // then 21 days on 1000.00 to 31 March included (5.7534… → 5.75).
        let rates = [RatePeriod { from: d("2020-01-01"), percent: pct("10") }];
        let balances = [(d("2026-03-01"), eur(300_000)), (d("2026-03-11"), eur(100_000))];
        let lines = compute(&balances, &rates, d("2026-03-01"), d("2026-04-01"), DayCount::Actual365).unwrap();
        let parts: Vec<(i64, i64)> = lines.iter().map(|l| (l.days, l.amount.minor())).collect();
        assert_eq!(parts, [(10, 822), (21, 575)]);
    }

    #[test]
    fn a_second_run_from_the_day_after_the_first_charges_no_day_twice() {
        let rates = [RatePeriod { from: d("2020-01-01"), percent: pct("10") }];
        let balances = [(d("2026-01-01"), eur(100_000))];
        let first = compute(&balances, &rates, d("2026-01-01"), d("2026-02-01"), DayCount::Actual365).unwrap();
        let second = compute(&balances, &rates, d("2026-02-01"), d("2026-03-01"), DayCount::Actual365).unwrap();
        let whole = compute(&balances, &rates, d("2026-01-01"), d("2026-03-01"), DayCount::Actual365).unwrap();
        assert_eq!(first[0].days + second[0].days, whole[0].days);
        assert_eq!(first[0].to, second[0].from);
    }

    #[test]
    fn nothing_is_charged_without_an_open_amount_and_a_missing_rate_is_an_error() {
        let rates = [RatePeriod { from: d("2026-02-01"), percent: pct("10") }];
        let paid = [(d("2026-01-01"), eur(0))];
        assert!(compute(&paid, &rates, d("2026-02-01"), d("2026-03-01"), DayCount::Actual365).unwrap().is_empty());
        let open = [(d("2026-01-01"), eur(100))];
        assert_eq!(
            compute(&open, &rates, d("2026-01-15"), d("2026-03-01"), DayCount::Actual365),
            Err(InterestError::NoRate(d("2026-01-15")))
        );
    }

    #[test]
    fn day_counts_read_back_what_they_write() {
        for dc in DayCount::ALL {
            assert_eq!(DayCount::parse(dc.as_str()), Some(dc));
            assert_eq!(serde_json::to_string(&dc).unwrap(), format!("\"{}\"", dc.as_str()));
        }
        assert_eq!(DayCount::parse("30_360"), None);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(15, 10), 2);
    }

    use proptest::prelude::*;

    proptest! {
        /// Interest for a period charged in two runs (the second starting where the first ended)
        /// counts every day exactly once, and differs from one run by at most the rounding of the
        /// one extra cut: never a day twice, never a day missed.
        #[test]
        fn two_runs_charge_each_day_once(
            start in 0i32..2_000,
            split in 1i64..400,
            rest in 1i64..400,
            open in 1i64..100_000_000,
            paid in 0i64..100,
            paid_after in 0i64..800,
            rate_change in 0i64..800,
            r1 in 0i64..2_000,
            r2 in 0i64..2_000,
        ) {
            let start = Date::from_days_since_epoch(18_000 + start);
            let mid = start.add_days(split);
            let end = mid.add_days(rest);
            let rates = [
                RatePeriod { from: start.add_days(-1_000), percent: Decimal::new(i128::from(r1), 2) },
                RatePeriod { from: start.add_days(rate_change), percent: Decimal::new(i128::from(r2), 2) },
            ];
            let lowered = open - open * paid / 100;
            let balances = [(start, eur(open)), (start.add_days(paid_after), eur(lowered))];
            let whole = compute(&balances, &rates, start, end, DayCount::Actual365).unwrap();
            let first = compute(&balances, &rates, start, mid, DayCount::Actual365).unwrap();
            let second = compute(&balances, &rates, mid, end, DayCount::Actual365).unwrap();
            let days = |lines: &[InterestLine]| lines.iter().map(|l| l.days).sum::<i64>();
            let charged = |lines: &[InterestLine]| lines.iter().filter(|l| !l.amount.is_zero() || l.days > 0).count();
            prop_assert_eq!(days(&first) + days(&second), days(&whole));
            prop_assert!(first.iter().all(|l| l.to <= mid) && second.iter().all(|l| l.from >= mid));
            let diff = (total(&first) + total(&second) - total(&whole)).abs();
            prop_assert!(diff <= 1, "one extra cut changes the total by at most one cent, not {diff}");
            prop_assert!(charged(&whole) <= 3);
        }
    }
}

/// A preset rate table (SPEC §4.7): reference-rate periods (dated, percent) plus a margin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preset {
    pub code: &'static str,
    pub name: &'static str,
    pub reference_name: &'static str,
    /// Margin in percentage points added to the reference rate.
    pub margin: &'static str,
    /// `(from, reference percent)`: each applies until the next; the last until a newer one is added.
    pub periods: &'static [(&'static str, &'static str)],
    /// The fixed recovery indemnity per late invoice, in EUR cents (0 for none).
    pub indemnity_eur_cents: i64,
}

/// The ECB main refinancing rate in force on 1 January and 1 July of each half-year (the rate French
/// law and directive 2011/7 apply for the whole half-year).
const ECB_HALF_YEARS: &[(&str, &str)] = &[
    ("2020-01-01", "0"),
    ("2022-07-01", "0"),
    ("2023-01-01", "2.50"),
    ("2023-07-01", "4.00"),
    ("2024-01-01", "4.50"),
    ("2024-07-01", "4.25"),
    ("2025-01-01", "3.15"),
    ("2025-07-01", "2.15"),
];

/// The German base rate (Basiszinssatz, § 247 BGB) by half-year.
const DE_BASE_RATE: &[(&str, &str)] = &[
    ("2020-01-01", "-0.88"),
    ("2023-01-01", "1.62"),
    ("2023-07-01", "3.12"),
    ("2024-01-01", "3.62"),
    ("2024-07-01", "3.37"),
    ("2025-01-01", "2.27"),
    ("2025-07-01", "1.27"),
];

/// France B2B (ECB + 10 points, 40 EUR), Germany B2B (base rate + 9 points, 40 EUR), Switzerland
/// (5 %), EU directive 2011/7 (reference + 8 points). Rates after the last period listed carry on
/// until the user adds the next half-year's rate.
pub fn presets() -> Vec<Preset> {
    vec![
        Preset {
            code: "fr_b2b",
            name: "France B2B: ECB refinancing rate + 10 points, 40 EUR indemnity",
            reference_name: "ECB main refinancing rate",
            margin: "10",
            periods: ECB_HALF_YEARS,
            indemnity_eur_cents: 4000,
        },
        Preset {
            code: "de_b2b",
            name: "Germany B2B: base rate + 9 points, 40 EUR indemnity",
            reference_name: "Basiszinssatz (§ 247 BGB)",
            margin: "9",
            periods: DE_BASE_RATE,
            indemnity_eur_cents: 4000,
        },
        Preset {
            code: "ch",
            name: "Switzerland: 5 % a year (CO art. 104)",
            reference_name: "",
            margin: "5",
            periods: &[("2000-01-01", "0")],
            indemnity_eur_cents: 0,
        },
        Preset {
            code: "eu_directive",
            name: "EU directive 2011/7: reference rate + 8 points",
            reference_name: "ECB main refinancing rate",
            margin: "8",
            periods: ECB_HALF_YEARS,
            indemnity_eur_cents: 4000,
        },
    ]
}
