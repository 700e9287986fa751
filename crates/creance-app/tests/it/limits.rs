//! Scenario tests for issue 9's input rules (points 4, 5, 7b, 14, 15, 16), on every engine: amount
//! limits and wide sums, exact JSON amounts, payer cycles, CSV reading, formula injection in exports.

use crate::common::*;
use creance_app::import::Entity;
use creance_app::journal::JournalFormat;
use creance_app::payments::RecordPayment;
use creance_app::AppError;
use creance_core::Date;
use creance_store::open_items::OpenItemFilter;

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

#[tokio::test]
async fn a_payer_cycle_is_refused_at_import_naming_its_line_and_the_cycle() {
    on_every_engine(|app, company| async move {
        // Within one file: C002 pays for C003 and C003 for C002.
        let csv = "number;name;payer\nC001;Martin;\nC002;Dubois;C003\nC003;Tilleuls;C002\n";
        let report = import_refused(&app, company, Entity::Customers, csv).await;
        assert_eq!(report.errors.len(), 1, "{:#?}", report.error_lines());
        assert_eq!((report.errors[0].line, report.errors[0].column.as_deref()), (3, Some("payer")));
        assert!(report.errors[0].reason.contains("C002 → C003 → C002"), "{}", report.errors[0].reason);

        // A longer cycle: A → B → C → A.
        let csv = "number;name;payer\nA;a;B\nB;b;C\nC;c;A\n";
        let report = import_refused(&app, company, Entity::Customers, csv).await;
        assert_eq!(report.errors[0].line, 2);
        assert!(report.errors[0].reason.contains("A → B → C → A"), "{}", report.errors[0].reason);

        // With payers already stored: X pays for Y, Y pays for Z are stored; a file making Z pay for X
        // closes the cycle.
        import_ok(&app, company, Entity::Customers, "number;name;payer\nX;x;Y\nY;y;Z\nZ;z;\n").await;
        let report = import_refused(&app, company, Entity::Customers, "number;name;payer\nZ;z;X\n").await;
        assert_eq!((report.errors[0].line, report.errors[0].column.as_deref()), (2, Some("payer")));
        assert!(report.errors[0].reason.contains("X → Y → Z → X"), "{}", report.errors[0].reason);

        // A file that breaks the stored chain while adding a link is fine: Y pays for itself, Z for X.
        let ok = import_ok(&app, company, Entity::Customers, "number;name;payer\nY;y;\nZ;z;X\n").await;
        assert_eq!(ok.updated, 2);
        assert!(app.check().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_quote_left_open_is_an_error_naming_its_line_and_no_customer_is_lost() {
    on_every_engine(|app, company| async move {
        let csv = "number;name;currency\nC001;Martin;EUR\nC002;\"Dubois;EUR\nC003;Tilleuls;EUR\nC004;Lac;EUR\n";
        let report = import_refused(&app, company, Entity::Customers, csv).await;
        assert_eq!(report.errors.len(), 1, "{:#?}", report.error_lines());
        assert_eq!(report.errors[0].line, 3);
        assert!(report.errors[0].reason.contains("never closed"), "{}", report.errors[0].reason);
        assert!(report.error_lines()[0].starts_with("line 3:"), "{:?}", report.error_lines());

        // A closed quote with a doubled quote and a line break inside is read as one field.
        let csv = "number;name;currency\nC001;\"Martin \"\"&\"\" Fils\nSARL\";EUR\nC002;Dubois;EUR\n";
        let ok = import_ok(&app, company, Entity::Customers, csv).await;
        assert_eq!(ok.created, 2);
    })
    .await;
}

#[tokio::test]
async fn an_empty_file_and_a_header_only_file_say_so_and_import_nothing() {
    on_every_engine(|app, company| async move {
        for (csv, says) in [("", "empty"), ("  \n\n", "empty"), ("number;name;currency\n", "no data rows")] {
            let report = import_refused(&app, company, Entity::Customers, csv).await;
            assert_eq!(report.errors.len(), 1, "{csv:?}");
            assert_eq!(report.errors[0].line, 0);
            assert!(report.errors[0].reason.contains(says), "{csv:?}: {}", report.errors[0].reason);
            assert!(report.summary().contains("refused"), "{}", report.summary());
        }
        let (table, errors) = creance_app::import::read_json(&serde_json::json!([]), Entity::Customers);
        let refused = app.import(&actor(), company, Entity::Customers, &table, errors).await;
        match refused {
            Err(creance_app::AppError::Import(r)) => assert!(r.errors[0].reason.contains("empty"), "{:?}", r.errors),
            other => panic!("an empty JSON array must be refused, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn a_text_field_starting_with_a_formula_is_neutralised_in_csv_and_fec_while_amounts_stay_numbers() {
    on_every_engine(|app, company| async move {
        import_ok(
            &app,
            company,
            Entity::Customers,
            "number;name;currency\n@C1;\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\";EUR\n",
        )
        .await;
        import_ok(
            &app,
            company,
            Entity::Documents,
            "number;customer;date;total;due_date\n-F1;@C1;2026-01-15;-12.50;2026-02-14\n",
        )
        .await;
        let export = |format| {
            let app = app.clone();
            async move {
                let mut out: Vec<u8> = Vec::new();
                app.export_journal(company, d("2026-01-01"), d("2026-12-31"), format, &mut out).await.unwrap();
                String::from_utf8(out).unwrap()
            }
        };
        let csv = export(JournalFormat::Csv).await;
        let line = csv.lines().find(|l| l.contains("HYPERLINK")).unwrap_or_else(|| panic!("{csv}"));
        let fields: Vec<&str> = line.split(';').collect();
        assert_eq!(fields[4], "'@C1", "{line}");
        assert_eq!(fields[5], "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"", "{line}");
        assert_eq!(fields[6], "'-F1", "{line}");
        // The credit note's receivable line is a credit of 12.50: plain numbers, never neutralised.
        assert_eq!((fields[8], fields[9], fields[10]), ("0.00", "12.50", "EUR"), "{line}");
        assert!(!csv.lines().skip(1).any(|l| l.starts_with(['=', '+', '-', '@'])), "{csv}");

        let fec = export(JournalFormat::Fec).await;
        let line = fec.lines().find(|l| l.contains("HYPERLINK")).unwrap_or_else(|| panic!("{fec}"));
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 18, "{line}");
        assert_eq!((fields[6], fields[7], fields[8]), ("'@C1", "'=HYPERLINK(\"http://evil\",\"x\")", "'-F1"));
        assert_eq!((fields[11], fields[12]), ("0,00", "12,50"), "{line}");
        assert!(app.check().await.unwrap().is_empty());
    })
    .await;
}

/// 10^15 minor units: the largest amount a user or a file may give (10,000,000,000,000.00 EUR).
const AT_LIMIT: &str = "10000000000000.00";

/// `n` documents of `kind` at the input limit for `customer`, as one CSV file (the bulk path).
fn documents_at_limit(kind: &str, prefix: &str, customer: &str, n: usize) -> String {
    let mut csv = String::from("kind;number;customer;date;currency;total;due_date\n");
    for i in 0..n {
        csv.push_str(&format!("{kind};{prefix}{i:05};{customer};2026-01-15;EUR;{AT_LIMIT};2026-02-14\n"));
    }
    csv
}

#[tokio::test]
async fn sums_of_amounts_at_the_input_limit_never_overflow_check_open_items_nor_the_batch_allocation() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        // C001: 10,000 invoices of 10^15, a customer total of 10^19 minor units (i64::MAX is 9.22 × 10^18).
        // K00000…K09999: one invoice and one credit note each, which the batch allocates together.
        // C002: 15,000 credit notes with nothing to pay, which stay unallocated.
        let n = 10_000;
        let mut customers = String::from("number;name;currency\n");
        for i in 0..n {
            customers.push_str(&format!("K{i:05};Client {i};EUR\n"));
        }
        import_ok(&app, company, Entity::Customers, &customers).await;
        let mut pairs = String::from("kind;number;customer;date;currency;total;due_date\n");
        for i in 0..n {
            pairs.push_str(&format!("invoice;G{i:05};K{i:05};2026-01-15;EUR;{AT_LIMIT};2026-02-14\n"));
            pairs.push_str(&format!("credit_note;H{i:05};K{i:05};2026-01-20;EUR;{AT_LIMIT};2026-01-20\n"));
        }
        for (csv, created) in [
            (documents_at_limit("invoice", "F", "C001", n), n),
            (pairs, 2 * n),
            (documents_at_limit("credit_note", "B", "C002", 15_000), 15_000),
        ] {
            assert_eq!(import_ok(&app, company, Entity::Documents, &csv).await.created, created);
        }
        assert_eq!(app.check().await.unwrap(), vec![], "check works on totals above i64");

        let as_of = d("2026-06-30");
        let page = || creance_app::queries::Page::new(Some(10), None).unwrap();
        let list = app.open_items(company, &OpenItemFilter::new(as_of), &[], page()).await.unwrap();
        assert_eq!(list.total_count, 45_000);
        assert_eq!(list.totals.len(), 1);
        // Invoices 2 × 10^19, credit notes 2.5 × 10^19: net −5 × 10^18 minor units, overdue 2 × 10^19.
        assert_eq!(list.totals[0].items, 45_000);
        assert_eq!(list.totals[0].amount_open.format_amount(), "-50000000000000000.00");
        assert_eq!(list.totals[0].amount_overdue.format_amount(), "200000000000000000.00");
        let by_invoice = app.open_documents(company, &OpenItemFilter::new(as_of), &[], page()).await.unwrap();
        assert_eq!(by_invoice.totals, list.totals);

        let preview = app.auto_allocate(&actor(), company, None, false, as_of).await.unwrap();
        assert_eq!((preview.credits, preview.line_count, preview.credits_allocated), (25_000, n, n));
        assert_eq!(preview.totals.len(), 1);
        assert_eq!(preview.totals[0].allocated.format_amount(), "100000000000000000.00");
        assert_eq!(preview.totals[0].left_unallocated.format_amount(), "150000000000000000.00", "never negative");
        let done = app.auto_allocate(&actor(), company, None, true, as_of).await.unwrap();
        assert_eq!((done.line_count, done.credits_allocated), (n, n));
        assert_eq!(done.totals[0].allocated.format_amount(), "100000000000000000.00");
        assert_eq!(done.totals[0].left_unallocated.format_amount(), "150000000000000000.00");

        // Left open: C001's 10,000 invoices and C002's 15,000 credit notes.
        let list = app.open_items(company, &OpenItemFilter::new(as_of), &[], page()).await.unwrap();
        assert_eq!(list.total_count, 25_000);
        assert_eq!(list.totals[0].amount_open.format_amount(), "-50000000000000000.00");
        assert_eq!(list.totals[0].amount_overdue.format_amount(), "100000000000000000.00");
        assert_eq!(app.check().await.unwrap(), vec![]);
    })
    .await;
}

#[tokio::test]
async fn an_amount_above_10_to_the_15_minor_units_is_refused_naming_its_field() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let csv = "number;customer;date;total;due_date\nF1;C001;2026-01-15;10000000000000.01;2026-02-14\n\
                   F2;C001;2026-01-15;10000000000000.00;2026-02-14\n";
        let report = import_refused(&app, company, Entity::Documents, csv).await;
        assert_eq!(report.errors.len(), 1, "{:#?}", report.error_lines());
        assert_eq!((report.errors[0].line, report.errors[0].column.as_deref()), (2, Some("total")));
        assert!(report.errors[0].reason.contains("above the largest amount accepted"), "{}", report.errors[0].reason);
        assert!(report.errors[0].reason.contains("10000000000000.00 EUR"), "{}", report.errors[0].reason);

        let payment = RecordPayment {
            customer_number: Some("C001".into()),
            date: Some("2026-02-01".into()),
            amount: "10000000000000.01".into(),
            method: "transfer".into(),
            ..Default::default()
        };
        match app.record_payment(&actor(), company, &payment, d("2026-02-01")).await {
            Err(AppError::Invalid(e)) => {
                assert_eq!(e.field, "amount");
                assert!(e.reason.contains("above the largest amount"), "{}", e.reason);
            }
            other => panic!("a payment above the limit must be refused, got {other:?}"),
        }
        let at_limit = RecordPayment { amount: AT_LIMIT.into(), ..payment };
        let recorded = app.record_payment(&actor(), company, &at_limit, d("2026-02-01")).await.unwrap();
        assert_eq!(recorded.payment.amount.format_amount(), AT_LIMIT);
        assert_eq!(app.check().await.unwrap(), vec![]);
    })
    .await;
}

#[tokio::test]
async fn a_company_maximum_per_document_refuses_a_larger_total_naming_its_field() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let mut s = app.money_settings(company).await.unwrap();
        assert_eq!(s.document_amount_max, None);
        s.document_amount_max = Some(1_000_000);
        app.set_money_settings(&actor(), company, &s).await.unwrap();
        assert_eq!(app.money_settings(company).await.unwrap().document_amount_max, Some(1_000_000));

        let csv = "number;customer;date;total;due_date;currency\nF1;C001;2026-01-15;1000000.01;2026-02-14;EUR\n\
                   F2;C004;2026-01-15;1000000.00;2026-02-14;CHF\n";
        let report = import_refused(&app, company, Entity::Documents, csv).await;
        assert_eq!(report.errors.len(), 1, "{:#?}", report.error_lines());
        assert_eq!((report.errors[0].line, report.errors[0].column.as_deref()), (2, Some("total")));
        assert!(report.errors[0].reason.contains("1000000.00 EUR"), "{}", report.errors[0].reason);
        let ok = import_ok(&app, company, Entity::Documents, &csv.replace("1000000.01", "999999.99")).await;
        assert_eq!(ok.created, 2);

        s.document_amount_max = Some(0);
        match app.set_money_settings(&actor(), company, &s).await {
            Err(AppError::Invalid(e)) => assert_eq!(e.field, "document_amount_max"),
            other => panic!("a maximum of 0 must be refused, got {other:?}"),
        }
        assert_eq!(app.check().await.unwrap(), vec![]);
    })
    .await;
}

