//! The Petits soldes screen through HTTP (`Router::oneshot`) on every engine: the extraction with
//! its groups by customer and contract, a re-bill previewed then confirmed once (the small balance
//! closed and the pending charge exactly as the API's use case makes them), its undo reopening the
//! item, another contract chosen when the items' own has ended (the choice refused next to its
//! field first), a write-off offered to a customer without an active contract, a credit deducted
//! (a negative charge), the export holding exactly the extraction's items, a bad filter next to its
//! field, and a read-only user shown no action button and refused every write.

use axum::http::StatusCode;
use creance_app::import::{read_csv, Entity};
use creance_app::payments::{AllocateRequest, LineRequest, RecordPayment};
use creance_app::small_balances::{ChargeQuery, SmallBalanceQuery};
use creance_app::{Actor, App};
use creance_store::testing::TEST_INSTANT;

use crate::web::{csrf_of, user, Web};
use crate::web_reports::{get_bytes, main_of, pdf_text};

/// [`crate::web::on_every_engine`] with this file's small balances.
async fn on_every_engine<F, Fut>(scenario: F)
where
    F: Fn(App, Web, Fixture) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let scenario = &scenario;
    crate::web::on_every_engine(|app, web| async move {
        let f = fixture(&app, web.company).await;
        scenario(app, web, f).await;
    })
    .await
}

/// The small balances of the tests, beside the demo's: `SB1` owes 0.50 of `F-SB1` on its active
/// contract `AB-SB1` and has an unallocated payment of 0.40; `SB2` owes 0.30 of `F-SB2` on its ended
/// contract `AB-SB2-OLD` and has the active `AB-SB2-NEW`; `SB3` owes 0.20 of `F-SB3` and has no
/// contract. All due 30 days ago.
pub(crate) struct Fixture {
    pub(crate) sb1_installment: i64,
    pub(crate) sb2_new_contract: i64,
}

async fn import(app: &App, company: i64, entity: Entity, csv: &str) {
    let (table, errors) = read_csv(csv.as_bytes(), entity);
    let report = app.import(&Actor::new("test", TEST_INSTANT), company, entity, &table, errors).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
}

async fn pay(app: &App, company: i64, customer: &str, amount: &str, installment: Option<i64>) {
    let input = RecordPayment {
        customer_number: Some(customer.into()),
        amount: amount.into(),
        method: "transfer".into(),
        piece_number: format!("VIR {customer} {amount}"),
        date: Some(creance_app::clock::today_utc().add_days(-30).to_string()),
        confirm_duplicate: true,
        allocate: installment
            .map(|i| AllocateRequest::Lines(vec![LineRequest { installment_id: i, amount: Some(amount.into()) }])),
        ..Default::default()
    };
    let actor = Actor::new("test", TEST_INSTANT);
    app.record_payment(&actor, company, &input, creance_app::clock::today_utc()).await.unwrap();
}

