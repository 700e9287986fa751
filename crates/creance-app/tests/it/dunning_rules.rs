//! Scenario tests for the dunning rules of issue 9 (SPEC §2, §4.6, §4.7; seeds 002–004), one per
//! rule, on every engine, each ending with `creance check` clean where the data allows it.

use crate::common::*;
// The fixtures and helpers shared with the dunning scenarios of issue 4.
use crate::dunning::{as_of, assert_invariants, d, eur, letter_of, propose, setup};
use creance_app::dunning::{Criteria, RecordExternal};
use creance_app::import::Entity;
use creance_app::queries::Page;
use creance_app::views::dunning::{PolicyInput, PolicyLevel};
use creance_app::{App, AppError};
use creance_core::dunning::{FeeKind, ItemKind, LetterStatus};
use creance_core::{Currency, Date, Money};
use creance_store::documents::DocumentFilter;

fn page() -> Page {
    Page { limit: 10_000, offset: 0 }
}

fn only(payer: &str, date: &str) -> Criteria {
    Criteria { customer_from: Some(payer.into()), customer_to: Some(payer.into()), ..as_of(date) }
}

/// Proposes and issues on the as-of date; returns the letters' numbers.
async fn issue(app: &App, company: i64, c: &Criteria) -> Vec<String> {
    let p = propose(app, company, c).await;
    let run = p.run_id().unwrap_or_else(|| panic!("nothing to dun: {:#?}", p.letters.items));
    let date = d(c.as_of.as_deref().expect("as_of"));
    let r = app.issue_dunning(&actor(), company, run, date).await.expect("issue");
    r.first_number.into_iter().chain(r.last_number).collect()
}

async fn customer_id(app: &App, company: i64, number: &str) -> i64 {
    let list = app.customers(company, &Default::default(), page()).await.unwrap();
    list.items.into_iter().find(|c| c.fields.number == number).expect("customer").id
}

/// The customer's receivable: its debit documents' open amounts less its credits'.
async fn receivable(app: &App, company: i64, number: &str) -> Money {
    let f = DocumentFilter { customer_id: Some(customer_id(app, company, number).await), ..Default::default() };
    let docs = app.documents(company, &f, page()).await.unwrap().items;
    let minor: i64 =
        docs.iter().map(|d| if d.kind.is_debit() { d.amount_open.minor() } else { -d.amount_open.minor() }).sum();
    Money::new(minor, Currency::EUR)
}

/// The default policy with other levels (every other setting copied as it is).
async fn save_default_policy(app: &App, company: i64, levels: Vec<PolicyLevel>, allow_skip: bool, repeat_last: bool) {
    let p = app.dunning_policies(company).await.unwrap().remove(0);
    let input = PolicyInput {
        code: p.code.clone(),
        name: p.name.clone(),
        currency: p.currency,
        min_amount: p.min_amount,
        list_not_due: p.list_not_due,
        allow_skip,
        repeat_last,
        payment_days: p.payment_days,
        interest_table_id: p.interest_table_id,
        interest_min: p.interest_min,
        levels,
        texts: p.texts.clone(),
    };
    app.save_dunning_policy(&actor(), company, &input).await.unwrap();
}

