//! Writing the demo: each generated chunk in multi-row statements, then the old cheques deposited.

use std::collections::{BTreeMap, HashMap};

use creance_core::allocation::{self, AllocationLine, OpenDebit};
use creance_core::{Currency, Date, DocumentKind, Money};
use creance_store::allocations::{self, AllocationRow, CreditId};
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
    let mut customer_ids: HashMap<String, i64> = ids.into_iter().map(|(id, n)| (n, id)).collect();
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
    let contract_ids: HashMap<String, i64> =
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
    let doc_ids: HashMap<(DocumentKind, String), i64> =
        documents::insert_bulk(tx, company_id, &new_docs).await?.into_iter().map(|(id, k, n)| ((k, n), id)).collect();
    let doc_id = |d: &GenDoc| doc_ids[&(d.fields.kind, d.fields.number.clone())];

    // Installments are written wholly open: the allocations below lower both sides through the
    // store's allocation writes, each credit's lines checked first, as the use cases do.
    let mut installments = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        for (s, due) in d.fields.installments.iter().enumerate() {
            installments.push(NewInstallment {
                document_id: doc_id(d),
                customer_id: new_docs[i].customer_id,
                kind: d.fields.kind,
                seq: s as i64 + 1,
                due: *due,
                amount_open: due.amount.minor(),
            });
        }
    }
    let written = documents::insert_installments_bulk_returning(tx, company_id, &installments).await?;
    summary.invoices += docs.iter().filter(|d| d.fields.kind == DocumentKind::Invoice).count();
    summary.credit_notes += docs.iter().filter(|d| d.fields.kind == DocumentKind::CreditNote).count();
    summary.installments += installments.len();
    // Whom each of the chunk's customers is paid by (itself when it has no payer), as set above.
    let payer_of: HashMap<i64, i64> = plans
        .iter()
        .map(|p| {
            let id = customer_ids[p.fields.number.as_str()];
            (id, p.fields.payer_number.as_deref().and_then(|n| customer_ids.get(n).copied()).unwrap_or(id))
        })
        .collect();
    let new_by_key: HashMap<(i64, i64), &NewInstallment> =
        installments.iter().map(|r| ((r.document_id, r.seq), r)).collect();
    let mut open: HashMap<(i64, i64), Open> = HashMap::with_capacity(written.len());
    for w in &written {
        let r = new_by_key
            .get(&(w.document_id, w.seq))
            .ok_or_else(|| anyhow::anyhow!("installment {} of document {} was not asked for", w.seq, w.document_id))?;
        open.insert(
            (w.document_id, w.seq),
            Open {
                id: w.id,
                customer_id: r.customer_id,
                payer_id: payer_of.get(&r.customer_id).copied().unwrap_or(r.customer_id),
                due_date: r.due.due_date,
                amount_open: r.due.amount,
            },
        );
    }

    // Payments: one per paid installment, the payer paying when there is one.
    let mut pays: Vec<(NewPayment, (i64, i64))> = Vec::new();
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
                    amount_open: *minor,
                    method: method.to_string(),
                    customer_bank: String::new(),
                    deposit_bank_id: None,
                    deposit_date: None,
                    piece_number: d.fields.number.clone(),
                    order_ref: String::new(),
                    note: String::new(),
                },
                (doc_id(d), s as i64 + 1),
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
    let payment_ids: HashMap<String, i64> = payments::insert_bulk_returning(tx, company_id, &payment_rows)
        .await?
        .into_iter()
        .map(|(id, n)| (n, id))
        .collect();

    // What each credit pays: every payment its installment, a credit note the invoice's first one.
    let mut planned = Vec::with_capacity(pays.len());
    for (p, target) in &pays {
        let id = payment_ids.get(&p.number).ok_or_else(|| anyhow::anyhow!("payment {} not written", p.number))?;
        planned.push(Planned {
            credit: CreditKey::Payment(*id, p.amount),
            customer_id: p.customer_id,
            target: *target,
            amount: p.amount,
            date: p.date,
        });
    }
    for (i, d) in docs.iter().enumerate() {
        if let Some(inv) = d.credit_for {
            let amount = d.fields.total.minor().min(docs[inv].fields.installments[0].amount.minor());
            if amount > 0 {
                planned.push(Planned {
                    credit: CreditKey::CreditNote((doc_id(d), 1)),
                    customer_id: new_docs[i].customer_id,
                    target: (doc_id(&docs[inv]), 1),
                    amount: Money::new(amount, d.fields.currency),
                    date: d.fields.date,
                });
            }
        }
    }
    let (rows, installment_deltas, payment_deltas) = check_allocations(&planned, &payer_of, &mut open)?;
    allocations::insert(tx, company_id, &rows, false).await?;
    allocations::adjust_installments(tx, company_id, &installment_deltas).await?;
    allocations::adjust_payments(tx, company_id, &payment_deltas).await?;
    summary.payments += payment_rows.len();
    summary.allocations += rows.len();
    Ok(())
}

