//! Dunning use cases (SPEC §4.6, §4.7): propose, edit the draft, issue in one transaction, withdraw,
//! record a reminder made outside, the views (to generate, in progress, history, deliveries), and the
//! settings (policies, customer settings, blocks, rate tables).
//!
//! By job: `propose` (compute, list, recompute, delete), `views` (a letter, letters), `lists` (to
//! generate, beyond the last level), `edits` (the draft edits), `charges` (load → core → write of
//! fees, interest and indemnity; rendered texts), `issue` (and withdraw), `external` (reminders made
//! outside, history, deliveries), `settings` (policies, customer settings, blocks, rate tables and
//! presets) and `policy_json` (policies and rate tables as the API and the CLI write and show them).

pub(crate) mod charges;
mod edits;
mod external;
mod issue;
mod lists;
pub use lists::ToGenerateTotal;
pub mod policy_json;
mod propose;
pub mod rejections;
pub mod settings;
mod views;
pub use views::LetterFilter;

use charges::*;
pub(crate) use propose::compute_run;

use creance_core::dunning::{ItemKind, ItemStatus, LetterStatus};
use creance_core::{Currency, Date, Money};
use creance_store::dunning::{self as policies_store, InterestTable, Policy};
use creance_store::dunning_runs::{self as runs, Cutoff, Item, Run, Selection};
use creance_store::Tx;
use serde::{Deserialize, Serialize};

use crate::queries::Listed;
use crate::views::dunning as view;
use crate::{AppError, DunningFault, Fault};

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
    #[schema(value_type = Option<crate::views::schema::AmountInputSchema>)]
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
    pub run: Option<view::Run>,
    pub counts: view::RunCounts,
    pub letters: Listed<view::Letter>,
}

/// One letter with its rows and its texts as they will print.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LetterDetail {
    pub letter: view::Letter,
    pub items: Vec<view::Item>,
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
    pub run: view::Run,
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
                    AppError::invalid_said(
                        "policy",
                        DunningFault::NoPolicyOf {
                            code: code.to_string(),
                            known: known.iter().map(|k| k.to_string()).collect(),
                        },
                    )
                })?
                .id,
        ),
    };
    let levels = c.levels.clone().unwrap_or_default();
    for l in &levels {
        if *l < 1 {
            return Err(AppError::invalid_said("levels", DunningFault::LevelBelowOne { level: *l }));
        }
    }
    if let (Some(f), Some(t)) = (&c.customer_from, &c.customer_to) {
        if f > t {
            return Err(AppError::invalid_said(
                "customer_to",
                DunningFault::CustomerRangeReversed { from: f.clone(), to: t.clone() },
            ));
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
                Ok(_) => {
                    return Err(AppError::invalid_said(
                        "min_balance",
                        Fault::AmountNegative { text: text.as_str().to_string() },
                    ))
                }
                // An amount with more decimals than a currency has does not apply to that currency.
                Err(e) if currency.is_some() => return Err(AppError::invalid_said("min_balance", e)),
                Err(_) => {}
            }
        }
        if minimums.is_empty() {
            return Err(AppError::invalid_said("min_balance", Fault::NotAnAmount { text: text.as_str().to_string() }));
        }
    }
    for (field, v) in [("days_overdue_min", c.days_overdue_min), ("days_overdue_max", c.days_overdue_max)] {
        if let Some(n) = v {
            if !(0..=36_500).contains(&n) {
                return Err(AppError::invalid_said(field, DunningFault::DaysOverdueOutOfRange { days: n }));
            }
        }
    }
    if let (Some(min), Some(max)) = (c.days_overdue_min, c.days_overdue_max) {
        if min > max {
            return Err(AppError::invalid_said("days_overdue_max", DunningFault::DaysOverdueMaxBelowMin { min, max }));
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

/// A page of store rows as the page of their views.
pub(crate) fn page_of<R, V: From<R>>(rows: Vec<R>, total_count: i64, page: crate::queries::Page) -> Listed<V> {
    Listed { items: rows.into_iter().map(V::from).collect(), total_count, limit: page.limit, offset: page.offset }
}

fn not_found_letter(id: i64) -> AppError {
    AppError::NotFound { entity: "dunning letter", key: id.to_string() }
}

fn not_found_run(id: i64) -> AppError {
    AppError::NotFound { entity: "dunning proposal", key: id.to_string() }
}

/// The "documents dated on or before" criterion a run was computed with.
fn documents_to(run: &Run) -> Option<Date> {
    run.criteria.get("documents_to").and_then(|v| v.as_str()).and_then(|d| Date::parse(d).ok())
}

fn check_letter_status(s: &str) -> Result<LetterStatus, AppError> {
    LetterStatus::parse(s).ok_or_else(|| {
        AppError::invalid_said("status", Fault::NotOneOf { text: s.to_string(), known: LetterStatus::words() })
    })
}

/// The oldest due date among the installments a letter duns (`{days_late}` counts from it).
pub(crate) fn oldest_dunned(items: &[Item]) -> Option<Date> {
    items.iter().filter(|i| i.kind == ItemKind::Due && i.status == ItemStatus::Active).filter_map(|i| i.due_date).min()
}
