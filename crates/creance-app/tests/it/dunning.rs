//! Scenario tests for dunning (SPEC §4.6, §4.7; seeds 001–004), one per rule, on every engine. Interest
//! figures are worked by hand in the comments. Each scenario ends with `creance check` clean.

use crate::common::*;
use creance_app::dunning::settings::{Block, CustomerDunning};
use creance_app::dunning::{ChangeLevel, Criteria, LetterDetail, Proposal, RecordExternal, Texts};
use creance_app::import::Entity;
use creance_app::payments::{AllocateRequest, RecordPayment};
use creance_app::queries::Page;
use creance_app::views::dunning::{Letter, PolicyInput, PolicyLevel};
use creance_app::{App, AppError, Code};
use creance_core::dunning::{DeliveryStatus, ItemKind, ItemStatus, LetterStatus};
use creance_core::{Currency, Date, Money};
use creance_store::documents::DocumentFilter;
use creance_store::dunning_runs::LetterFilter;

pub(crate) fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

pub(crate) fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn page() -> Page {
    Page { limit: 1000, offset: 0 }
}

/// C001 owes F-100 (due 14 Feb) and F-101 (due 17 Mar); C003 is paid for by C002 and owes F-200
/// (due 19 Feb); C002 owes F-201 (due 1 Mar).
pub(crate) const INVOICES: &str = "\
kind;number;customer;date;currency;total;order_ref;due_date
invoice;F-100;C001;2026-01-15;EUR;100,50;;2026-02-14
invoice;F-101;C001;2026-02-15;EUR;200,00;;2026-03-17
invoice;F-200;C003;2026-01-20;EUR;300,00;;2026-02-19
invoice;F-201;C002;2026-01-30;EUR;50,00;;2026-03-01
";

pub(crate) async fn setup(app: &App, company: i64) {
    import_ok(app, company, Entity::Customers, CUSTOMERS).await;
    import_ok(app, company, Entity::Documents, INVOICES).await;
}

pub(crate) fn as_of(date: &str) -> Criteria {
    Criteria { as_of: Some(date.into()), ..Default::default() }
}

pub(crate) async fn propose(app: &App, company: i64, c: &Criteria) -> Proposal {
    let today = d(c.as_of.as_deref().unwrap_or("2026-12-31"));
    app.propose_dunning(&actor(), company, c, today).await.expect("proposal")
}

/// The id of a proposal that saved a draft.
pub(crate) fn run_id(p: &Proposal) -> i64 {
    p.run_id().unwrap_or_else(|| panic!("no draft saved: {:#?}", p.letters.items))
}

pub(crate) fn letter_of<'a>(p: &'a Proposal, payer: &str) -> &'a Letter {
    p.letters
        .items
        .iter()
        .find(|l| l.payer_number == payer)
        .unwrap_or_else(|| panic!("no letter for {payer}: {:#?}", p.letters.items))
}

pub(crate) async fn detail(app: &App, company: i64, l: &Letter) -> LetterDetail {
    app.dunning_letter(company, l.id, d("2026-12-31")).await.expect("letter")
}

/// Dunned (kind `due`, active) references of a letter, sorted.
fn dunned(l: &LetterDetail) -> Vec<String> {
    let mut v: Vec<String> = l
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Due && i.status == ItemStatus::Active)
        .map(|i| i.reference.clone())
        .collect();
    v.sort();
    v
}

async fn level_of(app: &App, company: i64, number: &str) -> (i64, Option<Date>) {
    let filter = DocumentFilter { number: Some(number.into()), ..Default::default() };
    let doc = app.documents(company, &filter, page()).await.unwrap().items.remove(0);
    let doc = app.document(company, doc.id).await.unwrap();
    (doc.installments[0].dunning_level, doc.installments[0].dunning_date)
}

async fn installment_of(app: &App, company: i64, number: &str) -> i64 {
    let filter = DocumentFilter { number: Some(number.into()), ..Default::default() };
    let doc = app.documents(company, &filter, page()).await.unwrap().items.remove(0);
    app.document(company, doc.id).await.unwrap().installments[0].id
}

pub(crate) async fn assert_invariants(app: &App) {
    let violations = app.check().await.unwrap();
    assert!(violations.is_empty(), "invariants broken: {violations:#?}");
}

pub(crate) async fn pay(app: &App, company: i64, customer: &str, amount: &str, date: &str, allocate: bool) {
    let input = RecordPayment {
        customer_number: Some(customer.into()),
        amount: amount.into(),
        date: Some(date.into()),
        method: "transfer".into(),
        allocate: allocate.then_some(AllocateRequest::Proposal),
        ..Default::default()
    };
    app.record_payment(&actor(), company, &input, d(date)).await.expect("payment");
}

