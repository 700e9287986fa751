//! SPEC §4.6: the closed vocabularies of dunning — statuses of runs, letters, items and deliveries,
//! the kinds of a letter's items, and why an installment is blocked. Each is stored and written as
//! its `as_str()` word and parsed once where the row is read (an unknown word is an error there).

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored word.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            pub fn parse(word: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == word)
            }

            /// The words, for a message listing what is accepted (`draft, issued, deleted`).
            pub fn words() -> String {
                $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// A proposal's status.
    RunStatus { Draft = "draft", Issued = "issued", Deleted = "deleted" }
}

vocabulary! {
    /// A letter's status.
    LetterStatus {
        Draft = "draft",
        /// Left out by a rule (see [`super::LeftOutReason`]).
        LeftOut = "left_out",
        /// Removed by a clerk.
        Removed = "removed",
        Issued = "issued",
        Withdrawn = "withdrawn",
    }
}

impl LetterStatus {
    /// A letter in a draft proposal (its totals and charges are recomputed).
    pub fn is_draft_side(self) -> bool {
        matches!(self, LetterStatus::Draft | LetterStatus::LeftOut | LetterStatus::Removed)
    }

    /// An issued or withdrawn letter: its texts and lists are frozen.
    pub fn is_frozen(self) -> bool {
        matches!(self, LetterStatus::Issued | LetterStatus::Withdrawn)
    }
}

vocabulary! {
    /// What a row of a letter is: dunned (`due`), listed for information, or left out with its reason.
    ItemKind {
        Due = "due",
        Overdue = "overdue",
        NotDue = "not_due",
        Credit = "credit",
        Payment = "payment",
        Blocked = "blocked",
        Disabled = "disabled",
        InOtherDraft = "in_other_draft",
    }
}

vocabulary! {
    /// A letter row's status.
    ItemStatus {
        Active = "active",
        /// Removed by a clerk, or blocked since the proposal.
        Removed = "removed",
        /// Paid since the proposal.
        Settled = "settled",
    }
}

vocabulary! {
    /// An issued letter's delivery.
    DeliveryStatus {
        /// Waiting for the delivery worker (again, after a failed attempt that will be retried).
        Queued = "queued",
        /// An attempt is under way: recorded before the message is handed to the server, so a
        /// worker that dies mid-send leaves the letter here, never silently queued again.
        Sending = "sending",
        Sent = "sent",
        Printed = "printed",
        Failed = "failed",
        Cancelled = "cancelled",
        /// Issued without sending.
        NotSent = "not_sent",
    }
}

vocabulary! {
    /// How a company's SMTP connection is secured.
    SmtpSecurity {
        /// Plain SMTP (a relay on the local network).
        None = "none",
        /// Plain, then upgraded with STARTTLS (port 587); refused if the server does not offer it.
        Starttls = "starttls",
        /// TLS from the first byte (SMTPS, port 465).
        Tls = "tls",
    }
}

vocabulary! {
    /// Where a delivery attempt handed its message.
    DeliveryTransport {
        Smtp = "smtp",
        /// An `.eml` file in the outbox folder (no SMTP configured).
        Outbox = "outbox",
    }
}

vocabulary! {
    /// How a delivery attempt ended.
    AttemptOutcome {
        Sent = "sent",
        /// A temporary failure (4xx reply, connection refused, time-out): queued again.
        Retry = "retry",
        /// A permanent failure (5xx reply, an invalid address) or the last attempt: the delivery
        /// is `failed` for a clerk to resend.
        Failed = "failed",
        /// The worker stopped during the attempt: the message may or may not have been delivered.
        Interrupted = "interrupted",
    }
}

vocabulary! {
    /// Why an installment is blocked from dunning.
    BlockReason { Dispute = "dispute", Promise = "promise", Legal = "legal", Other = "other" }
}

vocabulary! {
    /// How a reminder made outside Créance was made.
    ExternalChannel { Email = "email", Letter = "letter", Phone = "phone", Visit = "visit", Other = "other" }
}

vocabulary! {
    /// How a letter is sent (a policy level's, a letter's and a delivery's channel).
    LetterChannel { Email = "email", Letter = "letter" }
}

vocabulary! {
    /// Where an event of an installment's dunning history comes from.
    HistorySource {
        /// A letter issued by Créance.
        Letter = "letter",
        /// A reminder made outside Créance.
        External = "external",
    }
}

