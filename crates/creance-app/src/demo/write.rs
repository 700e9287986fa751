//! Writing the demo: each generated chunk in multi-row statements, then the old cheques deposited.

use creance_core::{Currency, Date, DocumentKind, Money};
use creance_store::allocations::{self, Credit, InstallmentKey, NewAllocation};
use creance_store::contracts::{self, NewContract};
use creance_store::customers::{self, CustomerFields};
use creance_store::documents::{self, NewDocument, NewInstallment};
use creance_store::journal;
use creance_store::payments::{self, NewPayment};
use creance_store::settings;
use creance_store::{series, Tx};

use super::generate::{ChunkData, GenDoc};
use super::DemoSummary;
use crate::AppError;

pub(super) async fn write_chunk(
    tx: &mut Tx,
    company_id: i64,
    chunk: ChunkData,
    summary: &mut DemoSummary,
) -> Result<(), AppError> {
    let ChunkData { plans, docs } = chunk;
    let fields: Vec<CustomerFields> = plans.iter().map(|p| p.fields.clone()).collect();
    let ids = customers::insert_bulk(tx, company_id, &fields).await?;
    let mut customer_ids: std::collections::HashMap<String, i64> = ids.into_iter().map(|(id, n)| (n, id)).collect();
    // Payers may be customers of earlier chunks: fetch those in one query.
    let mut earlier: Vec<String> =
        plans.iter().filter_map(|p| p.fields.payer_number.clone()).filter(|n| !customer_ids.contains_key(n)).collect();
    earlier.sort();
    earlier.dedup();
    for c in customers::by_numbers(tx, company_id, &earlier).await? {
        customer_ids.insert(c.fields.number, c.id);
    }
    let payers: Vec<(String, Option<String>)> = plans
        .iter()
        .filter(|p| p.fields.payer_number.is_some())
        .map(|p| (p.fields.number.clone(), p.fields.payer_number.clone()))
        .collect();
    customers::set_payers(tx, company_id, &payers).await?;
    summary.customers += plans.len();

    let contract_rows: Vec<NewContract> = plans
        .iter()
        .filter_map(|p| {
            p.contract.as_ref().map(|c| NewContract { customer_id: customer_ids[p.fields.number.as_str()], fields: c })
        })
        .collect();
    let contract_ids: std::collections::HashMap<String, i64> =
        contracts::insert_bulk(tx, company_id, &contract_rows).await?.into_iter().map(|(id, n)| (n, id)).collect();
    summary.contracts += contract_rows.len();

    let new_docs: Vec<NewDocument> = docs
        .iter()
        .map(|d| NewDocument {
            customer_id: customer_ids[plans[d.customer].fields.number.as_str()],
            contract_id: d.fields.contract_number.as_ref().and_then(|n| contract_ids.get(n).copied()),
            fields: &d.fields,
        })
        .collect();
    let doc_ids: std::collections::HashMap<(DocumentKind, String), i64> =
        documents::insert_bulk(tx, company_id, &new_docs).await?.into_iter().map(|(id, k, n)| ((k, n), id)).collect();
    let doc_id = |d: &GenDoc| doc_ids[&(d.fields.kind, d.fields.number.clone())];

    // What each installment will have allocated: its payment and, for invoices, a credit note.
    let mut credited: Vec<i64> = vec![0; docs.len()];
    for d in &docs {
        if let Some(inv) = d.credit_for {
            credited[inv] = d.fields.total.minor().min(docs[inv].fields.installments[0].amount.minor());
        }
    }
    let mut installments = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        for (s, due) in d.fields.installments.iter().enumerate() {
            let mut allocated = d.paid[s].map_or(0, |(a, _, _)| a);
            if s == 0 {
                allocated += credited[i];
            }
            if d.credit_for.is_some() {
                allocated = due.amount.minor().min(credited[d.credit_for.unwrap_or(i)]);
            }
            installments.push(NewInstallment {
                document_id: doc_id(d),
                customer_id: new_docs[i].customer_id,
                kind: d.fields.kind,
                seq: s as i64 + 1,
                due: *due,
                amount_open: due.amount.minor() - allocated.min(due.amount.minor()),
            });
        }
    }
    documents::insert_installments_bulk(tx, company_id, &installments).await?;
    let key = |d: &GenDoc, seq: usize| InstallmentKey { document_id: doc_id(d), seq: seq as i64 };
    summary.invoices += docs.iter().filter(|d| d.fields.kind == DocumentKind::Invoice).count();
    summary.credit_notes += docs.iter().filter(|d| d.fields.kind == DocumentKind::CreditNote).count();
    summary.installments += installments.len();

    // Payments: one per paid installment, the payer paying when there is one.
    let mut pays: Vec<(NewPayment, InstallmentKey)> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        for (s, paid) in d.paid.iter().enumerate() {
            let Some((minor, date, method)) = paid else {
                continue;
            };
            let plan = &plans[d.customer];
            let payer_id = plan.fields.payer_number.as_deref().and_then(|p| customer_ids.get(p).copied());
            pays.push((
                NewPayment {
                    number: String::new(),
                    customer_id: payer_id.unwrap_or(new_docs[i].customer_id),
                    date: *date,
                    amount: Money::new(*minor, d.fields.currency),
                    amount_open: 0,
                    method: method.to_string(),
                    customer_bank: String::new(),
                    deposit_bank_id: None,
                    deposit_date: None,
                    piece_number: d.fields.number.clone(),
                    order_ref: String::new(),
                    note: String::new(),
                },
                key(d, s + 1),
            ));
        }
    }
    // Numbers from the company's gapless series, in date order, by year.
    pays.sort_by_key(|(p, _)| p.date);
    let mut k = 0;
    while k < pays.len() {
        let year = pays[k].0.date.year();
        let run = pays[k..].iter().take_while(|(p, _)| p.date.year() == year).count();
        let numbers = series::take(tx, company_id, "payment", year, run as i64).await?;
        for (slot, number) in pays[k..k + run].iter_mut().zip(numbers) {
            slot.0.number = number;
        }
        k += run;
    }
    let payment_rows: Vec<NewPayment> = pays.iter().map(|(p, _)| p.clone()).collect();
    payments::insert_bulk(tx, company_id, &payment_rows).await?;
    let mut allocations: Vec<NewAllocation> = pays
        .iter()
        .map(|(p, target)| NewAllocation {
            credit: Credit::Payment(p.number.clone()),
            target: *target,
            amount: p.amount,
            date: p.date,
        })
        .collect();
    for d in &docs {
        if let Some(inv) = d.credit_for {
            let amount = credited[inv];
            if amount > 0 {
                allocations.push(NewAllocation {
                    credit: Credit::CreditNote(key(d, 1)),
                    target: key(&docs[inv], 1),
                    amount: Money::new(amount, d.fields.currency),
                    date: d.fields.date,
                });
            }
        }
    }
    allocations::insert_by_key(tx, company_id, &allocations).await?;
    summary.payments += payment_rows.len();
    summary.allocations += allocations.len();
    Ok(())
}

