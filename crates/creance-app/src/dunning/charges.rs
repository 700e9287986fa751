//! A draft run's charges (SPEC §4.6–§4.7): load the letters that charge and their items, let the core
//! compute each letter's fee, interest and indemnity, write them; and the letters' texts rendered.

use std::collections::HashMap;

use creance_core::dunning::charges::{self as core_charges, ChargeError, ChargeTerms, DunnedItem, RateTable};
use creance_core::dunning::{LetterFacts, LetterTexts, UnknownPlaceholder};
use creance_core::interest::{InterestError, RatePeriod};
use creance_core::{Date, Decimal, Money};
use creance_store::dunning::{InterestTable, Policy};
use creance_store::dunning_runs::{self as runs, ItemCharge, Letter, LetterCharge};
use creance_store::Tx;

use crate::AppError;

use super::rejections::DunningRejection;
use super::*;

/// Computes every draft letter's fees, late interest and indemnity (SPEC §4.7) and writes them, with
/// the letters' totals due. `fresh`: the proposal was just computed (nothing charged yet).
pub(super) async fn compute_charges(
    tx: &mut Tx,
    company_id: i64,
    run_id: i64,
    as_of: Date,
    documents_to: Option<Date>,
    rules: &Rules,
    fresh: bool,
) -> Result<(), AppError> {
    if !rules.policies.iter().any(|p| p.levels.iter().any(|l| l.charges_anything())) {
        // No level charges anything: only the totals due (and clearing what an earlier setting
        // charged, unless the proposal was just computed).
        if fresh {
            return Ok(runs::set_totals_due(tx, company_id, run_id).await?);
        }
        return Ok(runs::write_charges(tx, company_id, run_id, &[], &[]).await?);
    }
    let letters = runs::charging_letters(tx, company_id, run_id, as_of, documents_to).await?;
    let letter_ids: Vec<i64> = letters.iter().map(|l| l.0).collect();
    let items = runs::charge_items(tx, company_id, &letter_ids).await?;
    let installment_ids: Vec<i64> = items.iter().map(|i| i.installment_id).collect();
    let mut changes: HashMap<i64, Vec<(Date, i64)>> = HashMap::new();
    for (id, date, delta) in runs::open_changes(tx, company_id, &installment_ids).await? {
        changes.entry(id).or_default().push((date, delta));
    }
    let mut by_letter: HashMap<i64, Vec<DunnedItem>> = HashMap::new();
    for i in &items {
        by_letter.entry(i.letter_id).or_default().push(dunned_item(i, changes.get(&i.installment_id)));
    }
    let tables: HashMap<i64, RateTable> =
        rules.tables.iter().map(|t| Ok((t.id, rate_table(t)?))).collect::<Result<_, AppError>>()?;
    let mut item_charges = Vec::new();
    let mut letter_charges = Vec::new();
    // The fee base leaves out the fee and interest invoices the overdue total counts (SPEC §4.6).
    for (letter_id, policy_id, level, currency, overdue) in letters {
        let policy = rules.policy(policy_id)?;
        let Some(lvl) = policy.level(level) else { continue };
        let terms = ChargeTerms {
            policy_currency: policy.currency,
            fee: &lvl.fee,
            interest: lvl.interest,
            indemnity: lvl.indemnity,
            interest_min: policy.interest_min,
            table: policy.interest_table_id.and_then(|id| tables.get(&id)),
        };
        let dunned = by_letter.get(&letter_id).map(Vec::as_slice).unwrap_or(&[]);
        let c = core_charges::letter_charges(currency, Money::new(overdue, currency), &terms, dunned, as_of)
            .map_err(charge_error)?;
        item_charges.extend(c.items.iter().map(|i| ItemCharge {
            item_id: i.item_id,
            interest_from: i.interest_from,
            interest_to: i.interest_to,
            interest: i.interest.minor(),
            indemnity: i.indemnity.minor(),
        }));
        letter_charges.push(LetterCharge {
            letter_id,
            fee: c.fee.minor(),
            interest: c.interest.minor(),
            indemnity: c.indemnity.minor(),
            notes: c.notes.join("; "),
        });
    }
    runs::write_charges(tx, company_id, run_id, &item_charges, &letter_charges).await?;
    Ok(())
}

/// A missing rate is the user's to fix (a rejection naming the table); an overflow is ours.
pub(super) fn charge_error(e: ChargeError) -> AppError {
    match e {
        ChargeError::Interest { table, error: InterestError::NoRate(day) } => {
            DunningRejection::InterestRateMissing { table, day }.into()
        }
        ChargeError::Interest { table, error: InterestError::Overflow } => {
            AppError::Internal(anyhow::anyhow!("interest on table {table} overflows 128 bits"))
        }
        ChargeError::Money(m) => AppError::Internal(anyhow::Error::from(m)),
    }
}

