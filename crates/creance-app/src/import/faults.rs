//! What is wrong with an imported row, as data: every [`RowError`](super::RowError) carries one, its
//! `reason` is the [`Display`](std::fmt::Display) (the English the CLI and the API send, word for
//! word), and the web import page words it in its user's language (`creance-server`'s
//! `web/import_words.rs`). A fault carries what its sentence names: the value, the limit, the number,
//! the first line; a fault that comes from the core (an amount, a date, a payment term, a text too
//! long) carries the core's typed error.
//!
//! Variants are grouped by where they are found: reading the file, then each row's columns, then the
//! lookups against the database (customers, contracts, documents already imported).

use creance_core::text_limits::TextTooLong;
use creance_core::{Date, DateError, DocumentKind, Money, MoneyError, TermError};

use super::Entity;

/// A column a row must give, and did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    CustomerNumber,
    CustomerName,
    ContractNumber,
    /// The customer number of a contract.
    ContractCustomer,
    ContractStart,
    DocumentNumber,
    /// The customer number of a document.
    DocumentCustomer,
    DocumentDate,
    DocumentTotal,
    /// A due date on every row of a document given row by row.
    InstallmentDueDate,
    /// The amount of each installment of a document with several.
    InstallmentAmount,
    /// A document with neither due dates nor a payment term.
    DueDateOrTerm,
}

impl std::fmt::Display for Required {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Required::CustomerNumber => "a customer needs a number",
            Required::CustomerName => "a customer needs a name",
            Required::ContractNumber => "a contract needs a number",
            Required::ContractCustomer => "a contract needs a customer number",
            Required::ContractStart => "a contract needs a start date",
            Required::DocumentNumber => "a document needs a number",
            Required::DocumentCustomer => "a document needs a customer number",
            Required::DocumentDate => "a document needs a date",
            Required::DocumentTotal => "a document needs a total",
            Required::InstallmentDueDate => "every row of a document with installments needs a due date",
            Required::InstallmentAmount => "a document with several installments needs each amount",
            Required::DueDateOrTerm => "give a due_date (one row per installment) or a payment_term",
        })
    }
}

/// What numbers a row of the customers or contracts import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyed {
    Customer,
    Contract,
}

