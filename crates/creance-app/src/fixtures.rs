//! Benchmark data for the batch allocation (issue 3's figure: 100,000 payments against 300,000 open
//! installments): a company whose customers each have open invoices and unallocated payments, some
//! quoting an invoice number, some matching an invoice exactly, the rest paying part of the oldest.

use creance_core::{Currency, Date, DocumentKind, Language, Money, Timestamp};
use creance_store::companies::NewCompany;
use creance_store::customers::{self, CustomerFields};
use creance_store::documents::{self, DocumentFields, Due, NewDocument, NewInstallment};
use creance_store::journal::{self, Rows};
use creance_store::payments::{self, NewPayment};
use creance_store::{series, settings};

use crate::{Actor, App, AppError};

/// What the fixture holds.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct AllocationFixture {
    pub company_id: i64,
    pub customers: usize,
    pub open_installments: usize,
    pub unallocated_payments: usize,
}

impl App {
    /// Creates a company with `customers` customers, each with `invoices` open one-installment
    /// invoices and `payments` unallocated payments, written in bulk in one transaction.
    pub async fn allocation_fixture(
        &self,
        customers: usize,
        invoices: usize,
        payments_each: usize,
        as_of: Date,
    ) -> Result<AllocationFixture, AppError> {
        // Invoice k of every customer is dated 30 × (invoices − k) days before `as_of`, due 30 days later.
        let date = move |_c: usize, k: usize| as_of.add_days(-30 * (invoices - k) as i64);
        self.seed_company(customers, invoices, payments_each, false, as_of, &date).await
    }

    /// Dunning benchmark data (issue 4's figure): `customers` customers with `invoices` open invoices
    /// each (10 in the figure), one due every 30 days (shifted per customer, so every day is
    /// some customer's due date), the last two or three not yet due, and their levels and dates as
    /// the default policy's weekly runs over the past year left them (the last run 7 days before
    /// `as_of`). A run on `as_of` finds the week's new work: invoices that fell due, and letters
    /// whose next level's delay has passed.
    pub async fn dunning_fixture(
        &self,
        customers: usize,
        invoices: usize,
        as_of: Date,
    ) -> Result<AllocationFixture, AppError> {
        let newest = invoices as i64 - 2;
        let date = move |c: usize, k: usize| as_of.add_days(30 * (k as i64 - newest) - (c % 30) as i64);
        let fixture = self.seed_company(customers, invoices, 0, false, as_of, &date).await?;
        let actor = Actor::new("bench", Timestamp::start_of(as_of));
        let levels = creance_core::dunning::default_levels();
        let runs: Vec<Date> = (1..=60).rev().map(|w| as_of.add_days(-7 * w)).collect();
        let mut tx = self.db.begin_write(actor.at()).await?;
        let mut dues: Vec<Date> =
            (0..customers.min(30)).flat_map(|c| (0..invoices).map(move |k| date(c, k).add_days(30))).collect();
        dues.sort();
        dues.dedup();
        for due in dues {
            let (mut level, mut last) = (0, None);
            for run in &runs {
                if let Some(next) = creance_core::dunning::next_level(&levels, level, due, last, *run) {
                    level = next;
                    last = Some(*run);
                }
            }
            if let Some(last) = last {
                creance_store::dunning_runs::set_levels_by_due_date(&mut tx, fixture.company_id, due, level, last)
                    .await?;
            }
        }
        tx.commit().await.map_err(anyhow::Error::from)?;
        self.db.analyze().await?;
        Ok(fixture)
    }

    /// Letters benchmark data (issue 11's figure: issuing 30,000 letters): `customers` customers with
    /// a postal address and an e-mail address, each with `invoices` open invoices (all but the
    /// newest overdue on `as_of`, as [`App::allocation_fixture`] dates them), under a default policy
    /// whose levels go by e-mail.
    pub async fn letters_fixture(
        &self,
        customers: usize,
        invoices: usize,
        as_of: Date,
    ) -> Result<AllocationFixture, AppError> {
        let date = move |_c: usize, k: usize| as_of.add_days(-30 * (invoices - k) as i64);
        let fixture = self.seed_company(customers, invoices, 0, true, as_of, &date).await?;
        let actor = Actor::new("bench", Timestamp::start_of(as_of));
        let p = self
            .dunning_policies(fixture.company_id)
            .await?
            .into_iter()
            .find(|p| p.is_default)
            .ok_or_else(|| anyhow::anyhow!("the fixture company has no default policy"))?;
        let input = crate::views::dunning::PolicyInput {
            code: p.code,
            name: p.name,
            currency: p.currency,
            min_amount: p.min_amount,
            list_not_due: p.list_not_due,
            allow_skip: p.allow_skip,
            repeat_last: p.repeat_last,
            payment_days: p.payment_days,
            interest_table_id: p.interest_table_id,
            interest_min: p.interest_min,
            levels: p
                .levels
                .into_iter()
                .map(|l| crate::views::dunning::PolicyLevel { channel: "email".into(), ..l })
                .collect(),
            texts: p.texts,
        };
        self.save_dunning_policy(&actor, fixture.company_id, &input).await?;
        Ok(fixture)
    }

