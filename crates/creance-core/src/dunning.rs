//! SPEC §4.6 (the rules of a dunning policy that need no storage): when an installment may go to its
//! next level, and what a level's fee is. The proposal, the letters and their storage build on these.

use crate::{Date, Decimal, Money, MoneyError};

/// A level's fee (SPEC §4.6): none, a fixed amount, or a percentage of the overdue amount kept between
/// a minimum and a maximum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fee {
    None,
    Fixed(Money),
    Percent { percent: Decimal, min: Money, max: Money },
}

impl Fee {
    /// The fee on `overdue` (in the overdue amount's currency; a fixed fee or bounds in another currency
    /// are an error), rounded half away from zero.
    pub fn on(&self, overdue: Money) -> Result<Money, MoneyError> {
        let currency = overdue.currency();
        let same = |m: Money| {
            if m.currency() == currency {
                Ok(m)
            } else {
                Err(MoneyError::CurrencyMismatch { left: currency, right: m.currency() })
            }
        };
        match self {
            Fee::None => Ok(Money::zero(currency)),
            Fee::Fixed(m) => same(*m),
            Fee::Percent { percent, min, max } => {
                let (min, max) = (same(*min)?, same(*max)?);
                let den = 100 * crate::decimal::pow10(percent.scale()).ok_or(MoneyError::Overflow)?;
                let num = i128::from(overdue.minor()).checked_mul(percent.mantissa()).ok_or(MoneyError::Overflow)?;
                let q = num / den;
                let r = num % den;
                let rounded = if 2 * r.abs() >= den { q + num.signum() } else { q };
                let minor = i64::try_from(rounded).map_err(|_| MoneyError::Overflow)?;
                Ok(Money::new(minor.max(min.minor()).min(max.minor().max(min.minor())), currency))
            }
        }
    }
}

/// One level of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// 1, 2, 3, …
    pub number: i64,
    /// Days after the due date (level 1) or after the previous level's date (the others).
    pub delay_days: i64,
    pub fee: Fee,
    /// Late interest is charged with this level.
    pub interest: bool,
    /// The fixed recovery indemnity (40 EUR in France and Germany) is charged with this level.
    pub indemnity: bool,
}

/// The default policy (SPEC §4.6, seed 001): the day after the due date, then 15 days after level 1,
/// then 15 days after level 2; no fee, no interest.
pub fn default_levels() -> Vec<Level> {
    [(1, 1), (2, 15), (3, 15)]
        .into_iter()
        .map(|(number, delay_days)| Level { number, delay_days, fee: Fee::None, interest: false, indemnity: false })
        .collect()
}

/// The level an installment may be dunned at on `as_of`, if any. Levels are never skipped: the next
/// level is `current + 1`, reached `delay_days` after the due date (level 1) or after the date of the
/// current level. `None` when the last level is reached or the delay has not passed.
pub fn next_level(
    levels: &[Level],
    current: i64,
    due_date: Date,
    last_dunned: Option<Date>,
    as_of: Date,
) -> Option<i64> {
    let next = levels.iter().find(|l| l.number == current + 1)?;
    let since = if current == 0 { due_date } else { last_dunned.unwrap_or(due_date) };
    (as_of >= since.add_days(next.delay_days)).then_some(next.number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }
    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    #[test]
    fn the_default_policy_duns_the_day_after_the_due_date_then_every_15_days() {
        let levels = default_levels();
        let due = d("2026-03-31");
        assert_eq!(next_level(&levels, 0, due, None, d("2026-03-31")), None, "not on the due date");
        assert_eq!(next_level(&levels, 0, due, None, d("2026-04-01")), Some(1));
        assert_eq!(next_level(&levels, 1, due, Some(d("2026-04-01")), d("2026-04-15")), None, "14 days after level 1");
        assert_eq!(next_level(&levels, 1, due, Some(d("2026-04-01")), d("2026-04-16")), Some(2));
        assert_eq!(next_level(&levels, 2, due, Some(d("2026-04-16")), d("2026-05-01")), Some(3));
        assert_eq!(
            next_level(&levels, 3, due, Some(d("2026-05-01")), d("2026-12-31")),
            None,
            "no level after the last"
        );
    }

    #[test]
    fn no_level_is_skipped_however_late() {
        let levels = default_levels();
        assert_eq!(next_level(&levels, 0, d("2025-01-31"), None, d("2026-11-23")), Some(1));
    }

    #[test]
    fn fees_fixed_and_percentage_between_min_and_max() {
        assert_eq!(Fee::None.on(eur(10_000)).unwrap(), eur(0));
        assert_eq!(Fee::Fixed(eur(1_500)).on(eur(10_000)).unwrap(), eur(1_500));
        let pct = Fee::Percent { percent: Decimal::parse("1.5").unwrap(), min: eur(500), max: eur(5_000) };
        assert_eq!(pct.on(eur(100_000)).unwrap(), eur(1_500), "1.5 % of 1000.00");
        assert_eq!(pct.on(eur(10_000)).unwrap(), eur(500), "at least the minimum");
        assert_eq!(pct.on(eur(1_000_000)).unwrap(), eur(5_000), "at most the maximum");
        assert_eq!(
            pct.on(eur(33_367)).unwrap(),
            eur(501),
            "1.5 % of 333.67 = 5.00505 → 5.01 (half away from zero, above the minimum)"
        );
        assert!(Fee::Fixed(Money::new(100, Currency::CHF)).on(eur(100)).is_err());
    }
}

/// The placeholders a letter's subject, opening and closing texts may use (SPEC §4.6).
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("company_name", "the company's name"),
    ("payer_name", "the payer's name"),
    ("payer_number", "the payer's customer number"),
    ("letter_number", "the letter's number (assigned when issued)"),
    ("letter_date", "the letter's date"),
    ("level", "the dunning level (1, 2, 3, …)"),
    ("overdue_total", "the overdue total with its currency"),
    ("credits_total", "the payer's credit notes and unallocated payments"),
    ("charges_total", "fees, interest and indemnity charged with this letter"),
    ("total_due", "overdue total less credits plus charges"),
    ("payment_deadline", "the date by which to pay"),
    ("days_late", "days late of the oldest installment the letter duns"),
];

/// A text names a placeholder that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPlaceholder(pub String);

impl std::fmt::Display for UnknownPlaceholder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let known: Vec<String> = PLACEHOLDERS.iter().map(|(n, _)| format!("{{{n}}}")).collect();
        write!(f, "unknown placeholder {{{}}}; the placeholders are {}", self.0, known.join(", "))
    }
}

/// Checks that every `{name}` in `text` is a known placeholder.
pub fn check_placeholders(text: &str) -> Result<(), UnknownPlaceholder> {
    render(text, &|_| Some(String::new())).map(|_| ())
}

/// Replaces every `{name}` in `text` by `value(name)`; a brace that opens no placeholder is kept.
pub fn render(text: &str, value: &dyn Fn(&str) -> Option<String>) -> Result<String, UnknownPlaceholder> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_lowercase() || c == '_') && close > 0 => {
                let name = &after[..close];
                if !PLACEHOLDERS.iter().any(|(n, _)| *n == name) {
                    return Err(UnknownPlaceholder(name.to_string()));
                }
                out.push_str(&value(name).unwrap_or_default());
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

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
