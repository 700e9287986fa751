//! SPEC §4.6 (the rules of a dunning policy that need no storage): when an installment may go to its
//! next level (`next_level`), what a level's fee is (`fee`), what a letter charges and owes
//! (`charges`), why a letter is left out (`left_out`), the placeholders of its texts and their
//! rendering (`placeholders`), the default texts (`texts`), and the statuses and kinds of runs,
//! letters, items and deliveries (`vocabulary`). The proposal, the letters and their storage build on
//! these; the store parses each stored word into these types once, where the row is read.

pub mod charges;
pub mod delivery;
mod fee;
pub mod left_out;
mod placeholders;
mod texts;
mod vocabulary;

pub use charges::{
    letter_charges, payment_deadline, total_due, ChargeError, ChargeTerms, DunnedItem, ItemCharges, LetterCharges,
    RateTable,
};
pub use fee::{Fee, FeeKind, FeeRule};
pub use left_out::{reason_text, LeftOutReason};
pub use placeholders::*;
pub use texts::*;
pub use vocabulary::*;

use crate::Date;

/// One level of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// 1, 2, 3, …
    pub number: i64,
    /// Days after the due date (level 1) or after the previous level's date (the others).
    pub delay_days: i64,
    pub fee: FeeRule,
    /// Late interest is charged with this level.
    pub interest: bool,
    /// The fixed recovery indemnity (40 EUR in France and Germany) is charged with this level.
    pub indemnity: bool,
}

/// The default policy (SPEC §4.6, seed 001): the day after the due date, then 15 days after level 1,
/// then 15 days after level 2; no fee, no interest.
pub fn default_levels() -> Vec<Level> {
    [(1, 1), (2, 15), (3, 15)]
        .into_iter()
        .map(|(number, delay_days)| Level { number, delay_days, fee: FeeRule::None, interest: false, indemnity: false })
        .collect()
}

/// The level an installment may be dunned at on `as_of`, if any. Levels are never skipped: the next
/// level is `current + 1`, reached `delay_days` after the due date (level 1) or after the date of the
/// current level. `None` when the last level is reached or the delay has not passed.
pub fn next_level(
    levels: &[Level],
    current: i64,
    due_date: Date,
    last_dunned: Option<Date>,
    as_of: Date,
) -> Option<i64> {
    let next = levels.iter().find(|l| l.number == current + 1)?;
    let since = if current == 0 { due_date } else { last_dunned.unwrap_or(due_date) };
    (as_of >= since.add_days(next.delay_days)).then_some(next.number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_default_policy_duns_the_day_after_the_due_date_then_every_15_days() {
        let levels = default_levels();
        let due = d("2026-03-31");
        assert_eq!(next_level(&levels, 0, due, None, d("2026-03-31")), None, "not on the due date");
        assert_eq!(next_level(&levels, 0, due, None, d("2026-04-01")), Some(1));
        assert_eq!(next_level(&levels, 1, due, Some(d("2026-04-01")), d("2026-04-15")), None, "14 days after level 1");
        assert_eq!(next_level(&levels, 1, due, Some(d("2026-04-01")), d("2026-04-16")), Some(2));
        assert_eq!(next_level(&levels, 2, due, Some(d("2026-04-16")), d("2026-05-01")), Some(3));
        assert_eq!(
            next_level(&levels, 3, due, Some(d("2026-05-01")), d("2026-12-31")),
            None,
            "no level after the last"
        );
    }

    #[test]
    fn no_level_is_skipped_however_late() {
        let levels = default_levels();
        assert_eq!(next_level(&levels, 0, d("2025-01-31"), None, d("2026-11-23")), Some(1));
    }

    use proptest::prelude::*;

    proptest! {
        /// Whatever the delays, the dates and the current level, the level an installment may reach
        /// next is the one after its current level, or none: never a skipped one.
        #[test]
        fn no_level_is_ever_skipped(
            delays in prop::collection::vec(0i64..60, 1..6),
            current in 0i64..7,
            due in 0i32..1_000,
            since in prop::option::of(0i64..400),
            later in 0i64..2_000,
        ) {
            let levels: Vec<Level> = delays
                .iter()
                .enumerate()
                .map(|(i, &delay_days)| Level {
                    number: i as i64 + 1,
                    delay_days,
                    fee: FeeRule::None,
                    interest: false,
                    indemnity: false,
                })
                .collect();
            let due = Date::from_days_since_epoch(19_000 + due);
            let last = since.map(|s| due.add_days(s));
            let as_of = due.add_days(later);
            match next_level(&levels, current, due, last, as_of) {
                None => {}
                Some(n) => prop_assert_eq!(n, current + 1),
            }
        }
    }
}
