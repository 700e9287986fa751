//! What a database error means, when the schema says so. The store — and only the store — reads the
//! engine's error: a lost race by its SQLSTATE or SQLite result code, a violated constraint by the name
//! the migrations give it (PostgreSQL's `constraint()`), or, on SQLite, which reports no constraint
//! name for an unnamed constraint, by the constraint text SQLite documents in its message
//! (`CHECK constraint failed: <expression>`, `UNIQUE constraint failed: <table>.<column>, …`). The
//! app turns a [`DbRejection`] into its answer; it never reads a database message itself.
//!
//! The constraints mapped here are the last guards behind rules the app checks first under lock
//! ([`KNOWN`]); tripping one means another transaction got there first, or the app let something
//! through — either way nothing was changed. Any other database error is an infrastructure failure.

/// A database refusal that means something to the caller, in order of precedence (a lost race is
/// given before whatever constraint the losing statement also hit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbRejection {
    /// Another transaction changed the same rows: PostgreSQL serialization failure (`40001`) or
    /// deadlock (`40P01`), SQLite busy or locked (`5`, `6` and their extended codes) after the busy
    /// timeout. The whole transaction may be retried.
    LostRace,
    /// A CHECK on an open amount tripped (`installments_amount_open_check`,
    /// `payments_amount_open_check`, `refunds_amount_open_check`): the change would allocate more than
    /// is open, or give back more than the total.
    OverAllocation,
    /// `dunning_holds_one_draft`: another draft dunning proposal holds one of the installments. It is
    /// a race lost against a concurrent proposal: a retry reads that draft and leaves them out.
    HeldByOtherDraft,
    /// `allocations_reversal`, `refund_allocations_reversal`: the allocation has its reversal already.
    AlreadyReversed,
    /// A UNIQUE on a company's number or name: `entity` already has one with that `field`.
    Duplicate { entity: &'static str, field: &'static str },
}

impl DbRejection {
    /// The stable machine code of the refusal (the API's problem `code`).
    pub fn code(self) -> &'static str {
        match self {
            DbRejection::LostRace => "lost_race",
            DbRejection::OverAllocation => "over_allocation",
            DbRejection::HeldByOtherDraft => "held_by_other_draft",
            DbRejection::AlreadyReversed => "already_reversed",
            DbRejection::Duplicate { .. } => "duplicate",
        }
    }

    /// Whether running the whole transaction again may succeed.
    pub fn is_lost_race(self) -> bool {
        matches!(self, DbRejection::LostRace | DbRejection::HeldByOtherDraft)
    }
}

impl std::fmt::Display for DbRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbRejection::LostRace => write!(f, "another transaction changed the same rows; try again"),
            DbRejection::OverAllocation => {
                write!(f, "the change would allocate more than is open; nothing was changed")
            }
            DbRejection::HeldByOtherDraft => {
                write!(f, "another draft dunning proposal holds some of these installments; nothing was changed")
            }
            DbRejection::AlreadyReversed => {
                write!(f, "the allocation was already reversed by another request; nothing was changed")
            }
            DbRejection::Duplicate { entity, field } => {
                write!(f, "a {entity} with this {field} already exists; nothing was changed")
            }
        }
    }
}

/// A constraint of the migrations the store maps to a refusal: its PostgreSQL name, what SQLite
/// reports for it (after `CHECK constraint failed: ` or `UNIQUE constraint failed: `), and its meaning.
pub struct Known {
    pub name: &'static str,
    pub sqlite: &'static str,
    pub means: DbRejection,
}

/// Every constraint that maps to a refusal. Two SQLite texts may be the same for two tables (an
/// unnamed CHECK reports only its expression); they then mean the same.
pub const KNOWN: &[Known] = &[
    Known {
        name: "installments_amount_open_check",
        sqlite: "amount_open >= 0 AND amount_open <= amount",
        means: DbRejection::OverAllocation,
    },
    Known {
        name: "refunds_amount_open_check",
        sqlite: "amount_open >= 0 AND amount_open <= amount",
        means: DbRejection::OverAllocation,
    },
    Known { name: "payments_amount_open_check", sqlite: "amount_open >= 0", means: DbRejection::OverAllocation },
    Known {
        name: "dunning_holds_one_draft",
        sqlite: "dunning_holds.installment_id",
        means: DbRejection::HeldByOtherDraft,
    },
    Known { name: "allocations_reversal", sqlite: "allocations.reverses_id", means: DbRejection::AlreadyReversed },
    Known {
        name: "refund_allocations_reversal",
        sqlite: "refund_allocations.reverses_id",
        means: DbRejection::AlreadyReversed,
    },
    Known {
        name: "payments_company_id_number_key",
        sqlite: "payments.company_id, payments.number",
        means: DbRejection::Duplicate { entity: "payment", field: "number" },
    },
    Known {
        name: "refunds_company_id_number_key",
        sqlite: "refunds.company_id, refunds.number",
        means: DbRejection::Duplicate { entity: "refund", field: "number" },
    },
    Known {
        name: "bank_accounts_company_id_name_key",
        sqlite: "bank_accounts.company_id, bank_accounts.name",
        means: DbRejection::Duplicate { entity: "bank account", field: "name" },
    },
    Known {
        name: "users_email_unique",
        sqlite: "users.email",
        means: DbRejection::Duplicate { entity: "user", field: "email" },
    },
];

