//! SPEC §4.10 (aging report, "balance âgée"): which bucket an open item falls in at an as-of date.
//!
//! A company's buckets are a list of day bounds, `0, 30, 60, 90` by default. The first bound is
//! always 0; the bounds strictly increase. An item `d` days old (days late by due date, or days since
//! its document date, as the report asks) falls in:
//! - bucket 0 ("current") when `d ≤ bounds[0]` (= 0: not yet due, or due today);
//! - bucket `k` when `bounds[k−1] < d ≤ bounds[k]` (`1–30`, `31–60`, `61–90`);
//! - the last bucket (`> 90`) when `d > bounds[n−1]`.
//!
//! So `n` bounds make `n + 1` buckets. The store does not compute days: it compares the date with
//! the [`AgingBuckets::cutoffs`] (`date ≥ as_of − bound`), which is index-friendly and is the same
//! rule (`as_of − date ≤ bound` ⟺ `date ≥ as_of − bound`). Re-checked by the scenario tests at every
//! boundary (0, 1, 30, 31, 60, 61, 90, 91 days).

use crate::Date;
use std::fmt;

/// At most this many bounds (so at most 13 buckets).
pub const AGING_BOUNDS_MAX: usize = 12;
/// No bound beyond ten years.
pub const AGING_BOUND_DAYS_MAX: i64 = 3650;

/// What the age of an item is counted from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AgingBasis {
    /// Days late: as-of date − due date (the default).
    DueDate,
    /// Days since the document's date.
    DocumentDate,
}

impl AgingBasis {
    pub fn code(self) -> &'static str {
        match self {
            AgingBasis::DueDate => "due_date",
            AgingBasis::DocumentDate => "document_date",
        }
    }

    pub fn parse(text: &str) -> Option<AgingBasis> {
        match text {
            "due_date" => Some(AgingBasis::DueDate),
            "document_date" => Some(AgingBasis::DocumentDate),
            _ => None,
        }
    }
}

/// Why a bucket list is refused, in order of precedence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgingBucketsError {
    /// A bound is not a whole number of days.
    NotANumber {
        text: String,
    },
    /// No bound, or more than [`AGING_BOUNDS_MAX`].
    Count {
        count: usize,
    },
    /// The first bound is not 0.
    FirstNotZero {
        first: i64,
    },
    /// A bound is not above the previous one, or is beyond [`AGING_BOUND_DAYS_MAX`].
    NotIncreasing {
        previous: i64,
        bound: i64,
    },
    TooLarge {
        bound: i64,
    },
}

impl fmt::Display for AgingBucketsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgingBucketsError::NotANumber { text } => {
                write!(f, "{text:?} is not a whole number of days (give bounds such as 0,30,60,90)")
            }
            AgingBucketsError::Count { count } => {
                write!(f, "{count} bounds given; give 1 to {AGING_BOUNDS_MAX}, starting at 0 (such as 0,30,60,90)")
            }
            AgingBucketsError::FirstNotZero { first } => {
                write!(f, "the first bound is {first}; it must be 0 (the current bucket: not yet due)")
            }
            AgingBucketsError::NotIncreasing { previous, bound } => {
                write!(f, "bound {bound} does not follow {previous}: bounds must strictly increase")
            }
            AgingBucketsError::TooLarge { bound } => {
                write!(f, "bound {bound} is beyond {AGING_BOUND_DAYS_MAX} days")
            }
        }
    }
}

impl std::error::Error for AgingBucketsError {}

/// A validated bucket list (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AgingBuckets {
    bounds: Vec<i64>,
}

impl Default for AgingBuckets {
    fn default() -> AgingBuckets {
        AgingBuckets { bounds: vec![0, 30, 60, 90] }
    }
}

impl AgingBuckets {
    pub fn new(bounds: Vec<i64>) -> Result<AgingBuckets, AgingBucketsError> {
        if bounds.is_empty() || bounds.len() > AGING_BOUNDS_MAX {
            return Err(AgingBucketsError::Count { count: bounds.len() });
        }
        if bounds[0] != 0 {
            return Err(AgingBucketsError::FirstNotZero { first: bounds[0] });
        }
        for pair in bounds.windows(2) {
            if pair[1] <= pair[0] {
                return Err(AgingBucketsError::NotIncreasing { previous: pair[0], bound: pair[1] });
            }
        }
        if let Some(&last) = bounds.last() {
            if last > AGING_BOUND_DAYS_MAX {
                return Err(AgingBucketsError::TooLarge { bound: last });
            }
        }
        Ok(AgingBuckets { bounds })
    }

    /// `"0,30,60,90"` (spaces allowed around the commas).
    pub fn parse(text: &str) -> Result<AgingBuckets, AgingBucketsError> {
        let bounds = text
            .split(',')
            .map(|p| {
                let p = p.trim();
                p.parse::<i64>().map_err(|_| AgingBucketsError::NotANumber { text: p.to_string() })
            })
            .collect::<Result<Vec<_>, _>>()?;
        AgingBuckets::new(bounds)
    }

    pub fn bounds(&self) -> &[i64] {
        &self.bounds
    }

