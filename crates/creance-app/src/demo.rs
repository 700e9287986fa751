//! Demo data: a French company near Geneva with French and Swiss customers (SPEC §5 `demo`).
//!
//! Deterministic for a seed and an as-of date: the same pair always gives the same company. The bulk
//! data is written in one transaction, customers in chunks, each chunk's rows in multi-row statements;
//! the money situations and dunning then go through the use cases, each in its own transaction.
//! Atomic as a whole all the same: the company is created incomplete (hidden) and marked complete in
//! the last transaction, and a demo killed on the way is removed by the next one ([`DemoStep`]). Older invoices
//! are mostly paid (payments fully or partly allocated), recent ones open, some overdue; some
//! customers are paid for by another (a payer), some have contracts (a few ended), a few bill in CHF,
//! and some invoices have credit notes, allocated or left as credit.

use creance_core::{ContractStatus, Currency, Date, DocumentKind, Language, Money, PaymentTerm};
use creance_store::allocations::{self, Credit, InstallmentKey, NewAllocation};
use creance_store::audit::{self, AuditEvent};
use creance_store::companies::NewCompany;
use creance_store::contracts::{self, ContractFields, NewContract};
use creance_store::customers::{self, CustomerFields};
use creance_store::documents::{self, DocumentFields, Due, NewDocument, NewInstallment};
use creance_store::journal::{self, Rows};
use creance_store::open_items::OpenItemFilter;
use creance_store::payments::{self, NewPayment};
use creance_store::settings;
use creance_store::{series, Tx};

pub use crate::demo_atomic::DemoStep;
use crate::{Actor, App, AppError};

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub customers: usize,
    pub seed: u64,
    /// The demo's "today": invoices cover the twelve months before it.
    pub as_of: Date,
}

/// What was generated.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DemoSummary {
    pub company_id: i64,
    pub customers: usize,
    pub contracts: usize,
    pub invoices: usize,
    pub credit_notes: usize,
    pub installments: usize,
    pub payments: usize,
    pub allocations: usize,
    /// Validated bank deposits of the cheques received before the last few days.
    pub deposits: usize,
    /// Dunning letters issued (to the first 300 customers' payers, 16 days before `as_of`).
    pub letters_issued: usize,
    /// Companies an interrupted demo had left incomplete, removed before this one started.
    pub removed_incomplete: Vec<i64>,
}

/// SplitMix64: small, fast and the same on every platform (also drives the randomized workload tests).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// True with probability `percent` %.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// One of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// One of `items`, or `None` when there is none.
    pub fn choose<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.below(items.len() as u64) as usize])
    }
}

const SURNAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Andre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "Francois",
    "Martinez",
    "Favre",
    "Rochat",
    "Perret",
    "Muller",
    "Meier",
    "Schneider",
    "Chappuis",
];
const TRADES: &[&str] = &[
    "Boulangerie",
    "Garage",
    "Pharmacie",
    "Menuiserie",
    "Hôtel",
    "Restaurant",
    "Cabinet",
    "Imprimerie",
    "Fromagerie",
    "Transports",
    "Électricité",
    "Plomberie",
    "Librairie",
    "Fleurs",
    "Boucherie",
    "Camping",
    "Syndic",
    "Atelier",
];
const FORMS: &[&str] = &["SARL", "SAS", "SA", "EURL", "Sàrl", "SNC"];
const FR_TOWNS: &[(&str, &str)] = &[
    ("74100", "Annemasse"),
    ("74000", "Annecy"),
    ("74200", "Thonon-les-Bains"),
    ("74500", "Évian-les-Bains"),
    ("01210", "Ferney-Voltaire"),
    ("01630", "Saint-Genis-Pouilly"),
    ("74160", "Saint-Julien-en-Genevois"),
    ("73000", "Chambéry"),
    ("69002", "Lyon"),
    ("38000", "Grenoble"),
];
const CH_TOWNS: &[(&str, &str, Language)] = &[
    ("1201", "Genève", Language::Fr),
    ("1003", "Lausanne", Language::Fr),
    ("1260", "Nyon", Language::Fr),
    ("1950", "Sion", Language::Fr),
    ("3011", "Bern", Language::De),
    ("8001", "Zürich", Language::De),
    ("4051", "Basel", Language::De),
];
const STREETS: &[&str] =
    &["rue de la Gare", "avenue du Léman", "chemin des Vignes", "route de Genève", "place du Marché", "rue du Lac"];
