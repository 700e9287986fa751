//! The Règlements screen in the browser: a payment recorded from the Échéancier's link
//! (`/reglements/nouveau?customer_id=…&amount=…`), allocated partly in the allocation window (the
//! installment keeps the rest due), the duplicate warning and its confirmation; the batch allocation
//! (preview, then confirm); unallocating from the allocated installments and cancelling with a
//! reason; a read-only user sees no write button and its forged POST is refused with a 403; a credit
//! note allocated from the "Avoirs à affecter" list.

use creance_app::payments::{AllocateRequest, RecordPayment};
use creance_app::query_args::OpenItemArgs;
use creance_app::{Actor, App};
use creance_core::{Currency, Money, PaymentStatus};
use creance_store::testing::TEST_INSTANT;
use serde_json::json;

use super::{demo_db, Browser, ENTER};
use crate::web::PASSWORD;

/// A customer of the demo company with an open EUR debit: (id, number).
async fn eur_customer(app: &App, company: i64) -> (i64, String) {
    let args = OpenItemArgs {
        currency: Some("EUR".into()),
        side: Some("debit".into()),
        sort: Some("due_date".into()),
        limit: Some("1".into()),
        ..Default::default()
    };
    let (filter, sorts, page) = args.parse(TEST_INSTANT.date()).unwrap();
    let item = app.open_items(company, &filter, &sorts, page).await.unwrap().items.remove(0);
    (item.customer_id, item.customer_number)
}

/// Records a payment through the app (not the page), allocated by the proposal when `allocate`.
async fn recorded(app: &App, company: i64, customer: i64, amount: &str, piece: &str, allocate: bool) -> i64 {
    let input = RecordPayment {
        customer_id: Some(customer),
        amount: amount.into(),
        method: "transfer".into(),
        piece_number: piece.into(),
        allocate: allocate.then_some(AllocateRequest::Proposal),
        ..Default::default()
    };
    let actor = Actor::new("test", creance_app::clock::now());
    app.record_payment(&actor, company, &input, creance_app::clock::today_utc()).await.unwrap().payment.id
}

/// The payment id of the page shown (`/reglements/ID…`).
async fn shown_payment(b: &Browser) -> i64 {
    let path = b.path().await;
    let rest = path.strip_prefix("/reglements/").unwrap_or_else(|| panic!("not a payment's page: {path}"));
    rest.split(['?', '#']).next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn record_from_the_link_allocate_partly_then_see_the_duplicate_and_confirm_it() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("nav.tabs").await;
    let (customer, number) = eur_customer(&b.app, company).await;
    let link = format!("/reglements/nouveau?customer_id={customer}&amount=25.00");
    b.goto(&link).await;
    let amount = b.wait_for("#f-amount").await;
    assert_eq!(b.attr(&amount, "value").await.as_deref(), Some("25.00"));
    assert_eq!(b.attr(&b.find("#f-customer_number").await, "value").await.as_deref(), Some(number.as_str()));
    // The date is today's by default, as the user reads dates (the user reads French).
    let today = creance_server::web::format::date(creance_app::clock::today_utc(), creance_core::Language::Fr);
    assert_eq!(b.attr(&b.find("#f-date").await, "value").await.as_deref(), Some(today.as_str()));
    // The method is always chosen (none is preselected).
    assert_eq!(b.execute("return document.querySelector('#f-method').value", vec![]).await.as_str(), Some(""));
    b.execute("document.querySelector('#f-method').value = 'cheque'", vec![]).await;
    let piece = b.find("#f-piece_number").await;
    b.type_into(&piece, "CHQ-4242").await;
    b.screenshot("ui_payment_form.png").await;
    // Enter submits; the allocation window opens on the new payment's page.
    b.type_into(&piece, ENTER).await;
    b.wait_for("#allocation #window-lines").await;
    let id = shown_payment(&b).await;
    assert_eq!(
        b.text_of("p.notice").await,
        format!("Règlement {} enregistré.", b.app.payment(company, id).await.unwrap().payment.number)
    );
    b.screenshot("ui_allocation_window.png").await;
    // Allocate partly: only the first installment, for less than it has open.
    let window = b.app.allocation_window(company, creance_app::payments::CreditRef::Payment(id)).await.unwrap();
    let first = window.debits[0].clone();
    let (typed, minor) = if first.amount_open.minor() > 1000 { ("10,00", 1000) } else { ("0,01", 1) };
    b.execute("document.querySelectorAll('#window-lines input.amount').forEach(function(i){ i.value = ''; })", vec![])
        .await;
    let input = b.find(&format!("#amount-{}", first.installment_id)).await;
    b.type_into(&input, typed).await;
    b.type_into(&input, ENTER).await;
    b.wait_for("#allocated-lines").await;
    assert_eq!(b.text_of("p.notice").await, "Imputation enregistrée.");
    let after = b.app.allocation_window(company, creance_app::payments::CreditRef::Payment(id)).await.unwrap();
    let open = after.targets_open[&first.installment_id];
    assert_eq!(open.minor(), first.amount_open.minor() - minor, "the installment keeps the rest due");
    assert_eq!(after.credit.unallocated, Money::new(2500 - minor, Currency::EUR));
    // The allocated installment shows what it still has due, right-aligned.
    let shown = b.text_of("#allocated-lines tr[data-allocation] td:nth-child(5)").await;
    let spaces = |s: &str| s.replace(['\u{a0}', '\u{202f}'], " ");
    assert_eq!(spaces(&shown), spaces(&creance_render::locale::amount(open, creance_render::locale::Locale::FR)));
    let align =
        b.execute("return getComputedStyle(document.querySelector('#allocated-lines td.num')).textAlign", vec![]).await;
    assert_eq!(align.as_str(), Some("right"));
    // The same payment again: the duplicate warning names the earlier one; confirming records it.
    b.goto(&link).await;
    let piece = b.wait_for("#f-piece_number").await;
    b.execute("document.querySelector('#f-method').value = 'cheque'", vec![]).await;
    b.type_into(&piece, "CHQ-4242").await;
    b.type_into(&piece, ENTER).await;
    b.wait_for("#duplicate").await;
    let earlier = b.app.payment(company, id).await.unwrap().payment.number;
    assert!(b.text_of("#duplicate").await.contains(&earlier));
    b.screenshot("ui_payment_duplicate.png").await;
    let confirm = b.find("#confirm-duplicate").await;
    b.click(&confirm).await;
    b.wait_for("#allocation").await;
    let second = shown_payment(&b).await;
    assert_ne!(second, id);
    assert_eq!(b.app.payment(company, second).await.unwrap().payment.piece_number, "CHQ-4242");
    b.finish().await;
}

