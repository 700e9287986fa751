//! SPEC §5 (limits): every text a user or a file gives has a stated maximum length, in characters.
//!
//! The maximum depends on what the text is, named by its field: identifiers and references are short,
//! names and addresses a line, notes and comments a paragraph, letter texts a page. Every input path
//! (imports, API bodies, CLI) calls [`check_text_length`] with the field's name, and the refusal names
//! the field and its maximum. The table is documented in README "Limits".

/// Numbers, codes, references, piece numbers, bank names: at most 100 characters.
pub const REFERENCE_MAX_CHARS: usize = 100;
/// Names, addresses, cities, labels, subjects, e-mail address lists: at most 200 characters.
pub const NAME_MAX_CHARS: usize = 200;
/// Notes, comments, reasons, a document's text: at most 2,000 characters.
pub const NOTE_MAX_CHARS: usize = 2_000;
/// A letter's opening and closing texts (and any other long text): at most 10,000 characters.
pub const TEXT_MAX_CHARS: usize = 10_000;

/// The maximum length of the text field `field` (a JSON path such as `texts[0].opening` is judged by
/// its last name).
pub fn text_max_chars(field: &str) -> usize {
    let name = field.rsplit(['.', ']']).next().unwrap_or(field);
    match name {
        "number" | "code" | "reference" | "piece_number" | "customer_bank" | "order_ref" | "piece_ref" | "customer"
        | "contract" | "payer" | "currency" | "language" | "country" | "postal_code" | "salesperson" | "bank"
        | "iban" | "bic" | "journal_code" | "account_code" | "method" | "kind" | "role" | "payment_term" => {
            REFERENCE_MAX_CHARS
        }
        "name" | "label" | "address" | "city" | "subject" | "reference_name" | "email" | "dunning_email" => {
            NAME_MAX_CHARS
        }
        "note" | "comment" | "reason" | "text" => NOTE_MAX_CHARS,
        _ => TEXT_MAX_CHARS,
    }
}

/// A text longer than its field takes: `chars` characters where `field` takes `max`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextTooLong {
    pub field: String,
    pub chars: usize,
    pub max: usize,
}

impl std::fmt::Display for TextTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "is {} characters long; {} takes at most {}", self.chars, self.field, self.max)
    }
}

/// Refuses a text longer than its field's maximum, naming the maximum and the length found.
pub fn check_text_length(field: &str, value: &str) -> Result<(), TextTooLong> {
    let max = text_max_chars(field);
    let chars = value.chars().count();
    if chars > max {
        return Err(TextTooLong { field: field.to_string(), chars, max });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_has_its_maximum_and_the_refusal_names_it() {
        assert_eq!(text_max_chars("piece_number"), 100);
        assert_eq!(text_max_chars("name"), 200);
        assert_eq!(text_max_chars("note"), 2_000);
        assert_eq!(text_max_chars("texts[0].opening"), 10_000);
        assert_eq!(text_max_chars("texts[2].subject"), 200);
        assert!(check_text_length("name", &"é".repeat(200)).is_ok());
        let e = check_text_length("name", &"é".repeat(201)).unwrap_err().to_string();
        assert!(e.contains("201 characters") && e.contains("at most 200"), "{e}");
    }
}
