//! Why the dunning use cases refuse (SPEC §4.6, §4.7): one enum per family of operations, variants in
//! the order they are checked (the first that applies is given), each naming the proposal, letter,
//! item or table, its state and what would be accepted, each with its [`Code`]. All answer 409: the
//! request conflicts with the state of the proposal, letter or settings now.

use creance_core::dunning::{ItemStatus, LetterStatus, RunStatus};
use creance_core::Date;

use crate::{AppError, Code};

/// What was asked of a proposal that must be a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunAction {
    Recompute,
    Delete,
    Issue,
    Edit,
}

impl RunAction {
    /// The end of "only a draft …".
    fn only_a_draft(self) -> &'static str {
        match self {
            RunAction::Recompute => "is recomputed",
            RunAction::Delete => "can be deleted",
            RunAction::Issue => "is issued",
            RunAction::Edit => "can be edited",
        }
    }
}

/// Why proposing, recomputing, deleting, issuing or editing a proposal (or one of its letters), or
/// withdrawing an issued letter, is refused, in order of precedence.
///
/// Proposing: `InterestRateMissing` while charging. Recompute, delete: `RunNotDraft` (recompute then
/// charges again). Issue: `RunNotDraft`, `AsOfAfterToday`, then `InterestRateMissing` while charging.
/// The edits of a draft letter: `RunNotDraft`, then the edit's own (`LetterNotRemovable`;
/// `LetterNotRemoved`, `LetterItemsInOtherDraft`; `ItemNotInStatus`, `ItemInOtherDraft`), then
/// `InterestRateMissing` while charging again. Withdrawing: `LetterNotIssued`, `DunnedAgainSince`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DunningRejection {
    /// The proposal is `status`; only a draft is recomputed, deleted, issued or edited.
    RunNotDraft { run_id: i64, status: RunStatus, action: RunAction },
    /// Issuing a proposal dated after today; accepted from its as-of date on.
    AsOfAfterToday { run_id: i64, as_of: Date, today: Date },
    /// Removing a letter that is `status` (only a draft or left-out letter is removed).
    LetterNotRemovable { letter_id: i64, status: LetterStatus },
    /// Putting back a letter that is `status`, not removed.
    LetterNotRemoved { letter_id: i64, status: LetterStatus },
    /// Putting back a letter some of whose installments (`references`) another draft holds now.
    LetterItemsInOtherDraft { references: Vec<String> },
    /// Removing an item that is not active, or putting back one that is not removed (`expected`).
    ItemNotInStatus { item_id: i64, reference: String, status: ItemStatus, expected: ItemStatus },
    /// Putting back an item whose installment another draft holds now.
    ItemInOtherDraft { reference: String },
    /// Withdrawing a letter (`letter`: its number, or its id while it has none) that is `status`, not
    /// issued.
    LetterNotIssued { letter: String, status: LetterStatus },
    /// Withdrawing a letter whose installments (`later`, with the later letters) were dunned again
    /// since; accepted once the later letter is withdrawn.
    DunnedAgainSince { number: String, later: Vec<String> },
    /// Charging interest: the rate table `table` has no rate for `day`, a day interest runs on;
    /// accepted once the rate for that period is added.
    InterestRateMissing { table: String, day: Date },
}

impl DunningRejection {
    pub fn code(&self) -> Code {
        match self {
            DunningRejection::RunNotDraft { .. } => Code::DunningRunNotDraft,
            DunningRejection::AsOfAfterToday { .. } => Code::DunningRunDatedAfterToday,
            DunningRejection::LetterNotRemovable { .. } => Code::DunningLetterNotRemovable,
            DunningRejection::LetterNotRemoved { .. } => Code::DunningLetterNotRemoved,
            DunningRejection::LetterItemsInOtherDraft { .. } | DunningRejection::ItemInOtherDraft { .. } => {
                Code::HeldByOtherDraft
            }
            DunningRejection::ItemNotInStatus { expected: ItemStatus::Removed, .. } => Code::DunningItemNotRemoved,
            DunningRejection::ItemNotInStatus { .. } => Code::DunningItemNotActive,
            DunningRejection::LetterNotIssued { .. } => Code::DunningLetterNotIssued,
            DunningRejection::DunnedAgainSince { .. } => Code::DunningLetterDunnedAgainSince,
            DunningRejection::InterestRateMissing { .. } => Code::InterestRateMissing,
        }
    }
}

