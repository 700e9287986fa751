//! The catalogue: every refusal worded in French, with French amounts and dates.

use super::*;
use creance_app::dunning::rejections::{
    DunningRejection, DunningSettingsRejection, ExternalReminderRejection, RunAction,
};
use creance_app::settings::SettingsRejection;
use creance_app::tokens::TokenRejection;
use creance_app::{DunningFault, SettingsFault, SmallBalanceFault};
use creance_core::aging::AgingBucketsError;
use creance_core::dunning::{
    DeliveryStatus, ItemKind, ItemStatus, LetterChannel, LetterStatus, RunStatus, UnknownPlaceholder,
};
use creance_core::small_balances::{ActionRejection, ChargeStatus};
use creance_core::{Currency, Date};
use std::collections::BTreeSet;

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
    assert_eq!(text(Language::Fr, &deposit), "le règlement RG-2026-000001 ne peut pas être remis avant le 24/12/2026");
    // German users read the UI in English, as every page.
    assert_eq!(text(Language::De, &deposit), "payment RG-2026-000001 may not be deposited before 2026-12-24");
    // A refusal given without `Said` (not yet worded) keeps its English.
    assert_eq!(text(Language::Fr, &AppError::invalid("x", "plain")), "plain");
}

fn day(d: u32) -> Date {
    Date::from_ymd(2026, 12, d).unwrap()
}

