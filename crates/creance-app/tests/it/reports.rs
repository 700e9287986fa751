//! Reports (SPEC §4.2 as-of views, §4.10 aging, statement, DSO; issue 12 points 4–6), on every
//! engine, each scenario ending with `creance check` clean.

use crate::common::*;
use creance_app::import::Entity;
use creance_app::payments::{AllocateRequest, CreditRef, RecordPayment};
use creance_app::query_args::OpenItemArgs;
use creance_app::refunds::{RecordRefund, RefundAllocate};
use creance_app::reports::{AgingArgs, AgingLine, AgingReport, DsoArgs, ReportSettingsInput, StatementArgs};
use creance_app::{App, AppError};
use creance_core::{Currency, Date, MoneyTotal};

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn eur(minor: i128) -> MoneyTotal {
    MoneyTotal::new(minor, Currency::EUR)
}

async fn assert_invariants(app: &App) {
    let violations = app.check().await.unwrap();
    assert!(violations.is_empty(), "invariants broken: {violations:#?}");
}

async fn pay(app: &App, company: i64, customer: &str, amount: &str, date: &str, allocate: bool) -> i64 {
    let input = RecordPayment {
        customer_number: Some(customer.into()),
        amount: amount.into(),
        date: Some(date.into()),
        method: "transfer".into(),
        allocate: allocate.then_some(AllocateRequest::Proposal),
        ..Default::default()
    };
    app.record_payment(&actor(), company, &input, d(date)).await.expect("payment").payment.id
}

async fn aging(app: &App, company: i64, as_of: &str, today: &str) -> AgingReport {
    let args = AgingArgs { as_of: Some(as_of.into()), ..Default::default() };
    app.aging_report(company, &args, d(today)).await.expect("aging")
}

fn row<'a>(r: &'a AgingReport, customer: &str) -> Option<&'a AgingLine> {
    r.rows.iter().find(|l| l.customer_number == customer)
}

fn field_of(e: AppError) -> String {
    match e {
        AppError::Invalid(f) => f.field,
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

const TWO_INVOICES: &str = "\
kind;number;customer;date;currency;total;due_date
invoice;F-1;C001;2026-01-01;EUR;1000,00;2026-01-31
invoice;F-2;C002;2026-01-01;EUR;500,00;2026-01-31
";

#[tokio::test]
async fn aging_as_of_a_past_date_ignores_a_later_payment_and_counts_an_earlier_one_allocated_later_at_its_value_date() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(&app, company, Entity::Documents, TWO_INVOICES).await;
        // C001 pays F-1 on 10 March (after D = 1 March).
        pay(&app, company, "C001", "1000.00", "2026-03-10", true).await;
        // C002 pays 500.00 on 20 February (before D), left unallocated and allocated on 15 March.
        let p2 = pay(&app, company, "C002", "500.00", "2026-02-20", false).await;
        app.allocate(&actor(), company, CreditRef::Payment(p2), &AllocateRequest::Proposal, d("2026-03-15"))
            .await
            .unwrap();

        let r = aging(&app, company, "2026-03-01", "2026-06-01").await;
        assert!(r.past);
        // F-1: due 31 January, 29 days late on 1 March, still open then: the 10 March payment is later.
        let c1 = row(&r, "C001").expect("C001 open as of 1 March");
        assert_eq!(r.buckets[1].key, "1_30");
        assert_eq!(c1.buckets[1], eur(100_000));
        assert_eq!(c1.balance, eur(100_000));
        // C002's payment counts at its value date (20 February): nothing open on 1 March.
        assert!(row(&r, "C002").is_none(), "C002 was settled at its payment's value date: {r:#?}");
        // The day before that payment, F-2 was open and the payment did not exist.
        let before = aging(&app, company, "2026-02-19", "2026-06-01").await;
        let c2 = row(&before, "C002").expect("C002 open on 19 February");
        assert_eq!((c2.debits_open, c2.credits_unallocated), (eur(50_000), eur(0)));
        // Today everything is paid.
        assert!(aging(&app, company, "2026-06-01", "2026-06-01").await.rows.is_empty());

        // The open-items list's as-of is the same true view.
        let args = OpenItemArgs { as_of: Some("2026-03-01".into()), ..Default::default() };
        let (filter, sorts, page) = args.parse(d("2026-06-01")).unwrap();
        let items = app.open_items(company, &filter, &sorts, page).await.unwrap();
        assert_eq!(items.items.len(), 1, "{items:#?}");
        assert_eq!(items.items[0].document_number, "F-1");
        assert_eq!(items.items[0].days_overdue, 29);
        assert_eq!(items.totals[0].amount_open, eur(100_000));
        let by_doc = app.open_documents(company, &filter, &sorts, page).await.unwrap();
        assert_eq!(by_doc.total_count, 1);
        let (today_filter, _, _) = OpenItemArgs::default().parse(d("2026-06-01")).unwrap();
        assert_eq!(app.open_items(company, &today_filter, &sorts, page).await.unwrap().total_count, 0);
        assert_invariants(&app).await;
    })
    .await;
}