#[tokio::test]
async fn level_1_comes_the_day_after_the_due_date() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let c =
            Criteria { customer_from: Some("C001".into()), customer_to: Some("C001".into()), ..as_of("2026-02-14") };
        let p = propose(&app, company, &c).await;
        assert_eq!(p.counts.draft, 0, "on its due date F-100 is not late yet");
        assert!(p.run.is_none(), "nothing to dun: no draft is saved");
        let c = Criteria { as_of: Some("2026-02-15".into()), ..c };
        let p = propose(&app, company, &c).await;
        let l = letter_of(&p, "C001");
        assert_eq!((l.status.as_str(), l.level), ("draft", 1));
        assert_eq!(dunned(&detail(&app, company, l).await), ["F-100"]);
        assert_eq!(l.overdue_total, eur(10050));
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn level_2_comes_15_days_after_level_1_and_never_without_it() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let c = Criteria { customer_to: Some("C001".into()), ..as_of("2026-02-15") };
        let p = propose(&app, company, &c).await;
        let r = app.issue_dunning(&actor(), company, run_id(&p), d("2026-02-15")).await.unwrap();
        assert_eq!(r.letters_issued, 1);
        assert_eq!(level_of(&app, company, "F-100").await, (1, Some(d("2026-02-15"))));
        // 14 days later: not yet.
        let p = propose(&app, company, &Criteria { as_of: Some("2026-03-01".into()), ..c.clone() }).await;
        assert_eq!(p.counts.draft, 0);
        assert!(p.run.is_none());
        // 15 days later: level 2 for F-100; F-101 (due 17 March) is not due yet and is not listed.
        let p = propose(&app, company, &Criteria { as_of: Some("2026-03-02".into()), ..c.clone() }).await;
        let l = letter_of(&p, "C001");
        assert_eq!(l.level, 2);
        let det = detail(&app, company, l).await;
        assert_eq!(dunned(&det), ["F-100"]);
        assert!(det.items.iter().all(|i| i.reference != "F-101"));
        app.delete_dunning_proposal(&actor(), company, run_id(&p)).await.unwrap();
        let p = propose(&app, company, &Criteria { as_of: Some("2026-03-05".into()), ..c.clone() }).await;
        app.issue_dunning(&actor(), company, run_id(&p), d("2026-03-05")).await.unwrap();
        // On 18 March, F-101 goes to level 1 and F-100 waits for its level 3 (5 March + 15 days):
        // F-100 is listed as late, not dunned.
        let p = propose(&app, company, &Criteria { as_of: Some("2026-03-18".into()), ..c.clone() }).await;
        let det = detail(&app, company, letter_of(&p, "C001")).await;
        assert_eq!(det.letter.level, 1);
        assert_eq!(dunned(&det), ["F-101"]);
        let late = det.items.iter().find(|i| i.reference == "F-100").expect("F-100 listed");
        assert_eq!((late.kind.as_str(), late.level_before), ("overdue", 2));
        assert_eq!(det.letter.overdue_total, eur(30050));
        app.delete_dunning_proposal(&actor(), company, run_id(&p)).await.unwrap();
        // On 20 March both: one letter, at the highest level of its items.
        let p = propose(&app, company, &Criteria { as_of: Some("2026-03-20".into()), ..c.clone() }).await;
        let det = detail(&app, company, letter_of(&p, "C001")).await;
        assert_eq!(det.letter.level, 3);
        let levels: Vec<(String, i64)> = det.items.iter().map(|i| (i.reference.clone(), i.new_level)).collect();
        assert_eq!(levels, [("F-100".to_string(), 3), ("F-101".to_string(), 1)]);
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn one_letter_per_payer_and_currency_holds_all_its_customers_items() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let p = propose(&app, company, &as_of("2026-03-10")).await;
        let l = letter_of(&p, "C002");
        assert!(p.letters.items.iter().all(|l| l.payer_number != "C003"), "C003 is dunned through its payer");
        assert_eq!(dunned(&detail(&app, company, l).await), ["F-200", "F-201"]);
        assert_eq!(l.overdue_total, eur(35000));
        assert_eq!(p.counts.draft, 2);
        assert_eq!(p.counts.items, 3);
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn credits_that_cover_the_overdue_total_leave_the_payer_out_with_the_reason() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        import_ok(
            &app,
            company,
            Entity::Documents,
            "kind;number;customer;date;currency;total\ncredit_note;AV-1;C001;2026-03-01;EUR;60,00\n",
        )
        .await;
        // C002 paid 400.00 without allocating: more than its 350.00 overdue.
        pay(&app, company, "C002", "400,00", "2026-03-05", false).await;
        let p = propose(&app, company, &as_of("2026-03-10")).await;
        let c001 = letter_of(&p, "C001");
        assert_eq!(c001.status, LetterStatus::Draft, "60.00 of credit does not cover 100.50");
        assert_eq!(c001.credits_total, eur(6000));
        assert_eq!(c001.total_due, eur(4050));
        let det = detail(&app, company, c001).await;
        assert!(
            det.items.iter().any(|i| i.kind == ItemKind::Credit && i.reference == "AV-1"),
            "credit notes are listed"
        );
        let c002 = letter_of(&p, "C002");
        assert_eq!((c002.status.as_str(), c002.reason.as_str()), ("left_out", "credits_cover"));
        assert!(c002.reason_text.contains("400.00 EUR"), "{}", c002.reason_text);
        assert!(detail(&app, company, c002).await.items.iter().any(|i| i.kind == ItemKind::Payment));
        // Left out, its installments are free for another proposal.
        let p2 = propose(&app, company, &as_of("2026-03-10")).await;
        assert_eq!(letter_of(&p2, "C002").reason.as_str(), "credits_cover");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_payer_under_the_minimum_amount_is_left_out() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let c = Criteria { min_balance: Some("150,00".into()), ..as_of("2026-03-10") };
        let p = propose(&app, company, &c).await;
        let c001 = letter_of(&p, "C001");
        assert_eq!((c001.status.as_str(), c001.reason.as_str()), ("left_out", "below_minimum"));
        assert!(c001.reason_text.contains("100.50 EUR"));
        assert_eq!(letter_of(&p, "C002").status, LetterStatus::Draft);
        app.delete_dunning_proposal(&actor(), company, run_id(&p)).await.unwrap();
        // The minimum is on the balance due: C002's 350.00 less a 250.00 credit note is 100.00.
        import_ok(
            &app,
            company,
            Entity::Documents,
            "kind;number;customer;date;currency;total\ncredit_note;AV-9;C002;2026-03-01;EUR;250,00\n",
        )
        .await;
        let p = propose(&app, company, &c).await;
        let c002 = letter_of(&p, "C002");
        assert_eq!((c002.status.as_str(), c002.reason.as_str()), ("left_out", "below_minimum"));
        assert!(c002.reason_text.contains("100.00 EUR"), "{}", c002.reason_text);
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn blocked_installments_and_customers_not_dunned_are_left_out_with_their_reason() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let f100 = installment_of(&app, company, "F-100").await;
        let block = Block { installment_ids: vec![f100], reason: Some("dispute".into()), until: Some("2026-04-01".into()), note: "wrong quantity".into() };
        app.block_installments(&actor(), company, &block).await.unwrap();
        let bad = Block { reason: Some("holiday".into()), ..block.clone() };
        assert!(matches!(app.block_installments(&actor(), company, &bad).await, Err(AppError::Invalid(f)) if f.field == "reason"));
        let p = propose(&app, company, &as_of("2026-03-10")).await;
        let c001 = letter_of(&p, "C001");
        assert_eq!((c001.status.as_str(), c001.reason.as_str()), ("left_out", "nothing_to_dun"));
        let det = detail(&app, company, c001).await;
        let it = det.items.iter().find(|i| i.reference == "F-100").unwrap();
        assert_eq!(it.kind, ItemKind::Blocked);
        assert_eq!(it.reason, "blocked: dispute until 2026-04-01 (wrong quantity)");
        app.delete_dunning_proposal(&actor(), company, run_id(&p)).await.unwrap();
        let c002 = app.customers(company, &Default::default(), page()).await.unwrap().items.into_iter().find(|c| c.fields.number == "C002").unwrap();
        app.set_customer_dunning(&actor(), company, c002.id, &CustomerDunning { policy: None, enabled: false }).await.unwrap();
        let p = propose(&app, company, &as_of("2026-03-10")).await;
        assert!(p.run.is_none(), "nothing to dun: the left-out list is the answer, no draft is saved");
        let left_out: Vec<(&str, &str, &str, i64)> =
            p.letters.items.iter().map(|l| (l.payer_number.as_str(), l.status.as_str(), l.reason.as_str(), l.id)).collect();
        assert_eq!(left_out, [("C001", "left_out", "nothing_to_dun", 0), ("C002", "left_out", "nothing_to_dun", 0)]);
        assert_eq!(p.counts.left_out, 2);
        // From the block's end date on, F-100 is dunned again.
        let p = propose(&app, company, &Criteria { customer_to: Some("C001".into()), ..as_of("2026-04-01") }).await;
        assert_eq!(dunned(&detail(&app, company, letter_of(&p, "C001")).await), ["F-100", "F-101"]);
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn an_installment_in_another_draft_proposal_is_left_out() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let first = propose(&app, company, &Criteria { customer_to: Some("C001".into()), ..as_of("2026-03-10") }).await;
        let second = propose(&app, company, &as_of("2026-03-10")).await;
        let c001 = letter_of(&second, "C001");
        assert_eq!(c001.status, LetterStatus::LeftOut);
        let det = detail(&app, company, c001).await;
        assert!(det.items.iter().any(|i| i.kind == ItemKind::InOtherDraft && i.reference == "F-100"));
        assert_eq!(letter_of(&second, "C002").status, LetterStatus::Draft);
        // Deleting the first frees F-100.
        app.delete_dunning_proposal(&actor(), company, run_id(&first)).await.unwrap();
        app.delete_dunning_proposal(&actor(), company, run_id(&second)).await.unwrap();
        let third = propose(&app, company, &as_of("2026-03-10")).await;
        assert_eq!(letter_of(&third, "C001").status, LetterStatus::Draft);
    })
    .await;
}