/// One sample of every refusal the settings, dunning and small-balance use cases give.
fn samples() -> Vec<Said> {
    let eur = |m| Money::new(m, Currency::EUR);
    let s = |t: &str| t.to_string();
    let skips = vec![(s("F-2026-000001/1"), 1, 3)];
    let mut out: Vec<Said> = vec![
        DunningFault::CodeChars { code: s("A B") }.into(),
        DunningFault::NoLevel.into(),
        DunningFault::LevelOutOfOrder { found: 3, position: 2 }.into(),
        DunningFault::DaysOutOfRange { days: 4000, max: 3650 }.into(),
        DunningFault::FeeMaxBelowMin.into(),
        DunningFault::PercentNotBetween { text: s("120") }.into(),
        DunningFault::NoTextLevel { level: 4 }.into(),
        DunningFault::NotATextLanguage { text: s("it") }.into(),
        DunningFault::NotAYearlyPercentage { text: s("250") }.into(),
        DunningFault::IndemnityNegative.into(),
        DunningFault::RatesMissing.into(),
        DunningFault::NoPreset { code: s("X"), known: vec![s("BCE"), s("LEGAL")] }.into(),
        DunningFault::NoPolicy { code: s("X") }.into(),
        DunningFault::NoPolicyOf { code: s("X"), known: vec![s("STD")] }.into(),
        DunningFault::PolicyCodeTaken { code: s("STD") }.into(),
        DunningFault::CommentTooLong { chars: 2001, max: 2000 }.into(),
        DunningFault::InstallmentsMissing.into(),
        DunningFault::LevelBelowOne { level: 0 }.into(),
        DunningFault::CustomerRangeReversed { from: s("C9"), to: s("C1") }.into(),
        DunningFault::DaysOverdueOutOfRange { days: -1 }.into(),
        DunningFault::DaysOverdueMaxBelowMin { min: 30, max: 10 }.into(),
        DunningFault::DateRequired.into(),
        DunningFault::DateInFuture { date: day(24) }.into(),
        DunningFault::InstallmentOrDocument.into(),
        DunningFault::NoInvoice { number: s("F-9") }.into(),
        DunningFault::NothingOpen { number: s("F-9") }.into(),
        DunningFault::IsACreditNote { number: s("AV-1") }.into(),
        DunningFault::PolicyLevels { policy: s("STD"), levels: 3 }.into(),
        DunningFault::LevelNeverDown { number: s("F-9"), level: 2 }.into(),
        DunningFault::SkipNotAllowed { level: 3, number: s("F-9"), at: 1, policy: s("STD") }.into(),
        DunningFault::SkipNotConfirmed { level: 3, number: s("F-9"), at: 1 }.into(),
        DunningFault::DateNotAfterDue { date: day(1), number: s("F-9"), due: day(2) }.into(),
        DunningFault::ItemForInformation { item_id: 5, kind: ItemKind::NotDue }.into(),
        DunningFault::NotAPolicyLevel { level: 5, policy: s("STD"), max: 3 }.into(),
        DunningFault::LetterSkipNotAllowed { level: 3, skips: skips.clone(), policy: s("STD") }.into(),
        DunningFault::LetterSkipNotConfirmed { level: 3, skips }.into(),
        DunningFault::WithdrawReasonMissing.into(),
        DunningFault::TooManyLetters { count: 6000, max: 5000 }.into(),
        DunningFault::RunNotIssued { run_id: 4, status: RunStatus::Draft }.into(),
        DunningFault::DeliveryNotFailed {
            id: 8,
            letter: s("R-1"),
            status: DeliveryStatus::Sent,
            channel: LetterChannel::Email,
        }
        .into(),
        DunningFault::PayerHasNoEmail { payer: s("C1"), letter: s("R-1") }.into(),
        SettingsFault::CompanyNameMissing.into(),
        SettingsFault::AlreadyInstalled.into(),
        SettingsFault::BankNameMissing.into(),
        SettingsFault::NotAnIban { text: s("FR00") }.into(),
        SettingsFault::MethodCodeChars { code: s("a b") }.into(),
        SettingsFault::NotAnAccountRole { text: s("x"), known: vec![s("c411"), s("c512")] }.into(),
        SettingsFault::NotAnAccountNumber { code: s("41x") }.into(),
        SettingsFault::DuplicateWindowOutOfRange.into(),
        SettingsFault::DocumentAmountMaxOutOfRange { max: 0, ceiling: 999 }.into(),
        SettingsFault::NotAnAddress { text: s("x@"), why: s("Missing domain or user") }.into(),
        SettingsFault::BadFromAddress { text: s("x@"), why: s("Missing domain or user") }.into(),
        SettingsFault::NotAHost.into(),
        SettingsFault::NotAPort { port: 0 }.into(),
        SettingsFault::PasswordField { max: 200 }.into(),
        SettingsFault::SmtpNotSet.into(),
        SettingsFault::NotAUserEmail { text: s("jean") }.into(),
        SettingsFault::PasswordTooShort { chars: 3, min: 10 }.into(),
        SettingsFault::PasswordTooLong { bytes: 2000, max: 1024 }.into(),
        SettingsFault::NameEmpty.into(),
        SettingsFault::UserExists { email: s("a@b.fr") }.into(),
        SettingsFault::DisableYourself.into(),
        SettingsFault::DisabledAlready { email: s("a@b.fr") }.into(),
        SettingsFault::WorksElsewhere { email: s("a@b.fr"), company: s("Autre SA") }.into(),
        SettingsFault::SignatureLines { max: 4 }.into(),
        SettingsFault::NotALetterLanguage { text: s("it") }.into(),
        SettingsFault::LanguageTwice { code: s("fr") }.into(),
        SettingsFault::NoBankAccountOf { id: 9, known: vec![s("1")] }.into(),
        SettingsFault::LogoTooLarge { bytes: 600_000, max: 524_288 }.into(),
        SettingsFault::LogoNotJpeg.into(),
        SmallBalanceFault::OlderThanOutOfRange { days: -1 }.into(),
        SmallBalanceFault::GroupAndItems.into(),
        SmallBalanceFault::TooManyItems { max: 1000 }.into(),
        SmallBalanceFault::ItemTwice { payment: true, id: 3 }.into(),
        SmallBalanceFault::PaymentCancelled { reference: s("RG-1") }.into(),
        SmallBalanceFault::InternalDocument { reference: s("PS-1") }.into(),
        SmallBalanceFault::GroupCustomerMissing.into(),
        SmallBalanceFault::GroupEmpty.into(),
        SmallBalanceFault::ContractsToChoose { contracts: vec![s("K1"), s("K2")] }.into(),
        SmallBalanceFault::ChooseActiveContract { ended: Some(s("K1")), active: vec![(s("K2"), 7)] }.into(),
        SmallBalanceFault::NoActiveContract.into(),
        SmallBalanceFault::NotAnActiveContract { id: 7 }.into(),
        SmallBalanceFault::InvoiceNumberMissing.into(),
        SmallBalanceFault::ChargeNotPending { id: 2, status: ChargeStatus::Acknowledged }.into(),
        SmallBalanceFault::UndoneAlready { action_id: 2 }.into(),
        SmallBalanceFault::ChargeBilled {
            charge_id: 2,
            action_id: 3,
            status: ChargeStatus::Acknowledged,
            invoice: s("FA-7"),
        }
        .into(),
        SmallBalanceFault::ChargeNoLongerPending { charge_id: 2 }.into(),
        DunningRejection::RunNotDraft { run_id: 3, status: RunStatus::Issued, action: RunAction::Edit }.into(),
        DunningRejection::AsOfAfterToday { run_id: 3, as_of: day(24), today: day(3) }.into(),
        DunningRejection::LetterNotRemovable { letter_id: 4, status: LetterStatus::Issued }.into(),
        DunningRejection::LetterNotRemoved { letter_id: 4, status: LetterStatus::Draft }.into(),
        DunningRejection::LetterItemsInOtherDraft { references: vec![s("F-1/1")] }.into(),
        DunningRejection::ItemNotInStatus {
            item_id: 9,
            reference: s("F-1/1"),
            status: ItemStatus::Active,
            expected: ItemStatus::Removed,
        }
        .into(),
        DunningRejection::ItemInOtherDraft { reference: s("F-1/1") }.into(),
        DunningRejection::LetterNotIssued { letter: s("R-1"), status: LetterStatus::Withdrawn }.into(),
        DunningRejection::DunnedAgainSince { number: s("R-1"), later: vec![s("R-2")] }.into(),
        DunningRejection::InterestRateMissing { table: s("LEGAL"), day: day(24) }.into(),
        ExternalReminderRejection::InDraftProposal { number: s("F-1/1") }.into(),
        DunningSettingsRejection::InterestTableExists { code: s("LEGAL") }.into(),
        SettingsRejection::BankAccountNameTaken { name: s("Banque") }.into(),
        TokenRejection::AlreadyRevoked { token_id: 1, at: s("2026-12-24 10:00") }.into(),
        TokenRejection::Changed { token_id: 1 }.into(),
        ActionRejection::NoItems.into(),
        ActionRejection::MixedCustomers { first: s("F-1"), other: s("F-2") }.into(),
        ActionRejection::MixedCurrencies { first: Currency::EUR, other: Currency::USD, label: s("F-2") }.into(),
        ActionRejection::NothingOpen { label: s("F-1") }.into(),
        ActionRejection::AboveWriteOffMaximum { total: eur(123_456), maximum: eur(1_000) }.into(),
        ActionRejection::NetsToZero { total: eur(500) }.into(),
        ActionRejection::Overflow.into(),
        AgingBucketsError::NotANumber { text: s("x") }.into(),
        AgingBucketsError::Count { count: 20 }.into(),
        AgingBucketsError::FirstNotZero { first: 5 }.into(),
        AgingBucketsError::NotIncreasing { previous: 30, bound: 20 }.into(),
        AgingBucketsError::TooLarge { bound: 9999 }.into(),
        UnknownPlaceholder(s("totl_due")).into(),
    ];
    let faults = [
        Fault::NotEither { text: s("x"), words: &["draft", "issued", "deleted"] },
        Fault::NotOneOf { text: s("x"), known: s("phone, visit") },
        Fault::Negative { value: -5 },
        Fault::AmountNegative { text: s("-5") },
        Fault::MustNotBeNegative { text: s("-5") },
        Fault::NotAnAmount { text: s("abc") },
        Fault::AtMostChars { max: 200 },
        Fault::ControlCharactersNotAllowed,
        Fault::PeriodFromMissing,
        Fault::PeriodReversed { from: day(24), to: day(3) },
        Fault::PeriodTooLong { max_days: 3660 },
        Fault::NoCustomerNumbered { number: s("C9") },
        Fault::CustomerNumberMissing,
        Fault::IdempotencyKeyLength,
        Fault::IdempotencyPending { key: s("k") },
        Fault::IdempotencyKeyReused { key: s("k") },
        Fault::NoSuch { thing: Thing::Installment, key: s("7") },
        Fault::NoSuch { thing: Thing::InterestTable, key: s("7") },
        Fault::NoSuch { thing: Thing::DunningPolicy, key: s("7") },
    ];
    out.extend(faults.into_iter().map(Said::from));
    out
}

