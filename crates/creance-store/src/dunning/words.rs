//! Stored words (statuses, kinds: the dunning ones, and payment and deposit statuses) parsed into their
//! core types where the row is read.

use crate::row;

/// A stored word (a status, a kind) parsed into its type; an unknown word is an error naming the
/// table, the column and the value, never a silent default.
pub(crate) fn word<T>(
    r: &impl row::Fields,
    table: &str,
    col: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> anyhow::Result<T> {
    let s = row::text(r, col)?;
    parse(&s).ok_or_else(|| anyhow::anyhow!("unknown value {s:?} in {table}.{col}"))
}

/// [`word`] for a column that may be NULL.
pub(crate) fn opt_word<T>(
    r: &impl row::Fields,
    table: &str,
    col: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> anyhow::Result<Option<T>> {
    match row::opt_text(r, col)? {
        None => Ok(None),
        Some(s) => parse(&s).map(Some).ok_or_else(|| anyhow::anyhow!("unknown value {s:?} in {table}.{col}")),
    }
}
