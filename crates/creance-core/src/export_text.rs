//! SPEC §5 (files): a text field written to a CSV or FEC export must never be run as a formula by the
//! spreadsheet that opens it ("CSV injection").
//!
//! The rule is OWASP's: a text field (a name, a label, a reference, a number chosen by a user) that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote `'`, which
//! spreadsheets show as text. Amounts and dates are written by Créance itself, never pass through this
//! function and stay numbers. Every CSV/FEC export calls [`neutralise_formula`] on each text field
//! before quoting it for its format.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula when they come first.
pub const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` with a leading `'` when it starts with one of [`FORMULA_TRIGGERS`], else unchanged.
pub fn neutralise_formula(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_TRIGGERS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_triggers_get_a_quote_and_other_text_is_unchanged() {
        let cases = [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+33 1 23", "'+33 1 23"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("Boulangerie = Martin", "Boulangerie = Martin"),
            ("FA-2026-001", "FA-2026-001"),
            ("", ""),
        ];
        for (text, want) in cases {
            assert_eq!(neutralise_formula(text), want, "{text:?}");
        }
    }
}
