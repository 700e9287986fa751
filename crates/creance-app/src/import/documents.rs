//! The documents import (invoices, credit notes, fee and interest invoices, opening balances), keyed by
//! kind and number. A document spans one row per installment (`due_date`, `installment_amount`) or one
//! row whose `payment_term` computes the installments. A document that already has allocations or has
//! been dunned cannot be changed by an import.

use std::collections::HashMap;

use creance_core::{Currency, DocumentKind, Money, PaymentTerm};
use creance_store::contracts::{self, Contract};
use creance_store::customers::{self, Customer};
use creance_store::documents::{self, Document, DocumentFields, Due, NewDocument, NewInstallment};
use creance_store::journal::{self, Rows};
use creance_store::settings;

use super::{parse_date, Entity, ImportFault, ImportReport, RawRow, RawTable, Required};
use crate::views::ledger;
use crate::{Actor, App, AppError};

/// The most installments one document may have.
pub const INSTALLMENTS_MAX: usize = 120;

/// Columns that describe the document, not one installment: they must agree on every row of it.
const HEADER_COLUMNS: &[&str] =
    &["customer", "date", "currency", "total", "contract", "order_ref", "text", "payment_term"];

struct Lookups {
    customers: HashMap<String, Customer>,
    contracts: HashMap<String, Contract>,
    existing: HashMap<(DocumentKind, String), Document>,
    /// The company's maximum per document, whole major units (`MoneySettings::document_amount_max`).
    document_max: Option<i64>,
}

/// The kind of a row: the `kind` column, or a credit note when the total is negative.
fn row_kind(row: &RawRow) -> Result<DocumentKind, ImportFault> {
    match row.get("kind") {
        Some(t) => DocumentKind::parse(t)
            .filter(|k| !k.is_internal())
            .ok_or_else(|| ImportFault::NotADocumentKind { text: t.to_string() }),
        None if row.get("total").is_some_and(|t| t.starts_with('-')) => Ok(DocumentKind::CreditNote),
        None => Ok(DocumentKind::Invoice),
    }
}