#[tokio::test]
async fn items_not_yet_due_are_listed_when_the_policy_says_so() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let mut policy = app.dunning_policies(company).await.unwrap().remove(0);
        policy.list_not_due = true;
        app.save_dunning_policy(&actor(), company, &input_of(&policy)).await.unwrap();
        let p = propose(&app, company, &as_of("2026-02-20")).await;
        let det = detail(&app, company, letter_of(&p, "C001")).await;
        let f101 = det.items.iter().find(|i| i.reference == "F-101").expect("listed");
        assert_eq!((f101.kind.as_str(), f101.reason.as_str()), ("not_due", ""), "listed, with no reason to give");
        assert_eq!(det.letter.not_due_total, eur(20000));
        assert_eq!(det.letter.overdue_total, eur(10050), "not counted as overdue");
    })
    .await;
}

pub(crate) fn input_of(p: &creance_app::views::dunning::Policy) -> PolicyInput {
    PolicyInput {
        code: p.code.clone(),
        name: p.name.clone(),
        currency: p.currency,
        min_amount: p.min_amount,
        list_not_due: p.list_not_due,
        allow_skip: p.allow_skip,
        repeat_last: p.repeat_last,
        payment_days: p.payment_days,
        interest_table_id: p.interest_table_id,
        interest_min: p.interest_min,
        levels: p.levels.clone(),
        texts: p.texts.clone(),
    }
}

