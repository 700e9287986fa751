//! Sample documents for the tests, the golden files and the screenshots.

use creance_core::{Currency, Date, Decimal, Language, Money, MoneyTotal, RefundReason};
use creance_render::deposit::{Cheque, DepositSlipDoc};
use creance_render::invoice::{ChargeInvoiceDoc, ChargeKind, InterestDetail, InvoiceLine};
use creance_render::layout::Align;
use creance_render::letter::{CreditRow, DunnedRow, Indemnity, InterestLine, LetterDoc, NotDueRow};
use creance_render::list::{Cell, ListColumn, ListDoc};
use creance_render::refund::{RefundLetterDoc, RefundedRow};
use creance_render::{BankDetails, Letterhead, Locale, PostalAddress, Window};

pub fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd(y, m, day).unwrap()
}

pub fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

pub fn letterhead() -> Letterhead {
    Letterhead {
        name: "Boulangeries Martin SAS".into(),
        address_lines: vec!["12 rue de la République".into(), "69002 Lyon".into(), "France".into()],
        contact_lines: vec!["04 78 00 00 00 · compta@martin-boulangeries.fr".into()],
        registration: Some("RCS Lyon 812 345 678".into()),
        vat: Some("FR12812345678".into()),
        bank: Some(BankDetails {
            bank_name: "Crédit Lyonnais".into(),
            iban: "FR76 3000 2005 5000 0015 7845 Z02".into(),
            bic: "CRLYFRPP".into(),
        }),
        logo: None,
    }
}

fn recipient(language: Language) -> PostalAddress {
    let lines: &[&str] = match language {
        Language::De => {
            &["Müller & Söhne GmbH", "z. Hd. Frau Jürgens", "Hauptstraße 5", "80331 München", "Deutschland"]
        }
        Language::En => {
            &["O’Brien Trading Ltd", "Accounts payable", "14 King’s Road", "London SW3 4RP", "United Kingdom"]
        }
        _ => &["Café de l’Opéra SARL", "Mme Hélène Lefèvre", "8 place de l’Opéra", "75009 Paris"],
    };
    PostalAddress { lines: lines.iter().map(|s| s.to_string()).collect() }
}

fn texts(language: Language) -> (&'static str, &'static str, &'static str) {
    match language {
        Language::De => (
            "Zahlungserinnerung",
            "Sehr geehrte Damen und Herren, bei der Durchsicht unserer Konten haben wir festgestellt, dass die folgenden Rechnungen noch nicht beglichen sind. Sicher handelt es sich um ein Versehen; wir bitten Sie, den offenen Betrag bis zum unten genannten Datum zu überweisen.",
            "Sollten Sie die Zahlung inzwischen geleistet haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.\nMit freundlichen Grüßen",
        ),
        Language::En => (
            "Payment reminder",
            "Dear Sir or Madam, our records show that the invoices below are still unpaid. We’re sure this is an oversight and would be grateful if you could settle the amount due by the date given below.",
            "If you have paid in the meantime, please disregard this letter. Yours faithfully,",
        ),
        _ => (
            "Relance de factures impayées",
            "Madame, Monsieur, sauf erreur ou omission de notre part, les factures ci-dessous restent impayées à ce jour. Nous vous remercions de bien vouloir procéder à leur règlement dans les meilleurs délais.",
            "Si votre règlement nous est parvenu entre-temps, nous vous prions de ne pas tenir compte de ce courrier. Veuillez agréer, Madame, Monsieur, l’expression de nos salutations distinguées.",
        ),
    }
}

