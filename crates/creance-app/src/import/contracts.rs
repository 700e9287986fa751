//! The contracts import: keyed by contract number; the customer must exist.

use std::collections::HashMap;

use creance_core::ContractStatus;
use creance_store::contracts::{self, Contract, ContractFields, NewContract};
use creance_store::customers;

use super::{parse_date, Entity, ImportFault, ImportReport, Keyed, RawTable, Required};
use crate::views::ledger;
use crate::{Actor, App, AppError};

fn validate(table: &RawTable, report: &mut ImportReport) -> Vec<(usize, ContractFields)> {
    let mut out = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let line = row.line;
        let before = report.errors.len();
        let number = row.get("number").unwrap_or_default().to_string();
        if number.is_empty() {
            report.error(line, Some("number"), Required::ContractNumber);
        } else if let Some(first) = seen.insert(number.clone(), line) {
            let fault = ImportFault::NumberTwice { keyed: Keyed::Contract, number: number.clone(), first_line: first };
            report.error(line, Some("number"), fault);
        }
        let customer_number = row.get("customer").unwrap_or_default().to_string();
        if customer_number.is_empty() {
            report.error(line, Some("customer"), Required::ContractCustomer);
        }
        let mut date = |column: &str| match row.get(column) {
            None => None,
            Some(t) => match parse_date(t) {
                Ok(d) => Some(d),
                Err(fault) => {
                    report.error(line, Some(column), fault);
                    None
                }
            },
        };
        let start_date = date("start_date");
        let end_date = date("end_date");
        if row.get("start_date").is_none() {
            report.error(line, Some("start_date"), Required::ContractStart);
        }
        if let (Some(s), Some(e)) = (start_date, end_date) {
            if e < s {
                report.error(line, Some("end_date"), ImportFault::EndBeforeStart { end: e, start: s });
            }
        }
        let status = match row.get("status") {
            None if end_date.is_some() => ContractStatus::Ended,
            None => ContractStatus::Active,
            Some(t) => ContractStatus::parse(t).unwrap_or_else(|| {
                report.error(line, Some("status"), ImportFault::NotAStatus { text: t.to_string() });
                ContractStatus::Active
            }),
        };
        if report.errors.len() > before {
            continue;
        }
        let Some(start_date) = start_date else {
            continue;
        };
        out.push((line, ContractFields { number, customer_number, status, start_date, end_date }));
    }
    out
}

impl App {
    /// Imports contracts: validates every row, then creates or updates them in one transaction.
    pub async fn import_contracts(
        &self,
        actor: &Actor,
        company_id: i64,
        table: &RawTable,
    ) -> Result<ImportReport, AppError> {
        let mut report = ImportReport::new(Entity::Contracts, table);
        let rows = validate(table, &mut report);
        let mut tx = self.db.begin_write(actor.at()).await?;
        let mut numbers: Vec<String> = rows.iter().map(|(_, f)| f.customer_number.clone()).collect();
        numbers.sort();
        numbers.dedup();
        let customer_ids: HashMap<String, i64> = customers::by_numbers(&mut tx, company_id, &numbers)
            .await?
            .into_iter()
            .map(|c| (c.fields.number, c.id))
            .collect();
        let contract_numbers: Vec<String> = rows.iter().map(|(_, f)| f.number.clone()).collect();
        let existing: HashMap<String, Contract> = contracts::by_numbers(&mut tx, company_id, &contract_numbers)
            .await?
            .into_iter()
            .map(|c| (c.fields.number.clone(), c))
            .collect();
        for (line, f) in &rows {
            if !customer_ids.contains_key(&f.customer_number) {
                let fault = ImportFault::CustomerUnknown { number: f.customer_number.clone() };
                report.error(*line, Some("customer"), fault);
            }
        }
        if !report.errors.is_empty() {
            report.errors.sort_by_key(|e| e.line);
            return Err(AppError::Import(Box::new(report)));
        }
        let mut new = Vec::new();
        let mut changed = Vec::new();
        let mut changes = super::Changes::new(actor, company_id, "contract");
        for (_, f) in &rows {
            let customer_id = customer_ids[&f.customer_number];
            let contract = NewContract { customer_id, fields: f };
            match existing.get(&f.number) {
                None => new.push(contract),
                Some(old) if old.fields == *f => report.unchanged += 1,
                Some(old) => {
                    changed.push((old.id, contract));
                    changes.push(
                        old.id,
                        &ledger::ContractFields::from(old.fields.clone()),
                        &ledger::ContractFields::from(f.clone()),
                    );
                    report.updated += 1;
                }
            }
        }
        contracts::update_bulk(&mut tx, company_id, &changed).await?;
        changes.record(&mut tx).await?;
        contracts::insert_bulk(&mut tx, company_id, &new).await?;
        report.created = new.len();
        super::commit(tx, company_id, actor, report).await
    }
}
