//! Small balances (SPEC §4.8): the extraction, the actions on a group or a selection (previewed, then
//! done in one transaction each: `actions.rs`), and the rebill charges the billing system reads and
//! acknowledges (`charges.rs`).
//!
//! An action closes items with the allocation machinery, so that `creance check`, the open items, the
//! as-of views, the history and the reversals see nothing new: per action, an internal document of
//! the customer (one installment, numbered from the `small_balance` series, dated the action's day)
//! pays the small debits — `small_balance_transfer` (clearing / receivable) for a re-bill, `write_off`
//! (loss / receivable) for a write-off — and another is paid by the small credits —
//! `small_credit_transfer` (receivable / clearing) or `write_off_credit` (receivable / gain). Such
//! a document is fully allocated when its transaction commits: never open, so never dunned, proposed
//! or charged interest. Undoing appends the reversals of its allocations (the items are open again
//! exactly as before, their dunning levels untouched) and neutralises each internal document with an
//! opposite one allocated to it, booked the other way.

mod actions;
mod charges;
mod clear;
mod undo;

use std::collections::BTreeMap;

use creance_core::{Currency, Date, Money};
use creance_store::small_balances::{self, Extract, SmallItem};
use serde::{Deserialize, Serialize};

use crate::queries::{Listed, Page};
use crate::{App, AppError};

pub use actions::{ActionPreview, ActionRequest, ActionView, ContractView, GroupRef, LinkView};
pub use charges::{AcknowledgeCharge, ChargeQuery, RebillCharge};
pub use clear::{ClearLine, ClearOutcome, ClearReport, ClearRequest};

/// The most items of each side the extraction lists (past it, `truncated` says so: raise the
/// threshold's precision with a customer or a currency).
pub const EXTRACT_ROWS_MAX: i64 = 100_000;
/// The most items one action takes.
pub const ACTION_ITEMS_MAX: usize = 1_000;

/// What the extraction selects. Plain text as a query string or the command line gives it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmallBalanceQuery {
    /// At most this open amount, in the base currency (the same figure in another currency at its own
    /// exponent); the company's `small_balance_threshold` when absent.
    pub threshold: Option<String>,
    /// Items due (credits dated) more than this many days before today; 0 when absent (overdue).
    pub older_than_days: Option<i64>,
    pub currency: Option<String>,
    pub customer_id: Option<i64>,
    pub customer_number: Option<String>,
}

/// One small item (a debit installment, a credit note's open credit, a payment's remainder), as its
/// list row and CSV row show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SmallItemView {
    /// `debit` or `credit`.
    pub side: String,
    pub installment_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub document_id: Option<i64>,
    /// The document's kind (`invoice`, `credit_note`, …) or `payment`.
    pub kind: String,
    /// The document's or the payment's number.
    pub reference: String,
    pub seq: Option<i64>,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub contract_id: Option<i64>,
    pub contract_number: Option<String>,
    /// Whether the contract is active (absent: no contract).
    pub contract_active: Option<bool>,
    /// The due date of a debit; the date of a credit.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount_open: Money,
    pub dunning_level: i64,
}

impl SmallItemView {
    fn of(i: SmallItem, debit: bool) -> SmallItemView {
        let (installment_id, payment_id) = if i.source == "payment" { (None, Some(i.id)) } else { (Some(i.id), None) };
        SmallItemView {
            side: if debit { "debit" } else { "credit" }.to_string(),
            installment_id,
            payment_id,
            document_id: i.document_id,
            kind: i.kind,
            reference: i.reference,
            seq: i.seq,
            customer_id: i.customer_id,
            customer_number: i.customer_number,
            customer_name: i.customer_name,
            contract_id: i.contract_id,
            contract_number: i.contract_number,
            contract_active: i.contract_active,
            date: i.date,
            amount: i.amount,
            amount_open: i.amount_open,
            dunning_level: i.dunning_level,
        }
    }
}

