//! Scenario tests for the imports (issue: foundation, point 4), on every engine.

use crate::common::*;
use creance_app::import::Entity;
use creance_app::queries::Page;
use creance_core::{Currency, Date, DocumentKind, Money};
use creance_store::documents::DocumentFilter;

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

#[tokio::test]
async fn customers_import_creates_then_reimport_changes_nothing_and_says_so() {
    on_every_engine(|app, company| async move {
        let first = import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        assert_eq!((first.created, first.updated, first.unchanged), (4, 0, 0));
        let again = import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 4));
        assert!(again.summary().contains("nothing changed"), "{}", again.summary());

        let list = app.customers(company, &Default::default(), Page::new(None, None).unwrap()).await.unwrap();
        assert_eq!(list.total_count, 4);
        let tilleuls = list.items.iter().find(|c| c.fields.number == "C003").unwrap();
        let dubois = list.items.iter().find(|c| c.fields.number == "C002").unwrap();
        assert_eq!(tilleuls.payer_id, Some(dubois.id), "C003 is paid for by C002");
        assert_eq!(tilleuls.fields.payer_number.as_deref(), Some("C002"));

        // A changed name updates that customer only.
        let changed = CUSTOMERS.replace("Boulangerie Martin", "Boulangerie Martin & Fils");
        let r = import_ok(&app, company, Entity::Customers, &changed).await;
        assert_eq!((r.created, r.updated, r.unchanged), (0, 1, 3));
    })
    .await;
}

#[tokio::test]
async fn a_file_with_a_bad_date_on_line_7_and_an_unknown_customer_on_line_12_imports_nothing_and_names_both() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let csv =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/invoices-with-errors.csv"))
                .unwrap();
        let report = import_refused(&app, company, Entity::Documents, &csv).await;
        let lines: Vec<(usize, Option<String>)> = report.errors.iter().map(|e| (e.line, e.column.clone())).collect();
        assert_eq!(lines, vec![(7, Some("date".into())), (12, Some("customer".into()))], "{:#?}", report.error_lines());
        assert!(report.errors[0].reason.contains("31/02/2026"), "{}", report.errors[0].reason);
        assert!(report.errors[1].reason.contains("C999"), "{}", report.errors[1].reason);
        let docs = app.documents(company, &DocumentFilter::default(), Page::new(None, None).unwrap()).await.unwrap();
        assert_eq!(docs.total_count, 0, "nothing imported");
    })
    .await;
}

#[tokio::test]
async fn installments_come_from_rows_or_from_the_payment_term_and_always_sum_to_the_total() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let csv = "\
number;customer;date;total;payment_term;due_date;installment_amount
F1;C001;2026-01-31;100,00;30/60/90;;
F2;C002;15/01/2026;1 200,00;;2026-02-14;400,00
F2;C002;15/01/2026;1 200,00;;2026-03-16;400,00
F2;C002;15/01/2026;1 200,00;;2026-04-15;400,00
F3;C001;2026-01-31;50.00;EOM30;;
";
        let r = import_ok(&app, company, Entity::Documents, csv).await;
        assert_eq!(r.created, 3);
        let docs = app
            .documents(
                company,
                &DocumentFilter { number: Some("F1".into()), ..Default::default() },
                Page::new(None, None).unwrap(),
            )
            .await
            .unwrap();
        let f1 = &docs.items[0];
        let amounts: Vec<String> = f1.installments.iter().map(|i| i.amount.format_amount()).collect();
        assert_eq!(amounts, ["33.34", "33.33", "33.33"]);
        assert_eq!(f1.installments[0].due_date, d("2026-03-02"));
        let docs = app
            .documents(
                company,
                &DocumentFilter { number: Some("F3".into()), ..Default::default() },
                Page::new(None, None).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(docs.items[0].installments[0].due_date, d("2026-03-31"), "30 days end of month");
        let docs = app
            .documents(
                company,
                &DocumentFilter { number: Some("F2".into()), ..Default::default() },
                Page::new(None, None).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(docs.items[0].installments.len(), 3);
        assert_eq!(docs.items[0].total, Money::new(120_000, Currency::EUR));

        let bad = "\
number;customer;date;total;due_date;installment_amount
F9;C001;2026-01-31;100,00;2026-02-28;60,00
F9;C001;2026-01-31;100,00;2026-03-31;30,00
";
        let report = import_refused(&app, company, Entity::Documents, bad).await;
        assert_eq!(report.errors.len(), 1);
        assert!(
            report.errors[0].reason.contains("sum to 90.00 EUR but its total is 100.00 EUR"),
            "{}",
            report.errors[0].reason
        );
    })
    .await;
}

