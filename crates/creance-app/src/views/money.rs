//! Views of the money rows (see `views`): payments, allocations, refunds, deposits and the findings
//! of `creance check`.

use creance_core::{Date, Money};
use creance_store::{allocations, check, deposits, payments, refunds};
use serde::Serialize;

/// A payment as lists and details show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Payment {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
    /// What is not allocated yet (unallocated credit, "trop perçu").
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub unallocated: Money,
    pub method: String,
    pub piece_number: String,
    pub customer_bank: String,
    pub deposit_bank_id: Option<i64>,
    #[schema(value_type = Option<String>, format = Date)]
    pub deposit_date: Option<Date>,
    pub deposit_id: Option<i64>,
    pub order_ref: String,
    pub note: String,
    /// `active` or `cancelled`.
    #[schema(value_type = String)]
    pub status: creance_core::PaymentStatus,
    pub cancel_reason: String,
}

impl From<payments::Payment> for Payment {
    fn from(p: payments::Payment) -> Payment {
        let payments::Payment {
            id,
            number,
            customer_id,
            customer_number,
            customer_name,
            date,
            amount,
            unallocated,
            method,
            piece_number,
            customer_bank,
            deposit_bank_id,
            deposit_date,
            deposit_id,
            order_ref,
            note,
            status,
            cancel_reason,
        } = p;
        Payment {
            id,
            number,
            customer_id,
            customer_number,
            customer_name,
            date,
            amount,
            unallocated,
            method,
            piece_number,
            customer_bank,
            deposit_bank_id,
            deposit_date,
            deposit_id,
            order_ref,
            note,
            status,
            cancel_reason,
        }
    }
}

/// An allocation as shown with its payment, credit note or installment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Allocation {
    pub id: i64,
    pub payment_id: Option<i64>,
    pub payment_number: Option<String>,
    /// The credit note's installment, when the credit is a credit note.
    pub credit_installment_id: Option<i64>,
    pub credit_document_number: Option<String>,
    pub installment_id: i64,
    pub document_id: i64,
    pub document_number: String,
    /// The customer of the installment paid.
    pub customer_id: i64,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
    /// The day it was allocated (or unallocated).
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// The day its money counts from (SPEC §4.2): the payment's date or the credit note's date; a
    /// reversal has the value date of the allocation it reverses. Interest and as-of views use it.
    #[schema(value_type = String, format = Date)]
    pub value_date: Date,
    /// Set on a reversal row: the allocation it cancels.
    pub reverses_id: Option<i64>,
    /// The reversal row that cancelled this allocation, if any.
    pub reversed_by: Option<i64>,
}

impl Allocation {
    pub fn is_active(&self) -> bool {
        self.reverses_id.is_none() && self.reversed_by.is_none()
    }
}

impl From<allocations::Allocation> for Allocation {
    fn from(a: allocations::Allocation) -> Allocation {
        let allocations::Allocation {
            id,
            payment_id,
            payment_number,
            credit_installment_id,
            credit_document_number,
            installment_id,
            document_id,
            document_number,
            customer_id,
            amount,
            date,
            value_date,
            reverses_id,
            reversed_by,
        } = a;
        Allocation {
            id,
            payment_id,
            payment_number,
            credit_installment_id,
            credit_document_number,
            installment_id,
            document_id,
            document_number,
            customer_id,
            amount,
            date,
            value_date,
            reverses_id,
            reversed_by,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Refund {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
    /// What is not yet allocated to a payment or credit note ("to allocate").
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub to_allocate: Money,
    /// overpayment, credit_note, duplicate_payment, cancelled_order or other.
    pub reason: String,
    pub method: String,
    pub piece_number: String,
    pub bank_account_id: Option<i64>,
    pub note: String,
    pub allocations: Vec<RefundAllocation>,
}

impl From<refunds::Refund> for Refund {
    fn from(r: refunds::Refund) -> Refund {
        let refunds::Refund {
            id,
            number,
            customer_id,
            customer_number,
            customer_name,
            date,
            amount,
            to_allocate,
            reason,
            method,
            piece_number,
            bank_account_id,
            note,
            allocations,
        } = r;
        Refund {
            id,
            number,
            customer_id,
            customer_number,
            customer_name,
            date,
            amount,
            to_allocate,
            reason,
            method,
            piece_number,
            bank_account_id,
            note,
            allocations: allocations.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RefundAllocation {
    pub id: i64,
    pub payment_id: Option<i64>,
    pub payment_number: Option<String>,
    pub credit_installment_id: Option<i64>,
    pub credit_document_number: Option<String>,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub reverses_id: Option<i64>,
    pub reversed_by: Option<i64>,
}

impl From<refunds::RefundAllocation> for RefundAllocation {
    fn from(a: refunds::RefundAllocation) -> RefundAllocation {
        let refunds::RefundAllocation {
            id,
            payment_id,
            payment_number,
            credit_installment_id,
            credit_document_number,
            amount,
            date,
            reverses_id,
            reversed_by,
        } = a;
        RefundAllocation {
            id,
            payment_id,
            payment_number,
            credit_installment_id,
            credit_document_number,
            amount,
            date,
            reverses_id,
            reversed_by,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Deposit {
    pub id: i64,
    pub number: String,
    pub bank_account_id: i64,
    pub bank_name: String,
    pub bank_iban: String,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub total: Money,
    pub payment_count: i64,
    /// `draft`, `validated` or `cancelled` (a draft given up: its payments wait to be deposited again;
    /// the number stays used, the series has no gap).
    #[schema(value_type = String)]
    pub status: creance_core::DepositStatus,
}

impl From<deposits::Deposit> for Deposit {
    fn from(d: deposits::Deposit) -> Deposit {
        let deposits::Deposit { id, number, bank_account_id, bank_name, bank_iban, date, total, payment_count, status } =
            d;
        Deposit { id, number, bank_account_id, bank_name, bank_iban, date, total, payment_count, status }
    }
}

/// One broken invariant on one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub company_id: i64,
    /// Which rule: `installment_open_amount` (a credit note's open credit too), `payment_open_amount`,
    /// `refund_open_amount`, `allocation_mismatch`, `refund_allocation_mismatch`, `allocation_payer`,
    /// `journal_entry_unbalanced`, `journal_receivable`, and the links the database does not enforce
    /// on every engine: `dunning_item_run`, `dunning_item_refs`, `dunning_letter_refs`, `dunning_hold`,
    /// `allocation_refs`.
    pub rule: &'static str,
    /// The row at fault, e.g. `installment 12`.
    pub subject: String,
    pub detail: String,
}

impl From<check::Violation> for Violation {
    fn from(v: check::Violation) -> Violation {
        let check::Violation { company_id, rule, subject, detail } = v;
        Violation { company_id, rule, subject, detail }
    }
}
