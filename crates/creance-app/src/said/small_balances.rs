//! [`SmallBalanceFault`]: what is wrong with a small-balance query, action, undo or rebill charge
//! (SPEC §4.5), besides the core's [`ActionRejection`](creance_core::small_balances::ActionRejection).

use creance_core::small_balances::ChargeStatus;

/// What is wrong with a small-balance field, or why the state refuses the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmallBalanceFault {
    /// A number of days outside 0–36600.
    OlderThanOutOfRange { days: i64 },
    /// Both a group and items named.
    GroupAndItems,
    /// More items than an action takes.
    TooManyItems { max: usize },
    /// An item (`payment` or `installment`) named twice.
    ItemTwice { payment: bool, id: i64 },
    /// A cancelled payment.
    PaymentCancelled { reference: String },
    /// An internal document of a small-balance action.
    InternalDocument { reference: String },
    /// A group without its customer.
    GroupCustomerMissing,
    /// A group with no small item.
    GroupEmpty,
    /// Items on several contracts, none chosen.
    ContractsToChoose { contracts: Vec<String> },
    /// The items' contract ended (or they have none): one of the active ones (`number`, id) to choose.
    ChooseActiveContract { ended: Option<String>, active: Vec<(String, i64)> },
    /// The customer has no active contract.
    NoActiveContract,
    /// A contract that is not one of the customer's active ones.
    NotAnActiveContract { id: i64 },
    /// Acknowledging a charge without the billing system's invoice number.
    InvoiceNumberMissing,
    /// Acknowledging a charge that is not pending.
    ChargeNotPending { id: i64, status: ChargeStatus },
    /// Undoing an action undone already.
    UndoneAlready { action_id: i64 },
    /// Undoing an action whose charge the billing system has.
    ChargeBilled { charge_id: i64, action_id: i64, status: ChargeStatus, invoice: String },
    /// Undoing an action whose charge stopped being pending meanwhile.
    ChargeNoLongerPending { charge_id: i64 },
}

impl std::fmt::Display for SmallBalanceFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SmallBalanceFault::OlderThanOutOfRange { days } => write!(f, "{days} is not between 0 and 36600"),
            SmallBalanceFault::GroupAndItems => f.write_str("give a group or installment_ids/payment_ids, not both"),
            SmallBalanceFault::TooManyItems { max } => write!(f, "at most {max} items per action"),
            SmallBalanceFault::ItemTwice { payment, id } => {
                write!(f, "{} {id} appears twice", if *payment { "payment" } else { "installment" })
            }
            SmallBalanceFault::PaymentCancelled { reference } => write!(f, "payment {reference} is cancelled"),
            SmallBalanceFault::InternalDocument { reference } => {
                write!(f, "{reference} is an internal document of a small-balance action")
            }
            SmallBalanceFault::GroupCustomerMissing => f.write_str("a group names its customer"),
            SmallBalanceFault::GroupEmpty => f.write_str("the group holds no small item"),
            SmallBalanceFault::ContractsToChoose { contracts } => {
                write!(f, "the items belong to contracts {}: choose the one to re-bill on", contracts.join(", "))
            }
            SmallBalanceFault::ChooseActiveContract { ended, active } => {
                match ended {
                    Some(c) => write!(f, "contract {c} has ended")?,
                    None => f.write_str("the items have no contract")?,
                }
                let active: Vec<String> = active.iter().map(|(n, id)| format!("{n} (id {id})")).collect();
                write!(f, "; choose one of the customer's active contracts: {}", active.join(", "))
            }
            SmallBalanceFault::NoActiveContract => {
                f.write_str("the customer has no active contract to re-bill on: write the items off instead")
            }
            SmallBalanceFault::NotAnActiveContract { id } => {
                write!(f, "{id} is not an active contract of the customer")
            }
            SmallBalanceFault::InvoiceNumberMissing => f.write_str("give the billing system's invoice number"),
            SmallBalanceFault::ChargeNotPending { id, status } => {
                write!(f, "rebill charge {id} is {}, not pending", status.code())
            }
            SmallBalanceFault::UndoneAlready { action_id } => write!(f, "action {action_id} was undone already"),
            SmallBalanceFault::ChargeBilled { charge_id, action_id, status, invoice } => write!(
                f,
                "rebill charge {charge_id} of action {action_id} is {} (invoice {invoice:?}): the billing system has \
                 it, it cannot be undone",
                status.code()
            ),
            SmallBalanceFault::ChargeNoLongerPending { charge_id } => {
                write!(f, "rebill charge {charge_id} is not pending")
            }
        }
    }
}
