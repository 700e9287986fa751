//! [`Fault`]: the field faults that were sentences before (an unknown bank account, a text too long,
//! a reason missing…), shared by the use cases.

use super::{either, CreditLabel, Thing};

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
    /// A refund line's credit (`label`: a payment or a credit note) is another customer's.
    RefundLineOtherCustomer { label: CreditLabel, refund: String },
    /// A refund's credit named twice.
    RefundLineTwice { label: CreditLabel },
    /// A refund line in another currency than the refund.
    RefundLineCurrency { label: CreditLabel, line: creance_core::Currency, refund: creance_core::Currency },
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
    /// Not one of the few words a field takes ("a, b or c").
    NotEither { text: String, words: &'static [&'static str] },
    /// Not one of a vocabulary's words (`known`: "a, b, c").
    NotOneOf { text: String, known: String },
    /// A number that must not be negative.
    Negative { value: i64 },
    /// An amount that must not be negative ("… is negative").
    AmountNegative { text: String },
    /// An amount that must not be negative ("… must not be negative").
    MustNotBeNegative { text: String },
    /// Not an amount in any currency.
    NotAnAmount { text: String },
    /// A text longer than a short field takes.
    AtMostChars { max: usize },
    /// A one-line field with a line break, a tab or another control character.
    ControlCharactersNotAllowed,
    /// A period without its first day.
    PeriodFromMissing,
    /// A period whose first day is after its last.
    PeriodReversed { from: creance_core::Date, to: creance_core::Date },
    /// A period longer than a report covers.
    PeriodTooLong { max_days: i64 },
    /// No customer with that number in this company.
    NoCustomerNumbered { number: String },
    /// A report for one customer without its number.
    CustomerNumberMissing,
    /// An Idempotency-Key that is empty or longer than 255 characters.
    IdempotencyKeyLength,
    /// A request with the same Idempotency-Key is still running.
    IdempotencyPending { key: String },
    /// An Idempotency-Key used for another request.
    IdempotencyKeyReused { key: String },
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
            Fault::NotEither { text, words } => {
                write!(f, "{text:?} is not ")?;
                either(f, words)
            }
            Fault::NotOneOf { text, known } => write!(f, "{text:?} is not one of {known}"),
            Fault::Negative { value } => write!(f, "{value} is negative"),
            Fault::AmountNegative { text } => write!(f, "{text:?} is negative"),
            Fault::MustNotBeNegative { text } => write!(f, "{text:?} must not be negative"),
            Fault::NotAnAmount { text } => write!(f, "{text:?} is not an amount"),
            Fault::AtMostChars { max } => write!(f, "at most {max} characters"),
            Fault::ControlCharactersNotAllowed => f.write_str("control characters (line breaks, tabs) are not allowed"),
            Fault::PeriodFromMissing => f.write_str("required: the first day of the period"),
            Fault::PeriodReversed { from, to } => write!(f, "{from} is after to ({to}); give from ≤ to"),
            Fault::PeriodTooLong { max_days } => write!(f, "the period is over {max_days} days; give a shorter one"),
            Fault::NoCustomerNumbered { number } => write!(f, "no customer numbered {number:?} in this company"),
            Fault::CustomerNumberMissing => f.write_str("required: a customer number"),
            Fault::IdempotencyKeyLength => f.write_str("give 1 to 255 characters"),
            Fault::IdempotencyPending { key } => {
                write!(f, "a request with Idempotency-Key {key:?} is still being processed; retry in a moment")
            }
            Fault::IdempotencyKeyReused { key } => {
                write!(f, "{key:?} was already used for a different request; use a new key for a new request")
            }
        }
    }
}