#[tokio::test]
async fn unallocate_and_cancel_with_a_reason_then_run_the_batch_allocation() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let (customer, _) = eur_customer(&b.app, company).await;
    let allocated = recorded(&b.app, company, customer, "1.00", "VIR-1", true).await;
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("nav.tabs").await;
    // Unallocate from the allocated installments: the amount is due again.
    b.goto(&format!("/reglements/{allocated}")).await;
    let button = b.wait_for("#allocated-lines button.unallocate").await;
    b.click(&button).await;
    b.wait_for("p.notice").await;
    assert_eq!(b.text_of("p.notice").await, "Imputation annulée : le montant est de nouveau dû dans l’échéancier.");
    let detail = b.app.payment(company, allocated).await.unwrap();
    assert_eq!(detail.payment.unallocated, detail.payment.amount);
    assert!(detail.allocations.iter().any(|a| a.reverses_id.is_some()));
    // Cancel with a reason, from the keyboard.
    let reason = b.find("#f-reason").await;
    b.type_into(&reason, "Saisi en double").await;
    b.type_into(&reason, ENTER).await;
    b.wait_for("#status").await;
    assert_eq!(b.text_of("p.notice").await, "Règlement annulé.");
    let p = b.app.payment(company, allocated).await.unwrap().payment;
    assert_eq!((p.status, p.cancel_reason.as_str()), (PaymentStatus::Cancelled, "Saisi en double"));
    assert!(b.try_find("#cancel").await.is_none(), "a cancelled payment offers no cancellation");
    // The batch: an unallocated payment of a customer with open items, previewed, then confirmed.
    let waiting = recorded(&b.app, company, customer, "2.00", "VIR-2", false).await;
    b.goto("/reglements").await;
    b.wait_for("#payments").await;
    assert!(b.try_find(&format!("#payments a[href='/reglements/{waiting}']")).await.is_some());
    b.screenshot("ui_payments_list.png").await;
    let to_allocate_before = b.app.payments(company, &unallocated(), page()).await.unwrap().total_count;
    let batch = b.find("#batch").await;
    b.click(&batch).await;
    b.wait_for("#batch-preview").await;
    assert!(b.try_find("#batch-lines tbody tr").await.is_some(), "the preview lists its lines");
    b.screenshot("ui_batch_preview.png").await;
    // The preview wrote nothing.
    assert_eq!(b.app.payments(company, &unallocated(), page()).await.unwrap().total_count, to_allocate_before);
    let confirm = b.find("#batch-confirm").await;
    b.click(&confirm).await;
    b.wait_for("p.notice").await;
    assert!(b.text_of("p.notice").await.starts_with("Affectation faite"));
    assert!(b.app.payments(company, &unallocated(), page()).await.unwrap().total_count < to_allocate_before);
    // The "allocated" list.
    let allocated_tab = b.find("nav.subtabs a[href='/reglements?list=allocated']").await;
    b.click(&allocated_tab).await;
    b.wait_for("nav.subtabs a[aria-current=page][href='/reglements?list=allocated']").await;
    b.finish().await;
}

