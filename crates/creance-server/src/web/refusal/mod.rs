//! A use case's refusal in the user's language. The app gives each refusal in English (the API's
//! text) and, for most, what it says as data ([`Said`]); the pages show a refusal through these
//! functions, never through `to_string()`: a user reading French reads [`Said`] worded here, a user
//! reading English the app's text. A refusal the app gave no [`Said`] (a few CLI-only ones) is shown
//! in English.
//!
//! The cash families (payments, allocations, refunds, deposits), the database guards and the
//! generic [`Fault`]s are worded here; the dunning ones in [`dunning`], the settings' in
//! [`settings`], the small balances' in [`small_balances`].
//!
//! The core's parse errors carry their reason as one of a few fixed English phrases
//! (`DateError::reason`, `MoneyError::InvalidAmount::reason`); [`core_reason_fr`] words each.

use creance_app::deposit_rejections::{DepositRejection, NotEligible};
use creance_app::payment_rejections::{AllocationRejection, PaymentRejection};
use creance_app::refund_rejections::RefundRejection;
use creance_app::said::DbRejection;
use creance_app::{AppError, CreditLabel, Fault, FieldError, Rejection, Said, Thing};
use creance_core::allocation::AllocationError;
use creance_core::{DepositStatus, Language, Money, MoneyError};

mod dunning;
mod settings;
mod small_balances;

use super::format;
use super::i18n::ui_language;

/// The text of a refusal (`Invalid`, `Rejected`, `NotFound`, `Import`) for `lang`.
pub fn text(lang: Language, e: &AppError) -> String {
    match e {
        AppError::Invalid(f) => field(lang, f),
        AppError::Rejected(r) => rejection(lang, r),
        AppError::NotFound { entity, key } => not_found(lang, entity, key),
        other => other.to_string(),
    }
}

/// What a 404 says: the thing and its key (`payment 12`, `règlement 12`).
pub fn not_found(lang: Language, entity: &str, key: impl std::fmt::Display) -> String {
    let entity = if ui_language(lang) == Language::Fr { entity_fr(entity) } else { entity };
    format!("{entity} {key}").trim_end().to_string()
}

/// What is wrong with a field, for `lang` (shown next to the field, whose label names it).
pub fn field(lang: Language, f: &FieldError) -> String {
    match (&f.said, ui_language(lang)) {
        (Some(said), Language::Fr) => fr(said),
        _ => f.reason.clone(),
    }
}

/// Why the state refuses the request, for `lang`.
pub fn rejection(lang: Language, r: &Rejection) -> String {
    match (&r.said, ui_language(lang)) {
        (Some(said), Language::Fr) => fr(said),
        _ => r.detail.clone(),
    }
}

fn amount(m: &Money) -> String {
    format::amount(*m, Language::Fr)
}

fn entity_fr(entity: &str) -> &str {
    match entity {
        "customer" => "client",
        "payment" => "règlement",
        "refund" => "remboursement",
        "deposit" => "remise",
        "document" => "pièce",
        "installment" => "échéance",
        "allocation" => "imputation",
        "bank account" => "compte bancaire",
        "credit note" => "avoir",
        "user" => "utilisateur",
        other => other,
    }
}

fn thing_fr(thing: Thing) -> &'static str {
    match thing {
        Thing::Customer => "client",
        Thing::BankAccount => "compte bancaire",
        Thing::Payment => "règlement",
        Thing::CreditNote => "avoir",
        Thing::Installment => "échéance",
        Thing::InterestTable => "barème d'intérêts",
        Thing::DunningPolicy => "politique de relance",
    }
}

/// A credit, in French ("le règlement RG-…", "l'avoir AV-…").
fn credit_fr(label: &CreditLabel) -> String {
    match label {
        CreditLabel::Payment(n) => format!("le règlement {n}"),
        CreditLabel::CreditNote(n) => format!("l'avoir {n}"),
        CreditLabel::PaymentBeingRecorded => "le règlement en cours d'enregistrement".into(),
    }
}

/// Dates and amounts as a French page writes them.
fn date(d: creance_core::Date) -> String {
    format::date(d, Language::Fr)
}