/// A JSON array imported as the API does (`read_json` then `import`).
async fn import_json(
    app: &creance_app::App,
    company: i64,
    entity: Entity,
    json: &str,
) -> Result<creance_app::import::ImportReport, AppError> {
    let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    let (table, errors) = creance_app::import::read_json(&value, entity);
    app.import(&actor(), company, entity, &table, errors).await
}

#[tokio::test]
async fn a_json_amount_is_read_exactly_and_only_an_exact_number_is_accepted() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let doc = |number: &str, total: &str| {
            format!(r#"{{"number":"{number}","customer":"C001","date":"2026-01-15","due_date":"2026-02-14","total":{total}}}"#)
        };
        // Today these would be stored as …456.80, 10.10 and 100.00: each is refused, naming item and field.
        let refused = |json: String| {
            let app = app.clone();
            async move {
                match import_json(&app, company, Entity::Documents, &json).await {
                    Err(AppError::Import(r)) => *r,
                    other => panic!("must be refused, got {other:?}"),
                }
            }
        };
        let json = format!("[{},{},{}]", doc("F1", "1234567890123456.78"), doc("F2", "10.10000000000000001"), doc("F4", "1234.56"));
        let report = refused(json).await;
        let at: Vec<(usize, Option<&str>)> = report.errors.iter().map(|e| (e.line, e.column.as_deref())).collect();
        assert_eq!(at, vec![(1, Some("total")), (2, Some("total"))], "{:#?}", report.error_lines());
        assert!(report.errors[0].reason.contains("above the largest amount"), "{}", report.errors[0].reason);
        assert!(report.errors[1].reason.contains("more decimals than EUR allows"), "{}", report.errors[1].reason);
        assert!(report.error_lines()[0].starts_with("item 1, column total:"), "{:?}", report.error_lines());
        let report = refused(format!("[{},{}]", doc("F4", "1234.56"), doc("F3", "1e2"))).await;
        assert_eq!((report.errors[0].line, report.errors[0].column.as_deref()), (2, Some("total")));
        assert!(report.errors[0].reason.contains("exponent"), "{}", report.errors[0].reason);

        // Exact numbers and decimal strings are both accepted, to the cent.
        let ok = format!("[{},{}]", doc("F4", "1234.56"), doc("F5", "\"9999999999999.99\""));
        let r = import_json(&app, company, Entity::Documents, &ok).await.unwrap();
        assert_eq!(r.created, 2);
        let docs = app
            .documents(company, &Default::default(), creance_app::queries::Page::new(None, None).unwrap())
            .await
            .unwrap();
        let mut totals: Vec<String> = docs.items.iter().map(|d| d.total.format_amount()).collect();
        totals.sort();
        assert_eq!(totals, ["1234.56", "9999999999999.99"]);

        // An API body: a payment amount as an exact JSON number, then one that is not exact.
        let body = |amount: &str| {
            serde_json::from_str::<RecordPayment>(&format!(
                r#"{{"customer_number":"C001","date":"2026-02-01","amount":{amount},"method":"transfer"}}"#
            ))
            .expect("the body deserializes; the amount is judged by the use case")
        };
        let paid = app.record_payment(&actor(), company, &body("100.5"), d("2026-02-01")).await.unwrap();
        assert_eq!(paid.payment.amount.format_amount(), "100.50");
        for (amount, says) in [("10.10000000000000001", "more decimals"), ("1e2", "not a valid amount"), ("1234567890123456.78", "above the largest")] {
            match app.record_payment(&actor(), company, &body(amount), d("2026-02-01")).await {
                Err(AppError::Invalid(e)) => {
                    assert_eq!(e.field, "amount", "{amount}");
                    assert!(e.reason.contains(says), "{amount}: {}", e.reason);
                }
                other => panic!("{amount} must be refused, got {other:?}"),
            }
        }
        assert_eq!(app.check().await.unwrap(), vec![]);
    })
    .await;
}