#[tokio::test]
async fn a_clerk_edits_the_draft_before_issuing() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let p = propose(&app, company, &as_of("2026-03-20")).await;
        let c001 = letter_of(&p, "C001").clone();
        let c002 = letter_of(&p, "C002").clone();
        // Remove one installment, then a whole payer.
        let det = detail(&app, company, &c001).await;
        let f101 = det.items.iter().find(|i| i.reference == "F-101").unwrap().id;
        let det = app.remove_dunning_item(&actor(), company, f101, "promised by phone", false).await.unwrap();
        assert_eq!(dunned(&det), ["F-100"]);
        assert_eq!(det.letter.overdue_total, eur(10050));
        app.remove_dunning_letter(&actor(), company, c002.id, "key account, call instead").await.unwrap();
        // Skipping a level: refused by the default policy.
        let up = ChangeLevel { level: 3, force: true, reason: "final notice".into() };
        let err = app.change_dunning_level(&actor(), company, c001.id, &up).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(f) if f.field == "level" && f.reason.contains("does not allow")), "{err:?}");
        // A policy that allows it needs force and a reason, and records who.
        let mut policy = app.dunning_policies(company).await.unwrap().remove(0);
        policy.allow_skip = true;
        app.save_dunning_policy(&actor(), company, &input_of(&policy)).await.unwrap();
        let err = app.change_dunning_level(&actor(), company, c001.id, &ChangeLevel { reason: String::new(), ..up.clone() }).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(f) if f.field == "force"), "{err:?}");
        let det = app.change_dunning_level(&actor(), company, c001.id, &up).await.unwrap();
        assert_eq!(det.letter.level, 3);
        assert_eq!(det.letter.level_forced_by.as_deref(), Some("test"));
        assert_eq!(det.letter.level_reason, "final notice");
        // Its own texts, with a placeholder; an unknown placeholder is refused.
        let texts = Texts { subject: "Relance {level} – {payer_name}".into(), opening: "Bonjour,".into(), closing: "Total : {total_due}".into() };
        let det = app.edit_dunning_texts(&actor(), company, c001.id, Some(&texts)).await.unwrap();
        assert_eq!(det.preview.subject, "Relance 3 – Boulangerie Martin");
        // The payer reads amounts and dates in their locale (French here).
        assert_eq!(det.preview.closing, "Total : 100,50\u{a0}€");
        let bad = Texts { subject: "{nom}".into(), ..texts.clone() };
        assert!(matches!(app.edit_dunning_texts(&actor(), company, c001.id, Some(&bad)).await, Err(AppError::Invalid(f)) if f.field == "subject"));
        // Marked issued without sending.
        let det = app.set_dunning_send(&actor(), company, c001.id, false).await.unwrap();
        assert!(!det.letter.send);
        // A payment recorded since drops out on recompute.
        pay(&app, company, "C001", "100,50", "2026-03-20", true).await;
        let p = app.recompute_dunning(&actor(), company, run_id(&p)).await.unwrap();
        let c001 = letter_of(&p, "C001");
        assert_eq!((c001.status.as_str(), c001.reason.as_str()), ("left_out", "nothing_to_dun"));
        let det = detail(&app, company, c001).await;
        assert_eq!(det.items.iter().find(|i| i.reference == "F-100").unwrap().status, ItemStatus::Settled);
        // Deleting the draft changes nothing on the installments.
        app.delete_dunning_proposal(&actor(), company, run_id(&p)).await.unwrap();
        assert_eq!(level_of(&app, company, "F-200").await, (0, None));
        assert!(app.issue_dunning(&actor(), company, run_id(&p), d("2026-03-20")).await.is_err(), "a deleted proposal is not issued");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn issuing_numbers_letters_without_gaps_freezes_them_and_queues_them() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let p = propose(&app, company, &as_of("2026-03-10")).await;
        let c001 = letter_of(&p, "C001").clone();
        app.set_dunning_send(&actor(), company, c001.id, false).await.unwrap();
        let r = app.issue_dunning(&actor(), company, run_id(&p), d("2026-03-10")).await.unwrap();
        assert_eq!(r.letters_issued, 2);
        assert_eq!(r.first_number.as_deref(), Some("LR-2026-000001"));
        assert_eq!(r.last_number.as_deref(), Some("LR-2026-000002"));
        assert_eq!(r.installments_updated, 3);
        assert_eq!(level_of(&app, company, "F-200").await, (1, Some(d("2026-03-10"))));
        let det = detail(&app, company, &c001).await;
        assert_eq!(det.letter.status, LetterStatus::Issued);
        assert_eq!(det.letter.number.as_deref(), Some("LR-2026-000001"));
        assert_eq!(det.letter.payment_deadline, Some(d("2026-03-20")));
        assert!(
            det.letter.closing.contains("100,50\u{a0}€") && det.letter.closing.contains("20 mars 2026"),
            "frozen texts: {}",
            det.letter.closing
        );
        assert_eq!(det.letter.delivery_status, Some(DeliveryStatus::NotSent));
        let queued = app.dunning_deliveries(company, Some("queued"), page()).await.unwrap();
        assert_eq!(queued.items.len(), 1);
        assert_eq!(queued.items[0].letter_number, "LR-2026-000002");
        // Issued letters never change.
        assert!(matches!(
            app.remove_dunning_letter(&actor(), company, c001.id, "").await,
            Err(AppError::Rejected(r)) if r.code == Code::DunningRunNotDraft
        ));
        assert!(matches!(
            app.issue_dunning(&actor(), company, run_id(&p), d("2026-03-10")).await,
            Err(AppError::Rejected(r)) if r.code == Code::DunningRunNotDraft
        ));
        // A payment after issue changes nothing on the letter, and the installment leaves "in progress".
        let progress = app
            .dunning_letters(company, None, &LetterFilter { in_progress: true, ..Default::default() }, page())
            .await
            .unwrap();
        assert_eq!(progress.total_count, 2);
        pay(&app, company, "C001", "100,50", "2026-03-12", true).await;
        let progress = app
            .dunning_letters(company, None, &LetterFilter { in_progress: true, ..Default::default() }, page())
            .await
            .unwrap();
        assert_eq!(progress.items.iter().map(|l| l.payer_number.as_str()).collect::<Vec<_>>(), ["C002"]);
        assert_eq!(detail(&app, company, &c001).await.letter.overdue_total, eur(10050));
        // History per customer and per installment.
        let c001_id = det.letter.payer_id;
        let h = app.dunning_history(company, Some(c001_id), None).await.unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(
            (h[0].level, h[0].letter_number.as_deref(), h[0].status.as_str()),
            (1, Some("LR-2026-000001"), "issued")
        );
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn to_generate_lists_eligible_payers_without_writing() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let rows = app.dunning_to_generate(company, &as_of("2026-03-10"), d("2026-03-10"), page()).await.unwrap();
        let got: Vec<(String, i64, i64)> =
            rows.items.iter().map(|r| (r.payer_number.clone(), r.items, r.amount_open)).collect();
        assert_eq!(got, [("C001".to_string(), 1, 10050), ("C002".to_string(), 2, 35000)]);
        assert_eq!(app.dunning_proposals(company, None, page()).await.unwrap().total_count, 0);
    })
    .await;
}

