//! Scenario tests for the open-items list (SPEC §4.10; issue: foundation, point 5), on every engine.

use crate::common::*;
use creance_app::import::Entity;
use creance_app::query_args::OpenItemArgs;
use creance_core::{Currency, Date};
use creance_store::open_items::{Sort, SortKey};

const INVOICES: &str = "\
kind;number;customer;date;currency;total;due_date;installment_amount
invoice;F1;C001;2026-01-01;EUR;100,50;2026-01-31;
invoice;F2;C002;2026-01-10;EUR;300,00;2026-02-09;100,00
invoice;F2;C002;2026-01-10;EUR;300,00;2026-03-11;100,00
invoice;F2;C002;2026-01-10;EUR;300,00;2026-04-10;100,00
invoice;F3;C003;2026-02-01;EUR;50,00;2026-03-03;
invoice;F4;C004;2026-02-15;CHF;1 000,00;2026-03-17;
credit_note;A1;C001;2026-02-20;EUR;20,00;;
";

fn args(pairs: &[(&str, &str)]) -> OpenItemArgs {
    let json: serde_json::Map<String, serde_json::Value> =
        pairs.iter().map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string()))).collect();
    serde_json::from_value(serde_json::Value::Object(json)).expect("known parameters")
}

async fn setup(app: &creance_app::App, company: i64) {
    import_ok(app, company, Entity::Customers, CUSTOMERS).await;
    import_ok(app, company, Entity::Documents, INVOICES).await;
}

fn today() -> Date {
    Date::parse("2026-03-15").unwrap()
}

#[tokio::test]
async fn overdue_items_are_debits_past_due_with_totals_per_currency() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let (f, s, p) = args(&[("overdue", "true")]).parse(today()).unwrap();
        let list = app.open_items(company, &f, &s, p).await.unwrap();
        let numbers: Vec<(String, i64, i64)> =
            list.items.iter().map(|i| (i.document_number.clone(), i.seq, i.days_overdue)).collect();
        // Due before 2026-03-15: F1 (31 Jan, 43 days), F2/1 (9 Feb, 34), F3 (3 Mar, 12), F2/2 (11 Mar, 4). F4 is due 17 Mar.
        assert_eq!(numbers, [("F1".into(), 1, 43), ("F2".into(), 1, 34), ("F3".into(), 1, 12), ("F2".into(), 2, 4)]);
        assert_eq!(list.totals.len(), 1);
        assert_eq!(list.totals[0].currency, Currency::EUR);
        assert_eq!(list.totals[0].amount_open.format_amount(), "350.50");
        assert_eq!(list.totals[0].amount_overdue.format_amount(), "350.50");
        assert_eq!(list.totals[0].items, 4);
    })
    .await;
}

#[tokio::test]
async fn the_full_list_nets_credits_and_keeps_currencies_apart() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let (f, s, p) = args(&[]).parse(today()).unwrap();
        let list = app.open_items(company, &f, &s, p).await.unwrap();
        assert_eq!(list.total_count, 7);
        let totals: Vec<(String, String, String)> = list
            .totals
            .iter()
            .map(|t| (t.currency.code().to_string(), t.amount_open.format_amount(), t.amount_overdue.format_amount()))
            .collect();
        assert_eq!(
            totals,
            [("CHF".into(), "1000.00".into(), "0.00".into()), ("EUR".into(), "430.50".into(), "350.50".into())]
        );
        let credit = list.items.iter().find(|i| i.document_number == "A1").unwrap();
        assert_eq!(credit.amount_open.format_amount(), "-20.00");
        assert_eq!(credit.days_overdue, 0, "a credit is never overdue");
    })
    .await;
}