    #[allow(clippy::too_many_arguments)]
    async fn seed_company(
        &self,
        customers: usize,
        invoices: usize,
        payments_each: usize,
        emails: bool,
        as_of: Date,
        invoice_date: &(dyn Fn(usize, usize) -> Date + Sync),
    ) -> Result<AllocationFixture, AppError> {
        let actor = Actor::new("bench", Timestamp::start_of(as_of));
        let company_id = self
            .create_company(
                &actor,
                &NewCompany {
                    name: "Banc d'essai SAS".into(),
                    country: "FR".into(),
                    base_currency: Currency::EUR,
                    language: Language::Fr,
                    address: String::new(),
                },
            )
            .await?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        let fields: Vec<CustomerFields> = (0..customers)
            .map(|n| CustomerFields {
                number: format!("B{:07}", n + 1),
                name: format!("Client {}", n + 1),
                address: if emails { format!("{} rue de la Gare", n % 200 + 1) } else { String::new() },
                postal_code: if emails { format!("{}", 74_000 + n % 900) } else { String::new() },
                city: if emails { "Annemasse".into() } else { String::new() },
                country: "FR".into(),
                language: Language::Fr,
                currency: Currency::EUR,
                email: if emails { format!("compta.b{:07}@example.test", n + 1) } else { String::new() },
                dunning_email: String::new(),
                payer_number: None,
                salesperson: String::new(),
                bank: String::new(),
                comment: String::new(),
                dunning_enabled: true,
            })
            .collect();
        let ids = customers::insert_bulk(&mut tx, company_id, &fields).await?;
        let amount = |c: usize, k: usize| 5_000 + ((c * 7919 + k * 104_729) % 95_000) as i64;
        let mut docs: Vec<DocumentFields> = Vec::with_capacity(customers * invoices);
        let mut owners = Vec::with_capacity(customers * invoices);
        for (c, (id, number)) in ids.iter().enumerate() {
            for k in 0..invoices {
                let date = invoice_date(c, k);
                let total = Money::new(amount(c, k), Currency::EUR);
                docs.push(DocumentFields {
                    kind: DocumentKind::Invoice,
                    number: format!("FB{:07}-{k}", c + 1),
                    customer_number: number.clone(),
                    date,
                    currency: Currency::EUR,
                    total,
                    contract_number: None,
                    order_ref: String::new(),
                    text: String::new(),
                    payment_term: "NET30".into(),
                    installments: vec![Due { due_date: date.add_days(30), amount: total }],
                });
                owners.push(*id);
            }
        }
        let new: Vec<NewDocument> = docs
            .iter()
            .zip(&owners)
            .map(|(f, id)| NewDocument { customer_id: *id, contract_id: None, fields: f })
            .collect();
        let written = documents::insert_bulk(&mut tx, company_id, &new).await?;
        let installments: Vec<NewInstallment> = written
            .iter()
            .zip(&new)
            .map(|((id, kind, _), d)| NewInstallment {
                document_id: *id,
                customer_id: d.customer_id,
                kind: *kind,
                seq: 1,
                due: d.fields.installments[0],
                amount_open: d.fields.total.minor(),
            })
            .collect();
        documents::insert_installments_bulk(&mut tx, company_id, &installments).await?;
        let count = customers * payments_each;
        let numbers = series::take(&mut tx, company_id, "payment", as_of.year(), count as i64).await?;
        let mut rows = Vec::with_capacity(count);
        for (c, (id, _)) in ids.iter().enumerate() {
            for k in 0..payments_each {
                let (minor, piece) = match (c + k) % 3 {
                    0 => (amount(c, k), String::new()), // an exact match
                    1 => (amount(c, k) / 2, format!("VIR FB{:07}-{}", c + 1, invoices - 1)), // quotes an invoice
                    _ => (amount(c, k) + amount(c, k + 1) / 3, String::new()), // pays the oldest and some more
                };
                let money = Money::new(minor, Currency::EUR);
                rows.push(NewPayment {
                    number: numbers[rows.len()].clone(),
                    customer_id: *id,
                    date: as_of,
                    amount: money,
                    amount_open: minor,
                    method: "transfer".into(),
                    piece_number: piece,
                    customer_bank: String::new(),
                    deposit_bank_id: None,
                    deposit_date: None,
                    order_ref: String::new(),
                    note: String::new(),
                });
            }
        }
        payments::insert_bulk(&mut tx, company_id, &rows).await?;
        let codes = settings::account_codes(&mut tx, company_id).await?;
        journal::book_documents(&mut tx, company_id, &codes, Rows::After(0), "").await?;
        journal::book_payments(&mut tx, company_id, &codes, Rows::After(0)).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        self.db.analyze().await?;
        Ok(AllocationFixture {
            company_id,
            customers,
            open_installments: installments.len(),
            unallocated_payments: rows.len(),
        })
    }

    /// A raw full scan of a company's installments ([`creance_store::open_items::scan_installments`]):
    /// (rows, checksum).
    pub async fn scan_installments(&self, company_id: i64) -> Result<(i64, i64), AppError> {
        let mut tx = self.db.begin_read().await?;
        let scanned = creance_store::open_items::scan_installments(&mut tx, company_id).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(scanned)
    }
}
