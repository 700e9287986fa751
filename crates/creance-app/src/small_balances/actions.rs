//! The actions on small balances (SPEC §4.8): preview, then re-bill or write off in one transaction,
//! and undo while the rebill charge is pending. See the module above for the documents they write.

use creance_core::small_balances::{
    self as rules, ActionKind, ActionRejection, ActionStatus, ChargeStatus, ContractChoice, ContractRef, Item,
};
use creance_core::{ContractStatus, Date, DocumentKind, Money};
use creance_store::allocations::{self, AllocationRow, CreditId};
use creance_store::audit::{self, AuditEvent};
use creance_store::small_balances::{self as store, NewAction, NewInternal, NewLink, SmallItem};
use creance_store::{contracts, journal, rebill_charges, series, settings, Tx};
use serde::{Deserialize, Serialize};

use super::{resolve_query, SmallBalanceQuery, SmallItemView, ACTION_ITEMS_MAX};
use crate::{Actor, App, AppError, Code, Fault, SmallBalanceFault, Thing};

/// The pattern of the internal documents' gapless series.
pub const SERIES: (&str, &str) = ("small_balance", "PS-{YYYY}-{######}");

/// A group of the extraction, as an action's selection: the customer's small debits of one contract
/// (absent: those without a contract), or its small credits.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupRef {
    pub customer_id: Option<i64>,
    pub customer_number: Option<String>,
    pub contract_id: Option<i64>,
    /// The customer's small credits rather than its debits.
    #[serde(default)]
    pub credits: bool,
    pub currency: Option<String>,
    /// As the extraction's (the company's threshold when absent).
    pub threshold: Option<String>,
    pub older_than_days: Option<i64>,
}

/// An action on a group or a selection. Give `group`, or `installment_ids` (open debits, or credit
/// notes' credits) and `payment_ids` (payments with an unallocated remainder).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// `rebill` or `write_off`.
    pub action: String,
    pub group: Option<GroupRef>,
    #[serde(default)]
    pub installment_ids: Vec<i64>,
    #[serde(default)]
    pub payment_ids: Vec<i64>,
    /// A re-bill's contract: an active contract of the customer. Needed when the items' own contract
    /// has ended (the preview proposes the active ones).
    pub contract_id: Option<i64>,
    /// YYYY-MM-DD; today when absent.
    pub date: Option<String>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ContractView {
    pub id: i64,
    pub number: String,
    /// `active` or `ended`.
    pub status: String,
}

impl From<&ContractRef> for ContractView {
    fn from(c: &ContractRef) -> ContractView {
        ContractView {
            id: c.id,
            number: c.number.clone(),
            status: if c.active { "active" } else { "ended" }.to_string(),
        }
    }
}

/// What an action would do, and what the clerk may still choose.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActionPreview {
    pub action: String,
    pub customer_id: i64,
    pub customer_number: String,
    pub items: Vec<SmallItemView>,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub debit_total: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub credit_total: Money,
    /// A re-bill's charge: debits less credits (negative: a deduction on the next invoice).
    #[schema(value_type = Option<crate::views::schema::MoneySchema>)]
    pub charge: Option<Money>,
    /// The contract a re-bill goes on, when settled.
    pub contract: Option<ContractView>,
    /// The items' own contract, when it has ended.
    pub ended_contract: Option<ContractView>,
    /// The customer's active contracts, when one is to be chosen (`contract_id`).
    pub proposed_contracts: Vec<ContractView>,
    /// Whether the action can be confirmed as it is.
    pub ready: bool,
    /// Why not, in words.
    pub blocked_by: Option<String>,
    /// The customer has no active contract: a write-off is offered instead.
    pub write_off_offered: bool,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub write_off_maximum: Money,
}

/// An item an action closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LinkView {
    pub installment_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub reference: String,
    pub seq: Option<i64>,
    /// `debit` or `credit`.
    pub side: String,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
    pub allocation_id: i64,
}

impl From<store::Link> for LinkView {
    fn from(l: store::Link) -> LinkView {
        LinkView {
            installment_id: l.installment_id,
            payment_id: l.payment_id,
            reference: l.reference,
            seq: l.seq,
            side: if l.side == 1 { "debit" } else { "credit" }.to_string(),
            amount: l.amount,
            allocation_id: l.allocation_id,
        }
    }
}

