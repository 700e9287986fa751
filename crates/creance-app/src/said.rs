//! What a refusal says, as data: the web UI words it in its user's language (French or English,
//! `creance-server`'s `web/refusal.rs`), the API sends its English [`Display`](std::fmt::Display).
//! An [`AppError`](crate::AppError) refusal carries one when the use case gave it ([`Said`]); a
//! refusal without one is shown in English everywhere.
//!
//! The families' typed rejections are carried as they are; [`Fault`] holds the field faults that
//! were sentences before (an unknown bank account, a text too long, a reason missing…).

use creance_core::{DateError, MoneyError};
pub use creance_store::error::DbRejection;

use crate::deposit_rejections::DepositRejection;
use crate::payment_rejections::{AllocationRejection, PaymentRejection};
use crate::refund_rejections::RefundRejection;

/// What a refusal says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Payment(PaymentRejection),
    Allocation(AllocationRejection),
    Refund(RefundRejection),
    Deposit(DepositRejection),
    Db(DbRejection),
    /// An amount that is not one (or too large, or with too many decimals).
    Money(MoneyError),
    /// A date that is not one.
    Date(DateError),
    Field(Fault),
}

/// A thing of the company a field names by its id or number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thing {
    Customer,
    BankAccount,
    Payment,
    CreditNote,
}

impl Thing {
    fn en(self) -> &'static str {
        match self {
            Thing::Customer => "customer",
            Thing::BankAccount => "bank account",
            Thing::Payment => "payment",
            Thing::CreditNote => "credit note",
        }
    }
}