/// Words of the English texts that no French text has.
const ENGLISH: &[&str] = &[
    "the", "is", "not", "of", "and", "or", "give", "only", "must", "already", "at most", "no", "to", "has", "with",
    "cannot", "be", "level", "policy", "payment", "invoice", "delivery", "letter", "proposal", "charge", "contract",
    "customer", "user", "bank", "before", "after", "negative", "range",
];

#[test]
fn every_settings_dunning_and_small_balance_refusal_reads_in_french_with_no_english_word() {
    let all = samples();
    let mut leaks = Vec::new();
    for said in &all {
        let fr = fr(said);
        if fr == said.to_string() {
            leaks.push(format!("not worded: {fr}"));
        }
        let padded = format!(" {} ", fr.to_lowercase().replace([',', ';', ':', '(', ')', '.'], " "));
        for w in ENGLISH.iter().filter(|w| padded.contains(&format!(" {w} "))) {
            leaks.push(format!("{w:?} in {fr}"));
        }
    }
    assert!(leaks.is_empty(), "English in the French texts:\n{}", leaks.join("\n"));
    // Every variant of the families has its sample (the kind functions below are exhaustive).
    let mut seen = BTreeSet::new();
    for said in &all {
        seen.insert(match said {
            Said::DunningField(x) => dunning_fault_kind(x),
            Said::SettingsField(x) => settings_fault_kind(x),
            Said::SmallBalanceField(x) => small_balance_fault_kind(x),
            Said::Dunning(x) => dunning_rejection_kind(x),
            Said::SmallBalanceAction(x) => action_rejection_kind(x),
            Said::AgingBuckets(x) => aging_buckets_error_kind(x),
            Said::Token(x) => token_rejection_kind(x),
            Said::Field(x) => fault_kind(x),
            _ => "other",
        });
    }
    let missing: Vec<&str> = DUNNING_FAULTS
        .iter()
        .chain(SETTINGS_FAULTS)
        .chain(SMALL_BALANCE_FAULTS)
        .chain(OTHER_NEW)
        .copied()
        .filter(|k| !seen.contains(k))
        .collect();
    assert!(missing.is_empty(), "variants without a sample: {missing:?}");
}

