//! Dunning use cases (SPEC §4.6, §4.7): propose, edit the draft, issue in one transaction, withdraw,
//! record a reminder made outside, and the views (to generate, in progress, history, deliveries).
//! Policies, interest tables and blocks are in [`crate::dunning_settings`].

use std::collections::HashMap;

use creance_core::dunning::charges::{self, ChargeError, ChargeTerms, DunnedItem, RateTable};
use creance_core::dunning::{
    DeliveryStatus, ExternalChannel, ItemKind, ItemStatus, LetterFacts, LetterStatus, LetterTexts, RunStatus,
    UnknownPlaceholder,
};
use creance_core::interest::RatePeriod;
use creance_core::{Currency, Date, Decimal, DocumentKind, Money};
use creance_store::audit::{self, AuditEvent};
use creance_store::documents::{self, DocumentFields, Due, NewDocument, NewInstallment};
use creance_store::dunning::{self as policies_store, InterestTable, Policy};
use creance_store::dunning_runs::{
    self as runs, Cutoff, HistoryEntry, IssuedLetter, Item, ItemCharge, Letter, LetterCharge, LetterFilter, Run,
    RunCounts, Selection,
};
use creance_store::journal::{self, Rows};
use creance_store::{companies, customers, series, settings, Tx};
use serde::{Deserialize, Serialize};

use crate::payments::{plain_text, CreditRef};
use crate::queries::{Listed, Page};
use crate::{Actor, App, AppError};

/// The criteria of a proposal (SPEC §4.6). Every field is optional but the as-of date defaults to today.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// YYYY-MM-DD; today when absent.
    pub as_of: Option<String>,
    /// Payers whose customer number is at least this.
    pub customer_from: Option<String>,
    /// Payers whose customer number is at most this.
    pub customer_to: Option<String>,
    pub currency: Option<String>,
    /// Only documents dated on or before this date.
    pub documents_to: Option<String>,
    /// Payers whose overdue total is lower (in the letter's currency, e.g. "50.00", or an exact JSON
    /// number) are left out.
    #[schema(value_type = Option<creance_store::openapi::AmountInputSchema>)]
    pub min_balance: Option<creance_core::AmountText>,
    /// Only payers under this policy (its code).
    pub policy: Option<String>,
    pub salesperson: Option<String>,
    /// Only these letter levels (e.g. [2, 3]).
    pub levels: Option<Vec<i64>>,
    /// Only installments overdue by at least this many days at the as-of date (seed 002).
    pub days_overdue_min: Option<i64>,
    /// Only installments overdue by at most this many days.
    pub days_overdue_max: Option<i64>,
}

/// A proposal with its counts and one page of letters. When nothing can be dunned, no draft is
/// saved: `run` is null and `letters` is the left-out list (letters with id 0, not stored).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    pub run: Option<Run>,
    pub counts: RunCounts,
    pub letters: Listed<Letter>,
}

/// One letter with its rows and its texts as they will print.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LetterDetail {
    pub letter: Letter,
    pub items: Vec<Item>,
    /// Subject, opening and closing with the placeholders filled in (the letter number shows as
    /// "(assigned when issued)" on a draft).
    pub preview: Texts,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub subject: String,
    pub opening: String,
    pub closing: String,
}

/// A level change on a draft letter.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeLevel {
    pub level: i64,
    /// Needed to skip a level (when the policy allows it).
    #[serde(default)]
    pub force: bool,
    /// Why (required when forcing).
    #[serde(default)]
    pub reason: String,
}

/// What issuing did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IssueReport {
    pub run: Run,
    pub letters_issued: i64,
    pub first_number: Option<String>,
    pub last_number: Option<String>,
    pub installments_updated: i64,
    /// Installments paid or blocked since the proposal that dropped out at issue.
    pub dropped_since_proposal: i64,
    pub fee_invoices: i64,
    pub interest_invoices: i64,
    pub queued: i64,
}

/// A reminder made outside Créance (by phone, by the previous software).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordExternal {
    /// The installment; or give `document_number` (every open installment of that invoice).
    pub installment_id: Option<i64>,
    pub document_number: Option<String>,
    pub level: i64,
    /// YYYY-MM-DD, not in the future.
    pub date: String,
    /// `email`, `letter`, `phone`, `visit` or `other`.
    pub channel: String,
    #[serde(default)]
    pub note: String,
    /// Needed to record a level that skips one (when the policy allows skipping).
    #[serde(default)]
    pub force: bool,
    /// Why the level is skipped (required when forcing).
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExternalRecorded {
    pub ids: Vec<i64>,
    pub installments: Vec<i64>,
    pub level: i64,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
}

/// Policies and rate tables, read once per use case.
pub(crate) struct Rules {
    default_policy_id: i64,
    policies: Vec<Policy>,
    tables: Vec<InterestTable>,
}

impl Proposal {
    /// The saved draft's id (none when there was nothing to dun).
    pub fn run_id(&self) -> Option<i64> {
        self.run.as_ref().map(|r| r.id)
    }
}

impl Rules {
    pub(crate) async fn load(tx: &mut Tx, company_id: i64) -> Result<Rules, AppError> {
        Ok(Rules {
            default_policy_id: policies_store::company_default(tx, company_id).await?,
            policies: policies_store::policies(tx, company_id).await?,
            tables: policies_store::interest_tables(tx, company_id).await?,
        })
    }

    /// The policies that list items not yet due.
    pub(crate) fn listing_not_due(&self) -> Vec<i64> {
        self.policies.iter().filter(|p| p.list_not_due).map(|p| p.id).collect()
    }

    fn policy(&self, id: i64) -> Result<&Policy, AppError> {
        self.policies
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("policy {id} vanished")))
    }

    /// The cut-offs past a last level that does not repeat (see [`Rules::cutoffs`]).
    fn beyond_cutoffs(&self, as_of: Date) -> Vec<Cutoff> {
        self.cutoffs(as_of).into_iter().filter(|c| c.beyond).collect()
    }

    /// Each policy's level transitions dated for `as_of`: level 0 → 1 from the due date, k → k+1 from
    /// level k's date, and the last level again when it repeats (beyond it when it does not).
    fn cutoffs(&self, as_of: Date) -> Vec<Cutoff> {
        let mut out = Vec::new();
        for p in &self.policies {
            for l in &p.levels {
                out.push(Cutoff {
                    policy_id: p.id,
                    from_level: l.level - 1,
                    to_level: l.level,
                    cutoff: as_of.add_days(-l.delay_days),
                    beyond: false,
                });
            }
            // The last level again when it repeats; else, once its delay has passed, the installment
            // is left out (`last_level_reached`) and listed for legal follow-up.
            if let Some(last) = p.level(p.max_level()) {
                out.push(Cutoff {
                    policy_id: p.id,
                    from_level: last.level,
                    to_level: last.level,
                    cutoff: as_of.add_days(-last.delay_days),
                    beyond: !p.repeat_last,
                });
            }
        }
        out
    }
}

