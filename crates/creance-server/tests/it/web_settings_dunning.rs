//! Paramètres › relances et intérêts through HTTP (`Router::oneshot`) on every engine, over the demo:
//! an admin edits a level's delay and fee and the policy the app reads changes; a bad delay, a
//! delay that is no number and an amount with too many decimals are refused next to their inputs and
//! nothing changes; another policy made the default; a new policy as a copy (its code a second time
//! refused); a level's texts refused for an unknown
//! placeholder, then saved and read in the preview PDF, and unsaved texts previewed without being
//! saved; an interest table created from a preset (a second time refused), a rate period refused for
//! its date then added; a clerk refused every page and every write (403).

use axum::http::StatusCode;
use creance_app::dunning::policy_json::{PolicyDoc, PolicyView};
use creance_app::{Actor, App};
use creance_store::testing::TEST_INSTANT;

use crate::pdf::pdf_text;
use crate::web::{csrf_of, enc, on_every_engine_with_admin as on_every_engine, user, Answer, ADMIN};

async fn policies(app: &App, company: i64) -> Vec<PolicyView> {
    app.dunning_policies(company).await.unwrap().iter().map(PolicyView::from).collect()
}

async fn default_policy(app: &App, company: i64) -> PolicyView {
    policies(app, company).await.into_iter().find(|p| p.is_default).expect("a default policy")
}

/// A policy as its form posts it (a switch present when on).
fn form_of(p: &PolicyView) -> Vec<(String, String)> {
    let s = |k: &str, v: &str| (k.to_string(), v.to_string());
    let mut v = vec![
        s("name", &p.name),
        s("currency", p.currency.code()),
        s("min_amount", &p.min_amount),
        s("payment_days", &p.payment_days.to_string()),
        s("interest_table_id", &p.interest_table_id.map(|i| i.to_string()).unwrap_or_default()),
        s("interest_min", &p.interest_min),
    ];
    for (i, l) in p.levels.iter().enumerate() {
        let f = |name: &str| format!("levels[{i}].{name}");
        v.push(s(&f("delay_days"), &l.delay_days.to_string()));
        v.push(s(&f("min_amount"), &l.min_amount));
        v.push(s(&f("fee_kind"), &l.fee_kind));
        v.push(s(&f("fee_amount"), &l.fee_amount));
        v.push(s(&f("fee_percent"), &l.fee_percent));
        v.push(s(&f("fee_min"), &l.fee_min));
        v.push(s(&f("fee_max"), l.fee_max.as_deref().unwrap_or("")));
        v.push(s(&f("channel"), &l.channel));
        if l.interest {
            v.push(s(&f("interest"), "true"));
        }
    }
    v
}

fn with(mut form: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    match form.iter_mut().find(|(k, _)| k == name) {
        Some(pair) => pair.1 = value.to_string(),
        None => form.push((name.to_string(), value.to_string())),
    }
    form
}

