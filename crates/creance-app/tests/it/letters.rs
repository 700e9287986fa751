//! Issued letters as the payer receives them (issue 11), on every engine: what an issued letter lists
//! (never its own fee and interest invoices), its signature in the payer's language, and the text
//! of one issued letter per language (FR, EN, DE) against golden files under `tests/golden/`.
//!
//! The goldens are the text `pdftotext -layout` (poppler-utils) extracts, Unicode spaces written as
//! plain ones; without poppler the PDF checks are skipped and noted. When a change is intended,
//! review the diff and rewrite them with `CREANCE_BLESS=1 cargo test -p creance-app --test it
//! letters::` (written from the first engine, SQLite; the other engines are compared with them).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::common::*;
use crate::dunning::{as_of, assert_invariants, d, propose, run_id};
use creance_app::documents::LetterheadInput;
use creance_app::dunning::LetterDetail;
use creance_app::import::Entity;
use creance_app::views::dunning::{PolicyInput, PolicyLevel};
use creance_app::App;
use creance_core::dunning::ItemKind;
use creance_core::Currency;

/// A French, an English and a German payer, each with an address.
const PAYERS: &str = "\
number;name;currency;language;country;address;postal_code;city
C-FR;Boulangerie Étienne Lefèvre;EUR;fr;FR;12 rue des Prés;74100;Annemasse
C-EN;O'Brien & Sons Ltd;EUR;en;GB;4 Baker Street;NW1 6XE;London
C-DE;Müller & Weiß GmbH;EUR;de;DE;Schloßstraße 7;80331;München
";

/// One invoice each over a thousand (the thousands separator shows), due 31 January 2026, and one
/// not yet due on 16 March for the French payer (listed: the policy lists items not yet due).
const INVOICES: &str = "\
kind;number;customer;date;currency;total;due_date
invoice;F-2026-001;C-FR;2026-01-01;EUR;1234,56;2026-01-31
invoice;F-2026-002;C-EN;2026-01-01;EUR;1234,56;2026-01-31
invoice;F-2026-003;C-DE;2026-01-01;EUR;1234,56;2026-01-31
invoice;F-2026-004;C-FR;2026-03-01;EUR;99,90;2026-03-31
";

const ISSUED_ON: &str = "2026-03-16";

/// The letterhead: a default signature, a French and a German one; none in English.
fn letterhead() -> LetterheadInput {
    let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    LetterheadInput {
        registration: "RCS Thonon-les-Bains 812 345 678".into(),
        vat_number: "FR12812345678".into(),
        signature_lines: lines(&["Claire Dupraz", "Credit control"]),
        signatures: BTreeMap::from([
            ("fr".to_string(), lines(&["Claire Dupraz", "Responsable du recouvrement"])),
            ("de".to_string(), lines(&["Claire Dupraz", "Leiterin Forderungsmanagement"])),
        ]),
        ..Default::default()
    }
}

/// Interest (the France B2B rate table), the 40 EUR indemnity and a 10.00 EUR fee from level 1;
/// items not yet due listed.
async fn policy(app: &App, company: i64) {
    let table = app.create_interest_preset(&actor(), company, "fr_b2b").await.unwrap();
    let level = |level, delay_days, fee: i64| PolicyLevel {
        interest: true,
        indemnity: true,
        ..PolicyLevel::plain(level, delay_days).with_fixed_fee(fee)
    };
    let policy = PolicyInput {
        code: "fr_b2b".into(),
        name: "France B2B".into(),
        currency: Currency::EUR,
        min_amount: 0,
        list_not_due: true,
        allow_skip: false,
        repeat_last: false,
        payment_days: 8,
        interest_table_id: Some(table.id),
        interest_min: 0,
        levels: vec![level(1, 1, 1000), level(2, 15, 1500)],
        texts: Vec::new(),
    };
    app.save_dunning_policy(&actor(), company, &policy).await.unwrap();
    app.set_default_dunning_policy(&actor(), company, "fr_b2b").await.unwrap();
}