/// A letter with `items` dunned rows (the first three as in the golden files, then generated ones).
pub fn letter(locale: Locale, items: usize, preview: bool) -> LetterDoc {
    let lang = locale.language;
    let (subject, opening, closing) = texts(lang);
    let fixed = [
        ("FA-2026-0412", d(2026, 9, 30), d(2026, 10, 30), 123456, 123456, 62, 2, None),
        (
            "FA-2026-0457",
            d(2026, 10, 15),
            d(2026, 11, 14),
            98000,
            48000,
            47,
            1,
            Some("Livraison du 15 octobre : pains spéciaux, viennoiseries et pâtisseries pour la réception"),
        ),
        ("FA-2026-0501", d(2026, 11, 2), d(2026, 12, 2), 4550, 4550, 29, 1, None),
    ];
    let mut rows: Vec<DunnedRow> = fixed
        .iter()
        .take(items)
        .map(|&(n, date, due, orig, open, days, level, text)| DunnedRow {
            document_number: n.into(),
            document_date: date,
            due_date: due,
            amount_original: eur(orig),
            amount_open: eur(open),
            days_overdue: days,
            level,
            text: text.map(str::to_string),
        })
        .collect();
    for i in rows.len()..items {
        rows.push(DunnedRow {
            document_number: format!("FA-2026-{:04}", 600 + i),
            document_date: d(2026, 10, 1).add_days(i as i64 % 30),
            due_date: d(2026, 11, 1).add_days(i as i64 % 30),
            amount_original: eur(10_000 + i as i64 * 137),
            amount_open: eur(10_000 + i as i64 * 137),
            days_overdue: 31 - (i as i64 % 30),
            level: 1,
            text: None,
        });
    }
    let total_overdue = Money::checked_sum(Currency::EUR, rows.iter().map(|r| r.amount_open)).unwrap();
    let credits = vec![CreditRow {
        kind: creance_render::labels::document_kind(creance_core::DocumentKind::CreditNote, lang).into(),
        number: "AV-2026-0031".into(),
        date: d(2026, 11, 20),
        amount_open: eur(15000),
    }];
    let total_credits = eur(15000);
    let fee = eur(1500);
    let interest = vec![
        InterestLine {
            from: d(2026, 10, 31),
            to: d(2026, 12, 31),
            rate_percent: Decimal::parse("12.15").unwrap(),
            amount: eur(2517),
        },
        InterestLine {
            from: d(2027, 1, 1),
            to: d(2027, 1, 4),
            rate_percent: Decimal::parse("12.4").unwrap(),
            amount: eur(172),
        },
    ];
    let indemnity = Indemnity { count: 2, each: eur(4000), amount: eur(8000) };
    let total_due = total_overdue
        .checked_sub(total_credits)
        .and_then(|t| t.checked_add(fee))
        .and_then(|t| t.checked_add(eur(2517 + 172)))
        .and_then(|t| t.checked_add(indemnity.amount))
        .unwrap();
    let signature = match lang {
        Language::De => vec!["Claire Dubois".to_string(), "Buchhaltung".to_string()],
        Language::En => vec!["Claire Dubois".to_string(), "Credit control".to_string()],
        _ => vec!["Claire Dubois".to_string(), "Service comptabilité clients".to_string()],
    };
    LetterDoc {
        locale,
        letterhead: letterhead(),
        window: if lang == Language::De { Window::Left } else { Window::Right },
        recipient: recipient(lang),
        customer_number: "C000123".into(),
        date: d(2027, 1, 4),
        number: if preview { String::new() } else { "REL-2027-00012".into() },
        level: 2,
        level_title: None,
        subject: Some(subject.into()),
        opening: opening.into(),
        items: rows,
        credits,
        not_due: Some(vec![NotDueRow {
            document_number: "FA-2026-0560".into(),
            document_date: d(2026, 12, 20),
            due_date: d(2027, 1, 19),
            amount_original: eur(31250),
            amount_open: eur(31250),
        }]),
        total_overdue,
        total_credits: Some(total_credits),
        fee: Some(fee),
        interest,
        indemnity: Some(indemnity),
        total_due,
        deadline: d(2027, 1, 19),
        pay_to: None,
        payment_reference: "REL-2027-00012 / C000123".into(),
        closing: closing.into(),
        signature,
        preview,
    }
}

