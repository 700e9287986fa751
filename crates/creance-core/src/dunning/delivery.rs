//! SPEC §4.6, issue 11: the rules of a letter's e-mail delivery that need no I/O — how often a
//! failed attempt is retried, which SMTP answers are final, and when an attempt under way is taken
//! as interrupted.

use crate::Timestamp;

use super::AttemptOutcome;

/// Attempts before a delivery that keeps failing temporarily is `failed` for a clerk to resend.
pub const MAX_ATTEMPTS: i64 = 6;

/// The wait after the first failed attempt; each further failure doubles it.
pub const FIRST_RETRY_SECONDS: i64 = 60;

/// The longest wait between two attempts.
pub const MAX_RETRY_SECONDS: i64 = 6 * 3600;

/// An attempt still `sending` after this long belongs to a worker that stopped (a send takes
/// seconds; the SMTP client gives up after a minute).
pub const SENDING_LEASE_SECONDS: i64 = 600;

/// Where a payer's dunning e-mails go: its dunning e-mail, else its e-mail; None: it has neither,
/// and its letters go by post.
pub fn dunning_address<'a>(dunning_email: &'a str, email: &'a str) -> Option<&'a str> {
    [dunning_email.trim(), email.trim()].into_iter().find(|a| !a.is_empty())
}

/// The wait before the next attempt once `attempts` attempts have failed: 1 min, 2, 4, 8, 16, …,
/// at most [`MAX_RETRY_SECONDS`].
pub fn retry_delay_seconds(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    FIRST_RETRY_SECONDS.saturating_mul(1_i64 << doublings).min(MAX_RETRY_SECONDS)
}

/// What a failed attempt leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Queued again, not before `at`.
    Retry { at: Timestamp },
    /// Failed for good: a clerk resends it.
    Fail,
}

impl AfterFailure {
    pub fn outcome(self) -> AttemptOutcome {
        match self {
            AfterFailure::Retry { .. } => AttemptOutcome::Retry,
            AfterFailure::Fail => AttemptOutcome::Failed,
        }
    }
}

/// The attempt numbered `attempts` (1 for the first) failed at `now`; `permanent` when the server
/// refused for good (5xx) or the message cannot be sent as it is (an invalid address).
pub fn after_failure(attempts: i64, permanent: bool, now: Timestamp) -> AfterFailure {
    if permanent || attempts >= MAX_ATTEMPTS {
        AfterFailure::Fail
    } else {
        AfterFailure::Retry { at: now.seconds_later(retry_delay_seconds(attempts)) }
    }
}

/// An SMTP reply code says the failure is final (5xx: the server refuses; 4xx is "try later").
pub fn is_permanent_reply(code: u16) -> bool {
    (500..600).contains(&code)
}

/// An attempt that started at `started` and is still under way at `now` was interrupted.
pub fn is_interrupted(started: Timestamp, now: Timestamp) -> bool {
    now.unix_seconds().saturating_sub(started.unix_seconds()) >= SENDING_LEASE_SECONDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dunning_email_goes_first_then_the_email() {
        assert_eq!(dunning_address(" relances@x.example ", "contact@x.example"), Some("relances@x.example"));
        assert_eq!(dunning_address("", "contact@x.example"), Some("contact@x.example"));
        assert_eq!(dunning_address(" ", ""), None);
    }

    #[test]
    fn retries_back_off_exponentially_up_to_a_cap() {
        let waits: Vec<i64> = (1..=5).map(retry_delay_seconds).collect();
        assert_eq!(waits, [60, 120, 240, 480, 960]);
        assert_eq!(retry_delay_seconds(12), MAX_RETRY_SECONDS);
        assert_eq!(retry_delay_seconds(i64::MAX), MAX_RETRY_SECONDS);
        assert_eq!(retry_delay_seconds(0), 60);
    }

    #[test]
    fn a_temporary_failure_is_retried_until_the_last_attempt_then_fails() {
        let now = Timestamp::from_unix_seconds(1_000_000);
        assert_eq!(after_failure(1, false, now), AfterFailure::Retry { at: now.seconds_later(60) });
        assert_eq!(after_failure(3, false, now), AfterFailure::Retry { at: now.seconds_later(240) });
        assert_eq!(after_failure(MAX_ATTEMPTS, false, now), AfterFailure::Fail);
        assert_eq!(after_failure(1, true, now), AfterFailure::Fail);
    }

    #[test]
    fn only_5xx_replies_are_final() {
        assert!(is_permanent_reply(550));
        assert!(is_permanent_reply(554));
        assert!(!is_permanent_reply(421));
        assert!(!is_permanent_reply(451));
        assert!(!is_permanent_reply(250));
    }

    #[test]
    fn an_attempt_is_interrupted_after_the_lease() {
        let t = Timestamp::from_unix_seconds(1_000_000);
        assert!(!is_interrupted(t, t.seconds_later(SENDING_LEASE_SECONDS - 1)));
        assert!(is_interrupted(t, t.seconds_later(SENDING_LEASE_SECONDS)));
    }
}