/// The French of what a refusal says.
pub fn fr(said: &Said) -> String {
    match said {
        Said::Payment(r) => payment_fr(r),
        Said::Allocation(r) => allocation_fr(r),
        Said::Refund(r) => refund_fr(r),
        Said::Deposit(r) => deposit_fr(r),
        Said::Dunning(r) => dunning::rejection_fr(r),
        Said::ExternalReminder(r) => dunning::external_fr(r),
        Said::DunningSettings(r) => dunning::settings_rejection_fr(r),
        Said::Settings(r) => settings::rejection_fr(r),
        Said::Token(r) => settings::token_fr(r),
        Said::SmallBalanceAction(r) => small_balances::action_fr(r),
        Said::Db(r) => db_fr(r),
        Said::Money(e) => money_fr(e),
        Said::Date(e) => format!("« {} » n'est pas une date valide : {}", e.text, core_reason_fr(e.reason)),
        Said::Placeholder(e) => dunning::placeholder_fr(e),
        Said::AgingBuckets(e) => small_balances::buckets_fr(e),
        Said::Field(x) => fault_fr(x),
        Said::DunningField(x) => dunning::fault_fr(x),
        Said::SettingsField(x) => settings::fault_fr(x),
        Said::SmallBalanceField(x) => small_balances::fault_fr(x),
    }
}

fn payment_fr(r: &PaymentRejection) -> String {
    match r {
        PaymentRejection::Cancelled { number } => format!("le règlement {number} est annulé"),
        PaymentRejection::AlreadyCancelled { number } => format!("le règlement {number} est déjà annulé"),
        PaymentRejection::LikelyDuplicate { earlier: d, window_days } => format!(
            "doublon probable du règlement {} du {} ({}) : même client, même montant {} et même n° de pièce « {} » \
             à moins de {window_days} jours ; confirmez pour l'enregistrer quand même",
            d.number,
            format::date(d.date, Language::Fr),
            d.customer_number,
            amount(&d.amount),
            d.piece_number
        ),
        PaymentRejection::Allocated { number, used, moving: false } => {
            format!("le règlement {number} a {} imputés ou remboursés ; désaffectez-le d'abord", amount(used))
        }
        PaymentRejection::Allocated { number, used, moving: true } => format!(
            "le règlement {number} a {} imputés ou remboursés ; désaffectez-le d'abord : il ne change de client \
             que tant que rien n'en est imputé",
            amount(used)
        ),
        PaymentRejection::InDeposit { number } => format!("le règlement {number} est dans une remise en banque"),
        PaymentRejection::Changed { number, what } => {
            let what = match *what {
                "be cancelled" => "être annulé",
                "change customer" => "changer de client",
                other => other,
            };
            format!("le règlement {number} ne peut pas {what} maintenant : il a changé entre-temps")
        }
    }
}

fn allocation_fr(r: &AllocationRejection) -> String {
    match r {
        AllocationRejection::NothingToAllocate { credit, unallocated } => format!(
            "{} n'a rien à imputer : {} non imputés et aucune échéance ouverte qu'il puisse régler",
            credit_fr(credit),
            amount(unallocated)
        ),
        AllocationRejection::Rule(e) => allocation_rule_fr(e),
        AllocationRejection::IsReversal { allocation_id } => {
            format!("l'imputation {allocation_id} est elle-même une contre-passation")
        }
        AllocationRejection::AlreadyReversed { allocation_id, by } => {
            format!("l'imputation {allocation_id} a déjà été contre-passée par {by}")
        }
    }
}

fn allocation_rule_fr(e: &AllocationError) -> String {
    match e {
        AllocationError::Empty => "rien à imputer : indiquez au moins une échéance et un montant".into(),
        AllocationError::NotPositive { installment_id, amount: m } => {
            format!("échéance {installment_id} : le montant {} doit être supérieur à zéro", amount(m))
        }
        AllocationError::CurrencyMismatch { installment_id, credit, line } => {
            format!("échéance {installment_id} : un montant en {line} ne s'impute pas sur un crédit en {credit}")
        }
        AllocationError::DuplicateTarget { installment_id } => {
            format!("l'échéance {installment_id} figure plusieurs fois")
        }
        AllocationError::UnknownTarget { installment_id } => format!(
            "l'échéance {installment_id} n'est pas un débit ouvert de ce client ni des clients pour lesquels il paie"
        ),
        AllocationError::ExceedsTarget { installment_id, amount: m, open } => {
            format!("échéance {installment_id} : {} dépasse son montant ouvert {}", amount(m), amount(open))
        }
        AllocationError::ExceedsCredit { total, unallocated } => {
            format!("les lignes totalisent {} mais seuls {} sont non imputés", amount(total), amount(unallocated))
        }
        AllocationError::Money(e) => money_fr(e),
    }
}