/// A group of small items: one customer, one contract (debits; credits have none) and one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SmallGroup {
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub contract_id: Option<i64>,
    pub contract_number: Option<String>,
    pub contract_active: Option<bool>,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub total: Money,
    pub items: Vec<SmallItemView>,
}

/// The extraction: the small debits grouped by customer and contract, the small credits by customer,
/// with totals per currency.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SmallBalances {
    /// The threshold applied, in the base currency.
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub threshold: Money,
    pub older_than_days: i64,
    /// Items due (credits dated) before this day.
    #[schema(value_type = String, format = Date)]
    pub before: Date,
    pub groups: Vec<SmallGroup>,
    pub credits: Vec<SmallGroup>,
    #[schema(value_type = Vec<crate::views::schema::MoneySchema>)]
    pub debit_totals: Vec<Money>,
    #[schema(value_type = Vec<crate::views::schema::MoneySchema>)]
    pub credit_totals: Vec<Money>,
    /// More than [`EXTRACT_ROWS_MAX`] items on a side: the list stops there.
    pub truncated: bool,
}

/// One page of the extraction's groups of one side, for the screen: the page's groups with all
/// their items, and over the whole extraction the count of groups and items of that side and the
/// totals per currency of both sides (`SmallBalances` holds the same figures for the whole list).
#[derive(Debug, Clone)]
pub struct SmallBalancesPage {
    /// The threshold applied, in the base currency.
    pub threshold: Money,
    pub older_than_days: i64,
    /// Items due (credits dated) before this day.
    pub before: Date,
    /// The groups of the page (debits by customer and contract, or credits by customer).
    pub groups: Vec<SmallGroup>,
    /// Groups and items of the side, in all.
    pub group_count: i64,
    pub item_count: i64,
    pub debit_totals: Vec<Money>,
    pub credit_totals: Vec<Money>,
    /// More than [`EXTRACT_ROWS_MAX`] items on a side: the exports stop there.
    pub truncated: bool,
}

/// Groups items in the order read, keyed by customer, contract and currency, with checked totals.
fn group(items: Vec<SmallItem>, debit: bool) -> Result<(Vec<SmallGroup>, Vec<Money>), AppError> {
    let mut groups: Vec<SmallGroup> = Vec::new();
    let mut totals: BTreeMap<&'static str, Money> = BTreeMap::new();
    let overflow = |e| AppError::Internal(anyhow::anyhow!("a small-balance total overflows: {e}"));
    for i in items {
        let currency = i.amount_open.currency();
        let contract = if debit { i.contract_id } else { None };
        let same = groups.last().is_some_and(|g| {
            g.customer_id == i.customer_id && g.contract_id == contract && g.total.currency() == currency
        });
        if !same {
            groups.push(SmallGroup {
                customer_id: i.customer_id,
                customer_number: i.customer_number.clone(),
                customer_name: i.customer_name.clone(),
                contract_id: contract,
                contract_number: if debit { i.contract_number.clone() } else { None },
                contract_active: if debit { i.contract_active } else { None },
                total: Money::zero(currency),
                items: Vec::new(),
            });
        }
        let t = totals.entry(currency.code()).or_insert(Money::zero(currency));
        *t = t.checked_add(i.amount_open).map_err(overflow)?;
        if let Some(g) = groups.last_mut() {
            g.total = g.total.checked_add(i.amount_open).map_err(overflow)?;
            g.items.push(SmallItemView::of(i, debit));
        }
    }
    Ok((groups, totals.into_values().collect()))
}