#[tokio::test]
async fn a_credit_note_is_one_open_credit_and_a_negative_total_makes_one() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let csv = "number,customer,date,total\nA1,C001,2026-02-20,\"-20,00\"\n";
        import_ok(&app, company, Entity::Documents, csv).await;
        let docs = app.documents(company, &DocumentFilter::default(), Page::new(None, None).unwrap()).await.unwrap();
        assert_eq!(docs.items[0].kind, DocumentKind::CreditNote);
        assert_eq!(docs.items[0].total.format_amount(), "20.00");
        assert_eq!(docs.items[0].installments.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_changed_document_is_replaced_while_untouched_and_refused_once_allocated() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let v1 = "number;customer;date;total;payment_term\nF1;C001;2026-01-15;100,00;NET30\n";
        import_ok(&app, company, Entity::Documents, v1).await;
        let v2 = v1.replace("100,00", "120,00");
        let r = import_ok(&app, company, Entity::Documents, &v2).await;
        assert_eq!((r.created, r.updated), (0, 1));

        // Record a payment and allocate it to the invoice, then try to change the invoice again.
        let doc = app
            .documents(company, &DocumentFilter::default(), Page::new(None, None).unwrap())
            .await
            .unwrap()
            .items
            .remove(0);
        let actor = creance_app::Actor::new("test", creance_store::testing::TEST_INSTANT);
        let input = creance_app::payments::RecordPayment {
            customer_id: Some(doc.customer_id),
            date: Some("2026-02-01".into()),
            amount: "50.00".into(),
            method: "transfer".into(),
            allocate: Some(creance_app::payments::AllocateRequest::Proposal),
            ..Default::default()
        };
        let paid = app.record_payment(&actor, company, &input, d("2026-02-01")).await.unwrap();
        assert_eq!(paid.allocations.len(), 1);

        let v3 = v1.replace("100,00", "130,00");
        let report = import_refused(&app, company, Entity::Documents, &v3).await;
        assert_eq!(report.errors[0].line, 2);
        assert!(report.errors[0].reason.contains("already has allocations"), "{}", report.errors[0].reason);
        // The same data as stored is still accepted as unchanged.
        let r = import_ok(&app, company, Entity::Documents, &v2).await;
        assert_eq!(r.unchanged, 1);
    })
    .await;
}

#[tokio::test]
async fn every_bad_row_is_reported_with_its_column() {
    on_every_engine(|app, company| async move {
        let csv = "\
number;name;language;currency;email;dunning_enabled;payer
;Sans numéro;fr;EUR;;;
C1;;fr;EUR;;;
C2;Langue;xx;EUR;;;
C3;Devise;fr;EURO;;;
C4;Courriel;fr;EUR;pas-une-adresse;;
C5;Relance;fr;EUR;;peut-être;
C6;Payeur;fr;EUR;;;C404
C6;Doublon;fr;EUR;;;
";
        let report = import_refused(&app, company, Entity::Customers, csv).await;
        let got: Vec<(usize, &str)> =
            report.errors.iter().map(|e| (e.line, e.column.as_deref().unwrap_or(""))).collect();
        assert_eq!(
            got,
            [
                (2, "number"),
                (3, "name"),
                (4, "language"),
                (5, "currency"),
                (6, "email"),
                (7, "dunning_enabled"),
                (8, "payer"),
                (9, "number")
            ]
        );
        let unknown = import_refused(&app, company, Entity::Customers, "number;nom;colour\nC1;X;red\n").await;
        assert_eq!(unknown.errors[0].line, 1);
        assert!(unknown.errors[0].reason.contains("unknown column \"colour\""), "{}", unknown.errors[0].reason);
    })
    .await;
}

#[tokio::test]
async fn contracts_import_checks_the_customer_and_dates() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let csv = "number,customer,start_date,end_date\nAB1,C001,2024-01-01,\nAB2,C003,2023-06-15,2026-06-30\n";
        let r = import_ok(&app, company, Entity::Contracts, csv).await;
        assert_eq!(r.created, 2);
        let bad = "number,customer,start_date,end_date\nAB3,C404,2024-01-01,\nAB4,C001,2024-01-01,2023-01-01\n";
        let report = import_refused(&app, company, Entity::Contracts, bad).await;
        let got: Vec<(usize, &str)> =
            report.errors.iter().map(|e| (e.line, e.column.as_deref().unwrap_or(""))).collect();
        assert_eq!(got, [(2, "customer"), (3, "end_date")]);
        let list = app.contracts(company, None, None, Page::new(None, None).unwrap()).await.unwrap();
        assert_eq!(list.items[1].fields.status, creance_core::ContractStatus::Ended, "an end date makes it ended");
    })
    .await;
}