#[test]
fn a_settings_and_a_dunning_refusal_read_with_french_dates_and_amounts() {
    let future = AppError::invalid_said("date", DunningFault::DateInFuture { date: day(24) });
    assert_eq!(text(Language::En, &future), "2026-12-24 is in the future");
    assert_eq!(
        text(Language::Fr, &future),
        "le 24/12/2026 est dans le futur ; une relance faite hors Créance est datée d'aujourd'hui au plus tard"
    );
    let above = AppError::rejected_said(
        creance_app::Code::AboveWriteOffMaximum,
        ActionRejection::AboveWriteOffMaximum {
            total: Money::new(123_456, Currency::EUR),
            maximum: Money::new(1_000, Currency::EUR),
        },
    );
    assert_eq!(
        text(Language::Fr, &above),
        "une passation en perte de 1\u{202f}234,56\u{a0}€ dépasse le maximum de la société (10,00\u{a0}€)"
    );
    let delay = AppError::invalid_said("levels[1].delay_days", DunningFault::DaysOutOfRange { days: 4000, max: 3650 });
    assert_eq!(text(Language::En, &delay), "4000 is out of range 0 to 3650");
    assert_eq!(text(Language::Fr, &delay), "4000 jours : indiquez de 0 à 3650 jours");
    // A credit is named by its kind, in French.
    let twice =
        AppError::invalid_said("lines[1]", Fault::RefundLineTwice { label: CreditLabel::CreditNote("AV-1".into()) });
    assert_eq!(text(Language::En, &twice), "credit note AV-1 appears twice");
    assert_eq!(text(Language::Fr, &twice), "l'avoir AV-1 figure deux fois");
}

