//! The cash screens in the browser: record a refund from its form (left "to allocate"), allocate it
//! in the allocation window, and fetch its letter as a PDF; the advances list, which an advance
//! leaves when the invoice of its order is imported; the to-deposit list with the "show future
//! deposits" toggle, a deposit created from ticked cheques and validated; a read-only user sees no
//! write button on any of them.

use creance_app::import::{read_csv, Entity};
use creance_app::payments::RecordPayment;
use creance_app::queries::{CustomerFilter, Page};
use creance_app::{Actor, App};
use creance_store::testing::TEST_INSTANT;
use serde_json::Value;

use super::{demo_db, Browser};
use crate::web::PASSWORD;

/// The first customer's id and number.
async fn first_customer(app: &App, company: i64) -> (i64, String) {
    let c = app.customers(company, &CustomerFilter::default(), Page::new(Some(1), None).unwrap()).await.unwrap();
    (c.items[0].id, c.items[0].fields.number.clone())
}

async fn payment(
    app: &App,
    company: i64,
    customer: i64,
    amount: &str,
    method: &str,
    piece: &str,
    deposit_date: Option<String>,
) -> i64 {
    let input = RecordPayment {
        customer_id: Some(customer),
        amount: amount.into(),
        method: method.into(),
        piece_number: piece.into(),
        customer_bank: "Crédit Mutuel".into(),
        deposit_date,
        confirm_duplicate: true,
        ..Default::default()
    };
    let actor = Actor::new("test", TEST_INSTANT);
    app.record_payment(&actor, company, &input, creance_app::clock::today_utc()).await.unwrap().payment.id
}

/// Sets a `<select>`'s value, as choosing an option does.
async fn choose(b: &Browser, css: &str, value: &str) {
    b.execute(
        "const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change'));",
        vec![Value::from(css), Value::from(value)],
    )
    .await;
}

/// GETs `path` from the page (with the session's cookie): status, content type, first bytes.
async fn fetch(b: &Browser, path: &str) -> (i64, String, String) {
    let v = b
        .execute(
            "const x = new XMLHttpRequest(); x.open('GET', arguments[0], false); \
             x.overrideMimeType('text/plain; charset=x-user-defined'); x.send(); \
             return [x.status, x.getResponseHeader('content-type'), x.responseText.slice(0, 5)];",
            vec![Value::from(path)],
        )
        .await;
    (v[0].as_i64().unwrap_or(0), v[1].as_str().unwrap_or("").to_string(), v[2].as_str().unwrap_or("").to_string())
}

#[tokio::test]
async fn record_a_refund_allocate_it_in_the_window_and_open_its_letter() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let (customer, number) = first_customer(&b.app, company).await;
    let credit = payment(&b.app, company, customer, "64.20", "transfer", "VIR TROP", None).await;
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("main").await;
    b.goto("/remboursements").await;
    b.wait_for("#refunds").await;
    b.screenshot("ui_refunds.png").await;
    let new = b.find("#new-refund").await;
    b.click(&new).await;
    let field = b.wait_for("#field-customer_number").await;
    b.type_into(&field, &number).await;
    b.type_into(&b.find("#field-amount").await, "64,20").await;
    b.type_into(&b.find("#field-piece_number").await, "CHQ 4711").await;
    choose(&b, "#field-reason", "overpayment").await;
    let bank = b.app.bank_accounts(company).await.unwrap()[0].id.to_string();
    choose(&b, "#field-bank_account_id", &bank).await;
    b.screenshot("ui_refund_form.png").await;
    // Enter in a field submits the form (left "to allocate", the default).
    b.submit(&b.find("#field-piece_number").await).await;
    b.wait_for("#allocation").await;
    assert_eq!(b.text_of("p.notice").await, "Remboursement enregistré.");
    assert_eq!(b.text_of("#refund-to-allocate").await.replace('\u{202f}', " "), "64,20 €");
    let id: i64 = b.path().await.trim_start_matches("/remboursements/").split('?').next().unwrap().parse().unwrap();
    // The allocation window: 64,20 from the customer's payment.
    let amount = b.find(&format!("#field-payment_{credit}")).await;
    b.type_into(&amount, "64,20").await;
    b.screenshot("ui_refund_allocate.png").await;
    b.submit(&amount).await;
    b.wait_for("#refund-letter").await;
    assert_eq!(b.text_of("p.notice").await, "Imputation enregistrée.");
    let refund = b.app.refund(company, id).await.unwrap();
    assert_eq!((refund.amount.minor(), refund.to_allocate.minor()), (6_420, 0));
    assert_eq!(b.app.payment(company, credit).await.unwrap().payment.unallocated.minor(), 0);
    let href = b.attr(&b.find("#refund-letter").await, "href").await.unwrap();
    let (status, content_type, head) = fetch(&b, &href).await;
    assert_eq!((status, content_type.as_str(), head.as_str()), (200, "application/pdf", "%PDF-"));
    // The allocated list shows it, with its letter.
    b.goto("/remboursements?view=allocated").await;
    b.wait_for("#refunds").await;
    assert!(b.try_find(&format!("#refunds a[href='/remboursements/{id}/lettre.pdf']")).await.is_some());
    b.finish().await;
}

