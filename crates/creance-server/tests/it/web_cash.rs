//! The cash screens through HTTP (`Router::oneshot`) on every engine: the refund form's refusals
//! next to their fields (and the duplicate and not-covered refusals beside the form), a double
//! submit recording once, the allocation window's errors per credit, a deposit from ticked payments
//! (the future toggle, a post-dated payment refused on its row, validated once), the letter and the
//! slip as PDFs with their amounts, the amounts exact in the database, and a read-only user refused
//! every write (403) and shown no write button.

use axum::http::StatusCode;
use creance_app::payments::RecordPayment;
use creance_app::{Actor, App};
use creance_store::testing::TEST_INSTANT;

use crate::web::{count as number, csrf_of, form, hidden_of, login, on_every_engine, send, user, User, Web, PASSWORD};

async fn clerk(w: &Web) -> User<'_> {
    user(w, "clerk@example.com").await
}

/// An unallocated payment of `amount` for the customer (its credit), by `method`.
async fn payment(app: &App, w: &Web, amount: &str, method: &str, piece: &str, deposit_date: Option<String>) -> i64 {
    let input = RecordPayment {
        customer_id: Some(w.customer),
        amount: amount.into(),
        method: method.into(),
        piece_number: piece.into(),
        deposit_date,
        confirm_duplicate: true,
        ..Default::default()
    };
    let actor = Actor::new("test", TEST_INSTANT);
    app.record_payment(&actor, w.company, &input, creance_app::clock::today_utc()).await.unwrap().payment.id
}

async fn customer_number(app: &App, w: &Web) -> String {
    app.customer(w.company, w.customer).await.unwrap().fields.number
}

/// The id at the end of a redirect such as `/remboursements/12?done=recorded`.
fn id_in(location: &str, prefix: &str) -> i64 {
    location.strip_prefix(prefix).and_then(|r| r.split('?').next()).and_then(|r| r.parse().ok()).unwrap()
}