/// Criteria checked and resolved: the selection, the as-of date and minimums per currency.
pub(crate) struct Resolved {
    pub(crate) as_of: Date,
    pub(crate) selection: Selection,
    pub(crate) minimums: Vec<(String, i64)>,
}

impl Resolved {
    /// What the letters' totals and left-out rules need (`listing_not_due`: the policies that list
    /// items not yet due, from [`Rules`]).
    pub(crate) fn refresh<'a>(&'a self, listing_not_due: &'a [i64], fresh: bool) -> runs::Refresh<'a> {
        runs::Refresh {
            as_of: self.as_of,
            documents_to: self.selection.documents_to,
            minimums: &self.minimums,
            listing_not_due,
            fresh,
        }
    }
}

pub(crate) fn resolve(c: &Criteria, rules: &Rules, today: Date) -> Result<Resolved, AppError> {
    let as_of = crate::query_args::date("as_of", &c.as_of)?.unwrap_or(today);
    let currency = crate::query_args::currency("currency", &c.currency)?;
    let documents_to = crate::query_args::date("documents_to", &c.documents_to)?;
    let policy_id = match &c.policy {
        None => None,
        Some(code) => Some(
            rules
                .policies
                .iter()
                .find(|p| &p.code == code)
                .ok_or_else(|| {
                    let known: Vec<&str> = rules.policies.iter().map(|p| p.code.as_str()).collect();
                    AppError::invalid("policy", format!("no policy {code:?}; the policies are {}", known.join(", ")))
                })?
                .id,
        ),
    };
    let levels = c.levels.clone().unwrap_or_default();
    for l in &levels {
        if *l < 1 {
            return Err(AppError::invalid("levels", format!("{l} is not a level; levels start at 1")));
        }
    }
    if let (Some(f), Some(t)) = (&c.customer_from, &c.customer_to) {
        if f > t {
            return Err(AppError::invalid("customer_to", format!("{t:?} comes before customer_from {f:?}")));
        }
    }
    let mut minimums = Vec::new();
    if let Some(text) = &c.min_balance {
        let currencies: Vec<Currency> = match currency {
            Some(cur) => vec![cur],
            None => Currency::ALL.to_vec(),
        };
        for cur in currencies {
            match Money::parse_input(text, cur) {
                Ok(m) if !m.is_negative() => minimums.push((cur.code().to_string(), m.minor())),
                Ok(_) => return Err(AppError::invalid("min_balance", format!("{text:?} is negative"))),
                // An amount with more decimals than a currency has does not apply to that currency.
                Err(e) if currency.is_some() => return Err(AppError::invalid("min_balance", e.to_string())),
                Err(_) => {}
            }
        }
        if minimums.is_empty() {
            return Err(AppError::invalid("min_balance", format!("{text:?} is not an amount")));
        }
    }
    for (field, v) in [("days_overdue_min", c.days_overdue_min), ("days_overdue_max", c.days_overdue_max)] {
        if let Some(n) = v {
            if !(0..=36_500).contains(&n) {
                return Err(AppError::invalid(field, format!("{n} is not a number of days from 0 to 36500")));
            }
        }
    }
    if let (Some(min), Some(max)) = (c.days_overdue_min, c.days_overdue_max) {
        if min > max {
            return Err(AppError::invalid("days_overdue_max", format!("{max} is less than days_overdue_min {min}")));
        }
    }
    let text = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Resolved {
        as_of,
        selection: Selection {
            default_policy_id: rules.default_policy_id,
            cutoffs: rules.cutoffs(as_of),
            customer_from: text(&c.customer_from),
            customer_to: text(&c.customer_to),
            currency: currency.map(|c| c.code().to_string()),
            documents_to,
            policy_id,
            salesperson: text(&c.salesperson),
            levels,
            due_to: c.days_overdue_min.map(|n| as_of.add_days(-n)),
            due_from: c.days_overdue_max.map(|n| as_of.add_days(-n)),
        },
        minimums,
    })
}

/// Computes every draft letter's fees, late interest and indemnity (SPEC §4.7) and writes them, with
/// the letters' totals due. `fresh`: the proposal was just computed (nothing charged yet).
async fn compute_charges(
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
        let fee = lvl.fee(policy.currency)?;
        let terms = ChargeTerms {
            policy_currency: policy.currency,
            fee: &fee,
            interest: lvl.interest,
            indemnity: lvl.indemnity,
            interest_min: Money::new(policy.interest_min, policy.currency),
            table: policy.interest_table_id.and_then(|id| tables.get(&id)),
        };
        let dunned = by_letter.get(&letter_id).map(Vec::as_slice).unwrap_or(&[]);
        let c = charges::letter_charges(currency, Money::new(overdue, currency), &terms, dunned, as_of)
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

/// A missing rate is the user's to fix (a conflict naming the table); an overflow is ours.
fn charge_error(e: ChargeError) -> AppError {
    match e {
        ChargeError::Interest { .. } => AppError::Conflict(e.to_string()),
        ChargeError::Money(m) => AppError::Internal(anyhow::Error::from(m)),
    }
}

/// A stored dunned item with its allocation history, as the core computes charges on it.
fn dunned_item(i: &runs::ChargeItem, changes: Option<&Vec<(Date, i64)>>) -> DunnedItem {
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
fn rate_table(t: &InterestTable) -> Result<RateTable, AppError> {
    let mut rates = Vec::with_capacity(t.rates.len());
    for r in &t.rates {
        let reference = Decimal::parse(&r.reference_percent).map_err(anyhow::Error::from)?;
        let margin = Decimal::parse(&r.margin_percent).map_err(anyhow::Error::from)?;
        let percent = reference.checked_add(margin).ok_or_else(|| anyhow::anyhow!("rate overflow"))?;
        rates.push(RatePeriod { from: r.from, percent });
    }
    let indemnity = match Currency::parse(&t.indemnity_currency) {
        Ok(c) => Money::new(t.indemnity, c),
        Err(_) if t.indemnity == 0 => Money::zero(Currency::EUR),
        Err(e) => return Err(anyhow::anyhow!("interest table {}: indemnity currency: {e}", t.code).into()),
    };
    Ok(RateTable { code: t.code.clone(), day_count: t.day_count, grace_days: t.grace_days, indemnity, rates })
}

fn bad_text(field: &str) -> impl Fn(UnknownPlaceholder) -> AppError + '_ {
    move |e| AppError::invalid(field, e.to_string())
}

/// The letter's texts (its own, or its policy's for its level and language), rendered.
fn rendered(company: &str, l: &Letter, oldest: Option<Date>, policy: &Policy, date: Date) -> Result<Texts, AppError> {
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
        payment_deadline: l.payment_deadline.or(Some(charges::payment_deadline(date, policy.payment_days))),
        oldest_due: oldest,
    };
    let out = texts.render(&facts).map_err(|e| AppError::invalid(e.field, e.error.to_string()))?;
    Ok(Texts { subject: out.subject, opening: out.opening, closing: out.closing })
}

