//! The wall clock, read only at the edges: audit and creation timestamps, and the default as-of date
//! of the CLI and the API. Business rules take their date as a parameter.

use std::time::{SystemTime, UNIX_EPOCH};

use creance_core::Date;

/// The current instant as RFC 3339 UTC, e.g. `2026-11-22T10:15:00Z`. Audit timestamps only; business
/// dates are always parameters.
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    rfc3339(secs)
}

/// The instant `minutes` ago, as RFC 3339 UTC (these strings sort as instants).
pub fn rfc3339_minutes_ago(minutes: u64) -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    rfc3339(secs.saturating_sub(minutes * 60))
}

fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i32;
    let rem = secs % 86_400;
    format!("{}T{:02}:{:02}:{:02}Z", Date::from_days_since_epoch(days), rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// Today's date in UTC, for the edges (CLI, HTTP) that default an as-of date.
pub fn today_utc() -> Date {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Date::from_days_since_epoch((secs / 86_400) as i32)
}