const DUNNING_FAULTS: &[&str] = &[
    "DunningFault::CodeChars",
    "DunningFault::NoLevel",
    "DunningFault::LevelOutOfOrder",
    "DunningFault::DaysOutOfRange",
    "DunningFault::FeeMaxBelowMin",
    "DunningFault::PercentNotBetween",
    "DunningFault::NoTextLevel",
    "DunningFault::NotATextLanguage",
    "DunningFault::NotAYearlyPercentage",
    "DunningFault::IndemnityNegative",
    "DunningFault::RatesMissing",
    "DunningFault::NoPreset",
    "DunningFault::NoPolicy",
    "DunningFault::NoPolicyOf",
    "DunningFault::PolicyCodeTaken",
    "DunningFault::CommentTooLong",
    "DunningFault::InstallmentsMissing",
    "DunningFault::LevelBelowOne",
    "DunningFault::CustomerRangeReversed",
    "DunningFault::DaysOverdueOutOfRange",
    "DunningFault::DaysOverdueMaxBelowMin",
    "DunningFault::DateRequired",
    "DunningFault::DateInFuture",
    "DunningFault::InstallmentOrDocument",
    "DunningFault::NoInvoice",
    "DunningFault::NothingOpen",
    "DunningFault::IsACreditNote",
    "DunningFault::PolicyLevels",
    "DunningFault::LevelNeverDown",
    "DunningFault::SkipNotAllowed",
    "DunningFault::SkipNotConfirmed",
    "DunningFault::DateNotAfterDue",
    "DunningFault::ItemForInformation",
    "DunningFault::NotAPolicyLevel",
    "DunningFault::LetterSkipNotAllowed",
    "DunningFault::LetterSkipNotConfirmed",
    "DunningFault::WithdrawReasonMissing",
    "DunningFault::TooManyLetters",
    "DunningFault::RunNotIssued",
    "DunningFault::DeliveryNotFailed",
    "DunningFault::PayerHasNoEmail",
];
const SETTINGS_FAULTS: &[&str] = &[
    "SettingsFault::CompanyNameMissing",
    "SettingsFault::AlreadyInstalled",
    "SettingsFault::BankNameMissing",
    "SettingsFault::NotAnIban",
    "SettingsFault::MethodCodeChars",
    "SettingsFault::NotAnAccountRole",
    "SettingsFault::NotAnAccountNumber",
    "SettingsFault::DuplicateWindowOutOfRange",
    "SettingsFault::DocumentAmountMaxOutOfRange",
    "SettingsFault::NotAnAddress",
    "SettingsFault::BadFromAddress",
    "SettingsFault::NotAHost",
    "SettingsFault::NotAPort",
    "SettingsFault::PasswordField",
    "SettingsFault::SmtpNotSet",
    "SettingsFault::NotAUserEmail",
    "SettingsFault::PasswordTooShort",
    "SettingsFault::PasswordTooLong",
    "SettingsFault::NameEmpty",
    "SettingsFault::UserExists",
    "SettingsFault::DisableYourself",
    "SettingsFault::DisabledAlready",
    "SettingsFault::WorksElsewhere",
    "SettingsFault::SignatureLines",
    "SettingsFault::NotALetterLanguage",
    "SettingsFault::LanguageTwice",
    "SettingsFault::NoBankAccountOf",
    "SettingsFault::LogoTooLarge",
    "SettingsFault::LogoNotJpeg",
];
const SMALL_BALANCE_FAULTS: &[&str] = &[
    "SmallBalanceFault::OlderThanOutOfRange",
    "SmallBalanceFault::GroupAndItems",
    "SmallBalanceFault::TooManyItems",
    "SmallBalanceFault::ItemTwice",
    "SmallBalanceFault::PaymentCancelled",
    "SmallBalanceFault::InternalDocument",
    "SmallBalanceFault::GroupCustomerMissing",
    "SmallBalanceFault::GroupEmpty",
    "SmallBalanceFault::ContractsToChoose",
    "SmallBalanceFault::ChooseActiveContract",
    "SmallBalanceFault::NoActiveContract",
    "SmallBalanceFault::NotAnActiveContract",
    "SmallBalanceFault::InvoiceNumberMissing",
    "SmallBalanceFault::ChargeNotPending",
    "SmallBalanceFault::UndoneAlready",
    "SmallBalanceFault::ChargeBilled",
    "SmallBalanceFault::ChargeNoLongerPending",
];
/// The generic faults added for these families, and the families' rejections.
const OTHER_NEW: &[&str] = &[
    "Fault::NotEither",
    "Fault::NotOneOf",
    "Fault::Negative",
    "Fault::AmountNegative",
    "Fault::MustNotBeNegative",
    "Fault::NotAnAmount",
    "Fault::AtMostChars",
    "Fault::ControlCharactersNotAllowed",
    "Fault::PeriodFromMissing",
    "Fault::PeriodReversed",
    "Fault::PeriodTooLong",
    "Fault::NoCustomerNumbered",
    "Fault::CustomerNumberMissing",
    "Fault::IdempotencyKeyLength",
    "Fault::IdempotencyPending",
    "Fault::IdempotencyKeyReused",
    "DunningRejection::RunNotDraft",
    "DunningRejection::AsOfAfterToday",
    "DunningRejection::LetterNotRemovable",
    "DunningRejection::LetterNotRemoved",
    "DunningRejection::LetterItemsInOtherDraft",
    "DunningRejection::ItemNotInStatus",
    "DunningRejection::ItemInOtherDraft",
    "DunningRejection::LetterNotIssued",
    "DunningRejection::DunnedAgainSince",
    "DunningRejection::InterestRateMissing",
    "ActionRejection::NoItems",
    "ActionRejection::MixedCustomers",
    "ActionRejection::MixedCurrencies",
    "ActionRejection::NothingOpen",
    "ActionRejection::AboveWriteOffMaximum",
    "ActionRejection::NetsToZero",
    "ActionRejection::Overflow",
    "AgingBucketsError::NotANumber",
    "AgingBucketsError::Count",
    "AgingBucketsError::FirstNotZero",
    "AgingBucketsError::NotIncreasing",
    "AgingBucketsError::TooLarge",
    "TokenRejection::AlreadyRevoked",
    "TokenRejection::Changed",
];

