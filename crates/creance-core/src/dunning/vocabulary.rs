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
        Queued = "queued",
        Sent = "sent",
        Printed = "printed",
        Failed = "failed",
        Cancelled = "cancelled",
        /// Issued without sending.
        NotSent = "not_sent",
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
        assert_eq!(RunStatus::words(), "draft, issued, deleted");
    }
}