/// Validates one document from its rows; errors go to the report.
fn validate_document(
    rows: &[&RawRow],
    kind: DocumentKind,
    look: &Lookups,
    report: &mut ImportReport,
) -> Option<DocumentFields> {
    let first = rows[0];
    let line = first.line;
    let before = report.errors.len();
    let number = first.get("number").unwrap_or_default().to_string();
    for row in &rows[1..] {
        for column in HEADER_COLUMNS {
            if let Some(v) = row.get(column) {
                if first.get(column) != Some(v) {
                    let fault = ImportFault::DiffersFromFirst {
                        value: v.to_string(),
                        first: first.get(column).unwrap_or("").to_string(),
                        number: number.clone(),
                        first_line: line,
                    };
                    report.error(row.line, Some(column), fault);
                }
            }
        }
    }
    let customer = match first.get("customer") {
        None => {
            report.error(line, Some("customer"), Required::DocumentCustomer);
            None
        }
        Some(c) => {
            let found = look.customers.get(c);
            if found.is_none() {
                report.error(line, Some("customer"), ImportFault::CustomerUnknown { number: c.to_string() });
            }
            found
        }
    };
    let date = match first.get("date") {
        None => {
            report.error(line, Some("date"), Required::DocumentDate);
            None
        }
        Some(t) => parse_date(t).map_err(|r| report.error(line, Some("date"), r)).ok(),
    };
    let currency = match first.get("currency") {
        Some(t) => Currency::parse(t).map_err(|e| report.error(line, Some("currency"), e)).ok(),
        None => customer.map(|c| c.fields.currency),
    };
    let total = match (first.get("total"), currency) {
        (None, _) => {
            report.error(line, Some("total"), Required::DocumentTotal);
            None
        }
        (Some(t), Some(cur)) => match Money::parse_input(t, cur).and_then(|m| m.check_input(look.document_max)) {
            Ok(m) if kind == DocumentKind::CreditNote && m.is_negative() => m.checked_neg().ok(),
            Ok(m) if m.is_negative() => {
                report.error(line, Some("total"), ImportFault::TotalNegative { text: t.to_string(), kind });
                None
            }
            Ok(m) if m.is_zero() => {
                report.error(line, Some("total"), ImportFault::TotalZero);
                None
            }
            Ok(m) => Some(m),
            Err(e) => {
                report.error(line, Some("total"), e);
                None
            }
        },
        (Some(_), None) => None,
    };
    let contract_number = first.get("contract").map(str::to_string);
    let mut contract_ok = true;
    if let (Some(k), Some(c)) = (&contract_number, customer) {
        match look.contracts.get(k) {
            None => {
                report.error(line, Some("contract"), ImportFault::ContractUnknown { number: k.clone() });
                contract_ok = false;
            }
            Some(contract) if contract.customer_id != c.id => {
                let fault = ImportFault::ContractOtherCustomer {
                    contract: k.clone(),
                    owner: contract.fields.customer_number.clone(),
                    customer: c.fields.number.clone(),
                };
                report.error(line, Some("contract"), fault);
                contract_ok = false;
            }
            Some(_) => {}
        }
    }
    let payment_term = first.get("payment_term").unwrap_or_default().to_string();
    if rows.len() > INSTALLMENTS_MAX {
        let fault =
            ImportFault::TooManyInstallments { number: number.clone(), count: rows.len(), max: INSTALLMENTS_MAX };
        report.error(line, None, fault);
    }
    if report.errors.len() > before || !contract_ok {
        return None;
    }
    let (customer, date, currency, total) = (customer?, date?, currency?, total?);

    // Installments: given row by row, computed from the payment term, or the credit itself.
    let mut installments = Vec::new();
    let given = rows.iter().any(|r| r.get("due_date").is_some());
    if given {
        for row in rows {
            let due_date = match row.get("due_date") {
                None => {
                    report.error(row.line, Some("due_date"), Required::InstallmentDueDate);
                    continue;
                }
                Some(t) => match parse_date(t) {
                    Ok(d) => d,
                    Err(fault) => {
                        report.error(row.line, Some("due_date"), fault);
                        continue;
                    }
                },
            };
            if due_date < date {
                report.error(row.line, Some("due_date"), ImportFault::DueBeforeDate { due: due_date, date });
                continue;
            }
            let amount = match row.get("installment_amount") {
                None if rows.len() == 1 => total,
                None => {
                    report.error(row.line, Some("installment_amount"), Required::InstallmentAmount);
                    continue;
                }
                Some(t) => match Money::parse_input(t, currency).and_then(|m| m.check_input(look.document_max)) {
                    Ok(m) if m.is_positive() => m,
                    Ok(_) => {
                        let fault = ImportFault::InstallmentNotPositive { text: t.to_string() };
                        report.error(row.line, Some("installment_amount"), fault);
                        continue;
                    }
                    Err(e) => {
                        report.error(row.line, Some("installment_amount"), e);
                        continue;
                    }
                },
            };
            installments.push(Due { due_date, amount });
        }
        installments.sort_by_key(|d| d.due_date);
    } else if kind == DocumentKind::CreditNote {
        installments.push(Due { due_date: date, amount: total });
    } else if payment_term.is_empty() {
        report.error(line, Some("due_date"), Required::DueDateOrTerm);
    } else {
        match PaymentTerm::parse(&payment_term, currency).and_then(|t| t.schedule(date, total)) {
            Ok(schedule) => {
                installments.extend(schedule.into_iter().map(|(due_date, amount)| Due { due_date, amount }))
            }
            Err(e) => report.error(line, Some("payment_term"), e),
        }
    }
    if report.errors.len() > before {
        return None;
    }
    let sum = installments.iter().try_fold(Money::zero(currency), |acc, d| acc.checked_add(d.amount));
    match sum {
        Ok(s) if s == total => {}
        Ok(s) => {
            let fault = ImportFault::InstallmentsSum { number: number.clone(), sum: s, total };
            report.error(line, Some("installment_amount"), fault);
            return None;
        }
        Err(e) => {
            report.error(line, Some("installment_amount"), e);
            return None;
        }
    }
    Some(DocumentFields {
        kind,
        number,
        customer_number: customer.fields.number.clone(),
        date,
        currency,
        total,
        contract_number,
        order_ref: first.get("order_ref").unwrap_or_default().to_string(),
        text: first.get("text").unwrap_or_default().to_string(),
        payment_term,
        installments,
    })
}