/// An action done (or undone).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActionView {
    pub id: i64,
    /// `rebill` or `write_off`.
    pub kind: String,
    /// `done` or `undone`.
    pub status: String,
    pub customer_id: i64,
    pub customer_number: String,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub debit_total: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub credit_total: Money,
    pub contract_id: Option<i64>,
    pub contract_number: Option<String>,
    /// The internal document that closed the debits, the one the credits closed, and once undone the
    /// documents that neutralised them.
    pub debit_document_id: Option<i64>,
    pub credit_document_id: Option<i64>,
    pub undo_debit_document_id: Option<i64>,
    pub undo_credit_document_id: Option<i64>,
    pub reason: String,
    pub actor: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub undone_date: Option<Date>,
    pub undone_by: Option<String>,
    pub items: Vec<LinkView>,
    /// A re-bill's charge.
    pub charge: Option<super::RebillCharge>,
    /// Whether it can still be undone (done, and its charge not acknowledged).
    pub undoable: bool,
}

fn action_view(a: store::Action, charge: Option<rebill_charges::Charge>) -> ActionView {
    let undoable = a.status == ActionStatus::Done && charge.as_ref().is_none_or(|c| c.status == ChargeStatus::Pending);
    ActionView {
        id: a.id,
        kind: a.kind.code().to_string(),
        status: a.status.code().to_string(),
        customer_id: a.customer_id,
        customer_number: a.customer_number,
        date: a.date,
        debit_total: a.debit_total,
        credit_total: a.credit_total,
        contract_id: a.contract_id,
        contract_number: a.contract_number,
        debit_document_id: a.debit_document_id,
        credit_document_id: a.credit_document_id,
        undo_debit_document_id: a.undo_debit_document_id,
        undo_credit_document_id: a.undo_credit_document_id,
        reason: a.reason,
        actor: a.actor,
        undone_date: a.undone_date,
        undone_by: a.undone_by,
        items: a.items.into_iter().map(LinkView::from).collect(),
        charge: charge.map(super::RebillCharge::from),
        undoable,
    }
}

fn rejection(e: ActionRejection) -> AppError {
    match e {
        ActionRejection::AboveWriteOffMaximum { .. } => {
            AppError::invalid_said_as(Code::AboveWriteOffMaximum, "write_off_maximum", e)
        }
        ActionRejection::NoItems => AppError::invalid_said("installment_ids", e),
        ActionRejection::Overflow => AppError::invalid_said("installment_ids", e),
        _ => AppError::rejected_said(Code::SmallBalanceNotActionable, e),
    }
}

/// A selection read under lock, checked, with what the rules need.
struct Selection {
    kind: ActionKind,
    items: Vec<SmallItem>,
    /// Parallel to `items`: a debit (else a credit).
    debit: Vec<bool>,
    plan: rules::Plan,
    choice: Option<ContractChoice>,
    write_off_maximum: Money,
    date: Date,
}