/// An installment as just written, with what it still has open while the chunk's allocations are
/// checked.
struct Open {
    id: i64,
    customer_id: i64,
    /// The customer's payer, or the customer itself.
    payer_id: i64,
    due_date: Date,
    amount_open: Money,
}

/// The credit side of a planned allocation: a payment (id, amount) or a credit note's installment
/// by (document id, position).
#[derive(Debug, Clone, Copy)]
enum CreditKey {
    Payment(i64, Money),
    CreditNote((i64, i64)),
}

/// One allocation the demo makes: so much of a credit to an installment (by document id, position).
struct Planned {
    credit: CreditKey,
    /// The credit's customer (a payment's payer, a credit note's customer).
    customer_id: i64,
    target: (i64, i64),
    amount: Money,
    date: Date,
}

type Deltas = Vec<(i64, i64)>;

/// Checks each planned allocation with [`allocation::check`] against both sides — what the credit has
/// unallocated and what the installment has open, among the installments that credit may pay (its
/// customer's and those of the customers it pays for, SPEC §4.1) — lowering both as it goes, so that
/// a later line sees what earlier ones took. Returns the rows to write and the open-amount deltas of
/// installments and payments (by id, in id order). A refusal is a bug of the generator: an error.
fn check_allocations(
    planned: &[Planned],
    payer_of: &HashMap<i64, i64>,
    open: &mut HashMap<(i64, i64), Open>,
) -> anyhow::Result<(Vec<AllocationRow>, Deltas, Deltas)> {
    let mut rows = Vec::with_capacity(planned.len());
    let mut installments: BTreeMap<i64, i64> = BTreeMap::new();
    let mut payments: BTreeMap<i64, i64> = BTreeMap::new();
    // What each payment has left (each is planned once here, but the rule is the same for many).
    let mut unallocated: HashMap<i64, Money> = HashMap::new();
    for p in planned {
        let credit_payer = payer_of.get(&p.customer_id).copied().unwrap_or(p.customer_id);
        let target =
            open.get(&p.target).ok_or_else(|| anyhow::anyhow!("demo allocation to an unwritten installment"))?;
        let debits: Vec<OpenDebit> = [target]
            .into_iter()
            .filter(|t| t.payer_id == p.customer_id || t.payer_id == credit_payer)
            .map(|t| OpenDebit {
                installment_id: t.id,
                customer_id: t.customer_id,
                document_number: String::new(),
                due_date: t.due_date,
                amount_open: t.amount_open,
            })
            .collect();
        let target_id = target.id;
        let (credit, has) = match p.credit {
            CreditKey::Payment(id, amount) => (CreditId::Payment(id), *unallocated.entry(id).or_insert(amount)),
            CreditKey::CreditNote(key) => {
                let note = open.get(&key).ok_or_else(|| anyhow::anyhow!("demo credit note not written"))?;
                (CreditId::CreditNote(note.id), note.amount_open)
            }
        };
        let line = AllocationLine { installment_id: target_id, amount: p.amount };
        let total =
            allocation::check(has, &debits, &[line]).map_err(|e| anyhow::anyhow!("demo allocation refused: {e}"))?;
        let take = |m: &mut Money| -> anyhow::Result<()> {
            *m = m.checked_sub(total)?;
            Ok(())
        };
        if let Some(t) = open.get_mut(&p.target) {
            take(&mut t.amount_open)?;
        }
        *installments.entry(target_id).or_default() -= total.minor();
        match p.credit {
            CreditKey::Payment(id, _) => {
                if let Some(m) = unallocated.get_mut(&id) {
                    take(m)?;
                }
                *payments.entry(id).or_default() -= total.minor();
            }
            CreditKey::CreditNote(key) => {
                if let Some(n) = open.get_mut(&key) {
                    take(&mut n.amount_open)?;
                    *installments.entry(n.id).or_default() -= total.minor();
                }
            }
        }
        rows.push(AllocationRow { credit, installment_id: target_id, amount: p.amount, date: p.date });
    }
    Ok((rows, installments.into_iter().collect(), payments.into_iter().collect()))
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

#[cfg(test)]
mod tests {
    use super::*;
    use creance_core::Currency;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    fn invoice(id: i64, customer_id: i64, payer_id: i64, open: i64) -> Open {
        Open { id, customer_id, payer_id, due_date: Date::from_days_since_epoch(20_000), amount_open: eur(open) }
    }

    fn pay(id: i64, customer_id: i64, amount: i64, target: (i64, i64)) -> Planned {
        Planned {
            credit: CreditKey::Payment(id, eur(amount)),
            customer_id,
            target,
            amount: eur(amount),
            date: Date::from_days_since_epoch(20_010),
        }
    }

    #[test]
    fn the_demo_allocations_lower_both_sides_and_a_credit_note_pays_from_its_own_installment() {
        let mut open = HashMap::from([
            ((1, 1), invoice(10, 100, 100, 10_000)),
            ((1, 2), invoice(11, 100, 100, 5_000)),
            (
                (2, 1),
                Open {
                    id: 20,
                    customer_id: 100,
                    payer_id: 100,
                    due_date: Date::from_days_since_epoch(20_000),
                    amount_open: eur(3_000),
                },
            ),
        ]);
        let note = Planned {
            credit: CreditKey::CreditNote((2, 1)),
            customer_id: 100,
            target: (1, 1),
            amount: eur(3_000),
            date: Date::from_days_since_epoch(20_005),
        };
        let planned = [pay(7, 100, 7_000, (1, 1)), pay(8, 100, 5_000, (1, 2)), note];
        let (rows, inst, pays) = check_allocations(&planned, &HashMap::new(), &mut open).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].credit, CreditId::CreditNote(20));
        assert_eq!(inst, vec![(10, -10_000), (11, -5_000), (20, -3_000)]);
        assert_eq!(pays, vec![(7, -7_000), (8, -5_000)]);
        assert!(open.values().all(|o| o.amount_open.minor() == 0));
    }

    #[test]
    fn the_demo_refuses_what_the_allocation_rule_refuses() {
        // More than the installment has open (what an earlier line already took counts).
        let mut open = HashMap::from([((1, 1), invoice(10, 100, 100, 10_000))]);
        let planned = [pay(7, 100, 7_000, (1, 1)), pay(8, 100, 4_000, (1, 1))];
        let e = check_allocations(&planned, &HashMap::new(), &mut open).err().unwrap().to_string();
        assert!(e.contains("more than its open amount"), "{e}");
        // A customer that neither is nor pays for the installment's customer.
        let mut open = HashMap::from([((1, 1), invoice(10, 100, 100, 10_000))]);
        let e = check_allocations(&[pay(7, 200, 1_000, (1, 1))], &HashMap::new(), &mut open).err().unwrap().to_string();
        assert!(e.contains("is not an open debit"), "{e}");
        // A payer pays for the customers it is payer of.
        let mut open = HashMap::from([((1, 1), invoice(10, 100, 300, 10_000))]);
        assert!(check_allocations(&[pay(7, 300, 1_000, (1, 1))], &HashMap::new(), &mut open).is_ok());
    }
}
