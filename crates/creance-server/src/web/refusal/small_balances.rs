//! The small balances' refusals in French (the core's [`ActionRejection`] and the use cases'
//! [`SmallBalanceFault`]), and the aging report's bucket bounds.

use creance_app::SmallBalanceFault;
use creance_core::aging::{AgingBucketsError, AGING_BOUNDS_MAX, AGING_BOUND_DAYS_MAX};
use creance_core::small_balances::{ActionRejection, ChargeStatus};

use super::amount;

fn charge_status_fr(s: ChargeStatus) -> &'static str {
    match s {
        ChargeStatus::Pending => "en attente de facturation",
        ChargeStatus::Acknowledged => "facturée",
        ChargeStatus::Cancelled => "annulée",
    }
}

pub(super) fn action_fr(r: &ActionRejection) -> String {
    match r {
        ActionRejection::NoItems => "la sélection ne contient aucun élément ouvert".into(),
        ActionRejection::MixedCustomers { first, other } => {
            format!("{other} appartient à un autre client que {first} : une action porte sur un seul client")
        }
        ActionRejection::MixedCurrencies { first, other, label } => {
            format!("{label} est en {other}, les autres en {first} : une action porte sur une seule devise")
        }
        ActionRejection::NothingOpen { label } => format!("{label} n'a plus rien d'ouvert"),
        ActionRejection::AboveWriteOffMaximum { total, maximum } => format!(
            "une passation en perte de {} dépasse le maximum de la société ({})",
            amount(total),
            amount(maximum)
        ),
        ActionRejection::NetsToZero { total } => format!(
            "les débits et les crédits font tous deux {} : imputez plutôt les crédits sur les débits",
            amount(total)
        ),
        ActionRejection::Overflow => "le total des éléments dépasse ce qu'un montant peut contenir".into(),
    }
}

pub(super) fn buckets_fr(e: &AgingBucketsError) -> String {
    match e {
        AgingBucketsError::NotANumber { text } => {
            format!("« {text} » n'est pas un nombre entier de jours (indiquez des bornes comme 0,30,60,90)")
        }
        AgingBucketsError::Count { count } => {
            format!("{count} bornes ; indiquez-en de 1 à {AGING_BOUNDS_MAX}, en commençant par 0 (comme 0,30,60,90)")
        }
        AgingBucketsError::FirstNotZero { first } => {
            format!("la première borne est {first} ; elle doit être 0 (la tranche courante : non échu)")
        }
        AgingBucketsError::NotIncreasing { previous, bound } => {
            format!("la borne {bound} ne suit pas {previous} : les bornes doivent croître strictement")
        }
        AgingBucketsError::TooLarge { bound } => {
            format!("la borne {bound} dépasse {AGING_BOUND_DAYS_MAX} jours")
        }
    }
}

pub(super) fn fault_fr(x: &SmallBalanceFault) -> String {
    match x {
        SmallBalanceFault::OlderThanOutOfRange { days } => format!("{days} : indiquez de 0 à 36600 jours"),
        SmallBalanceFault::GroupAndItems => {
            "choisissez soit un groupe, soit des échéances et règlements, pas les deux".into()
        }
        SmallBalanceFault::TooManyItems { max } => format!("au plus {max} éléments par action"),
        SmallBalanceFault::ItemTwice { payment, id } => {
            format!("{} {id} figure deux fois", if *payment { "le règlement" } else { "l'échéance" })
        }
        SmallBalanceFault::PaymentCancelled { reference } => format!("le règlement {reference} est annulé"),
        SmallBalanceFault::InternalDocument { reference } => {
            format!("{reference} est une pièce interne d'une action sur les petits soldes")
        }
        SmallBalanceFault::GroupCustomerMissing => "un groupe indique son client".into(),
        SmallBalanceFault::GroupEmpty => "le groupe ne contient aucun petit solde".into(),
        SmallBalanceFault::ContractsToChoose { contracts } => format!(
            "les éléments relèvent des contrats {} : choisissez celui sur lequel refacturer",
            contracts.join(", ")
        ),
        SmallBalanceFault::ChooseActiveContract { ended, active } => format!(
            "{} ; choisissez l'un des contrats actifs du client : {}",
            match ended {
                Some(c) => format!("le contrat {c} est terminé"),
                None => "les éléments n'ont pas de contrat".into(),
            },
            active.iter().map(|(n, id)| format!("{n} (n° interne {id})")).collect::<Vec<_>>().join(", ")
        ),
        SmallBalanceFault::NoActiveContract => {
            "le client n'a aucun contrat actif sur lequel refacturer : passez plutôt les éléments en perte".into()
        }
        SmallBalanceFault::NotAnActiveContract { id } => {
            format!("{id} n'est pas un contrat actif du client")
        }
        SmallBalanceFault::InvoiceNumberMissing => "indiquez le numéro de facture du système de facturation".into(),
        SmallBalanceFault::ChargeNotPending { id, status } => {
            format!("la refacturation {id} est {}, plus en attente de facturation", charge_status_fr(*status))
        }
        SmallBalanceFault::UndoneAlready { action_id } => format!("l'action {action_id} a déjà été annulée"),
        SmallBalanceFault::ChargeBilled { charge_id, action_id, status, invoice } => format!(
            "la refacturation {charge_id} de l'action {action_id} est {} (facture « {invoice} ») : le système de \
             facturation l'a prise, l'action ne peut plus être annulée",
            charge_status_fr(*status)
        ),
        SmallBalanceFault::ChargeNoLongerPending { charge_id } => {
            format!("la refacturation {charge_id} n'est plus en attente de facturation")
        }
    }
}