/// Reads the selection (locking it in a write transaction), checks it and plans the action.
async fn select(
    tx: &mut Tx,
    company_id: i64,
    req: &ActionRequest,
    today: Date,
    lock: bool,
) -> Result<Selection, AppError> {
    let kind = ActionKind::parse(&req.action).ok_or_else(|| {
        AppError::invalid_said("action", Fault::NotEither { text: req.action.clone(), words: &["rebill", "write_off"] })
    })?;
    crate::payments::plain_text("reason", &req.reason)?;
    let date = crate::query_args::date("date", &req.date)?.unwrap_or(today);
    let (installment_ids, payment_ids) = match &req.group {
        Some(g) => {
            if !req.installment_ids.is_empty() || !req.payment_ids.is_empty() {
                return Err(AppError::invalid_said("group", SmallBalanceFault::GroupAndItems));
            }
            group_ids(tx, company_id, g, today).await?
        }
        None => (req.installment_ids.clone(), req.payment_ids.clone()),
    };
    if installment_ids.len() + payment_ids.len() > ACTION_ITEMS_MAX {
        return Err(AppError::invalid_said(
            "installment_ids",
            SmallBalanceFault::TooManyItems { max: ACTION_ITEMS_MAX },
        ));
    }
    let items = store::read_items(tx, company_id, &installment_ids, &payment_ids, lock).await?;
    for (field, ids, source) in
        [("installment_ids", &installment_ids, "installment"), ("payment_ids", &payment_ids, "payment")]
    {
        for (n, id) in ids.iter().enumerate() {
            if !items.iter().any(|i| i.source == source && i.id == *id) {
                return Err(AppError::invalid_said(
                    format!("{field}[{n}]"),
                    Fault::NoSuch {
                        thing: if source == "payment" { Thing::Payment } else { Thing::Installment },
                        key: id.to_string(),
                    },
                ));
            }
            if ids[..n].contains(id) {
                return Err(AppError::invalid_said(
                    format!("{field}[{n}]"),
                    SmallBalanceFault::ItemTwice { payment: source == "payment", id: *id },
                ));
            }
        }
    }
    let mut debit = Vec::with_capacity(items.len());
    for i in &items {
        let is_debit = match i.source {
            "payment" if i.kind == "payment" => false,
            "payment" => {
                return Err(AppError::invalid_said(
                    "payment_ids",
                    SmallBalanceFault::PaymentCancelled { reference: i.reference.clone() },
                ))
            }
            _ => {
                let k = DocumentKind::parse(&i.kind).ok_or_else(|| anyhow::anyhow!("stored kind {:?}", i.kind))?;
                if k.is_internal() {
                    return Err(AppError::invalid_said(
                        "installment_ids",
                        SmallBalanceFault::InternalDocument { reference: i.reference.clone() },
                    ));
                }
                k.is_debit()
            }
        };
        debit.push(is_debit);
    }
    let settings = store::settings(tx, company_id).await?;
    let currency = items.first().map_or(settings.base_currency, |i| i.amount_open.currency());
    let max = rules::limit_in(settings.write_off_maximum, settings.base_currency, currency);
    let rule_items: Vec<Item> = items
        .iter()
        .zip(&debit)
        .map(|(i, d)| Item { label: label(i), customer_id: i.customer_id, debit: *d, open: i.amount_open })
        .collect();
    let plan = rules::plan(kind, &rule_items, max).map_err(rejection)?;
    let choice = match kind {
        ActionKind::WriteOff => None,
        ActionKind::Rebill => Some(contract_choice(tx, company_id, &items, req.contract_id).await?),
    };
    Ok(Selection { kind, items, debit, plan, choice, write_off_maximum: Money::new(max, currency), date })
}

fn label(i: &SmallItem) -> String {
    match i.seq {
        Some(seq) if i.source == "installment" => format!("{} {} #{seq}", i.kind.replace('_', " "), i.reference),
        _ => format!("payment {}", i.reference),
    }
}

/// The ids of a group of the extraction.
async fn group_ids(tx: &mut Tx, company_id: i64, g: &GroupRef, today: Date) -> Result<(Vec<i64>, Vec<i64>), AppError> {
    if g.customer_id.is_none() && g.customer_number.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(AppError::invalid_said("group.customer_id", SmallBalanceFault::GroupCustomerMissing));
    }
    let q = SmallBalanceQuery {
        threshold: g.threshold.clone(),
        older_than_days: g.older_than_days,
        currency: g.currency.clone(),
        customer_id: g.customer_id,
        customer_number: g.customer_number.clone(),
    };
    let mut e = resolve_query(tx, company_id, &q, today).await?;
    e.limit = ACTION_ITEMS_MAX as i64 + 1;
    let items = if g.credits {
        store::small_credits(tx, company_id, &e).await?
    } else {
        store::small_debits(tx, company_id, &e).await?.into_iter().filter(|i| i.contract_id == g.contract_id).collect()
    };
    let mut inst = Vec::new();
    let mut pay = Vec::new();
    for i in items {
        if i.source == "payment" {
            pay.push(i.id);
        } else {
            inst.push(i.id);
        }
    }
    if inst.is_empty() && pay.is_empty() {
        return Err(AppError::invalid_said("group", SmallBalanceFault::GroupEmpty));
    }
    Ok((inst, pay))
}

/// The contract of a re-bill: the items' own (when they share one), the chosen one, or a choice.
async fn contract_choice(
    tx: &mut Tx,
    company_id: i64,
    items: &[SmallItem],
    chosen: Option<i64>,
) -> Result<ContractChoice, AppError> {
    let customer_id = items.first().map_or(0, |i| i.customer_id);
    let mut own: Vec<ContractRef> = Vec::new();
    for i in items {
        if let (Some(id), Some(number)) = (i.contract_id, &i.contract_number) {
            if !own.iter().any(|c| c.id == id) {
                own.push(ContractRef { id, number: number.clone(), active: i.contract_active == Some(true) });
            }
        }
    }
    if own.len() > 1 && chosen.is_none() {
        return Err(AppError::invalid_said(
            "contract_id",
            SmallBalanceFault::ContractsToChoose { contracts: own.iter().map(|c| c.number.clone()).collect() },
        ));
    }
    let (active, _) =
        contracts::list(tx, company_id, Some(customer_id), Some(ContractStatus::Active), 1_000, 0).await?;
    let active: Vec<ContractRef> =
        active.into_iter().map(|c| ContractRef { id: c.id, number: c.fields.number, active: true }).collect();
    Ok(rules::choose_contract(own.into_iter().next(), chosen, &active))
}

