//! Paths that take a list run set-based (issue 10 point 5): an import changing thousands of rows
//! updates and audits them in batches, a deposit reads its payments in one query, an `auto` refund
//! reads its customer's payments in one query and states its maximum. On every engine, each ending
//! with `creance check`.

use crate::common::*;
use creance_app::import::Entity;
use creance_app::payments::RecordPayment;
use creance_app::queries::Page;
use creance_app::refunds::{RecordRefund, RefundAllocate};
use creance_app::{App, AppError, Code};
use creance_core::{Currency, Date, Money};
use creance_store::documents::DocumentFilter;

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

const TODAY: &str = "2026-06-30";

async fn assert_invariants(app: &App) {
    let violations = app.check().await.unwrap();
    assert!(violations.is_empty(), "invariants broken: {violations:#?}");
}

async fn count(app: &App, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(app.db.pool()).await.unwrap()
}

fn customers_csv(n: usize, suffix: &str) -> String {
    let mut csv = String::from("number;name;currency;payer\n");
    for k in 1..=n {
        // Every tenth customer is paid for by the first; in the second version by the second.
        let payer = match (k % 10, suffix.is_empty()) {
            (0, true) => "K00001",
            (0, false) => "K00002",
            _ => "",
        };
        csv.push_str(&format!("K{k:05};Client {k}{suffix};EUR;{payer}\n"));
    }
    csv
}

/// 4,000 changed customers: more than one batch of the UPDATE (2,142 rows) and of the audit insert
/// (3,333 rows).
#[tokio::test]
async fn an_import_changing_4000_customers_updates_and_audits_each_one_with_before_and_after() {
    on_every_engine(|app, company| async move {
        let n = 4_000;
        let first = import_ok(&app, company, Entity::Customers, &customers_csv(n, "")).await;
        assert_eq!((first.created, first.updated), (n, 0));
        let again = import_ok(&app, company, Entity::Customers, &customers_csv(n, " SA")).await;
        assert_eq!((again.created, again.updated, again.unchanged), (0, n, 0));

        let renamed = count(&app, "SELECT COUNT(*) FROM customers WHERE name LIKE '% SA'").await;
        assert_eq!(renamed, n as i64);
        let paid_by_second = count(
            &app,
            "SELECT COUNT(*) FROM customers c JOIN customers p ON p.id = c.payer_id WHERE p.number = 'K00002'",
        )
        .await;
        assert_eq!(paid_by_second, n as i64 / 10, "the payer changed too");
        let audited = count(
            &app,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'customer.update' AND before_json NOT LIKE '% SA\"%' \
             AND after_json LIKE '% SA\"%' AND entity_id IS NOT NULL",
        )
        .await;
        assert_eq!(audited, n as i64, "one event per changed customer, before and after");
        let page = Page::new(None, None).unwrap();
        let list = app.customers(company, &Default::default(), page).await.unwrap();
        let k7 = list.items.iter().find(|c| c.fields.number == "K00007").unwrap();
        assert_eq!(k7.fields.name, "Client 7 SA");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn an_import_changing_contracts_updates_each_and_audits_each() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let v1 = "number;customer;status;start_date;end_date\nAB1;C001;active;2025-01-01;\nAB2;C002;active;2025-02-01;\nAB3;C001;active;2025-03-01;\n";
        let v2 = "number;customer;status;start_date;end_date\nAB1;C002;ended;2025-01-01;2026-05-31\nAB2;C002;active;2025-02-01;\nAB3;C001;active;2025-03-15;\n";
        import_ok(&app, company, Entity::Contracts, v1).await;
        let r = import_ok(&app, company, Entity::Contracts, v2).await;
        assert_eq!((r.created, r.updated, r.unchanged), (0, 2, 1));
        let list = app.contracts(company, None, None, Page::new(None, None).unwrap()).await.unwrap();
        let ab1 = list.items.iter().find(|k| k.fields.number == "AB1").unwrap();
        assert_eq!(ab1.fields.customer_number, "C002");
        assert_eq!(ab1.fields.end_date, Some(d("2026-05-31")));
        let ab3 = list.items.iter().find(|k| k.fields.number == "AB3").unwrap();
        assert_eq!((ab3.fields.start_date, ab3.fields.end_date), (d("2025-03-15"), None));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_events WHERE action = 'contract.update'").await, 2);
        assert_invariants(&app).await;
    })
    .await;
}

