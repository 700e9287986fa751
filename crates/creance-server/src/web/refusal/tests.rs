//! The catalogue: every refusal worded in French, with French amounts and dates.

use super::*;
use creance_core::{Currency, Date};

#[test]
fn every_refusal_the_cash_screens_give_reads_in_french_with_french_amounts_and_dates() {
    let eur = |m| Money::new(m, Currency::EUR);
    let over = AppError::from(AllocationRejection::Rule(AllocationError::ExceedsTarget {
        installment_id: 7,
        amount: eur(123_456),
        open: eur(10_000),
    }));
    assert_eq!(
        text(Language::Fr, &over),
        "échéance 7 : 1\u{202f}234,56\u{a0}€ dépasse son montant ouvert 100,00\u{a0}€"
    );
    assert_eq!(text(Language::En, &over), "installment 7: 1234.56 EUR is more than its open amount 100.00 EUR");
    let date = AppError::invalid_said("date", Date::parse("31/02/2026").unwrap_err());
    assert_eq!(
        text(Language::Fr, &date),
        "« 31/02/2026 » n'est pas une date valide : ce jour n'existe pas dans ce mois"
    );
    let amount = AppError::invalid_said("amount", Money::parse_input("12,3,4", Currency::EUR).unwrap_err());
    assert!(text(Language::Fr, &amount).starts_with("« 12,3,4 » n'est pas un montant valide : "), "{amount:?}");
    assert!(!text(Language::Fr, &amount).contains("separator"), "{}", text(Language::Fr, &amount));
    let deposit = AppError::from(DepositRejection::PaymentNotEligible {
        field: "payment_ids[0]".into(),
        number: "RG-2026-000001".into(),
        why: NotEligible::PostDated { deposit_date: Date::from_ymd(2026, 12, 24).unwrap() },
    });
    assert_eq!(
        text(Language::Fr, &deposit),
        "le règlement RG-2026-000001 ne peut pas être remis avant le 24/12/2026"
    );
    // German users read the UI in English, as every page.
    assert_eq!(text(Language::De, &deposit), "payment RG-2026-000001 may not be deposited before 2026-12-24");
    // A refusal given without `Said` (not yet worded) keeps its English.
    assert_eq!(text(Language::Fr, &AppError::invalid("x", "plain")), "plain");
}
