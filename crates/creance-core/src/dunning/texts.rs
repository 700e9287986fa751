//! SPEC §4.6: the default texts of a policy's levels, per language.

/// The texts every new policy starts with: (level, language code, subject, opening, closing). Users
/// edit them; a level beyond the third takes the third's texts.
pub fn default_text(level: i64, language: &str) -> (&'static str, &'static str, &'static str) {
    let level = level.clamp(1, 3);
    match (language, level) {
        ("fr", 1) => (
            "Rappel de paiement – {company_name}",
            "Madame, Monsieur,\n\nSauf erreur de notre part, les factures ci-dessous restent impayées à ce jour. Il s'agit probablement d'un oubli.",
            "Nous vous remercions de bien vouloir régler la somme de {total_due} avant le {payment_deadline}. Si votre paiement a été effectué entre-temps, veuillez ne pas tenir compte de ce rappel.\n\nVeuillez agréer nos salutations distinguées.",
        ),
        ("fr", 2) => (
            "Deuxième relance – {company_name}",
            "Madame, Monsieur,\n\nMalgré notre précédent rappel, les sommes ci-dessous restent dues.",
            "Nous vous demandons de régler la somme de {total_due} avant le {payment_deadline}. À défaut, nous serons contraints d'appliquer les pénalités prévues.\n\nVeuillez agréer nos salutations distinguées.",
        ),
        ("fr", _) => (
            "Mise en demeure – {company_name}",
            "Madame, Monsieur,\n\nMalgré nos relances, les sommes ci-dessous restent impayées. Par la présente, nous vous mettons en demeure de les régler.",
            "Sans paiement de {total_due} avant le {payment_deadline}, nous transmettrons ce dossier à notre service contentieux sans autre avis.\n\nVeuillez agréer nos salutations distinguées.",
        ),
        ("de", 1) => (
            "Zahlungserinnerung – {company_name}",
            "Sehr geehrte Damen und Herren,\n\nbei der Durchsicht unserer Buchhaltung haben wir festgestellt, dass die folgenden Rechnungen noch offen sind. Sicher handelt es sich um ein Versehen.",
            "Bitte überweisen Sie {total_due} bis zum {payment_deadline}. Sollten Sie die Zahlung inzwischen veranlasst haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.\n\nMit freundlichen Grüßen",
        ),
        ("de", 2) => (
            "Zweite Mahnung – {company_name}",
            "Sehr geehrte Damen und Herren,\n\ntrotz unserer Erinnerung sind die folgenden Beträge weiterhin offen.",
            "Bitte begleichen Sie {total_due} bis spätestens {payment_deadline}.\n\nMit freundlichen Grüßen",
        ),
        ("de", _) => (
            "Letzte Mahnung – {company_name}",
            "Sehr geehrte Damen und Herren,\n\ntrotz mehrfacher Mahnung sind die folgenden Beträge noch immer offen.",
            "Wenn {total_due} nicht bis zum {payment_deadline} eingeht, übergeben wir die Forderung ohne weitere Ankündigung unserem Inkassodienst.\n\nMit freundlichen Grüßen",
        ),
        (_, 1) => (
            "Payment reminder – {company_name}",
            "Dear Sir or Madam,\n\nAccording to our records, the invoices below are still unpaid. This is probably an oversight.",
            "Please pay {total_due} by {payment_deadline}. If you have paid in the meantime, please disregard this reminder.\n\nYours faithfully,",
        ),
        (_, 2) => (
            "Second reminder – {company_name}",
            "Dear Sir or Madam,\n\nDespite our reminder, the amounts below are still due.",
            "Please pay {total_due} by {payment_deadline}, or late-payment charges will apply.\n\nYours faithfully,",
        ),
        (_, _) => (
            "Final notice – {company_name}",
            "Dear Sir or Madam,\n\nDespite our reminders, the amounts below remain unpaid. This is our final notice.",
            "Unless {total_due} is received by {payment_deadline}, we will pass this debt to our collection service without further notice.\n\nYours faithfully,",
        ),
    }
}

/// The languages policies carry texts in (a payer in another language gets the English texts).
pub const TEXT_LANGUAGES: &[&str] = &["fr", "en", "de"];