#[tokio::test]
async fn an_external_reminder_makes_the_next_level_possible() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let rec = RecordExternal {
            installment_id: None,
            document_number: Some("F-200".into()),
            level: 1,
            date: "2026-02-25".into(),
            channel: "phone".into(),
            note: "called the syndic".into(),
            force: false,
            reason: String::new(),
        };
        app.record_external_reminder(&actor(), company, &rec, d("2026-03-15")).await.unwrap();
        assert_eq!(level_of(&app, company, "F-200").await, (1, Some(d("2026-02-25"))));
        // Level 2 from 12 March (25 Feb + 15 days).
        let p = propose(&app, company, &as_of("2026-03-12")).await;
        let det = detail(&app, company, letter_of(&p, "C002")).await;
        assert_eq!(det.letter.level, 2);
        assert_eq!(det.items.iter().find(|i| i.reference == "F-200").unwrap().new_level, 2);
        app.delete_dunning_proposal(&actor(), company, run_id(&p)).await.unwrap();
        // Bad input names the field; a level never goes down.
        let future = RecordExternal { date: "2026-04-01".into(), ..rec.clone() };
        assert!(matches!(app.record_external_reminder(&actor(), company, &future, d("2026-03-15")).await, Err(AppError::Invalid(f)) if f.field == "date"));
        let channel = RecordExternal { channel: "pigeon".into(), ..rec.clone() };
        assert!(matches!(app.record_external_reminder(&actor(), company, &channel, d("2026-03-15")).await, Err(AppError::Invalid(f)) if f.field == "channel"));
        let down = RecordExternal { level: 0, ..rec.clone() };
        assert!(matches!(app.record_external_reminder(&actor(), company, &down, d("2026-03-15")).await, Err(AppError::Invalid(f)) if f.field == "level"));
        let too_high = RecordExternal { level: 4, ..rec.clone() };
        assert!(matches!(app.record_external_reminder(&actor(), company, &too_high, d("2026-03-15")).await, Err(AppError::Invalid(f)) if f.field == "level"));
        let inst = installment_of(&app, company, "F-200").await;
        let h = app.dunning_history(company, None, Some(inst)).await.unwrap();
        assert_eq!((h[0].source.as_str(), h[0].channel.as_str(), h[0].note.as_str()), ("external", "phone", "called the syndic"));
        assert_invariants(&app).await;
    })
    .await;
}