// Exhaustive (a new variant fails to compile here until it is listed, then the test until it has a sample).
fn dunning_fault_kind(x: &DunningFault) -> &'static str {
    match x {
        DunningFault::CodeChars { .. } => "DunningFault::CodeChars",
        DunningFault::NoLevel => "DunningFault::NoLevel",
        DunningFault::LevelOutOfOrder { .. } => "DunningFault::LevelOutOfOrder",
        DunningFault::DaysOutOfRange { .. } => "DunningFault::DaysOutOfRange",
        DunningFault::FeeMaxBelowMin => "DunningFault::FeeMaxBelowMin",
        DunningFault::PercentNotBetween { .. } => "DunningFault::PercentNotBetween",
        DunningFault::NoTextLevel { .. } => "DunningFault::NoTextLevel",
        DunningFault::NotATextLanguage { .. } => "DunningFault::NotATextLanguage",
        DunningFault::NotAYearlyPercentage { .. } => "DunningFault::NotAYearlyPercentage",
        DunningFault::IndemnityNegative => "DunningFault::IndemnityNegative",
        DunningFault::RatesMissing => "DunningFault::RatesMissing",
        DunningFault::NoPreset { .. } => "DunningFault::NoPreset",
        DunningFault::NoPolicy { .. } => "DunningFault::NoPolicy",
        DunningFault::NoPolicyOf { .. } => "DunningFault::NoPolicyOf",
        DunningFault::PolicyCodeTaken { .. } => "DunningFault::PolicyCodeTaken",
        DunningFault::CommentTooLong { .. } => "DunningFault::CommentTooLong",
        DunningFault::InstallmentsMissing => "DunningFault::InstallmentsMissing",
        DunningFault::LevelBelowOne { .. } => "DunningFault::LevelBelowOne",
        DunningFault::CustomerRangeReversed { .. } => "DunningFault::CustomerRangeReversed",
        DunningFault::DaysOverdueOutOfRange { .. } => "DunningFault::DaysOverdueOutOfRange",
        DunningFault::DaysOverdueMaxBelowMin { .. } => "DunningFault::DaysOverdueMaxBelowMin",
        DunningFault::DateRequired => "DunningFault::DateRequired",
        DunningFault::DateInFuture { .. } => "DunningFault::DateInFuture",
        DunningFault::InstallmentOrDocument => "DunningFault::InstallmentOrDocument",
        DunningFault::NoInvoice { .. } => "DunningFault::NoInvoice",
        DunningFault::NothingOpen { .. } => "DunningFault::NothingOpen",
        DunningFault::IsACreditNote { .. } => "DunningFault::IsACreditNote",
        DunningFault::PolicyLevels { .. } => "DunningFault::PolicyLevels",
        DunningFault::LevelNeverDown { .. } => "DunningFault::LevelNeverDown",
        DunningFault::SkipNotAllowed { .. } => "DunningFault::SkipNotAllowed",
        DunningFault::SkipNotConfirmed { .. } => "DunningFault::SkipNotConfirmed",
        DunningFault::DateNotAfterDue { .. } => "DunningFault::DateNotAfterDue",
        DunningFault::ItemForInformation { .. } => "DunningFault::ItemForInformation",
        DunningFault::NotAPolicyLevel { .. } => "DunningFault::NotAPolicyLevel",
        DunningFault::LetterSkipNotAllowed { .. } => "DunningFault::LetterSkipNotAllowed",
        DunningFault::LetterSkipNotConfirmed { .. } => "DunningFault::LetterSkipNotConfirmed",
        DunningFault::WithdrawReasonMissing => "DunningFault::WithdrawReasonMissing",
        DunningFault::TooManyLetters { .. } => "DunningFault::TooManyLetters",
        DunningFault::RunNotIssued { .. } => "DunningFault::RunNotIssued",
        DunningFault::DeliveryNotFailed { .. } => "DunningFault::DeliveryNotFailed",
        DunningFault::PayerHasNoEmail { .. } => "DunningFault::PayerHasNoEmail",
    }
}
fn settings_fault_kind(x: &SettingsFault) -> &'static str {
    match x {
        SettingsFault::CompanyNameMissing => "SettingsFault::CompanyNameMissing",
        SettingsFault::AlreadyInstalled => "SettingsFault::AlreadyInstalled",
        SettingsFault::BankNameMissing => "SettingsFault::BankNameMissing",
        SettingsFault::NotAnIban { .. } => "SettingsFault::NotAnIban",
        SettingsFault::MethodCodeChars { .. } => "SettingsFault::MethodCodeChars",
        SettingsFault::NotAnAccountRole { .. } => "SettingsFault::NotAnAccountRole",
        SettingsFault::NotAnAccountNumber { .. } => "SettingsFault::NotAnAccountNumber",
        SettingsFault::DuplicateWindowOutOfRange => "SettingsFault::DuplicateWindowOutOfRange",
        SettingsFault::DocumentAmountMaxOutOfRange { .. } => "SettingsFault::DocumentAmountMaxOutOfRange",
        SettingsFault::NotAnAddress { .. } => "SettingsFault::NotAnAddress",
        SettingsFault::BadFromAddress { .. } => "SettingsFault::BadFromAddress",
        SettingsFault::NotAHost => "SettingsFault::NotAHost",
        SettingsFault::NotAPort { .. } => "SettingsFault::NotAPort",
        SettingsFault::PasswordField { .. } => "SettingsFault::PasswordField",
        SettingsFault::SmtpNotSet => "SettingsFault::SmtpNotSet",
        SettingsFault::NotAUserEmail { .. } => "SettingsFault::NotAUserEmail",
        SettingsFault::PasswordTooShort { .. } => "SettingsFault::PasswordTooShort",
        SettingsFault::PasswordTooLong { .. } => "SettingsFault::PasswordTooLong",
        SettingsFault::NameEmpty => "SettingsFault::NameEmpty",
        SettingsFault::UserExists { .. } => "SettingsFault::UserExists",
        SettingsFault::DisableYourself => "SettingsFault::DisableYourself",
        SettingsFault::DisabledAlready { .. } => "SettingsFault::DisabledAlready",
        SettingsFault::WorksElsewhere { .. } => "SettingsFault::WorksElsewhere",
        SettingsFault::SignatureLines { .. } => "SettingsFault::SignatureLines",
        SettingsFault::NotALetterLanguage { .. } => "SettingsFault::NotALetterLanguage",
        SettingsFault::LanguageTwice { .. } => "SettingsFault::LanguageTwice",
        SettingsFault::NoBankAccountOf { .. } => "SettingsFault::NoBankAccountOf",
        SettingsFault::LogoTooLarge { .. } => "SettingsFault::LogoTooLarge",
        SettingsFault::LogoNotJpeg => "SettingsFault::LogoNotJpeg",
    }
}
fn small_balance_fault_kind(x: &SmallBalanceFault) -> &'static str {
    match x {
        SmallBalanceFault::OlderThanOutOfRange { .. } => "SmallBalanceFault::OlderThanOutOfRange",
        SmallBalanceFault::GroupAndItems => "SmallBalanceFault::GroupAndItems",
        SmallBalanceFault::TooManyItems { .. } => "SmallBalanceFault::TooManyItems",
        SmallBalanceFault::ItemTwice { .. } => "SmallBalanceFault::ItemTwice",
        SmallBalanceFault::PaymentCancelled { .. } => "SmallBalanceFault::PaymentCancelled",
        SmallBalanceFault::InternalDocument { .. } => "SmallBalanceFault::InternalDocument",
        SmallBalanceFault::GroupCustomerMissing => "SmallBalanceFault::GroupCustomerMissing",
        SmallBalanceFault::GroupEmpty => "SmallBalanceFault::GroupEmpty",
        SmallBalanceFault::ContractsToChoose { .. } => "SmallBalanceFault::ContractsToChoose",
        SmallBalanceFault::ChooseActiveContract { .. } => "SmallBalanceFault::ChooseActiveContract",
        SmallBalanceFault::NoActiveContract => "SmallBalanceFault::NoActiveContract",
        SmallBalanceFault::NotAnActiveContract { .. } => "SmallBalanceFault::NotAnActiveContract",
        SmallBalanceFault::InvoiceNumberMissing => "SmallBalanceFault::InvoiceNumberMissing",
        SmallBalanceFault::ChargeNotPending { .. } => "SmallBalanceFault::ChargeNotPending",
        SmallBalanceFault::UndoneAlready { .. } => "SmallBalanceFault::UndoneAlready",
        SmallBalanceFault::ChargeBilled { .. } => "SmallBalanceFault::ChargeBilled",
        SmallBalanceFault::ChargeNoLongerPending { .. } => "SmallBalanceFault::ChargeNoLongerPending",
    }
}
fn dunning_rejection_kind(x: &DunningRejection) -> &'static str {
    match x {
        DunningRejection::RunNotDraft { .. } => "DunningRejection::RunNotDraft",
        DunningRejection::AsOfAfterToday { .. } => "DunningRejection::AsOfAfterToday",
        DunningRejection::LetterNotRemovable { .. } => "DunningRejection::LetterNotRemovable",
        DunningRejection::LetterNotRemoved { .. } => "DunningRejection::LetterNotRemoved",
        DunningRejection::LetterItemsInOtherDraft { .. } => "DunningRejection::LetterItemsInOtherDraft",
        DunningRejection::ItemNotInStatus { .. } => "DunningRejection::ItemNotInStatus",
        DunningRejection::ItemInOtherDraft { .. } => "DunningRejection::ItemInOtherDraft",
        DunningRejection::LetterNotIssued { .. } => "DunningRejection::LetterNotIssued",
        DunningRejection::DunnedAgainSince { .. } => "DunningRejection::DunnedAgainSince",
        DunningRejection::InterestRateMissing { .. } => "DunningRejection::InterestRateMissing",
    }
}
fn action_rejection_kind(x: &ActionRejection) -> &'static str {
    match x {
        ActionRejection::NoItems => "ActionRejection::NoItems",
        ActionRejection::MixedCustomers { .. } => "ActionRejection::MixedCustomers",
        ActionRejection::MixedCurrencies { .. } => "ActionRejection::MixedCurrencies",
        ActionRejection::NothingOpen { .. } => "ActionRejection::NothingOpen",
        ActionRejection::AboveWriteOffMaximum { .. } => "ActionRejection::AboveWriteOffMaximum",
        ActionRejection::NetsToZero { .. } => "ActionRejection::NetsToZero",
        ActionRejection::Overflow => "ActionRejection::Overflow",
    }
}
fn aging_buckets_error_kind(x: &AgingBucketsError) -> &'static str {
    match x {
        AgingBucketsError::NotANumber { .. } => "AgingBucketsError::NotANumber",
        AgingBucketsError::Count { .. } => "AgingBucketsError::Count",
        AgingBucketsError::FirstNotZero { .. } => "AgingBucketsError::FirstNotZero",
        AgingBucketsError::NotIncreasing { .. } => "AgingBucketsError::NotIncreasing",
        AgingBucketsError::TooLarge { .. } => "AgingBucketsError::TooLarge",
    }
}
fn token_rejection_kind(x: &TokenRejection) -> &'static str {
    match x {
        TokenRejection::AlreadyRevoked { .. } => "TokenRejection::AlreadyRevoked",
        TokenRejection::Changed { .. } => "TokenRejection::Changed",
    }
}
fn fault_kind(x: &Fault) -> &'static str {
    match x {
        Fault::NotPositive { .. } => "Fault::NotPositive",
        Fault::TooLong(..) => "Fault::TooLong",
        Fault::ControlCharacter => "Fault::ControlCharacter",
        Fault::NoSuch { .. } => "Fault::NoSuch",
        Fault::CustomerMissing => "Fault::CustomerMissing",
        Fault::CustomerMismatch { .. } => "Fault::CustomerMismatch",
        Fault::NotAMethod { .. } => "Fault::NotAMethod",
        Fault::NotDeposited { .. } => "Fault::NotDeposited",
        Fault::CancelReasonMissing => "Fault::CancelReasonMissing",
        Fault::AlreadyTheCustomer { .. } => "Fault::AlreadyTheCustomer",
        Fault::NotARefundReason { .. } => "Fault::NotARefundReason",
        Fault::RefundLinesMissing => "Fault::RefundLinesMissing",
        Fault::RefundLineOneCredit => "Fault::RefundLineOneCredit",
        Fault::RefundLineOtherCustomer { .. } => "Fault::RefundLineOtherCustomer",
        Fault::RefundLineTwice { .. } => "Fault::RefundLineTwice",
        Fault::RefundLineCurrency { .. } => "Fault::RefundLineCurrency",
        Fault::NotACreditNote { .. } => "Fault::NotACreditNote",
        Fault::BankAccountMissing => "Fault::BankAccountMissing",
        Fault::DepositEmpty => "Fault::DepositEmpty",
        Fault::DepositTooLarge { .. } => "Fault::DepositTooLarge",
        Fault::NoBankAccountYet => "Fault::NoBankAccountYet",
        Fault::DepositPaymentTwice => "Fault::DepositPaymentTwice",
        Fault::NotAWholeNumber { .. } => "Fault::NotAWholeNumber",
        Fault::NotABoolean { .. } => "Fault::NotABoolean",
        Fault::DaysOutOfRange { .. } => "Fault::DaysOutOfRange",
        Fault::NotASide { .. } => "Fault::NotASide",
        Fault::NotADocumentKind { .. } => "Fault::NotADocumentKind",
        Fault::NotASortKey { .. } => "Fault::NotASortKey",
        Fault::SortKeyTwice { .. } => "Fault::SortKeyTwice",
        Fault::TooManySortKeys { .. } => "Fault::TooManySortKeys",
        Fault::PdfTooLarge { .. } => "Fault::PdfTooLarge",
        Fault::LimitOutOfRange { .. } => "Fault::LimitOutOfRange",
        Fault::OffsetNegative { .. } => "Fault::OffsetNegative",
        Fault::DateBefore { .. } => "Fault::DateBefore",
        Fault::SmallBalanceAllocation { .. } => "Fault::SmallBalanceAllocation",
        Fault::NotAnExportFormat { .. } => "Fault::NotAnExportFormat",
        Fault::NotAnEmail { .. } => "Fault::NotAnEmail",
        Fault::NotEither { .. } => "Fault::NotEither",
        Fault::NotOneOf { .. } => "Fault::NotOneOf",
        Fault::Negative { .. } => "Fault::Negative",
        Fault::AmountNegative { .. } => "Fault::AmountNegative",
        Fault::MustNotBeNegative { .. } => "Fault::MustNotBeNegative",
        Fault::NotAnAmount { .. } => "Fault::NotAnAmount",
        Fault::AtMostChars { .. } => "Fault::AtMostChars",
        Fault::ControlCharactersNotAllowed => "Fault::ControlCharactersNotAllowed",
        Fault::PeriodFromMissing => "Fault::PeriodFromMissing",
        Fault::PeriodReversed { .. } => "Fault::PeriodReversed",
        Fault::PeriodTooLong { .. } => "Fault::PeriodTooLong",
        Fault::NoCustomerNumbered { .. } => "Fault::NoCustomerNumbered",
        Fault::CustomerNumberMissing => "Fault::CustomerNumberMissing",
        Fault::IdempotencyKeyLength => "Fault::IdempotencyKeyLength",
        Fault::IdempotencyPending { .. } => "Fault::IdempotencyPending",
        Fault::IdempotencyKeyReused { .. } => "Fault::IdempotencyKeyReused",
    }
}
