//! Clearing every small balance in one pass (SPEC §4.8, issue 12): each group of the extraction gets
//! the action a credit controller would pick, previewed first and done in a transaction of its own
//! (as [`App::small_balance_action`] does one), so one group that cannot be settled never holds back
//! the others:
//! 1. a group whose contract is active (or small credits, with an active contract to deduct them
//!    on) is re-billed on it;
//! 2. a group whose contract has ended, with exactly one active contract left, is re-billed on that
//!    one; with several, it is left for the clerk to choose (the contracts are listed);
//! 3. a customer with no active contract gets the write-off, within the company's maximum;
//! 4. anything else is left, with the reason the preview gives.
//!
//! Without `confirm` nothing is written: the answer is the plan.

use creance_core::{Date, Money};
use serde::{Deserialize, Serialize};

use super::{ActionPreview, ActionRequest, GroupRef, SmallBalanceQuery, SmallGroup};
use crate::{Actor, App, AppError};

/// Which small balances to clear (the extraction's criteria), and whether to do it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClearRequest {
    /// As the extraction's (the company's threshold when absent).
    pub threshold: Option<String>,
    pub older_than_days: Option<i64>,
    pub currency: Option<String>,
    pub customer_number: Option<String>,
    /// Do the actions; without it, only the plan.
    #[serde(default)]
    pub confirm: bool,
    /// The actions' date (YYYY-MM-DD); today when absent.
    pub date: Option<String>,
    #[serde(default)]
    pub reason: String,
}

/// What happens to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClearOutcome {
    /// Re-billed on a contract's next invoice (a negative charge for credits).
    Rebill,
    /// Written off (loss or gain / receivable).
    WriteOff,
    /// Left for the clerk: `reason` says why.
    Left,
}

/// One group of the extraction and what the pass does (or did) with it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClearLine {
    pub customer_number: String,
    /// The items' contract (debits).
    pub contract_number: Option<String>,
    /// The group is the customer's small credits.
    pub credits: bool,
    pub items: usize,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub total: Money,
    pub outcome: ClearOutcome,
    /// The contract a re-bill goes (went) on.
    pub on_contract_number: Option<String>,
    /// The action done, when confirmed.
    pub action_id: Option<i64>,
    /// Why a group is left.
    pub reason: Option<String>,
    /// What `reason` says as data, when a refusal gave it (the web UI words it per language).
    #[serde(skip)]
    #[schema(ignore)]
    pub reason_said: Option<Box<crate::said::Said>>,
}

/// The pass: every group with its outcome, and the counts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClearReport {
    pub confirmed: bool,
    /// The extraction had more items than it returns: run the pass again for the rest.
    pub truncated: bool,
    pub rebilled: usize,
    pub written_off: usize,
    pub left: usize,
    pub lines: Vec<ClearLine>,
}

/// The plan for one group, from its re-bill preview (and, when offered, its write-off preview).
struct Plan {
    outcome: ClearOutcome,
    request: ActionRequest,
    on_contract_number: Option<String>,
    reason: Option<String>,
    reason_said: Option<Box<crate::said::Said>>,
}

fn left(request: ActionRequest, reason: String) -> Plan {
    Plan { outcome: ClearOutcome::Left, request, on_contract_number: None, reason: Some(reason), reason_said: None }
}

/// A group left for a refusal: its English text, and what it says as data when it has it.
fn left_for(request: ActionRequest, e: &AppError) -> Plan {
    Plan { reason_said: said_of(e), ..left(request, e.to_string()) }
}

fn said_of(e: &AppError) -> Option<Box<crate::said::Said>> {
    match e {
        AppError::Invalid(f) => f.said.clone(),
        AppError::Rejected(r) => r.said.clone(),
        _ => None,
    }
}

