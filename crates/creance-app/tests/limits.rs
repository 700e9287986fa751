//! Scenario tests for issue 9's input rules (points 4, 5, 7b, 14, 15, 16), on every engine: amount
//! limits and wide sums, exact JSON amounts, payer cycles, CSV reading, formula injection in exports.

mod common;

use common::*;
use creance_app::import::Entity;
use creance_app::journal::JournalFormat;
use creance_core::Date;

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