/// The contract of a confirmed re-bill, or why it cannot be done.
fn settled_contract(choice: &ContractChoice) -> Result<&ContractRef, AppError> {
    match choice {
        ContractChoice::On(c) => Ok(c),
        ContractChoice::Choose { ended, active } => Err(AppError::invalid_said(
            "contract_id",
            SmallBalanceFault::ChooseActiveContract {
                ended: ended.as_ref().map(|c| c.number.clone()),
                active: active.iter().map(|c| (c.number.clone(), c.id)).collect(),
            },
        )),
        ContractChoice::NoneActive { .. } => {
            Err(AppError::rejected_said(Code::NoActiveContract, SmallBalanceFault::NoActiveContract))
        }
        ContractChoice::NotActive { id } => {
            Err(AppError::invalid_said("contract_id", SmallBalanceFault::NotAnActiveContract { id: *id }))
        }
    }
}

/// The document kinds and counter accounts of an action: (kind closing debits, its counter account),
/// (kind closed by credits, its counter account).
pub(super) fn kinds(kind: ActionKind) -> ((DocumentKind, &'static str), (DocumentKind, &'static str)) {
    match kind {
        ActionKind::Rebill => {
            ((DocumentKind::SmallBalanceTransfer, "clearing"), (DocumentKind::SmallCreditTransfer, "clearing"))
        }
        ActionKind::WriteOff => ((DocumentKind::WriteOff, "loss"), (DocumentKind::WriteOffCredit, "gain")),
    }
}

fn doc_label(kind: DocumentKind, number: &str) -> String {
    match kind {
        DocumentKind::WriteOff | DocumentKind::WriteOffCredit => format!("Passage en perte {number}"),
        _ => format!("Transfert petit solde {number}"),
    }
}

/// Writes an internal document of `total`, books it against `counter`; returns (document, installment).
#[allow(clippy::too_many_arguments)]
pub(super) async fn internal(
    tx: &mut Tx,
    company_id: i64,
    codes: &settings::AccountCodes,
    kind: DocumentKind,
    counter: &str,
    customer_id: i64,
    date: Date,
    total: Money,
    contract_id: Option<i64>,
    text: &str,
    action_id: i64,
) -> Result<(i64, i64), AppError> {
    series::ensure(tx, company_id, SERIES.0, SERIES.1).await?;
    let number = series::take(tx, company_id, SERIES.0, date.year(), 1)
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("no small-balance number"))?;
    let (doc, inst) = store::insert_internal(
        tx,
        company_id,
        &NewInternal { kind, number: &number, customer_id, date, total, contract_id, text, action_id },
    )
    .await?;
    journal::book_internal_document(tx, company_id, codes, doc, counter, &doc_label(kind, &number)).await?;
    Ok((doc, inst))
}

/// Allocates one row, valued on its date (see `store::allocate_at`), and returns its id.
pub(super) async fn allocate_one(tx: &mut Tx, company_id: i64, row: AllocationRow) -> Result<i64, AppError> {
    Ok(store::allocate_at(tx, company_id, row.credit, row.installment_id, row.amount, row.date).await?)
}

/// The text of a rebill charge: what it bills or deducts, and from what.
fn charge_text(s: &Selection) -> String {
    let refs: Vec<&str> = s.items.iter().map(|i| i.reference.as_str()).collect();
    let what = if s.plan.charge.is_negative() { "Déduction petits soldes" } else { "Report petits soldes" };
    let mut refs_text = refs.iter().take(20).copied().collect::<Vec<_>>().join(", ");
    if refs.len() > 20 {
        refs_text.push_str(&format!(" (+{})", refs.len() - 20));
    }
    format!("{what} : {refs_text}")
}