vocabulary! {
    /// An event of an installment's dunning history: the letter's status, or `recorded` (external).
    HistoryStatus { Issued = "issued", Withdrawn = "withdrawn", Recorded = "recorded" }
}

/// Why a letter is where it is, as stored in `dunning_letters.reason`: nothing (stored empty), a
/// left-out rule's code, or a clerk's reason for removing it, as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LetterReason {
    None,
    LeftOut(super::LeftOutReason),
    /// A clerk's reason for removing the letter (the only free text: it is not a word).
    Clerk(String),
}

impl LetterReason {
    /// The stored text.
    pub fn as_str(&self) -> &str {
        match self {
            LetterReason::None => "",
            LetterReason::LeftOut(r) => r.as_str(),
            LetterReason::Clerk(s) => s,
        }
    }

    /// The stored text of a letter of `status`; `None` when a left-out letter's text is not a
    /// left-out code.
    pub fn parse(status: LetterStatus, stored: &str) -> Option<LetterReason> {
        if status == LetterStatus::LeftOut {
            return super::LeftOutReason::parse(stored).map(LetterReason::LeftOut);
        }
        Some(match stored {
            "" => LetterReason::None,
            s => match super::LeftOutReason::parse(s) {
                Some(r) => LetterReason::LeftOut(r),
                None => LetterReason::Clerk(s.to_string()),
            },
        })
    }

    /// The reason in words (see [`super::reason_text`]), with the letter's overdue and credits totals.
    pub fn text(&self, overdue: crate::Money, credits: crate::Money) -> String {
        super::reason_text(self.as_str(), overdue, credits)
    }
}

/// Serialized as the stored text.
impl serde::Serialize for LetterReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for LetterReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_reads_back_and_serializes_as_stored() {
        fn check<T: Copy + PartialEq + std::fmt::Debug + serde::Serialize>(
            all: &[T],
            word: fn(T) -> &'static str,
            parse: fn(&str) -> Option<T>,
        ) {
            for v in all {
                assert_eq!(parse(word(*v)), Some(*v));
                assert_eq!(serde_json::to_string(v).unwrap(), format!("\"{}\"", word(*v)));
            }
            assert_eq!(parse("unknown"), None);
        }
        check(RunStatus::ALL, RunStatus::as_str, RunStatus::parse);
        check(LetterStatus::ALL, LetterStatus::as_str, LetterStatus::parse);
        check(ItemKind::ALL, ItemKind::as_str, ItemKind::parse);
        check(ItemStatus::ALL, ItemStatus::as_str, ItemStatus::parse);
        check(DeliveryStatus::ALL, DeliveryStatus::as_str, DeliveryStatus::parse);
        check(BlockReason::ALL, BlockReason::as_str, BlockReason::parse);
        check(ExternalChannel::ALL, ExternalChannel::as_str, ExternalChannel::parse);
        check(LetterChannel::ALL, LetterChannel::as_str, LetterChannel::parse);
        check(HistorySource::ALL, HistorySource::as_str, HistorySource::parse);
        check(HistoryStatus::ALL, HistoryStatus::as_str, HistoryStatus::parse);
        assert_eq!(RunStatus::words(), "draft, issued, deleted");
    }

    #[test]
    fn a_letter_reason_reads_back_as_stored_and_a_left_out_letter_needs_a_code() {
        use super::super::LeftOutReason;
        for (status, stored, expect) in [
            (LetterStatus::LeftOut, "credits_cover", Some(LetterReason::LeftOut(LeftOutReason::CreditsCover))),
            (LetterStatus::LeftOut, "wrong quantity", None),
            (LetterStatus::LeftOut, "", None),
            (LetterStatus::Draft, "", Some(LetterReason::None)),
            (LetterStatus::Removed, "wrong quantity", Some(LetterReason::Clerk("wrong quantity".into()))),
        ] {
            let got = LetterReason::parse(status, stored);
            assert_eq!(got, expect, "{status} {stored:?}");
            if let Some(r) = got {
                assert_eq!(r.as_str(), stored);
                assert_eq!(serde_json::to_string(&r).unwrap(), serde_json::to_string(stored).unwrap());
            }
        }
    }
}