fn refund_fr(r: &RefundRejection) -> String {
    match r {
        RefundRejection::LikelyDuplicate { earlier: d, window_days } => format!(
            "doublon probable du remboursement {} du {} ({}) : même client, même montant {} et même n° de pièce \
             « {} » à moins de {window_days} jours ; confirmez pour l'enregistrer quand même",
            d.number,
            format::date(d.date, Language::Fr),
            d.customer_number,
            amount(&d.amount),
            d.piece_number
        ),
        RefundRejection::FullyAllocated { number } => format!("le remboursement {number} est déjà entièrement imputé"),
        RefundRejection::TooManyCredits { max } => format!(
            "le client a plus de {max} règlements non imputés, le plus qu'un remboursement automatique lit ; \
             choisissez les crédits à rembourser"
        ),
        RefundRejection::NoCredit { customer_number, currency } => {
            format!("le client {customer_number} n'a ni règlement ni avoir non imputé en {currency} à rembourser")
        }
        RefundRejection::CreditEmpty { credit, open } => {
            format!("{} n'a plus de crédit non imputé à rembourser ({})", credit_fr(credit), amount(open))
        }
        RefundRejection::NothingLeftToAllocate { credit, number, to_allocate } => format!(
            "{} : le remboursement {number} n'a plus rien à imputer ({} à imputer)",
            credit_fr(credit),
            amount(to_allocate)
        ),
        RefundRejection::ExceedsCredit { credit, amount: m, open } => {
            format!("{} : {} dépasse son crédit non imputé {}", credit_fr(credit), amount(m), amount(open))
        }
        RefundRejection::ExceedsToAllocate { number, to_allocate } => {
            format!("les lignes demandent plus que le remboursement {number} n'a à imputer ({})", amount(to_allocate))
        }
        RefundRejection::NotCovered { customer_number, to_allocate, covered, taken } => format!(
            "remboursement de {} au client {customer_number} : ses crédits n'en couvrent que {} ({}) ; imputez des \
             crédits couvrant tout le montant, ou enregistrez-le sans imputer pour qu'il attende « à imputer »",
            amount(to_allocate),
            amount(covered),
            taken.iter().map(|(m, l)| format!("{} de {}", amount(m), credit_fr(l))).collect::<Vec<_>>().join(", ")
        ),
        RefundRejection::IsReversal { refund_allocation_id } => {
            format!("l'imputation de remboursement {refund_allocation_id} est elle-même une contre-passation")
        }
        RefundRejection::AlreadyReversed { refund_allocation_id, by } => {
            format!("l'imputation de remboursement {refund_allocation_id} a déjà été contre-passée par {by}")
        }
        RefundRejection::NotAllocated { number, to_allocate } => format!(
            "le remboursement {number} a encore {} à imputer ; la lettre est produite une fois qu'il est imputé",
            amount(to_allocate)
        ),
    }
}

fn deposit_fr(r: &DepositRejection) -> String {
    match r {
        DepositRejection::PaymentNotEligible { number, why, .. } => {
            let why = match why {
                NotEligible::Cancelled => "est annulé".to_string(),
                NotEligible::NotDeposited { method } => {
                    format!("a été payé par {method}, mode qui ne se remet pas en banque")
                }
                NotEligible::InDeposit { deposit_id } => format!("est déjà dans la remise {deposit_id}"),
                NotEligible::Currency { payment, bank } => format!("est en {payment}, le compte bancaire en {bank}"),
                NotEligible::PostDated { deposit_date } => {
                    format!("ne peut pas être remis avant le {}", format::date(*deposit_date, Language::Fr))
                }
            };
            format!("le règlement {number} {why}")
        }
        DepositRejection::AlreadyValidated { number } => format!("la remise {number} est déjà validée"),
        DepositRejection::NotDraft { number, status } => {
            let status = match status {
                DepositStatus::Draft => "en préparation",
                DepositStatus::Validated => "validée",
                DepositStatus::Cancelled => "annulée",
            };
            format!("la remise {number} est {status}, pas en préparation")
        }
    }
}

fn db_fr(r: &DbRejection) -> String {
    match r {
        DbRejection::LostRace => "une autre opération a modifié les mêmes lignes ; réessayez".into(),
        DbRejection::OverAllocation => "la modification imputerait plus que le montant ouvert ; rien n'a changé".into(),
        DbRejection::HeldByOtherDraft => {
            "une autre proposition de relance en préparation tient certaines de ces échéances ; rien n'a changé".into()
        }
        DbRejection::AlreadyReversed => {
            "l'imputation a déjà été contre-passée par une autre demande ; rien n'a changé".into()
        }
        DbRejection::Duplicate { entity, field } => {
            let field = match *field {
                "number" => "ce numéro",
                "name" => "ce nom",
                "email" => "cette adresse e-mail",
                other => other,
            };
            format!("un(e) {} avec {field} existe déjà ; rien n'a changé", entity_fr(entity))
        }
    }
}

