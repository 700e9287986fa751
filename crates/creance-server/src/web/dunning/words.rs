//! The dunning vocabularies in the user's words (French or English): letter, run, item and delivery
//! statuses, item kinds, letter channels, and the left-out reasons (a clerk's own reason is shown as
//! typed).

use creance_core::dunning::{
    DeliveryStatus, ItemKind, ItemStatus, LeftOutReason, LetterChannel, LetterReason, LetterStatus, RunStatus,
};
use creance_core::Language;

fn pick(lang: Language, (fr, en): (&'static str, &'static str)) -> &'static str {
    if crate::web::i18n::ui_language(lang) == Language::Fr {
        fr
    } else {
        en
    }
}

pub fn letter_status(lang: Language, s: LetterStatus) -> &'static str {
    pick(
        lang,
        match s {
            LetterStatus::Draft => ("à émettre", "to issue"),
            LetterStatus::LeftOut => ("écartée", "left out"),
            LetterStatus::Removed => ("retirée", "removed"),
            LetterStatus::Issued => ("émise", "issued"),
            LetterStatus::Withdrawn => ("annulée", "withdrawn"),
        },
    )
}

pub fn run_status(lang: Language, s: RunStatus) -> &'static str {
    pick(
        lang,
        match s {
            RunStatus::Draft => ("en préparation", "being prepared"),
            RunStatus::Issued => ("émise", "issued"),
            RunStatus::Deleted => ("supprimée", "deleted"),
        },
    )
}

pub fn delivery_status(lang: Language, s: DeliveryStatus) -> &'static str {
    pick(
        lang,
        match s {
            DeliveryStatus::Queued => ("en file d’envoi", "queued"),
            DeliveryStatus::Sending => ("en cours d’envoi", "sending"),
            DeliveryStatus::Sent => ("envoyée", "sent"),
            DeliveryStatus::Printed => ("imprimée", "printed"),
            DeliveryStatus::Failed => ("échec de l’envoi", "failed"),
            DeliveryStatus::Cancelled => ("envoi annulé", "cancelled"),
            DeliveryStatus::NotSent => ("non envoyée", "not sent"),
        },
    )
}

pub fn channel(lang: Language, c: LetterChannel) -> &'static str {
    pick(
        lang,
        match c {
            LetterChannel::Email => ("e-mail", "e-mail"),
            LetterChannel::Letter => ("courrier", "post"),
        },
    )
}

pub fn item_kind(lang: Language, k: ItemKind) -> &'static str {
    pick(
        lang,
        match k {
            ItemKind::Due => ("relancée", "dunned"),
            ItemKind::Overdue => ("échue, rappelée", "overdue, listed"),
            ItemKind::NotDue => ("non échue", "not yet due"),
            ItemKind::Credit => ("avoir", "credit note"),
            ItemKind::Payment => ("règlement non affecté", "unallocated payment"),
            ItemKind::Blocked => ("bloquée", "blocked"),
            ItemKind::Disabled => ("client non relancé", "customer not dunned"),
            ItemKind::InOtherDraft => ("dans une autre proposition", "in another proposal"),
        },
    )
}

pub fn item_status(lang: Language, s: ItemStatus) -> &'static str {
    pick(
        lang,
        match s {
            ItemStatus::Active => ("retenue", "kept"),
            ItemStatus::Removed => ("retirée", "removed"),
            ItemStatus::Settled => ("réglée depuis", "settled since"),
        },
    )
}

fn left_out(lang: Language, r: LeftOutReason) -> &'static str {
    pick(
        lang,
        match r {
            LeftOutReason::NothingToDun => (
                "rien à relancer : échéances bloquées, non relancées ou dans une autre proposition",
                "nothing to dun: installments blocked, not dunned or in another proposal",
            ),
            LeftOutReason::AmountTooLarge => {
                ("montants trop grands pour être totalisés", "amounts too large to add up")
            }
            LeftOutReason::CreditsCover => (
                "les avoirs et règlements non affectés couvrent l’échu",
                "credit notes and unallocated payments cover the overdue total",
            ),
            LeftOutReason::SmallBalance => {
                ("solde dû sous le seuil des petits soldes", "balance due under the small-balance threshold")
            }
            LeftOutReason::BelowMinimum => ("solde dû sous le minimum", "balance due under the minimum"),
            LeftOutReason::LastLevelReached => {
                ("dernier niveau atteint (suivi contentieux)", "last level reached (legal follow-up)")
            }
        },
    )
}

/// Why a letter is left out or removed, in words; empty for a letter with no reason.
pub fn reason(lang: Language, r: &LetterReason) -> String {
    match r {
        LetterReason::None => String::new(),
        LetterReason::LeftOut(r) => left_out(lang, *r).to_string(),
        LetterReason::Clerk(text) => text.clone(),
    }
}