fn unallocated() -> creance_app::payments::PaymentFilter {
    creance_app::payments::PaymentFilter { unallocated: Some(true), ..Default::default() }
}

fn page() -> creance_app::queries::Page {
    creance_app::queries::Page::new(Some(1), None).unwrap()
}

#[tokio::test]
async fn a_read_only_user_sees_no_write_button_and_its_forged_post_is_refused() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let (customer, number) = eur_customer(&b.app, company).await;
    let id = recorded(&b.app, company, customer, "3.00", "VIR-3", true).await;
    let before = b.app.payments(company, &Default::default(), page()).await.unwrap().total_count;
    b.log_in("reader@example.com", PASSWORD).await;
    b.wait_for("nav.tabs").await;
    b.goto("/reglements?list=allocated").await;
    b.wait_for("nav.subtabs").await;
    assert!(b.try_find("#batch").await.is_none());
    assert!(b.try_find("a[href='/reglements/nouveau']").await.is_none());
    b.goto(&format!("/reglements/{id}")).await;
    b.wait_for("#allocated-lines").await;
    assert!(b.try_find("button.unallocate").await.is_none());
    assert!(b.try_find("#cancel").await.is_none());
    assert!(b.try_find("input.amount").await.is_none());
    // A form forged in the page, with the session's CSRF token: the server refuses the role.
    b.execute(
        "const f = document.createElement('form'); f.method = 'post'; f.action = '/reglements/nouveau';
         const add = (n, v) => { const i = document.createElement('input'); i.type = 'hidden'; i.name = n; i.value = v; f.appendChild(i); };
         add('csrf', document.querySelector('input[name=csrf]').value);
         add('customer_number', arguments[0]); add('method', 'transfer'); add('amount', '5.00');
         document.body.appendChild(f); f.submit();",
        vec![json!(number)],
    )
    .await;
    b.wait_for("main.error").await;
    assert_eq!(b.text_of("main.error h1").await, "Accès refusé");
    assert_eq!(b.app.payments(company, &Default::default(), page()).await.unwrap().total_count, before);
    b.finish().await;
}

#[tokio::test]
async fn a_credit_note_is_allocated_from_the_credit_notes_list_by_keyboard() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let (_, number) = eur_customer(&b.app, company).await;
    // Dated today: the newest, on the list's first page.
    let today = creance_app::clock::today_utc();
    let csv = format!(
        "kind;number;customer;date;currency;total;due_date\ncredit_note;AV-WEB-1;{number};{today};EUR;40.00;{today}\n"
    );
    let (table, errors) = creance_app::import::read_csv(csv.as_bytes(), creance_app::import::Entity::Documents);
    assert!(errors.is_empty(), "{errors:?}");
    b.app.import_documents(&Actor::new("test", TEST_INSTANT), company, &table).await.unwrap();
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("nav.tabs").await;
    b.goto("/reglements").await;
    let tab = b.wait_for("nav.subtabs a[href='/reglements?list=credit_notes']").await;
    assert_eq!(b.text(&tab).await, "Avoirs à affecter");
    b.click(&tab).await;
    b.wait_for("#credit-notes").await;
    b.screenshot("ui_credit_notes.png").await;
    // Each credit note links to its window; open AV-WEB-1's.
    let ours = b.execute(
        "return Array.from(document.querySelectorAll('#credit-notes a')).find(a => a.textContent === 'AV-WEB-1').getAttribute('href')",
        vec![],
    )
    .await;
    let href = ours.as_str().expect("AV-WEB-1 in the list").to_string();
    b.goto(&href).await;
    b.wait_for("#allocation #window-lines").await;
    assert!(b.text_of("#allocation-h").await.starts_with("Imputation de l’avoir · AV-WEB-1"));
    b.screenshot("ui_credit_note_window.png").await;
    // The proposal is in the inputs: Enter in the first one allocates it.
    let input = b.find("#window-lines input.amount").await;
    b.type_into(&input, ENTER).await;
    b.wait_for("#allocated-lines").await;
    assert_eq!(b.text_of("p.notice").await, "Imputation enregistrée.");
    let document: i64 = href.rsplit('/').next().unwrap().parse().unwrap();
    let allocations = b.app.credit_note_allocations(company, document).await.unwrap();
    let allocated: i64 = allocations.iter().map(|a| a.amount.minor()).sum();
    assert!(allocated > 0 && allocated <= 4000, "{allocations:?}");
    let left = b.app.document(company, document).await.unwrap().amount_open;
    assert_eq!(left.minor(), 4000 - allocated);
    b.finish().await;
}