impl std::fmt::Display for DunningRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DunningRejection::RunNotDraft { run_id, status, action } => {
                write!(f, "proposal {run_id} is {status}; only a draft {}", action.only_a_draft())
            }
            DunningRejection::AsOfAfterToday { run_id, as_of, today } => {
                write!(f, "proposal {run_id} is as of {as_of}, after today ({today}); it can be issued from that date")
            }
            DunningRejection::LetterNotRemovable { letter_id, status } => {
                write!(f, "letter {letter_id} is {status}, it cannot be removed")
            }
            DunningRejection::LetterNotRemoved { letter_id, status } => {
                write!(f, "letter {letter_id} is {status}, not removed")
            }
            DunningRejection::LetterItemsInOtherDraft { references } => {
                write!(f, "{} are in another draft proposal now", references.join(", "))
            }
            DunningRejection::ItemNotInStatus { item_id, reference, status, expected } => {
                write!(f, "item {item_id} ({reference}) is {status}, not {expected}")
            }
            DunningRejection::ItemInOtherDraft { reference } => {
                write!(f, "{reference} is in another draft proposal now")
            }
            DunningRejection::LetterNotIssued { letter, status } => {
                write!(f, "letter {letter} is {status}; only an issued letter is withdrawn")
            }
            DunningRejection::DunnedAgainSince { number, later } => write!(
                f,
                "{} of letter {number} were dunned again since ({}); withdraw the later letter first",
                if later.len() == 1 { "an installment" } else { "installments" },
                later.join(", ")
            ),
            DunningRejection::InterestRateMissing { table, day } => {
                write!(
                    f,
                    "interest table {table}: no interest rate is defined for {day}; add the rate for that period first"
                )
            }
        }
    }
}

impl From<DunningRejection> for AppError {
    fn from(r: DunningRejection) -> AppError {
        AppError::rejected_said(r.code(), r)
    }
}

/// Why recording a reminder made outside Créance is refused (after its fields are checked, 422).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalReminderRejection {
    /// The installment (`number`: its document number and installment) is in a draft proposal;
    /// accepted once removed there or the proposal deleted.
    InDraftProposal { number: String },
}

impl ExternalReminderRejection {
    pub fn code(&self) -> Code {
        match self {
            ExternalReminderRejection::InDraftProposal { .. } => Code::HeldByOtherDraft,
        }
    }
}

impl std::fmt::Display for ExternalReminderRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExternalReminderRejection::InDraftProposal { number } => {
                write!(f, "{number} is in a draft proposal; remove it there or delete the proposal first")
            }
        }
    }
}

impl From<ExternalReminderRejection> for AppError {
    fn from(r: ExternalReminderRejection) -> AppError {
        AppError::rejected_said(r.code(), r)
    }
}

/// Why a change of the dunning settings is refused (after its fields are checked, 422).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DunningSettingsRejection {
    /// Creating an interest table whose code `code` exists already; accepted as rates added to it.
    InterestTableExists { code: String },
}

impl DunningSettingsRejection {
    pub fn code(&self) -> Code {
        match self {
            DunningSettingsRejection::InterestTableExists { .. } => Code::Duplicate,
        }
    }
}

impl std::fmt::Display for DunningSettingsRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DunningSettingsRejection::InterestTableExists { code } => {
                write!(f, "an interest table {code} exists already; add rates to it")
            }
        }
    }
}

impl From<DunningSettingsRejection> for AppError {
    fn from(r: DunningSettingsRejection) -> AppError {
        AppError::rejected_said(r.code(), r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_not_draft_says_what_only_a_draft_may_do() {
        let r = DunningRejection::RunNotDraft { run_id: 3, status: RunStatus::Issued, action: RunAction::Edit };
        assert_eq!(r.code(), Code::DunningRunNotDraft);
        assert_eq!(r.to_string(), "proposal 3 is issued; only a draft can be edited");
        let item = DunningRejection::ItemNotInStatus {
            item_id: 9,
            reference: "F-1/1".into(),
            status: ItemStatus::Active,
            expected: ItemStatus::Removed,
        };
        assert_eq!(item.code(), Code::DunningItemNotRemoved);
    }
}
