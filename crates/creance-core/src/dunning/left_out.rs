//! SPEC §4.6: why a payer's letter is left out of a proposal, as a code stored on the letter and in
//! the words the letter's views show.

use crate::Money;

/// Why a letter is left out. Stored as its code (`as_str`); the left-out rules apply in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOutReason {
    /// Every installment is blocked, not dunned or in another draft.
    NothingToDun,
    /// The payer's open items add up to more than an amount can hold.
    AmountTooLarge,
    /// Credit notes and unallocated payments cover the overdue total.
    CreditsCover,
    /// The balance due is at most the company's small-balance threshold (SPEC §4.8): never a letter
    /// for a few cents.
    SmallBalance,
    /// The balance due is under the policy's or the level's minimum.
    BelowMinimum,
    /// The late installments are at the last level of a policy whose last level does not repeat.
    LastLevelReached,
}

impl LeftOutReason {
    pub const ALL: [LeftOutReason; 6] = [
        LeftOutReason::NothingToDun,
        LeftOutReason::AmountTooLarge,
        LeftOutReason::CreditsCover,
        LeftOutReason::SmallBalance,
        LeftOutReason::BelowMinimum,
        LeftOutReason::LastLevelReached,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LeftOutReason::NothingToDun => "nothing_to_dun",
            LeftOutReason::AmountTooLarge => "amount_too_large",
            LeftOutReason::CreditsCover => "credits_cover",
            LeftOutReason::SmallBalance => "small_balance",
            LeftOutReason::BelowMinimum => "below_minimum",
            LeftOutReason::LastLevelReached => "last_level_reached",
        }
    }

    pub fn parse(code: &str) -> Option<LeftOutReason> {
        LeftOutReason::ALL.into_iter().find(|r| r.as_str() == code)
    }

    /// The reason in words, with the letter's overdue and credits totals.
    pub fn text(self, overdue: Money, credits: Money) -> String {
        match self {
            LeftOutReason::CreditsCover => {
                format!("credit notes and unallocated payments ({credits}) cover the overdue total ({overdue})")
            }
            LeftOutReason::SmallBalance => match overdue.checked_sub(credits) {
                Ok(balance) => {
                    format!("the balance due ({balance}) is a small balance, at most the company's threshold")
                }
                Err(_) => "the balance due is a small balance, at most the company's threshold".to_string(),
            },
            LeftOutReason::BelowMinimum => match overdue.checked_sub(credits) {
                Ok(balance) => format!(
                    "the balance due ({balance}: overdue {overdue} less credits {credits}) is under the minimum amount"
                ),
                Err(_) => "the balance due is under the minimum amount".to_string(),
            },
            LeftOutReason::NothingToDun => {
                "no installment can be dunned: each is blocked, not dunned or in another draft".into()
            }
            LeftOutReason::LastLevelReached => {
                "its late installments are at the policy's last level, which does not repeat: for legal follow-up"
                    .into()
            }
            LeftOutReason::AmountTooLarge => {
                "its open items add up to more than can be stored (about 4·10^18 minor units)".into()
            }
        }
    }
}

/// A letter's stored reason in words: a left-out code in words, anything else (a clerk's reason for
/// removing the letter) as written.
pub fn reason_text(reason: &str, overdue: Money, credits: Money) -> String {
    match LeftOutReason::parse(reason) {
        Some(r) => r.text(overdue, credits),
        None => reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    #[test]
    fn each_reason_reads_back_and_says_itself_in_words() {
        let eur = |m| Money::new(m, Currency::EUR);
        for r in LeftOutReason::ALL {
            assert_eq!(LeftOutReason::parse(r.as_str()), Some(r));
            assert!(!r.text(eur(100), eur(50)).is_empty());
        }
        assert_eq!(
            reason_text("below_minimum", eur(3_000), eur(1_000)),
            format!(
                "the balance due ({}: overdue {} less credits {}) is under the minimum amount",
                eur(2_000),
                eur(3_000),
                eur(1_000)
            )
        );
        assert_eq!(reason_text("customer asked for a call", eur(1), eur(0)), "customer asked for a call");
        assert_eq!(reason_text("", eur(1), eur(0)), "");
    }
}