/// The France B2B policy: interest (ECB + 10 points) and the 40 EUR indemnity from level 1, a 5.00 EUR
/// fee at level 2.
pub(crate) const BIG_INVOICE: &str =
    "kind;number;customer;date;currency;total;due_date\ninvoice;F-500;C001;2025-05-01;EUR;10000,00;2025-05-31\n";

pub(crate) async fn french_policy(app: &App, company: i64, interest_min: i64) {
    let table = app.create_interest_preset(&actor(), company, "fr_b2b").await.unwrap();
    let level = |level, delay_days, fee: i64| PolicyLevel {
        interest: true,
        indemnity: true,
        channel: "email".into(),
        ..PolicyLevel::plain(level, delay_days).with_fixed_fee(fee)
    };
    let policy = PolicyInput {
        code: "fr_b2b".into(),
        name: "France B2B".into(),
        currency: Currency::EUR,
        min_amount: 0,
        list_not_due: false,
        allow_skip: false,
        repeat_last: false,
        payment_days: 8,
        interest_table_id: Some(table.id),
        interest_min,
        levels: vec![level(1, 1, 0), level(2, 15, 500), level(3, 15, 0)],
        texts: Vec::new(),
    };
    app.save_dunning_policy(&actor(), company, &policy).await.unwrap();
    app.set_default_dunning_policy(&actor(), company, "fr_b2b").await.unwrap();
}