/// The extraction's parameters resolved against the company.
pub(crate) async fn resolve_query(
    tx: &mut creance_store::Tx,
    company_id: i64,
    q: &SmallBalanceQuery,
    today: Date,
) -> Result<Extract, AppError> {
    let settings = small_balances::settings(tx, company_id).await?;
    let base = settings.base_currency;
    let threshold = match q.threshold.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            let m = Money::parse_input(t, base).map_err(|e| AppError::invalid_said("threshold", e))?;
            if m.is_negative() {
                return Err(AppError::invalid_said(
                    "threshold",
                    crate::Fault::MustNotBeNegative { text: t.to_string() },
                ));
            }
            m.minor()
        }
        None => settings.threshold,
    };
    let older = q.older_than_days.unwrap_or(0);
    if !(0..=36_600).contains(&older) {
        return Err(AppError::invalid_said(
            "older_than_days",
            crate::SmallBalanceFault::OlderThanOutOfRange { days: older },
        ));
    }
    let currency: Option<Currency> = crate::query_args::currency("currency", &q.currency)?;
    let customer_id = match (q.customer_id, q.customer_number.as_deref().filter(|n| !n.trim().is_empty())) {
        (None, None) => None,
        (id, number) => Some(crate::payments::find_customer(tx, company_id, id, number).await?.id),
    };
    Ok(Extract {
        threshold,
        base_currency: base,
        before: today.add_days(-older),
        currency,
        customer_id,
        customer_ids: None,
        limit: EXTRACT_ROWS_MAX + 1,
    })
}

impl App {
    /// The small balances (SPEC §4.8): open debits of at most the threshold due more than
    /// `older_than_days` ago, grouped by customer and contract, and the small credits in the customers'
    /// favour, grouped by customer. One query per side over the open-items indexes.
    pub async fn small_balances(
        &self,
        company_id: i64,
        q: &SmallBalanceQuery,
        today: Date,
    ) -> Result<SmallBalances, AppError> {
        let mut tx = self.db.begin_read().await?;
        let e = resolve_query(&mut tx, company_id, q, today).await?;
        let mut debits = small_balances::small_debits(&mut tx, company_id, &e).await?;
        let mut credits = small_balances::small_credits(&mut tx, company_id, &e).await?;
        let truncated = debits.len() as i64 > EXTRACT_ROWS_MAX || credits.len() as i64 > EXTRACT_ROWS_MAX;
        debits.truncate(EXTRACT_ROWS_MAX as usize);
        credits.truncate(EXTRACT_ROWS_MAX as usize);
        let (groups, debit_totals) = group(debits, true)?;
        let (credits, credit_totals) = group(credits, false)?;
        Ok(SmallBalances {
            threshold: Money::new(e.threshold, e.base_currency),
            older_than_days: q.older_than_days.unwrap_or(0),
            before: e.before,
            groups,
            credits,
            debit_totals,
            credit_totals,
            truncated,
        })
    }

    /// Groups `offset` to `offset + limit` of one side of the extraction [`App::small_balances`]
    /// answers (the credits when `credits`), the same groups with the same items, and the counts and
    /// totals of the whole extraction, read in `GROUP BY` aggregates: a page reads its own items.
    pub async fn small_balances_page(
        &self,
        company_id: i64,
        q: &SmallBalanceQuery,
        today: Date,
        credits: bool,
        page: Page,
    ) -> Result<SmallBalancesPage, AppError> {
        let mut tx = self.db.begin_read().await?;
        let e = resolve_query(&mut tx, company_id, q, today).await?;
        let debit_counts = small_balances::debit_counts(&mut tx, company_id, &e).await?;
        let credit_counts = small_balances::credit_counts(&mut tx, company_id, &e).await?;
        let groups = if credits {
            let keys = small_balances::credit_group_keys(&mut tx, company_id, &e, page.limit, page.offset).await?;
            let page_e = Extract { customer_ids: Some(keys.iter().map(|k| k.0).collect()), ..e.clone() };
            let items = small_balances::small_credits(&mut tx, company_id, &page_e).await?;
            let (mut groups, _) = group(items, false)?;
            groups.retain(|g| keys.contains(&(g.customer_id, g.total.currency())));
            groups
        } else {
            let keys = small_balances::debit_group_keys(&mut tx, company_id, &e, page.limit, page.offset).await?;
            let page_e = Extract { customer_ids: Some(keys.iter().map(|k| k.0).collect()), ..e.clone() };
            let items = small_balances::small_debits(&mut tx, company_id, &page_e).await?;
            let (mut groups, _) = group(items, true)?;
            groups.retain(|g| keys.contains(&(g.customer_id, g.contract_id, g.total.currency())));
            groups
        };
        tx.commit().await.map_err(anyhow::Error::from)?;
        let side = if credits { &credit_counts } else { &debit_counts };
        let items = |c: &[small_balances::SideCount]| c.iter().map(|s| s.items).sum::<i64>();
        Ok(SmallBalancesPage {
            threshold: Money::new(e.threshold, e.base_currency),
            older_than_days: q.older_than_days.unwrap_or(0),
            before: e.before,
            groups,
            group_count: side.iter().map(|s| s.groups).sum(),
            item_count: items(side),
            debit_totals: debit_counts.iter().map(|s| s.open).collect(),
            credit_totals: credit_counts.iter().map(|s| s.open).collect(),
            truncated: items(&debit_counts) > EXTRACT_ROWS_MAX || items(&credit_counts) > EXTRACT_ROWS_MAX,
        })
    }