fn not_found_letter(id: i64) -> AppError {
    AppError::NotFound { entity: "dunning letter", key: id.to_string() }
}

fn not_found_run(id: i64) -> AppError {
    AppError::NotFound { entity: "dunning proposal", key: id.to_string() }
}

/// A draft letter, read in a write transaction, with its run (which must be a draft).
async fn draft_letter(tx: &mut Tx, company_id: i64, letter_id: i64) -> Result<Letter, AppError> {
    let l = runs::letter(tx, company_id, letter_id).await?.ok_or_else(|| not_found_letter(letter_id))?;
    let run = runs::run(tx, company_id, l.run_id, true).await?.ok_or_else(|| not_found_run(l.run_id))?;
    if run.status != RunStatus::Draft {
        return Err(AppError::Conflict(format!("proposal {} is {}; only a draft can be edited", run.id, run.status)));
    }
    Ok(l)
}

/// Writes a proposal's run, candidates and letters with their totals and left-out reasons (no
/// charges): what the proposal and the "to generate" view share. Returns the run's id.
pub(crate) async fn compute_run(
    tx: &mut Tx,
    company_id: i64,
    c: &Criteria,
    r: &Resolved,
    rules: &Rules,
    actor: &Actor,
) -> Result<i64, AppError> {
    let criteria = serde_json::to_string(c).map_err(anyhow::Error::from)?;
    let run_id = runs::create_run(tx, company_id, r.as_of, &criteria, actor.as_str()).await?;
    let n = runs::insert_candidates(tx, company_id, run_id, r.as_of, &r.selection).await?;
    if n > 0 {
        runs::insert_letters(tx, company_id, run_id, rules.default_policy_id).await?;
    }
    let beyond = runs::insert_beyond_letters(tx, company_id, run_id, r.as_of, &r.selection).await?;
    if n > 0 || beyond > 0 {
        // What follows joins the rows just written: PostgreSQL plans it on fresh statistics.
        creance_store::analyze_in(tx, &["dunning_items", "dunning_letters"]).await?;
        let listing_not_due = rules.listing_not_due();
        runs::refresh_letters(tx, company_id, run_id, &r.refresh(&listing_not_due, true)).await?;
    }
    Ok(run_id)
}