/// A stored dunned item with its allocation history, as the core computes charges on it.
pub(super) fn dunned_item(i: &runs::ChargeItem, changes: Option<&Vec<(Date, i64)>>) -> DunnedItem {
    let currency = i.amount.currency();
    DunnedItem {
        item_id: i.item_id,
        document_id: i.document_id,
        document_kind: i.document_kind,
        indemnity_charged: i.indemnity_charged,
        due_date: i.due_date,
        amount: i.amount,
        interest_to_before: i.interest_to_before,
        open_changes: changes
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|(d, delta)| (*d, Money::new(*delta, currency)))
            .collect(),
    }
}

/// A stored rate table as the core computes interest with it: each period's rate is its reference
/// rate plus its margin.
pub(super) fn rate_table(t: &InterestTable) -> Result<RateTable, AppError> {
    let mut rates = Vec::with_capacity(t.rates.len());
    for r in &t.rates {
        let reference = Decimal::parse(&r.reference_percent).map_err(anyhow::Error::from)?;
        let margin = Decimal::parse(&r.margin_percent).map_err(anyhow::Error::from)?;
        let percent = reference.checked_add(margin).ok_or_else(|| anyhow::anyhow!("rate overflow"))?;
        rates.push(RatePeriod { from: r.from, percent });
    }
    Ok(RateTable {
        code: t.code.clone(),
        day_count: t.day_count,
        grace_days: t.grace_days,
        indemnity: t.indemnity,
        rates,
    })
}

pub(super) fn bad_text(field: &str) -> impl Fn(UnknownPlaceholder) -> AppError + '_ {
    move |e| AppError::invalid_said(field, e)
}

/// The letter's texts (its own, or its policy's for its level and language), rendered.
pub(crate) fn rendered(
    company: &str,
    l: &Letter,
    oldest: Option<Date>,
    policy: &Policy,
    date: Date,
) -> Result<Texts, AppError> {
    let texts = if l.texts_edited_by.is_some() || l.status.is_frozen() {
        LetterTexts { subject: l.subject.clone(), opening: l.opening.clone(), closing: l.closing.clone() }
    } else {
        match policy.text(l.level, &l.language) {
            Some(t) => {
                LetterTexts { subject: t.subject.clone(), opening: t.opening.clone(), closing: t.closing.clone() }
            }
            None => LetterTexts { subject: String::new(), opening: String::new(), closing: String::new() },
        }
    };
    let charges =
        l.fee.checked_add(l.interest).and_then(|m| m.checked_add(l.indemnity)).map_err(anyhow::Error::from)?;
    let facts = LetterFacts {
        company_name: company,
        payer_name: &l.payer_name,
        payer_number: &l.payer_number,
        letter_number: l.number.as_deref(),
        letter_date: l.letter_date.unwrap_or(date),
        level: l.level,
        overdue_total: l.overdue_total,
        credits_total: l.credits_total,
        charges_total: charges,
        total_due: l.total_due,
        payment_deadline: l.payment_deadline.or(Some(core_charges::payment_deadline(date, policy.payment_days))),
        oldest_due: oldest,
    };
    // Amounts and dates in the payer's locale: the texts are what the payer reads.
    let format = crate::documents::letter_format(&l.language, &l.payer_country);
    let out = texts.render_in(&facts, &format).map_err(|e| AppError::invalid_said(e.field, e.error))?;
    Ok(Texts { subject: out.subject, opening: out.opening, closing: out.closing })
}

/// Totals, left-out rules and charges of a draft run, after an edit or a recompute.
pub(super) async fn refresh_run(tx: &mut Tx, company_id: i64, run_id: i64, rules: &Rules) -> Result<(), AppError> {
    let run = runs::run(tx, company_id, run_id, false).await?.ok_or_else(|| not_found_run(run_id))?;
    let criteria: Criteria = serde_json::from_value(run.criteria.clone()).unwrap_or_default();
    let r = resolve(&criteria, rules, run.as_of)?;
    runs::refresh_letters(
        tx,
        company_id,
        run_id,
        &runs::Refresh {
            as_of: run.as_of,
            documents_to: r.selection.documents_to,
            minimums: &r.minimums,
            listing_not_due: &rules.listing_not_due(),
            fresh: false,
        },
    )
    .await?;
    compute_charges(tx, company_id, run_id, run.as_of, r.selection.documents_to, rules, false).await
}
