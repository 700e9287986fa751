//! The customers import: keyed by customer number; an existing customer's master data is updated.

use std::collections::{HashMap, HashSet};

use creance_core::{Currency, Language};
use creance_store::customers::{self, Customer, CustomerFields};

use super::{parse_flag, Entity, ImportFault, ImportReport, Keyed, RawTable, Required};
use crate::views::ledger;
use crate::{Actor, App, AppError};

/// The longest customer number.
const NUMBER_MAX: usize = 40;

fn validate(
    table: &RawTable,
    company: &creance_store::companies::Company,
    report: &mut ImportReport,
) -> Vec<(usize, CustomerFields)> {
    let mut out = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let line = row.line;
        let before = report.errors.len();
        let number = row.get("number").unwrap_or_default().to_string();
        if number.is_empty() {
            report.error(line, Some("number"), Required::CustomerNumber);
        } else if number.chars().count() > NUMBER_MAX {
            report.error(line, Some("number"), ImportFault::NumberTooLong { number: number.clone(), max: NUMBER_MAX });
        } else if let Some(first) = seen.insert(number.clone(), line) {
            let fault = ImportFault::NumberTwice { keyed: Keyed::Customer, number: number.clone(), first_line: first };
            report.error(line, Some("number"), fault);
        }
        let name = row.get("name").unwrap_or_default().to_string();
        if name.is_empty() {
            report.error(line, Some("name"), Required::CustomerName);
        }
        let language = match row.get("language") {
            None => company.language,
            Some(t) => Language::parse(t).unwrap_or_else(|| {
                report.error(line, Some("language"), ImportFault::NotALanguage { text: t.to_string() });
                company.language
            }),
        };
        let currency = match row.get("currency") {
            None => company.base_currency,
            Some(t) => Currency::parse(t).unwrap_or_else(|e| {
                report.error(line, Some("currency"), e);
                company.base_currency
            }),
        };
        for column in ["email", "dunning_email"] {
            if let Some(t) = row.get(column) {
                let ok = t.split([',', ';']).all(|a| {
                    let a = a.trim();
                    a.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !a.contains(' '))
                });
                if !ok {
                    report.error(line, Some(column), ImportFault::NotAnEmail { text: t.to_string() });
                }
            }
        }
        let dunning_enabled = match row.get("dunning_enabled") {
            None => true,
            Some(t) => parse_flag(t).unwrap_or_else(|fault| {
                report.error(line, Some("dunning_enabled"), fault);
                true
            }),
        };
        let payer_number = row.get("payer").filter(|p| *p != number).map(str::to_string);
        if report.errors.len() > before {
            continue;
        }
        let text = |c: &str| row.get(c).unwrap_or_default().to_string();
        out.push((
            line,
            CustomerFields {
                number,
                name,
                address: text("address"),
                postal_code: text("postal_code"),
                city: text("city"),
                country: text("country"),
                language,
                currency,
                email: text("email"),
                dunning_email: text("dunning_email"),
                payer_number,
                salesperson: text("salesperson"),
                bank: text("bank"),
                comment: text("comment"),
                dunning_enabled,
            },
        ));
    }
    out
}

impl App {
    /// Imports customers: validates every row, then creates or updates them in one transaction.
    pub async fn import_customers(
        &self,
        actor: &Actor,
        company_id: i64,
        table: &RawTable,
    ) -> Result<ImportReport, AppError> {
        let mut report = ImportReport::new(Entity::Customers, table);
        let mut tx = self.db.begin_write(actor.at()).await?;
        let company = creance_store::companies::get(&mut tx, company_id)
            .await?
            .ok_or(AppError::NotFound { entity: "company", key: company_id.to_string() })?;
        let rows = validate(table, &company, &mut report);

        // Payers must exist, in the database or in the file.
        let mut wanted: Vec<String> = rows.iter().map(|(_, f)| f.number.clone()).collect();
        wanted.extend(rows.iter().filter_map(|(_, f)| f.payer_number.clone()));
        wanted.sort();
        wanted.dedup();
        let existing: HashMap<String, Customer> = customers::by_numbers(&mut tx, company_id, &wanted)
            .await?
            .into_iter()
            .map(|c| (c.fields.number.clone(), c))
            .collect();
        let in_file: HashSet<&str> = rows.iter().map(|(_, f)| f.number.as_str()).collect();
        for (line, f) in &rows {
            if let Some(p) = &f.payer_number {
                if !existing.contains_key(p) && !in_file.contains(p.as_str()) {
                    report.error(*line, Some("payer"), ImportFault::PayerUnknown { payer: p.clone() });
                }
            }
        }
        if report.errors.is_empty() {
            refuse_payer_cycles(&mut tx, company_id, &rows, &mut report).await?;
        }
        if !report.errors.is_empty() {
            report.errors.sort_by_key(|e| e.line);
            return Err(AppError::Import(Box::new(report)));
        }

        let mut new = Vec::new();
        let mut payers = Vec::new();
        let mut changed: Vec<(i64, &CustomerFields)> = Vec::new();
        let mut changes = super::Changes::new(actor, company_id, "customer");
        for (_, f) in &rows {
            match existing.get(&f.number) {
                None => {
                    new.push(f.clone());
                    payers.push((f.number.clone(), f.payer_number.clone()));
                }
                Some(old) if old.fields == *f => report.unchanged += 1,
                Some(old) => {
                    changed.push((old.id, f));
                    if old.fields.payer_number != f.payer_number {
                        payers.push((f.number.clone(), f.payer_number.clone()));
                    }
                    changes.push(
                        old.id,
                        &ledger::CustomerFields::from(old.fields.clone()),
                        &ledger::CustomerFields::from(f.clone()),
                    );
                    report.updated += 1;
                }
            }
        }
        customers::update_bulk(&mut tx, company_id, &changed).await?;
        changes.record(&mut tx).await?;
        customers::insert_bulk(&mut tx, company_id, &new).await?;
        report.created = new.len();
        customers::set_payers(&mut tx, company_id, &payers).await?;
        super::commit(tx, company_id, actor, report).await
    }
}

/// Refuses payer cycles (A pays for B, B pays for A, or longer), among the file's rows and the payers
/// already stored: the stored links are read in one query, the file's rows replace those of the same
/// customers, and each cycle is reported once, on the line of its first customer in the file.
async fn refuse_payer_cycles(
    tx: &mut creance_store::Tx,
    company_id: i64,
    rows: &[(usize, CustomerFields)],
    report: &mut ImportReport,
) -> Result<(), AppError> {
    if rows.iter().all(|(_, f)| f.payer_number.is_none()) {
        return Ok(());
    }
    let mut links: HashMap<String, String> = customers::payer_links(tx, company_id).await?.into_iter().collect();
    let mut line_of: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    for (line, f) in rows {
        line_of.insert(f.number.as_str(), *line);
        match &f.payer_number {
            Some(p) => links.insert(f.number.clone(), p.clone()),
            None => links.remove(&f.number),
        };
    }
    for cycle in creance_core::payer::payer_cycles(&links) {
        let Some(line) = cycle.iter().filter_map(|n| line_of.get(n.as_str()).copied()).min() else {
            continue; // a cycle among stored customers only: not this file's doing
        };
        report.error(line, Some("payer"), ImportFault::PayerCycle { cycle });
    }
    Ok(())
}