async fn installment_of(app: &App, document: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!(
        "SELECT i.id FROM installments i JOIN documents d ON d.id = i.document_id WHERE d.number = '{document}'"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap()
}

pub(crate) async fn fixture(app: &App, company: i64) -> Fixture {
    let today = creance_app::clock::today_utc();
    import(
        app,
        company,
        Entity::Customers,
        "number;name\nSB1;Boulangerie Petit\nSB2;Fromagerie Solde\nSB3;Épicerie Reste\n",
    )
    .await;
    import(
        app,
        company,
        Entity::Contracts,
        "number;customer;status;start_date;end_date\nAB-SB1;SB1;active;2024-01-01;\n\
         AB-SB2-OLD;SB2;ended;2023-01-01;2025-12-31\nAB-SB2-NEW;SB2;active;2026-01-01;\n",
    )
    .await;
    let (date, due) = (today.add_days(-60), today.add_days(-30));
    import(
        app,
        company,
        Entity::Documents,
        &format!(
            "kind;number;customer;date;currency;total;contract;due_date\n\
             invoice;F-SB1;SB1;{date};EUR;100,50;AB-SB1;{due}\n\
             invoice;F-SB2;SB2;{date};EUR;80,30;AB-SB2-OLD;{due}\n\
             invoice;F-SB3;SB3;{date};EUR;50,20;;{due}\n"
        ),
    )
    .await;
    let sb1 = installment_of(app, "F-SB1").await;
    pay(app, company, "SB1", "100.00", Some(sb1)).await;
    pay(app, company, "SB2", "80.00", Some(installment_of(app, "F-SB2").await)).await;
    pay(app, company, "SB3", "50.00", Some(installment_of(app, "F-SB3").await)).await;
    pay(app, company, "SB1", "0.40", None).await;
    let new = sqlx::query_scalar::<_, i64>("SELECT id FROM contracts WHERE number = 'AB-SB2-NEW'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    Fixture { sb1_installment: sb1, sb2_new_contract: new }
}

/// The hidden fields of the form `<form … id="ID" …>…</form>` of a page, as (name, value).
fn hidden_fields(page: &str, form_id: &str) -> Vec<(String, String)> {
    let start = page.find(&format!(r#"id="{form_id}""#)).unwrap_or_else(|| panic!("no form {form_id}: {page}"));
    hidden_in(&page[start..])
}

/// The hidden fields of the first group form of customer `customer` on an extraction page.
fn group_fields(page: &str, customer_id: i64) -> Vec<(String, String)> {
    let needle = format!(r#"name="group.customer_id" value="{customer_id}""#);
    let at = page.find(&needle).unwrap_or_else(|| panic!("no group of customer {customer_id}"));
    hidden_in(&page[page[..at].rfind("<form").unwrap()..])
}

/// The hidden inputs of `html` up to its first `</form>`, as (name, value).
fn hidden_in(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = &html[..html.find("</form>").unwrap()];
    while let Some(at) = rest.find(r#"<input type="hidden" name=""#) {
        rest = &rest[at + r#"<input type="hidden" name=""#.len()..];
        let name = &rest[..rest.find('"').unwrap()];
        let v = &rest[rest.find(r#"value=""#).unwrap() + 7..];
        out.push((name.to_string(), v[..v.find('"').unwrap()].replace("&amp;", "&")));
    }
    out
}

async fn customer_id(app: &App, number: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!("SELECT id FROM customers WHERE number = '{number}'"))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn open_of(app: &App, installment: i64) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!("SELECT amount_open FROM installments WHERE id = {installment}"))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

fn sb_query(customer: &str) -> SmallBalanceQuery {
    SmallBalanceQuery { threshold: Some("1.00".into()), customer_number: Some(customer.into()), ..Default::default() }
}

fn with(mut v: Vec<(String, String)>, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    for (k, x) in extra {
        v.retain(|(n, _)| n != k);
        v.push(((*k).into(), (*x).into()));
    }
    v
}

#[tokio::test]
async fn a_rebill_is_previewed_confirmed_once_moves_the_balance_as_the_api_does_and_is_undone() {
    on_every_engine(|app, w, f| async move {
        let c = user(&w, "clerk@example.com").await;
        let sb1 = customer_id(&app, "SB1").await;
        let today = creance_app::clock::today_utc();
        let page = c.get("/petits-soldes?threshold=1.00&customer_number=SB1").await;
        assert_eq!(page.status, StatusCode::OK, "{}", main_of(&page.body));
        assert!(page.body.contains(r#"aria-current="page">Small balances"#), "the tab is built and current");
        assert!(page.body.contains("AB-SB1 (active)"), "{}", main_of(&page.body));
        assert!(page.body.contains("€0.50"), "{}", main_of(&page.body));
        // What the API's extraction says of this group, before.
        let api = app.small_balances(w.company, &sb_query("SB1"), today).await.unwrap();
        assert_eq!(api.groups.len(), 1);
        assert_eq!(api.groups[0].total.minor(), 50);
        // The preview: the group's figures, nothing written.
        let mut fields = vec![("csrf".to_string(), csrf_of(&page.body))];
        fields.extend(group_fields(&page.body, sb1));
        let preview = c.post("/petits-soldes/actions/apercu", &with(fields, &[("action", "rebill")])).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", main_of(&preview.body));
        assert!(preview.body.contains("To bill on the next invoice"), "{}", main_of(&preview.body));
        assert!(preview.body.contains(r#"id="preview-charge"><strong>€0.50"#), "{}", main_of(&preview.body));
        assert!(preview.body.contains(r#"id="preview-contract">AB-SB1"#), "{}", main_of(&preview.body));
        assert_eq!(open_of(&app, f.sb1_installment).await, 50, "a preview writes nothing");
        // The customer's small credit (0.40) may be deducted too: offered, not taken.
        assert!(preview.body.contains(r#"id="deduct-credits""#), "{}", main_of(&preview.body));
        // Confirm, twice (a double click): one action.
        let confirm = hidden_fields(&preview.body, "confirm-form");
        assert!(confirm.iter().any(|(k, v)| k == "installment_ids" && *v == f.sb1_installment.to_string()));
        let mut confirm_all = confirm.clone();
        confirm_all.push(("reason".into(), "Reste 0,50 sur F-SB1".into()));
        let done = c.post("/petits-soldes/actions", &confirm_all).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", main_of(&done.body));
        let location = done.location().to_string();
        assert!(location.starts_with("/petits-soldes/actions/") && location.ends_with("?done=1"), "{location}");
        let again = c.post("/petits-soldes/actions", &confirm_all).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert!(again.location().contains("again=1"), "{}", again.location());
        let actions: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM small_balance_actions").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(actions, 1, "sent once");
        // The balance moved as the API's use case moves it: the item closed, one pending charge of
        // the group's total on its contract, the customer gone from the extraction.
        assert_eq!(open_of(&app, f.sb1_installment).await, 0);
        let after = app.small_balances(w.company, &sb_query("SB1"), today).await.unwrap();
        assert!(after.groups.is_empty(), "{:?}", after.groups);
        let pending = app
            .rebill_charges(
                w.company,
                &ChargeQuery { status: Some("pending".into()), ..Default::default() },
                creance_app::queries::Page::new(Some(10), None).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(pending.total_count, 1);
        let charge = &pending.items[0];
        assert_eq!((charge.contract_number.as_str(), charge.amount.minor()), ("AB-SB1", 50));
        assert_eq!(charge.sources, "F-SB1");
        assert!(app.check().await.unwrap().is_empty(), "the ledger holds");
        // The action's page, and the pending charges with their undo.
        let shown = c.get(&location).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.body.contains("Action recorded"), "{}", main_of(&shown.body));
        assert!(shown.body.contains(r#"id="charge-status" data-status="pending""#), "{}", main_of(&shown.body));
        assert!(shown.body.contains("Reste 0,50 sur F-SB1"));
        let list = c.get("/petits-soldes?view=charges").await;
        assert!(list.body.contains(&format!(r#"data-charge="{}""#, charge.id)), "{}", main_of(&list.body));
        assert!(list.body.contains("€0.50"));
        // Undo from the action's page: the item open again exactly as before, the charge cancelled.
        let action_id = charge.action_id;
        let mut undo = vec![("csrf".to_string(), csrf_of(&shown.body))];
        undo.extend(hidden_fields(&shown.body, "sb-undo").into_iter().filter(|(k, _)| k == "form_key"));
        let undone = c.post(&format!("/petits-soldes/actions/{action_id}/annulation"), &undo).await;
        assert_eq!(undone.status, StatusCode::SEE_OTHER, "{}", main_of(&undone.body));
        assert!(undone.location().ends_with("?done=undone"));
        assert_eq!(open_of(&app, f.sb1_installment).await, 50);
        let back = app.small_balances(w.company, &sb_query("SB1"), today).await.unwrap();
        assert_eq!(back.groups.len(), 1);
        let charge = app.rebill_charge(w.company, charge.id).await.unwrap();
        assert_eq!(charge.status, "cancelled");
        let page = c.get(undone.location()).await;
        assert!(page.body.contains("Action undone"), "{}", main_of(&page.body));
        assert!(page.body.contains("can no longer be undone"), "{}", main_of(&page.body));
        // A second undo (another form) is refused on the action's page, with the app's reason.
        let again = c
            .post(&format!("/petits-soldes/actions/{action_id}/annulation"), &[("csrf".into(), csrf_of(&page.body))])
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", main_of(&again.body));
        assert!(again.body.contains(r#"id="refusal""#), "{}", main_of(&again.body));
        assert!(app.check().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn an_ended_contract_asks_for_another_and_the_choice_is_checked_next_to_its_field() {
    on_every_engine(|app, w, f| async move {
        let c = user(&w, "clerk@example.com").await;
        let sb2 = customer_id(&app, "SB2").await;
        let page = c.get("/petits-soldes?threshold=1.00&customer_number=SB2").await;
        assert!(page.body.contains("AB-SB2-OLD (ended)"), "{}", main_of(&page.body));
        let mut fields = vec![("csrf".to_string(), csrf_of(&page.body))];
        fields.extend(group_fields(&page.body, sb2));
        let preview = c.post("/petits-soldes/actions/apercu", &with(fields, &[("action", "rebill")])).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", main_of(&preview.body));
        assert!(preview.body.contains("Contract AB-SB2-OLD has ended."), "{}", main_of(&preview.body));
        assert!(preview.body.contains(r#"id="contract-choice""#), "{}", main_of(&preview.body));
        assert!(preview.body.contains(&format!(r#"name="contract_id" value="{}""#, f.sb2_new_contract)));
        // Confirmed without a choice: refused next to the choice, nothing written.
        let mut confirm = hidden_fields(&preview.body, "confirm-form");
        confirm.insert(0, ("csrf".into(), csrf_of(&preview.body)));
        let refused = c.post("/petits-soldes/actions", &confirm).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", main_of(&refused.body));
        assert!(refused.body.contains(r#"id="contract_id-error""#), "{}", main_of(&refused.body));
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM small_balance_actions").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(n, 0);
        // The form shown again carries a new key; with the contract chosen it goes through.
        let mut confirm = hidden_fields(&refused.body, "confirm-form");
        confirm.insert(0, ("csrf".into(), csrf_of(&refused.body)));
        confirm.push(("contract_id".into(), f.sb2_new_contract.to_string()));
        let done = c.post("/petits-soldes/actions", &confirm).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", main_of(&done.body));
        let shown = c.get(done.location()).await;
        assert!(shown.body.contains("AB-SB2-NEW"), "{}", main_of(&shown.body));
        let charges = app
            .rebill_charges(
                w.company,
                &ChargeQuery::default(),
                creance_app::queries::Page::new(Some(10), None).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(charges.items[0].contract_id, f.sb2_new_contract);
        assert_eq!(charges.items[0].amount.minor(), 30);
        assert!(app.check().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_customer_without_an_active_contract_is_offered_the_write_off_and_a_credit_is_deducted() {
    on_every_engine(|app, w, _f| async move {
        let c = user(&w, "clerk@example.com").await;
        let (sb1, sb3) = (customer_id(&app, "SB1").await, customer_id(&app, "SB3").await);
        let page = c.get("/petits-soldes?threshold=1.00&customer_number=SB3").await;
        assert!(page.body.contains("no contract"), "{}", main_of(&page.body));
        let mut fields = vec![("csrf".to_string(), csrf_of(&page.body))];
        fields.extend(group_fields(&page.body, sb3));
        let preview = c.post("/petits-soldes/actions/apercu", &with(fields, &[("action", "rebill")])).await;
        assert!(preview.body.contains(r#"id="no-active-contract""#), "{}", main_of(&preview.body));
        assert!(!preview.body.contains(r#"id="confirm-form""#), "no re-bill to confirm");
        let mut instead = hidden_fields(&preview.body, "write-off-instead");
        instead.insert(0, ("csrf".into(), csrf_of(&preview.body)));
        let wo = c.post("/petits-soldes/actions/apercu", &instead).await;
        assert_eq!(wo.status, StatusCode::OK, "{}", main_of(&wo.body));
        assert!(wo.body.contains("Preview: write off"), "{}", main_of(&wo.body));
        let confirm = hidden_fields(&wo.body, "confirm-form");
        let done = c.post("/petits-soldes/actions", &with(confirm, &[("csrf", &csrf_of(&wo.body))])).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", main_of(&done.body));
        let shown = c.get(done.location()).await;
        assert!(shown.body.contains(r#"id="action-kind">write-off"#), "{}", main_of(&shown.body));
        assert!(shown.body.contains("No charge (a write-off)."));
        // SB1's credit of 0.40 in its favour: deducted on its next invoice (a negative charge).
        let credits = c.get("/petits-soldes?view=credits&threshold=1.00&customer_number=SB1").await;
        assert!(credits.body.contains("€0.40"), "{}", main_of(&credits.body));
        let mut fields = vec![("csrf".to_string(), csrf_of(&credits.body))];
        fields.extend(group_fields(&credits.body, sb1));
        let preview = c.post("/petits-soldes/actions/apercu", &with(fields, &[("action", "rebill")])).await;
        assert!(preview.body.contains("To deduct on the next invoice"), "{}", main_of(&preview.body));
        assert!(preview.body.contains(r#"id="preview-charge"><strong>€0.40"#), "{}", main_of(&preview.body));
        // A payment has no contract: the customer's only active one is proposed, already chosen.
        let radio = r#"<input type="radio" name="contract_id" value=""#;
        let at = preview.body.find(radio).expect("a contract to choose") + radio.len();
        let contract = preview.body[at..].split('"').next().unwrap().to_string();
        assert!(preview.body[at..].split('>').next().unwrap().contains("checked"), "the only one is checked");
        let mut confirm = hidden_fields(&preview.body, "confirm-form");
        confirm.push(("contract_id".into(), contract));
        let done = c.post("/petits-soldes/actions", &with(confirm, &[("csrf", &csrf_of(&preview.body))])).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", main_of(&done.body));
        let shown = c.get(done.location()).await;
        assert!(
            shown.body.contains(r#"id="charge-amount">"#) && shown.body.contains("0.40"),
            "{}",
            main_of(&shown.body)
        );
        let all = app
            .rebill_charges(
                w.company,
                &ChargeQuery::default(),
                creance_app::queries::Page::new(Some(10), None).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(all.items.iter().map(|c| c.amount.minor()).collect::<Vec<_>>(), vec![-40], "a deduction");
        let actions = c.get("/petits-soldes?view=actions").await;
        assert!(actions.body.contains("write-off") && actions.body.contains("re-bill"), "{}", main_of(&actions.body));
        assert!(app.check().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_export_holds_exactly_the_items_of_the_extraction_and_a_bad_filter_is_shown_next_to_its_field() {
    on_every_engine(|app, w, _f| async move {
        let c = user(&w, "clerk@example.com").await;
        let today = creance_app::clock::today_utc();
        let q = SmallBalanceQuery { threshold: Some("1.00".into()), ..Default::default() };
        let s = app.small_balances(w.company, &q, today).await.unwrap();
        let items: Vec<String> =
            s.groups.iter().chain(&s.credits).flat_map(|g| g.items.iter().map(|i| i.reference.clone())).collect();
        assert!(items.len() >= 4, "{items:?}");
        let (status, content_type, csv) =
            get_bytes(&w.router, &c.cookie, "/petits-soldes/export?threshold=1.00&format=csv").await;
        assert_eq!((status, content_type.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
        let csv = String::from_utf8(csv).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), items.len() + 1, "{csv}");
        for (line, reference) in lines[1..].iter().zip(&items) {
            assert!(line.contains(reference.as_str()), "{line} / {reference}");
        }
        let (status, content_type, pdf) =
            get_bytes(&w.router, &c.cookie, "/petits-soldes/export?threshold=1.00&format=pdf").await;
        assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/pdf"));
        if let Some(text) = pdf_text(&pdf) {
            for r in ["F-SB1", "F-SB2", "F-SB3"] {
                assert!(text.contains(r), "{r} in {text}");
            }
        }
        // The pending charges export (none yet: the header alone).
        let (status, _, csv) = get_bytes(&w.router, &c.cookie, "/petits-soldes/export?view=charges&format=csv").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 1);
        // Bad filters: next to their fields, no list.
        for (uri, error_id) in [
            ("/petits-soldes?older_than_days=abc", "older_than_days-error"),
            ("/petits-soldes?threshold=1.234", "threshold-error"),
            ("/petits-soldes?customer_number=NO-SUCH", "customer_number-error"),
            ("/petits-soldes?currency=EURO", "currency-error"),
            ("/petits-soldes/export?format=csv&threshold=-1", "threshold-error"),
        ] {
            let a = c.get(uri).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
            assert!(a.body.contains(&format!(r#"id="{error_id}""#)), "{uri}: {}", a.body);
            assert!(a.body.contains(r#"aria-invalid="true""#), "{uri}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_reader_sees_no_action_button_and_every_write_is_refused() {
    on_every_engine(|app, w, f| async move {
        let r = user(&w, "reader@example.com").await;
        let sb1 = customer_id(&app, "SB1").await;
        let page = r.get("/petits-soldes?threshold=1.00").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&format!(r#"data-customer="{sb1}""#)), "the reader sees the groups");
        assert!(!page.body.contains("group-actions"), "no action button for a reader");
        let csrf = csrf_of(&page.body);
        let group = vec![
            ("csrf".to_string(), csrf.clone()),
            ("action".to_string(), "rebill".to_string()),
            ("group.customer_id".to_string(), sb1.to_string()),
            ("group.contract_id".to_string(), "1".to_string()),
        ];
        let a = r.post("/petits-soldes/actions/apercu", &group).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        let direct = vec![
            ("csrf".to_string(), csrf.clone()),
            ("action".to_string(), "write_off".to_string()),
            ("installment_ids".to_string(), f.sb1_installment.to_string()),
        ];
        let a = r.post("/petits-soldes/actions", &direct).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        let a = r.post("/petits-soldes/actions/1/annulation", &[("csrf".to_string(), csrf)]).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(open_of(&app, f.sb1_installment).await, 50, "nothing changed");
        // Without the CSRF token, even a clerk changes nothing.
        let c = user(&w, "clerk@example.com").await;
        let a = c.post("/petits-soldes/actions", &direct[1..]).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(open_of(&app, f.sb1_installment).await, 50);
        let actions = r.get("/petits-soldes?view=actions").await;
        assert!(actions.body.contains("No small-balance action yet."), "{}", main_of(&actions.body));
    })
    .await;
}

#[tokio::test]
async fn a_rebill_may_deduct_the_customers_small_credits_too_and_bills_the_difference() {
    on_every_engine(|app, w, f| async move {
        let c = user(&w, "clerk@example.com").await;
        let sb1 = customer_id(&app, "SB1").await;
        let page = c.get("/petits-soldes?threshold=1.00&customer_number=SB1").await;
        let mut fields = vec![("csrf".to_string(), csrf_of(&page.body))];
        fields.extend(group_fields(&page.body, sb1));
        let preview = c.post("/petits-soldes/actions/apercu", &with(fields, &[("action", "rebill")])).await;
        let mut deduct = hidden_fields(&preview.body, "include-credits");
        deduct.insert(0, ("csrf".into(), csrf_of(&preview.body)));
        let both = c.post("/petits-soldes/actions/apercu", &deduct).await;
        assert_eq!(both.status, StatusCode::OK, "{}", main_of(&both.body));
        assert!(both.body.contains(r#"id="preview-debits">€0.50"#), "{}", main_of(&both.body));
        assert!(both.body.contains(r#"id="preview-credits">€0.40"#), "{}", main_of(&both.body));
        assert!(both.body.contains(r#"id="preview-charge"><strong>€0.10"#), "{}", main_of(&both.body));
        assert!(!both.body.contains(r#"id="include-credits""#), "the credits are in already");
        let confirm = hidden_fields(&both.body, "confirm-form");
        let done = c.post("/petits-soldes/actions", &with(confirm, &[("csrf", &csrf_of(&both.body))])).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", main_of(&done.body));
        assert_eq!(open_of(&app, f.sb1_installment).await, 0);
        let today = creance_app::clock::today_utc();
        let left = app.small_balances(w.company, &sb_query("SB1"), today).await.unwrap();
        assert!(left.groups.is_empty() && left.credits.is_empty(), "debit and credit both closed");
        let charges = app
            .rebill_charges(
                w.company,
                &ChargeQuery::default(),
                creance_app::queries::Page::new(Some(10), None).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            charges.items.iter().map(|c| (c.contract_number.as_str(), c.amount.minor())).collect::<Vec<_>>(),
            vec![("AB-SB1", 10)]
        );
        assert!(app.check().await.unwrap().is_empty());
    })
    .await;
}
