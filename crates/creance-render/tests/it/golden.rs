//! Golden files for one letter per language, under `tests/golden/`:
//! - `letter_{fr,en,de}.txt`: the text `pdftotext -layout` extracts (skipped without poppler);
//! - `letter_{fr,en,de}.layout`: every text the layout places, page by page, with its position in
//!   hundredths of a point, face and size — independent of any tool, so a layout change always shows.
//!
//! When a change is intended, review the diff and rewrite them with
//! `CREANCE_BLESS=1 cargo test -p creance-render --test it golden`.

use crate::pdftext;
use crate::samples::letter;
use creance_render::pdf::{Laid, Op};
use creance_render::Locale;
use std::path::PathBuf;

pub fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares `actual` with the golden file `name`, or writes it when `CREANCE_BLESS=1`.
pub fn check_golden(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var("CREANCE_BLESS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); CREANCE_BLESS=1 cargo test -p creance-render --test it golden writes it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected.lines().zip(actual.lines()).position(|(e, a)| e != a);
        let line = first.unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from {} at line {}:\n  expected: {:?}\n  actual:   {:?}\nIf the change is intended, \
             review it and run CREANCE_BLESS=1 cargo test -p creance-render --test it golden\n--- actual ---\n{actual}",
            path.display(),
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line),
        );
    }
}

/// Each text operation of `laid` on one line: `page x y face size text`.
pub fn layout_dump(laid: &Laid) -> String {
    let mut out = String::new();
    for (p, page) in laid.pages.iter().enumerate() {
        for op in &page.ops {
            if let Op::Text { x, y, face, size, text, .. } | Op::Diagonal { x, y, face, size, text, .. } = op {
                let face = if *face == creance_render::fonts::Face::Bold { "B" } else { "R" };
                let shown = text.replace('\u{a0}', "\\u{a0}").replace('\u{202f}', "\\u{202f}");
                out.push_str(&format!("{} {x} {y} {face}{size} {shown}\n", p + 1));
            }
        }
    }
    out
}

fn check_letter(locale: Locale, name: &str) {
    let doc = letter(locale, 3, false);
    check_golden(&format!("{name}.layout"), &layout_dump(&creance_render::letter::layout(&doc)));
    let pdf = creance_render::letter::render(&doc).unwrap();
    if let Some(text) = pdftext::text(&pdf) {
        check_golden(&format!("{name}.txt"), &text);
    }
}

#[test]
fn golden_letter_fr() {
    check_letter(Locale::FR, "letter_fr");
}

#[test]
fn golden_letter_en() {
    check_letter(Locale::EN, "letter_en");
}

#[test]
fn golden_letter_de() {
    check_letter(Locale::DE, "letter_de");
}

/// Writes one PDF of each document into `CREANCE_RENDER_SAMPLES` when it is set (for the
/// screenshots in `docs/screenshots/`: `pdftoppm -png -r 60`); does nothing otherwise.
#[test]
fn sample_pdfs_when_asked() {
    let Ok(dir) = std::env::var("CREANCE_RENDER_SAMPLES") else { return };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    use crate::samples::*;
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("letter_fr", creance_render::letter::render(&letter(Locale::FR, 3, false)).unwrap()),
        ("letter_en", creance_render::letter::render(&letter(Locale::EN, 3, false)).unwrap()),
        ("letter_de", creance_render::letter::render(&letter(Locale::DE, 3, false)).unwrap()),
        ("letter_fr_draft_80_items", creance_render::letter::render(&letter(Locale::FR, 80, true)).unwrap()),
        ("interest_invoice_fr", creance_render::invoice::render(&fee_invoice(Locale::FR)).unwrap()),
        ("deposit_slip_fr", creance_render::deposit::render(&deposit_slip(Locale::FR)).unwrap()),
        ("refund_letter_fr", creance_render::refund::render(&refund_letter(Locale::FR)).unwrap()),
        ("list_fr", creance_render::list::render(&list(Locale::FR)).unwrap()),
        (
            "letter_fr_logo",
            creance_render::letter::render(&crate::letters::with_logo(letter(Locale::FR, 3, false))).unwrap(),
        ),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(format!("{name}.pdf")), bytes).unwrap();
    }
}