/// The three payers' letters issued on 16 March 2026, with their details as proposed and as issued,
/// by payer number.
async fn issued(app: &App, company: i64) -> Vec<(String, LetterDetail, LetterDetail)> {
    import_ok(app, company, Entity::Customers, PAYERS).await;
    import_ok(app, company, Entity::Documents, INVOICES).await;
    policy(app, company).await;
    app.set_letterhead(&actor(), company, &letterhead()).await.expect("letterhead");
    let p = propose(app, company, &as_of(ISSUED_ON)).await;
    let mut proposed = Vec::new();
    for l in &p.letters.items {
        proposed.push(app.dunning_letter(company, l.id, d(ISSUED_ON)).await.unwrap());
    }
    app.issue_dunning(&actor(), company, run_id(&p), d(ISSUED_ON)).await.expect("issue");
    let mut out = Vec::new();
    for before in proposed {
        let after = app.dunning_letter(company, before.letter.id, d(ISSUED_ON)).await.unwrap();
        out.push((after.letter.payer_number.clone(), before, after));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn of<'a>(letters: &'a [(String, LetterDetail, LetterDetail)], payer: &str) -> &'a LetterDetail {
    &letters.iter().find(|l| l.0 == payer).unwrap_or_else(|| panic!("no letter for {payer}")).2
}