/// One invoice per boundary, due 0, 1, 30, 31, 60, 61, 90 and 91 days before 30 June 2026, of
/// 0.01, 0.02, 0.04, … 1.28 so that every bucket's sum says which invoices it holds.
const BOUNDARIES: &str = "\
kind;number;customer;date;currency;total;due_date
invoice;B0;C001;2026-01-01;EUR;0,01;2026-06-30
invoice;B1;C001;2026-01-01;EUR;0,02;2026-06-29
invoice;B30;C001;2026-01-01;EUR;0,04;2026-05-31
invoice;B31;C001;2026-01-01;EUR;0,08;2026-05-30
invoice;B60;C001;2026-01-01;EUR;0,16;2026-05-01
invoice;B61;C001;2026-01-01;EUR;0,32;2026-04-30
invoice;B90;C001;2026-01-01;EUR;0,64;2026-04-01
invoice;B91;C001;2026-01-01;EUR;1,28;2026-03-31
";

#[tokio::test]
async fn buckets_at_their_boundaries_and_a_company_s_own_buckets() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(&app, company, Entity::Documents, BOUNDARIES).await;
        // Today's view and the reconstructed one (the same date seen from later) agree.
        for today in ["2026-06-30", "2026-12-31"] {
            let r = aging(&app, company, "2026-06-30", today).await;
            assert_eq!(r.past, today != "2026-06-30");
            let keys: Vec<_> = r.buckets.iter().map(|b| b.key.as_str()).collect();
            assert_eq!(keys, ["current", "1_30", "31_60", "61_90", "over_90"]);
            // current: 0 days; 1–30: 1 and 30; 31–60: 31 and 60; 61–90: 61 and 90; > 90: 91.
            assert_eq!(row(&r, "C001").unwrap().buckets, [eur(1), eur(2 + 4), eur(8 + 16), eur(32 + 64), eur(128)]);
        }
        let set = ReportSettingsInput { aging_buckets: Some("0, 15, 45".into()), aging_basis: None };
        let s = app.set_report_settings(&actor(), company, &set).await.unwrap();
        assert_eq!((s.aging_buckets.as_str(), s.aging_basis.as_str()), ("0,15,45", "due_date"));
        let r = aging(&app, company, "2026-06-30", "2026-06-30").await;
        let keys: Vec<_> = r.buckets.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["current", "1_15", "16_45", "over_45"]);
        assert_eq!(row(&r, "C001").unwrap().buckets, [eur(1), eur(2), eur(4 + 8), eur(16 + 32 + 64 + 128)]);
        // A report may ask for other buckets without changing the company's.
        let args = AgingArgs { as_of: Some("2026-06-30".into()), buckets: Some("0,90".into()), ..Default::default() };
        let r = app.aging_report(company, &args, d("2026-06-30")).await.unwrap();
        assert_eq!(row(&r, "C001").unwrap().buckets, [eur(1), eur(2 + 4 + 8 + 16 + 32 + 64), eur(128)]);
        assert_eq!(app.report_settings(company).await.unwrap().aging_buckets, "0,15,45");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn aging_by_document_date_or_by_due_date() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let docs =
            "kind;number;customer;date;currency;total;due_date\ninvoice;F-9;C001;2026-05-01;EUR;100,00;2026-06-30\n";
        import_ok(&app, company, Entity::Documents, docs).await;
        for today in ["2026-06-30", "2027-01-01"] {
            // By due date: due today, current.
            let r = aging(&app, company, "2026-06-30", today).await;
            assert_eq!(r.basis, "due_date");
            assert_eq!(row(&r, "C001").unwrap().buckets[0], eur(10_000));
            // By document date: 60 days old, in 31–60.
            let args = AgingArgs {
                as_of: Some("2026-06-30".into()),
                basis: Some("document_date".into()),
                ..Default::default()
            };
            let r = app.aging_report(company, &args, d(today)).await.unwrap();
            assert_eq!(r.basis, "document_date");
            assert_eq!(row(&r, "C001").unwrap().buckets[2], eur(10_000), "{r:#?}");
        }
        // The company's default basis.
        let set = ReportSettingsInput { aging_buckets: None, aging_basis: Some("document_date".into()) };
        app.set_report_settings(&actor(), company, &set).await.unwrap();
        assert_eq!(aging(&app, company, "2026-06-30", "2026-06-30").await.basis, "document_date");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn unallocated_credits_have_their_own_column_and_currencies_are_never_mixed() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let docs = "\
kind;number;customer;date;currency;total;due_date
invoice;F-10;C001;2026-05-01;EUR;100,00;2026-05-31
credit_note;AV-10;C001;2026-05-05;EUR;20,00;2026-05-05
invoice;F-11;C002;2026-05-01;EUR;40,00;2026-05-31
invoice;F-12;C004;2026-05-01;CHF;50,00;2026-05-31
";
        import_ok(&app, company, Entity::Documents, docs).await;
        pay(&app, company, "C001", "30.00", "2026-05-10", false).await;
        for today in ["2026-06-10", "2026-12-01"] {
            let r = aging(&app, company, "2026-06-10", today).await;
            let c1 = row(&r, "C001").unwrap();
            assert_eq!(c1.buckets[1], eur(10_000));
            assert_eq!((c1.credits_unallocated, c1.credit_notes_open), (eur(5_000), eur(2_000)));
            assert_eq!(c1.balance, eur(5_000));
            assert_eq!(r.totals.len(), 2, "one total per currency: {:#?}", r.totals);
            let chf = r.totals.iter().find(|t| t.currency == Currency::CHF).unwrap();
            assert_eq!(chf.balance, MoneyTotal::new(5_000, Currency::CHF));
            let eur_total = r.totals.iter().find(|t| t.currency == Currency::EUR).unwrap();
            assert_eq!((eur_total.debits_open, eur_total.balance), (eur(14_000), eur(9_000)));
            assert!(eur_total.customer_number.is_empty());
        }
        // CSV: the buckets and the credit columns, totals last.
        let r = aging(&app, company, "2026-06-10", "2026-06-10").await;
        let csv = String::from_utf8(r.csv(creance_app::exports::Dialect::Standard).unwrap()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "customer_number,customer_name,currency,current,1_30,31_60,61_90,over_90,debits_open,credits_unallocated,\
             credit_notes_open,refunds_to_allocate,balance"
        );
        assert_eq!(lines[1], "C001,Boulangerie Martin,EUR,0.00,100.00,0.00,0.00,0.00,100.00,50.00,20.00,0.00,50.00");
        assert_eq!(lines.len(), 1 + 3 + 2, "{csv}");
        assert_invariants(&app).await;
    })
    .await;
}