fn money_fr(e: &MoneyError) -> String {
    match e {
        MoneyError::CurrencyMismatch { left, right } => {
            format!("un montant en {left} ne se combine pas avec un montant en {right}")
        }
        MoneyError::Overflow => "montant trop grand (dépassement de capacité)".into(),
        MoneyError::UnknownCurrency { code } => format!("« {code} » n'est pas un code de devise connu"),
        MoneyError::InvalidAmount { text, reason } => {
            format!("« {text} » n'est pas un montant valide : {}", core_reason_fr(reason))
        }
        MoneyError::TooManyDecimals { text, currency, exponent } => format!(
            "« {text} » a plus de décimales que le {currency} n'en admet (au plus {exponent}) ; un montant saisi n'est \
             jamais arrondi"
        ),
        MoneyError::EmptySplit => "impossible de répartir un montant sur aucune part".into(),
        MoneyError::AboveLimit { text, max } => {
            format!("« {text} » dépasse le plus grand montant accepté ({}, en valeur absolue)", amount(max))
        }
    }
}

/// The core parsers' fixed reasons, in French (any other is shown as it is).
pub fn core_reason_fr(reason: &str) -> String {
    match reason {
        "expected YYYY-MM-DD, DD/MM/YYYY or DD.MM.YYYY" => "attendu JJ/MM/AAAA, AAAA-MM-JJ ou JJ.MM.AAAA".into(),
        "expected a 4-digit year and a 1- or 2-digit month and day" => {
            "attendu une année de 4 chiffres, un mois et un jour de 1 ou 2 chiffres".into()
        }
        "year out of range (0001 to 9999)" => "année hors limites (0001 à 9999)".into(),
        "month out of range" => "mois hors limites".into(),
        "day out of range for month" => "ce jour n'existe pas dans ce mois".into(),
        "no digits" => "aucun chiffre".into(),
        "the decimal separator appears more than once" => "le séparateur décimal figure plusieurs fois".into(),
        "only digits may follow the decimal separator" => {
            "seuls des chiffres peuvent suivre le séparateur décimal".into()
        }
        "thousands groups must have exactly 3 digits" => "les groupes de milliers doivent avoir 3 chiffres".into(),
        "amount is too large" => "montant trop grand".into(),
        other => other.to_string(),
    }
}