pub fn fee_invoice(locale: Locale) -> ChargeInvoiceDoc {
    let lang = locale.language;
    let w = match lang {
        Language::De => "Verzugszinsen auf überfällige Rechnungen",
        Language::En => "Late interest on overdue invoices",
        _ => "Intérêts de retard sur factures échues",
    };
    ChargeInvoiceDoc {
        locale,
        letterhead: letterhead(),
        window: Window::Right,
        recipient: recipient(lang),
        customer_number: "C000123".into(),
        kind: ChargeKind::Interest,
        number: "FI-2027-00004".into(),
        date: d(2027, 1, 4),
        due_date: d(2027, 1, 19),
        letter_number: "REL-2027-00012".into(),
        lines: vec![InvoiceLine { description: w.into(), amount: eur(2689) }],
        details: vec![
            InterestDetail {
                document_number: "FA-2026-0412".into(),
                from: d(2026, 10, 31),
                to: d(2026, 12, 31),
                days: 62,
                base: eur(123456),
                rate_percent: Decimal::parse("12.15").unwrap(),
                amount: eur(2548),
            },
            InterestDetail {
                document_number: "FA-2026-0457".into(),
                from: d(2026, 11, 15),
                to: d(2027, 1, 4),
                days: 51,
                base: eur(48000),
                rate_percent: Decimal::parse("12.4").unwrap(),
                amount: eur(141),
            },
        ],
        total: eur(2689),
        preview: false,
    }
}

pub fn deposit_slip(locale: Locale) -> DepositSlipDoc {
    let cheques = vec![
        Cheque {
            drawer: "Café de l’Opéra SARL".into(),
            bank: "BNP Paribas".into(),
            number: "0012345".into(),
            amount: eur(123456),
        },
        Cheque {
            drawer: "Boucherie Lefèvre".into(),
            bank: "Société Générale".into(),
            number: "7654321".into(),
            amount: eur(4550),
        },
        Cheque {
            drawer: "Hôtel du Château d’Eau".into(),
            bank: "Crédit Agricole".into(),
            number: "0000987".into(),
            amount: eur(98000),
        },
    ];
    let total = Money::checked_sum(Currency::EUR, cheques.iter().map(|c| c.amount)).unwrap();
    DepositSlipDoc {
        locale,
        letterhead: letterhead(),
        bank_name: "Crédit Lyonnais".into(),
        account_name: "Compte courant".into(),
        iban: "FR76 3000 2005 5000 0015 7845 Z02".into(),
        date: d(2027, 1, 5),
        number: "REM-2027-0003".into(),
        cheques,
        total,
        preview: false,
    }
}

pub fn refund_letter(locale: Locale) -> RefundLetterDoc {
    let lang = locale.language;
    let (opening, closing) = match lang {
        Language::De => ("Sehr geehrte Damen und Herren, wir erstatten Ihnen den folgenden Betrag.", "Mit freundlichen Grüßen"),
        Language::En => ("Dear Sir or Madam, we are refunding the amount below.", "Yours faithfully,"),
        _ => (
            "Madame, Monsieur, nous avons constaté un trop-perçu sur votre compte et vous en remboursons le montant ci-dessous.",
            "Nous vous prions d’agréer, Madame, Monsieur, nos salutations distinguées.",
        ),
    };
    RefundLetterDoc {
        locale,
        letterhead: letterhead(),
        window: Window::Right,
        recipient: recipient(lang),
        customer_number: "C000123".into(),
        date: d(2027, 1, 6),
        number: "RMB-2027-0002".into(),
        reason: RefundReason::Overpayment,
        method_code: "transfer".into(),
        method_label: None,
        piece_number: "VIR-88812".into(),
        amount: eur(12050),
        refunded: vec![
            RefundedRow {
                kind: "Règlement".into(),
                number: "P-2026-01881".into(),
                date: d(2026, 12, 12),
                amount: eur(10000),
            },
            RefundedRow {
                kind: "Avoir".into(),
                number: "AV-2026-0031".into(),
                date: d(2026, 11, 20),
                amount: eur(2050),
            },
        ],
        opening: opening.into(),
        closing: closing.into(),
        signature: vec!["Claire Dubois".into(), "Service comptabilité clients".into()],
        preview: false,
    }
}