const STATEMENT_DOCS: &str = "\
kind;number;customer;date;currency;total;due_date
invoice;F-20;C001;2026-01-05;EUR;1000,00;2026-02-04
credit_note;AV-20;C001;2026-02-03;EUR;100,00;2026-02-03
";

#[tokio::test]
async fn a_statement_closes_at_the_next_period_s_opening_and_at_the_open_items_balance() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(&app, company, Entity::Documents, STATEMENT_DOCS).await;
        pay(&app, company, "C001", "400.00", "2026-01-20", true).await;
        // The credit note (3 February) is set against F-20 on 5 March: it counts from 3 February
        // (its value date, later than the invoice's date).
        let av = creance_app::payments::CreditRef::CreditNote(
            app.open_items(
                company,
                &OpenItemArgs { side: Some("credit".into()), ..Default::default() }.parse(d("2026-03-05")).unwrap().0,
                &[],
                creance_app::queries::Page::new(None, None).unwrap(),
            )
            .await
            .unwrap()
            .items[0]
                .document_id,
        );
        app.allocate(&actor(), company, av, &AllocateRequest::Proposal, d("2026-03-05")).await.unwrap();
        // 700.00 on 10 February: 500.00 settles F-20, 200.00 stays unallocated; 150.00 of it refunded
        // on 20 February.
        pay(&app, company, "C001", "700.00", "2026-02-10", true).await;
        let refund = RecordRefund {
            customer_number: Some("C001".into()),
            date: Some("2026-02-20".into()),
            amount: "150.00".into(),
            reason: "overpayment".into(),
            method: "transfer".into(),
            allocate: Some(RefundAllocate::Auto),
            ..Default::default()
        };
        app.record_refund(&actor(), company, &refund, d("2026-02-20")).await.unwrap();

        let statement = |from: &str, to: &str| StatementArgs {
            customer: Some("C001".into()),
            from: Some(from.into()),
            to: Some(to.into()),
            ..Default::default()
        };
        let jan = app.statement(company, &statement("2026-01-01", "2026-01-31"), d("2026-06-01")).await.unwrap();
        let feb = app.statement(company, &statement("2026-02-01", "2026-02-28"), d("2026-06-01")).await.unwrap();
        let (j, f) = (&jan.currencies[0], &feb.currencies[0]);
        // January: 0 + 1,000.00 − 400.00 = 600.00.
        assert_eq!((j.opening_balance, j.closing_balance), (eur(0), eur(60_000)));
        assert_eq!(f.opening_balance, j.closing_balance);
        // February: 600.00 − 100.00 − 700.00 + 150.00 = −50.00 (50.00 in the customer's favour).
        assert_eq!(f.closing_balance, eur(-5_000));
        let entries: Vec<_> = f.lines.iter().map(|l| (l.date.to_string(), l.entry.as_str())).collect();
        assert_eq!(
            entries,
            [
                ("2026-02-03".to_string(), "credit_note"),
                ("2026-02-03".to_string(), "allocation"),
                ("2026-02-10".to_string(), "payment"),
                ("2026-02-10".to_string(), "allocation"),
                ("2026-02-20".to_string(), "refund"),
            ],
            "{entries:?}"
        );
        // The closing balance is the balance of the open items less unallocated credits on that date.
        let close = aging(&app, company, "2026-02-28", "2026-06-01").await;
        assert_eq!(row(&close, "C001").unwrap().balance, f.closing_balance);
        assert_eq!(row(&close, "C001").unwrap().credits_unallocated, eur(5_000));
        let args = OpenItemArgs { as_of: Some("2026-01-31".into()), ..Default::default() };
        let (filter, sorts, page) = args.parse(d("2026-06-01")).unwrap();
        let items = app.open_items(company, &filter, &sorts, page).await.unwrap();
        assert_eq!(items.totals[0].amount_open, j.closing_balance, "no unallocated credit at 31 January");
        // The aging block: F-20 settled, nothing open.
        assert_eq!(f.aging.debits_open, eur(0));

        // CSV and PDF, in the customer's language (French).
        let csv = String::from_utf8(feb.csv(creance_app::exports::Dialect::Standard).unwrap()).unwrap();
        assert!(csv.starts_with("currency,date,entry,number,reference,amount,debit,credit,balance\r\n"), "{csv}");
        assert!(csv.contains("EUR,2026-02-01,opening_balance,,,,,,600.00"), "{csv}");
        assert!(csv.contains("EUR,2026-02-28,closing_balance,,,,,,-50.00"), "{csv}");
        let pdf = app.statement_pdf(company, &feb, d("2026-06-01")).await.unwrap();
        std::fs::write(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("statement.pdf"), &pdf.bytes).unwrap();
        if let Some(text) = pdf_text(&pdf.bytes) {
            for expected in [
                "Relevé de compte",
                "C001",
                "Boulangerie Martin",
                "Solde au début de la période",
                "600,00",
                "Avoir",
                "Règlement",
                "Remboursement",
                "Solde à la fin de la période",
                "-50,00",
                "Non échu",
                "Crédits non",
            ] {
                assert!(text.contains(expected), "{expected:?} missing from the statement PDF:\n{text}");
            }
        }
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_statement_counts_what_a_payer_pays_of_another_customer_s_invoice() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        // C003 is paid for by C002.
        let docs =
            "kind;number;customer;date;currency;total;due_date\ninvoice;F-30;C003;2026-01-05;EUR;80,00;2026-02-04\n";
        import_ok(&app, company, Entity::Documents, docs).await;
        pay(&app, company, "C002", "80.00", "2026-01-15", true).await;
        let args = |c: &str| StatementArgs {
            customer: Some(c.into()),
            from: Some("2026-01-01".into()),
            to: Some("2026-01-31".into()),
            ..Default::default()
        };
        let c3 = app.statement(company, &args("C003"), d("2026-06-01")).await.unwrap();
        let c2 = app.statement(company, &args("C002"), d("2026-06-01")).await.unwrap();
        assert_eq!(c3.currencies[0].closing_balance, eur(0));
        assert_eq!(c2.currencies[0].closing_balance, eur(0));
        let effects: Vec<_> = c2.currencies[0].lines.iter().map(|l| (l.entry.as_str(), l.effect.minor())).collect();
        assert_eq!(effects, [("payment", -8_000), ("allocation", 8_000)]);
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn dso_countback_and_simple_methods_by_hand() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let docs = "\
kind;number;customer;date;currency;total;due_date
invoice;F-40;C001;2026-04-10;EUR;3000,00;2026-05-10
invoice;F-41;C001;2026-05-10;EUR;4000,00;2026-06-09
invoice;F-42;C001;2026-06-10;EUR;2000,00;2026-07-10
opening_balance;OB-1;C002;2026-04-01;EUR;999,00;2026-04-01
";
        import_ok(&app, company, Entity::Documents, docs).await;
        // 5,000.00 paid on 31 May: F-40 and 2,000.00 of F-41.
        pay(&app, company, "C001", "5000.00", "2026-05-31", true).await;
        let args = DsoArgs {
            from: Some("2026-04-01".into()),
            to: Some("2026-06-30".into()),
            customer: Some("C001".into()),
            ..Default::default()
        };
        let r = app.dso_report(company, &args, d("2026-07-15")).await.unwrap();
        assert_eq!(r.days, 91);
        let c1 = &r.rows[0];
        // Receivables on 30 June: 9,000.00 − 5,000.00 = 4,000.00; sales April–June 9,000.00.
        assert_eq!((c1.receivables, c1.sales), (eur(400_000), eur(900_000)));
        // Countback: June sold 2,000.00 ≤ 4,000.00: its 30 days, 2,000.00 left; May sold 4,000.00:
        // 2,000 / 4,000 × 31 = 15.5 days. DSO = 30 + 15.5 = 45.5.
        assert_eq!(c1.dso_countback.to_string(), "45.5");
        assert!(!c1.countback_beyond_period);
        // Simple: 4,000 / 9,000 × 91 = 40.444… → 40.4.
        assert_eq!(c1.dso_simple.unwrap().to_string(), "40.4");
        // The company: C002's opening balance is receivable but no sale, so its countback runs
        // beyond the period: 4,999.00 against 9,000.00: June 30 days (2,999.00 left), May 31 days × 2,999 / 4,000
        // = 23.24… → 53.2; simple 4,999 / 9,000 × 91 = 50.545… → 50.5.
        let all = DsoArgs { customer: None, ..args };
        let r = app.dso_report(company, &all, d("2026-07-15")).await.unwrap();
        assert_eq!(r.totals.len(), 1);
        assert_eq!(r.totals[0].receivables, eur(499_900));
        assert_eq!(r.totals[0].dso_countback.to_string(), "53.2");
        assert_eq!(r.totals[0].dso_simple.unwrap().to_string(), "50.5");
        let c2 = r.rows.iter().find(|l| l.customer_number == "C002").unwrap();
        assert!(c2.countback_beyond_period && c2.dso_simple.is_none(), "{c2:#?}");
        assert_eq!(c2.dso_countback.to_string(), "91.0");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn bad_report_input_is_refused_naming_the_field() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let today = d("2026-06-01");
        let st = |customer: &str, from: &str, to: &str| StatementArgs {
            customer: Some(customer.into()),
            from: Some(from.into()),
            to: Some(to.into()),
            ..Default::default()
        };
        let e = app.statement(company, &st("C001", "2026-03-01", "2026-02-01"), today).await.unwrap_err();
        assert_eq!(field_of(e), "from");
        let e = app.statement(company, &st("C999", "2026-01-01", "2026-02-01"), today).await.unwrap_err();
        assert_eq!(field_of(e), "customer");
        let e = app.statement(company, &st("C001", "", "2026-02-01"), today).await.unwrap_err();
        assert_eq!(field_of(e), "from");
        let e = app.statement(company, &st("C001", "2026-02-30", "2026-03-01"), today).await.unwrap_err();
        assert_eq!(field_of(e), "from");
        let dso = DsoArgs { from: Some("2026-05-01".into()), to: Some("2026-04-01".into()), ..Default::default() };
        assert_eq!(field_of(app.dso_report(company, &dso, today).await.unwrap_err()), "from");
        for (buckets, why) in [("0,60,30", "strictly increase"), ("5,30", "must be 0"), ("0,x", "whole number")] {
            let args = AgingArgs { buckets: Some(buckets.into()), ..Default::default() };
            match app.aging_report(company, &args, today).await.unwrap_err() {
                AppError::Invalid(f) => {
                    assert_eq!(f.field, "buckets");
                    assert!(f.reason.contains(why), "{}", f.reason);
                }
                other => panic!("{other:?}"),
            }
            let set = ReportSettingsInput { aging_buckets: Some(buckets.into()), aging_basis: None };
            assert_eq!(field_of(app.set_report_settings(&actor(), company, &set).await.unwrap_err()), "aging_buckets");
        }
        let args = AgingArgs { basis: Some("payment_date".into()), ..Default::default() };
        assert_eq!(field_of(app.aging_report(company, &args, today).await.unwrap_err()), "basis");
        let args = AgingArgs { customer: Some("C999".into()), ..Default::default() };
        assert_eq!(field_of(app.aging_report(company, &args, today).await.unwrap_err()), "customer");
        // Nothing changed.
        assert_eq!(app.report_settings(company).await.unwrap().aging_buckets, "0,30,60,90");
        assert_invariants(&app).await;
    })
    .await;
}

