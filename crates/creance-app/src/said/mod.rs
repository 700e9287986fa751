//! What a refusal says, as data: the web UI words it in its user's language (French or English,
//! `creance-server`'s `web/refusal.rs`), the API sends its English [`Display`](std::fmt::Display).
//! An [`AppError`](crate::AppError) refusal carries one when the use case gave it ([`Said`]); a
//! refusal without one is shown in English everywhere.
//!
//! The families' typed rejections are carried as they are; the field faults that were sentences
//! before are [`Fault`] (the cash use cases, lists and generic checks), [`DunningFault`] (policies,
//! interest tables, proposals, external reminders, letters), [`SettingsFault`] (company settings,
//! users, SMTP, letterhead) and [`SmallBalanceFault`] (small-balance actions and charges).

mod dunning;
mod fault;
mod settings;
mod small_balances;

use creance_core::aging::AgingBucketsError;
use creance_core::dunning::UnknownPlaceholder;
use creance_core::small_balances::ActionRejection;
use creance_core::{DateError, MoneyError};
pub use creance_store::error::DbRejection;

pub use dunning::DunningFault;
pub use fault::Fault;
pub use settings::SettingsFault;
pub use small_balances::SmallBalanceFault;

use crate::deposit_rejections::DepositRejection;
use crate::dunning::rejections::{DunningRejection, DunningSettingsRejection, ExternalReminderRejection};
use crate::payment_rejections::{AllocationRejection, PaymentRejection};
use crate::refund_rejections::RefundRejection;
use crate::settings::SettingsRejection;
use crate::tokens::TokenRejection;

/// What a refusal says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Payment(PaymentRejection),
    Allocation(AllocationRejection),
    Refund(RefundRejection),
    Deposit(DepositRejection),
    Dunning(DunningRejection),
    ExternalReminder(ExternalReminderRejection),
    DunningSettings(DunningSettingsRejection),
    Settings(SettingsRejection),
    Token(TokenRejection),
    /// A small-balance action the core's rules refuse.
    SmallBalanceAction(ActionRejection),
    Db(DbRejection),
    /// An amount that is not one (or too large, or with too many decimals).
    Money(MoneyError),
    /// A date that is not one.
    Date(DateError),
    /// A letter text naming a placeholder that is not one.
    Placeholder(UnknownPlaceholder),
    /// An aging report's bucket bounds that are not a list of increasing days.
    AgingBuckets(AgingBucketsError),
    Field(Fault),
    DunningField(DunningFault),
    SettingsField(SettingsFault),
    SmallBalanceField(SmallBalanceFault),
}

/// A thing of the company a field names by its id or number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thing {
    Customer,
    BankAccount,
    Payment,
    CreditNote,
    Installment,
    InterestTable,
    DunningPolicy,
}

impl Thing {
    fn en(self) -> &'static str {
        match self {
            Thing::Customer => "customer",
            Thing::BankAccount => "bank account",
            Thing::Payment => "payment",
            Thing::CreditNote => "credit note",
            Thing::Installment => "installment",
            Thing::InterestTable => "interest table",
            Thing::DunningPolicy => "policy",
        }
    }
}

/// A credit a refusal names: a payment or a credit note, by its number. Its [`Display`](std::fmt::Display)
/// is the English the API sends ("payment RG-2026-000001", "credit note AV-2026-000002").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditLabel {
    Payment(String),
    CreditNote(String),
    /// The payment a request records and allocates at once (it has no number yet).
    PaymentBeingRecorded,
}

impl std::fmt::Display for CreditLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CreditLabel::Payment(n) => write!(f, "payment {n}"),
            CreditLabel::CreditNote(n) => write!(f, "credit note {n}"),
            CreditLabel::PaymentBeingRecorded => f.write_str("the payment being recorded"),
        }
    }
}

/// "a, b or c", as the English texts list the words a field accepts.
pub(crate) fn either(f: &mut std::fmt::Formatter<'_>, words: &[&str]) -> std::fmt::Result {
    match words {
        [] => Ok(()),
        [one] => f.write_str(one),
        [init @ .., last] => write!(f, "{} or {last}", init.join(", ")),
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Said::Payment(r) => r.fmt(f),
            Said::Allocation(r) => r.fmt(f),
            Said::Refund(r) => r.fmt(f),
            Said::Deposit(r) => r.fmt(f),
            Said::Dunning(r) => r.fmt(f),
            Said::ExternalReminder(r) => r.fmt(f),
            Said::DunningSettings(r) => r.fmt(f),
            Said::Settings(r) => r.fmt(f),
            Said::Token(r) => r.fmt(f),
            Said::SmallBalanceAction(r) => r.fmt(f),
            Said::Db(r) => r.fmt(f),
            Said::Money(e) => e.fmt(f),
            Said::Date(e) => e.fmt(f),
            Said::Placeholder(e) => e.fmt(f),
            Said::AgingBuckets(e) => e.fmt(f),
            Said::Field(x) => x.fmt(f),
            Said::DunningField(x) => x.fmt(f),
            Said::SettingsField(x) => x.fmt(f),
            Said::SmallBalanceField(x) => x.fmt(f),
        }
    }
}

macro_rules! said_from {
    ($($t:ty => $v:ident),* $(,)?) => {
        $(impl From<$t> for Said {
            fn from(x: $t) -> Said {
                Said::$v(x)
            }
        })*
    };
}

said_from! {
    Fault => Field,
    DunningFault => DunningField,
    SettingsFault => SettingsField,
    SmallBalanceFault => SmallBalanceField,
    MoneyError => Money,
    DateError => Date,
    UnknownPlaceholder => Placeholder,
    AgingBucketsError => AgingBuckets,
    ActionRejection => SmallBalanceAction,
    DunningRejection => Dunning,
    ExternalReminderRejection => ExternalReminder,
    DunningSettingsRejection => DunningSettings,
    SettingsRejection => Settings,
    TokenRejection => Token,
}