impl App {
    /// Computes a proposal (SPEC §4.6) and saves it as a draft. When no payer can be dunned, nothing is
    /// saved (no empty draft): the answer has no run and lists the left-out payers.
    pub async fn propose_dunning(
        &self,
        actor: &Actor,
        company_id: i64,
        c: &Criteria,
        today: Date,
    ) -> Result<Proposal, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write().await?;
            let rules = Rules::load(&mut tx, company_id).await?;
            let r = resolve(c, &rules, today)?;
            let run_id = compute_run(&mut tx, company_id, c, &r, &rules, actor).await?;
            let counts = runs::run_counts(&mut tx, company_id, run_id).await?;
            if counts.draft > 0 {
                compute_charges(&mut tx, company_id, run_id, r.as_of, r.selection.documents_to, &rules, true).await?;
            }
            let f = LetterFilter { run_id: Some(run_id), ..Default::default() };
            let (mut items, total_count) = runs::letters(&mut tx, company_id, &f, 100, 0).await?;
            runs::fill_days_late(&mut tx, company_id, &mut items).await?;
            if counts.draft == 0 {
                // Nothing to dun: the left-out list is the answer, and nothing is written.
                tx.rollback().await.map_err(anyhow::Error::from)?;
                for l in &mut items {
                    (l.id, l.run_id) = (0, 0);
                }
                return Ok(Proposal {
                    run: None,
                    counts,
                    letters: Listed { items, total_count, limit: 100, offset: 0 },
                });
            }
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "dunning.propose", "dunning_run", Some(run_id)).summary(
                    format!(
                        "proposal as of {}: {} letter(s), {} left out, {} installment(s)",
                        r.as_of, counts.draft, counts.left_out, counts.items
                    ),
                ),
            )
            .await?;
            // The answer is read in the same transaction: the counts are already known.
            let run = runs::run(&mut tx, company_id, run_id, false).await?.ok_or_else(|| not_found_run(run_id))?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(Proposal { run: Some(run), counts, letters: Listed { items, total_count, limit: 100, offset: 0 } })
        })
        .await
    }

    /// A proposal with one page of its letters (`status`: only letters with that status).
    pub async fn dunning_proposal(
        &self,
        company_id: i64,
        id: i64,
        status: Option<&str>,
        page: Page,
    ) -> Result<Proposal, AppError> {
        if let Some(s) = status {
            check_letter_status(s)?;
        }
        let mut tx = self.db.begin_read().await?;
        let run = runs::run(&mut tx, company_id, id, false).await?.ok_or_else(|| not_found_run(id))?;
        let counts = runs::run_counts(&mut tx, company_id, id).await?;
        let f = LetterFilter { run_id: Some(id), status: status.map(str::to_string), ..Default::default() };
        let (mut items, total_count) = runs::letters(&mut tx, company_id, &f, page.limit, page.offset).await?;
        runs::fill_days_late(&mut tx, company_id, &mut items).await?;
        let letters = Listed { items, total_count, limit: page.limit, offset: page.offset };
        Ok(Proposal { run: Some(run), counts, letters })
    }

    pub async fn dunning_proposals(
        &self,
        company_id: i64,
        status: Option<&str>,
        page: Page,
    ) -> Result<Listed<Run>, AppError> {
        let status = status
            .map(|s| {
                RunStatus::parse(s)
                    .ok_or_else(|| AppError::invalid("status", format!("{s:?} is not draft, issued or deleted")))
            })
            .transpose()?;
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) = runs::runs(&mut tx, company_id, status, page.limit, page.offset).await?;
        Ok(Listed { items, total_count, limit: page.limit, offset: page.offset })
    }

    /// One letter with its rows and its texts as they will print.
    pub async fn dunning_letter(&self, company_id: i64, id: i64, today: Date) -> Result<LetterDetail, AppError> {
        let mut tx = self.db.begin_read().await?;
        let mut letter = runs::letter(&mut tx, company_id, id).await?.ok_or_else(|| not_found_letter(id))?;
        runs::fill_days_late(&mut tx, company_id, std::slice::from_mut(&mut letter)).await?;
        let mut items = runs::items(&mut tx, company_id, &letter).await?;
        let rules = Rules::load(&mut tx, company_id).await?;
        let company = companies::get(&mut tx, company_id).await?.ok_or_else(|| anyhow::anyhow!("company"))?;
        let run =
            runs::run(&mut tx, company_id, letter.run_id, false).await?.ok_or_else(|| not_found_run(letter.run_id))?;
        if !letter.status.is_frozen() {
            // Until issued, what a letter lists besides its dunned installments is read as it is now.
            let listed = runs::context_items(
                &mut tx,
                company_id,
                &letter,
                run.as_of,
                documents_to(&run),
                &rules.beyond_cutoffs(run.as_of),
            )
            .await?;
            let at = items.iter().position(|i| i.kind != ItemKind::Due).unwrap_or(items.len());
            items.splice(at..at, listed);
        }
        let oldest = oldest_dunned(&items);
        let preview = rendered(&company.name, &letter, oldest, rules.policy(letter.policy_id)?, today.max(run.as_of))?;
        Ok(LetterDetail { letter, items, preview })
    }

    pub async fn dunning_letter_by_number(
        &self,
        company_id: i64,
        number: &str,
        today: Date,
    ) -> Result<LetterDetail, AppError> {
        let mut tx = self.db.begin_read().await?;
        let id = runs::letter_by_number(&mut tx, company_id, number)
            .await?
            .ok_or(AppError::NotFound { entity: "dunning letter", key: number.to_string() })?;
        drop(tx);
        self.dunning_letter(company_id, id, today).await
    }

    /// Letters across proposals: by status, payer or customer, or "in progress" (issued, with a
    /// dunned installment still open).
    pub async fn dunning_letters(
        &self,
        company_id: i64,
        filter: &LetterFilter,
        page: Page,
    ) -> Result<Listed<Letter>, AppError> {
        if let Some(s) = &filter.status {
            check_letter_status(s)?;
        }
        let mut tx = self.db.begin_read().await?;
        let (mut items, total_count) = runs::letters(&mut tx, company_id, filter, page.limit, page.offset).await?;
        runs::fill_days_late(&mut tx, company_id, &mut items).await?;
        Ok(Listed { items, total_count, limit: page.limit, offset: page.offset })
    }

    /// Runs an edit of a draft letter in one transaction, then recomputes its run's totals and charges.
    async fn edit_letter(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        edit: &Edit,
    ) -> Result<LetterDetail, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write().await?;
            let l = draft_letter(&mut tx, company_id, letter_id).await?;
            let rules = Rules::load(&mut tx, company_id).await?;
            let summary = apply_edit(&mut tx, company_id, &l, &rules, actor, edit).await?;
            refresh_run(&mut tx, company_id, l.run_id, &rules).await?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), edit.action(), "dunning_letter", Some(letter_id))
                    .summary(format!("letter {} to {} ({}): {summary}", l.id, l.payer_number, l.currency)),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.dunning_letter(company_id, letter_id, creance_store::clock::today_utc()).await
    }

    /// Removes a payer's letter from a draft (its installments are free for another proposal).
    pub async fn remove_dunning_letter(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        reason: &str,
    ) -> Result<LetterDetail, AppError> {
        plain_text("reason", reason)?;
        let reason =
            if reason.trim().is_empty() { "removed by a clerk".to_string() } else { reason.trim().to_string() };
        self.edit_letter(actor, company_id, letter_id, &Edit::RemoveLetter(reason)).await
    }

    /// Puts a removed letter back into the draft.
    pub async fn restore_dunning_letter(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
    ) -> Result<LetterDetail, AppError> {
        self.edit_letter(actor, company_id, letter_id, &Edit::RestoreLetter).await
    }

    /// Removes one installment from a draft letter (or puts it back with `restore`).
    pub async fn remove_dunning_item(
        &self,
        actor: &Actor,
        company_id: i64,
        item_id: i64,
        reason: &str,
        restore: bool,
    ) -> Result<LetterDetail, AppError> {
        plain_text("reason", reason)?;
        let mut tx = self.db.begin_read().await?;
        let letter_id = runs::letter_of_item(&mut tx, company_id, item_id)
            .await?
            .ok_or(AppError::NotFound { entity: "dunning item", key: item_id.to_string() })?;
        drop(tx);
        let reason =
            if reason.trim().is_empty() { "removed by a clerk".to_string() } else { reason.trim().to_string() };
        self.edit_letter(actor, company_id, letter_id, &Edit::Item { item_id, reason, restore }).await
    }

    /// Changes a draft letter's level (SPEC §4.6). Down: each installment goes to the lower level but
    /// never below its current one. Up: skipping a level needs the policy's permission, `force` and a
    /// reason, all recorded with who did it.
    pub async fn change_dunning_level(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        change: &ChangeLevel,
    ) -> Result<LetterDetail, AppError> {
        plain_text("reason", &change.reason)?;
        self.edit_letter(actor, company_id, letter_id, &Edit::Level(change.clone())).await
    }

    /// Edits one draft letter's texts (`None`: back to the policy's texts).
    pub async fn edit_dunning_texts(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        texts: Option<&Texts>,
    ) -> Result<LetterDetail, AppError> {
        if let Some(t) = texts {
            for (field, value) in [("subject", &t.subject), ("opening", &t.opening), ("closing", &t.closing)] {
                plain_text(field, value)?;
                creance_core::dunning::check_placeholders(value).map_err(bad_text(field))?;
            }
        }
        self.edit_letter(actor, company_id, letter_id, &Edit::Texts(texts.cloned())).await
    }

    /// Marks a draft letter to be issued without sending (`send` false), or to be sent again.
    pub async fn set_dunning_send(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        send: bool,
    ) -> Result<LetterDetail, AppError> {
        self.edit_letter(actor, company_id, letter_id, &Edit::Send(send)).await
    }

    /// Recomputes a draft: installments paid or blocked since drop out, amounts and credits are
    /// brought up to date, the left-out rules and charges applied again; the clerk's edits stay.
    pub async fn recompute_dunning(&self, actor: &Actor, company_id: i64, run_id: i64) -> Result<Proposal, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write().await?;
            let run = runs::run(&mut tx, company_id, run_id, true).await?.ok_or_else(|| not_found_run(run_id))?;
            if run.status != RunStatus::Draft {
                return Err(AppError::Conflict(format!(
                    "proposal {run_id} is {}; only a draft is recomputed",
                    run.status
                )));
            }
            let rules = Rules::load(&mut tx, company_id).await?;
            let dropped = runs::refresh_items(&mut tx, company_id, run_id, run.as_of).await?;
            refresh_run(&mut tx, company_id, run_id, &rules).await?;
            runs::set_run_status(&mut tx, company_id, run_id, RunStatus::Draft, RunStatus::Draft, actor.as_str())
                .await?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "dunning.recompute", "dunning_run", Some(run_id))
                    .summary(format!("{dropped} installment(s) paid or blocked since dropped out")),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.dunning_proposal(company_id, run_id, None, Page { limit: 100, offset: 0 }).await
    }

    /// Deletes a draft proposal: its installments are free again. Nothing was issued, nothing changes.
    pub async fn delete_dunning_proposal(&self, actor: &Actor, company_id: i64, run_id: i64) -> Result<Run, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write().await?;
            let run = runs::run(&mut tx, company_id, run_id, true).await?.ok_or_else(|| not_found_run(run_id))?;
            if !runs::set_run_status(&mut tx, company_id, run_id, RunStatus::Draft, RunStatus::Deleted, actor.as_str())
                .await?
            {
                return Err(AppError::Conflict(format!(
                    "proposal {run_id} is {}; only a draft can be deleted",
                    run.status
                )));
            }
            runs::release_run(&mut tx, company_id, run_id).await?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "dunning.delete", "dunning_run", Some(run_id))
                    .summary(format!("draft proposal as of {} deleted", run.as_of)),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        let mut tx = self.db.begin_read().await?;
        runs::run(&mut tx, company_id, run_id, false).await?.ok_or_else(|| not_found_run(run_id))
    }

    /// Issues a draft proposal in one transaction (SPEC §4.6): it is first brought up to date (what
    /// was paid since drops out), then each letter gets its number from the gapless series and its
    /// texts rendered and frozen, each dunned installment its new level and date, fees and interest
    /// become fee and interest invoices booked in the journal, and the letters are queued.
    pub async fn issue_dunning(
        &self,
        actor: &Actor,
        company_id: i64,
        run_id: i64,
        today: Date,
    ) -> Result<IssueReport, AppError> {
        let report = self
            .with_retry(|| async {
                let mut tx = self.db.begin_write().await?;
                let run = runs::run(&mut tx, company_id, run_id, true).await?.ok_or_else(|| not_found_run(run_id))?;
                if run.status != RunStatus::Draft {
                    return Err(AppError::Conflict(format!("proposal {run_id} is {}; only a draft is issued", run.status)));
                }
                if run.as_of > today {
                    return Err(AppError::Conflict(format!(
                        "proposal {run_id} is as of {}, after today ({today}); it can be issued from that date",
                        run.as_of
                    )));
                }
                let rules = Rules::load(&mut tx, company_id).await?;
                let dropped = runs::refresh_items(&mut tx, company_id, run_id, run.as_of).await?;
                refresh_run(&mut tx, company_id, run_id, &rules).await?;
                let company = companies::get(&mut tx, company_id).await?.ok_or_else(|| anyhow::anyhow!("company"))?;
                let f = LetterFilter { run_id: Some(run_id), status: Some(LetterStatus::Draft.to_string()), ..Default::default() };
                let (letters, _) = runs::letters(&mut tx, company_id, &f, i64::MAX, 0).await?;
                let numbers = series::take(&mut tx, company_id, "letter", today.year(), letters.len() as i64).await?;
                let charges = create_charge_documents(&mut tx, company_id, &letters, &rules, today).await?;
                let oldest: HashMap<i64, Date> =
                    runs::oldest_dunned_due_dates(&mut tx, company_id, run_id).await?.into_iter().collect();
                let mut issued = Vec::with_capacity(letters.len());
                for (l, number) in letters.iter().zip(&numbers) {
                    let policy = rules.policy(l.policy_id)?;
                    let deadline = charges::payment_deadline(today, policy.payment_days);
                    let mut numbered = l.clone();
                    numbered.number = Some(number.clone());
                    numbered.letter_date = Some(today);
                    numbered.payment_deadline = Some(deadline);
                    let oldest = oldest.get(&l.id).copied();
                    let texts = rendered(&company.name, &numbered, oldest, policy, today)?;
                    let (fee_doc, interest_doc) = charges.get(&l.id).copied().unwrap_or((None, None));
                    issued.push(IssuedLetter {
                        letter_id: l.id,
                        number: number.clone(),
                        payment_deadline: deadline,
                        subject: texts.subject,
                        opening: texts.opening,
                        closing: texts.closing,
                        fee_document_id: fee_doc,
                        interest_document_id: interest_doc,
                    });
                }
                runs::write_issued(&mut tx, company_id, today, &issued).await?;
                let beyond = rules.beyond_cutoffs(run.as_of);
                runs::insert_context(&mut tx, company_id, run_id, run.as_of, documents_to(&run), &beyond).await?;
                let updated = runs::apply_issue(&mut tx, company_id, run_id).await?;
                runs::release_run(&mut tx, company_id, run_id).await?;
                runs::set_run_status(&mut tx, company_id, run_id, RunStatus::Draft, RunStatus::Issued, actor.as_str()).await?;
                let fee_invoices = charges.values().filter(|c| c.0.is_some()).count() as i64;
                let interest_invoices = charges.values().filter(|c| c.1.is_some()).count() as i64;
                let queued = letters.iter().filter(|l| l.send).count() as i64;
                audit::record(
                    &mut tx,
                    &AuditEvent::new(company_id, actor.as_str(), "dunning.issue", "dunning_run", Some(run_id)).summary(format!(
                        "{} letter(s) issued ({}–{}), {updated} installment(s) updated, {fee_invoices} fee and {interest_invoices} interest invoice(s)",
                        letters.len(),
                        numbers.first().map(String::as_str).unwrap_or("-"),
                        numbers.last().map(String::as_str).unwrap_or("-"),
                    )),
                )
                .await?;
                let run = runs::run(&mut tx, company_id, run_id, false).await?.ok_or_else(|| not_found_run(run_id))?;
                tx.commit().await.map_err(anyhow::Error::from)?;
                Ok(IssueReport {
                    run,
                    letters_issued: letters.len() as i64,
                    first_number: numbers.first().cloned(),
                    last_number: numbers.last().cloned(),
                    installments_updated: updated as i64,
                    dropped_since_proposal: dropped as i64,
                    fee_invoices,
                    interest_invoices,
                    queued,
                })
            })
            .await?;
        Ok(report)
    }

    /// Withdraws an issued letter (SPEC §4.6): its installments go back to their level and date
    /// before it, interest is chargeable again for the same days, the indemnity again for its
    /// invoices, and its fee and interest invoices are cancelled by credit notes. A letter whose
    /// installments were dunned again since is withdrawn after the later letter.
    pub async fn withdraw_dunning_letter(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        reason: &str,
        today: Date,
    ) -> Result<LetterDetail, AppError> {
        plain_text("reason", reason)?;
        if reason.trim().is_empty() {
            return Err(AppError::invalid("reason", "say why the letter is withdrawn"));
        }
        self.with_retry(|| async {
            let mut tx = self.db.begin_write().await?;
            let l = runs::letter(&mut tx, company_id, letter_id).await?.ok_or_else(|| not_found_letter(letter_id))?;
            if l.status != LetterStatus::Issued {
                return Err(AppError::Conflict(format!(
                    "letter {} is {}; only an issued letter is withdrawn",
                    l.number.clone().unwrap_or_else(|| l.id.to_string()),
                    l.status
                )));
            }
            let number = l.number.clone().unwrap_or_default();
            let later = runs::dunned_since(&mut tx, company_id, &l).await?;
            if !later.is_empty() {
                return Err(AppError::Conflict(format!(
                    "{} of letter {number} were dunned again since ({}); withdraw the later letter first",
                    if later.len() == 1 { "an installment" } else { "installments" },
                    later.join(", ")
                )));
            }
            let codes = settings::account_codes(&mut tx, company_id).await?;
            let mut cancelled = Vec::new();
            for doc_id in [l.fee_document_id, l.interest_document_id].into_iter().flatten() {
                cancelled.push(cancel_by_credit_note(&mut tx, company_id, &codes, doc_id, &number, today).await?);
            }
            runs::apply_withdraw(&mut tx, company_id, &l, actor.as_str(), reason.trim()).await?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "dunning.withdraw", "dunning_letter", Some(l.id)).summary(
                    format!(
                        "letter {number} withdrawn: {}{}",
                        reason.trim(),
                        if cancelled.is_empty() {
                            String::new()
                        } else {
                            format!("; credit note(s) {}", cancelled.join(", "))
                        }
                    ),
                ),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.dunning_letter(company_id, letter_id, today).await
    }

    /// Records a reminder made outside Créance (SPEC §4.6): the installment takes that level and date,
    /// so the next level becomes possible. The level may not go down (withdraw a letter for that),
    /// nor beyond the policy's last level; the date may not be in the future nor before the due date.
    pub async fn record_external_reminder(
        &self,
        actor: &Actor,
        company_id: i64,
        input: &RecordExternal,
        today: Date,
    ) -> Result<ExternalRecorded, AppError> {
        let date = crate::query_args::date("date", &Some(input.date.clone()))?
            .ok_or_else(|| AppError::invalid("date", "a date is required"))?;
        if date > today {
            return Err(AppError::invalid("date", format!("{date} is in the future")));
        }
        let channel = ExternalChannel::parse(&input.channel).ok_or_else(|| {
            AppError::invalid("channel", format!("{:?} is not one of {}", input.channel, ExternalChannel::words()))
        })?;
        plain_text("note", &input.note)?;
        plain_text("reason", &input.reason)?;
        if input.level < 1 {
            return Err(AppError::invalid("level", format!("{} is not a level; levels start at 1", input.level)));
        }
        self.with_retry(|| async {
            let mut tx = self.db.begin_write().await?;
            let rules = Rules::load(&mut tx, company_id).await?;
            let targets: Vec<documents::Installment> = match (input.installment_id, &input.document_number) {
                (Some(id), None) => {
                    vec![documents::get_installment(&mut tx, company_id, id).await?.ok_or_else(|| {
                        AppError::invalid("installment_id", format!("no installment {id} in this company"))
                    })?]
                }
                (None, Some(number)) => {
                    let docs = documents::by_numbers(&mut tx, company_id, std::slice::from_ref(number)).await?;
                    let doc = docs.into_iter().find(|d| d.kind.is_debit()).ok_or_else(|| {
                        AppError::invalid("document_number", format!("no invoice {number:?} in this company"))
                    })?;
                    let open: Vec<_> = doc.installments.into_iter().filter(|i| i.amount_open.is_positive()).collect();
                    if open.is_empty() {
                        return Err(AppError::invalid("document_number", format!("{number} has nothing open")));
                    }
                    open
                }
                _ => return Err(AppError::invalid("installment_id", "give either installment_id or document_number")),
            };
            let mut ids = Vec::new();
            for inst in &targets {
                let doc = documents::get(&mut tx, company_id, inst.document_id)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("document"))?;
                if !doc.kind.is_debit() {
                    return Err(AppError::invalid(
                        "installment_id",
                        format!("{} is a credit note; only debits are dunned", doc.number),
                    ));
                }
                let customer = customers::get(&mut tx, company_id, doc.customer_id)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("customer"))?;
                let payer_id = customer.payer_id.unwrap_or(customer.id);
                let (override_id, _) =
                    policies_store::customer_settings(&mut tx, company_id, payer_id).await?.unwrap_or((None, true));
                let policy = rules.policy(override_id.unwrap_or(rules.default_policy_id))?;
                if input.level > policy.max_level() {
                    return Err(AppError::invalid(
                        "level",
                        format!("policy {} has {} levels", policy.code, policy.max_level()),
                    ));
                }
                if input.level < inst.dunning_level {
                    return Err(AppError::invalid(
                        "level",
                        format!(
                            "{} is already at level {}; a level never goes down (withdraw the letter instead)",
                            doc.number, inst.dunning_level
                        ),
                    ));
                }
                // The same rule as a proposal: level L needs level L − 1, unless the policy allows
                // skipping and the clerk forces it with a reason.
                let skip_reason = input.reason.trim();
                if input.level > inst.dunning_level + 1 {
                    let what = format!(
                        "level {} on {} skips a level: it is at level {}",
                        input.level, doc.number, inst.dunning_level
                    );
                    if !policy.allow_skip {
                        return Err(AppError::invalid(
                            "level",
                            format!("{what}, and policy {} does not allow skipping", policy.code),
                        ));
                    }
                    if !input.force || skip_reason.is_empty() {
                        return Err(AppError::invalid("force", format!("{what}; confirm with force and a reason")));
                    }
                }
                let skip_reason = if input.level > inst.dunning_level + 1 { skip_reason } else { "" };
                if date <= inst.due_date {
                    return Err(AppError::invalid(
                        "date",
                        format!("{date} is not after {}'s due date {}", doc.number, inst.due_date),
                    ));
                }
                if runs::item_in_other_draft(&mut tx, company_id, inst.id, 0).await? {
                    return Err(AppError::Conflict(format!(
                        "{} is in a draft proposal; remove it there or delete the proposal first",
                        doc.number
                    )));
                }
                let e = runs::External {
                    installment_id: inst.id,
                    level: input.level,
                    date,
                    channel,
                    note: input.note.trim(),
                    level_before: inst.dunning_level,
                    date_before: inst.dunning_date,
                    skip_reason,
                };
                let id = runs::record_external(&mut tx, company_id, &e, actor.as_str()).await?;
                audit::record(
                    &mut tx,
                    &AuditEvent::new(
                        company_id,
                        actor.as_str(),
                        "dunning.record_external",
                        "installment",
                        Some(inst.id),
                    )
                    .summary(format!(
                        "{} level {} on {date} by {} (was level {}){}{}",
                        doc.number,
                        input.level,
                        input.channel,
                        inst.dunning_level,
                        if skip_reason.is_empty() {
                            String::new()
                        } else {
                            format!(", skipping forced: {skip_reason}")
                        },
                        if input.note.trim().is_empty() { String::new() } else { format!(": {}", input.note.trim()) }
                    )),
                )
                .await?;
                ids.push(id);
            }
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(ExternalRecorded { ids, installments: targets.iter().map(|i| i.id).collect(), level: input.level, date })
        })
        .await
    }

    /// Dunning history of a customer (as customer or payer) or of one installment: every level and
    /// date, with the letter, channel and status.
    pub async fn dunning_history(
        &self,
        company_id: i64,
        customer_id: Option<i64>,
        installment_id: Option<i64>,
    ) -> Result<Vec<HistoryEntry>, AppError> {
        let mut tx = self.db.begin_read().await?;
        if let Some(c) = customer_id {
            customers::get(&mut tx, company_id, c)
                .await?
                .ok_or(AppError::NotFound { entity: "customer", key: c.to_string() })?;
        }
        if let Some(i) = installment_id {
            documents::get_installment(&mut tx, company_id, i)
                .await?
                .ok_or(AppError::NotFound { entity: "installment", key: i.to_string() })?;
        }
        Ok(runs::history(&mut tx, company_id, customer_id, installment_id).await?)
    }

    pub async fn dunning_deliveries(
        &self,
        company_id: i64,
        status: Option<&str>,
        page: Page,
    ) -> Result<Listed<runs::Delivery>, AppError> {
        let status = status
            .map(|s| {
                DeliveryStatus::parse(s).ok_or_else(|| {
                    AppError::invalid("status", format!("{s:?} is not one of {}", DeliveryStatus::words()))
                })
            })
            .transpose()?;
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) = runs::deliveries(&mut tx, company_id, status, page.limit, page.offset).await?;
        Ok(Listed { items, total_count, limit: page.limit, offset: page.offset })
    }
}