const SALESPEOPLE: &[&str] = &["Claire Fontaine", "Marc Rey", "Sophie Blanc", "Luc Perrin"];
const BANKS: &[&str] = &[
    "Crédit Agricole des Savoie",
    "BNP Paribas",
    "Banque Populaire AURA",
    "UBS",
    "Banque Cantonale de Genève",
    "PostFinance",
];
const TERMS: &[(&str, u64)] = &[("NET30", 45), ("EOM30", 20), ("NET0", 10), ("30/60", 15), ("30/60/90", 10)];
const METHODS: &[&str] = &["transfer", "transfer", "transfer", "direct_debit", "cheque", "card"];

/// Customers generated and written per chunk.
const CHUNK: usize = 2_000;

impl App {
    /// Creates the demo company and fills it. `progress(done, total)` is called after each chunk.
    pub async fn demo(
        &self,
        opts: &DemoOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<DemoSummary, AppError> {
        self.demo_observed(opts, progress, &|_| {}).await
    }

    /// [`App::demo`], calling `step` after each [`DemoStep`]. Atomic as a whole: the company is created
    /// incomplete (hidden: not listed, its tokens refused, not counted by `serve --demo`) and marked
    /// complete in the last step's transaction; a demo left incomplete by a kill is removed first.
    pub async fn demo_observed(
        &self,
        opts: &DemoOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
        step: &(dyn Fn(DemoStep) + Sync),
    ) -> Result<DemoSummary, AppError> {
        if opts.customers == 0 || opts.customers > 10_000_000 {
            return Err(AppError::invalid(
                "customers",
                format!("{} is out of range; give 1 to 10000000", opts.customers),
            ));
        }
        let actor = Actor("demo".into());
        let removed_incomplete = self.remove_incomplete_demos().await?;
        let company_id = self
            .create_company_marked(
                &actor,
                &NewCompany {
                    name: "Alpes Léman Services SAS".into(),
                    country: "FR".into(),
                    base_currency: Currency::EUR,
                    language: Language::Fr,
                    address: "12 avenue de la Gare\n74100 Annemasse\nFrance".into(),
                },
                true,
            )
            .await?;
        step(DemoStep::CompanyCreated);
        let mut summary = DemoSummary { company_id, removed_incomplete, ..DemoSummary::default() };
        // Generating (pure, on its own thread) runs ahead of writing, two chunks at most.
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Chunk>(2);
        let generator_opts = opts.clone();
        let generator = std::thread::spawn(move || {
            let mut rng = Rng(generator_opts.seed ^ 0x00C0_FFEE);
            let mut start = 0;
            while start < generator_opts.customers {
                let end = (start + CHUNK).min(generator_opts.customers);
                let chunk = generate_chunk(&generator_opts, start..end, &mut rng);
                if sender.blocking_send(chunk).is_err() {
                    break; // the writer stopped on an error
                }
                start = end;
            }
        });
        let mut tx = self.db.begin_write().await?;
        let mut done = 0;
        while let Some(chunk) = receiver.recv().await {
            let chunk = chunk?;
            done += chunk.plans.len();
            write_chunk(&mut tx, company_id, chunk, &mut summary).await?;
            progress(done, opts.customers);
            step(DemoStep::ChunkWritten);
        }
        drop(receiver);
        if generator.join().is_err() {
            return Err(anyhow::anyhow!("the demo generator panicked").into());
        }
        // The journal of everything written, set-based: one statement per kind of entry.
        let codes = settings::account_codes(&mut tx, company_id).await?;
        journal::book_documents(&mut tx, company_id, &codes, Rows::After(0), "").await?;
        journal::book_payments(&mut tx, company_id, &codes, Rows::After(0)).await?;
        journal::book_allocation_transfers(&mut tx, company_id, &codes, Rows::After(0)).await?;
        summary.deposits = deposit_old_cheques(&mut tx, company_id, opts.as_of).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "demo.fill", "company", Some(company_id)).summary(format!(
                "demo data: {} customers, {} invoices, {} credit notes, {} payments (seed {}, as of {})",
                summary.customers, summary.invoices, summary.credit_notes, summary.payments, opts.seed, opts.as_of
            )),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        step(DemoStep::DataCommitted);
        self.db.analyze().await?;
        self.demo_money_situations(&actor, company_id, opts, &mut summary).await?;
        step(DemoStep::MoneySituations);
        self.demo_dunning(&actor, company_id, opts, &mut summary, step).await?;
        step(DemoStep::Complete);
        Ok(summary)
    }