impl App {
    /// What an action would do: the items, the totals, the charge, the contract or the contracts to
    /// choose from, and whether a write-off is offered (no active contract). Writes nothing.
    pub async fn preview_small_balance_action(
        &self,
        company_id: i64,
        req: &ActionRequest,
        today: Date,
    ) -> Result<ActionPreview, AppError> {
        let mut tx = self.db.begin_read().await?;
        let s = select(&mut tx, company_id, req, today, false).await?;
        let first = s.items.first().ok_or_else(|| anyhow::anyhow!("a planned action without items"))?;
        let (customer_id, customer_number) = (first.customer_id, first.customer_number.clone());
        let mut preview = ActionPreview {
            action: s.kind.code().to_string(),
            customer_id,
            customer_number,
            items: s.items.iter().cloned().zip(&s.debit).map(|(i, d)| SmallItemView::of(i, *d)).collect(),
            debit_total: s.plan.debit_total,
            credit_total: s.plan.credit_total,
            charge: (s.kind == ActionKind::Rebill).then_some(s.plan.charge),
            contract: None,
            ended_contract: None,
            proposed_contracts: Vec::new(),
            ready: true,
            blocked_by: None,
            write_off_offered: false,
            write_off_maximum: s.write_off_maximum,
        };
        if let Some(choice) = &s.choice {
            match choice {
                ContractChoice::On(c) => preview.contract = Some(c.into()),
                ContractChoice::Choose { ended, active } => {
                    preview.ended_contract = ended.as_ref().map(Into::into);
                    preview.proposed_contracts = active.iter().map(Into::into).collect();
                }
                ContractChoice::NoneActive { ended } => {
                    preview.ended_contract = ended.as_ref().map(Into::into);
                    preview.write_off_offered = true;
                }
                ContractChoice::NotActive { .. } => {}
            }
            if let Err(e) = settled_contract(choice) {
                preview.ready = false;
                preview.blocked_by = Some(e.to_string());
            }
        }
        Ok(preview)
    }