/// An edit of a draft letter.
enum Edit {
    RemoveLetter(String),
    RestoreLetter,
    Item { item_id: i64, reason: String, restore: bool },
    Level(ChangeLevel),
    Texts(Option<Texts>),
    Send(bool),
}

impl Edit {
    fn action(&self) -> &'static str {
        match self {
            Edit::RemoveLetter(_) => "dunning.remove_letter",
            Edit::RestoreLetter => "dunning.restore_letter",
            Edit::Item { restore: false, .. } => "dunning.remove_item",
            Edit::Item { restore: true, .. } => "dunning.restore_item",
            Edit::Level(_) => "dunning.change_level",
            Edit::Texts(_) => "dunning.edit_texts",
            Edit::Send(_) => "dunning.mark_issued",
        }
    }
}

/// Applies an edit to a draft letter; returns what the audit event says.
async fn apply_edit(
    tx: &mut Tx,
    company_id: i64,
    l: &Letter,
    rules: &Rules,
    actor: &Actor,
    edit: &Edit,
) -> Result<String, AppError> {
    match edit {
        Edit::RemoveLetter(reason) => {
            if !runs::set_letter_status(
                tx,
                company_id,
                l.id,
                &[LetterStatus::Draft, LetterStatus::LeftOut],
                LetterStatus::Removed,
                reason,
            )
            .await?
            {
                return Err(AppError::Conflict(format!("letter {} is {}, it cannot be removed", l.id, l.status)));
            }
            Ok(format!("removed: {reason}"))
        }
        Edit::RestoreLetter => {
            if !runs::set_letter_status(tx, company_id, l.id, &[LetterStatus::Removed], LetterStatus::Draft, "").await?
            {
                return Err(AppError::Conflict(format!("letter {} is {}, not removed", l.id, l.status)));
            }
            let taken = runs::items_taken_elsewhere(tx, company_id, l).await?;
            if !taken.is_empty() {
                return Err(AppError::Conflict(format!("{} are in another draft proposal now", taken.join(", "))));
            }
            Ok("put back".into())
        }
        Edit::Item { item_id, reason, restore } => {
            let (_, _, _, it) =
                runs::item(tx, company_id, *item_id).await?.ok_or_else(|| anyhow::anyhow!("item vanished"))?;
            if it.kind != ItemKind::Due {
                return Err(AppError::invalid(
                    "item_id",
                    format!("item {item_id} is listed for information ({}), not dunned", it.kind),
                ));
            }
            let (from, to) = if *restore {
                (ItemStatus::Removed, ItemStatus::Active)
            } else {
                (ItemStatus::Active, ItemStatus::Removed)
            };
            if it.status != from {
                return Err(AppError::Conflict(format!(
                    "item {item_id} ({}) is {}, not {from}",
                    it.reference, it.status
                )));
            }
            if *restore
                && runs::item_in_other_draft(tx, company_id, it.installment_id.unwrap_or_default(), *item_id).await?
            {
                return Err(AppError::Conflict(format!("{} is in another draft proposal now", it.reference)));
            }
            runs::set_item_status(tx, company_id, *item_id, to, if *restore { "" } else { reason }).await?;
            Ok(if *restore {
                format!("{} put back", it.reference)
            } else {
                format!("{} removed: {reason}", it.reference)
            })
        }
        Edit::Level(change) => {
            let policy = rules.policy(l.policy_id)?;
            if change.level < 1 || change.level > policy.max_level() {
                return Err(AppError::invalid(
                    "level",
                    format!(
                        "{} is not a level of policy {}; give 1 to {}",
                        change.level,
                        policy.code,
                        policy.max_level()
                    ),
                ));
            }
            let items = runs::items(tx, company_id, l).await?;
            let mut values = Vec::new();
            let mut skips = Vec::new();
            for it in items.iter().filter(|i| i.kind == ItemKind::Due) {
                let next = it.level_before + 1;
                let new = if change.level <= next { change.level.max(it.level_before).max(1) } else { change.level };
                if new > next {
                    skips.push(format!("{} (level {} to {new})", it.reference, it.level_before));
                }
                values.push((it.id, new));
            }
            let reason = change.reason.trim();
            if !skips.is_empty() {
                if !policy.allow_skip {
                    return Err(AppError::invalid(
                        "level",
                        format!(
                            "level {} would skip a level for {}; policy {} does not allow skipping",
                            change.level,
                            skips.join(", "),
                            policy.code
                        ),
                    ));
                }
                if !change.force || reason.is_empty() {
                    return Err(AppError::invalid(
                        "force",
                        format!(
                            "level {} skips a level for {}; confirm with force and a reason",
                            change.level,
                            skips.join(", ")
                        ),
                    ));
                }
            }
            runs::set_level(tx, company_id, l.id, change.level, actor.as_str(), reason, &values).await?;
            let skipped = if skips.is_empty() { String::new() } else { format!(", skipping for {}", skips.join(", ")) };
            let why = if reason.is_empty() { String::new() } else { format!(": {reason}") };
            Ok(format!("level {} to {}{skipped}{why}", l.level, change.level))
        }
        Edit::Texts(Some(t)) => {
            runs::set_texts(tx, company_id, l.id, &t.subject, &t.opening, &t.closing, Some(actor.as_str())).await?;
            Ok("texts edited".into())
        }
        Edit::Texts(None) => {
            runs::set_texts(tx, company_id, l.id, "", "", "", None).await?;
            Ok("texts back to the policy's".into())
        }
        Edit::Send(send) => {
            runs::set_send(tx, company_id, l.id, *send).await?;
            Ok(if *send { "to be sent".into() } else { "to be issued without sending".into() })
        }
    }
}

