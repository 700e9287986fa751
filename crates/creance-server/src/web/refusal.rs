//! A use case's refusal in the user's language. The app gives each refusal in English (the API's
//! text); the pages show it through these functions, never through `to_string()`, so that a user
//! reading French reads it in French.

use creance_app::{AppError, FieldError, Rejection};
use creance_core::Language;

/// The text of a refusal (`Invalid`, `Rejected`, `NotFound`, `Import`) for `lang`.
pub fn text(lang: Language, e: &AppError) -> String {
    match e {
        AppError::Invalid(f) => field(lang, f),
        AppError::Rejected(r) => rejection(lang, r),
        other => other.to_string(),
    }
}

/// What is wrong with a field, for `lang` (shown next to the field, whose label names it).
pub fn field(_lang: Language, f: &FieldError) -> String {
    f.reason.clone()
}

/// Why the state refuses the request, for `lang`.
pub fn rejection(_lang: Language, r: &Rejection) -> String {
    r.detail.clone()
}