    /// Dunning as a credit controller finds it: the France B2B interest table and a policy using it
    /// for a few customers, a disputed invoice, a reminder made by phone, letters issued 16 days ago to
    /// the first 300 customers' payers, and today's proposal for them left as a draft to edit.
    async fn demo_dunning(
        &self,
        actor: &Actor,
        company_id: i64,
        opts: &DemoOptions,
        summary: &mut DemoSummary,
        step: &(dyn Fn(DemoStep) + Sync),
    ) -> Result<(), AppError> {
        use creance_store::dunning::{PolicyInput, PolicyLevel};
        let table = self.create_interest_preset(actor, company_id, "fr_b2b").await?;
        let level = |level: i64, delay_days: i64, fee: i64| PolicyLevel {
            interest: level > 1,
            indemnity: level > 1,
            channel: "email".into(),
            ..PolicyLevel::plain(level, delay_days).with_fixed_fee(fee)
        };
        let policy = PolicyInput {
            code: "fr_b2b".into(),
            name: "France B2B: interest and 40 EUR indemnity from level 2, 10 EUR fee at level 3".into(),
            currency: Currency::EUR,
            min_amount: 1_000,
            list_not_due: true,
            allow_skip: true,
            repeat_last: false,
            payment_days: 8,
            interest_table_id: Some(table.id),
            interest_min: 500,
            levels: vec![level(1, 1, 0), level(2, 15, 0), level(3, 15, 1_000)],
            texts: Vec::new(),
        };
        self.save_dunning_policy(actor, company_id, &policy).await?;
        let range = crate::dunning::Criteria { customer_to: Some("C000300".into()), ..Default::default() };
        let page = crate::queries::Page { limit: 300, offset: 0 };
        let filter = creance_store::customers::CustomerFilter {
            number_to: Some("C000300".into()),
            currency: Some(Currency::EUR),
            ..Default::default()
        };
        let customers = self.customers(company_id, &filter, page).await?;
        for c in customers.items.iter().filter(|c| c.payer_id.is_none()).step_by(5).take(20) {
            let s = crate::dunning_settings::CustomerDunning { policy: Some("fr_b2b".into()), enabled: true };
            self.set_customer_dunning(actor, company_id, c.id, &s).await?;
        }
        let mut filter = OpenItemFilter::new(opts.as_of);
        filter.overdue = true;
        filter.currency = Some(Currency::EUR);
        filter.customer_number_to = Some("C000300".into());
        let open = self.open_items(company_id, &filter, &[], crate::queries::Page { limit: 4, offset: 0 }).await?;
        if let Some(item) = open.items.first() {
            let block = crate::dunning_settings::Block {
                installment_ids: vec![item.installment_id],
                reason: Some("dispute".into()),
                until: None,
                note: "quantité livrée contestée".into(),
            };
            self.block_installments(actor, company_id, &block).await?;
        }
        if let Some(item) = open.items.get(1) {
            let days = item.due_date.days_until(opts.as_of);
            if days > 2 {
                let rec = crate::dunning::RecordExternal {
                    installment_id: Some(item.installment_id),
                    document_number: None,
                    level: 1,
                    date: item.due_date.add_days(days.min(20) / 2).to_string(),
                    channel: "phone".into(),
                    note: "appel au service comptable".into(),
                    force: false,
                    reason: String::new(),
                };
                self.record_external_reminder(actor, company_id, &rec, opts.as_of).await?;
            }
        }
        let earlier = opts.as_of.add_days(-16);
        let criteria = crate::dunning::Criteria { as_of: Some(earlier.to_string()), ..range.clone() };
        let p = self.propose_dunning(actor, company_id, &criteria, earlier).await?;
        if let Some(run_id) = p.run_id() {
            let issued = self.issue_dunning(actor, company_id, run_id, earlier).await?;
            summary.letters_issued = issued.letters_issued as usize;
        }
        step(DemoStep::LettersIssued);
        let criteria = crate::dunning::Criteria { as_of: Some(opts.as_of.to_string()), ..range };
        self.propose_dunning(actor, company_id, &criteria, opts.as_of).await?;
        // The last step: the company becomes visible, with the audit event of the whole demo.
        let mut tx = self.db.begin_write().await?;
        creance_store::companies::set_incomplete(&mut tx, company_id, false).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "demo.complete", "company", Some(company_id))
                .summary(format!("demo complete: {} letters issued", summary.letters_issued)),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }

    /// A few of the situations a credit controller meets, made through the use cases themselves: an
    /// over-payment kept as credit, a payment waiting for its allocation, an advance for an order not
    /// invoiced yet, a refund waiting "to allocate".
    async fn demo_money_situations(
        &self,
        actor: &Actor,
        company_id: i64,
        opts: &DemoOptions,
        summary: &mut DemoSummary,
    ) -> Result<(), AppError> {
        use crate::payments::{AllocateRequest, RecordPayment};
        let page = crate::queries::Page { limit: 12, offset: 0 };
        let mut filter = OpenItemFilter::new(opts.as_of);
        filter.overdue = true;
        filter.currency = Some(Currency::EUR);
        let open = self.open_items(company_id, &filter, &[], page).await?;
        for (n, item) in open.items.iter().enumerate() {
            let (amount, allocate, order_ref) = match n % 4 {
                0 => (item.amount_open.minor() + 5_000, Some(AllocateRequest::Proposal), String::new()),
                1 => (item.amount_open.minor(), None, String::new()),
                2 => (25_000 + 1_000 * n as i64, None, format!("CMD-DEMO-{n:03}")),
                _ => continue,
            };
            let input = RecordPayment {
                customer_id: Some(item.customer_id),
                date: Some(opts.as_of.to_string()),
                amount: Money::new(amount, Currency::EUR).format_amount().into(),
                method: "transfer".into(),
                piece_number: format!("VIR {}", item.document_number),
                order_ref,
                confirm_duplicate: true,
                allocate,
                ..Default::default()
            };
            self.record_payment(actor, company_id, &input, opts.as_of).await?;
            summary.payments += 1;
        }
        if let Some(item) = open.items.first() {
            let refund = crate::refunds::RecordRefund {
                customer_id: Some(item.customer_id),
                date: Some(opts.as_of.to_string()),
                amount: "50.00".into(),
                reason: "overpayment".into(),
                method: "transfer".into(),
                ..Default::default()
            };
            self.record_refund(actor, company_id, &refund, opts.as_of).await?;
        }
        Ok(())
    }
}

