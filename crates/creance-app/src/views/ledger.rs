//! Views of the ledger rows (see `views`): customers, contracts, documents, installments and the
//! open-items list. The `*Fields` and `Due` views also convert back into the store's types, for the
//! inputs the app passes to the store. Every conversion destructures its source and builds its
//! target field by field (no `..`), so a field added on either side fails to compile until the view
//! decides.

use creance_core::{ContractStatus, Currency, Date, DocumentKind, Language, Money, MoneyTotal};
use creance_store::{contracts, customers, documents, open_items};
use serde::Serialize;

/// What an import or a form gives for a customer; the payer is named by its customer number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CustomerFields {
    pub number: String,
    pub name: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    #[schema(value_type = String, example = "fr")]
    pub language: Language,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    pub email: String,
    pub dunning_email: String,
    /// Number of the paying customer; absent when the customer pays for itself.
    pub payer_number: Option<String>,
    pub salesperson: String,
    pub bank: String,
    pub comment: String,
    pub dunning_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Customer {
    pub id: i64,
    /// The payer's id; absent when the customer pays for itself.
    pub payer_id: Option<i64>,
    #[serde(flatten)]
    pub fields: CustomerFields,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ContractFields {
    pub number: String,
    pub customer_number: String,
    #[schema(value_type = String, example = "active")]
    pub status: ContractStatus,
    #[schema(value_type = String, format = Date)]
    pub start_date: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub end_date: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Contract {
    pub id: i64,
    pub customer_id: i64,
    #[serde(flatten)]
    pub fields: ContractFields,
}

/// What an import gives for a document; customer and contract are named by number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DocumentFields {
    #[schema(value_type = String, example = "invoice")]
    pub kind: DocumentKind,
    pub number: String,
    pub customer_number: String,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub total: Money,
    pub contract_number: Option<String>,
    pub order_ref: String,
    pub text: String,
    /// The payment-term code the installments were computed from, if any.
    pub payment_term: String,
    #[schema(value_type = Vec<crate::views::schema::DueSchema>)]
    pub installments: Vec<Due>,
}

/// One due date and amount of a document to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Due {
    pub due_date: Date,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Installment {
    pub id: i64,
    pub document_id: i64,
    pub seq: i64,
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount_open: Money,
    pub dunning_level: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub dunning_date: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub block_until: Option<Date>,
    pub block_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Document {
    pub id: i64,
    pub customer_id: i64,
    pub contract_id: Option<i64>,
    #[schema(value_type = String, example = "invoice")]
    pub kind: DocumentKind,
    pub number: String,
    pub customer_number: String,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub total: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount_open: Money,
    pub contract_number: Option<String>,
    pub order_ref: String,
    pub text: String,
    pub payment_term: String,
    pub installments: Vec<Installment>,
    /// Whether any allocation (active or reversed) touches this document.
    pub has_allocations: bool,
}

/// One open installment (or open credit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OpenItem {
    pub installment_id: i64,
    pub document_id: i64,
    #[schema(value_type = String, example = "invoice")]
    pub kind: DocumentKind,
    pub document_number: String,
    #[schema(value_type = String, format = Date)]
    pub document_date: Date,
    pub seq: i64,
    pub installment_count: i64,
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    /// Days since the due date at the as-of date (0 when not yet due; credits are never overdue).
    pub days_overdue: i64,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub payer_number: String,
    pub contract_number: Option<String>,
    pub salesperson: String,
    pub order_ref: String,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    /// The installment amount, negative for a credit.
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
    /// What is still open, negative for a credit.
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount_open: Money,
    pub dunning_level: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub dunning_date: Option<Date>,
    /// Why the installment is blocked from dunning (`dispute`, `promise`, `legal`, `other`); empty
    /// when it is not. A block whose `block_until` has passed no longer holds.
    pub block_reason: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub block_until: Option<Date>,
}

/// One document with open installments (the by-invoice view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OpenDocument {
    pub document_id: i64,
    #[schema(value_type = String, example = "invoice")]
    pub kind: DocumentKind,
    pub document_number: String,
    #[schema(value_type = String, format = Date)]
    pub document_date: Date,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub payer_number: String,
    pub contract_number: Option<String>,
    pub salesperson: String,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    /// The document total, negative for a credit note.
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub total: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount_open: Money,
    /// The earliest due date among the open installments.
    #[schema(value_type = String, format = Date)]
    pub due_date_first: Date,
    pub days_overdue: i64,
    pub installments_open: i64,
    pub dunning_level_max: i64,
}

