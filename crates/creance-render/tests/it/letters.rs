//! The dunning letter: amounts per locale, accents, every row, totals, pages, the draft mark, the
//! merge of a print run, and the same bytes for the same letter.

use crate::pdftext;
use crate::samples::letter;
use creance_render::letter::{merge, render};
use creance_render::Locale;

#[test]
fn a_french_letter_shows_amounts_dates_and_accents_as_written_in_france() {
    let pdf = render(&letter(Locale::FR, 3, false)).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = pdftext::text(&pdf) else { return };
    for want in [
        "1\u{202f}234,56\u{a0}€",
        "480,00\u{a0}€",
        "45,50\u{a0}€",
        "Café de l’Opéra SARL",
        "Mme Hélène Lefèvre",
        "Échéance",
        "Reste dû",
        "Relance n°\u{a0}2",
        "04/01/2027",
        "12,15\u{a0}%",
        "Intérêts de retard du 31/10/2026 au 31/12/2026",
        "Indemnité forfaitaire pour frais de recouvrement (2 × 40,00\u{a0}€)",
        "Frais de relance",
        "Total à régler",
        "19/01/2027",
        "FR76 3000 2005 5000 0015 7845 Z02",
        "CRLYFRPP",
        "REL-2027-00012 / C000123",
        "l’expression de nos salutations distinguées",
        "Livraison du 15 octobre",
        "Avoirs et règlements non affectés",
        "AV-2026-0031",
        "Pièces non échues (pour information)",
        "FA-2026-0560",
        "RCS Lyon 812 345 678",
        "N° TVA FR12812345678",
        "1/1",
    ] {
        assert!(text.contains(&pdftext::plain(want)), "missing {want:?} in\n{text}");
    }
    // Total overdue 1 234,56 + 480,00 + 45,50 = 1 760,06; less 150,00 credits, plus 15,00 fee,
    // 26,89 interest and 80,00 indemnity = 1 731,95.
    assert!(text.contains(&pdftext::plain("1\u{202f}760,06\u{a0}€")), "{text}");
    assert!(text.contains(&pdftext::plain("1\u{202f}731,95\u{a0}€")), "{text}");
    assert!(!text.contains("PROJET"));
}

#[test]
fn german_and_english_letters_in_their_own_words_and_formats() {
    let de = render(&letter(Locale::DE, 3, false)).unwrap();
    let en = render(&letter(Locale::EN, 3, false)).unwrap();
    let (Some(de), Some(en)) = (pdftext::text(&de), pdftext::text(&en)) else { return };
    for want in [
        "Müller & Söhne GmbH",
        "Hauptstraße 5",
        "80331 München",
        "1.234,56\u{a0}€",
        "1.731,95\u{a0}€",
        "04.01.2027",
        "2. Mahnung",
        "Fällig am",
        "Verzugszinsen vom 31.10.2026 bis 31.12.2026 zu 12,15\u{a0}% p.\u{a0}a.",
        "Mit freundlichen Grüßen",
        "USt-IdNr. FR12812345678",
    ] {
        assert!(de.contains(&pdftext::plain(want)), "missing {want:?} in\n{de}");
    }
    for want in [
        "O’Brien Trading Ltd",
        "14 King’s Road",
        "€1,234.56",
        "€1,731.95",
        "Reminder 2",
        "Late interest from 31/10/2026 to 31/12/2026 at 12.15% a year",
        "We’re sure this is an oversight",
        "Open amount",
    ] {
        assert!(en.contains(&pdftext::plain(want)), "missing {want:?} in\n{en}");
    }
}

#[test]
fn a_letter_of_80_items_breaks_over_pages_with_the_header_on_each_and_every_row() {
    let doc = letter(Locale::FR, 80, false);
    let pdf = render(&doc).unwrap();
    let Some(pages) = pdftext::pages(&pdf) else { return };
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let n = pages.len();
    let table_pages = pages.iter().filter(|p| p.contains("FA-2026-")).count();
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains(&format!("{}/{n}", i + 1)), "page {} has no number:\n{page}", i + 1);
        assert!(page.contains("Boulangeries Martin SAS"), "letterhead missing on page {}", i + 1);
        assert!(page.contains("FR76 3000 2005 5000 0015 7845 Z02"), "footer missing on page {}", i + 1);
        if page.contains("FA-2026-") && i + 1 < table_pages {
            assert!(page.contains("Échéance") && page.contains("Reste dû"), "no header on page {}", i + 1);
        }
    }
    let all = pages.join("\n");
    for item in &doc.items {
        let line = all.lines().find(|l| l.contains(&item.document_number));
        let line = line.unwrap_or_else(|| panic!("row {} missing", item.document_number));
        let open = pdftext::plain(&creance_render::locale::amount(item.amount_open, Locale::FR));
        assert!(line.contains(&open), "row {} lacks {open:?}: {line}", item.document_number);
    }
    let total = pdftext::plain(&creance_render::locale::amount(doc.total_due, Locale::FR));
    assert!(all.contains(&total), "{total}");
}

#[test]
fn a_draft_is_marked_on_every_page_in_its_language() {
    for (locale, word) in [(Locale::FR, "PROJET"), (Locale::EN, "DRAFT"), (Locale::DE, "ENTWURF")] {
        let pdf = render(&letter(locale, 40, true)).unwrap();
        let Some(pages) = pdftext::pages(&pdf) else { return };
        assert!(pages.len() >= 2);
        for page in &pages {
            assert!(page.contains(word), "{word} missing:\n{page}");
        }
    }
}

