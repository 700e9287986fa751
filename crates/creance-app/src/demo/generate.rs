//! Generating the demo's customers and documents: pure (no I/O), deterministic for the seed, run
//! on its own thread ahead of the writer.

use creance_core::{ContractStatus, Currency, Date, DocumentKind, Language, Money, PaymentTerm};
use creance_store::contracts::ContractFields;
use creance_store::customers::CustomerFields;
use creance_store::documents::{DocumentFields, Due};

use super::names::{BANKS, CH_TOWNS, FORMS, FR_TOWNS, METHODS, SALESPEOPLE, STREETS, SURNAMES, TERMS, TRADES};
use super::{DemoOptions, Rng};

/// How a customer pays: the share of installments paid, and how late.
struct Habit {
    pays_percent: u64,
    late_days_max: u64,
}

pub(super) struct Plan {
    pub(super) fields: CustomerFields,
    habit: Habit,
    pub(super) contract: Option<ContractFields>,
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
pub(super) struct GenDoc {
    pub(super) customer: usize,
    pub(super) fields: DocumentFields,
    /// Per installment: (paid amount in minor units, payment date, payment method).
    pub(super) paid: Vec<Option<(i64, Date, &'static str)>>,
    /// For a credit note: the invoice (index in the chunk) it is allocated to, if any.
    pub(super) credit_for: Option<usize>,
}

fn make_documents(
    plans: &[Plan],
    first: usize,
    opts: &DemoOptions,
    rng: &mut Rng,
    docs: &mut Vec<GenDoc>,
) -> anyhow::Result<()> {
    // Document numbers: a range of `stride` per customer of the chunk (16 is more than twelve
    // months of invoices and their credit notes take).
    let stride = opts.installments_per_customer.map_or(16, |k| (2 * k).max(16));
    for (k, plan) in plans.iter().enumerate() {
        let currency = plan.fields.currency;
        let offset = rng.below(plan.months_between as u64) as i32;
        // The twelve months before `as_of`; or, with a count of installments per customer, as many
        // months back as it takes (the oldest invoice on a one-installment term to end on the count).
        let mut month = match opts.installments_per_customer {
            None => -12 + offset,
            Some(_) => -1 - offset,
        };
        let mut left = opts.installments_per_customer.unwrap_or(usize::MAX);
        while left > 0 && (month < 0 || opts.installments_per_customer.is_some()) {
            let date = opts.as_of.add_months(month + 1).add_days(-(rng.below(28) as i64 + 1));
            month += if opts.installments_per_customer.is_some() { -plan.months_between } else { plan.months_between };
            let seq = first * stride + docs.len() + 1;
            let variation = 80 + rng.below(41) as i64; // 80 % .. 120 %
            let total = Money::new(plan.base_minor * variation / 100 * plan.months_between as i64, currency);
            let mut term =
                PaymentTerm::parse(plan.term, currency).map_err(|e| anyhow::anyhow!("demo term {}: {e}", plan.term))?;
            let mut term_code = plan.term;
            if opts.installments_per_customer.is_some() && term.schedule(date, total).map_or(0, |s| s.len()) > left {
                term_code = "NET30";
                term = PaymentTerm::parse(term_code, currency).map_err(|e| anyhow::anyhow!("demo term NET30: {e}"))?;
            }
            let schedule = term.schedule(date, total).map_err(|e| anyhow::anyhow!("demo schedule: {e}"))?;
            left = left.saturating_sub(schedule.len());
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
                    payment_term: term_code.to_string(),
                    installments: schedule.iter().map(|(d, a)| Due { due_date: *d, amount: *a }).collect(),
                },
                paid,
                credit_for: None,
            });
            // Some invoices get a partial credit note: allocated to the invoice when it is still open.
            if rng.chance(4) && left > 0 {
                left = left.saturating_sub(usize::from(opts.installments_per_customer.is_some()));
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
pub(super) struct ChunkData {
    pub(super) plans: Vec<Plan>,
    pub(super) docs: Vec<GenDoc>,
}

pub(super) type Chunk = anyhow::Result<ChunkData>;

pub(super) fn generate_chunk(opts: &DemoOptions, range: std::ops::Range<usize>, rng: &mut Rng) -> Chunk {
    let plans: Vec<Plan> = range.clone().map(|n| make_customer(n, opts, rng)).collect();
    let mut docs = Vec::new();
    make_documents(&plans, range.start, opts, rng, &mut docs)?;
    Ok(ChunkData { plans, docs })
}