impl App {
    /// Clears the small balances of the extraction in one pass (see the module doc): the plan, or with
    /// `confirm` the actions done, one transaction per group.
    pub async fn clear_small_balances(
        &self,
        actor: &Actor,
        company_id: i64,
        req: &ClearRequest,
        today: Date,
    ) -> Result<ClearReport, AppError> {
        // The actions' date is the pass's: refused once, before any group (each group's preview would
        // refuse it too, and leave every group).
        crate::query_args::date("date", &req.date)?;
        let q = SmallBalanceQuery {
            threshold: req.threshold.clone(),
            older_than_days: req.older_than_days,
            currency: req.currency.clone(),
            customer_id: None,
            customer_number: req.customer_number.clone(),
        };
        let found = self.small_balances(company_id, &q, today).await?;
        let groups = found.groups.iter().map(|g| (g, false)).chain(found.credits.iter().map(|g| (g, true)));
        let mut report = ClearReport {
            confirmed: req.confirm,
            truncated: found.truncated,
            rebilled: 0,
            written_off: 0,
            left: 0,
            lines: Vec::new(),
        };
        for (group, credits) in groups {
            let plan = self.plan_group(company_id, req, group, credits, today).await?;
            let mut line = ClearLine {
                customer_number: group.customer_number.clone(),
                contract_number: group.contract_number.clone(),
                credits,
                items: group.items.len(),
                total: group.total,
                outcome: plan.outcome,
                on_contract_number: plan.on_contract_number,
                action_id: None,
                reason: plan.reason,
                reason_said: plan.reason_said,
            };
            if req.confirm && plan.outcome != ClearOutcome::Left {
                match self.small_balance_action(actor, company_id, &plan.request, today).await {
                    Ok(done) => line.action_id = Some(done.id),
                    // The group changed since the extraction (a payment came in, a clerk acted):
                    // it is left, the others go on.
                    Err(e @ (AppError::Rejected(_) | AppError::Invalid(_))) => {
                        line.outcome = ClearOutcome::Left;
                        line.reason = Some(e.to_string());
                        line.reason_said = said_of(&e);
                    }
                    Err(e) => return Err(e),
                }
            }
            match line.outcome {
                ClearOutcome::Rebill => report.rebilled += 1,
                ClearOutcome::WriteOff => report.written_off += 1,
                ClearOutcome::Left => report.left += 1,
            }
            report.lines.push(line);
        }
        Ok(report)
    }

    async fn plan_group(
        &self,
        company_id: i64,
        req: &ClearRequest,
        group: &SmallGroup,
        credits: bool,
        today: Date,
    ) -> Result<Plan, AppError> {
        let mut request = ActionRequest {
            action: "rebill".to_string(),
            group: Some(GroupRef {
                customer_id: Some(group.customer_id),
                customer_number: None,
                contract_id: group.contract_id,
                credits,
                currency: Some(group.total.currency().code().to_string()),
                threshold: req.threshold.clone(),
                older_than_days: req.older_than_days,
            }),
            installment_ids: Vec::new(),
            payment_ids: Vec::new(),
            contract_id: None,
            date: req.date.clone(),
            reason: req.reason.clone(),
        };
        let preview = match self.preview_small_balance_action(company_id, &request, today).await {
            Ok(p) => p,
            Err(e @ (AppError::Rejected(_) | AppError::Invalid(_))) => return Ok(left_for(request, &e)),
            Err(e) => return Err(e),
        };
        if preview.ready {
            let on = preview.contract.as_ref().map(|c| c.number.clone());
            return Ok(Plan {
                outcome: ClearOutcome::Rebill,
                request,
                on_contract_number: on,
                reason: None,
                reason_said: None,
            });
        }
        if let [only] = preview.proposed_contracts.as_slice() {
            request.contract_id = Some(only.id);
            let on = Some(only.number.clone());
            return Ok(Plan {
                outcome: ClearOutcome::Rebill,
                request,
                on_contract_number: on,
                reason: None,
                reason_said: None,
            });
        }
        if !preview.proposed_contracts.is_empty() {
            let numbers: Vec<&str> = preview.proposed_contracts.iter().map(|c| c.number.as_str()).collect();
            return Ok(left(request, format!("choose the contract to re-bill on: {}", numbers.join(", "))));
        }
        if preview.write_off_offered {
            request.action = "write_off".to_string();
            return Ok(match self.preview_small_balance_action(company_id, &request, today).await {
                Ok(ActionPreview { ready: true, .. }) => Plan {
                    outcome: ClearOutcome::WriteOff,
                    request,
                    on_contract_number: None,
                    reason: None,
                    reason_said: None,
                },
                Ok(p) => left(request, p.blocked_by.unwrap_or_else(|| "the write-off cannot be done".to_string())),
                Err(e @ (AppError::Rejected(_) | AppError::Invalid(_))) => left_for(request, &e),
                Err(e) => return Err(e),
            });
        }
        Ok(left(request, preview.blocked_by.unwrap_or_else(|| "the re-bill cannot be done".to_string())))
    }
}