async fn lookups(tx: &mut creance_store::Tx, company_id: i64, table: &RawTable) -> anyhow::Result<Lookups> {
    let distinct = |column: &str| {
        let mut v: Vec<String> = table.rows.iter().filter_map(|r| r.get(column).map(str::to_string)).collect();
        v.sort();
        v.dedup();
        v
    };
    let customers = customers::by_numbers(tx, company_id, &distinct("customer"))
        .await?
        .into_iter()
        .map(|c| (c.fields.number.clone(), c))
        .collect();
    let contracts = contracts::by_numbers(tx, company_id, &distinct("contract"))
        .await?
        .into_iter()
        .map(|c| (c.fields.number.clone(), c))
        .collect();
    let existing = documents::by_numbers(tx, company_id, &distinct("number"))
        .await?
        .into_iter()
        .map(|d| ((d.kind, d.number.clone()), d))
        .collect();
    let document_max = settings::money_settings(tx, company_id).await?.document_amount_max;
    Ok(Lookups { customers, contracts, existing, document_max })
}

impl App {
    /// Imports documents: validates every row, then creates, replaces (if untouched) or leaves each
    /// document in one transaction.
    pub async fn import_documents(
        &self,
        actor: &Actor,
        company_id: i64,
        table: &RawTable,
    ) -> Result<ImportReport, AppError> {
        let mut report = ImportReport::new(Entity::Documents, table);
        let mut tx = self.db.begin_write(actor.at()).await?;
        let look = lookups(&mut tx, company_id, table).await?;

        // Group rows into documents, in file order.
        let mut order: Vec<(DocumentKind, String)> = Vec::new();
        let mut groups: HashMap<(DocumentKind, String), Vec<&RawRow>> = HashMap::new();
        for row in &table.rows {
            let Some(number) = row.get("number") else {
                report.error(row.line, Some("number"), Required::DocumentNumber);
                continue;
            };
            let kind = match row_kind(row) {
                Ok(k) => k,
                Err(fault) => {
                    report.error(row.line, Some("kind"), fault);
                    continue;
                }
            };
            let key = (kind, number.to_string());
            let group = groups.entry(key.clone()).or_default();
            if group.is_empty() {
                order.push(key);
            } else if group.last().is_some_and(|last| last.line + 1 != row.line) && table.source == super::Source::Csv {
                // Installment rows of one document must be consecutive: a second block is a second document.
                let fault = ImportFault::RowsApart { number: number.to_string(), first_line: group[0].line };
                report.error(row.line, Some("number"), fault);
                continue;
            }
            group.push(row);
        }
        let mut valid: Vec<(usize, DocumentFields)> = Vec::with_capacity(order.len());
        for key in &order {
            let rows = &groups[key];
            if let Some(fields) = validate_document(rows, key.0, &look, &mut report) {
                valid.push((rows[0].line, fields));
            }
        }
        // A document that already exists may change only while nothing has happened to it.
        let mut replace: Vec<(i64, &DocumentFields)> = Vec::new();
        let mut new: Vec<&DocumentFields> = Vec::new();
        for (line, f) in &valid {
            match look.existing.get(&(f.kind, f.number.clone())) {
                None => new.push(f),
                Some(old) if old.fields() == *f => report.unchanged += 1,
                Some(old) if old.has_allocations => report.error(
                    *line,
                    Some("number"),
                    ImportFault::HasAllocations { kind: f.kind, number: f.number.clone() },
                ),
                Some(old) if old.max_dunning_level() > 0 => report.error(
                    *line,
                    Some("number"),
                    ImportFault::Dunned { kind: f.kind, number: f.number.clone(), level: old.max_dunning_level() },
                ),
                Some(old) => replace.push((old.id, f)),
            }
        }
        if !report.errors.is_empty() {
            report.errors.sort_by_key(|e| e.line);
            return Err(AppError::Import(Box::new(report)));
        }

        let resolve = |f: &DocumentFields| -> Result<(i64, Option<i64>), AppError> {
            let customer =
                look.customers.get(&f.customer_number).ok_or_else(|| anyhow::anyhow!("customer vanished"))?;
            let contract = f.contract_number.as_ref().and_then(|k| look.contracts.get(k)).map(|k| k.id);
            Ok((customer.id, contract))
        };
        let codes = settings::account_codes(&mut tx, company_id).await?;
        // The journal keeps the old versions: each is reversed, then the new one booked under a new
        // entry, `D{id}-{n}` where n counts the lines booked before (one booking per distinct n).
        let mut rewrites: Vec<(i64, NewDocument)> = Vec::with_capacity(replace.len());
        let mut changes = super::Changes::new(actor, company_id, "document");
        let mut by_suffix: Vec<(i64, Vec<i64>)> = Vec::new();
        let replaced: Vec<i64> = replace.iter().map(|(id, _)| *id).collect();
        let booked = journal::count_lines_of(&mut tx, company_id, "document", &replaced).await?;
        let mut reversals: Vec<(i64, String, creance_core::Date, String)> = Vec::with_capacity(replace.len());
        for (id, f) in &replace {
            let (customer_id, contract_id) = resolve(f)?;
            let old = &look.existing[&(f.kind, f.number.clone())];
            let n = booked.get(id).copied().unwrap_or(0);
            let label = format!("Annulation {} {} (remplacé par import)", f.kind.code(), f.number);
            reversals.push((*id, format!("D{id}-R{n}"), old.date, label));
            rewrites.push((*id, NewDocument { customer_id, contract_id, fields: f }));
            changes.push(*id, &ledger::DocumentFields::from(old.fields()), &ledger::DocumentFields::from((*f).clone()));
            match by_suffix.iter_mut().find(|(k, _)| *k == n) {
                Some((_, ids)) => ids.push(*id),
                None => by_suffix.push((n, vec![*id])),
            }
        }
        let reversals: Vec<journal::Reversal> = reversals
            .iter()
            .map(|(source_id, entry, date, label)| journal::Reversal {
                source_id: *source_id,
                entry,
                date: *date,
                label,
            })
            .collect();
        journal::reverse_sources(&mut tx, company_id, "document", &reversals).await?;
        documents::replace_untouched_bulk(&mut tx, company_id, &rewrites).await?;
        changes.record(&mut tx).await?;
        for (n, ids) in &by_suffix {
            journal::book_documents(&mut tx, company_id, &codes, Rows::Ids(ids), &format!("-{n}")).await?;
        }
        report.updated = replace.len();
        let mut to_insert = Vec::with_capacity(new.len());
        for f in &new {
            let (customer_id, contract_id) = resolve(f)?;
            to_insert.push(NewDocument { customer_id, contract_id, fields: f });
        }
        let ids = documents::insert_bulk(&mut tx, company_id, &to_insert).await?;
        let by_key: HashMap<(DocumentKind, &str), &NewDocument> =
            to_insert.iter().map(|d| ((d.fields.kind, d.fields.number.as_str()), d)).collect();
        let mut installments = Vec::new();
        for (id, kind, number) in &ids {
            let doc = by_key
                .get(&(*kind, number.as_str()))
                .ok_or_else(|| anyhow::anyhow!("inserted document {number} not found"))?;
            for (i, due) in doc.fields.installments.iter().enumerate() {
                installments.push(NewInstallment {
                    document_id: *id,
                    customer_id: doc.customer_id,
                    kind: *kind,
                    seq: i as i64 + 1,
                    due: *due,
                    amount_open: due.amount.minor(),
                });
            }
        }
        documents::insert_installments_bulk(&mut tx, company_id, &installments).await?;
        let new_ids: Vec<i64> = ids.iter().map(|(id, _, _)| *id).collect();
        journal::book_documents(&mut tx, company_id, &codes, Rows::Ids(&new_ids), "").await?;
        // Advances (SPEC §4.4): a new invoice whose order reference an unallocated payment carries
        // takes that payment at once.
        let with_order: Vec<(i64, String, creance_core::Date)> = ids
            .iter()
            .filter(|(_, kind, _)| kind.sign() == 1)
            .filter_map(|(id, kind, number)| {
                let fields = by_key.get(&(*kind, number.as_str()))?.fields;
                (!fields.order_ref.is_empty()).then(|| (*id, fields.order_ref.clone(), fields.date))
            })
            .collect();
        if !with_order.is_empty() {
            report.advances_allocated =
                crate::advances::allocate_to_new_documents(&mut tx, company_id, &codes, &with_order).await?;
        }
        report.created = ids.len();
        super::commit(tx, company_id, actor, report).await
    }
}