    /// The extraction as one flat list (debits, then credits), one page of it, for the CSV and PDF
    /// exports.
    pub async fn small_balance_rows(
        &self,
        company_id: i64,
        q: &SmallBalanceQuery,
        today: Date,
        page: Page,
    ) -> Result<Listed<SmallItemView>, AppError> {
        let s = self.small_balances(company_id, q, today).await?;
        let items: Vec<SmallItemView> = s.groups.into_iter().chain(s.credits).flat_map(|g| g.items).collect();
        let total_count = items.len() as i64;
        let items = items.into_iter().skip(page.offset.max(0) as usize).take(page.limit.max(0) as usize).collect();
        Ok(Listed { items, total_count, limit: page.limit, offset: page.offset })
    }
}

/// The company's small-balance settings as an answer shows them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SmallBalanceSettings {
    /// Dunning leaves out a payer whose balance due is at most this; the extraction's default.
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub small_balance_threshold: Money,
    /// The most one write-off closes on each side.
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub write_off_maximum: Money,
}

impl App {
    pub async fn small_balance_settings(&self, company_id: i64) -> Result<SmallBalanceSettings, AppError> {
        let mut tx = self.db.begin_read().await?;
        let s = small_balances::settings(&mut tx, company_id).await?;
        Ok(SmallBalanceSettings {
            small_balance_threshold: Money::new(s.threshold, s.base_currency),
            write_off_maximum: Money::new(s.write_off_maximum, s.base_currency),
        })
    }

    /// Sets the threshold and the write-off maximum, amounts in the base currency (`"1.00"`).
    pub async fn set_small_balance_settings(
        &self,
        actor: &crate::Actor,
        company_id: i64,
        threshold: &str,
        write_off_maximum: &str,
    ) -> Result<SmallBalanceSettings, AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        let base = small_balances::settings(&mut tx, company_id).await?.base_currency;
        let parse = |field: &str, text: &str| -> Result<Money, AppError> {
            let m = Money::parse_input(text, base).map_err(|e| AppError::invalid_said(field, e))?;
            if m.is_negative() {
                return Err(AppError::invalid_said(field, crate::Fault::MustNotBeNegative { text: text.to_string() }));
            }
            Ok(m)
        };
        let (t, w) = (parse("small_balance_threshold", threshold)?, parse("write_off_maximum", write_off_maximum)?);
        small_balances::set_settings(&mut tx, company_id, t.minor(), w.minor()).await?;
        creance_store::audit::record(
            &mut tx,
            &creance_store::audit::AuditEvent::new(
                company_id,
                actor.as_str(),
                "settings.small_balances",
                "company",
                Some(company_id),
            )
            .summary(format!("small-balance threshold {t}, write-off maximum {w}")),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        self.small_balance_settings(company_id).await
    }
}
