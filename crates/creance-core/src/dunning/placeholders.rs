//! SPEC §4.6: the placeholders of a letter's subject, opening and closing texts, and their rendering
//! from a letter's facts (what the letter says, already decided: totals, dates, names).

use crate::{Date, Money};

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

/// What a letter's placeholders can name, as decided for that letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterFacts<'a> {
    pub company_name: &'a str,
    pub payer_name: &'a str,
    pub payer_number: &'a str,
    /// `None` on a draft: the number is assigned when the letter is issued.
    pub letter_number: Option<&'a str>,
    pub letter_date: Date,
    pub level: i64,
    pub overdue_total: Money,
    pub credits_total: Money,
    /// Fees, interest and indemnity charged with the letter.
    pub charges_total: Money,
    pub total_due: Money,
    pub payment_deadline: Option<Date>,
    /// The oldest due date among the installments the letter duns (`{days_late}` counts from it).
    pub oldest_due: Option<Date>,
}

/// How a letter's texts write their amounts and dates: in the reader's locale, which whoever renders
/// knows (the core formats no locale). [`PlainFormat`] writes them as the core prints them.
pub trait FactFormat {
    fn amount(&self, money: Money) -> String;
    fn date(&self, date: Date) -> String;
}

/// Amounts and dates as the core prints them: `1234.56 EUR`, `2026-12-09`.
pub struct PlainFormat;

impl FactFormat for PlainFormat {
    fn amount(&self, money: Money) -> String {
        money.to_string()
    }
    fn date(&self, date: Date) -> String {
        date.to_string()
    }
}

impl LetterFacts<'_> {
    /// The value of one placeholder (`None` for a name that is not one), amounts and dates plain.
    pub fn value(&self, name: &str) -> Option<String> {
        self.value_in(name, &PlainFormat)
    }

    /// The value of one placeholder, amounts and dates written by `format`.
    pub fn value_in(&self, name: &str, format: &dyn FactFormat) -> Option<String> {
        Some(match name {
            "company_name" => self.company_name.to_string(),
            "payer_name" => self.payer_name.to_string(),
            "payer_number" => self.payer_number.to_string(),
            "letter_number" => self.letter_number.unwrap_or("(assigned when issued)").to_string(),
            "letter_date" => format.date(self.letter_date),
            "level" => self.level.to_string(),
            "overdue_total" => format.amount(self.overdue_total),
            "credits_total" => format.amount(self.credits_total),
            "charges_total" => format.amount(self.charges_total),
            "total_due" => format.amount(self.total_due),
            "payment_deadline" => self.payment_deadline.map(|d| format.date(d)).unwrap_or_default(),
            "days_late" => {
                self.oldest_due.map(|d| d.days_until(self.letter_date).max(0).to_string()).unwrap_or_default()
            }
            _ => return None,
        })
    }
}

/// A letter's three texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterTexts {
    pub subject: String,
    pub opening: String,
    pub closing: String,
}

/// A text of a letter names an unknown placeholder: which text (`subject`, `opening`, `closing`) and
/// the placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    pub field: &'static str,
    pub error: UnknownPlaceholder,
}

impl LetterTexts {
    /// The three texts with every placeholder filled in from `facts`, amounts and dates plain.
    pub fn render(&self, facts: &LetterFacts<'_>) -> Result<LetterTexts, TextError> {
        self.render_in(facts, &PlainFormat)
    }

    /// The three texts with every placeholder filled in from `facts`, amounts and dates written by
    /// `format` (the reader's locale).
    pub fn render_in(&self, facts: &LetterFacts<'_>, format: &dyn FactFormat) -> Result<LetterTexts, TextError> {
        let value = |n: &str| facts.value_in(n, format);
        let one = |field: &'static str, text: &str| render(text, &value).map_err(|error| TextError { field, error });
        Ok(LetterTexts {
            subject: one("subject", &self.subject)?,
            opening: one("opening", &self.opening)?,
            closing: one("closing", &self.closing)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    fn facts(number: Option<&str>) -> LetterFacts<'_> {
        LetterFacts {
            company_name: "Acme",
            payer_name: "Dupont SA",
            payer_number: "C001",
            letter_number: number,
            letter_date: Date::parse("2026-04-20").unwrap(),
            level: 2,
            overdue_total: eur(120_000),
            credits_total: eur(20_000),
            charges_total: eur(4_000),
            total_due: eur(104_000),
            payment_deadline: Some(Date::parse("2026-04-30").unwrap()),
            oldest_due: Some(Date::parse("2026-03-31").unwrap()),
        }
    }

    #[test]
    fn every_placeholder_has_a_value_and_a_draft_has_no_number_yet() {
        let f = facts(None);
        for (name, _) in PLACEHOLDERS {
            assert!(f.value(name).is_some(), "{name}");
        }
        assert_eq!(f.value("letter_number").unwrap(), "(assigned when issued)");
        assert_eq!(facts(Some("REL-2026-0001")).value("letter_number").unwrap(), "REL-2026-0001");
        assert_eq!(f.value("days_late").unwrap(), "20");
        assert_eq!(f.value("nope"), None);
    }

    #[test]
    fn amounts_and_dates_are_written_by_the_readers_format_and_nothing_else_is() {
        struct Marked;
        impl FactFormat for Marked {
            fn amount(&self, money: Money) -> String {
                format!("<{}>", money.minor())
            }
            fn date(&self, date: Date) -> String {
                format!("[{date}]")
            }
        }
        let texts = LetterTexts {
            subject: "{level} {payer_number}".into(),
            opening: "{overdue_total} {credits_total} {charges_total} {letter_date}".into(),
            closing: "{total_due} avant le {payment_deadline}".into(),
        };
        let out = texts.render_in(&facts(None), &Marked).unwrap();
        assert_eq!(out.subject, "2 C001");
        assert!(out.opening.starts_with('<') && out.opening.ends_with(']'), "{}", out.opening);
        assert_eq!(out.closing, "<104000> avant le [2026-04-30]");
        assert_eq!(texts.render(&facts(None)).unwrap(), texts.render_in(&facts(None), &PlainFormat).unwrap());
    }

    #[test]
    fn a_letters_texts_render_with_its_facts_and_an_unknown_placeholder_names_its_text() {
        let texts = LetterTexts {
            subject: "Relance {level} – {company_name}".into(),
            opening: "{payer_name} ({payer_number}), {days_late} jours {not_a_brace".into(),
            closing: "{total_due} avant le {payment_deadline}".into(),
        };
        let out = texts.render(&facts(None)).unwrap();
        assert_eq!(out.subject, "Relance 2 – Acme");
        assert_eq!(out.opening, "Dupont SA (C001), 20 jours {not_a_brace");
        assert_eq!(out.closing, format!("{} avant le 2026-04-30", eur(104_000)));
        let bad = LetterTexts { closing: "{totl_due}".into(), ..texts };
        assert_eq!(
            bad.render(&facts(None)),
            Err(TextError { field: "closing", error: UnknownPlaceholder("totl_due".into()) })
        );
    }
}