#[tokio::test]
async fn the_advances_list_loses_an_advance_when_its_invoice_is_imported() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("main").await;
    b.goto("/acomptes").await;
    b.wait_for("#advances").await;
    b.screenshot("ui_advances.png").await;
    let advances = b.app.advances(company, None, Page::new(Some(10), None).unwrap()).await.unwrap();
    let advance = &advances.items[0];
    let row = b.text_of("#advances tbody").await;
    assert!(row.contains(&advance.order_ref), "{row}");
    assert!(b.text_of("#advances tfoot").await.starts_with("Total EUR"));
    let align =
        b.execute("return getComputedStyle(document.querySelector('#advances td.num')).textAlign", vec![]).await;
    assert_eq!(align.as_str(), Some("right"));
    // The invoice of the order arrives: the app allocates the advance to it, and it leaves the list.
    let csv = format!(
        "kind;number;customer;date;currency;total;order_ref;due_date\ninvoice;F-WEB-1;{};{};EUR;{};{};{}\n",
        advance.customer_number,
        creance_app::clock::today_utc(),
        advance.unallocated.format_amount().replace('.', ","),
        advance.order_ref,
        creance_app::clock::today_utc().add_days(30),
    );
    let (table, errors) = read_csv(csv.as_bytes(), Entity::Documents);
    let report =
        b.app.import(&Actor::new("test", TEST_INSTANT), company, Entity::Documents, &table, errors).await.unwrap();
    assert_eq!(report.advances_allocated, 1);
    b.goto("/acomptes").await;
    b.wait_for("main h1").await;
    let text = b.text_of("main").await;
    assert!(!text.contains(&advance.order_ref), "the advance left the list: {text}");
    b.finish().await;
}

#[tokio::test]
async fn show_future_deposits_then_create_and_validate_a_deposit_of_ticked_cheques() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let (customer, _) = first_customer(&b.app, company).await;
    let today = creance_app::clock::today_utc();
    let now = payment(&b.app, company, customer, "150.00", "cheque", "CHQ 0000101", None).await;
    let later =
        payment(&b.app, company, customer, "75.50", "cheque", "CHQ 0000102", Some(today.add_days(20).to_string()))
            .await;
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("main").await;
    b.goto("/remises").await;
    b.wait_for("#to-deposit").await;
    assert!(b.try_find(&format!("#pay-{now}")).await.is_some());
    assert!(b.try_find(&format!("#pay-{later}")).await.is_none(), "post-dated: not shown by default");
    let toggle = b.find("#show_future").await;
    b.click(&toggle).await;
    b.click(&b.find("form.toggle button").await).await;
    b.wait_for(&format!("#pay-{later}")).await;
    assert!(b.path().await.contains("show_future=true"));
    b.screenshot("ui_deposits.png").await;
    b.goto("/remises").await;
    let tick = b.wait_for(&format!("#pay-{now}")).await;
    b.click(&tick).await;
    let bank = b.app.bank_accounts(company).await.unwrap()[0].id.to_string();
    choose(&b, "#field-bank_account_id", &bank).await;
    b.execute("document.querySelector('#new-deposit').scrollIntoView()", vec![]).await;
    b.screenshot("ui_deposit_new.png").await;
    b.click(&b.find("#create-deposit").await).await;
    b.wait_for("#validate-deposit").await;
    assert_eq!(b.text_of("p.notice").await, "Remise créée en brouillon.");
    assert_eq!(b.text_of("#deposit-status").await, "brouillon");
    assert_eq!(b.text_of("#deposit-total").await.replace('\u{202f}', " "), "150,00 €");
    b.click(&b.find("#validate-deposit").await).await;
    b.wait_for("p.notice").await;
    assert_eq!(b.text_of("#deposit-status").await, "validée");
    assert!(b.try_find("#validate-deposit").await.is_none());
    let id: i64 = b.path().await.trim_start_matches("/remises/").split('?').next().unwrap().parse().unwrap();
    let d = b.app.deposit(company, id).await.unwrap();
    assert_eq!((d.deposit.total.minor(), d.payments.len()), (15_000, 1));
    let href = b.attr(&b.find("#deposit-slip").await, "href").await.unwrap();
    let (status, content_type, head) = fetch(&b, &href).await;
    assert_eq!((status, content_type.as_str(), head.as_str()), (200, "application/pdf", "%PDF-"));
    b.finish().await;
}

#[tokio::test]
async fn a_read_only_user_sees_no_write_button_on_the_cash_screens() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let (customer, _) = first_customer(&b.app, company).await;
    payment(&b.app, company, customer, "150.00", "cheque", "CHQ 0000201", None).await;
    b.log_in("reader@example.com", PASSWORD).await;
    b.wait_for("main").await;
    b.goto("/remboursements").await;
    b.wait_for("#refunds").await;
    assert!(b.try_find("#new-refund").await.is_none());
    let first = b.find("#refunds tbody a").await;
    b.click(&first).await;
    b.wait_for("#refund-to-allocate").await;
    assert!(b.try_find("#allocation").await.is_none(), "no allocation window");
    assert!(b.try_find("main form").await.is_none(), "no write form at all");
    b.goto("/remises").await;
    b.wait_for("#to-deposit").await;
    assert!(b.try_find("input[name=payment_ids]").await.is_none());
    assert!(b.try_find("#create-deposit").await.is_none());
    b.goto("/remises/liste").await;
    let deposit = b.wait_for("#deposits tbody a").await;
    b.click(&deposit).await;
    b.wait_for("#deposit-status").await;
    assert!(b.try_find("#validate-deposit").await.is_none() && b.try_find("#cancel-deposit").await.is_none());
    b.finish().await;
}
