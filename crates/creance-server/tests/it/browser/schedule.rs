//! The Échéancier in the browser: the login leads to it (by invoice), a customer filter typed and
//! submitted with Enter, a document's installments opened in the panel (htmx, the URL following),
//! a column sorted from its header, the switch to by due date, the row's link to the payment form,
//! the history, and a click on a row opening the payment form prefilled.

use super::{demo_db, Browser, ENTER};
use crate::web::PASSWORD;

#[tokio::test]
async fn filter_open_a_documents_installments_sort_switch_mode_and_see_the_history() {
    let (db, _company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("table#schedule[data-mode=invoice]").await;
    assert_eq!(b.path().await, "/echeancier");
    assert_eq!(b.text_of("#mode-invoice").await, "Par facture");
    // Filter on the first row's customer: Enter in the field submits the form.
    let number = b.text_of("#schedule tbody tr:first-child td.customer .number").await;
    let field = b.find("#f-customer").await;
    b.type_into(&field, &number).await;
    b.type_into(&field, ENTER).await;
    b.wait_for(&format!("#f-customer[value='{number}']")).await;
    assert!(b.path().await.starts_with(&format!("/echeancier?customer={number}")), "{}", b.path().await);
    let customers = b
        .execute(
            "return [...document.querySelectorAll('#schedule tbody td.customer .number')].map(e => e.textContent)",
            vec![],
        )
        .await;
    let customers = customers.as_array().unwrap();
    assert!(!customers.is_empty() && customers.iter().all(|c| c.as_str() == Some(number.as_str())));
    // A document's installments in the panel (an htmx swap; the URL follows).
    let doc = b.find("#schedule tbody tr:first-child a.doc").await;
    let doc_number = b.text(&doc).await;
    b.click(&doc).await;
    b.wait_for("#panel #installments").await;
    assert!(b.text_of("#panel .panel-of").await.contains(&doc_number));
    assert!(b.path().await.contains("document="), "{}", b.path().await);
    // The panel is at the bottom left: below the list, in the left half.
    let place = b
        .execute(
            "const p = document.querySelector('#panel').getBoundingClientRect(); \
             const t = document.querySelector('#schedule').getBoundingClientRect(); \
             return [p.top >= t.bottom, p.left < window.innerWidth / 4, p.right <= window.innerWidth / 2 + 20]",
            vec![],
        )
        .await;
    assert_eq!(place, serde_json::json!([true, true, true]));
    b.execute("window.scrollTo(0, document.body.scrollHeight)", vec![]).await;
    b.screenshot("ui_schedule_by_invoice.png").await;
    // The row's link opens the payment form prefilled with the customer and the open amount.
    let href = b.attr(&b.find("#schedule tbody tr:first-child a.pay").await, "href").await.unwrap();
    assert!(href.starts_with("/reglements/nouveau?customer_id=") && href.contains("&amount="), "{href}");
    let amount = href.rsplit("amount=").next().unwrap();
    assert!(amount.chars().all(|c| c.is_ascii_digit() || c == '.'), "a decimal string: {amount}");
    // Sort on the open amount from its header, then the other way.
    let header = b.find("#schedule thead th:nth-child(11) a").await;
    b.click(&header).await;
    b.wait_for("#schedule thead th[aria-sort=ascending]:nth-child(11)").await;
    let header = b.find("#schedule thead th:nth-child(11) a").await;
    b.click(&header).await;
    b.wait_for("#schedule thead th[aria-sort=descending]:nth-child(11)").await;
    assert!(b.path().await.contains("sort=-amount_open"));
    // By due date: one row per installment.
    let mode = b.find("#mode-due-date").await;
    b.click(&mode).await;
    b.wait_for("table#schedule[data-mode=due_date]").await;
    assert!(b.path().await.contains("mode=due_date") && b.path().await.contains(&format!("customer={number}")));
    let clear = b.find("#reset").await;
    b.click(&clear).await;
    b.wait_for("#f-customer[value='']").await;
    b.wait_for("table#schedule[data-mode=due_date]").await;
    b.screenshot("ui_schedule_by_due_date.png").await;
    // The history: settled installments with what settled them.
    let history = b.find("#show-history").await;
    b.click(&history).await;
    b.wait_for("table#schedule[data-mode=history]").await;
    assert!(b.text_of("#schedule tbody tr:first-child td.settled").await.contains("règlement"));
    b.screenshot("ui_schedule_history.png").await;
    b.finish().await;
}

#[tokio::test]
async fn clicking_a_row_opens_the_payment_form_prefilled_with_its_customer_and_open_amount() {
    let (db, _company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("table#schedule[data-mode=invoice]").await;
    // Clicking a row (here its open amount) opens the payment form prefilled with its customer and
    // open amount, as the seed has it.
    let row = b.wait_for("#schedule tbody tr:first-child").await;
    let href = b.attr(&row, "data-href").await.expect("an open row leads to the payment form");
    let customer = b.text_of("#schedule tbody tr:first-child td.customer .number").await;
    let cell = b.find("#schedule tbody tr:first-child td.open").await;
    b.click(&cell).await;
    let amount = b.wait_for("#f-amount").await;
    assert_eq!(b.path().await, href);
    assert_eq!(b.attr(&b.find("#f-customer_number").await, "value").await.as_deref(), Some(customer.as_str()));
    assert_eq!(b.attr(&amount, "value").await.as_deref(), href.rsplit("amount=").next());
    b.finish().await;
}