#[tokio::test]
async fn fee_invoices_are_listed_on_later_letters_but_never_dunned_nor_in_a_percentage_fee_base() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        // L1: a fixed 10.00 fee; L2: 15 % of the overdue amount.
        let l2 = PolicyLevel { fee_kind: FeeKind::Percent, fee_percent: "15".into(), ..PolicyLevel::plain(2, 15) };
        save_default_policy(
            &app,
            company,
            vec![PolicyLevel::plain(1, 1).with_fixed_fee(1000), l2, PolicyLevel::plain(3, 15)],
            false,
            false,
        )
        .await;
        assert_eq!(receivable(&app, company, "C001").await, eur(30050));
        // F-100 (100.50) at level 1 on 15 February: the 10.00 fee invoice.
        issue(&app, company, &only("C001", "2026-02-15")).await;
        assert_eq!(receivable(&app, company, "C001").await, eur(30050 + 1000));
        // Level 2 on 2 March: the fee invoice (due 25 February) is late and listed, counted in the total
        // due, but not dunned, and 15 % is of 100.50 only: 15.075 → 15.08 (not 15 % of 110.50 = 16.58).
        let p = propose(&app, company, &only("C001", "2026-03-02")).await;
        let l = letter_of(&p, "C001");
        assert_eq!((l.level, l.fee), (2, eur(1508)));
        assert_eq!(l.overdue_total, eur(10050 + 1000));
        assert_eq!(l.total_due, eur(10050 + 1000 + 1508));
        let det = app.dunning_letter(company, l.id, d("2026-03-02")).await.unwrap();
        let fee_invoice = det.items.iter().find(|i| i.reference.starts_with("FR-")).expect("fee invoice listed");
        assert_eq!((fee_invoice.kind.as_str(), fee_invoice.new_level, fee_invoice.interest), ("overdue", 0, eur(0)));
        let dunned: Vec<&str> =
            det.items.iter().filter(|i| i.kind == ItemKind::Due).map(|i| i.reference.as_str()).collect();
        assert_eq!(dunned, ["F-100"]);
        app.issue_dunning(&actor(), company, p.run_id().unwrap(), d("2026-03-02")).await.unwrap();
        assert_eq!(receivable(&app, company, "C001").await, eur(30050 + 1000 + 1508));
        // The fee invoices never get a level of their own.
        let f = DocumentFilter { kind: Some(creance_core::DocumentKind::FeeInvoice), ..Default::default() };
        for doc in app.documents(company, &f, page()).await.unwrap().items {
            let doc = app.document(company, doc.id).await.unwrap();
            assert_eq!(doc.installments[0].dunning_level, 0, "{}", doc.number);
        }
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn the_issue_case_receivable_110_00_after_level_1_then_125_00_after_level_2() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(
            &app,
            company,
            Entity::Documents,
            "kind;number;customer;date;currency;total;due_date\ninvoice;F-1;C001;2026-01-01;EUR;100,00;2026-01-31\n",
        )
        .await;
        let l2 = PolicyLevel { fee_kind: FeeKind::Percent, fee_percent: "15".into(), ..PolicyLevel::plain(2, 15) };
        save_default_policy(
            &app,
            company,
            vec![PolicyLevel::plain(1, 1).with_fixed_fee(1000), l2, PolicyLevel::plain(3, 15)],
            false,
            false,
        )
        .await;
        issue(&app, company, &as_of("2026-02-01")).await;
        assert_eq!(receivable(&app, company, "C001").await, eur(11000));
        issue(&app, company, &as_of("2026-02-16")).await;
        assert_eq!(receivable(&app, company, "C001").await, eur(12500), "15 % of 100.00, not of 110.00");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn an_external_reminder_never_skips_a_level() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let rec = RecordExternal {
            installment_id: None,
            document_number: Some("F-200".into()),
            level: 2,
            date: "2026-03-05".into(),
            channel: "phone".into(),
            note: "called the syndic".into(),
            force: false,
            reason: String::new(),
        };
        let today = d("2026-03-15");
        let err = app.record_external_reminder(&actor(), company, &rec, today).await.unwrap_err();
        assert!(
            matches!(&err, AppError::Invalid(f) if f.field == "level" && f.reason.contains("does not allow")),
            "{err:?}"
        );
        // Forcing does not help while the policy does not allow skipping.
        let forced = RecordExternal { force: true, reason: "level 1 sent by the old software".into(), ..rec.clone() };
        let err = app.record_external_reminder(&actor(), company, &forced, today).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(f) if f.field == "level"), "{err:?}");
        let f200 = {
            let f = DocumentFilter { number: Some("F-200".into()), ..Default::default() };
            let doc = app.documents(company, &f, page()).await.unwrap().items.remove(0);
            app.document(company, doc.id).await.unwrap().installments[0].clone()
        };
        assert_eq!((f200.dunning_level, f200.dunning_date), (0, None), "nothing recorded");
        // Level 1 then level 2 is the rule.
        let first = RecordExternal { level: 1, date: "2026-02-25".into(), ..rec.clone() };
        app.record_external_reminder(&actor(), company, &first, today).await.unwrap();
        app.record_external_reminder(&actor(), company, &rec, today).await.unwrap();
        // Level 3 on F-201 (never dunned): with a policy that allows skipping, only forced with a reason.
        save_default_policy(&app, company, app.dunning_policies(company).await.unwrap()[0].levels.clone(), true, false)
            .await;
        let skip = RecordExternal { document_number: Some("F-201".into()), level: 3, ..rec.clone() };
        let err = app.record_external_reminder(&actor(), company, &skip, today).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(f) if f.field == "force"), "{err:?}");
        let no_reason = RecordExternal { force: true, ..skip.clone() };
        let err = app.record_external_reminder(&actor(), company, &no_reason, today).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(f) if f.field == "force"), "{err:?}");
        let forced = RecordExternal { force: true, reason: "final notice sent by the old software".into(), ..skip };
        let done = app.record_external_reminder(&actor(), company, &forced, today).await.unwrap();
        let h = app.dunning_history(company, None, Some(done.installments[0])).await.unwrap();
        assert_eq!((h[0].level, h[0].source.as_str()), (3, "external"));
        assert_eq!(h[0].note, "called the syndic (level skipped: final notice sent by the old software)");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn after_the_last_level_a_late_installment_is_left_out_with_last_level_reached() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        // F-100 (due 14 February) through the three levels of the default policy, which does not repeat.
        for date in ["2026-02-15", "2026-03-02", "2026-03-17"] {
            issue(&app, company, &only("C001", date)).await;
        }
        // F-101 (due 17 March) at level 1 on 31 March.
        issue(&app, company, &only("C001", "2026-03-31")).await;
        // 1 April, 15 days after level 3: F-100 has nowhere to go; C001 is left out, with the reason.
        let p = propose(&app, company, &only("C001", "2026-04-01")).await;
        assert!(p.run.is_none(), "nothing else to dun: no draft");
        let l = letter_of(&p, "C001");
        assert_eq!((l.status.as_str(), l.reason.as_str(), l.level), ("left_out", "last_level_reached", 3));
        assert!(l.reason_text.contains("last level"), "{}", l.reason_text);
        // The payer is left out; the installment is not held by the run (its letter lists it live).
        assert_eq!((p.counts.left_out, p.counts.items_left_out), (1, 0));
        // The legal follow-up list.
        let beyond =
            app.dunning_beyond_last_level(company, &as_of("2026-04-01"), d("2026-04-01"), page()).await.unwrap();
        let rows: Vec<(&str, i64, Option<Date>, Money)> =
            beyond.items.iter().map(|b| (b.document_number.as_str(), b.level, b.dunning_date, b.amount_open)).collect();
        assert_eq!(rows, [("F-100", 3, Some(d("2026-03-17")), eur(10050))]);
        let before =
            app.dunning_beyond_last_level(company, &as_of("2026-03-31"), d("2026-03-31"), page()).await.unwrap();
        assert_eq!(before.total_count, 0, "the last level's delay has not passed");
        // In a saved proposal (C002 has something to dun), C001's left-out letter lists F-100 with its
        // reason, and stays left out when the draft is recomputed.
        let both = Criteria { customer_to: Some("C002".into()), ..only("C001", "2026-04-01") };
        let p = propose(&app, company, &both).await;
        let run = p.run_id().expect("C002 is dunned");
        let l = letter_of(&p, "C001");
        assert_eq!((l.status.as_str(), l.reason.as_str()), ("left_out", "last_level_reached"));
        assert_eq!(l.overdue_total, eur(10050 + 20000), "F-100 and F-101 (which waits for level 2)");
        let det = app.dunning_letter(company, l.id, d("2026-04-01")).await.unwrap();
        let rows: Vec<(&str, &str, i64, &str)> =
            det.items.iter().map(|i| (i.reference.as_str(), i.kind.as_str(), i.new_level, i.reason.as_str())).collect();
        let reason = "last level reached: level 3 is the last level of its policy (legal follow-up)";
        assert_eq!(rows, [("F-100", "overdue", 3, reason), ("F-101", "overdue", 0, "")]);
        let again = app.recompute_dunning(&actor(), company, run).await.unwrap();
        let l = letter_of(&again, "C001");
        assert_eq!((l.status.as_str(), l.reason.as_str()), ("left_out", "last_level_reached"));
        app.delete_dunning_proposal(&actor(), company, run).await.unwrap();
        // 15 April: F-101 goes to level 2 and F-100 is listed on the letter, left out, still counted.
        let p = propose(&app, company, &only("C001", "2026-04-15")).await;
        let l = letter_of(&p, "C001");
        assert_eq!((l.status.as_str(), l.level), ("draft", 2));
        assert_eq!(l.overdue_total, eur(10050 + 20000));
        let det = app.dunning_letter(company, l.id, d("2026-04-15")).await.unwrap();
        let f100 = det.items.iter().find(|i| i.reference == "F-100").unwrap();
        assert_eq!((f100.kind.as_str(), f100.level_before, f100.new_level), ("overdue", 3, 3));
        assert_eq!(f100.reason, "last level reached: level 3 is the last level of its policy (legal follow-up)");
        app.issue_dunning(&actor(), company, p.run_id().unwrap(), d("2026-04-15")).await.unwrap();
        let f = DocumentFilter { number: Some("F-100".into()), ..Default::default() };
        let doc = app.documents(company, &f, page()).await.unwrap().items.remove(0);
        let inst = &app.document(company, doc.id).await.unwrap().installments[0];
        assert_eq!((inst.dunning_level, inst.dunning_date), (3, Some(d("2026-03-17"))), "never dunned again");
        // A policy that repeats its last level duns it again instead.
        let levels = app.dunning_policies(company).await.unwrap()[0].levels.clone();
        save_default_policy(&app, company, levels, false, true).await;
        let p = propose(&app, company, &only("C001", "2026-04-16")).await;
        let det = app.dunning_letter(company, letter_of(&p, "C001").id, d("2026-04-16")).await.unwrap();
        let f100 = det.items.iter().find(|i| i.reference == "F-100").unwrap();
        assert_eq!((f100.kind.as_str(), f100.new_level), ("due", 3));
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_series_holding_the_year_numbers_each_year_from_one_without_gaps() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        import_ok(
            &app,
            company,
            Entity::Documents,
            "kind;number;customer;date;currency;total;due_date\ninvoice;F-050;C002;2025-11-01;EUR;80,00;2025-12-01\n",
        )
        .await;
        assert_eq!(issue(&app, company, &only("C001", "2026-02-15")).await, ["LR-2026-000001", "LR-2026-000001"]);
        // A backdated run in 2025 starts 2025 at 1 …
        assert_eq!(issue(&app, company, &only("C002", "2025-12-15")).await, ["LR-2025-000001", "LR-2025-000001"]);
        // … and 2026 goes on where it was.
        assert_eq!(issue(&app, company, &only("C002", "2026-03-10")).await, ["LR-2026-000002", "LR-2026-000002"]);
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_proposal_with_nothing_to_dun_answers_its_left_out_list_and_leaves_no_draft() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        // Nothing late at all.
        let p = propose(&app, company, &as_of("2026-02-01")).await;
        assert!(p.run.is_none());
        assert_eq!((p.letters.total_count, p.counts.draft), (0, 0));
        // Every payer left out: C001 under the minimum, C002's credit covers its debt.
        pay(&app, company, "C002", "400,00", "2026-03-05").await;
        let c = Criteria { min_balance: Some("150,00".into()), ..as_of("2026-03-10") };
        let p = propose(&app, company, &c).await;
        assert!(p.run.is_none());
        let left_out: Vec<(&str, &str, &str)> =
            p.letters.items.iter().map(|l| (l.payer_number.as_str(), l.status.as_str(), l.reason.as_str())).collect();
        assert_eq!(left_out, [("C001", "left_out", "below_minimum"), ("C002", "left_out", "credits_cover")]);
        assert!(p.letters.items.iter().all(|l| l.id == 0 && l.run_id == 0), "not stored");
        assert_eq!(app.dunning_proposals(company, None, page()).await.unwrap().total_count, 0, "no draft left");
        // Nothing was held: the same installments are dunned by the next proposal.
        let p = propose(&app, company, &as_of("2026-03-10")).await;
        assert_eq!(letter_of(&p, "C001").status, LetterStatus::Draft);
        assert_eq!(app.dunning_proposals(company, None, page()).await.unwrap().total_count, 1);
        assert_invariants(&app).await;
    })
    .await;
}

