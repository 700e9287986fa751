//! The dunning refusals in French: a proposal's, a letter's, an external reminder's, the dunning
//! settings' ([`DunningFault`]) and a letter text's unknown placeholder.

use creance_app::dunning::rejections::{
    DunningRejection, DunningSettingsRejection, ExternalReminderRejection, RunAction,
};
use creance_app::DunningFault;
use creance_core::dunning::UnknownPlaceholder;
use creance_core::Language;

use super::date;
use crate::web::dunning::words;

const FR: Language = Language::Fr;

fn run_action_fr(a: RunAction) -> &'static str {
    match a {
        RunAction::Recompute => "n'est recalculée",
        RunAction::Delete => "n'est supprimée",
        RunAction::Issue => "n'est émise",
        RunAction::Edit => "n'est modifiée",
    }
}

pub(super) fn rejection_fr(r: &DunningRejection) -> String {
    match r {
        DunningRejection::RunNotDraft { run_id, status, action } => format!(
            "la proposition {run_id} est {} ; seule une proposition en préparation {}",
            words::run_status(FR, *status),
            run_action_fr(*action)
        ),
        DunningRejection::AsOfAfterToday { run_id, as_of, today } => format!(
            "la proposition {run_id} est arrêtée au {}, après aujourd'hui ({}) ; elle pourra être émise à partir de \
             cette date",
            date(*as_of),
            date(*today)
        ),
        DunningRejection::LetterNotRemovable { letter_id, status } => {
            format!("la lettre {letter_id} est {} : elle ne peut pas être retirée", words::letter_status(FR, *status))
        }
        DunningRejection::LetterNotRemoved { letter_id, status } => {
            format!("la lettre {letter_id} est {}, pas retirée", words::letter_status(FR, *status))
        }
        DunningRejection::LetterItemsInOtherDraft { references } => {
            format!("{} sont désormais dans une autre proposition en préparation", references.join(", "))
        }
        DunningRejection::ItemNotInStatus { item_id, reference, status, expected } => format!(
            "la ligne {item_id} ({reference}) est {}, pas {}",
            words::item_status(FR, *status),
            words::item_status(FR, *expected)
        ),
        DunningRejection::ItemInOtherDraft { reference } => {
            format!("{reference} est désormais dans une autre proposition en préparation")
        }
        DunningRejection::LetterNotIssued { letter, status } => format!(
            "la lettre {letter} est {} ; seule une lettre émise peut être annulée",
            words::letter_status(FR, *status)
        ),
        DunningRejection::DunnedAgainSince { number, later } => format!(
            "{} de la lettre {number} {} relancée(s) depuis ({}) ; annulez d'abord la lettre suivante",
            if later.len() == 1 { "une échéance" } else { "des échéances" },
            if later.len() == 1 { "a été" } else { "ont été" },
            later.join(", ")
        ),
        DunningRejection::InterestRateMissing { table, day } => format!(
            "barème d'intérêts {table} : aucun taux pour le {} ; ajoutez d'abord le taux de cette période",
            date(*day)
        ),
    }
}

pub(super) fn external_fr(r: &ExternalReminderRejection) -> String {
    match r {
        ExternalReminderRejection::InDraftProposal { number } => format!(
            "{number} est dans une proposition de relance en préparation ; retirez-la de la proposition ou \
             supprimez celle-ci d'abord"
        ),
    }
}

pub(super) fn settings_rejection_fr(r: &DunningSettingsRejection) -> String {
    match r {
        DunningSettingsRejection::InterestTableExists { code } => {
            format!("un barème d'intérêts {code} existe déjà ; ajoutez-y des taux")
        }
    }
}

pub(super) fn placeholder_fr(e: &UnknownPlaceholder) -> String {
    let known: Vec<String> = creance_core::dunning::PLACEHOLDERS.iter().map(|(n, _)| format!("{{{n}}}")).collect();
    format!("la variable {{{}}} n'existe pas ; les variables sont {}", e.0, known.join(", "))
}

fn skips_fr(skips: &[(String, i64, i64)]) -> String {
    skips.iter().map(|(r, from, to)| format!("{r} (du niveau {from} au niveau {to})")).collect::<Vec<_>>().join(", ")
}