fn fault_fr(x: &Fault) -> String {
    match x {
        Fault::NotPositive { text } => format!("« {text} » doit être supérieur à zéro"),
        Fault::TooLong(e) => format!("{} caractères ; ce champ en prend au plus {}", e.chars, e.max),
        Fault::ControlCharacter => {
            "contient un caractère de contrôle ; seuls les tabulations et retours à la ligne sont acceptés".into()
        }
        Fault::NoSuch { thing, key } => format!("aucun {} {key} dans cette société", thing_fr(*thing)),
        Fault::CustomerMissing => "indiquez le client".into(),
        Fault::CustomerMismatch { id, id_number, number } => {
            format!("le client d'identifiant {id} est {id_number}, pas « {number} »")
        }
        Fault::NotAMethod { method, known } if known.is_empty() => {
            format!("« {method} » n'est pas un mode de règlement de cette société")
        }
        Fault::NotAMethod { method, known } => format!(
            "« {method} » n'est pas un mode de règlement de cette société ; choisissez parmi {}",
            known.join(", ")
        ),
        Fault::NotDeposited { method } => format!("les règlements par {method} ne se remettent pas en banque"),
        Fault::CancelReasonMissing => "indiquez pourquoi le règlement est annulé".into(),
        Fault::AlreadyTheCustomer { payment, customer } => {
            format!("le règlement {payment} est déjà celui du client {customer}")
        }
        Fault::NotARefundReason { text, known } => {
            format!("« {text} » n'est pas un motif de remboursement ; choisissez parmi {}", known.join(", "))
        }
        Fault::RefundLinesMissing => "choisissez au moins un règlement ou un avoir".into(),
        Fault::RefundLineOneCredit => "chaque ligne nomme soit un règlement, soit un avoir".into(),
        Fault::RefundLineOtherCustomer { label, refund } => {
            format!("{} appartient à un autre client que le remboursement {refund}", credit_fr(label))
        }
        Fault::RefundLineTwice { label } => format!("{} figure deux fois", credit_fr(label)),
        Fault::RefundLineCurrency { label, line, refund } => {
            format!("{} est en {line}, le remboursement en {refund}", credit_fr(label))
        }
        Fault::NotACreditNote { number } => format!("{number} n'est pas un avoir"),
        Fault::BankAccountMissing => "choisissez le compte bancaire où vont les règlements".into(),
        Fault::DepositEmpty => "une remise contient au moins un règlement".into(),
        Fault::DepositTooLarge { given, max } => {
            format!("{given} règlements ; une remise en contient au plus {max}")
        }
        Fault::NoBankAccountYet => {
            "la société n'a pas encore de compte bancaire ; ajoutez-en un dans les paramètres".into()
        }
        Fault::DepositPaymentTwice => "un règlement figure deux fois".into(),
        Fault::NotAWholeNumber { text } => format!("« {text} » n'est pas un nombre entier"),
        Fault::NotABoolean { text } => format!("« {text} » n'est ni oui ni non"),
        Fault::DaysOutOfRange { days } => format!("{days} est hors limites ; indiquez de 0 à 36500"),
        Fault::NotASide { text } => format!("« {text} » n'est ni débit ni crédit"),
        Fault::NotADocumentKind { text } => format!("« {text} » n'est pas un type de pièce"),
        Fault::NotASortKey { text, known } => {
            format!("« {text} » n'est pas une colonne triable ; choisissez parmi {known}")
        }
        Fault::SortKeyTwice { name } => format!("{name} figure deux fois ; triez une fois par colonne"),
        Fault::TooManySortKeys { given, max } => format!("{given} clés de tri ; au plus {max}"),
        Fault::PdfTooLarge { rows, max, report } => format!(
            "{} a {rows} lignes, plus que les {max} qu'un PDF contient ; affinez les filtres ou demandez le CSV",
            if *report { "le rapport" } else { "la liste" }
        ),
        Fault::LimitOutOfRange { limit, max } => format!("{limit} est hors limites ; indiquez de 1 à {max}"),
        Fault::OffsetNegative { offset } => format!("{offset} est négatif ; indiquez 0 ou plus"),
        Fault::DateBefore { date, earliest } => {
            format!("le {} est avant le {}", format::date(*date, Language::Fr), format::date(*earliest, Language::Fr))
        }
        Fault::SmallBalanceAllocation { allocation_id } => {
            format!("l'imputation {allocation_id} vient d'une action sur les petits soldes : annulez plutôt l'action")
        }
        Fault::NotAnExportFormat { text } => format!("« {text} » n'est ni json, ni csv, ni pdf"),
        Fault::NotAnEmail { text } => {
            format!("« {text} » n'est pas une adresse e-mail (ni une liste séparée par , ou ;)")
        }
        Fault::NotEither { text, words } => {
            format!("« {text} » n'est pas une valeur possible ; choisissez {}", either_fr(words))
        }
        Fault::NotOneOf { text, known } => {
            format!("« {text} » n'est pas une valeur possible ; choisissez parmi {known}")
        }
        Fault::Negative { value } => format!("{value} est négatif ; indiquez 0 ou plus"),
        Fault::AmountNegative { text } | Fault::MustNotBeNegative { text } => {
            format!("« {text} » est négatif ; indiquez un montant positif ou nul")
        }
        Fault::NotAnAmount { text } => format!("« {text} » n'est pas un montant"),
        Fault::AtMostChars { max } => format!("au plus {max} caractères"),
        Fault::ControlCharactersNotAllowed => {
            "les caractères de contrôle (retours à la ligne, tabulations) sont refusés dans ce champ".into()
        }
        Fault::PeriodFromMissing => "indiquez le premier jour de la période".into(),
        Fault::PeriodReversed { from, to } => {
            format!(
                "le {} est après la fin de la période ({}) ; la période commence avant de finir",
                date(*from),
                date(*to)
            )
        }
        Fault::PeriodTooLong { max_days } => {
            format!("la période dépasse {max_days} jours ; choisissez-en une plus courte")
        }
        Fault::NoCustomerNumbered { number } => format!("aucun client numéroté « {number} » dans cette société"),
        Fault::CustomerNumberMissing => "indiquez le numéro du client".into(),
        Fault::IdempotencyKeyLength => "la clé d'idempotence prend de 1 à 255 caractères".into(),
        Fault::IdempotencyPending { key } => {
            format!("une demande de même clé d'idempotence « {key} » est encore en cours ; réessayez dans un instant")
        }
        Fault::IdempotencyKeyReused { key } => format!(
            "la clé d'idempotence « {key} » a déjà servi pour une autre demande ; prenez une clé nouvelle par demande"
        ),
    }
}

/// "a, b ou c".
fn either_fr(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} ou {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests;