#[tokio::test]
async fn an_issued_letter_never_lists_its_own_fee_and_interest_invoices_and_keeps_its_totals() {
    on_every_engine(|app, company| async move {
        let letters = issued(&app, company).await;
        assert_eq!(letters.len(), 3);
        for (payer, before, after) in &letters {
            let l = &after.letter;
            let own = [l.fee_document_id.expect("a fee invoice"), l.interest_document_id.expect("an interest invoice")];
            let listed: Vec<(&str, &str)> =
                after.items.iter().map(|i| (i.reference.as_str(), i.kind.as_str())).collect();
            assert!(
                !after.items.iter().any(|i| i.document_id.is_some_and(|id| own.contains(&id))),
                "{payer}'s letter lists its own charges: {listed:?}"
            );
            assert!(!after.items.iter().any(|i| i.reference.starts_with("FR-") || i.reference.starts_with("FI-")));
            let b = &before.letter;
            assert_eq!(
                (l.overdue_total, l.credits_total, l.fee, l.interest, l.indemnity, l.total_due),
                (b.overdue_total, b.credits_total, b.fee, b.interest, b.indemnity, b.total_due),
                "{payer}: the totals issued are those proposed"
            );
        }
        // The French payer's invoice not yet due is still listed, as it was on the draft.
        let fr = of(&letters, "C-FR");
        let not_due: Vec<&str> =
            fr.items.iter().filter(|i| i.kind == ItemKind::NotDue).map(|i| i.reference.as_str()).collect();
        assert_eq!(not_due, ["F-2026-004"]);
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_letter_is_signed_in_the_payers_language_or_with_the_default_signature() {
    on_every_engine(|app, company| async move {
        let letters = issued(&app, company).await;
        let head = app.letterhead(company).await.unwrap();
        assert_eq!(head.signature_lines, ["Claire Dupraz", "Credit control"]);
        assert_eq!(head.signatures.keys().collect::<Vec<_>>(), ["de", "fr"]);
        for (payer, signature, not) in [
            ("C-DE", "Leiterin Forderungsmanagement", ["Responsable du recouvrement", "Credit control"]),
            ("C-FR", "Responsable du recouvrement", ["Leiterin Forderungsmanagement", "Credit control"]),
            ("C-EN", "Credit control", ["Leiterin Forderungsmanagement", "Responsable du recouvrement"]),
        ] {
            let pdf = app.dunning_letter_pdf(company, of(&letters, payer).letter.id, d(ISSUED_ON)).await.unwrap();
            let Some(text) = pdf_text(&pdf.bytes) else { return };
            assert!(text.contains(signature), "{payer}: no {signature:?} in\n{text}");
            for other in not {
                assert!(!text.contains(other), "{payer}: {other:?} in\n{text}");
            }
        }
        // A level's preview for a payer is signed the same way.
        let policy = app.dunning_policies(company).await.unwrap().remove(0);
        let page = creance_app::queries::Page { limit: 10, offset: 0 };
        let customers = app.customers(company, &Default::default(), page).await.unwrap().items;
        let de = customers.into_iter().find(|c| c.fields.number == "C-DE").unwrap();
        let preview = app.dunning_level_preview_pdf(company, policy.id, 2, Some(de.id), d(ISSUED_ON)).await.unwrap();
        if let Some(text) = pdf_text(&preview.bytes) {
            assert!(text.contains("Leiterin Forderungsmanagement"), "{text}");
        }
    })
    .await;
}

#[tokio::test]
async fn the_letterhead_refuses_a_signature_in_an_unknown_language_or_too_long() {
    on_every_engine(|app, company| async move {
        let mut input = letterhead();
        input.signatures.insert("it".into(), vec!["Chiara".into()]);
        let err = app.set_letterhead(&actor(), company, &input).await.unwrap_err();
        assert!(matches!(&err, creance_app::AppError::Invalid(f) if f.field == "signatures"), "{err:?}");
        let mut input = letterhead();
        input.signatures.insert("en".into(), vec!["a".into(), "b".into(), "c".into(), "d".into(), "e".into()]);
        let err = app.set_letterhead(&actor(), company, &input).await.unwrap_err();
        assert!(matches!(&err, creance_app::AppError::Invalid(f) if f.field == "signatures.en"), "{err:?}");
        let mut input = letterhead();
        input.signatures.insert("en".into(), vec!["x".repeat(201)]);
        assert!(app.set_letterhead(&actor(), company, &input).await.is_err());
        input.signatures.insert("en".into(), vec!["line\tbreak".into()]);
        assert!(app.set_letterhead(&actor(), company, &input).await.is_err());
        // Nothing was written; then a language set with no lines prints the default again.
        assert!(app.letterhead(company).await.unwrap().signatures.is_empty());
        app.set_letterhead(&actor(), company, &letterhead()).await.unwrap();
        let mut input = letterhead();
        input.signatures.insert("de".into(), vec![" ".into()]);
        app.set_letterhead(&actor(), company, &input).await.unwrap();
        assert_eq!(app.letterhead(company).await.unwrap().signatures.keys().collect::<Vec<_>>(), ["fr"]);
    })
    .await;
}

#[tokio::test]
async fn golden_issued_letters_in_french_english_and_german() {
    let blessed = std::sync::Mutex::new(Vec::new());
    let blessed = &blessed;
    on_every_engine(|app, company| async move {
        let letters = issued(&app, company).await;
        for (payer, name) in
            [("C-FR", "issued_letter_fr.txt"), ("C-EN", "issued_letter_en.txt"), ("C-DE", "issued_letter_de.txt")]
        {
            let pdf = app.dunning_letter_pdf(company, of(&letters, payer).letter.id, d(ISSUED_ON)).await.unwrap();
            let Some(text) = pdf_text(&pdf.bytes) else { return };
            check_golden(name, &text, &mut blessed.lock().unwrap());
        }
    })
    .await;
}

/// `pdftotext -layout` of `pdf` with every Unicode space as a plain one (poppler writes U+00A0 and
/// U+202F as U+0020 anyway); `None`, with the skip noted, when poppler is not installed.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    use std::io::Write;
    let child = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            creance_store::testing::note_skip("PDF text", "pdftotext (poppler-utils) is not installed");
            return None;
        }
        Err(e) => panic!("pdftotext: {e}"),
        Ok(c) => c,
    };
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    Some(String::from_utf8(out.stdout).unwrap().replace(['\u{a0}', '\u{202f}'], " "))
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares `actual` with the golden file `name`, or writes it (once: from the first engine) when
/// `CREANCE_BLESS=1`.
fn check_golden(name: &str, actual: &str, blessed: &mut Vec<String>) {
    let path = golden_dir().join(name);
    if std::env::var("CREANCE_BLESS").is_ok_and(|v| v == "1") && !blessed.iter().any(|b| b == name) {
        std::fs::create_dir_all(golden_dir()).expect("golden folder");
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        blessed.push(name.to_string());
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); CREANCE_BLESS=1 cargo test -p creance-app --test it letters:: writes it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from {} at line {}:\n  expected: {:?}\n  actual:   {:?}\nIf the change is intended, \
             review it and run CREANCE_BLESS=1 cargo test -p creance-app --test it letters::\n--- actual ---\n{actual}",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end of file>"),
            actual.lines().nth(first).unwrap_or("<end of file>"),
        );
    }
}