/// The "documents dated on or before" criterion a run was computed with.
fn documents_to(run: &Run) -> Option<Date> {
    run.criteria.get("documents_to").and_then(|v| v.as_str()).and_then(|d| Date::parse(d).ok())
}

fn check_letter_status(s: &str) -> Result<LetterStatus, AppError> {
    LetterStatus::parse(s)
        .ok_or_else(|| AppError::invalid("status", format!("{s:?} is not one of {}", LetterStatus::words())))
}

/// The oldest due date among the installments a letter duns (`{days_late}` counts from it).
fn oldest_dunned(items: &[Item]) -> Option<Date> {
    items.iter().filter(|i| i.kind == ItemKind::Due && i.status == ItemStatus::Active).filter_map(|i| i.due_date).min()
}

/// Totals, left-out rules and charges of a draft run, after an edit or a recompute.
async fn refresh_run(tx: &mut Tx, company_id: i64, run_id: i64, rules: &Rules) -> Result<(), AppError> {
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

/// Creates the fee invoice (fee + indemnity) and the interest invoice of each letter that charges
/// something, books them, and returns `letter id → (fee document, interest document)`.
async fn create_charge_documents(
    tx: &mut Tx,
    company_id: i64,
    letters: &[Letter],
    rules: &Rules,
    date: Date,
) -> Result<HashMap<i64, (Option<i64>, Option<i64>)>, AppError> {
    struct Charge<'a> {
        letter: &'a Letter,
        kind: DocumentKind,
        total: Money,
        text: String,
        due: Date,
    }
    let mut charges = Vec::new();
    for l in letters {
        let due = date.add_days(rules.policy(l.policy_id)?.payment_days);
        let fee = l.fee.checked_add(l.indemnity).map_err(anyhow::Error::from)?;
        if fee.is_positive() {
            let mut parts = Vec::new();
            if l.fee.is_positive() {
                parts.push(format!("frais de relance niveau {} : {}", l.level, l.fee));
            }
            if l.indemnity.is_positive() {
                parts.push(format!("indemnité forfaitaire pour frais de recouvrement : {}", l.indemnity));
            }
            charges.push(Charge { letter: l, kind: DocumentKind::FeeInvoice, total: fee, text: parts.join("; "), due });
        }
        if l.interest.is_positive() {
            charges.push(Charge {
                letter: l,
                kind: DocumentKind::InterestInvoice,
                total: l.interest,
                text: format!("intérêts de retard : {}", l.interest),
                due,
            });
        }
    }
    let mut out: HashMap<i64, (Option<i64>, Option<i64>)> = HashMap::new();
    if charges.is_empty() {
        return Ok(out);
    }
    let fee_count = charges.iter().filter(|c| c.kind == DocumentKind::FeeInvoice).count() as i64;
    let mut fee_numbers = series::take(tx, company_id, "fee_invoice", date.year(), fee_count).await?.into_iter();
    let mut interest_numbers =
        series::take(tx, company_id, "interest_invoice", date.year(), charges.len() as i64 - fee_count)
            .await?
            .into_iter();
    let mut fields = Vec::with_capacity(charges.len());
    for c in &charges {
        let number = if c.kind == DocumentKind::FeeInvoice { fee_numbers.next() } else { interest_numbers.next() }
            .ok_or_else(|| anyhow::anyhow!("numbering"))?;
        fields.push(DocumentFields {
            kind: c.kind,
            number,
            customer_number: c.letter.payer_number.clone(),
            date,
            currency: c.total.currency(),
            total: c.total,
            contract_number: None,
            order_ref: String::new(),
            text: c.text.clone(),
            payment_term: String::new(),
            installments: vec![Due { due_date: c.due, amount: c.total }],
        });
    }
    let docs: Vec<NewDocument<'_>> = charges
        .iter()
        .zip(&fields)
        .map(|(c, f)| NewDocument { customer_id: c.letter.payer_id, contract_id: None, fields: f })
        .collect();
    let ids = documents::insert_bulk(tx, company_id, &docs).await?;
    let installments: Vec<NewInstallment> = ids
        .iter()
        .zip(&charges)
        .map(|((id, kind, _), c)| NewInstallment {
            document_id: *id,
            customer_id: c.letter.payer_id,
            kind: *kind,
            seq: 1,
            due: Due { due_date: c.due, amount: c.total },
            amount_open: c.total.minor(),
        })
        .collect();
    documents::insert_installments_bulk(tx, company_id, &installments).await?;
    let doc_ids: Vec<i64> = ids.iter().map(|(id, _, _)| *id).collect();
    let codes = settings::account_codes(tx, company_id).await?;
    journal::book_documents(tx, company_id, &codes, Rows::Ids(&doc_ids), "").await?;
    for ((id, kind, _), c) in ids.iter().zip(&charges) {
        let e = out.entry(c.letter.id).or_default();
        if *kind == DocumentKind::FeeInvoice {
            e.0 = Some(*id);
        } else {
            e.1 = Some(*id);
        }
    }
    Ok(out)
}