#[tokio::test]
async fn issue_withdraw_and_issue_again_end_to_end() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(&app, company, Entity::Documents, BIG_INVOICE).await;
        french_policy(&app, company, 0).await;
        let p = propose(&app, company, &as_of("2025-08-31")).await;
        let r = app.issue_dunning(&actor(), company, run_id(&p), d("2025-08-31")).await.unwrap();
        assert_eq!(r.first_number.as_deref(), Some("LR-2025-000001"));
        let first = app.dunning_letter_by_number(company, "LR-2025-000001", d("2025-08-31")).await.unwrap();
        let fee_doc = app.document(company, first.letter.fee_document_id.expect("fee invoice")).await.unwrap();
        let interest_doc =
            app.document(company, first.letter.interest_document_id.expect("interest invoice")).await.unwrap();
        assert_eq!((fee_doc.total, interest_doc.total), (eur(4000), eur(31446)));
        assert_eq!(fee_doc.customer_number, "C001");
        assert_eq!(level_of(&app, company, "F-500").await, (1, Some(d("2025-08-31"))));
        assert_invariants(&app).await;
        // Withdraw: levels and dates go back, the charges are cancelled by credit notes.
        let err =
            app.withdraw_dunning_letter(&actor(), company, first.letter.id, " ", d("2025-09-02")).await.unwrap_err();
        assert!(matches!(err, AppError::Invalid(f) if f.field == "reason"));
        let w = app
            .withdraw_dunning_letter(&actor(), company, first.letter.id, "sent to the wrong address", d("2025-09-02"))
            .await
            .unwrap();
        assert_eq!(w.letter.status, LetterStatus::Withdrawn);
        assert_eq!(w.letter.number.as_deref(), Some("LR-2025-000001"), "the number stays used");
        assert_eq!(level_of(&app, company, "F-500").await, (0, None));
        assert_eq!(app.document(company, fee_doc.id).await.unwrap().amount_open, eur(0));
        assert_eq!(app.document(company, interest_doc.id).await.unwrap().amount_open, eur(0));
        let credit_notes = app
            .documents(
                company,
                &DocumentFilter { kind: Some(creance_core::DocumentKind::CreditNote), ..Default::default() },
                page(),
            )
            .await
            .unwrap();
        assert_eq!(credit_notes.total_count, 2);
        assert!(matches!(
            app.withdraw_dunning_letter(&actor(), company, first.letter.id, "again", d("2025-09-02")).await,
            Err(AppError::Rejected(r)) if r.code == Code::DunningLetterNotIssued
        ));
        assert_invariants(&app).await;
        // Issue again: the same days and the indemnity are chargeable again; a new number.
        let p = propose(&app, company, &as_of("2025-09-02")).await;
        let l = letter_of(&p, "C001");
        assert_eq!(l.level, 1);
        assert_eq!(l.indemnity, eur(4000));
        // 1–30 June at 13.15 % = 108.08; 1 July–2 September (64 days) at 12.15 %: 213.04.
        assert_eq!(l.interest, eur(10808 + 21304));
        let r = app.issue_dunning(&actor(), company, run_id(&p), d("2025-09-02")).await.unwrap();
        assert_eq!(r.first_number.as_deref(), Some("LR-2025-000002"));
        assert_eq!(level_of(&app, company, "F-500").await, (1, Some(d("2025-09-02"))));
        let inst = installment_of(&app, company, "F-500").await;
        let h = app.dunning_history(company, None, Some(inst)).await.unwrap();
        let statuses: Vec<(&str, &str)> =
            h.iter().map(|e| (e.letter_number.as_deref().unwrap_or(""), e.status.as_str())).collect();
        assert_eq!(statuses, [("LR-2025-000002", "issued"), ("LR-2025-000001", "withdrawn")]);
        // A letter whose installment was dunned again is withdrawn after the later one.
        let p = propose(&app, company, &as_of("2025-09-17")).await;
        app.issue_dunning(&actor(), company, run_id(&p), d("2025-09-17")).await.unwrap();
        let second = app.dunning_letter_by_number(company, "LR-2025-000002", d("2025-09-17")).await.unwrap();
        let err = app
            .withdraw_dunning_letter(&actor(), company, second.letter.id, "mistake", d("2025-09-17"))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, AppError::Rejected(r) if r.code == Code::DunningLetterDunnedAgainSince && r.detail.contains("F-500")),
            "{err:?}"
        );
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn bad_criteria_name_the_field_and_write_nothing() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        for (c, field) in [
            (Criteria { as_of: Some("2026-02-30".into()), ..Default::default() }, "as_of"),
            (Criteria { currency: Some("EURO".into()), ..as_of("2026-03-10") }, "currency"),
            (Criteria { policy: Some("nope".into()), ..as_of("2026-03-10") }, "policy"),
            (Criteria { levels: Some(vec![0]), ..as_of("2026-03-10") }, "levels"),
            (Criteria { min_balance: Some("abc".into()), ..as_of("2026-03-10") }, "min_balance"),
            // Above the input limit of 10^15 minor units.
            (
                Criteria {
                    min_balance: Some("10000000000000.01".into()),
                    currency: Some("EUR".into()),
                    ..as_of("2026-03-10")
                },
                "min_balance",
            ),
            (
                Criteria { customer_from: Some("C9".into()), customer_to: Some("C1".into()), ..as_of("2026-03-10") },
                "customer_to",
            ),
        ] {
            let err = app.propose_dunning(&actor(), company, &c, d("2026-03-10")).await.unwrap_err();
            assert!(matches!(&err, AppError::Invalid(f) if f.field == field), "{field}: {err:?}");
        }
        assert_eq!(app.dunning_proposals(company, None, page()).await.unwrap().total_count, 0);
    })
    .await;
}

