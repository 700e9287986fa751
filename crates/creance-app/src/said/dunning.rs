//! [`DunningFault`]: what is wrong with a field of the dunning use cases (SPEC §4.6, §4.7): a
//! policy and its levels, an interest table, a proposal's criteria, an edit of a draft letter, an
//! external reminder, printing and resending letters.

use creance_core::dunning::{DeliveryStatus, ItemKind, LetterChannel, RunStatus};
use creance_core::Date;

/// What is wrong with a field of the dunning use cases, in the order each use case checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DunningFault {
    /// A policy or interest table code with other characters than letters, digits, '-' and '_'.
    CodeChars { code: String },
    /// A policy without a level.
    NoLevel,
    /// A policy's levels not numbered 1, 2, 3… (`found` at `position`, counted from 1).
    LevelOutOfOrder { found: i64, position: usize },
    /// A level's delay outside 0–3650 days, an interest table's grace outside 0–365 days.
    DaysOutOfRange { days: i64, max: i64 },
    /// A percentage fee's maximum below its minimum.
    FeeMaxBelowMin,
    /// A fee percentage outside 0–100.
    PercentNotBetween { text: String },
    /// A letter text for a level the policy does not have.
    NoTextLevel { level: i64 },
    /// Not a language letters are written in.
    NotATextLanguage { text: String },
    /// An interest rate outside −100 % to 100 % a year.
    NotAYearlyPercentage { text: String },
    /// An interest table's indemnity below zero.
    IndemnityNegative,
    /// An interest table without a rate period.
    RatesMissing,
    /// No preset with that code (`known`: the presets).
    NoPreset { code: String, known: Vec<String> },
    /// No policy with that code.
    NoPolicy { code: String },
    /// No policy with that code (`known`: the company's policies).
    NoPolicyOf { code: String, known: Vec<String> },
    /// A policy code the company has already.
    PolicyCodeTaken { code: String },
    /// A customer's dunning comment longer than it takes.
    CommentTooLong { chars: usize, max: usize },
    /// A block of no installment.
    InstallmentsMissing,
    /// A level below 1.
    LevelBelowOne { level: i64 },
    /// A proposal's customer range whose end comes before its start.
    CustomerRangeReversed { from: String, to: String },
    /// A number of days overdue outside 0–36500.
    DaysOverdueOutOfRange { days: i64 },
    /// A maximum of days overdue below the minimum.
    DaysOverdueMaxBelowMin { min: i64, max: i64 },
    /// An external reminder without its date.
    DateRequired,
    /// An external reminder dated after today.
    DateInFuture { date: Date },
    /// An external reminder naming no installment, or both an installment and a document.
    InstallmentOrDocument,
    /// No invoice with that number.
    NoInvoice { number: String },
    /// An invoice with nothing open.
    NothingOpen { number: String },
    /// An external reminder on a credit note.
    IsACreditNote { number: String },
    /// A level beyond the policy's last.
    PolicyLevels { policy: String, levels: i64 },
    /// A level below the installment's (`number`) level now.
    LevelNeverDown { number: String, level: i64 },
    /// A level that skips one, on a policy that does not allow it.
    SkipNotAllowed { level: i64, number: String, at: i64, policy: String },
    /// A level that skips one, not confirmed with force and a reason.
    SkipNotConfirmed { level: i64, number: String, at: i64 },
    /// An external reminder dated on or before the installment's due date.
    DateNotAfterDue { date: Date, number: String, due: Date },
    /// A letter item listed for information, not dunned.
    ItemForInformation { item_id: i64, kind: ItemKind },
    /// A letter's level beyond its policy's levels.
    NotAPolicyLevel { level: i64, policy: String, max: i64 },
    /// A letter's level that skips one for some installments (`skips`: reference, level before, level
    /// after), on a policy that does not allow it.
    LetterSkipNotAllowed { level: i64, skips: Vec<(String, i64, i64)>, policy: String },
    /// A letter's level that skips one for some installments, not confirmed.
    LetterSkipNotConfirmed { level: i64, skips: Vec<(String, i64, i64)> },
    /// Withdrawing a letter without saying why.
    WithdrawReasonMissing,
    /// Printing more letters than one PDF holds.
    TooManyLetters { count: usize, max: usize },
    /// Printing the letters of a proposal that is not issued.
    RunNotIssued { run_id: i64, status: RunStatus },
    /// Resending a delivery that is not a failed e-mail.
    DeliveryNotFailed { id: i64, letter: String, status: DeliveryStatus, channel: LetterChannel },
    /// Resending by e-mail to a payer who has no address any more.
    PayerHasNoEmail { payer: String, letter: String },
}