/// Cheques received more than three days before `as_of` were deposited, one validated deposit per
/// week and currency to the demo's bank accounts, each booked bank / cheques to deposit. Returns the
/// deposit count.
pub(super) async fn deposit_old_cheques(tx: &mut Tx, company_id: i64, as_of: Date) -> anyhow::Result<usize> {
    use creance_store::{deposits, settings::NewBankAccount};
    let banks = [
        (
            "Banque Populaire Auvergne Rhône Alpes",
            "FR7616807000013456789012345",
            "CCBPFRPPGRE",
            "BQ1",
            "512100",
            Currency::EUR,
        ),
        ("UBS Switzerland AG (CHF)", "CH9300762011623852957", "UBSWCHZH80A", "BQ2", "512200", Currency::CHF),
    ];
    let codes = settings::account_codes(tx, company_id).await?;
    let mut count = 0;
    for (name, iban, bic, journal_code, account_code, currency) in banks {
        let bank = settings::insert_bank_account(
            tx,
            company_id,
            &NewBankAccount {
                name: name.into(),
                iban: iban.into(),
                bic: bic.into(),
                journal_code: journal_code.into(),
                account_code: account_code.into(),
                currency,
            },
        )
        .await?;
        let cheques = payments::cheques_to_deposit(tx, company_id, currency, as_of.add_days(-3)).await?;
        // Group by the Monday of each week, in date order.
        let mut weeks: Vec<(Date, Vec<(i64, i64)>)> = Vec::new();
        for (id, date, minor) in cheques {
            let monday = date.add_days(-(date.weekday() as i64));
            match weeks.last_mut() {
                Some((w, ids)) if *w == monday => ids.push((id, minor)),
                _ => weeks.push((monday, vec![(id, minor)])),
            }
        }
        for (monday, items) in &weeks {
            let date = monday.add_days(4).min(as_of);
            let number = series::take(tx, company_id, "deposit", date.year(), 1)
                .await?
                .pop()
                .ok_or_else(|| anyhow::anyhow!("no deposit number"))?;
            let total = Money::new(items.iter().map(|(_, m)| m).sum(), currency);
            let ids: Vec<i64> = items.iter().map(|(id, _)| *id).collect();
            let id = deposits::insert(tx, company_id, &number, bank, date, total, &ids).await?;
            deposits::validate(tx, company_id, id).await?;
            journal::book_deposit(tx, company_id, &codes, id).await?;
        }
        count += weeks.len();
    }
    Ok(count)
}