/// The rows of the sample list: open items in two currencies.
pub fn list_rows() -> Vec<Vec<Cell>> {
    let data: &[(&str, &str, &str, Date, Date, Money, i64)] = &[
        ("C000123", "Café de l’Opéra SARL", "FA-2026-0412", d(2026, 9, 30), d(2026, 10, 30), eur(123456), 62),
        ("C000123", "Café de l’Opéra SARL", "FA-2026-0457", d(2026, 10, 15), d(2026, 11, 14), eur(48000), 47),
        ("C000210", "=cmd|' /C calc'!A0", "FA-2026-0470", d(2026, 10, 20), d(2026, 11, 19), eur(-2050), 42),
        ("C000388", "Müller & Söhne GmbH", "FA-2026-0488", d(2026, 10, 28), d(2026, 11, 27), eur(99), 34),
        (
            "C000401",
            "Zürcher Käserei AG",
            "FA-2026-0490",
            d(2026, 11, 3),
            d(2026, 12, 3),
            Money::new(1234567, Currency::CHF),
            28,
        ),
        (
            "C000402",
            "Dupont, \"fils\"",
            "FA-2026-0495",
            d(2026, 11, 5),
            d(2026, 12, 5),
            Money::new(500, Currency::CHF),
            26,
        ),
    ];
    data.iter()
        .map(|&(c, name, doc, date, due, open, days)| {
            vec![
                Cell::text(c),
                Cell::text(name),
                Cell::text(doc),
                Cell::Date(date),
                Cell::Date(due),
                Cell::text(open.currency().code()),
                Cell::Money(open),
                Cell::Integer(days),
            ]
        })
        .collect()
}

pub fn list_columns(language: Language) -> Vec<ListColumn> {
    let t: [&str; 8] = match language {
        Language::De => ["Kunde", "Name", "Beleg", "Datum", "Fällig am", "Währung", "Offen", "Tage"],
        Language::En => ["Customer", "Name", "Document", "Date", "Due date", "Currency", "Open", "Days"],
        _ => ["Client", "Nom", "Pièce", "Date", "Échéance", "Devise", "Reste dû", "Jours"],
    };
    let aligns =
        [Align::Left, Align::Left, Align::Left, Align::Left, Align::Left, Align::Left, Align::Right, Align::Right];
    let weights = [15, 34, 19, 14, 14, 10, 22, 8];
    (0..8).map(|i| ListColumn::new(t[i], aligns[i], weights[i])).collect()
}

pub fn list(locale: Locale) -> ListDoc {
    let rows = list_rows();
    let mut totals: Vec<MoneyTotal> = Vec::new();
    for row in &rows {
        if let Cell::Money(m) = row[6] {
            match totals.iter_mut().find(|t| t.currency() == m.currency()) {
                Some(t) => *t = t.checked_add(m).unwrap(),
                None => totals.push(MoneyTotal::from(m)),
            }
        }
    }
    ListDoc {
        locale,
        letterhead: letterhead(),
        title: "Échéancier – postes ouverts par échéance".into(),
        filters: vec![
            ("Au".into(), "04/01/2027".into()),
            ("Clients".into(), "C000100 – C000499".into()),
            ("Devises".into(), "toutes".into()),
        ],
        printed_on: d(2027, 1, 4),
        columns: list_columns(locale.language),
        rows,
        totals,
        empty_reason: None,
    }
}