/// The refusal behind an error, looking through its whole `anyhow` chain for a database error.
pub fn classify(e: &anyhow::Error) -> Option<DbRejection> {
    if e.chain().any(|c| c.downcast_ref::<RowsChanged>().is_some()) {
        return Some(DbRejection::LostRace);
    }
    e.chain().find_map(|c| c.downcast_ref::<sqlx::Error>()).and_then(classify_sqlx)
}

/// Rows read without a lock were changed by another transaction before they could be written
/// ([`crate::allocations::adjust_if_unchanged`]): a lost race, as a serialization failure is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowsChanged {
    pub table: &'static str,
    pub expected: u64,
    pub found: u64,
}

impl std::fmt::Display for RowsChanged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} {} rows were as read: another transaction changed the others",
            self.found, self.expected, self.table
        )
    }
}

impl std::error::Error for RowsChanged {}

/// The refusal a sqlx error stands for, if it is one.
pub fn classify_sqlx(e: &sqlx::Error) -> Option<DbRejection> {
    let db = e.as_database_error()?;
    classify_parts(db.code().as_deref(), db.constraint(), db.message())
}

/// The classification itself, over the parts of a database error: its code (a SQLSTATE on PostgreSQL,
/// the extended result code on SQLite), the constraint PostgreSQL names, and the message (read only
/// for SQLite's constraint text).
pub fn classify_parts(code: Option<&str>, constraint: Option<&str>, message: &str) -> Option<DbRejection> {
    let code = code?;
    if code.len() == 5 {
        // A PostgreSQL SQLSTATE (always five characters; SQLite's extended codes have at most four digits).
        return match code {
            "40001" | "40P01" => Some(DbRejection::LostRace),
            "23514" | "23505" => known_by_name(constraint?),
            _ => None,
        };
    }
    // A SQLite extended result code: the primary code is its low byte.
    let extended: i64 = code.parse().ok()?;
    match extended & 0xff {
        5 | 6 => Some(DbRejection::LostRace),
        19 => {
            let text = message
                .strip_prefix("CHECK constraint failed: ")
                .or_else(|| message.strip_prefix("UNIQUE constraint failed: "))?;
            KNOWN.iter().find(|k| k.sqlite == text || k.name == text).map(|k| k.means)
        }
        _ => None,
    }
}

fn known_by_name(name: &str) -> Option<DbRejection> {
    KNOWN.iter().find(|k| k.name == name).map(|k| k.means)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_errors_are_read_by_sqlstate_and_constraint_name() {
        assert_eq!(classify_parts(Some("40001"), None, "could not serialize access"), Some(DbRejection::LostRace));
        assert_eq!(classify_parts(Some("40P01"), None, "deadlock detected"), Some(DbRejection::LostRace));
        assert_eq!(
            classify_parts(Some("23514"), Some("installments_amount_open_check"), "new row violates …"),
            Some(DbRejection::OverAllocation)
        );
        assert_eq!(
            classify_parts(Some("23505"), Some("dunning_holds_one_draft"), "duplicate key value"),
            Some(DbRejection::HeldByOtherDraft)
        );
        // The message is never read on PostgreSQL; an unknown constraint is no refusal.
        assert_eq!(classify_parts(Some("23514"), Some("documents_total_check"), "amount_open"), None);
        assert_eq!(classify_parts(Some("23505"), None, "dunning_holds_one_draft"), None);
        assert_eq!(classify_parts(Some("42P01"), None, "relation does not exist"), None);
    }

    #[test]
    fn sqlite_errors_are_read_by_result_code_and_constraint_text() {
        assert_eq!(classify_parts(Some("5"), None, "database is locked"), Some(DbRejection::LostRace));
        assert_eq!(classify_parts(Some("517"), None, "database is locked"), Some(DbRejection::LostRace));
        assert_eq!(classify_parts(Some("6"), None, "database table is locked"), Some(DbRejection::LostRace));
        assert_eq!(
            classify_parts(Some("275"), None, "CHECK constraint failed: amount_open >= 0 AND amount_open <= amount"),
            Some(DbRejection::OverAllocation)
        );
        assert_eq!(
            classify_parts(Some("275"), None, "CHECK constraint failed: amount_open >= 0"),
            Some(DbRejection::OverAllocation)
        );
        assert_eq!(
            classify_parts(Some("2067"), None, "UNIQUE constraint failed: dunning_holds.installment_id"),
            Some(DbRejection::HeldByOtherDraft)
        );
        assert_eq!(
            classify_parts(Some("2067"), None, "UNIQUE constraint failed: payments.company_id, payments.number"),
            Some(DbRejection::Duplicate { entity: "payment", field: "number" })
        );
        // Another CHECK (a programmer error) is no refusal.
        assert_eq!(classify_parts(Some("275"), None, "CHECK constraint failed: total >= 0"), None);
        assert_eq!(classify_parts(Some("1"), None, "no such table: x"), None);
        assert_eq!(classify_parts(None, None, "CHECK constraint failed: amount_open >= 0"), None);
    }
}