pub(super) fn fault_fr(x: &DunningFault) -> String {
    match x {
        DunningFault::CodeChars { code } => {
            format!("« {code} » : utilisez des lettres, des chiffres, « - » et « _ » seulement")
        }
        DunningFault::NoLevel => "une politique de relance a au moins un niveau".into(),
        DunningFault::LevelOutOfOrder { found, position } => {
            format!("les niveaux se numérotent 1, 2, 3… dans l'ordre : le niveau {found} est en position {position}")
        }
        DunningFault::DaysOutOfRange { days, max } => format!("{days} jours : indiquez de 0 à {max} jours"),
        DunningFault::FeeMaxBelowMin => "le plafond des frais est inférieur au plancher".into(),
        DunningFault::PercentNotBetween { text } => format!("{text} : indiquez un pourcentage de 0 à 100"),
        DunningFault::NoTextLevel { level } => format!("la politique n'a pas de niveau {level}"),
        DunningFault::NotATextLanguage { text } => {
            format!("« {text} » : les lettres s'écrivent en fr, en ou de")
        }
        DunningFault::NotAYearlyPercentage { text } => {
            format!("{text} n'est pas un taux annuel (de -100 % à 100 %)")
        }
        DunningFault::IndemnityNegative => "l'indemnité forfaitaire ne peut pas être négative".into(),
        DunningFault::RatesMissing => "indiquez au moins une période de taux".into(),
        DunningFault::NoPreset { code, known } => {
            format!("aucun barème prédéfini « {code} » ; les barèmes prédéfinis sont {}", known.join(", "))
        }
        DunningFault::NoPolicy { code } => format!("aucune politique de relance « {code} »"),
        DunningFault::NoPolicyOf { code, known } => {
            format!("aucune politique de relance « {code} » ; les politiques sont {}", known.join(", "))
        }
        DunningFault::PolicyCodeTaken { code } => {
            format!("« {code} » est déjà le code d'une politique de relance de cette société")
        }
        DunningFault::CommentTooLong { chars, max } => format!("{chars} caractères ; au plus {max}"),
        DunningFault::InstallmentsMissing => "choisissez au moins une échéance".into(),
        DunningFault::LevelBelowOne { level } => {
            format!("{level} n'est pas un niveau de relance ; les niveaux commencent à 1")
        }
        DunningFault::CustomerRangeReversed { from, to } => {
            format!("le client de fin « {to} » vient avant le client de début « {from} »")
        }
        DunningFault::DaysOverdueOutOfRange { days } => {
            format!("{days} : indiquez un nombre de jours de retard de 0 à 36500")
        }
        DunningFault::DaysOverdueMaxBelowMin { min, max } => {
            format!("le retard maximum ({max} jours) est inférieur au retard minimum ({min} jours)")
        }
        DunningFault::DateRequired => "indiquez la date de la relance".into(),
        DunningFault::DateInFuture { date: d } => {
            format!(
                "le {} est dans le futur ; une relance faite hors Créance est datée d'aujourd'hui au plus tard",
                date(*d)
            )
        }
        DunningFault::InstallmentOrDocument => "indiquez soit l'échéance, soit le numéro de la facture".into(),
        DunningFault::NoInvoice { number } => format!("aucune facture « {number} » dans cette société"),
        DunningFault::NothingOpen { number } => format!("{number} n'a plus rien d'ouvert"),
        DunningFault::IsACreditNote { number } => {
            format!("{number} est un avoir ; seuls les débits se relancent")
        }
        DunningFault::PolicyLevels { policy, levels } => {
            format!("la politique {policy} a {levels} niveaux")
        }
        DunningFault::LevelNeverDown { number, level } => {
            format!("{number} est déjà au niveau {level} ; un niveau ne redescend jamais (annulez plutôt la lettre)")
        }
        DunningFault::SkipNotAllowed { level, number, at, policy } => format!(
            "le niveau {level} sur {number} saute un niveau (elle est au niveau {at}) et la politique {policy} ne \
             permet pas de sauter de niveau"
        ),
        DunningFault::SkipNotConfirmed { level, number, at } => format!(
            "le niveau {level} sur {number} saute un niveau (elle est au niveau {at}) ; confirmez en forçant et en \
             indiquant un motif"
        ),
        DunningFault::DateNotAfterDue { date: d, number, due } => {
            format!("le {} n'est pas après l'échéance de {number} ({})", date(*d), date(*due))
        }
        DunningFault::ItemForInformation { item_id, kind } => format!(
            "la ligne {item_id} figure pour information ({}), elle n'est pas relancée",
            words::item_kind(FR, *kind)
        ),
        DunningFault::NotAPolicyLevel { level, policy, max } => {
            format!("{level} n'est pas un niveau de la politique {policy} ; indiquez de 1 à {max}")
        }
        DunningFault::LetterSkipNotAllowed { level, skips, policy } => format!(
            "le niveau {level} sauterait un niveau pour {} ; la politique {policy} ne permet pas de sauter de niveau",
            skips_fr(skips)
        ),
        DunningFault::LetterSkipNotConfirmed { level, skips } => format!(
            "le niveau {level} saute un niveau pour {} ; confirmez en forçant et en indiquant un motif",
            skips_fr(skips)
        ),
        DunningFault::WithdrawReasonMissing => "indiquez pourquoi la lettre est annulée".into(),
        DunningFault::TooManyLetters { count, max } => {
            format!("{count} lettres à imprimer ; au plus {max} par PDF : choisissez une plage de payeurs")
        }
        DunningFault::RunNotIssued { run_id, status } => format!(
            "la proposition {run_id} est {} : seules les lettres d'une proposition émise s'impriment",
            words::run_status(FR, *status)
        ),
        DunningFault::DeliveryNotFailed { id, letter, status, channel } => format!(
            "l'envoi {id} (lettre {letter}) est « {} » par {} ; seul un envoi par e-mail en échec se renvoie",
            words::delivery_status(FR, *status),
            words::channel(FR, *channel)
        ),
        DunningFault::PayerHasNoEmail { payer, letter } => {
            format!("le payeur {payer} n'a plus d'adresse e-mail ; imprimez plutôt la lettre {letter}")
        }
    }
}