async fn pay(app: &App, company: i64, customer: &str, amount: &str, date: &str) {
    let input = creance_app::payments::RecordPayment {
        customer_number: Some(customer.into()),
        amount: amount.into(),
        date: Some(date.into()),
        method: "transfer".into(),
        ..Default::default()
    };
    app.record_payment(&actor(), company, &input, d(date)).await.expect("payment");
}

#[tokio::test]
async fn each_letter_shows_the_payers_days_late_and_comment_and_days_overdue_select() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let c002 = customer_id(&app, company, "C002").await;
        app.set_customer_comment(&actor(), company, c002, "Syndic : appeler avant tout envoi").await.unwrap();
        let long = "x".repeat(2001);
        let err = app.set_customer_comment(&actor(), company, c002, &long).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(f) if f.field == "comment"), "{err:?}");
        // As of 10 March: F-200 due 19 February is 19 days late, F-201 due 1 March 9 days; F-100 24.
        let p = propose(&app, company, &as_of("2026-03-10")).await;
        let l = letter_of(&p, "C002");
        assert_eq!((l.days_late_total, l.days_late_max), (28, 19));
        assert_eq!(l.payer_comment, "Syndic : appeler avant tout envoi");
        let c001 = letter_of(&p, "C001");
        assert_eq!((c001.days_late_total, c001.days_late_max, c001.payer_comment.as_str()), (24, 24, ""));
        let det = app.dunning_letter(company, l.id, d("2026-03-10")).await.unwrap();
        assert_eq!(
            (det.letter.days_late_total, det.letter.payer_comment.as_str()),
            (28, "Syndic : appeler avant tout envoi")
        );
        app.delete_dunning_proposal(&actor(), company, p.run_id().unwrap()).await.unwrap();
        // At least 10 days overdue: F-201 waits; at most 20: F-100 is left for another run.
        let c = Criteria { days_overdue_min: Some(10), days_overdue_max: Some(20), ..as_of("2026-03-10") };
        let p = propose(&app, company, &c).await;
        let payers: Vec<&str> = p.letters.items.iter().map(|l| l.payer_number.as_str()).collect();
        assert_eq!(payers, ["C002"]);
        let l = letter_of(&p, "C002");
        assert_eq!((l.days_late_total, l.days_late_max), (19, 19));
        let det = app.dunning_letter(company, l.id, d("2026-03-10")).await.unwrap();
        let dunned: Vec<&str> =
            det.items.iter().filter(|i| i.kind == ItemKind::Due).map(|i| i.reference.as_str()).collect();
        assert_eq!(dunned, ["F-200"]);
        app.delete_dunning_proposal(&actor(), company, p.run_id().unwrap()).await.unwrap();
        let tg = app.dunning_to_generate(company, &c, d("2026-03-10"), page()).await.unwrap();
        let got: Vec<(&str, i64, i64, i64, i64)> = tg
            .items
            .iter()
            .map(|r| (r.payer_number.as_str(), r.items, r.amount_open, r.days_late_total, r.days_late_max))
            .collect();
        assert_eq!(got, [("C002", 1, 30000, 19, 19)], "F-200 only, 19 days late");
        let bad = Criteria { days_overdue_min: Some(30), days_overdue_max: Some(20), ..as_of("2026-03-10") };
        let err = app.propose_dunning(&actor(), company, &bad, d("2026-03-10")).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(f) if f.field == "days_overdue_max"), "{err:?}");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn to_generate_and_the_proposal_give_the_same_payers_on_the_demo_data() {
    for test_db in creance_store::testing::TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let today = d("2026-11-22");
        let opts = creance_app::demo::DemoOptions {
            customers: 200,
            seed: 11,
            as_of: today,
            at: creance_store::testing::TEST_INSTANT,
            installments_per_customer: None,
        };
        let company = app.demo(&opts, &|_, _| {}).await.expect("demo").company_id;
        // The demo leaves a draft; its installments would be left out of both.
        for run in app.dunning_proposals(company, Some("draft"), page()).await.unwrap().items {
            app.delete_dunning_proposal(&actor(), company, run.id).await.unwrap();
        }
        let criteria = [
            as_of("2026-11-22"),
            Criteria { min_balance: Some("500,00".into()), ..as_of("2026-11-22") },
            Criteria { days_overdue_min: Some(30), ..as_of("2026-11-22") },
            Criteria { days_overdue_max: Some(45), levels: Some(vec![1]), ..as_of("2026-11-22") },
            Criteria {
                customer_from: Some("C000050".into()),
                customer_to: Some("C000150".into()),
                currency: Some("EUR".into()),
                min_balance: Some("100,00".into()),
                ..as_of("2026-10-31")
            },
            Criteria { documents_to: Some("2026-06-30".into()), levels: Some(vec![2, 3]), ..as_of("2026-11-22") },
        ];
        let mut sizes = Vec::new();
        for c in &criteria {
            let tg = app.dunning_to_generate(company, c, today, page()).await.unwrap();
            let mut from_view: Vec<(String, String)> =
                tg.items.iter().map(|r| (r.payer_number.clone(), r.currency.clone())).collect();
            assert_eq!(tg.total_count as usize, from_view.len());
            let p = app.propose_dunning(&actor(), company, c, today).await.unwrap();
            let mut from_proposal: Vec<(String, String)> = Vec::new();
            if let Some(run) = p.run_id() {
                let drafts = app.dunning_proposal(company, run, Some("draft"), page()).await.unwrap();
                from_proposal = drafts
                    .letters
                    .items
                    .iter()
                    .map(|l| (l.payer_number.clone(), l.currency.code().to_string()))
                    .collect();
                app.delete_dunning_proposal(&actor(), company, run).await.unwrap();
            }
            from_view.sort();
            from_proposal.sort();
            assert_eq!(from_view, from_proposal, "criteria {c:?}");
            sizes.push(from_view.len());
        }
        assert!(sizes[0] > 10, "the demo has payers to dun: {sizes:?}");
        assert!(sizes[1] < sizes[0] && sizes[1] > 0, "the minimum balance leaves some out: {sizes:?}");
        assert!(sizes[2] < sizes[0], "days overdue select: {sizes:?}");
        assert_invariants(&app).await;
        test_db.finish().await;
    }
}