#[tokio::test]
async fn filters_narrow_the_list_and_sorting_works_on_any_column() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let count = |pairs: Vec<(&'static str, &'static str)>| {
            let app = app.clone();
            async move {
                let (f, s, p) = args(&pairs).parse(today()).unwrap();
                app.open_items(company, &f, &s, p).await.unwrap().total_count
            }
        };
        assert_eq!(count(vec![("customer", "C002")]).await, 3);
        assert_eq!(count(vec![("customer_from", "C002"), ("customer_to", "C003")]).await, 4);
        assert_eq!(count(vec![("currency", "CHF")]).await, 1);
        assert_eq!(count(vec![("due_from", "2026-03-01"), ("due_to", "2026-03-31")]).await, 3);
        assert_eq!(count(vec![("days_overdue_min", "30")]).await, 2);
        assert_eq!(count(vec![("days_overdue_min", "5"), ("days_overdue_max", "40")]).await, 2);
        assert_eq!(count(vec![("salesperson", "Marc")]).await, 4);
        assert_eq!(count(vec![("side", "credit")]).await, 1);
        assert_eq!(count(vec![("kind", "credit_note")]).await, 1);

        let (f, _, p) = args(&[]).parse(today()).unwrap();
        let sorts = [Sort { key: SortKey::AmountOpen, descending: true }];
        let list = app.open_items(company, &f, &sorts, p).await.unwrap();
        let amounts: Vec<String> = list.items.iter().map(|i| i.amount_open.format_amount()).collect();
        assert_eq!(amounts, ["1000.00", "100.50", "100.00", "100.00", "100.00", "50.00", "-20.00"]);
        for (name, _) in SortKey::ALL {
            for prefix in ["", "-"] {
                let (f, s, p) = args(&[("sort", &format!("{prefix}{name}"))]).parse(today()).unwrap();
                let l = app.open_items(company, &f, &s, p).await.unwrap();
                assert_eq!(l.items.len(), 7, "sort by {prefix}{name}");
                let d = app.open_documents(company, &f, &s, p).await.unwrap();
                assert_eq!(d.items.len(), 5, "by document, sort by {prefix}{name}");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn pages_cover_the_list_exactly_once() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let mut seen = Vec::new();
        for offset in [0, 3, 6] {
            let (f, s, p) = args(&[("limit", "3"), ("offset", &offset.to_string())]).parse(today()).unwrap();
            let page = app.open_items(company, &f, &s, p).await.unwrap();
            assert_eq!(page.total_count, 7);
            seen.extend(page.items.iter().map(|i| i.installment_id));
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (7, 7));
    })
    .await;
}

#[tokio::test]
async fn by_document_groups_installments() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let (f, s, p) = args(&[("customer", "C002")]).parse(today()).unwrap();
        let list = app.open_documents(company, &f, &s, p).await.unwrap();
        assert_eq!(list.total_count, 1);
        let f2 = &list.items[0];
        assert_eq!(
            (f2.installments_open, f2.amount_open.format_amount(), f2.days_overdue),
            (3, "300.00".to_string(), 34)
        );
        assert_eq!(f2.due_date_first, Date::parse("2026-02-09").unwrap());
    })
    .await;
}

#[tokio::test]
async fn a_payer_sees_the_items_of_the_customers_it_pays_for() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let dubois = app
            .customers(
                company,
                &creance_store::customers::CustomerFilter { search: Some("dubois".into()), ..Default::default() },
                creance_app::queries::Page::new(None, None).unwrap(),
            )
            .await
            .unwrap()
            .items
            .remove(0);
        let (f, s, p) = args(&[("payer_id", &dubois.id.to_string())]).parse(today()).unwrap();
        let list = app.open_items(company, &f, &s, p).await.unwrap();
        let customers: std::collections::BTreeSet<&str> =
            list.items.iter().map(|i| i.customer_number.as_str()).collect();
        assert_eq!(customers.into_iter().collect::<Vec<_>>(), ["C002", "C003"]);
        assert!(list.items.iter().all(|i| i.payer_number == "C002"));
        assert_eq!(list.total_count, 4);
    })
    .await;
}

#[tokio::test]
async fn bad_parameters_name_the_parameter() {
    let cases: &[(&str, &str, &str)] = &[
        ("as_of", "2026-13-01", "as_of"),
        ("currency", "EURO", "currency"),
        ("sort", "colour", "sort"),
        ("limit", "0", "limit"),
        ("limit", "many", "limit"),
        ("days_overdue_min", "-3", "days_overdue_min"),
        ("side", "left", "side"),
        ("overdue", "maybe", "overdue"),
    ];
    for (name, value, field) in cases {
        match args(&[(name, value)]).parse(today()) {
            Err(creance_app::AppError::Invalid(e)) => {
                assert_eq!(e.field, *field, "{name}={value}: {}", e.reason)
            }
            other => panic!("{name}={value} should be refused, got {:?}", other.map(|_| ())),
        }
    }
}