/// `pdftotext -layout` of `pdf`; `None`, with the skip noted, when poppler is not installed.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    use std::io::Write;
    let child = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            creance_store::testing::note_skip("PDF text", "pdftotext (poppler-utils) is not installed");
            return None;
        }
        Err(e) => panic!("pdftotext: {e}"),
        Ok(c) => c,
    };
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    Some(String::from_utf8(out.stdout).unwrap().replace(['\u{a0}', '\u{202f}'], " "))
}

#[tokio::test]
async fn aging_totals_past_an_i64_are_exact() {
    // 9,300 open invoices of 10^15 minor units (the input limit) for one customer: 9.3 × 10^18 is
    // past the largest i64 (9.22 × 10^18), so the fast one-sum-per-bucket form overflows on SQLite
    // (which fails rather than wrapping) and the report is read again with wide sums.
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let mut csv = String::from("kind;number;customer;date;currency;total;due_date\n");
        for n in 0..9_300 {
            csv.push_str(&format!("invoice;B-{n};C001;2026-01-01;EUR;10000000000000,00;2026-01-31\n"));
        }
        import_ok(&app, company, Entity::Documents, &csv).await;
        import_ok(&app, company, Entity::Documents, TWO_INVOICES.replace("F-", "S-").as_str()).await;
        let r = aging(&app, company, "2026-06-30", "2026-06-30").await;
        let c1 = row(&r, "C001").expect("C001");
        let total: i128 = c1.buckets.iter().map(|b| b.minor()).sum();
        assert_eq!(total, 9_300 * 1_000_000_000_000_000 + 100_000, "C001's open debits, to the cent");
        assert_eq!(c1.buckets[4], eur(9_300 * 1_000_000_000_000_000 + 100_000));
        assert_eq!(row(&r, "C002").expect("C002").buckets[4], eur(50_000));
    })
    .await;
}