#[tokio::test]
async fn csv_dialects_bom_comma_tab_and_decimal_comma_are_all_read() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let files = [
            "\u{feff}numero;client;date_facture;montant_ttc;echeance\nF1;C001;15/01/2026;1 234,50;14/02/2026\n",
            "number,customer,date,total,due_date\nF2,C001,2026-01-15,\"1234,50\",2026-02-14\n",
            "number\tcustomer\tdate\ttotal\tdue_date\nF3\tC001\t15.01.2026\t1'234.50\t2026-02-14\n",
        ];
        for csv in files {
            let r = import_ok(&app, company, Entity::Documents, csv).await;
            assert_eq!(r.created, 1, "{csv}");
        }
        let docs = app.documents(company, &DocumentFilter::default(), Page::new(None, None).unwrap()).await.unwrap();
        assert_eq!(docs.total_count, 3);
        assert!(docs.items.iter().all(|d| d.total == Money::new(123_450, Currency::EUR)), "{:?}", docs.items);
        assert!(docs.items.iter().all(|doc| doc.date == d("2026-01-15")));
        let too_precise = import_refused(
            &app,
            company,
            Entity::Documents,
            "number;customer;date;total;due_date\nF4;C001;2026-01-15;10,005;2026-02-14\n",
        )
        .await;
        assert_eq!(too_precise.errors[0].column.as_deref(), Some("total"));
    })
    .await;
}

#[tokio::test]
async fn a_control_character_in_a_field_is_refused_with_its_line_and_column() {
    on_every_engine(|app, company| async move {
        let csv = "number;name;currency\nC1;Martin\u{1e}SARL;EUR\n";
        let report = import_refused(&app, company, Entity::Customers, csv).await;
        assert_eq!((report.errors[0].line, report.errors[0].column.as_deref()), (2, Some("name")));
        assert!(report.errors[0].reason.contains("control character"), "{}", report.errors[0].reason);
    })
    .await;
}

#[tokio::test]
async fn replaced_documents_are_each_reversed_and_booked_again_under_their_own_entries() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let v1 = "number;customer;date;total;payment_term\nF1;C001;2026-01-15;100,00;NET30\n\
                  F2;C002;2026-01-16;200,00;NET30\nF3;C001;2026-01-17;300,00;NET30\n";
        import_ok(&app, company, Entity::Documents, v1).await;
        let v2 = v1.replace("100,00", "110,00").replace("200,00", "220,00");
        assert_eq!(import_ok(&app, company, Entity::Documents, &v2).await.updated, 2);
        let v3 = v2.replace("110,00", "111,00");
        assert_eq!(import_ok(&app, company, Entity::Documents, &v3).await.updated, 1);

        let docs = app.documents(company, &DocumentFilter::default(), Page::new(None, None).unwrap()).await.unwrap();
        let id = |number: &str| docs.items.iter().find(|d| d.number == number).expect("document").id;
        let (f1, f2, f3) = (id("F1"), id("F2"), id("F3"));
        let mut tx = app.db.begin_read().await.expect("read");
        let lines = creance_store::journal::lines(&mut tx, company, d("2026-01-01"), d("2026-12-31")).await.unwrap();
        drop(tx);
        // (entry, label, receivable debit − credit) of each line, in entry order.
        let mut got: Vec<(String, String, i64)> = lines
            .iter()
            .filter(|l| l.customer_id.is_some())
            .map(|l| (l.entry.clone(), l.label.clone(), l.debit - l.credit))
            .collect();
        got.sort();
        let mut expect = vec![
            (format!("D{f1}"), "Facture F1".to_string(), 10_000),
            (format!("D{f1}-R2"), "Annulation invoice F1 (remplacé par import)".to_string(), -10_000),
            (format!("D{f1}-2"), "Facture F1".to_string(), 11_000),
            (format!("D{f1}-R6"), "Annulation invoice F1 (remplacé par import)".to_string(), -11_000),
            (format!("D{f1}-6"), "Facture F1".to_string(), 11_100),
            (format!("D{f2}"), "Facture F2".to_string(), 20_000),
            (format!("D{f2}-R2"), "Annulation invoice F2 (remplacé par import)".to_string(), -20_000),
            (format!("D{f2}-2"), "Facture F2".to_string(), 22_000),
            (format!("D{f3}"), "Facture F3".to_string(), 30_000),
        ];
        expect.sort();
        assert_eq!(got, expect);
        // Every entry balances.
        let mut by_entry: std::collections::BTreeMap<&str, i64> = Default::default();
        for l in &lines {
            *by_entry.entry(l.entry.as_str()).or_default() += l.debit - l.credit;
        }
        assert!(by_entry.values().all(|n| *n == 0), "{by_entry:?}");
        let violations = app.check().await.unwrap();
        assert!(violations.is_empty(), "invariants broken: {violations:#?}");
    })
    .await;
}