/// What is wrong with a field, besides the families' rejections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// An amount that must be greater than zero.
    NotPositive { text: String },
    /// A text longer than its field takes.
    TooLong(creance_core::text_limits::TextTooLong),
    /// A control character other than a tab or a line break.
    ControlCharacter,
    /// No `thing` with that id or number in this company.
    NoSuch { thing: Thing, key: String },
    /// Neither a customer id nor a number.
    CustomerMissing,
    /// A customer id and a number naming two customers.
    CustomerMismatch { id: i64, id_number: String, number: String },
    /// Not one of the company's payment methods (`known`: empty when the refusal does not list them).
    NotAMethod { method: String, known: Vec<String> },
    /// A deposit date for a method whose payments are not deposited.
    NotDeposited { method: String },
    /// A payment cancelled without a reason.
    CancelReasonMissing,
    /// Moving a payment to the customer it is already with.
    AlreadyTheCustomer { payment: String, customer: String },
    /// Not a refund reason.
    NotARefundReason { text: String, known: Vec<&'static str> },
    /// A refund recorded with neither a payment nor a credit note.
    RefundLinesMissing,
    /// A refund line naming both, or neither, of a payment and a credit note.
    RefundLineOneCredit,
    /// A refund line's credit (`label`: "payment RG-…") is another customer's.
    RefundLineOtherCustomer { label: String, refund: String },
    /// A refund's credit named twice.
    RefundLineTwice { label: String },
    /// A refund line in another currency than the refund.
    RefundLineCurrency { label: String, line: creance_core::Currency, refund: creance_core::Currency },
    /// A document named as a credit note that is not one.
    NotACreditNote { number: String },
    /// A deposit without its bank account.
    BankAccountMissing,
    /// A deposit with no payment.
    DepositEmpty,
    /// A deposit of more payments than it takes.
    DepositTooLarge { given: usize, max: usize },
    /// A deposit while the company has no bank account.
    NoBankAccountYet,
    /// A payment twice in a deposit.
    DepositPaymentTwice,
    /// Not a whole number.
    NotAWholeNumber { text: String },
    /// Not `true` or `false`.
    NotABoolean { text: String },
    /// A number of days overdue outside 0–36500.
    DaysOutOfRange { days: i64 },
    /// Not `debit` or `credit`.
    NotASide { text: String },
    /// Not a document kind.
    NotADocumentKind { text: String },
    /// Not a sortable column (`known`: the column names).
    NotASortKey { text: String, known: String },
    /// A column sorted on twice.
    SortKeyTwice { name: String },
    /// More sort keys than accepted.
    TooManySortKeys { given: usize, max: usize },
    /// A PDF of more rows than a PDF holds (`report`: a report, else a list).
    PdfTooLarge { rows: i64, max: i64, report: bool },
    /// A page size outside 1–`max`.
    LimitOutOfRange { limit: i64, max: i64 },
    /// A negative offset.
    OffsetNegative { offset: i64 },
    /// A date before the earliest the field accepts (the end of a period before its start).
    DateBefore { date: creance_core::Date, earliest: creance_core::Date },
    /// Unallocating an allocation a small-balance action made (its undo reverses it).
    SmallBalanceAllocation { allocation_id: i64 },
    /// Not one of the export formats.
    NotAnExportFormat { text: String },
    /// Not an e-mail address, or a list of them.
    NotAnEmail { text: String },
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::NotPositive { text } => write!(f, "{text:?} must be greater than zero"),
            Fault::TooLong(e) => e.fmt(f),
            Fault::ControlCharacter => {
                f.write_str("contains a control character; only tabs and line breaks are accepted")
            }
            Fault::NoSuch { thing, key } => write!(f, "no {} {key} in this company", thing.en()),
            Fault::CustomerMissing => f.write_str("give customer_id or customer_number"),
            Fault::CustomerMismatch { id, id_number, number } => write!(
                f,
                "customer_id {id} is customer {id_number}, not {number:?}; give one of customer_id and \
                 customer_number, or both naming the same customer"
            ),
            Fault::NotAMethod { method, known } if known.is_empty() => {
                write!(f, "{method:?} is not a payment method of this company")
            }
            Fault::NotAMethod { method, known } => {
                write!(f, "{method:?} is not a payment method of this company; use one of {}", known.join(", "))
            }
            Fault::NotDeposited { method } => write!(f, "payments by {method} are not deposited"),
            Fault::CancelReasonMissing => f.write_str("say why the payment is cancelled"),
            Fault::AlreadyTheCustomer { payment, customer } => {
                write!(f, "payment {payment} is already customer {customer}'s")
            }
            Fault::NotARefundReason { text, known } => {
                write!(f, "{text:?} is not a refund reason; use one of {}", known.join(", "))
            }
            Fault::RefundLinesMissing => f.write_str("give at least one payment or credit note"),
            Fault::RefundLineOneCredit => f.write_str("give exactly one of payment_id and credit_note_id"),
            Fault::RefundLineOtherCustomer { label, refund } => {
                write!(f, "{label} belongs to another customer than refund {refund}")
            }
            Fault::RefundLineTwice { label } => write!(f, "{label} appears twice"),
            Fault::RefundLineCurrency { label, line, refund } => {
                write!(f, "{label} is in {line}, the refund in {refund}")
            }
            Fault::NotACreditNote { number } => write!(f, "{number} is not a credit note"),
            Fault::BankAccountMissing => f.write_str("choose the bank the payments go to"),
            Fault::DepositEmpty => f.write_str("a deposit needs at least one payment"),
            Fault::DepositTooLarge { given, max } => write!(f, "{given} payments; a deposit takes at most {max}"),
            Fault::NoBankAccountYet => {
                f.write_str("the company has no bank account yet; add one in the settings first")
            }
            Fault::DepositPaymentTwice => f.write_str("a payment appears twice"),
            Fault::NotAWholeNumber { text } => write!(f, "{text:?} is not a whole number"),
            Fault::NotABoolean { text } => write!(f, "{text:?} is not true or false"),
            Fault::DaysOutOfRange { days } => write!(f, "{days} is out of range; give 0 to 36500"),
            Fault::NotASide { text } => write!(f, "{text:?} is not debit or credit"),
            Fault::NotADocumentKind { text } => write!(f, "{text:?} is not a document kind"),
            Fault::NotASortKey { text, known } => write!(f, "{text:?} is not a sortable column; use one of {known}"),
            Fault::SortKeyTwice { name } => write!(f, "{name} is given twice; sort on each column once"),
            Fault::TooManySortKeys { given, max } => {
                write!(f, "{given} sort keys given; at most {max} are accepted")
            }
            Fault::PdfTooLarge { rows, max, report: false } => write!(
                f,
                "the list has {rows} rows, more than the {max} a PDF holds; narrow the filters or ask for csv"
            ),
            Fault::PdfTooLarge { rows, max, report: true } => {
                write!(f, "the report has {rows} rows, more than the {max} a PDF holds; narrow it or ask for csv")
            }
            Fault::LimitOutOfRange { limit, max } => write!(f, "{limit} is out of range; give 1 to {max}"),
            Fault::OffsetNegative { offset } => write!(f, "{offset} is negative; give 0 or more"),
            Fault::DateBefore { date, earliest } => write!(f, "{date} is before {earliest}"),
            Fault::SmallBalanceAllocation { allocation_id } => {
                write!(f, "allocation {allocation_id} belongs to a small-balance action: undo the action instead")
            }
            Fault::NotAnExportFormat { text } => write!(f, "{text:?} is not json, csv or pdf"),
            Fault::NotAnEmail { text } => {
                write!(f, "{text:?} is not an e-mail address (or a list separated by , or ;)")
            }
        }
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Said::Payment(r) => r.fmt(f),
            Said::Allocation(r) => r.fmt(f),
            Said::Refund(r) => r.fmt(f),
            Said::Deposit(r) => r.fmt(f),
            Said::Db(r) => r.fmt(f),
            Said::Money(e) => e.fmt(f),
            Said::Date(e) => e.fmt(f),
            Said::Field(x) => x.fmt(f),
        }
    }
}

impl From<Fault> for Said {
    fn from(x: Fault) -> Said {
        Said::Field(x)
    }
}

impl From<MoneyError> for Said {
    fn from(e: MoneyError) -> Said {
        Said::Money(e)
    }
}

impl From<DateError> for Said {
    fn from(e: DateError) -> Said {
        Said::Date(e)
    }
}
