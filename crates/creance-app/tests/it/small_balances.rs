//! Scenario tests for small balances and rebill charges (SPEC §4.8, §4.9; seed 000), on every engine.
//! Each ends with the whole-database check of SPEC §4.1.

use crate::common::*;
use creance_app::dunning::Criteria;
use creance_app::import::Entity;
use creance_app::payments::{AllocateRequest, RecordPayment};
use creance_app::queries::Page;
use creance_app::small_balances::{AcknowledgeCharge, ActionRequest, ChargeQuery, GroupRef, SmallBalanceQuery};
use creance_app::{App, AppError, Code};
use creance_core::{Currency, Date, Money};
use creance_store::documents::DocumentFilter;

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

const TODAY: &str = "2026-06-30";

/// C001 has an active contract AB1 and an ended one AB0; C002 has AB2 (ended), AB3 and AB4 (active);
/// C003 only AB5, ended.
const CONTRACTS: &str = "\
number;customer;status;start_date;end_date
AB0;C001;ended;2023-01-01;2025-12-31
AB1;C001;active;2024-01-01;
AB2;C002;ended;2023-01-01;2025-12-31
AB3;C002;active;2024-01-01;
AB4;C002;active;2025-01-01;
AB5;C003;ended;2023-01-01;2025-12-31
";

const INVOICES: &str = "\
kind;number;customer;date;currency;total;contract;due_date
invoice;F-100;C001;2026-01-15;EUR;100,50;AB1;2026-02-14
invoice;F-101;C001;2026-02-15;EUR;500,00;AB1;2026-03-17
invoice;F-200;C002;2026-01-20;EUR;40,00;AB2;2026-02-19
invoice;F-300;C003;2026-01-20;EUR;20,00;AB5;2026-02-19
";

async fn setup(app: &App, company: i64) {
    import_ok(app, company, Entity::Customers, CUSTOMERS).await;
    import_ok(app, company, Entity::Contracts, CONTRACTS).await;
    import_ok(app, company, Entity::Documents, INVOICES).await;
}

async fn pay(app: &App, company: i64, customer: &str, amount: &str, reference: &str, allocate: bool) -> i64 {
    let input = RecordPayment {
        customer_number: Some(customer.into()),
        amount: amount.into(),
        date: Some("2026-03-01".into()),
        method: "transfer".into(),
        piece_number: format!("VIR {reference}"),
        allocate: allocate.then_some(AllocateRequest::Proposal),
        ..Default::default()
    };
    app.record_payment(&actor(), company, &input, d(TODAY)).await.expect("payment").payment.id
}

async fn doc_open(app: &App, company: i64, number: &str) -> (Money, i64) {
    let filter = DocumentFilter { number: Some(number.into()), ..Default::default() };
    let docs = app.documents(company, &filter, Page::new(None, None).unwrap()).await.unwrap().items;
    let doc = app.document(company, docs[0].id).await.unwrap();
    (doc.amount_open, doc.installments[0].dunning_level)
}

async fn assert_invariants(app: &App) {
    let violations = app.check().await.unwrap();
    assert!(violations.is_empty(), "invariants broken: {violations:#?}");
}

fn list(threshold: &str) -> SmallBalanceQuery {
    SmallBalanceQuery { threshold: Some(threshold.into()), older_than_days: Some(30), ..Default::default() }
}

