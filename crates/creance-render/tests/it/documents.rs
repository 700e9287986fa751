//! Fee and interest invoice, deposit slip, refund letter and list: their text as extracted.

use crate::pdftext;
use crate::samples::{deposit_slip, fee_invoice, list, refund_letter};
use creance_render::Locale;

#[test]
fn an_interest_invoice_shows_each_period_rate_and_its_total() {
    let pdf = creance_render::invoice::render(&fee_invoice(Locale::FR)).unwrap();
    let Some(text) = pdftext::text(&pdf) else { return };
    for want in [
        "Facture d’intérêts de retard",
        "FI-2027-00004",
        "Relative à la relance n°\u{a0}REL-2027-00012",
        "Intérêts de retard sur factures échues",
        "31/10/2026 – 31/12/2026",
        "1\u{202f}234,56\u{a0}€",
        "12,15\u{a0}%",
        "12,4\u{a0}%",
        "25,48\u{a0}€",
        "1,41\u{a0}€",
        "26,89\u{a0}€",
    ] {
        assert!(text.contains(&pdftext::plain(want)), "missing {want:?} in\n{text}");
    }
}

#[test]
fn a_deposit_slip_lists_every_cheque_with_count_and_total() {
    let doc = deposit_slip(Locale::FR);
    let pdf = creance_render::deposit::render(&doc).unwrap();
    let Some(text) = pdftext::text(&pdf) else { return };
    for c in &doc.cheques {
        let line = text.lines().find(|l| l.contains(&c.number)).unwrap_or_else(|| panic!("{} missing", c.number));
        assert!(line.contains(&c.drawer) && line.contains(&c.bank), "{line}");
        assert!(line.contains(&pdftext::plain(&creance_render::locale::amount(c.amount, Locale::FR))), "{line}");
    }
    for want in [
        "Bordereau de remise de chèques",
        "REM-2027-0003",
        "05/01/2027",
        "Nombre de chèques\u{a0}: 3",
        "2\u{202f}260,06\u{a0}€",
    ] {
        assert!(text.contains(&pdftext::plain(want)), "missing {want:?} in\n{text}");
    }
}

#[test]
fn a_refund_letter_says_what_it_refunds_and_the_method_in_words() {
    let pdf = creance_render::refund::render(&refund_letter(Locale::FR)).unwrap();
    let Some(text) = pdftext::text(&pdf) else { return };
    for want in [
        "Avis de remboursement",
        "RMB-2027-0002",
        "Trop-perçu",
        "Virement (VIR-88812)",
        "120,50\u{a0}€",
        "P-2026-01881",
        "100,00\u{a0}€",
        "20,50\u{a0}€",
    ] {
        assert!(text.contains(&pdftext::plain(want)), "missing {want:?} in\n{text}");
    }
    assert!(!text.contains("transfer") && !text.contains("overpayment"));
}

#[test]
fn a_list_shows_its_filters_every_row_and_totals_per_currency() {
    let doc = list(Locale::FR);
    let pdf = creance_render::list::render(&doc).unwrap();
    let Some(text) = pdftext::text(&pdf) else { return };
    for want in [
        "Échéancier – postes ouverts par échéance",
        "Clients\u{a0}: C000100 – C000499",
        "Au\u{a0}: 04/01/2027",
        "Zürcher Käserei AG",
        "12\u{202f}345,67\u{a0}CHF",
        "Total EUR",
        "1\u{202f}695,05\u{a0}€",
        "Total CHF",
        "12\u{202f}350,67\u{a0}CHF",
        "6 lignes",
    ] {
        assert!(text.contains(&pdftext::plain(want)), "missing {want:?} in\n{text}");
    }
    for row in &doc.rows {
        let creance_render::list::Cell::Text(number) = &row[2] else { panic!() };
        assert!(text.lines().any(|l| l.contains(number.as_str())), "{number} missing");
    }
}

#[test]
fn an_empty_list_says_why() {
    let mut doc = list(Locale::EN);
    doc.rows.clear();
    doc.totals.clear();
    doc.empty_reason = Some("no open item matches the filters".into());
    let pdf = creance_render::list::render(&doc).unwrap();
    let Some(text) = pdftext::text(&pdf) else { return };
    assert!(text.contains("No rows – no open item matches the filters"), "{text}");
}