/// Documents replaced by imports: the second replacement of F-1 and the first of F-2 in one import are
/// booked under different entries (`D{id}-6` and `D{id}-2`), and the journal still matches.
#[tokio::test]
async fn documents_replaced_once_and_twice_in_one_import_keep_a_balanced_journal() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let docs = |t1: &str, t2: &str, t3: &str| {
            format!(
                "kind;number;customer;date;currency;total;due_date\n\
                 invoice;F-1;C001;2026-01-15;EUR;{t1};2026-02-14\n\
                 invoice;F-2;C001;2026-02-15;EUR;{t2};2026-03-17\n\
                 invoice;F-3;C002;2026-02-15;EUR;{t3};2026-03-17\n"
            )
        };
        import_ok(&app, company, Entity::Documents, &docs("100,00", "200,00", "300,00")).await;
        let r = import_ok(&app, company, Entity::Documents, &docs("110,00", "200,00", "300,00")).await;
        assert_eq!((r.created, r.updated, r.unchanged), (0, 1, 2));
        let r = import_ok(&app, company, Entity::Documents, &docs("120,00", "220,00", "300,00")).await;
        assert_eq!((r.created, r.updated, r.unchanged), (0, 2, 1));
        let list = app.documents(company, &DocumentFilter::default(), Page::new(None, None).unwrap()).await.unwrap();
        let total = |n: &str| list.items.iter().find(|x| x.number == n).unwrap().total;
        assert_eq!(total("F-1"), Money::new(12_000, Currency::EUR));
        assert_eq!(total("F-2"), Money::new(22_000, Currency::EUR));
        let open = count(&app, "SELECT CAST(SUM(amount_open) AS BIGINT) FROM installments").await;
        assert_eq!(open, 12_000 + 22_000 + 30_000, "the installments were replaced");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_events WHERE action = 'document.update'").await, 3);
        let entries =
            count(&app, "SELECT COUNT(DISTINCT entry) FROM journal_lines WHERE entry LIKE '%-6' OR entry LIKE '%-2'")
                .await;
        assert_eq!(entries, 3, "D(F-1)-2, D(F-1)-6 and D(F-2)-2");
        assert_invariants(&app).await;
    })
    .await;
}

async fn cheque(app: &App, company: i64, customer: &str, amount: &str, method: &str) -> i64 {
    let input = RecordPayment {
        customer_number: Some(customer.into()),
        amount: amount.into(),
        date: Some("2026-06-01".into()),
        method: method.into(),
        piece_number: format!("CHQ {amount}"),
        ..Default::default()
    };
    app.record_payment(&actor(), company, &input, d(TODAY)).await.expect("payment").payment.id
}