#[tokio::test]
async fn a_payer_whose_totals_cannot_be_stored_is_left_out_with_amount_too_large() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        // 9,300 invoices of 10^15 minor units (the largest valid amount) for C001: 9.3·10^18 in all,
        // beyond what a BIGINT holds; C002 owes 50.00.
        let mut csv = String::from("kind;number;customer;date;currency;total;due_date\n");
        for n in 0..9_300 {
            csv.push_str(&format!("invoice;B-{n:05};C001;2026-01-01;EUR;10000000000000,00;2026-01-31\n"));
        }
        csv.push_str("invoice;F-201;C002;2026-01-30;EUR;50,00;2026-03-01\n");
        import_ok(&app, company, Entity::Documents, &csv).await;
        let tg = app.dunning_to_generate(company, &as_of("2026-03-10"), d("2026-03-10"), page()).await.unwrap();
        let payers: Vec<(&str, i64)> = tg.items.iter().map(|r| (r.payer_number.as_str(), r.amount_open)).collect();
        assert_eq!(payers, [("C002", 5000)], "C001 is left out of the view too");
        let p = propose(&app, company, &as_of("2026-03-10")).await;
        let c001 = letter_of(&p, "C001");
        assert_eq!((c001.status.as_str(), c001.reason.as_str()), ("left_out", "amount_too_large"));
        assert_eq!((c001.overdue_total, c001.total_due), (eur(0), eur(0)));
        let c002 = letter_of(&p, "C002");
        assert_eq!((c002.status.as_str(), c002.overdue_total), ("draft", eur(5000)));
        // Recomputing and issuing keep it out; C002 gets its letter.
        let run = p.run_id().unwrap();
        let p = app.recompute_dunning(&actor(), company, run).await.unwrap();
        assert_eq!(letter_of(&p, "C001").reason.as_str(), "amount_too_large");
        let r = app.issue_dunning(&actor(), company, run, d("2026-03-10")).await.unwrap();
        assert_eq!(r.letters_issued, 1);
        // The invariant check sums these rows in two parts (wide sums): it works and finds nothing.
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_level_channel_other_than_email_or_letter_is_refused_after_the_level_fee_checks() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let p = app.dunning_policies(company).await.unwrap().remove(0);
        let with = |levels: Vec<PolicyLevel>| PolicyInput {
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
            levels,
            texts: vec![],
        };
        let fax = PolicyLevel { channel: "fax".into(), ..PolicyLevel::plain(1, 10) };
        let refused = app.save_dunning_policy(&actor(), company, &with(vec![fax.clone()])).await;
        assert!(
            matches!(&refused, Err(AppError::Invalid(f)) if f.field == "levels[0].channel" && f.reason == "\"fax\" is not email or letter"),
            "{refused:?}"
        );
        let negative_fee = PolicyLevel { fee_amount: -1, ..fax };
        let refused = app.save_dunning_policy(&actor(), company, &with(vec![negative_fee])).await;
        assert!(matches!(&refused, Err(AppError::Invalid(f)) if f.field == "levels[0].fee_amount"), "{refused:?}");
        let email = PolicyLevel { channel: "email".into(), ..PolicyLevel::plain(1, 10) };
        let saved = app.save_dunning_policy(&actor(), company, &with(vec![email])).await.unwrap();
        assert_eq!(saved.levels[0].channel, "email");
        assert_eq!(app.dunning_policies(company).await.unwrap()[0].levels[0].channel, "email");
    })
    .await;
}
