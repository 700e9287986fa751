//! The wall clock, for the edges only: the command line and the HTTP server read it once per command or
//! request and pass the instant in (an [`Actor`](crate::Actor) carries it, and the as-of date is a
//! parameter). The use cases and the store never call this module; the tidy test checks it.

use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use creance_core::{Date, Timestamp};

/// The current instant, to the second.
pub fn now() -> Timestamp {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Timestamp::from_unix_seconds(i64::try_from(secs).unwrap_or(i64::MAX))
}

/// Today's date in UTC, for the edges that default an as-of date.
pub fn today_utc() -> Date {
    now().date()
}

/// A monotonic stopwatch (the time since its first reading), for the edges that time the stages of
/// a use case (`creance bench`, `creance dunning send`): they hand it to the use case, which never
/// reads a clock of its own.
pub fn stopwatch() -> Duration {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}