#[tokio::test]
async fn a_deposit_of_300_cheques_reads_them_at_once_and_names_the_first_bad_one_in_id_order() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let bank = app
            .add_bank_account(
                &actor(),
                company,
                &creance_app::settings::NewBank {
                    name: "Crédit Agricole".into(),
                    iban: "FR76 3000 6000 0112 3456 7890 189".into(),
                    account_code: Some("512100".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let mut ids = Vec::new();
        for k in 1..=300 {
            ids.push(cheque(&app, company, "C001", &format!("{k}.00"), "cheque").await);
        }
        let transfer = cheque(&app, company, "C002", "7.00", "transfer").await;
        let chf = cheque(&app, company, "C004", "9.00", "cheque").await;
        let create = |payment_ids: Vec<i64>| creance_app::deposits::CreateDeposit {
            bank_account_id: bank.id,
            date: Some(TODAY.into()),
            payment_ids,
        };
        // Given in any order, checked in id order: the transfer comes before the CHF cheque.
        let mut bad = vec![chf, 999_999, transfer];
        bad.extend(&ids);
        match app.create_deposit(&actor(), company, &create(bad), d(TODAY)).await {
            Err(AppError::Invalid(f)) => {
                assert_eq!(f.field, "payment_ids[300]", "{f:?}");
                assert!(f.reason.contains("not deposited"), "{f:?}");
            }
            other => panic!("{other:?}"),
        }
        match app.create_deposit(&actor(), company, &create(vec![999_999]), d(TODAY)).await {
            Err(AppError::Invalid(f)) => assert!(f.reason.contains("no payment 999999"), "{f:?}"),
            other => panic!("{other:?}"),
        }
        let mut reversed = ids.clone();
        reversed.reverse();
        let slip = app.create_deposit(&actor(), company, &create(reversed), d(TODAY)).await.unwrap();
        assert_eq!(slip.deposit.payment_count, 300);
        assert_eq!(slip.deposit.total, Money::new(300 * 301 / 2 * 100, Currency::EUR));
        assert_eq!(slip.payments.len(), 300);
        match app.create_deposit(&actor(), company, &create(vec![ids[5]]), d(TODAY)).await {
            Err(AppError::Invalid(f)) => assert!(f.reason.contains("already in deposit"), "{f:?}"),
            other => panic!("{other:?}"),
        }
        let too_many = create((1..=creance_app::deposits::PAYMENTS_MAX as i64 + 1).collect());
        match app.create_deposit(&actor(), company, &too_many, d(TODAY)).await {
            Err(AppError::Invalid(f)) => assert!(f.reason.contains("at most 100000"), "{f:?}"),
            other => panic!("{other:?}"),
        }
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn an_auto_refund_takes_the_oldest_of_many_payments_first_read_in_one_query() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let mut ids = Vec::new();
        for (k, date) in ["2026-06-05", "2026-06-01", "2026-06-03", "2026-06-01"].iter().enumerate() {
            let input = RecordPayment {
                customer_number: Some("C001".into()),
                amount: "10.00".into(),
                date: Some((*date).into()),
                method: "transfer".into(),
                piece_number: format!("VIR {k}"),
                ..Default::default()
            };
            ids.push(app.record_payment(&actor(), company, &input, d(TODAY)).await.unwrap().payment.id);
        }
        let input = RecordRefund {
            customer_number: Some("C001".into()),
            amount: "25.00".into(),
            reason: "overpayment".into(),
            method: "transfer".into(),
            date: Some(TODAY.into()),
            allocate: Some(RefundAllocate::Auto),
            ..Default::default()
        };
        let refund = app.record_refund(&actor(), company, &input, d(TODAY)).await.unwrap();
        let taken: Vec<(Option<i64>, i64)> =
            refund.allocations.iter().map(|a| (a.payment_id, a.amount.minor())).collect();
        // The two of 06-01 in id order, then 06-03.
        assert_eq!(taken, vec![(Some(ids[1]), 1_000), (Some(ids[3]), 1_000), (Some(ids[2]), 500)]);
        assert_invariants(&app).await;
    })
    .await;
}

/// Past its maximum the `auto` refund says so, naming it, instead of silently reading the first 10,000.
#[tokio::test]
async fn an_auto_refund_of_a_customer_with_more_payments_than_its_maximum_is_refused_naming_it() {
    use creance_store::journal::{self, Rows};
    use creance_store::payments::NewPayment;
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let max = creance_app::refunds::AUTO_PAYMENTS_MAX;
        let customer = app.customers(company, &Default::default(), Page::new(None, None).unwrap()).await.unwrap();
        let c001 = customer.items.iter().find(|c| c.fields.number == "C001").unwrap().id;
        let payments: Vec<NewPayment> = (0..=max)
            .map(|k| NewPayment {
                number: format!("BULK{k:06}"),
                customer_id: c001,
                date: d("2026-06-01"),
                amount: Money::new(100, Currency::EUR),
                amount_open: 100,
                method: "transfer".into(),
                piece_number: format!("VIR {k}"),
                customer_bank: String::new(),
                deposit_bank_id: None,
                deposit_date: None,
                order_ref: String::new(),
                note: String::new(),
            })
            .collect();
        let mut tx = app.db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        creance_store::payments::insert_bulk(&mut tx, company, &payments).await.unwrap();
        let codes = creance_store::settings::account_codes(&mut tx, company).await.unwrap();
        journal::book_payments(&mut tx, company, &codes, Rows::After(0)).await.unwrap();
        tx.commit().await.unwrap();
        let input = RecordRefund {
            customer_number: Some("C001".into()),
            amount: "2.00".into(),
            reason: "overpayment".into(),
            method: "transfer".into(),
            date: Some(TODAY.into()),
            allocate: Some(RefundAllocate::Auto),
            ..Default::default()
        };
        match app.record_refund(&actor(), company, &input, d(TODAY)).await {
            Err(AppError::Rejected(r)) if r.code == Code::RefundTooManyCredits => {
                assert!(r.detail.contains(&format!("more than {max}")), "{r:?}")
            }
            other => panic!("{other:?}"),
        }
        assert_invariants(&app).await;
    })
    .await;
}