/// The error paragraph of the input `id` holds `text`, and the input is marked invalid.
fn refused_next_to(page: &Answer, id: &str, text: &str) {
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    let marker = format!(r#"id="{id}-error" role="alert">"#);
    let at = page.body.find(&marker).unwrap_or_else(|| panic!("no error next to {id}: {}", page.body));
    let para = &page.body[at..at + page.body[at..].find("</p>").unwrap()];
    assert!(para.contains(text), "{id}: {para}");
    assert!(page.body.contains(&format!(r#"id="{id}""#)), "the input {id} is on the page");
}

#[tokio::test]
async fn an_admin_edits_a_levels_delay_and_fee_and_a_bad_value_is_refused_next_to_its_field() {
    on_every_engine(|app, w| async move {
        let a = user(&w, ADMIN).await;
        let before = default_policy(&app, w.company).await;
        let list = a.get("/parametres/relances").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains(&format!("/parametres/relances/{}", before.id)), "{}", list.body);
        let path = format!("/parametres/relances/{}", before.id);
        let page = a.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(r#"name="levels[1].delay_days""#), "{}", page.body);
        assert!(page.body.contains(&format!(r#"value="{}""#, before.levels[1].delay_days)));

        // Level 2: 20 days after level 1, a fixed fee of 7.50.
        let form = with(form_of(&before), "levels[1].delay_days", "20");
        let form = with(form, "levels[1].fee_kind", "fixed");
        let form = with(form, "levels[1].fee_amount", "7.50");
        let saved = a.post_pairs_from(&path, &path, &form).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(saved.location(), format!("{path}?done=1"));
        let after = default_policy(&app, w.company).await;
        assert_eq!(after.levels[1].delay_days, 20);
        assert_eq!(after.levels[1].fee_kind, "fixed");
        assert_eq!(after.levels[1].fee_amount, "7.50");
        assert_eq!(after.levels[0], before.levels[0], "level 1 untouched");
        assert_eq!(after.texts, before.texts, "the texts stay");
        let shown = a.get(saved.location()).await;
        assert!(shown.body.contains(r#"id="done""#) && shown.body.contains(r#"value="7.50""#), "{}", shown.body);

        // Refused next to their inputs, nothing saved.
        let bad = a.post_pairs_from(&path, &path, &with(form_of(&after), "levels[1].delay_days", "5000")).await;
        refused_next_to(&bad, "f-levels-1-delay_days", "out of range 0 to 3650");
        assert!(bad.body.contains(r#"value="5000""#), "the typed value is shown again");
        let bad = a.post_pairs_from(&path, &path, &with(form_of(&after), "levels[2].delay_days", "two weeks")).await;
        refused_next_to(&bad, "f-levels-2-delay_days", "is not a whole number");
        let bad = a.post_pairs_from(&path, &path, &with(form_of(&after), "levels[1].fee_amount", "7.505")).await;
        refused_next_to(&bad, "f-levels-1-fee_amount", "7.505");
        assert_eq!(default_policy(&app, w.company).await, after, "nothing changed");

        // Another policy made the company's default.
        let doc: PolicyDoc = serde_json::from_value(serde_json::json!({
            "code": "strict", "name": "Strict", "currency": "EUR",
            "levels": [{"level": 1, "delay_days": 1}, {"level": 2, "delay_days": 7}]
        }))
        .unwrap();
        let strict = app.save_dunning_policy_doc(&Actor::new("test", TEST_INSTANT), w.company, &doc).await.unwrap();
        let pairs = vec![("code".to_string(), "strict".to_string())];
        let made = a.post_pairs_from("/parametres/relances", "/parametres/relances/defaut", &pairs).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        assert_eq!(default_policy(&app, w.company).await.id, strict.id);
        let pairs = vec![("code".to_string(), "nope".to_string())];
        let bad = a.post_pairs_from("/parametres/relances", "/parametres/relances/defaut", &pairs).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(
            bad.body.contains(r#"id="default-error"><strong>Refused:</strong> no policy &quot;nope&quot;"#),
            "{}",
            bad.body
        );
        assert_eq!(default_policy(&app, w.company).await.id, strict.id);

        // A new policy as a copy of the edited one; its code a second time is refused next to it.
        let pairs = |code: &str| {
            vec![
                ("code".to_string(), code.to_string()),
                ("name".into(), "Copie".into()),
                ("from".into(), after.id.to_string()),
            ]
        };
        let count = policies(&app, w.company).await.len();
        let copied = a.post_pairs_from("/parametres/relances", "/parametres/relances", &pairs("copie")).await;
        assert_eq!(copied.status, StatusCode::SEE_OTHER, "{}", copied.body);
        let copy = policies(&app, w.company).await.into_iter().find(|p| p.code == "copie").expect("the copy");
        assert_eq!(copied.location(), format!("/parametres/relances/{}?done=1", copy.id));
        assert_eq!((copy.name.as_str(), &copy.levels, &copy.texts), ("Copie", &after.levels, &after.texts));
        let again = a.post_pairs_from("/parametres/relances", "/parametres/relances", &pairs("copie")).await;
        refused_next_to(&again, "f-new-code", "already a policy");
        let again = a.post_pairs_from("/parametres/relances", "/parametres/relances", &pairs("no spaces")).await;
        refused_next_to(&again, "f-new-code", "use letters");
        assert_eq!(policies(&app, w.company).await.len(), count + 1, "one copy made");
    })
    .await;
}

#[tokio::test]
async fn a_levels_texts_are_saved_and_read_in_the_preview_pdf() {
    on_every_engine(|app, w| async move {
        let a = user(&w, ADMIN).await;
        let p = default_policy(&app, w.company).await;
        let page_path = format!("/parametres/relances/{}/textes?level=2&language=fr", p.id);
        let post_path = format!("/parametres/relances/{}/textes", p.id);
        let page = a.get(&page_path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(r#"<iframe id="preview""#), "{}", page.body);
        let texts = |subject: &str, opening: &str, closing: &str| {
            vec![
                ("level".to_string(), "2".to_string()),
                ("language".to_string(), "fr".to_string()),
                ("subject".to_string(), subject.to_string()),
                ("opening".to_string(), opening.to_string()),
                ("closing".to_string(), closing.to_string()),
            ]
        };
        let bad = a.post_pairs_from(&page_path, &post_path, &texts("Rappel", "Bonjour {nope}", "Merci")).await;
        refused_next_to(&bad, "f-opening", "nope");
        assert_eq!(policies(&app, w.company).await.into_iter().find(|x| x.id == p.id).unwrap().texts, p.texts);

        let opening = "Sauf erreur, {payer_name} nous doit encore {overdue_total}. TEXTEPERSO";
        let saved =
            a.post_pairs_from(&page_path, &post_path, &texts("Deuxième rappel", opening, "Merci. FINPERSO")).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let stored = policies(&app, w.company).await.into_iter().find(|x| x.id == p.id).unwrap();
        let t = stored.texts.iter().find(|t| t.level == 2 && t.language == "fr").expect("the level 2 French texts");
        assert_eq!((t.subject.as_str(), t.opening.as_str()), ("Deuxième rappel", opening));
        assert_eq!(stored.levels, p.levels, "the levels stay");
        let shown = a.get(saved.location()).await;
        assert!(shown.body.contains("TEXTEPERSO") && shown.body.contains(r#"id="done""#), "{}", shown.body);

        // The page's preview carries the saved texts; a preview of unsaved texts saves nothing.
        let src = hidden_src(&shown.body);
        let (status, ct, pdf) = a.bytes(&src).await;
        assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/pdf"), "{src}");
        let unsaved = format!(
            "/parametres/relances/{}/apercu.pdf?level=2&language=en&subject=Hello&opening={}&closing=Bye",
            p.id,
            enc("Dear {payer_name}, NOTSAVEDYET")
        );
        let (status, _, pdf_unsaved) = a.bytes(&unsaved).await;
        assert_eq!(status, StatusCode::OK);
        let (refused, _, _) = a
            .bytes(&format!("/parametres/relances/{}/apercu.pdf?level=2&language=en&subject={}", p.id, enc("{x}")))
            .await;
        assert_eq!(refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(policies(&app, w.company).await.into_iter().find(|x| x.id == p.id).unwrap(), stored);
        let (Some(text), Some(unsaved_text)) = (pdf_text(&pdf), pdf_text(&pdf_unsaved)) else { return };
        assert!(text.contains("TEXTEPERSO") && text.contains("FINPERSO"), "{text}");
        assert!(text.contains("Exemple SARL"), "the sample payer, in French: {text}");
        assert!(unsaved_text.contains("NOTSAVEDYET") && unsaved_text.contains("Sample Ltd"), "{unsaved_text}");
    })
    .await;
}

/// A free table's form: a fixed `margin` from `from`, 5 grace days, 40.00 EUR a late invoice.
fn free_table(code: &str, margin: &str, from: &str) -> Vec<(String, String)> {
    [
        ("code", code),
        ("name", "Taux fixe 8 %"),
        ("reference_name", ""),
        ("day_count", "actual_360"),
        ("grace_days", "5"),
        ("indemnity", "40.00"),
        ("indemnity_currency", "EUR"),
        ("rates[0].from", from),
        ("rates[0].reference_percent", "0"),
        ("rates[0].margin_percent", margin),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[tokio::test]
async fn a_free_interest_table_is_created_with_its_first_period_and_a_bad_field_is_refused_next_to_it() {
    on_every_engine(|app, w| async move {
        let a = user(&w, ADMIN).await;
        let page = a.get("/parametres/interets").await;
        assert!(page.body.contains(r#"id="table-form""#) && page.body.contains(r#"id="rates-kept""#), "{}", page.body);
        let before = app.interest_tables(w.company).await.unwrap();
        for (form, id, said) in [
            (free_table("fixe 8", "8", "2026-01-01"), "f-new-code", "letters, digits"),
            (free_table("fixe-8", "huit", "2026-01-01"), "f-new-rates-0-margin_percent", ""),
            (free_table("fixe-8", "8", "31/02/2026"), "f-new-rates-0-from", ""),
        ] {
            let bad = a.post_pairs_from("/parametres/interets", "/parametres/interets", &form).await;
            refused_next_to(&bad, id, said);
            assert!(bad.body.contains(r#"value="Taux fixe 8 %""#), "what was typed is shown again");
        }
        assert_eq!(app.interest_tables(w.company).await.unwrap(), before, "nothing created");
        let made = a
            .post_pairs_from("/parametres/interets", "/parametres/interets", &free_table("fixe-8", "8", "2026-01-01"))
            .await;
        assert_eq!(
            (made.status, made.location()),
            (StatusCode::SEE_OTHER, "/parametres/interets?done=table#table-fixe-8")
        );
        let t =
            app.interest_tables(w.company).await.unwrap().into_iter().find(|t| t.code == "fixe-8").expect("created");
        assert_eq!(
            (t.name.as_str(), t.day_count, t.grace_days, t.indemnity, t.indemnity_currency.as_str()),
            ("Taux fixe 8 %", creance_core::interest::DayCount::Actual360, 5, 4000, "EUR")
        );
        let rates: Vec<_> = t
            .rates
            .iter()
            .map(|r| (r.from.to_string(), r.reference_percent.clone(), r.margin_percent.clone()))
            .collect();
        assert_eq!(rates, [("2026-01-01".to_string(), "0".to_string(), "8".to_string())]);
        let shown = a.get("/parametres/interets?done=table").await;
        assert!(shown.body.contains(r#"id="table-fixe-8""#) && shown.body.contains(r#"id="done""#), "{}", shown.body);
        // A second table under the same code is refused above the form, naming it.
        let again = a
            .post_pairs_from("/parametres/interets", "/parametres/interets", &free_table("fixe-8", "9", "2026-01-01"))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(again.body.contains(r#"id="table-error""#) && again.body.contains("fixe-8"), "{}", again.body);
    })
    .await;
}

/// The preview frame's address on a texts page.
fn hidden_src(page: &str) -> String {
    let needle = r#"<iframe id="preview" src=""#;
    let at = page.find(needle).expect("a preview frame") + needle.len();
    page[at..at + page[at..].find('"').unwrap()].replace("&amp;", "&")
}

#[tokio::test]
async fn an_interest_table_is_created_from_a_preset_and_a_rate_period_added() {
    on_every_engine(|app, w| async move {
        let a = user(&w, ADMIN).await;
        let page = a.get("/parametres/interets").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let existing: Vec<String> = app.interest_tables(w.company).await.unwrap().into_iter().map(|t| t.code).collect();
        let preset =
            ["ch", "de_b2b", "eu_directive", "fr_b2b"].into_iter().find(|c| !existing.iter().any(|e| e == c)).unwrap();
        let pairs = vec![("preset".to_string(), preset.to_string())];
        let made = a.post_pairs_from("/parametres/interets", "/parametres/interets/modele", &pairs).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let table =
            app.interest_tables(w.company).await.unwrap().into_iter().find(|t| t.code == preset).expect("created");
        assert!(!table.rates.is_empty());
        let shown = a.get("/parametres/interets?done=preset").await;
        assert!(shown.body.contains(&format!(r#"id="table-{preset}""#)), "{}", shown.body);
        let again = a.post_pairs_from("/parametres/interets", "/parametres/interets/modele", &pairs).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(again.body.contains(r#"id="preset-error""#), "{}", again.body);

        let rates = format!("/parametres/interets/{}/taux", table.id);
        let rate = |from: &str| {
            vec![
                ("rates[0].from".to_string(), from.to_string()),
                ("rates[0].reference_percent".to_string(), "2.15".to_string()),
                ("rates[0].margin_percent".to_string(), "10".to_string()),
            ]
        };
        let bad = a.post_pairs_from("/parametres/interets", &rates, &rate("31/02/2030")).await;
        refused_next_to(&bad, &format!("t{}-f-rates-0-from", table.id), "");
        let n = table.rates.len();
        assert_eq!(
            app.interest_tables(w.company).await.unwrap().into_iter().find(|t| t.id == table.id).unwrap().rates.len(),
            n
        );
        let added = a.post_pairs_from("/parametres/interets", &rates, &rate("01/01/2030")).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let after = app.interest_tables(w.company).await.unwrap().into_iter().find(|t| t.id == table.id).unwrap();
        let last = after.rates.iter().max_by_key(|r| r.from).unwrap();
        assert_eq!(
            (last.from.to_string().as_str(), last.reference_percent.as_str(), last.margin_percent.as_str()),
            ("2030-01-01", "2.15", "10")
        );
        assert_eq!(after.rates.len(), n + 1);
    })
    .await;
}

#[tokio::test]
async fn a_clerk_is_refused_every_settings_page_and_every_write() {
    on_every_engine(|app, w| async move {
        let c = user(&w, "clerk@example.com").await;
        let a = user(&w, ADMIN).await;
        let p = default_policy(&app, w.company).await;
        let pages = [
            "/parametres/relances".to_string(),
            format!("/parametres/relances/{}", p.id),
            format!("/parametres/relances/{}/textes?level=1&language=fr", p.id),
            format!("/parametres/relances/{}/apercu.pdf?level=1&language=fr&subject=a&opening=b&closing=c", p.id),
            "/parametres/interets".to_string(),
        ];
        for path in &pages {
            assert_eq!(c.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
            assert!(a.get(path).await.status.is_success(), "{path} is the admin's");
        }
        // The clerk's CSRF token, from a page it may see.
        let csrf = csrf_of(&c.get("/relances").await.body);
        let writes = [
            (format!("/parametres/relances/{}", p.id), form_of(&p)),
            ("/parametres/relances/defaut".to_string(), vec![("code".to_string(), p.code.clone())]),
            (
                "/parametres/relances".to_string(),
                vec![("code".to_string(), "x".into()), ("from".into(), p.id.to_string())],
            ),
            (
                format!("/parametres/relances/{}/textes", p.id),
                vec![("level".into(), "1".into()), ("language".into(), "fr".into()), ("subject".into(), "x".into())],
            ),
            ("/parametres/interets/modele".to_string(), vec![("preset".to_string(), "ch".to_string())]),
            ("/parametres/interets".to_string(), free_table("fixe-8", "8", "2026-01-01")),
            ("/parametres/interets/1/taux".to_string(), vec![("rates[0].from".to_string(), "01/01/2030".to_string())]),
        ];
        let before = policies(&app, w.company).await;
        let tables = app.interest_tables(w.company).await.unwrap();
        for (path, pairs) in &writes {
            let mut all = vec![("csrf".to_string(), csrf.clone())];
            all.extend_from_slice(pairs);
            let r = c.post(path, &all).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
        }
        assert_eq!(policies(&app, w.company).await, before);
        assert_eq!(app.interest_tables(w.company).await.unwrap(), tables);
    })
    .await;
}

#[tokio::test]
async fn a_level_is_added_then_taken_away_with_its_texts() {
    on_every_engine(|app, w| async move {
        let a = user(&w, ADMIN).await;
        let p = default_policy(&app, w.company).await;
        let n = p.levels.len();
        let path = format!("/parametres/relances/{}", p.id);
        // `?levels=N+1` shows one more, blank, level; saving it with its delay adds it.
        let more = format!("{path}?levels={}", n + 1);
        let page = a.get(&more).await;
        assert!(page.body.contains(&format!(r#"name="levels[{n}].delay_days" value="""#)), "{}", page.body);
        let form = with(form_of(&p), &format!("levels[{n}].delay_days"), "30");
        let form = with(form, &format!("levels[{n}].channel"), "letter");
        let saved = a.post_pairs_from(&more, &path, &form).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let added = default_policy(&app, w.company).await;
        assert_eq!(added.levels.len(), n + 1);
        assert_eq!(added.levels[n].delay_days, 30);
        // Its texts, then the level taken away: its texts go with it, the others stay.
        let texts = format!("/parametres/relances/{}/textes?level={}&language=en", p.id, n + 1);
        let pairs: Vec<(String, String)> = [
            ("level", (n + 1).to_string()),
            ("language", "en".into()),
            ("subject", "Final".into()),
            ("opening", "Last call".into()),
            ("closing", "Thanks".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let saved = a.post_pairs_from(&texts, &format!("/parametres/relances/{}/textes", p.id), &pairs).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert!(default_policy(&app, w.company).await.texts.iter().any(|t| t.level == n as i64 + 1));
        let fewer = format!("{path}?levels={n}");
        let page = a.get(&fewer).await;
        assert!(!page.body.contains(&format!(r#"name="levels[{n}].delay_days""#)));
        let form: Vec<(String, String)> =
            form_of(&added).into_iter().filter(|(k, _)| !k.starts_with(&format!("levels[{n}]."))).collect();
        let saved = a.post_pairs_from(&fewer, &path, &form).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let after = default_policy(&app, w.company).await;
        assert_eq!(after.levels, p.levels);
        assert_eq!(after.texts, p.texts, "the texts of the level taken away are gone, the others stay");
    })
    .await;
}