    /// `"0,30,60,90"`, what [`AgingBuckets::parse`] reads and the settings store.
    pub fn code(&self) -> String {
        self.bounds.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(",")
    }

    /// The number of buckets (bounds + 1).
    pub fn len(&self) -> usize {
        self.bounds.len() + 1
    }

    /// Never empty (there is always the current bucket and the last one).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The bucket of an item `days` old (negative: not yet due).
    pub fn bucket_of(&self, days: i64) -> usize {
        self.bounds.iter().position(|&b| days <= b).unwrap_or(self.bounds.len())
    }

    /// For each bound `b`, the date `as_of − b`: an item dated on or after `cutoffs[k]` is in bucket
    /// `k` or before it. The SQL `CASE` of the report is built from these.
    pub fn cutoffs(&self, as_of: Date) -> Vec<Date> {
        self.bounds.iter().map(|&b| as_of.add_days(-b)).collect()
    }

    /// Stable keys of the buckets: `current`, `1_30`, `31_60`, `61_90`, `over_90`.
    pub fn keys(&self) -> Vec<String> {
        (0..self.len()).map(|k| self.key(k)).collect()
    }

    pub fn key(&self, k: usize) -> String {
        if k == 0 {
            "current".to_string()
        } else if k < self.bounds.len() {
            format!("{}_{}", self.bounds[k - 1] + 1, self.bounds[k])
        } else {
            format!("over_{}", self.bounds[self.bounds.len() - 1])
        }
    }

    /// The day range of bucket `k` as `(from, to)`: `from` = `None` for the current bucket (any
    /// item not yet due), `to` = `None` for the last one.
    pub fn range(&self, k: usize) -> (Option<i64>, Option<i64>) {
        if k == 0 {
            (None, Some(self.bounds[0]))
        } else if k < self.bounds.len() {
            (Some(self.bounds[k - 1] + 1), Some(self.bounds[k]))
        } else {
            (Some(self.bounds[self.bounds.len() - 1] + 1), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn default_buckets_at_their_boundaries() {
        let b = AgingBuckets::default();
        let cases = [(-5, 0), (0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4), (4000, 4)];
        for (days, bucket) in cases {
            assert_eq!(b.bucket_of(days), bucket, "{days} days");
        }
        assert_eq!(b.keys(), ["current", "1_30", "31_60", "61_90", "over_90"]);
        assert_eq!(b.code(), "0,30,60,90");
        assert_eq!(b.range(0), (None, Some(0)));
        assert_eq!(b.range(4), (Some(91), None));
    }

    #[test]
    fn a_company_s_own_buckets() {
        let b = AgingBuckets::parse("0, 15,45").unwrap();
        assert_eq!(b.keys(), ["current", "1_15", "16_45", "over_45"]);
        assert_eq!(b.bucket_of(15), 1);
        assert_eq!(b.bucket_of(16), 2);
        assert_eq!(b.bucket_of(46), 3);
        assert_eq!(AgingBuckets::parse("0").unwrap().keys(), ["current", "over_0"]);
    }

    #[test]
    fn bad_bucket_lists_are_refused_with_the_reason() {
        assert_eq!(AgingBuckets::parse("0,30,x"), Err(AgingBucketsError::NotANumber { text: "x".into() }));
        assert_eq!(AgingBuckets::parse("5,30"), Err(AgingBucketsError::FirstNotZero { first: 5 }));
        assert_eq!(AgingBuckets::parse("0,60,30"), Err(AgingBucketsError::NotIncreasing { previous: 60, bound: 30 }));
        assert_eq!(AgingBuckets::parse("0,30,30"), Err(AgingBucketsError::NotIncreasing { previous: 30, bound: 30 }));
        assert_eq!(AgingBuckets::parse("0,5000"), Err(AgingBucketsError::TooLarge { bound: 5000 }));
        assert_eq!(AgingBuckets::parse(""), Err(AgingBucketsError::NotANumber { text: String::new() }));
        assert_eq!(AgingBuckets::new(vec![]), Err(AgingBucketsError::Count { count: 0 }));
        assert!(AgingBuckets::new((0..13).collect()).is_err());
        assert_eq!(AgingBasis::parse("document_date"), Some(AgingBasis::DocumentDate));
        assert_eq!(AgingBasis::parse("x"), None);
    }

    proptest! {
        /// The date comparison the SQL makes (`date ≥ cutoff`) puts every item in the bucket
        /// `bucket_of` gives for its age.
        #[test]
        fn cutoffs_agree_with_bucket_of(age in -400i64..400, extra in proptest::collection::vec(1i64..60, 0..6)) {
            let mut bounds = vec![0];
            for e in extra {
                let last = *bounds.last().unwrap();
                bounds.push(last + e);
            }
            let b = AgingBuckets::new(bounds).unwrap();
            let as_of = Date::from_ymd(2026, 6, 30).unwrap();
            let date = as_of.add_days(-age);
            let by_cutoff = b.cutoffs(as_of).iter().position(|c| date >= *c).unwrap_or(b.len() - 1);
            prop_assert_eq!(by_cutoff, b.bucket_of(age));
        }
    }
}
