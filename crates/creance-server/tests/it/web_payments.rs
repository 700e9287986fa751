//! The Règlements screen driven through HTTP (`Router::oneshot`) on every engine: each refusal of the
//! payment form next to the field it names, a POST without the CSRF token refused, a read-only user
//! refused and shown no write button, the duplicate warning, and the allocation window's amounts
//! exact to the cent in the database (a second submission of the same form changing nothing and
//! saying so, an over-allocation and another currency refused), and the lists' totals per currency
//! those of the whole list, not of the page.

use axum::http::StatusCode;
use creance_app::import::{read_csv, Entity};
use creance_app::payments::RecordPayment;
use creance_app::query_args::OpenItemArgs;
use creance_app::{Actor, App};
use creance_core::{Currency, Language, Money, MoneyTotal};
use creance_server::web::format::{count, total};
use creance_store::testing::TEST_INSTANT;

use crate::web::{csrf_of, hidden_of, login, on_every_engine, on_every_engine_in, send, Answer, PASSWORD};

async fn installment_open(app: &App, id: i64) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!("SELECT amount_open FROM installments WHERE id = {id}"))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn payments_count(app: &App) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM payments").fetch_one(app.db.pool()).await.unwrap()
}

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

/// The form's fields, urlencoded, with `extra` appended.
fn payment_form(csrf: &str, customer: &str, amount: &str, extra: &str) -> String {
    format!(
        "csrf={csrf}&form_key={}&date=&deposit_date=&deposit_bank_id=&customer_number={customer}&customer_bank=-&method=transfer&piece_number=VIR-77&amount={amount}{extra}",
        creance_app::users::login_form_token().unwrap()
    )
}

/// The payment id a successful recording leads to.
fn recorded_id(a: &Answer) -> i64 {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let rest = a.location().strip_prefix("/reglements/").expect("to the payment's page");
    rest[..rest.find('?').unwrap()].parse().unwrap()
}