/// Cancels a fee or interest invoice by a credit note of its total, booked, and allocated to what the
/// invoice still has open (what was already paid stays as the customer's credit). Returns its number.
async fn cancel_by_credit_note(
    tx: &mut Tx,
    company_id: i64,
    codes: &settings::AccountCodes,
    document_id: i64,
    letter_number: &str,
    date: Date,
) -> Result<String, AppError> {
    let doc = documents::get(tx, company_id, document_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("charge document {document_id}"))?;
    let number = series::take(tx, company_id, "credit_note", date.year(), 1)
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("numbering"))?;
    let fields = DocumentFields {
        kind: DocumentKind::CreditNote,
        number: number.clone(),
        customer_number: doc.customer_number.clone(),
        date,
        currency: doc.currency,
        total: doc.total,
        contract_number: None,
        order_ref: String::new(),
        text: format!("annulation de {} (relance {letter_number} retirée)", doc.number),
        payment_term: String::new(),
        installments: vec![Due { due_date: date, amount: doc.total }],
    };
    let ids = documents::insert_bulk(
        tx,
        company_id,
        &[NewDocument { customer_id: doc.customer_id, contract_id: None, fields: &fields }],
    )
    .await?;
    let (credit_id, _, _) = ids.first().cloned().ok_or_else(|| anyhow::anyhow!("credit note not written"))?;
    documents::insert_installments_bulk(
        tx,
        company_id,
        &[NewInstallment {
            document_id: credit_id,
            customer_id: doc.customer_id,
            kind: DocumentKind::CreditNote,
            seq: 1,
            due: Due { due_date: date, amount: doc.total },
            amount_open: doc.total.minor(),
        }],
    )
    .await?;
    journal::book_documents(tx, company_id, codes, Rows::Ids(&[credit_id]), "").await?;
    let open = doc.amount_open;
    if let (true, Some(target)) = (open.is_positive(), doc.installments.first()) {
        let credit = crate::payments::lock_credit(tx, company_id, CreditRef::CreditNote(credit_id)).await?;
        let lines =
            [creance_core::allocation::AllocationLine { installment_id: target.id, amount: target.amount_open }];
        crate::payments::allocate_in(tx, company_id, codes, &credit, &lines, date).await?;
    }
    Ok(number)
}