    /// Does an action in one transaction: the internal documents, their allocations to the items, the
    /// journal, the links, a re-bill's charge and the audit event.
    pub async fn small_balance_action(
        &self,
        actor: &Actor,
        company_id: i64,
        req: &ActionRequest,
        today: Date,
    ) -> Result<ActionView, AppError> {
        let id = self
            .with_retry(|| async {
                let mut tx = self.db.begin_write(actor.at()).await?;
                let s = select(&mut tx, company_id, req, today, true).await?;
                let contract = match &s.choice {
                    Some(c) => Some(settled_contract(c)?.clone()),
                    None => None,
                };
                let customer_id = s.items.first().map_or(0, |i| i.customer_id);
                let action_id = store::insert_action(
                    &mut tx,
                    company_id,
                    &NewAction {
                        kind: s.kind,
                        customer_id,
                        currency: s.plan.currency,
                        date: s.date,
                        debit_total: s.plan.debit_total.minor(),
                        credit_total: s.plan.credit_total.minor(),
                        contract_id: contract.as_ref().map(|c| c.id),
                        reason: req.reason.trim(),
                        actor: actor.as_str(),
                    },
                )
                .await?;
                let codes = settings::account_codes(&mut tx, company_id).await?;
                let ((debit_kind, debit_counter), (credit_kind, credit_counter)) = kinds(s.kind);
                let contract_id = contract.as_ref().map(|c| c.id);
                let text = req.reason.trim();
                let mut links = Vec::new();
                let mut inst_deltas: Vec<(i64, i64)> = Vec::new();
                let mut pay_deltas: Vec<(i64, i64)> = Vec::new();
                let mut docs = (None, None);
                if s.plan.debit_total.is_positive() {
                    let (doc, transfer) = internal(
                        &mut tx,
                        company_id,
                        &codes,
                        debit_kind,
                        debit_counter,
                        customer_id,
                        s.date,
                        s.plan.debit_total,
                        contract_id,
                        text,
                        action_id,
                    )
                    .await?;
                    docs.0 = Some(doc);
                    for (i, _) in s.items.iter().zip(&s.debit).filter(|(_, d)| **d) {
                        let row = AllocationRow {
                            credit: CreditId::CreditNote(transfer),
                            installment_id: i.id,
                            amount: i.amount_open,
                            date: s.date,
                        };
                        let allocation_id = allocate_one(&mut tx, company_id, row).await?;
                        links.push(NewLink {
                            installment_id: Some(i.id),
                            payment_id: None,
                            amount: i.amount_open.minor(),
                            allocation_id,
                        });
                        inst_deltas.push((i.id, -i.amount_open.minor()));
                    }
                    inst_deltas.push((transfer, -s.plan.debit_total.minor()));
                }
                if s.plan.credit_total.is_positive() {
                    let (doc, transfer) = internal(
                        &mut tx,
                        company_id,
                        &codes,
                        credit_kind,
                        credit_counter,
                        customer_id,
                        s.date,
                        s.plan.credit_total,
                        contract_id,
                        text,
                        action_id,
                    )
                    .await?;
                    docs.1 = Some(doc);
                    for (i, _) in s.items.iter().zip(&s.debit).filter(|(_, d)| !**d) {
                        let payment = i.source == "payment";
                        let credit = if payment { CreditId::Payment(i.id) } else { CreditId::CreditNote(i.id) };
                        let row =
                            AllocationRow { credit, installment_id: transfer, amount: i.amount_open, date: s.date };
                        let allocation_id = allocate_one(&mut tx, company_id, row).await?;
                        links.push(NewLink {
                            installment_id: (!payment).then_some(i.id),
                            payment_id: payment.then_some(i.id),
                            amount: i.amount_open.minor(),
                            allocation_id,
                        });
                        if payment {
                            pay_deltas.push((i.id, -i.amount_open.minor()));
                        } else {
                            inst_deltas.push((i.id, -i.amount_open.minor()));
                        }
                    }
                    inst_deltas.push((transfer, -s.plan.credit_total.minor()));
                }
                allocations::adjust_installments(&mut tx, company_id, &inst_deltas).await?;
                if !pay_deltas.is_empty() {
                    allocations::adjust_payments(&mut tx, company_id, &pay_deltas).await?;
                }
                store::set_documents(&mut tx, company_id, action_id, docs.0, docs.1).await?;
                store::insert_links(&mut tx, company_id, action_id, &links).await?;
                let mut summary = format!(
                    "{} of {} item(s) of customer {}: debits {}, credits {}",
                    s.kind.code(),
                    s.items.len(),
                    s.items.first().map_or("", |i| i.customer_number.as_str()),
                    s.plan.debit_total,
                    s.plan.credit_total
                );
                if let Some(c) = &contract {
                    let text = charge_text(&s);
                    let charge = rebill_charges::insert(
                        &mut tx,
                        company_id,
                        &rebill_charges::NewCharge {
                            action_id,
                            contract_id: c.id,
                            customer_id,
                            amount: s.plan.charge,
                            text: &text,
                        },
                    )
                    .await?;
                    summary
                        .push_str(&format!(", rebill charge {charge} of {} on contract {}", s.plan.charge, c.number));
                }
                audit::record(
                    &mut tx,
                    &AuditEvent::new(
                        company_id,
                        actor.as_str(),
                        "small_balance.action",
                        "small_balance_action",
                        Some(action_id),
                    )
                    .summary(summary),
                )
                .await?;
                tx.commit().await.map_err(anyhow::Error::from)?;
                Ok(action_id)
            })
            .await?;
        self.small_balance_action_get(company_id, id).await
    }

    pub async fn small_balance_action_get(&self, company_id: i64, id: i64) -> Result<ActionView, AppError> {
        let mut tx = self.db.begin_read().await?;
        let a = store::get_action(&mut tx, company_id, id, false)
            .await?
            .ok_or(AppError::NotFound { entity: "small-balance action", key: id.to_string() })?;
        let charge = rebill_charges::of_action(&mut tx, company_id, id, false).await?;
        Ok(action_view(a, charge))
    }

    /// The actions, newest first (of one customer when given).
    pub async fn small_balance_actions(
        &self,
        company_id: i64,
        customer_id: Option<i64>,
        page: crate::queries::Page,
    ) -> Result<crate::queries::Listed<ActionView>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let (actions, total_count) =
            store::list_actions(&mut tx, company_id, customer_id, page.limit, page.offset).await?;
        let ids: Vec<i64> = actions.iter().map(|a| a.id).collect();
        let mut charges = rebill_charges::of_actions(&mut tx, company_id, &ids).await?;
        let items = actions
            .into_iter()
            .map(|a| {
                let charge = charges.remove(&a.id);
                action_view(a, charge)
            })
            .collect();
        Ok(crate::queries::Listed { items, total_count, limit: page.limit, offset: page.offset })
    }
}