/// Totals of the filtered list for one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CurrencyTotal {
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    /// Number of open items (installments) counted.
    pub items: i64,
    /// Net open amount: debits less credits (a total: wider than any one amount).
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount_open: MoneyTotal,
    /// The part of the debits that is overdue at the as-of date.
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount_overdue: MoneyTotal,
}

impl From<customers::CustomerFields> for CustomerFields {
    fn from(f: customers::CustomerFields) -> CustomerFields {
        let customers::CustomerFields {
            number,
            name,
            address,
            postal_code,
            city,
            country,
            language,
            currency,
            email,
            dunning_email,
            payer_number,
            salesperson,
            bank,
            comment,
            dunning_enabled,
        } = f;
        CustomerFields {
            number,
            name,
            address,
            postal_code,
            city,
            country,
            language,
            currency,
            email,
            dunning_email,
            payer_number,
            salesperson,
            bank,
            comment,
            dunning_enabled,
        }
    }
}

impl From<CustomerFields> for customers::CustomerFields {
    fn from(f: CustomerFields) -> customers::CustomerFields {
        let CustomerFields {
            number,
            name,
            address,
            postal_code,
            city,
            country,
            language,
            currency,
            email,
            dunning_email,
            payer_number,
            salesperson,
            bank,
            comment,
            dunning_enabled,
        } = f;
        customers::CustomerFields {
            number,
            name,
            address,
            postal_code,
            city,
            country,
            language,
            currency,
            email,
            dunning_email,
            payer_number,
            salesperson,
            bank,
            comment,
            dunning_enabled,
        }
    }
}

impl From<customers::Customer> for Customer {
    fn from(c: customers::Customer) -> Customer {
        let customers::Customer { id, payer_id, fields } = c;
        Customer { id, payer_id, fields: fields.into() }
    }
}

impl From<contracts::ContractFields> for ContractFields {
    fn from(f: contracts::ContractFields) -> ContractFields {
        let contracts::ContractFields { number, customer_number, status, start_date, end_date } = f;
        ContractFields { number, customer_number, status, start_date, end_date }
    }
}

impl From<ContractFields> for contracts::ContractFields {
    fn from(f: ContractFields) -> contracts::ContractFields {
        let ContractFields { number, customer_number, status, start_date, end_date } = f;
        contracts::ContractFields { number, customer_number, status, start_date, end_date }
    }
}

impl From<contracts::Contract> for Contract {
    fn from(c: contracts::Contract) -> Contract {
        let contracts::Contract { id, customer_id, fields } = c;
        Contract { id, customer_id, fields: fields.into() }
    }
}

impl From<documents::Due> for Due {
    fn from(d: documents::Due) -> Due {
        let documents::Due { due_date, amount } = d;
        Due { due_date, amount }
    }
}

impl From<Due> for documents::Due {
    fn from(d: Due) -> documents::Due {
        let Due { due_date, amount } = d;
        documents::Due { due_date, amount }
    }
}

impl From<documents::DocumentFields> for DocumentFields {
    fn from(f: documents::DocumentFields) -> DocumentFields {
        let documents::DocumentFields {
            kind,
            number,
            customer_number,
            date,
            currency,
            total,
            contract_number,
            order_ref,
            text,
            payment_term,
            installments,
        } = f;
        DocumentFields {
            kind,
            number,
            customer_number,
            date,
            currency,
            total,
            contract_number,
            order_ref,
            text,
            payment_term,
            installments: installments.into_iter().map(Due::from).collect(),
        }
    }
}