#[tokio::test]
async fn the_refund_form_shows_each_refusal_next_to_its_field_and_records_the_exact_amount() {
    on_every_engine(|app, w| async move {
        let c = clerk(&w).await;
        let number_ = customer_number(&app, &w).await;
        let new = "/remboursements/nouveau";
        let good = |amount: &'static str| {
            let n = number_.clone();
            move |extra: &[(&'static str, &'static str)]| {
                let mut v: Vec<(String, String)> = vec![
                    ("customer_number".into(), n.clone()),
                    ("amount".into(), amount.into()),
                    ("reason".into(), "overpayment".into()),
                    ("method".into(), "transfer".into()),
                    ("piece_number".into(), "VIR-WEB-1".into()),
                    ("allocate".into(), String::new()),
                ];
                for (k, val) in extra {
                    v.retain(|(x, _)| x != k);
                    v.push(((*k).into(), (*val).into()));
                }
                v
            }
        };
        let as_refs = |v: &Vec<(String, String)>| -> Vec<(String, String)> { v.clone() };
        let post = |v: Vec<(String, String)>| {
            let c = &c;
            async move {
                let pairs: Vec<(&str, &str)> = v.iter().map(|(k, x)| (k.as_str(), x.as_str())).collect();
                c.post_from(new, "/remboursements", &pairs).await
            }
        };
        let before = number(&app, "SELECT COUNT(*) FROM refunds").await;
        // Each refusal next to the field the app names, the form shown again with what was typed.
        for (extra, error_id) in [
            (vec![("amount", "12.345")], "amount-error"),
            (vec![("amount", "-3.00")], "amount-error"),
            (vec![("customer_number", "NO-SUCH")], "customer_number-error"),
            (vec![("method", "bogus")], "method-error"),
            (vec![("reason", "because")], "reason-error"),
            (vec![("date", "2026-13-40")], "date-error"),
            (vec![("bank_account_id", "abc")], "bank_account_id-error"),
        ] {
            let a = post(as_refs(&good("12.34")(&extra))).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{extra:?}: {}", a.body);
            assert!(a.body.contains(&format!(r#"id="{error_id}""#)), "{extra:?}: {}", a.body);
            assert!(a.body.contains(r#"aria-invalid="true""#), "{extra:?}");
        }
        assert_eq!(number(&app, "SELECT COUNT(*) FROM refunds").await, before, "nothing recorded");
        // A good one, left "to allocate": its page (303), the amount exact in the database.
        let a = post(good("12.34")(&[])).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let id = id_in(a.location(), "/remboursements/");
        let sql = format!("SELECT amount * 1000000 + amount_open FROM refunds WHERE id = {id}");
        assert_eq!(number(&app, &sql).await, 1234 * 1_000_000 + 1234);
        let page = c.get(a.location()).await;
        assert!(page.body.contains("Refund recorded."), "{}", page.body);
        assert!(page.body.contains(r#"id="refund-to-allocate">€12.34"#), "{}", page.body);
        // The same again: the likely duplicate, shown with the earlier refund, and its confirmation.
        let a = post(good("12.34")(&[])).await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(
            a.body.contains(r#"id="duplicate""#) && a.body.contains(&format!("/remboursements/{id}")),
            "{}",
            a.body
        );
        assert!(a.body.contains(r#"name="confirm_duplicate""#));
        let a = post(good("12.34")(&[("confirm_duplicate", "true")])).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        // Allocated now but not covered by the customer's credits: refused beside the form, naming them.
        let a = post(good("9999999.00")(&[("allocate", "auto"), ("piece_number", "VIR-WEB-2")])).await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains(r#"id="allocate-error""#), "{}", a.body);
        assert!(a.body.contains("cover only") || a.body.contains("no unallocated payment"), "{}", a.body);
        assert_eq!(number(&app, "SELECT COUNT(*) FROM refunds").await, before + 2);
    })
    .await;
}

#[tokio::test]
async fn a_refund_form_sent_twice_records_one_refund_and_the_second_lands_on_its_page() {
    on_every_engine(|app, w| async move {
        let c = clerk(&w).await;
        let n = customer_number(&app, &w).await;
        let page = c.get("/remboursements/nouveau").await;
        let (csrf, once) = (csrf_of(&page.body), hidden_of(&page.body, "form_key"));
        let body = form(&[
            ("csrf", csrf.as_str()),
            ("form_key", &once),
            ("customer_number", &n),
            ("amount", "7.00"),
            ("reason", "other"),
            ("method", "transfer"),
            ("piece_number", "TWICE"),
        ]);
        let before = number(&app, "SELECT COUNT(*) FROM refunds").await;
        let first = send(&w.router, "POST", "/remboursements", Some(&c.cookie), &[], Some(&body)).await;
        let second = send(&w.router, "POST", "/remboursements", Some(&c.cookie), &[], Some(&body)).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);
        assert!(second.location().starts_with(first.location()), "{} vs {}", second.location(), first.location());
        assert!(second.location().ends_with("again=1"));
        assert_eq!(number(&app, "SELECT COUNT(*) FROM refunds").await, before + 1);
        let shown = c.get(second.location()).await;
        assert!(shown.body.contains("This form was sent already"), "{}", shown.body);
        // A double click: both submits at once, one refund, both answers lead to it.
        let page = c.get("/remboursements/nouveau").await;
        let body = body.replace(&once, &hidden_of(&page.body, "form_key")).replace("TWICE", "AT-ONCE");
        let (a, b) = tokio::join!(
            send(&w.router, "POST", "/remboursements", Some(&c.cookie), &[], Some(&body)),
            send(&w.router, "POST", "/remboursements", Some(&c.cookie), &[], Some(&body)),
        );
        assert_eq!((a.status, b.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER), "{} {}", a.body, b.body);
        assert_eq!(a.location().split('?').next(), b.location().split('?').next());
        assert_eq!(number(&app, "SELECT COUNT(*) FROM refunds").await, before + 2);
    })
    .await;
}

#[tokio::test]
async fn the_allocation_window_shows_a_bad_amount_on_its_credit_and_allocates_to_the_cent() {
    on_every_engine(|app, w| async move {
        let c = clerk(&w).await;
        let n = customer_number(&app, &w).await;
        let credit = payment(&app, &w, "80.00", "transfer", "CREDIT-80", None).await;
        let a = c
            .post_from(
                "/remboursements/nouveau",
                "/remboursements",
                &[
                    ("customer_number", &n),
                    ("amount", "30.10"),
                    ("reason", "overpayment"),
                    ("method", "transfer"),
                    ("piece_number", "R-30"),
                ],
            )
            .await;
        let page_uri = a.location().split('?').next().unwrap().to_string();
        let id = id_in(&page_uri, "/remboursements/");
        let page = c.get(&page_uri).await;
        let key = format!("payment_{credit}");
        assert!(page.body.contains(&format!(r#"name="{key}""#)), "the credit is offered: {}", page.body);
        let uri = format!("/remboursements/{id}/imputer");
        let a = c.post_from(&page_uri, &uri, &[(&key, "abc")]).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains(&format!(r#"id="{key}-error""#)), "{}", a.body);
        let a = c.post_from(&page_uri, &uri, &[(&key, "90.00")]).await;
        assert_eq!(a.status, StatusCode::CONFLICT, "more than the refund or the credit has: {}", a.body);
        assert!(a.body.contains(r#"id="form-error""#));
        let a = c.post_from(&page_uri, &uri, &[(&key, "30,10")]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(number(&app, &format!("SELECT amount_open FROM refunds WHERE id = {id}")).await, 0);
        assert_eq!(number(&app, &format!("SELECT amount_open FROM payments WHERE id = {credit}")).await, 4990);
        // Unallocated again: the refund waits, the payment has its credit back.
        let page = c.get(&page_uri).await;
        let alloc = number(&app, &format!("SELECT MIN(id) FROM refund_allocations WHERE refund_id = {id}")).await;
        assert!(page.body.contains(&format!("/remboursements/imputations/{alloc}/desimputer")), "{}", page.body);
        let a = c.post_from(&page_uri, &format!("/remboursements/imputations/{alloc}/desimputer"), &[]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(number(&app, &format!("SELECT amount_open FROM refunds WHERE id = {id}")).await, 3010);
        assert_eq!(number(&app, &format!("SELECT amount_open FROM payments WHERE id = {credit}")).await, 8000);
        assert!(app.check().await.unwrap().is_empty(), "the invariants hold");
    })
    .await;
}

/// The text of the PDF at `uri` (after checking it is one); `None` when poppler is not installed.
async fn pdf_of(c: &User<'_>, uri: &str) -> Option<String> {
    let (status, content_type, bytes) = c.bytes(uri).await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/pdf"), "{uri}");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    crate::pdf::pdf_text(&bytes)
}

#[tokio::test]
async fn the_refund_letter_and_the_deposit_slip_are_pdfs_that_print_their_amounts() {
    on_every_engine(|app, w| async move {
        let c = clerk(&w).await;
        let n = customer_number(&app, &w).await;
        payment(&app, &w, "123.45", "transfer", "CREDIT-123", None).await;
        let a = c
            .post_from(
                "/remboursements/nouveau",
                "/remboursements",
                &[
                    ("customer_number", &n),
                    ("amount", "123.45"),
                    ("reason", "overpayment"),
                    ("method", "transfer"),
                    ("piece_number", "R-123"),
                    ("allocate", "auto"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let id = id_in(a.location(), "/remboursements/");
        let page = c.get(a.location()).await;
        assert!(page.body.contains(&format!("/remboursements/{id}/lettre.pdf")), "{}", page.body);
        if let Some(text) = pdf_of(&c, &format!("/remboursements/{id}/lettre.pdf")).await {
            assert!(text.contains("123,45") || text.contains("123.45"), "{text}");
        }
        // A refund still to allocate has no letter yet.
        let waiting = number(&app, "SELECT MIN(id) FROM refunds WHERE amount_open > 0").await;
        let a = c.get(&format!("/remboursements/{waiting}/lettre.pdf")).await;
        assert_ne!(a.status, StatusCode::OK);
        // A deposit of one cheque: its slip prints the cheque and the total.
        let cheque = payment(&app, &w, "1234.56", "cheque", "CHQ-9", None).await;
        let bank = app.bank_accounts(w.company).await.unwrap()[0].id.to_string();
        let a = c
            .post_from("/remises", "/remises", &[("payment_ids", &cheque.to_string()), ("bank_account_id", &bank)])
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let deposit = id_in(a.location(), "/remises/");
        if let Some(text) = pdf_of(&c, &format!("/remises/{deposit}/bordereau.pdf")).await {
            assert!(text.contains("1 234,56") || text.contains("1,234.56"), "{text}");
            assert!(text.contains("CHQ-9"), "{text}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_deposit_takes_the_ticked_cheques_refuses_a_post_dated_one_on_its_row_and_is_validated_once() {
    on_every_engine(|app, w| async move {
        let c = clerk(&w).await;
        let today = creance_app::clock::today_utc();
        let now = payment(&app, &w, "45.10", "cheque", "CHQ-NOW", None).await;
        let later = payment(&app, &w, "60.00", "cheque", "CHQ-LATER", Some(today.add_days(10).to_string())).await;
        let list = c.get("/remises").await;
        assert!(list.body.contains(&format!(r#"value="{now}""#)), "{}", list.body);
        assert!(!list.body.contains(&format!(r#"value="{later}""#)), "post-dated: hidden by default");
        let future = c.get("/remises?show_future=true").await;
        assert!(future.body.contains(&format!(r#"value="{later}""#)), "shown with the toggle");
        let bank = app.bank_accounts(w.company).await.unwrap()[0].id.to_string();
        // Nothing ticked, then a post-dated cheque: each refusal where it belongs.
        let a = c.post_from("/remises", "/remises", &[("bank_account_id", &bank)]).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains(r#"id="payment_ids-error""#), "{}", a.body);
        let (n, l) = (now.to_string(), later.to_string());
        let form_ = [("payment_ids", n.as_str()), ("payment_ids", l.as_str()), ("bank_account_id", &bank)];
        let mut future_form = form_.to_vec();
        future_form.push(("show_future", "true"));
        let a = c.post_from("/remises?show_future=true", "/remises", &future_form).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("CHQ-LATER") && a.body.contains("tr class=\"invalid\""), "on its row: {}", a.body);
        // Without the toggle the post-dated cheque is not on the page: its refusal is shown above the list.
        let a = c.post_from("/remises?show_future=true", "/remises", &form_).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains(r#"id="form-error""#) && a.body.contains("may not be deposited before"), "{}", a.body);
        let a = c.post_from("/remises", "/remises", &[("payment_ids", &n), ("bank_account_id", "")]).await;
        assert!(a.body.contains(r#"id="bank_account_id-error""#), "{}", a.body);
        let drafts = "SELECT COUNT(*) FROM deposits WHERE status = 'draft'";
        assert_eq!(number(&app, drafts).await, 0, "nothing created");
        // The cheque of today: a draft, its total exact, then validated once.
        let a = c.post_from("/remises", "/remises", &[("payment_ids", &n), ("bank_account_id", &bank)]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let id = id_in(a.location(), "/remises/");
        assert_eq!(number(&app, &format!("SELECT total FROM deposits WHERE id = {id}")).await, 4510);
        let page_uri = format!("/remises/{id}");
        let a = c.post_from(&page_uri, &format!("/remises/{id}/valider"), &[]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let status = format!("SELECT COUNT(*) FROM deposits WHERE id = {id} AND status = 'validated'");
        assert_eq!(number(&app, &status).await, 1);
        let page = c.get(&page_uri).await;
        assert!(!page.body.contains(r#"id="validate-deposit""#), "a validated deposit offers no validation");
        let csrf = csrf_of(&page.body);
        let again = send(
            &w.router,
            "POST",
            &format!("/remises/{id}/valider"),
            Some(&c.cookie),
            &[],
            Some(&format!("csrf={csrf}")),
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(app.check().await.unwrap().is_empty(), "the invariants hold");
        let listed = c.get("/remises/liste").await;
        assert!(listed.body.contains(&page_uri));
    })
    .await;
}

#[tokio::test]
async fn the_advances_list_has_its_totals_per_currency() {
    on_every_engine(|app, w| async move {
        let c = clerk(&w).await;
        let page = c.get("/acomptes").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("CMD-DEMO-"), "the demo's advance: {}", page.body);
        assert!(page.body.contains("<tfoot>") && page.body.contains("Total EUR"), "{}", page.body);
        let _ = app;
    })
    .await;
}

#[tokio::test]
async fn a_read_only_user_sees_no_cash_write_button_and_each_forged_write_is_403() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "reader@example.com", PASSWORD).await.unwrap();
        payment(&app, &w, "45.10", "cheque", "CHQ-RO", None).await;
        let get = |uri: &'static str| {
            let (r, c) = (&w.router, cookie.clone());
            async move { send(r, "GET", uri, Some(&c), &[], None).await }
        };
        let refunds = get("/remboursements").await;
        assert_eq!(refunds.status, StatusCode::OK);
        assert!(!refunds.body.contains(r#"id="new-refund""#));
        let deposits = get("/remises").await;
        assert!(!deposits.body.contains(r#"name="payment_ids""#) && !deposits.body.contains("create-deposit"));
        assert_eq!(get("/remboursements/nouveau").await.status, StatusCode::FORBIDDEN);
        let refund = number(&app, "SELECT MIN(id) FROM refunds").await;
        let page = send(&w.router, "GET", &format!("/remboursements/{refund}"), Some(&cookie), &[], None).await;
        assert!(!page.body.contains("/imputer") && !page.body.contains("desimputer"), "{}", page.body);
        let csrf = csrf_of(&refunds.body);
        let before =
            (number(&app, "SELECT COUNT(*) FROM refunds").await, number(&app, "SELECT COUNT(*) FROM deposits").await);
        for uri in [
            "/remboursements".to_string(),
            format!("/remboursements/{refund}/imputer"),
            "/remboursements/imputations/1/desimputer".to_string(),
            "/remises".to_string(),
            "/remises/1/valider".to_string(),
            "/remises/1/annuler".to_string(),
        ] {
            let body = format!("csrf={csrf}&auto=true&amount=1.00&payment_ids=1&bank_account_id=1");
            let a = send(&w.router, "POST", &uri, Some(&cookie), &[], Some(&body)).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri}: {}", a.body);
        }
        let after =
            (number(&app, "SELECT COUNT(*) FROM refunds").await, number(&app, "SELECT COUNT(*) FROM deposits").await);
        assert_eq!(before, after);
    })
    .await;
}