impl std::fmt::Display for DunningFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DunningFault::CodeChars { code } => write!(f, "{code:?}: use letters, digits, '-' and '_'"),
            DunningFault::NoLevel => f.write_str("a policy needs at least one level"),
            DunningFault::LevelOutOfOrder { found, position } => {
                write!(f, "levels are numbered 1, 2, 3, … in order; found {found} at position {position}")
            }
            DunningFault::DaysOutOfRange { days, max } => write!(f, "{days} is out of range 0 to {max}"),
            DunningFault::FeeMaxBelowMin => f.write_str("the maximum is below the minimum"),
            DunningFault::PercentNotBetween { text } => write!(f, "{text} is not between 0 and 100"),
            DunningFault::NoTextLevel { level } => write!(f, "the policy has no level {level}"),
            DunningFault::NotATextLanguage { text } => write!(f, "{text:?} is not fr, en or de"),
            DunningFault::NotAYearlyPercentage { text } => write!(f, "{text} is not a yearly percentage"),
            DunningFault::IndemnityNegative => f.write_str("is negative"),
            DunningFault::RatesMissing => f.write_str("give at least one rate period"),
            DunningFault::NoPreset { code, known } => {
                write!(f, "no preset {code:?}; the presets are {}", known.join(", "))
            }
            DunningFault::NoPolicy { code } => write!(f, "no policy {code:?}"),
            DunningFault::NoPolicyOf { code, known } => {
                write!(f, "no policy {code:?}; the policies are {}", known.join(", "))
            }
            DunningFault::PolicyCodeTaken { code } => write!(f, "{code:?} is already a policy of this company"),
            DunningFault::CommentTooLong { chars, max } => write!(f, "{chars} characters; at most {max}"),
            DunningFault::InstallmentsMissing => f.write_str("give at least one installment"),
            DunningFault::LevelBelowOne { level } => write!(f, "{level} is not a level; levels start at 1"),
            DunningFault::CustomerRangeReversed { from, to } => {
                write!(f, "{to:?} comes before customer_from {from:?}")
            }
            DunningFault::DaysOverdueOutOfRange { days } => {
                write!(f, "{days} is not a number of days from 0 to 36500")
            }
            DunningFault::DaysOverdueMaxBelowMin { min, max } => {
                write!(f, "{max} is less than days_overdue_min {min}")
            }
            DunningFault::DateRequired => f.write_str("a date is required"),
            DunningFault::DateInFuture { date } => write!(f, "{date} is in the future"),
            DunningFault::InstallmentOrDocument => f.write_str("give either installment_id or document_number"),
            DunningFault::NoInvoice { number } => write!(f, "no invoice {number:?} in this company"),
            DunningFault::NothingOpen { number } => write!(f, "{number} has nothing open"),
            DunningFault::IsACreditNote { number } => write!(f, "{number} is a credit note; only debits are dunned"),
            DunningFault::PolicyLevels { policy, levels } => write!(f, "policy {policy} has {levels} levels"),
            DunningFault::LevelNeverDown { number, level } => {
                write!(f, "{number} is already at level {level}; a level never goes down (withdraw the letter instead)")
            }
            DunningFault::SkipNotAllowed { level, number, at, policy } => write!(
                f,
                "level {level} on {number} skips a level: it is at level {at}, and policy {policy} does not allow \
                 skipping"
            ),
            DunningFault::SkipNotConfirmed { level, number, at } => write!(
                f,
                "level {level} on {number} skips a level: it is at level {at}; confirm with force and a reason"
            ),
            DunningFault::DateNotAfterDue { date, number, due } => {
                write!(f, "{date} is not after {number}'s due date {due}")
            }
            DunningFault::ItemForInformation { item_id, kind } => {
                write!(f, "item {item_id} is listed for information ({kind}), not dunned")
            }
            DunningFault::NotAPolicyLevel { level, policy, max } => {
                write!(f, "{level} is not a level of policy {policy}; give 1 to {max}")
            }
            DunningFault::LetterSkipNotAllowed { level, skips, policy } => write!(
                f,
                "level {level} would skip a level for {}; policy {policy} does not allow skipping",
                skips_en(skips)
            ),
            DunningFault::LetterSkipNotConfirmed { level, skips } => {
                write!(f, "level {level} skips a level for {}; confirm with force and a reason", skips_en(skips))
            }
            DunningFault::WithdrawReasonMissing => f.write_str("say why the letter is withdrawn"),
            DunningFault::TooManyLetters { count, max } => {
                write!(f, "{count} letters to print; at most {max} per PDF: choose a range of payers")
            }
            DunningFault::RunNotIssued { run_id, status } => {
                write!(f, "proposal {run_id} is {status}: only an issued proposal's letters are printed")
            }
            DunningFault::DeliveryNotFailed { id, letter, status, channel } => write!(
                f,
                "delivery {id} (letter {letter}) is {status} by {channel}; only a failed e-mail delivery is resent"
            ),
            DunningFault::PayerHasNoEmail { payer, letter } => {
                write!(f, "payer {payer} has no e-mail address any more; print letter {letter} instead")
            }
        }
    }
}

fn skips_en(skips: &[(String, i64, i64)]) -> String {
    skips.iter().map(|(r, from, to)| format!("{r} (level {from} to {to})")).collect::<Vec<_>>().join(", ")
}