impl From<DocumentFields> for documents::DocumentFields {
    fn from(f: DocumentFields) -> documents::DocumentFields {
        let DocumentFields {
            kind,
            number,
            customer_number,
            date,
            currency,
            total,
            contract_number,
            order_ref,
            text,
            payment_term,
            installments,
        } = f;
        documents::DocumentFields {
            kind,
            number,
            customer_number,
            date,
            currency,
            total,
            contract_number,
            order_ref,
            text,
            payment_term,
            installments: installments.into_iter().map(documents::Due::from).collect(),
        }
    }
}

impl From<documents::Installment> for Installment {
    fn from(i: documents::Installment) -> Installment {
        let documents::Installment {
            id,
            document_id,
            seq,
            due_date,
            amount,
            amount_open,
            dunning_level,
            dunning_date,
            block_until,
            block_reason,
        } = i;
        Installment {
            id,
            document_id,
            seq,
            due_date,
            amount,
            amount_open,
            dunning_level,
            dunning_date,
            block_until,
            block_reason,
        }
    }
}

impl From<documents::Document> for Document {
    fn from(d: documents::Document) -> Document {
        let documents::Document {
            id,
            customer_id,
            contract_id,
            kind,
            number,
            customer_number,
            date,
            currency,
            total,
            amount_open,
            contract_number,
            order_ref,
            text,
            payment_term,
            installments,
            has_allocations,
        } = d;
        Document {
            id,
            customer_id,
            contract_id,
            kind,
            number,
            customer_number,
            date,
            currency,
            total,
            amount_open,
            contract_number,
            order_ref,
            text,
            payment_term,
            installments: installments.into_iter().map(Installment::from).collect(),
            has_allocations,
        }
    }
}

impl From<open_items::OpenItem> for OpenItem {
    fn from(i: open_items::OpenItem) -> OpenItem {
        let open_items::OpenItem {
            installment_id,
            document_id,
            kind,
            document_number,
            document_date,
            seq,
            installment_count,
            due_date,
            days_overdue,
            customer_id,
            customer_number,
            customer_name,
            payer_number,
            contract_number,
            salesperson,
            order_ref,
            currency,
            amount,
            amount_open,
            dunning_level,
            dunning_date,
            block_reason,
            block_until,
        } = i;
        OpenItem {
            installment_id,
            document_id,
            kind,
            document_number,
            document_date,
            seq,
            installment_count,
            due_date,
            days_overdue,
            customer_id,
            customer_number,
            customer_name,
            payer_number,
            contract_number,
            salesperson,
            order_ref,
            currency,
            amount,
            amount_open,
            dunning_level,
            dunning_date,
            block_reason,
            block_until,
        }
    }
}

impl From<open_items::OpenDocument> for OpenDocument {
    fn from(d: open_items::OpenDocument) -> OpenDocument {
        let open_items::OpenDocument {
            document_id,
            kind,
            document_number,
            document_date,
            customer_id,
            customer_number,
            customer_name,
            payer_number,
            contract_number,
            salesperson,
            currency,
            total,
            amount_open,
            due_date_first,
            days_overdue,
            installments_open,
            dunning_level_max,
        } = d;
        OpenDocument {
            document_id,
            kind,
            document_number,
            document_date,
            customer_id,
            customer_number,
            customer_name,
            payer_number,
            contract_number,
            salesperson,
            currency,
            total,
            amount_open,
            due_date_first,
            days_overdue,
            installments_open,
            dunning_level_max,
        }
    }
}

impl From<open_items::CurrencyTotal> for CurrencyTotal {
    fn from(t: open_items::CurrencyTotal) -> CurrencyTotal {
        let open_items::CurrencyTotal { currency, items, amount_open, amount_overdue } = t;
        CurrencyTotal { currency, items, amount_open, amount_overdue }
    }
}