/// Cheques received more than three days before `as_of` were deposited, one validated deposit per
/// week and currency to the demo's bank accounts, each booked bank / cheques to deposit. Returns the
/// deposit count.
async fn deposit_old_cheques(tx: &mut Tx, company_id: i64, as_of: Date) -> anyhow::Result<usize> {
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

/// How a customer pays: the share of installments paid, and how late.
struct Habit {
    pays_percent: u64,
    late_days_max: u64,
}

struct Plan {
    fields: CustomerFields,
    habit: Habit,
    contract: Option<ContractFields>,
    base_minor: i64,
    months_between: i32,
    term: &'static str,
}

fn make_customer(n: usize, opts: &DemoOptions, rng: &mut Rng) -> Plan {
    let number = format!("C{:06}", n + 1);
    let swiss = rng.chance(8);
    let (postal_code, city, country, language, currency) = if swiss {
        let (pc, city, lang) = *rng.pick(CH_TOWNS);
        (pc, city, "CH", lang, Currency::CHF)
    } else {
        let (pc, city) = *rng.pick(FR_TOWNS);
        (pc, city, "FR", if rng.chance(3) { Language::En } else { Language::Fr }, Currency::EUR)
    };
    let surname = *rng.pick(SURNAMES);
    let business = rng.chance(70);
    let name = if business {
        format!("{} {} {}", rng.pick(TRADES), surname, rng.pick(FORMS))
    } else {
        format!("{} {}", surname, rng.pick(&["Jean", "Marie", "Pierre", "Anne", "Luc", "Claire", "Paul", "Julie"]))
    };
    let slug: String = surname.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
    let email = format!("{slug}.{}@example.{}", n + 1, if swiss { "ch" } else { "fr" });
    // Some customers are paid for by an earlier customer (a head office, a syndic, a parent).
    let payer_number = (n > 10 && rng.chance(6)).then(|| format!("C{:06}", rng.below(n as u64 / 2) + 1));
    let habit = match rng.below(10) {
        0..=5 => Habit { pays_percent: 98, late_days_max: 10 },
        6..=8 => Habit { pays_percent: 85, late_days_max: 45 },
        _ => Habit { pays_percent: 55, late_days_max: 90 },
    };
    let contract = rng.chance(45).then(|| {
        let start = opts.as_of.add_days(-(400 + rng.below(1500) as i64));
        let ended = rng.chance(12);
        ContractFields {
            number: format!("AB{:07}", n + 1),
            customer_number: number.clone(),
            status: if ended { ContractStatus::Ended } else { ContractStatus::Active },
            start_date: start,
            end_date: ended.then(|| opts.as_of.add_days(-(rng.below(200) as i64))),
        }
    });
    let mut weight = rng.below(100);
    let term = TERMS
        .iter()
        .find(|(_, w)| {
            let hit = weight < *w;
            weight = weight.saturating_sub(*w);
            hit
        })
        .map_or("NET30", |(t, _)| *t);
    Plan {
        fields: CustomerFields {
            number,
            name,
            address: format!("{} {}", 1 + rng.below(120), rng.pick(STREETS)),
            postal_code: postal_code.into(),
            city: city.into(),
            country: country.into(),
            language,
            currency,
            email: email.clone(),
            dunning_email: if rng.chance(20) { format!("compta.{email}") } else { String::new() },
            payer_number,
            salesperson: rng.pick(SALESPEOPLE).to_string(),
            bank: rng.pick(BANKS).to_string(),
            comment: if rng.chance(5) { "Préfère être contacté par téléphone".into() } else { String::new() },
            dunning_enabled: !rng.chance(3),
        },
        habit,
        contract,
        base_minor: 2_000 + rng.below(if business { 250_000 } else { 30_000 }) as i64,
        months_between: *rng.pick(&[1, 1, 2, 2, 2, 3]),
        term,
    }
}

/// A document generated, with what will be paid on each installment.
struct GenDoc {
    customer: usize,
    fields: DocumentFields,
    /// Per installment: (paid amount in minor units, payment date, payment method).
    paid: Vec<Option<(i64, Date, &'static str)>>,
    /// For a credit note: the invoice (index in the chunk) it is allocated to, if any.
    credit_for: Option<usize>,
}

fn make_documents(
    plans: &[Plan],
    first: usize,
    opts: &DemoOptions,
    rng: &mut Rng,
    docs: &mut Vec<GenDoc>,
) -> anyhow::Result<()> {
    for (k, plan) in plans.iter().enumerate() {
        let currency = plan.fields.currency;
        let offset = rng.below(plan.months_between as u64) as i32;
        let mut month = -12 + offset;
        while month < 0 {
            let date = opts.as_of.add_months(month + 1).add_days(-(rng.below(28) as i64 + 1));
            month += plan.months_between;
            let seq = first * 16 + docs.len() + 1;
            let variation = 80 + rng.below(41) as i64; // 80 % .. 120 %
            let total = Money::new(plan.base_minor * variation / 100 * plan.months_between as i64, currency);
            let term =
                PaymentTerm::parse(plan.term, currency).map_err(|e| anyhow::anyhow!("demo term {}: {e}", plan.term))?;
            let schedule = term.schedule(date, total).map_err(|e| anyhow::anyhow!("demo schedule: {e}"))?;
            let mut paid = Vec::with_capacity(schedule.len());
            for (due, amount) in &schedule {
                let pay_date = due.add_days(rng.below(plan.habit.late_days_max + 1) as i64 - 5).max(date);
                let settles = pay_date < opts.as_of && rng.chance(plan.habit.pays_percent);
                paid.push(settles.then(|| {
                    // Now and then a customer pays a round amount and leaves a few cents open.
                    let short = if rng.chance(4) { amount.minor() % 100 } else { 0 };
                    (amount.minor() - short, pay_date, *rng.pick(METHODS))
                }));
            }
            docs.push(GenDoc {
                customer: k,
                fields: DocumentFields {
                    kind: DocumentKind::Invoice,
                    number: format!("FA{seq:08}"),
                    customer_number: plan.fields.number.clone(),
                    date,
                    currency,
                    total,
                    contract_number: plan.contract.as_ref().map(|c| c.number.clone()),
                    order_ref: if rng.chance(10) {
                        format!("CMD-{}", rng.below(90_000) + 10_000)
                    } else {
                        String::new()
                    },
                    text: format!("Prestations {}", date.month()),
                    payment_term: plan.term.to_string(),
                    installments: schedule.iter().map(|(d, a)| Due { due_date: *d, amount: *a }).collect(),
                },
                paid,
                credit_for: None,
            });
            // Some invoices get a partial credit note: allocated to the invoice when it is still open.
            if rng.chance(4) {
                let invoice = docs.len() - 1;
                let credit = Money::new((total.minor() * (5 + rng.below(30) as i64) / 100).max(1), currency);
                let credit_date = date.add_days(rng.below(20) as i64 + 1).min(opts.as_of);
                let allocate = docs[invoice].paid.first().is_some_and(Option::is_none) && rng.chance(70);
                docs.push(GenDoc {
                    customer: k,
                    fields: DocumentFields {
                        kind: DocumentKind::CreditNote,
                        number: format!("AV{seq:08}"),
                        customer_number: plan.fields.number.clone(),
                        date: credit_date,
                        currency,
                        total: credit,
                        contract_number: plan.contract.as_ref().map(|c| c.number.clone()),
                        order_ref: String::new(),
                        text: "Avoir commercial".into(),
                        payment_term: String::new(),
                        installments: vec![Due { due_date: credit_date, amount: credit }],
                    },
                    paid: vec![None],
                    credit_for: allocate.then_some(invoice),
                });
            }
        }
    }
    Ok(())
}

/// One chunk of customers with their documents, generated before any of it is written.
struct ChunkData {
    plans: Vec<Plan>,
    docs: Vec<GenDoc>,
}

type Chunk = anyhow::Result<ChunkData>;

fn generate_chunk(opts: &DemoOptions, range: std::ops::Range<usize>, rng: &mut Rng) -> Chunk {
    let plans: Vec<Plan> = range.clone().map(|n| make_customer(n, opts, rng)).collect();
    let mut docs = Vec::new();
    make_documents(&plans, range.start, opts, rng, &mut docs)?;
    Ok(ChunkData { plans, docs })
}

async fn write_chunk(
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