#[tokio::test]
async fn two_proposals_computed_at_once_never_hold_the_same_installment() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let c = as_of("2026-03-20");
        let clerk = actor();
        let (a, b) = tokio::join!(
            app.propose_dunning(&clerk, company, &c, d("2026-03-20")),
            app.propose_dunning(&clerk, company, &c, d("2026-03-20"))
        );
        let (a, b) = (a.expect("first proposal"), b.expect("second proposal"));
        let mut held = Vec::new();
        for p in [&a, &b] {
            for l in p.letters.items.iter().filter(|l| l.status == LetterStatus::Draft) {
                held.extend(dunned(&detail(&app, company, l).await));
            }
        }
        held.sort();
        assert_eq!(held, ["F-100", "F-101", "F-200", "F-201"], "each eligible installment in exactly one draft");
        assert_eq!(a.counts.items + b.counts.items, 4);
    })
    .await;
}

#[tokio::test]
async fn an_external_reminder_on_an_invoice_in_three_installments_dates_each_open_one_in_one_write() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let csv = "\
number;customer;date;total;due_date;installment_amount
F-300;C001;2026-01-15;1 200,00;2026-02-14;400,00
F-300;C001;2026-01-15;1 200,00;2026-02-21;400,00
F-300;C001;2026-01-15;1 200,00;2026-02-28;400,00
";
        import_ok(&app, company, Entity::Documents, csv).await;
        let rec = RecordExternal {
            installment_id: None,
            document_number: Some("F-300".into()),
            level: 1,
            date: "2026-03-02".into(),
            channel: "letter".into(),
            note: "sent by the previous software".into(),
            force: false,
            reason: String::new(),
        };
        let r = app.record_external_reminder(&actor(), company, &rec, d("2026-03-15")).await.unwrap();
        assert_eq!((r.installments.len(), r.ids.len()), (3, 3));
        let mut ids = r.ids.clone();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 3, "one reminder per installment");
        for inst in &r.installments {
            let h = app.dunning_history(company, None, Some(*inst)).await.unwrap();
            assert_eq!((h.len(), h[0].level, h[0].date, h[0].source.as_str()), (1, 1, d("2026-03-02"), "external"));
        }
        // One bad installment refuses the whole reminder: the date is not after the third due date.
        let early = RecordExternal { level: 2, date: "2026-02-25".into(), ..rec.clone() };
        let e = app.record_external_reminder(&actor(), company, &early, d("2026-03-15")).await.unwrap_err();
        assert!(matches!(&e, AppError::Invalid(f) if f.field == "date"), "{e:?}");
        for inst in &r.installments {
            assert_eq!(app.dunning_history(company, None, Some(*inst)).await.unwrap().len(), 1, "nothing written");
        }
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn rate_periods_added_again_replace_those_of_the_same_date_and_keep_the_others() {
    on_every_engine(|app, company| async move {
        let table = app.create_interest_preset(&actor(), company, "fr_b2b").await.unwrap();
        let before = table.rates.len();
        let row = |from: &str, reference: &str| creance_app::views::dunning::RateRow {
            from: d(from),
            reference_percent: reference.into(),
            margin_percent: "10".into(),
        };
        // 2025-07-01 exists (2.15): replaced; 2026-01-01 is new; given twice, the later one counts.
        let rates = [row("2025-07-01", "2.20"), row("2026-01-01", "2.00"), row("2026-01-01", "2.05")];
        let t = app.add_interest_rates(&actor(), company, table.id, &rates).await.unwrap();
        assert_eq!(t.rates.len(), before + 1);
        let at = |from: &str| t.rates.iter().find(|r| r.from == d(from)).map(|r| r.reference_percent.as_str());
        assert_eq!((at("2025-07-01"), at("2026-01-01"), at("2025-01-01")), (Some("2.20"), Some("2.05"), Some("3.15")));
    })
    .await;
}