#[test]
fn the_same_letter_gives_the_same_bytes() {
    let doc = letter(Locale::FR, 10, false);
    let a = render(&doc).unwrap();
    let b = render(&doc).unwrap();
    assert_eq!(a, b);
    // And the same on another thread (compressors are per thread).
    let c = std::thread::spawn(move || render(&doc).unwrap()).join().unwrap();
    assert_eq!(a, c);
    assert!(!String::from_utf8_lossy(&a).contains("CreationDate"));
}

#[test]
fn a_one_page_letter_of_ten_rows_stays_small() {
    let pdf = render(&letter(Locale::FR, 10, false)).unwrap();
    assert!(pdf.len() < 40_000, "{} bytes", pdf.len());
}

#[test]
fn a_print_run_merges_letters_each_numbering_its_own_pages() {
    let docs = vec![letter(Locale::FR, 3, false), letter(Locale::DE, 60, false), letter(Locale::EN, 3, false)];
    let pdf = merge(&docs).unwrap();
    let Some(pages) = pdftext::pages(&pdf) else { return };
    let german = creance_render::pdf::write(&[creance_render::letter::layout(&docs[1])]).unwrap();
    let german_pages = pdftext::pages(&german).unwrap().len();
    assert_eq!(pages.len(), 2 + german_pages);
    assert!(pages[0].contains("1/1") && pages[0].contains("Café de l’Opéra"));
    for k in 0..german_pages {
        assert!(pages[1 + k].contains(&format!("{}/{german_pages}", k + 1)), "{}", pages[1 + k]);
    }
    assert!(pages.last().unwrap().contains("1/1") && pages.last().unwrap().contains("O’Brien"));
}

#[test]
fn no_break_spaces_are_in_the_text_of_the_pdf() {
    // pdftotext writes every space as U+0020, so read the ToUnicode maps themselves.
    let fr = creance_render::letter::render(&letter(Locale::FR, 3, false)).unwrap();
    let de = creance_render::letter::render(&letter(Locale::DE, 3, false)).unwrap();
    let fr_chars = pdftext::unicode_map(&fr);
    for c in ['\u{a0}', '\u{202f}', '€', '’', 'é', 'É', 'è', 'û', ' '] {
        assert!(fr_chars.contains(&c), "U+{:04X} not mapped in the French letter", c as u32);
    }
    let de_chars = pdftext::unicode_map(&de);
    for c in ['ß', 'ü', 'ö', 'ä', '\u{a0}', '€'] {
        assert!(de_chars.contains(&c), "U+{:04X} not mapped in the German letter", c as u32);
    }
    // Each character has a code of its own: the no-break space is not the space.
    let spaces = fr_chars.iter().filter(|&&c| c == ' ').count();
    assert_eq!(spaces, 2, "one space per face");
}

pub fn with_logo(mut doc: creance_render::letter::LetterDoc) -> creance_render::letter::LetterDoc {
    let logo = creance_render::Jpeg::from_bytes(include_bytes!("../fixtures/logo.jpg").to_vec()).unwrap();
    assert_eq!((logo.width_px, logo.height_px, logo.components), (260, 70, 3));
    doc.letterhead.logo = Some(logo);
    doc
}

#[test]
fn a_logo_is_drawn_on_every_page_and_embedded_once_per_print_run() {
    let docs = vec![with_logo(letter(Locale::FR, 3, false)), with_logo(letter(Locale::FR, 60, false))];
    let pdf = merge(&docs).unwrap();
    let path = std::env::temp_dir().join(format!("creance_render_logo_{}.pdf", std::process::id()));
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdfimages").arg("-list").arg(&path).output();
    let _ = std::fs::remove_file(&path);
    let Ok(out) = out else {
        pdftext::note_skip("PDF images", "pdfimages (poppler-utils) is not installed; the logo check did not run");
        return;
    };
    let list = String::from_utf8(out.stdout).unwrap();
    let images: Vec<Vec<&str>> = list.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    let pages = pdftext::pages(&pdf).unwrap().len();
    assert_eq!(images.len(), pages, "{list}");
    for img in &images {
        assert_eq!((img[3], img[4], img[5]), ("260", "70", "rgb"), "{list}");
        assert_eq!(img[11], images[0][11], "one image object for every page: {list}");
    }
}

#[test]
fn what_is_not_a_jpeg_is_no_logo() {
    assert_eq!(creance_render::Jpeg::from_bytes(b"\x89PNG\r\n".to_vec()), None);
    assert_eq!(creance_render::Jpeg::from_bytes(vec![0xFF, 0xD8, 0xFF]), None);
    assert_eq!(creance_render::Jpeg::from_bytes(Vec::new()), None);
}

#[test]
fn both_faces_are_embedded_as_subsets_with_a_unicode_map() {
    let pdf = render(&letter(Locale::FR, 3, false)).unwrap();
    let path = std::env::temp_dir().join(format!("creance_render_fonts_{}.pdf", std::process::id()));
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdffonts").arg(&path).output();
    let _ = std::fs::remove_file(&path);
    let Ok(out) = out else {
        pdftext::note_skip("PDF fonts", "pdffonts (poppler-utils) is not installed; the font check did not run");
        return;
    };
    let list = String::from_utf8(out.stdout).unwrap();
    let fonts: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(fonts.len(), 2, "{list}");
    for f in fonts {
        let cols: Vec<&str> = f.split_whitespace().collect();
        assert!(cols[0].ends_with("+LiberationSans") || cols[0].ends_with("+LiberationSans-Bold"), "{f}");
        assert_eq!(&cols[4..7], ["yes", "yes", "yes"], "embedded, subset, ToUnicode: {f}");
    }
}