/// Why a row (or the whole file, line 0) is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportFault {
    // Reading the file.
    /// Nothing but white space.
    EmptyFile,
    /// A header line and no data rows.
    HeaderOnly,
    /// A quote opened and never closed (the line it opens on is the row's).
    QuoteNotClosed,
    /// The CSV reader's error on the header line (its text, the `csv` crate's).
    HeaderUnreadable { detail: String },
    /// A header (1-based) that is not UTF-8.
    HeaderNotUtf8 { index: usize },
    /// A column named twice (by two of its aliases, perhaps).
    ColumnTwice { column: &'static str },
    /// A CSV header that is no column of `entity`.
    UnknownColumn { name: String, entity: Entity },
    /// A JSON field that is no column of `entity`.
    UnknownField { name: String, entity: Entity },
    /// The CSV reader's error on a row (its text, the `csv` crate's).
    RowUnreadable { detail: String },
    /// More fields than the header has columns.
    TooManyFields { fields: usize, columns: usize },
    /// A control character other than tab and line breaks.
    ControlCharacter,
    /// A field that is not UTF-8.
    NotUtf8,
    /// A text longer than its column takes.
    TooLong(TextTooLong),
    /// A JSON body that is not an array.
    NotAnArray,
    /// An empty JSON array.
    EmptyArray,
    /// A JSON item that is not an object.
    NotAnObject,
    /// A document's `installments` that is not an array.
    InstallmentsNotAnArray,
    /// A JSON number written with an exponent (its text).
    Exponent { text: String },
    /// A JSON value that is an array or an object.
    NotAScalar,

    // A row's columns.
    /// A column the row must give.
    Missing(Required),
    /// A customer number longer than its column takes.
    NumberTooLong { number: String, max: usize },
    /// A customer or contract number on two rows of the file.
    NumberTwice { keyed: Keyed, number: String, first_line: usize },
    /// Not a language Créance writes letters in.
    NotALanguage { text: String },
    /// An amount or a currency that is not one (or too large, or too precise), or installments whose
    /// sum overflows.
    Money(MoneyError),
    /// A date that is not one.
    Date(DateError),
    /// Not a yes/no value (`text` as compared: trimmed, lower-cased).
    NotAFlag { text: String },
    /// Not an e-mail address, or a list of them.
    NotAnEmail { text: String },
    /// A contract ending before it starts.
    EndBeforeStart { end: Date, start: Date },
    /// Not a contract status.
    NotAStatus { text: String },
    /// Not a document kind an import creates.
    NotADocumentKind { text: String },
    /// A document's column (`value`) that differs on one of its later rows from its first row's
    /// (`first`, on `first_line`).
    DiffersFromFirst { value: String, first: String, number: String, first_line: usize },
    /// A negative total (`text`) for a kind other than a credit note.
    TotalNegative { text: String, kind: DocumentKind },
    /// A total of zero.
    TotalZero,
    /// A document of more installments than one takes.
    TooManyInstallments { number: String, count: usize, max: usize },
    /// A due date before its document's date.
    DueBeforeDate { due: Date, date: Date },
    /// An installment amount (`text`) of zero or less.
    InstallmentNotPositive { text: String },
    /// A payment term that is not one, or that cannot schedule the total.
    Term(TermError),
    /// Installments that do not sum to the document's total.
    InstallmentsSum { number: String, sum: Money, total: Money },
    /// A document's rows that do not follow each other (its first row on `first_line`).
    RowsApart { number: String, first_line: usize },

    // Against the database.
    /// A payer that is neither a customer of the company nor in the file.
    PayerUnknown { payer: String },
    /// Customers paying for each other in a ring (in order, without repeating the first).
    PayerCycle { cycle: Vec<String> },
    /// A customer number that is no customer of the company.
    CustomerUnknown { number: String },
    /// A contract number that is no contract of the company.
    ContractUnknown { number: String },
    /// A contract that is another customer's (`owner`'s) than the document's (`customer`).
    ContractOtherCustomer { contract: String, owner: String, customer: String },
    /// A document already imported, since allocated.
    HasAllocations { kind: DocumentKind, number: String },
    /// A document already imported, since dunned (at `level`).
    Dunned { kind: DocumentKind, number: String, level: i64 },
}