#[tokio::test]
async fn the_payment_form_is_prefilled_from_the_url_and_shows_each_refusal_next_to_its_field() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let (id, number) = eur_customer(&app, w.company).await;
        let page = send(
            &w.router,
            "GET",
            &format!("/reglements/nouveau?customer_id={id}&amount=12.34"),
            Some(&cookie),
            &[],
            None,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(&format!(r#"name="customer_number" value="{number}""#)), "{}", page.body);
        assert!(page.body.contains(r#"name="amount" value="12.34""#));
        // The date defaults to today, from the request's instant, as the user reads dates.
        let today = creance_server::web::format::date(creance_app::clock::today_utc(), Language::En);
        assert!(page.body.contains(&format!(r#"name="date" value="{today}""#)));
        let csrf = csrf_of(&page.body);
        let before = payments_count(&app).await;
        // Each bad field is refused with its message in that field's block; nothing is recorded.
        for (form, field) in [
            (payment_form(&csrf, &number, "abc", ""), "amount"),
            (payment_form(&csrf, &number, "-5", ""), "amount"),
            (payment_form(&csrf, "NOPE-404", "10.00", ""), "customer_number"),
            (payment_form(&csrf, &number, "10.00", "&date=2026-02-30"), "date"),
            (payment_form(&csrf, &number, "10.00", "&deposit_date=2026-03-01"), "deposit_date"),
            (payment_form(&csrf, &number, "10.00", "&deposit_bank_id=x"), "deposit_bank_id"),
            (payment_form(&csrf, &number, "10.00", "").replace("method=transfer", "method=bogus"), "method"),
        ] {
            let a = send(&w.router, "POST", "/reglements/nouveau", Some(&cookie), &[], Some(&form)).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", a.body);
            let block = format!(r#"data-field="{field}""#);
            let at = a.body.find(&block).unwrap_or_else(|| panic!("{field}: no block"));
            let error = a.body.find(&format!(r#"id="{field}-error""#)).unwrap_or_else(|| panic!("{field}: no error"));
            assert!(error > at && !a.body[at + 1..error].contains("data-field="), "{field}: the error is in its block");
            assert!(a.body.contains(r#"name="piece_number" value="VIR-77""#), "{field}: the values are kept");
        }
        assert_eq!(payments_count(&app).await, before);
        // An unknown customer id in the URL is said next to the customer field.
        let page = send(&w.router, "GET", "/reglements/nouveau?customer_id=999999", Some(&cookie), &[], None).await;
        assert!(page.body.contains(r#"id="customer_number-error""#), "{}", page.body);
    })
    .await;
}

#[tokio::test]
async fn a_user_reading_french_reads_each_refusal_of_the_form_and_the_allocation_window_in_french() {
    on_every_engine_in(Language::Fr, |app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let (_, number) = eur_customer(&app, w.company).await;
        let page = send(&w.router, "GET", "/reglements/nouveau", Some(&cookie), &[], None).await;
        let csrf = csrf_of(&page.body);
        for (form, said) in [
            (
                payment_form(&csrf, &number, "12,3,4", ""),
                "« 12,3,4 » n'est pas un montant valide : les groupes de milliers doivent avoir 3 chiffres",
            ),
            (payment_form(&csrf, &number, "-5", ""), "« -5 » doit être supérieur à zéro"),
            (payment_form(&csrf, "NOPE-404", "10.00", ""), "aucun client NOPE-404 dans cette société"),
            (
                payment_form(&csrf, &number, "10.00", "&date=30/02/2026"),
                "« 30/02/2026 » n'est pas une date valide : ce jour n'existe pas dans ce mois",
            ),
            (
                payment_form(&csrf, &number, "10.00", "&deposit_date=2026-03-01"),
                "les règlements par transfer ne se remettent pas en banque",
            ),
            (
                payment_form(&csrf, &number, "10.00", "").replace("method=transfer", "method=bogus"),
                "« bogus » n'est pas un mode de règlement de cette société",
            ),
        ] {
            let a = send(&w.router, "POST", "/reglements/nouveau", Some(&cookie), &[], Some(&form)).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{said}: {}", a.body);
            assert!(a.body.contains(said), "{said}: {}", a.body);
        }
        // The allocation window: more than the installment has open, in French with French amounts.
        let form = payment_form(&csrf, &number, "1000000,00", "");
        let id = recorded_id(&send(&w.router, "POST", "/reglements/nouveau", Some(&cookie), &[], Some(&form)).await);
        let window = send(&w.router, "GET", &format!("/reglements/{id}"), Some(&cookie), &[], None).await;
        let at = window.body.find(r#"name="amount_"#).expect("a proposal line");
        let rest = &window.body[at + r#"name="amount_"#.len()..];
        let installment = &rest[..rest.find('"').unwrap()];
        let key = hidden_of(&window.body[window.body.find(r#"id="allocation""#).unwrap()..], "form_key");
        let over = format!("csrf={csrf}&form_key={key}&amount_{installment}=999999,00");
        let uri = format!("/reglements/{id}/imputation");
        let a = send(&w.router, "POST", &uri, Some(&cookie), &[], Some(&over)).await;
        assert!(a.body.contains("dépasse son montant ouvert"), "{}", a.body);
        assert!(a.body.contains("999\u{202f}999,00\u{a0}€"), "{}", a.body);
        assert!(!a.body.contains("more than its open amount"), "{}", a.body);
    })
    .await;
}

#[tokio::test]
async fn a_credit_note_is_listed_to_allocate_and_allocated_and_unallocated_from_its_own_window() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let (_, number) = eur_customer(&app, w.company).await;
        let csv = format!(
            "kind;number;customer;date;currency;total;due_date\ncredit_note;AV-77;{number};2026-01-05;EUR;30.00;2026-01-05\n"
        );
        let (table, errors) = read_csv(csv.as_bytes(), Entity::Documents);
        assert!(errors.is_empty(), "{errors:?}");
        app.import_documents(&Actor::new("test", TEST_INSTANT), w.company, &table).await.unwrap();
        let note: i64 = sqlx::query_scalar("SELECT id FROM documents WHERE number = 'AV-77'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        // It is in the "credit notes to allocate" list, with its amount positive and a link to its window.
        let list = send(&w.router, "GET", "/reglements?list=credit_notes", Some(&cookie), &[], None).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let row = &list.body[list.body.find(&format!(r#"data-document="{note}""#)).expect("AV-77 listed")..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains(&format!(r#"href="/reglements/avoirs/{note}""#)) && row.contains("30.00"), "{row}");
        // Its window proposes the customer's open debits; 12.34 is allocated to the first.
        let window = send(&w.router, "GET", &format!("/reglements/avoirs/{note}"), Some(&cookie), &[], None).await;
        assert_eq!(window.status, StatusCode::OK, "{}", window.body);
        assert!(window.body.contains("Credit note AV-77") && window.body.contains("Allocate the credit note"), "{}", window.body);
        let at = window.body.find(r#"name="amount_"#).expect("an open debit in the window");
        let rest = &window.body[at + r#"name="amount_"#.len()..];
        let installment: i64 = rest[..rest.find('"').unwrap()].parse().unwrap();
        let open_before = installment_open(&app, installment).await;
        let csrf = csrf_of(&window.body);
        let key = hidden_of(&window.body[window.body.find(r#"id="allocation""#).unwrap()..], "form_key");
        let form = format!("csrf={csrf}&form_key={key}&amount_{installment}=12.34");
        let uri = format!("/reglements/avoirs/{note}/imputation");
        let a = send(&w.router, "POST", &uri, Some(&cookie), &[], Some(&form)).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(a.location(), format!("/reglements/avoirs/{note}?allocated=1"));
        let allocations = app.credit_note_allocations(w.company, note).await.unwrap();
        assert_eq!(allocations.len(), 1);
        assert_eq!(allocations[0].amount, Money::new(1234, Currency::EUR));
        assert_eq!(allocations[0].installment_id, installment);
        assert_eq!(installment_open(&app, installment).await, open_before - 1234);
        assert_eq!(app.document(w.company, note).await.unwrap().amount_open, Money::new(1766, Currency::EUR));
        // The window shows it allocated, with 17.66 left; unallocating puts both sides back.
        let page = send(&w.router, "GET", a.location(), Some(&cookie), &[], None).await;
        assert!(page.body.contains(r#"<dd id="unallocated">€17.66"#), "{}", page.body);
        let key = hidden_of(&page.body[page.body.find(r#"id="allocated-lines""#).unwrap()..], "form_key");
        let form = format!("csrf={csrf}&form_key={key}&allocation_id={}", allocations[0].id);
        let uri = format!("/reglements/avoirs/{note}/desaffectation");
        let a = send(&w.router, "POST", &uri, Some(&cookie), &[], Some(&form)).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(installment_open(&app, installment).await, open_before);
        assert_eq!(app.document(w.company, note).await.unwrap().amount_open, Money::new(3000, Currency::EUR));
        // An invoice is not a credit note's window.
        let invoice = allocations[0].document_id;
        let page = send(&w.router, "GET", &format!("/reglements/avoirs/{invoice}"), Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", page.body);
    })
    .await;
}

#[tokio::test]
async fn a_post_without_the_csrf_token_or_from_a_read_only_user_is_refused_and_records_nothing() {
    on_every_engine(|app, w| async move {
        let (_, number) = eur_customer(&app, w.company).await;
        let clerk = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let before = payments_count(&app).await;
        let form = payment_form("", &number, "10.00", "").replacen("csrf=&", "", 1);
        let a = send(&w.router, "POST", "/reglements/nouveau", Some(&clerk), &[], Some(&form)).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        let a = send(&w.router, "POST", "/reglements/affectation-auto", Some(&clerk), &[], Some("confirm=1")).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(payments_count(&app).await, before);
        // A read-only user: no write button on the list, and a 403 on every write it tries.
        let reader = login(&w.router, "reader@example.com", PASSWORD).await.unwrap();
        let list = send(&w.router, "GET", "/reglements", Some(&reader), &[], None).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(!list.body.contains(r#"href="/reglements/nouveau""#) && !list.body.contains(r#"id="batch""#));
        let csrf = csrf_of(&list.body);
        let form = payment_form(&csrf, &number, "10.00", "");
        let a = send(&w.router, "POST", "/reglements/nouveau", Some(&reader), &[], Some(&form)).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        let a =
            send(&w.router, "POST", "/reglements/affectation-auto", Some(&reader), &[], Some(&format!("csrf={csrf}")))
                .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(payments_count(&app).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_likely_duplicate_shows_the_earlier_payment_and_is_recorded_once_confirmed() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let (_, number) = eur_customer(&app, w.company).await;
        let page = send(&w.router, "GET", "/reglements/nouveau", Some(&cookie), &[], None).await;
        let csrf = csrf_of(&page.body);
        let first = send(
            &w.router,
            "POST",
            "/reglements/nouveau",
            Some(&cookie),
            &[],
            Some(&payment_form(&csrf, &number, "41.10", "")),
        )
        .await;
        let first_id = recorded_id(&first);
        let earlier = app.payment(w.company, first_id).await.unwrap().payment;
        let again = send(
            &w.router,
            "POST",
            "/reglements/nouveau",
            Some(&cookie),
            &[],
            Some(&payment_form(&csrf, &number, "41.10", "")),
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(again.body.contains(r#"id="duplicate""#) && again.body.contains(&earlier.number), "{}", again.body);
        let before = payments_count(&app).await;
        let confirmed = send(
            &w.router,
            "POST",
            "/reglements/nouveau",
            Some(&cookie),
            &[],
            Some(&payment_form(&csrf, &number, "41.10", "&confirm_duplicate=1")),
        )
        .await;
        assert_ne!(recorded_id(&confirmed), first_id);
        assert_eq!(payments_count(&app).await, before + 1);
    })
    .await;
}

#[tokio::test]
async fn the_allocation_window_allocates_exactly_to_the_cent_once_and_refuses_too_much_or_another_currency() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let (customer, number) = eur_customer(&app, w.company).await;
        let page = send(&w.router, "GET", "/reglements/nouveau", Some(&cookie), &[], None).await;
        let csrf = csrf_of(&page.body);
        let a = send(
            &w.router,
            "POST",
            "/reglements/nouveau",
            Some(&cookie),
            &[],
            Some(&payment_form(&csrf, &number, "100.01", "")),
        )
        .await;
        let id = recorded_id(&a);
        let window = app.allocation_window(w.company, creance_app::payments::CreditRef::Payment(id)).await.unwrap();
        let target = window.debits[0].clone();
        let page = send(&w.router, "GET", &format!("/reglements/{id}?recorded=1"), Some(&cookie), &[], None).await;
        assert!(page.body.contains(r#"id="allocation""#), "{}", page.body);
        assert!(page.body.contains(&format!(r#"name="amount_{}""#, target.installment_id)));
        let key = hidden_of(&page.body[page.body.find(r#"id="allocation""#).unwrap()..], "form_key");
        // 33.33 of 100.01 to the first installment; an empty or zero amount elsewhere is no line.
        let form = format!("csrf={csrf}&form_key={key}&amount_{}=33.33&amount_999999999=0,00", target.installment_id);
        let uri = format!("/reglements/{id}/imputation");
        let a = send(&w.router, "POST", &uri, Some(&cookie), &[], Some(&form)).await;
        assert_eq!(
            (a.status, a.location()),
            (StatusCode::SEE_OTHER, format!("/reglements/{id}?allocated=1").as_str()),
            "{}",
            a.body
        );
        // The same form again (a double click) goes to the same place, saying that it did nothing, and
        // allocates nothing more.
        let again = send(&w.router, "POST", &uri, Some(&cookie), &[], Some(&form)).await;
        assert_eq!(
            (again.status, again.location()),
            (StatusCode::SEE_OTHER, format!("{}&again=1", a.location()).as_str())
        );
        let shown = send(&w.router, "GET", again.location(), Some(&cookie), &[], None).await;
        assert!(shown.body.contains("This form was sent already"), "{}", shown.body);
        let detail = app.payment(w.company, id).await.unwrap();
        let active: Vec<_> = detail.allocations.iter().filter(|a| a.is_active()).collect();
        assert_eq!(active.len(), 1);
        assert_eq!(active[0].amount, Money::new(3333, Currency::EUR));
        assert_eq!(active[0].installment_id, target.installment_id);
        assert_eq!(detail.payment.unallocated, Money::new(10_001 - 3333, Currency::EUR));
        let after = app.allocation_window(w.company, creance_app::payments::CreditRef::Payment(id)).await.unwrap();
        assert_eq!(after.targets_open[&target.installment_id].minor(), target.amount_open.minor() - 3333);
        let violations = app.check().await.unwrap();
        assert!(violations.is_empty(), "{violations:?}");
        // More than the payment has left: refused, shown in the window, nothing written.
        let page = send(&w.router, "GET", &format!("/reglements/{id}"), Some(&cookie), &[], None).await;
        let key = hidden_of(&page.body[page.body.find(r#"id="allocation""#).unwrap()..], "form_key");
        let too_much = format!("csrf={csrf}&form_key={key}&amount_{}=5000.00", target.installment_id);
        let a = send(&w.router, "POST", &uri, Some(&cookie), &[], Some(&too_much)).await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains(r#"class="refusal""#) && a.body.contains("5000.00 EUR"), "{}", a.body);
        assert!(a.body.contains(r#"value="5000.00""#), "what was typed is shown again");
        // An installment in another currency of the same customer: refused on the lines.
        let csv =
            format!("number;customer;date;currency;total;due_date\nFCHF-1;{number};2026-01-05;CHF;50.00;2026-02-05\n");
        let (table, errors) = read_csv(csv.as_bytes(), Entity::Documents);
        assert!(errors.is_empty(), "{errors:?}");
        app.import_documents(&Actor::new("test", TEST_INSTANT), w.company, &table).await.unwrap();
        let args = OpenItemArgs {
            customer_id: Some(customer.to_string()),
            currency: Some("CHF".into()),
            ..Default::default()
        };
        let (filter, sorts, p) = args.parse(TEST_INSTANT.date()).unwrap();
        let chf = app.open_items(w.company, &filter, &sorts, p).await.unwrap().items.remove(0).installment_id;
        let page = send(&w.router, "GET", &format!("/reglements/{id}"), Some(&cookie), &[], None).await;
        let key = hidden_of(&page.body[page.body.find(r#"id="allocation""#).unwrap()..], "form_key");
        let other = format!("csrf={csrf}&form_key={key}&amount_{chf}=10.00");
        let a = send(&w.router, "POST", &uri, Some(&cookie), &[], Some(&other)).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains("cannot be allocated from a EUR credit"), "{}", a.body);
        assert_eq!(app.payment(w.company, id).await.unwrap().payment.unallocated, Money::new(6668, Currency::EUR));
    })
    .await;
}

/// The footer of a payment list page, from its `<tfoot>` to its end.
fn footer(page: &str) -> &str {
    let at = page.find(r#"<tfoot id="payment-totals">"#).unwrap_or_else(|| panic!("no totals: {page}"));
    let end = page[at..].find("</tfoot>").unwrap();
    &page[at..at + end]
}

#[tokio::test]
async fn the_list_to_allocate_shows_the_totals_per_currency_of_the_whole_list_and_the_allocated_one_pages_newest_first()
{
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        // More payments to allocate than a page holds (50): the totals are not the page's.
        let actor = Actor::new("test", TEST_INSTANT);
        for n in 0..55 {
            let input = RecordPayment {
                customer_id: Some(w.customer),
                amount: format!("1.{:02}", n + 1).as_str().into(),
                method: "transfer".into(),
                piece_number: format!("TOT-{n}"),
                confirm_duplicate: true,
                ..Default::default()
            };
            app.record_payment(&actor, w.company, &input, TEST_INSTANT.date()).await.unwrap();
        }
        // The fully allocated payments are a list that grows with the years: newest first, paged
        // without a count or totals.
        let sql = format!(
            "SELECT p.number FROM payments p WHERE p.company_id = {} AND p.amount_open = 0 ORDER BY p.date DESC, p.id DESC",
            w.company
        );
        let numbers: Vec<String> = sqlx::query_scalar(&sql).fetch_all(app.db.pool()).await.unwrap();
        assert!(!numbers.is_empty(), "the demo has fully allocated payments");
        let page = send(&w.router, "GET", "/reglements?list=allocated", Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(!page.body.contains("payment-totals"), "{}", page.body);
        let shown: Vec<&str> = page.body.match_indices(r#"<tr><td><a href="/reglements/"#).map(|(i, _)| {
            let rest = &page.body[i..];
            let start = rest.find("\">").unwrap() + 2;
            &rest[start..start + rest[start..].find('<').unwrap()]
        })
        .collect();
        assert_eq!(shown, numbers.iter().take(50).map(String::as_str).collect::<Vec<_>>());
        assert_eq!(page.body.contains(r#"rel="next""#), numbers.len() > 50);
        for (list, condition) in [("/reglements", "p.amount_open > 0 AND p.status = 'active'")] {
            // What the list selects, summed in SQL apart from the app.
            let sql = format!(
                "SELECT p.currency, CAST(COUNT(*) AS BIGINT), CAST(SUM(p.amount) AS BIGINT), CAST(SUM(p.amount_open) AS BIGINT) \
                 FROM payments p WHERE p.company_id = {} AND {condition} GROUP BY p.currency ORDER BY p.currency",
                w.company
            );
            let expected: Vec<(String, i64, i64, i64)> = sqlx::query_as(&sql).fetch_all(app.db.pool()).await.unwrap();
            assert!(!expected.is_empty(), "{list}: the demo has some");
            let rows: i64 = expected.iter().map(|e| e.1).sum();
            let first = send(&w.router, "GET", list, Some(&cookie), &[], None).await;
            assert_eq!(first.status, StatusCode::OK, "{}", first.body);
            let foot = footer(&first.body);
            assert!(!foot.contains("Page total"), "{foot}");
            for (code, n, amount, open) in &expected {
                let c = Currency::parse(code).unwrap();
                let line = format!("Total {code} · {}", count(*n, Language::En));
                assert!(foot.contains(&line), "{list}: {line} in {foot}");
                for sum in [amount, open] {
                    let text = total(MoneyTotal::new(i128::from(*sum), c), Language::En);
                    assert!(foot.contains(&format!(r#"<td class="num">{text}</td>"#)), "{list}: {text} in {foot}");
                }
            }
            // The next page, when there is one, shows the same totals.
            if rows > 50 {
                let sep = if list.contains('?') { '&' } else { '?' };
                let next = send(&w.router, "GET", &format!("{list}{sep}offset=50"), Some(&cookie), &[], None).await;
                assert_eq!(footer(&next.body), foot, "{list}");
            } else {
                panic!("{list}: the list to allocate has more than a page");
            }
        }
    })
    .await;
}
