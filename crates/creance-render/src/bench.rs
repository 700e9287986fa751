//! What `creance bench` times for rendering (issue 11's figures): a one-page letter with a 10-row
//! table, rendered `count` times on `threads` threads. The caller reads the clock; this module only
//! renders and counts the bytes.

use crate::frame::{BankDetails, Letterhead, PostalAddress, Window};
use crate::letter::{DunnedRow, LetterDoc};
use crate::locale::Locale;
use crate::pdf::RenderError;
use creance_core::{Currency, Date, Money};

/// A French one-page letter of `rows` dunned items (about ten fit on the first page).
pub fn sample_letter(rows: usize) -> LetterDoc {
    let day = |offset: i64| Date::from_days_since_epoch(20_000).add_days(offset);
    let eur = |minor: i64| Money::new(minor, Currency::EUR);
    let items: Vec<DunnedRow> = (0..rows)
        .map(|i| {
            let i = i64::try_from(i).unwrap_or(0);
            DunnedRow {
                document_number: format!("FA-2026-{:05}", 1000 + i),
                document_date: day(i),
                due_date: day(i + 30),
                amount_original: eur(12_345 + i * 1_017),
                amount_open: eur(12_345 + i * 1_017),
                days_overdue: 45 - i,
                level: 1,
                text: None,
            }
        })
        .collect();
    let total = items.iter().map(|r| r.amount_open.minor()).sum::<i64>();
    LetterDoc {
        locale: Locale::FR,
        letterhead: Letterhead {
            name: "Boulangeries Martin SAS".into(),
            address_lines: vec!["12 rue de la République".into(), "69002 Lyon".into()],
            contact_lines: vec![],
            registration: Some("RCS Lyon 812 345 678".into()),
            vat: Some("FR12812345678".into()),
            bank: Some(BankDetails {
                bank_name: "Crédit Lyonnais".into(),
                iban: "FR76 3000 2005 5000 0015 7845 Z02".into(),
                bic: "CRLYFRPP".into(),
            }),
            logo: None,
        },
        window: Window::Right,
        recipient: PostalAddress {
            lines: vec!["Café de l’Opéra SARL".into(), "8 place de l’Opéra".into(), "75009 Paris".into()],
        },
        customer_number: "C000123".into(),
        date: day(80),
        number: "REL-2026-00012".into(),
        level: 1,
        level_title: None,
        subject: None,
        opening: "Madame, Monsieur, sauf erreur de notre part, les factures ci-dessous restent impayées à ce jour. \
                  Nous vous remercions de bien vouloir procéder à leur règlement."
            .into(),
        items,
        credits: vec![],
        not_due: None,
        total_overdue: eur(total),
        total_credits: None,
        fee: None,
        interest: vec![],
        indemnity: None,
        total_due: eur(total),
        deadline: day(95),
        pay_to: None,
        payment_reference: "REL-2026-00012".into(),
        closing: "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.".into(),
        signature: vec!["Service comptabilité clients".into()],
        preview: false,
    }
}

/// Renders `doc` `count` times, shared among `threads` threads (at least one); the total bytes.
pub fn render_many(doc: &LetterDoc, count: usize, threads: usize) -> Result<u64, RenderError> {
    let threads = threads.max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let share = count / threads + usize::from(t < count % threads);
                scope.spawn(move || -> Result<u64, RenderError> {
                    let mut bytes = 0u64;
                    for _ in 0..share {
                        bytes += u64::try_from(crate::letter::render(doc)?.len()).unwrap_or(u64::MAX);
                    }
                    Ok(bytes)
                })
            })
            .collect();
        let mut total = 0u64;
        for h in handles {
            // A panic in a rendering thread is a bug: pass it on.
            total += h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        }
        Ok(total)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn render_many_renders_every_letter() {
        let doc = super::sample_letter(10);
        let one = crate::letter::render(&doc).unwrap().len() as u64;
        assert_eq!(super::render_many(&doc, 5, 2).unwrap(), one * 5);
        assert_eq!(crate::letter::layout(&doc).pages.len(), 1);
    }
}