impl std::fmt::Display for ImportFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use ImportFault::*;
        match self {
            EmptyFile => f.write_str("the file is empty: nothing to import (expected a header line and data rows)"),
            HeaderOnly => f.write_str("the file has a header line but no data rows: nothing to import"),
            QuoteNotClosed => f.write_str(
                "a quote opened on this line is never closed, so every row after it would be read as one \
                 field; close the quote (write \"\" for a quote inside a quoted field)",
            ),
            HeaderUnreadable { detail } => write!(f, "cannot read the header line: {detail}"),
            HeaderNotUtf8 { index } => write!(f, "header {index} is not UTF-8; save the file as UTF-8"),
            ColumnTwice { column } => write!(f, "column {column} appears twice"),
            UnknownColumn { name, entity } => {
                write!(f, "unknown column {name:?}; the {} import accepts: {}", entity.name(), entity.column_names())
            }
            UnknownField { name, entity } => {
                write!(f, "unknown field {name:?}; the {} import accepts: {}", entity.name(), entity.column_names())
            }
            RowUnreadable { detail } => write!(f, "unreadable CSV row: {detail}"),
            TooManyFields { fields, columns } => write!(f, "{fields} fields but the header has {columns} columns"),
            ControlCharacter => {
                f.write_str("contains a control character; remove it (only tabs and line breaks are accepted)")
            }
            NotUtf8 => f.write_str("not UTF-8 text; save the file as UTF-8"),
            TooLong(e) => e.fmt(f),
            NotAnArray => f.write_str("the body must be a JSON array of objects"),
            EmptyArray => f.write_str("the JSON array is empty: nothing to import"),
            NotAnObject => f.write_str("each item must be a JSON object"),
            InstallmentsNotAnArray => {
                f.write_str("installments must be an array of {\"due_date\", \"amount\"} objects")
            }
            Exponent { text } => {
                write!(f, "{text} has an exponent; write the number in full, or as a string such as \"100.00\"")
            }
            NotAScalar => f.write_str("must be a string, a number or a boolean"),
            Missing(r) => r.fmt(f),
            NumberTooLong { number, max } => write!(f, "{number:?} is longer than {max} characters"),
            NumberTwice { keyed, number, first_line } => {
                let what = match keyed {
                    Keyed::Customer => "customer",
                    Keyed::Contract => "contract",
                };
                write!(f, "{what} {number} already appears on line {first_line}")
            }
            NotALanguage { text } => write!(f, "{text:?} is not a supported language; use fr, en, de or it"),
            Money(e) => e.fmt(f),
            Date(e) => write!(f, "{e}; write dates as YYYY-MM-DD or DD/MM/YYYY"),
            NotAFlag { text } => write!(f, "{text:?} is not a yes/no value; write yes or no (oui/non, 1/0)"),
            NotAnEmail { text } => write!(f, "{text:?} is not an e-mail address"),
            EndBeforeStart { end, start } => write!(f, "the end date {end} is before the start date {start}"),
            NotAStatus { text } => write!(f, "{text:?} is not a status; use active or ended"),
            NotADocumentKind { text } => write!(
                f,
                "{text:?} is not a document kind; use invoice, credit_note, fee_invoice, interest_invoice or \
                 opening_balance"
            ),
            DiffersFromFirst { value, first, number, first_line } => {
                write!(f, "{value:?} differs from {first:?} given for document {number} on line {first_line}")
            }
            TotalNegative { text, kind } => write!(f, "{text} is negative; a {} total is positive", kind.code()),
            TotalZero => f.write_str("a document total must be greater than zero"),
            TooManyInstallments { number, count, max } => {
                write!(f, "document {number} has {count} installments; at most {max}")
            }
            DueBeforeDate { due, date } => write!(f, "due date {due} is before the document date {date}"),
            InstallmentNotPositive { text } => write!(f, "{text} must be greater than zero"),
            Term(e) => e.fmt(f),
            InstallmentsSum { number, sum, total } => {
                write!(f, "the installments of {number} sum to {sum} but its total is {total}")
            }
            RowsApart { number, first_line } => {
                write!(f, "document {number} already appears on line {first_line}; its rows must follow each other")
            }
            PayerUnknown { payer } => write!(f, "payer {payer} is not a customer of this company nor in this file"),
            PayerCycle { cycle } => write!(
                f,
                "payer cycle {}: every chain of payers must end at a customer who pays for itself",
                cycle.join(" → ")
            ),
            CustomerUnknown { number } => write!(f, "customer {number} does not exist; import it first"),
            ContractUnknown { number } => write!(f, "contract {number} does not exist; import it first"),
            ContractOtherCustomer { contract, owner, customer } => {
                write!(f, "contract {contract} belongs to customer {owner}, not {customer}")
            }
            HasAllocations { kind, number } => write!(
                f,
                "{} {number} already has allocations and cannot be changed by an import; unallocate it or issue a \
                 credit note",
                kind.code()
            ),
            Dunned { kind, number, level } => {
                write!(f, "{} {number} has been dunned (level {level}) and cannot be changed by an import", kind.code())
            }
        }
    }
}

impl From<Required> for ImportFault {
    fn from(r: Required) -> ImportFault {
        ImportFault::Missing(r)
    }
}

impl From<MoneyError> for ImportFault {
    fn from(e: MoneyError) -> ImportFault {
        ImportFault::Money(e)
    }
}

impl From<DateError> for ImportFault {
    fn from(e: DateError) -> ImportFault {
        ImportFault::Date(e)
    }
}

impl From<TermError> for ImportFault {
    fn from(e: TermError) -> ImportFault {
        ImportFault::Term(e)
    }
}

impl From<TextTooLong> for ImportFault {
    fn from(e: TextTooLong) -> ImportFault {
        ImportFault::TooLong(e)
    }
}