fn group(customer: &str, contract: Option<i64>, credits: bool) -> ActionRequest {
    ActionRequest {
        action: "rebill".into(),
        group: Some(GroupRef {
            customer_number: Some(customer.into()),
            contract_id: contract,
            credits,
            threshold: Some("1,00".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The journal lines of the company's internal documents: (account, debit, credit) summed.
async fn journal_of(app: &App, company: i64, account: &str) -> (i64, i64) {
    let mut out = Vec::new();
    let format = creance_app::journal::JournalFormat::Csv;
    app.export_journal(company, d("2000-01-01"), d("2099-12-31"), format, &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(';').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap_or_else(|| panic!("column {n} in {header:?}"));
    let (acc, deb, cre) = (col("account"), col("debit"), col("credit"));
    let mut sum = (0, 0);
    for l in text.lines().skip(1) {
        let f: Vec<&str> = l.split(';').collect();
        if f[acc] == account {
            let minor = |s: &str| Money::parse_input(s, Currency::EUR).map(|m| m.minor()).unwrap_or(0);
            sum.0 += minor(f[deb]);
            sum.1 += minor(f[cre]);
        }
    }
    sum
}

#[tokio::test]
async fn the_seed_case_0_50_is_rebilled_acknowledged_and_no_longer_undoable() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        pay(&app, company, "C001", "100,00", "F-100", true).await;
        assert_eq!(doc_open(&app, company, "F-100").await.0, eur(50));
        let s = app.small_balances(company, &list("1,00"), d(TODAY)).await.unwrap();
        let g = s.groups.iter().find(|g| g.customer_number == "C001").expect("C001's group");
        assert_eq!((g.contract_number.as_deref(), g.total, g.items.len()), (Some("AB1"), eur(50), 1));
        assert_eq!(g.contract_active, Some(true));
        // Previewed, then done: on the active contract, through the clearing account.
        let req = group("C001", g.contract_id, false);
        let preview = app.preview_small_balance_action(company, &req, d(TODAY)).await.unwrap();
        assert!(preview.ready, "{preview:?}");
        assert_eq!(
            (preview.charge, preview.contract.as_ref().map(|c| c.number.as_str())),
            (Some(eur(50)), Some("AB1"))
        );
        let done = app.small_balance_action(&actor(), company, &req, d(TODAY)).await.unwrap();
        assert_eq!(done.items.len(), 1);
        assert_eq!(doc_open(&app, company, "F-100").await.0, eur(0));
        assert_eq!(journal_of(&app, company, "467000").await, (50, 0), "clearing debited");
        let charge = done.charge.clone().expect("a charge");
        assert_eq!(
            (charge.amount, charge.contract_number.as_str(), charge.status.as_str()),
            (eur(50), "AB1", "pending")
        );
        assert_eq!(charge.source_items[0].reference, "F-100");
        assert!(done.undoable);
        assert_invariants(&app).await;
        // Nothing small is left for C001.
        let s = app.small_balances(company, &list("1,00"), d(TODAY)).await.unwrap();
        assert!(s.groups.iter().all(|g| g.customer_number != "C001"));
        // The billing system lists it pending and acknowledges it with its invoice number.
        let pending = ChargeQuery { status: Some("pending".into()), ..Default::default() };
        let listed = app.rebill_charges(company, &pending, Page::new(None, None).unwrap()).await.unwrap();
        assert_eq!(listed.items.iter().map(|c| c.id).collect::<Vec<_>>(), [charge.id]);
        let ack = AcknowledgeCharge { invoice_number: "FAC-2026-0042".into() };
        let acked = app.acknowledge_rebill_charge(&actor(), company, charge.id, &ack).await.unwrap();
        assert_eq!((acked.status.as_str(), acked.invoice_number.as_str()), ("acknowledged", "FAC-2026-0042"));
        let listed = app.rebill_charges(company, &pending, Page::new(None, None).unwrap()).await.unwrap();
        assert!(listed.items.is_empty(), "no longer pending");
        let again = app.acknowledge_rebill_charge(&actor(), company, charge.id, &ack).await.unwrap_err();
        assert_eq!(again.code(), Code::ChargeNotPending);
        // It can no longer be undone (409).
        let err = app.undo_small_balance_action(&actor(), company, done.id, d(TODAY)).await.unwrap_err();
        assert!(matches!(&err, AppError::Rejected(r) if r.code == Code::ActionNotUndoable), "{err:?}");
        assert!(!app.small_balance_action_get(company, done.id).await.unwrap().undoable);
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn an_ended_contract_proposes_the_two_active_ones_and_the_chosen_one_gets_the_charge() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        pay(&app, company, "C002", "39,20", "F-200", true).await;
        let s = app.small_balances(company, &list("1,00"), d(TODAY)).await.unwrap();
        let g = s.groups.iter().find(|g| g.customer_number == "C002").expect("C002's group");
        assert_eq!((g.contract_number.as_deref(), g.contract_active, g.total), (Some("AB2"), Some(false), eur(80)));
        let mut req = group("C002", g.contract_id, false);
        let preview = app.preview_small_balance_action(company, &req, d(TODAY)).await.unwrap();
        assert!(!preview.ready);
        assert_eq!(preview.ended_contract.as_ref().map(|c| c.number.as_str()), Some("AB2"));
        let proposed: Vec<&str> = preview.proposed_contracts.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(proposed, ["AB3", "AB4"]);
        // Confirming without a choice names contract_id.
        let err = app.small_balance_action(&actor(), company, &req, d(TODAY)).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(f) if f.field == "contract_id"), "{err:?}");
        req.contract_id = Some(preview.proposed_contracts[1].id);
        let done = app.small_balance_action(&actor(), company, &req, d(TODAY)).await.unwrap();
        assert_eq!(done.contract_number.as_deref(), Some("AB4"));
        assert_eq!(done.charge.as_ref().map(|c| (c.contract_number.as_str(), c.amount)), Some(("AB4", eur(80))));
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_customer_without_an_active_contract_is_offered_a_write_off_bounded_by_the_maximum() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        pay(&app, company, "C003", "19,50", "F-300", true).await;
        let mut req = group("C003", None, false);
        let g = app.small_balances(company, &list("1,00"), d(TODAY)).await.unwrap();
        req.group.as_mut().unwrap().contract_id =
            g.groups.iter().find(|g| g.customer_number == "C003").and_then(|g| g.contract_id);
        let preview = app.preview_small_balance_action(company, &req, d(TODAY)).await.unwrap();
        assert!(preview.write_off_offered && !preview.ready, "{preview:?}");
        let err = app.small_balance_action(&actor(), company, &req, d(TODAY)).await.unwrap_err();
        assert_eq!(err.code(), Code::NoActiveContract);
        // Above the company maximum: refused naming the field.
        app.set_small_balance_settings(&actor(), company, "1,00", "0,40").await.unwrap();
        req.action = "write_off".into();
        let err = app.small_balance_action(&actor(), company, &req, d(TODAY)).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(f) if f.field == "write_off_maximum"), "{err:?}");
        assert_eq!(doc_open(&app, company, "F-300").await.0, eur(50), "nothing changed");
        app.set_small_balance_settings(&actor(), company, "1,00", "10,00").await.unwrap();
        let done = app.small_balance_action(&actor(), company, &req, d(TODAY)).await.unwrap();
        assert!(done.charge.is_none());
        assert_eq!(doc_open(&app, company, "F-300").await.0, eur(0));
        assert_eq!(journal_of(&app, company, "654000").await, (50, 0), "loss debited");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn small_credits_become_a_negative_charge() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        // An unallocated payment of 0.30 and an open credit note of 0.45.
        let payment = pay(&app, company, "C001", "0,30", "acompte", false).await;
        import_ok(
            &app,
            company,
            Entity::Documents,
            "kind;number;customer;date;currency;total;contract\ncredit_note;AV-1;C001;2026-03-01;EUR;0,45;AB1\n",
        )
        .await;
        let s = app.small_balances(company, &list("1,00"), d(TODAY)).await.unwrap();
        let credits = s.credits.iter().find(|g| g.customer_number == "C001").expect("C001's credits");
        assert_eq!((credits.total, credits.items.len()), (eur(75), 2));
        let done = app.small_balance_action(&actor(), company, &group("C001", None, true), d(TODAY)).await.unwrap();
        let charge = done.charge.expect("a charge");
        assert_eq!((charge.amount, charge.contract_number.as_str()), (eur(-75), "AB1"));
        assert_eq!(charge.source_items.len(), 2);
        // The payment of 1 March is closed on the action's day: its allocation is valued that day.
        let detail = app.payment(company, payment).await.unwrap();
        assert_eq!(detail.payment.unallocated, eur(0));
        assert_eq!((detail.allocations[0].date, detail.allocations[0].value_date), (d(TODAY), d(TODAY)));
        assert_eq!(doc_open(&app, company, "AV-1").await.0, eur(0));
        assert_eq!(journal_of(&app, company, "467000").await, (0, 75), "clearing credited");
        let s = app.small_balances(company, &list("1,00"), d(TODAY)).await.unwrap();
        assert!(s.credits.iter().all(|g| g.customer_number != "C001"));
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn an_undo_reopens_the_items_exactly_and_reverses_the_journal() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        // F-100 is dunned once, then paid 100.00: its level is there to keep.
        let as_of = Criteria { as_of: Some("2026-02-20".into()), ..Default::default() };
        let p = app.propose_dunning(&actor(), company, &as_of, d("2026-02-20")).await.unwrap();
        let run = p.run_id().expect("a draft");
        app.issue_dunning(&actor(), company, run, d("2026-02-20")).await.unwrap();
        pay(&app, company, "C001", "100,00", "F-100", true).await;
        let before = doc_open(&app, company, "F-100").await;
        assert_eq!(before, (eur(50), 1));
        let s = app.small_balances(company, &list("1,00"), d(TODAY)).await.unwrap();
        let g = s.groups.iter().find(|g| g.customer_number == "C001").unwrap();
        let done =
            app.small_balance_action(&actor(), company, &group("C001", g.contract_id, false), d(TODAY)).await.unwrap();
        assert_eq!(doc_open(&app, company, "F-100").await.0, eur(0));
        // The closing allocation is not reversed on its own.
        let err = app.unallocate(&actor(), company, done.items[0].allocation_id, d(TODAY)).await.unwrap_err();
        assert_eq!(err.code(), Code::ActionNotUndoable);
        let undone = app.undo_small_balance_action(&actor(), company, done.id, d(TODAY)).await.unwrap();
        assert_eq!(undone.status, "undone");
        assert_eq!(undone.charge.as_ref().map(|c| c.status.as_str()), Some("cancelled"));
        assert_eq!(doc_open(&app, company, "F-100").await, before, "open amount and dunning level as before");
        assert_eq!(journal_of(&app, company, "467000").await, (50, 50), "clearing nets to zero");
        let again = app.undo_small_balance_action(&actor(), company, done.id, d(TODAY)).await.unwrap_err();
        assert_eq!(again.code(), Code::ActionNotUndoable);
        let s = app.small_balances(company, &list("1,00"), d(TODAY)).await.unwrap();
        assert!(s.groups.iter().any(|g| g.customer_number == "C001" && g.total == eur(50)), "small again");
        let pending = ChargeQuery { status: Some("pending".into()), ..Default::default() };
        assert!(app.rebill_charges(company, &pending, Page::new(None, None).unwrap()).await.unwrap().items.is_empty());
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn dunning_leaves_a_0_02_balance_out_as_a_small_balance() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        // C001 owes 0.02 (F-100 paid 100.48; F-101 paid in full); C002 owes 40.00.
        pay(&app, company, "C001", "100,48", "F-100", true).await;
        pay(&app, company, "C001", "500,00", "F-101", true).await;
        let c = Criteria { as_of: Some("2026-03-30".into()), ..Default::default() };
        let p = app.propose_dunning(&actor(), company, &c, d("2026-03-30")).await.unwrap();
        let c001 = p.letters.items.iter().find(|l| l.payer_number == "C001").expect("C001 listed");
        assert_eq!((c001.status.as_str(), c001.reason.as_str()), ("left_out", "small_balance"));
        let c002 = p.letters.items.iter().find(|l| l.payer_number == "C002").expect("C002 listed");
        assert_eq!(c002.status.as_str(), "draft");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn one_pass_clears_every_small_balance_a_clerk_can_settle_and_leaves_the_choices() {
    use creance_app::small_balances::{ClearOutcome, ClearRequest};
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        pay(&app, company, "C001", "100,00", "F-100", true).await; // 0.50 on AB1 (active): re-bill
        pay(&app, company, "C002", "39,60", "F-200", true).await; // 0.40 on AB2 (ended; AB3, AB4): choose
        pay(&app, company, "C003", "19,70", "F-300", true).await; // 0.30 on AB5 (ended; none): write off
        pay(&app, company, "C001", "0,20", "acompte", false).await; // a credit of 0.20: deduct on AB1
        let req = ClearRequest { threshold: Some("1,00".into()), older_than_days: Some(30), ..Default::default() };
        let plan = app.clear_small_balances(&actor(), company, &req, d(TODAY)).await.unwrap();
        assert!(!plan.confirmed);
        let outcome = |r: &creance_app::small_balances::ClearReport, c: &str, credits: bool| {
            let l = r.lines.iter().find(|l| l.customer_number == c && l.credits == credits).expect(c);
            (l.outcome, l.on_contract_number.clone(), l.total)
        };
        assert_eq!(outcome(&plan, "C001", false), (ClearOutcome::Rebill, Some("AB1".into()), eur(50)));
        assert_eq!(outcome(&plan, "C001", true), (ClearOutcome::Rebill, Some("AB1".into()), eur(20)));
        assert_eq!(outcome(&plan, "C002", false).0, ClearOutcome::Left);
        let c002 = plan.lines.iter().find(|l| l.customer_number == "C002").unwrap();
        assert!(c002.reason.as_deref().is_some_and(|r| r.contains("AB3") && r.contains("AB4")), "{c002:?}");
        assert_eq!(outcome(&plan, "C003", false), (ClearOutcome::WriteOff, None, eur(30)));
        assert_eq!((plan.rebilled, plan.written_off, plan.left), (2, 1, 1));
        assert_eq!(doc_open(&app, company, "F-100").await.0, eur(50), "a plan writes nothing");

        let confirm = ClearRequest { confirm: true, ..req.clone() };
        let done = app.clear_small_balances(&actor(), company, &confirm, d(TODAY)).await.unwrap();
        assert_eq!((done.rebilled, done.written_off, done.left), (2, 1, 1));
        assert!(done.lines.iter().filter(|l| l.outcome != ClearOutcome::Left).all(|l| l.action_id.is_some()));
        assert_eq!(doc_open(&app, company, "F-100").await.0, eur(0));
        assert_eq!(doc_open(&app, company, "F-300").await.0, eur(0));
        assert_eq!(doc_open(&app, company, "F-200").await.0, eur(40), "left for the clerk's choice");
        // The billing system gets the two charges of AB1: +0.50 and −0.20.
        let pending = ChargeQuery { status: Some("pending".into()), ..Default::default() };
        let listed = app.rebill_charges(company, &pending, Page::new(None, None).unwrap()).await.unwrap();
        let mut amounts: Vec<(String, Money)> =
            listed.items.iter().map(|c| (c.contract_number.clone(), c.amount)).collect();
        amounts.sort_by_key(|(_, m)| m.minor());
        assert_eq!(amounts, [("AB1".to_string(), eur(-20)), ("AB1".to_string(), eur(50))]);
        assert_eq!(journal_of(&app, company, "654000").await, (30, 0), "the write-off's loss");
        // Run again: only the group that needs a choice is left.
        let again = app.clear_small_balances(&actor(), company, &req, d(TODAY)).await.unwrap();
        assert_eq!((again.rebilled, again.written_off, again.left, again.lines.len()), (0, 0, 1, 1));
        assert_invariants(&app).await;
    })
    .await;
}