#[tokio::test]
async fn a_policy_takes_and_shows_its_amounts_as_decimal_strings_in_its_currency() {
    on_every_engine(|app, company| async move {
        let doc: creance_app::dunning::policy_json::PolicyDoc = serde_json::from_str(
            r#"{"code": "b2b", "name": "B2B", "currency": "EUR", "min_amount": "10.00", "interest_min": 1.5,
                "levels": [
                  {"level": 1, "delay_days": 1},
                  {"level": 2, "delay_days": 15, "fee_kind": "fixed", "fee_amount": "5.00", "min_amount": "20"},
                  {"level": 3, "delay_days": 15, "fee_kind": "percent", "fee_percent": "1.5", "fee_min": "10.00", "fee_max": 50}
                ]}"#,
        )
        .unwrap();
        let view = app.save_dunning_policy_doc(&actor(), company, &doc).await.unwrap();
        assert_eq!((view.min_amount.as_str(), view.interest_min.as_str()), ("10.00", "1.50"));
        let levels: Vec<(&str, &str, &str, &str, Option<&str>)> = view
            .levels
            .iter()
            .map(|l| (l.min_amount.as_str(), l.fee_kind.as_str(), l.fee_amount.as_str(), l.fee_min.as_str(), l.fee_max.as_deref()))
            .collect();
        assert_eq!(
            levels,
            [
                ("0.00", "none", "0.00", "0.00", None),
                ("20.00", "fixed", "5.00", "0.00", None),
                ("0.00", "percent", "0.00", "10.00", Some("50.00"))
            ]
        );
        // Stored in minor units: the fee rules read 500 cents.
        let stored = app.dunning_policies(company).await.unwrap().into_iter().find(|p| p.code == "b2b").unwrap();
        assert_eq!((stored.min_amount, stored.levels[1].fee_amount, stored.levels[2].fee_max), (1000, 500, 5000));
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["levels"][1]["fee_amount"], "5.00");

        // More decimals than EUR, a negative amount, or above the input limit: refused naming the field.
        for (level, says) in [
            (r#"{"level": 1, "delay_days": 1, "fee_kind": "fixed", "fee_amount": "5.001"}"#, "more decimals"),
            (r#"{"level": 1, "delay_days": 1, "fee_kind": "fixed", "fee_amount": "-5"}"#, "negative"),
            (r#"{"level": 1, "delay_days": 1, "fee_kind": "fixed", "fee_amount": 1e3}"#, "not a valid amount"),
            (r#"{"level": 1, "delay_days": 1, "fee_kind": "fixed", "fee_amount": "10000000000000.01"}"#, "above the largest"),
        ] {
            let doc: creance_app::dunning::policy_json::PolicyDoc = serde_json::from_str(&format!(
                r#"{{"code": "bad", "name": "Bad", "currency": "EUR", "levels": [{level}]}}"#
            ))
            .unwrap();
            match app.save_dunning_policy_doc(&actor(), company, &doc).await {
                Err(AppError::Invalid(e)) => {
                    assert_eq!(e.field, "levels[0].fee_amount", "{level}");
                    assert!(e.reason.contains(says), "{level}: {}", e.reason);
                }
                other => panic!("{level} must be refused, got {other:?}"),
            }
        }
        assert_eq!(app.check().await.unwrap(), vec![]);
    })
    .await;
}

#[tokio::test]
async fn an_interest_table_indemnity_is_a_decimal_string_in_its_currency() {
    on_every_engine(|app, company| async move {
        let doc: creance_app::dunning::policy_json::InterestTableDoc = serde_json::from_str(
            r#"{"code": "fixed8", "name": "8 %", "indemnity": "40.00",
                "rates": [{"from": "2026-01-01", "reference_percent": "0", "margin_percent": "8"}]}"#,
        )
        .unwrap();
        let t = app.create_interest_table(&actor(), company, &doc.to_input().unwrap()).await.unwrap();
        assert_eq!((t.indemnity, t.indemnity_currency.as_str()), (4000, "EUR"));
        let view = creance_app::dunning::policy_json::InterestTableView::from(&t);
        assert_eq!(view.indemnity, "40.00");
        let bad: creance_app::dunning::policy_json::InterestTableDoc =
            serde_json::from_str(r#"{"code": "x", "name": "x", "indemnity": 40.001, "rates": []}"#).unwrap();
        match bad.to_input() {
            Err(AppError::Invalid(e)) => assert_eq!(e.field, "indemnity"),
            other => panic!("40.001 EUR must be refused, got {other:?}"),
        }
        assert_eq!(app.check().await.unwrap(), vec![]);
    })
    .await;
}
