//! The Rapports screen in the browser: the aging report from its tab, its as-of date changed (the
//! ledger as it stood then), a customer's statement opened from its row and another typed in by
//! keyboard, DSO; a read-only user reads them all.

use creance_app::reports::AgingArgs;
use serde_json::json;

use super::{demo_db, Browser, ENTER};
use crate::web::PASSWORD;

#[tokio::test]
async fn read_the_aging_report_change_the_as_of_date_and_open_a_customer_statement() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let today = creance_app::clock::today_utc();
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("nav.tabs").await;
    let tab = b.find("nav.tabs a[href='/rapports']").await;
    b.click(&tab).await;
    b.wait_for("#aging").await;
    assert_eq!(b.path().await, "/rapports/balance-agee");
    let r = b.app.aging_report(company, &AgingArgs::default(), today).await.unwrap();
    let eur = r.totals.iter().find(|t| t.currency.code() == "EUR").unwrap();
    let words =
        creance_render::locale::total(eur.balance, creance_render::locale::Locale::FR).replace('\u{202f}', "\u{a0}");
    let foot = b.text_of("#aging-totals tr[data-currency='EUR']").await.replace('\u{202f}', "\u{a0}");
    assert!(foot.replace('\u{a0}', " ").contains(&words.replace('\u{a0}', " ")), "{foot} / {words}");
    let align = b.execute("return getComputedStyle(document.querySelector('#aging td.num')).textAlign", vec![]).await;
    assert_eq!(align.as_str(), Some("right"));
    b.screenshot("ui_aging.png").await;
    // Another date: the report as the ledger stood then.
    let past = today.add_days(-90);
    b.execute("document.querySelector('#f-as_of').value = arguments[0];", vec![json!(past.to_string())]).await;
    let apply = b.find("#apply").await;
    b.submit(&apply).await;
    let started = std::time::Instant::now();
    while !b.path().await.contains(&format!("as_of={past}")) && started.elapsed().as_secs() < 10 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(b.path().await.contains(&format!("as_of={past}")), "{}", b.path().await);
    b.wait_for("#aging-summary").await;
    assert!(b.text_of("#aging-summary").await.contains("tel qu’il était"), "{}", b.text_of("#aging-summary").await);
    // A customer's statement from its row, up to the report's date.
    let first = b.find("#aging tbody tr td a").await;
    let number = b.text(&first).await;
    b.click(&first).await;
    b.wait_for("#statement-of").await;
    assert!(b.text_of("#statement-of").await.contains(&number));
    assert!(b.path().await.contains(&format!("to={past}")), "{}", b.path().await);
    // Another customer typed in, Enter: its statement to today.
    let other = r.rows.iter().rev().find(|l| l.customer_number != number).unwrap().customer_number.clone();
    b.goto("/rapports/releve").await;
    b.wait_for("#statement-choose").await;
    let field = b.find("#f-customer").await;
    b.type_into(&field, &format!("{other}{ENTER}")).await;
    b.wait_for("#statement-of").await;
    assert!(b.text_of("#statement-of").await.contains(&other));
    assert!(b.try_find("table.statement-lines").await.is_some());
    b.screenshot("ui_statement.png").await;
    b.goto("/rapports/dso").await;
    b.wait_for("#dso").await;
    assert!(b.text_of("#dso-totals").await.contains("Société"));
    b.screenshot("ui_dso.png").await;
    b.finish().await;
}

#[tokio::test]
async fn a_read_only_user_reads_every_report() {
    let (db, _company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in("reader@example.com", PASSWORD).await;
    b.wait_for("nav.tabs").await;
    for (path, css) in
        [("/rapports/balance-agee", "#aging"), ("/rapports/dso", "#dso"), ("/rapports/releve", "#statement-choose")]
    {
        b.goto(path).await;
        b.wait_for(css).await;
        assert!(b.try_find("form[method='post'] button.primary").await.is_none(), "no write on {path}");
    }
    b.finish().await;
}
