//! The import's refused rows in the user's language. Each [`RowError`] carries its fault as data
//! ([`ImportFault`]) beside its English `reason` (what the CLI and the API send); the import page
//! shows a row's reason through [`reason`]: a user reading French reads the fault worded here, any
//! other user (and a row without a fault) the English.
//!
//! Amounts and dates are written the French way ([`format`]); the core's amount and date errors are
//! worded as every other refusal words them ([`refusal`]). What a user typed (a value, a code, a
//! column name) is quoted « as it is ». The CSV reader's own error text (an unreadable header or
//! row, which a file read from memory does not give in practice) is not repeated in French.

use creance_app::import::{Entity, ImportFault, Keyed, Required, RowError};
use creance_app::Said;
use creance_core::{Date, DocumentKind, Language, Money, MoneyError, TermError};

use super::i18n::ui_language;
use super::{format, refusal};

/// The reason of a refused row, for `lang`.
pub fn reason(lang: Language, e: &RowError) -> String {
    match (&e.said, ui_language(lang)) {
        (Some(fault), Language::Fr) => fr(fault),
        _ => e.reason.clone(),
    }
}

/// Whether every row of `errors` reads in `lang` (French rows all carry their fault).
pub fn all_worded(lang: Language, errors: &[RowError]) -> bool {
    ui_language(lang) != Language::Fr || errors.iter().all(|e| e.said.is_some())
}

fn amount(m: &Money) -> String {
    format::amount(*m, Language::Fr)
}

fn date(d: &Date) -> String {
    format::date(*d, Language::Fr)
}

/// What an import creates, as "l'import des …" names it.
fn entity_fr(entity: Entity) -> &'static str {
    match entity {
        Entity::Customers => "clients",
        Entity::Contracts => "contrats",
        Entity::Documents => "pièces",
    }
}

/// A document kind with its article (`la facture`), and whether it is feminine.
fn kind_fr(kind: DocumentKind) -> (&'static str, bool) {
    match kind {
        DocumentKind::Invoice => ("la facture", true),
        DocumentKind::CreditNote => ("l'avoir", false),
        DocumentKind::FeeInvoice => ("la facture de frais", true),
        DocumentKind::InterestInvoice => ("la facture d'intérêts", true),
        DocumentKind::OpeningBalance => ("le solde d'ouverture", false),
        DocumentKind::SmallBalanceTransfer
        | DocumentKind::SmallCreditTransfer
        | DocumentKind::WriteOff
        | DocumentKind::WriteOffCredit => ("la pièce interne", true),
    }
}

/// "d'une facture", "d'un avoir": the total of which kind.
fn of_kind_fr(kind: DocumentKind) -> String {
    let (noun, feminine) = kind_fr(kind);
    let bare = noun.trim_start_matches("la ").trim_start_matches("le ").trim_start_matches("l'");
    format!("d'{} {bare}", if feminine { "une" } else { "un" })
}

fn required_fr(r: Required) -> &'static str {
    match r {
        Required::CustomerNumber => "un client doit avoir un numéro",
        Required::CustomerName => "un client doit avoir un nom",
        Required::ContractNumber => "un contrat doit avoir un numéro",
        Required::ContractCustomer => "un contrat doit indiquer le numéro de son client",
        Required::ContractStart => "un contrat doit avoir une date de début",
        Required::DocumentNumber => "une pièce doit avoir un numéro",
        Required::DocumentCustomer => "une pièce doit indiquer le numéro de son client",
        Required::DocumentDate => "une pièce doit avoir une date",
        Required::DocumentTotal => "une pièce doit avoir un montant total",
        Required::InstallmentDueDate => "chaque ligne d'une pièce à échéances doit avoir sa date d'échéance",
        Required::InstallmentAmount => "une pièce à plusieurs échéances doit donner le montant de chacune",
        Required::DueDateOrTerm => "indiquez une date d'échéance (une ligne par échéance) ou une condition de paiement",
    }
}

/// The French of an import fault.
pub fn fr(fault: &ImportFault) -> String {
    use ImportFault::*;
    match fault {
        EmptyFile => "le fichier est vide : rien à importer (attendu une ligne d'en-tête puis des lignes de données)".into(),
        HeaderOnly => "le fichier n'a qu'une ligne d'en-tête, sans ligne de données : rien à importer".into(),
        QuoteNotClosed => "un guillemet ouvert sur cette ligne n'est jamais fermé : toutes les lignes suivantes seraient \
                           lues comme un seul champ ; fermez le guillemet (écrivez \"\" pour un guillemet dans un champ \
                           entre guillemets)"
            .into(),
        HeaderUnreadable { .. } => {
            "la ligne d'en-tête ne se lit pas ; enregistrez le fichier au format CSV, en UTF-8".into()
        }
        HeaderNotUtf8 { index } => {
            format!("l'en-tête de la colonne {index} n'est pas en UTF-8 ; enregistrez le fichier en UTF-8")
        }
        ColumnTwice { column } => format!("la colonne {column} figure deux fois"),
        UnknownColumn { name, entity } => format!(
            "colonne « {name} » inconnue ; l'import des {} accepte : {}",
            entity_fr(*entity),
            entity.column_names()
        ),
        UnknownField { name, entity } => format!(
            "champ « {name} » inconnu ; l'import des {} accepte : {}",
            entity_fr(*entity),
            entity.column_names()
        ),
        RowUnreadable { .. } => "cette ligne ne se lit pas en CSV ; vérifiez ses guillemets et ses séparateurs".into(),
        TooManyFields { fields, columns } => format!("{fields} champs alors que l'en-tête a {columns} colonnes"),
        ControlCharacter => "contient un caractère de contrôle ; supprimez-le (seuls les tabulations et les retours à \
                             la ligne sont acceptés)"
            .into(),
        NotUtf8 => "texte qui n'est pas en UTF-8 ; enregistrez le fichier en UTF-8".into(),
        TooLong(e) => format!("compte {} caractères ; la colonne {} en prend au plus {}", e.chars, e.field, e.max),
        NotAnArray => "le corps de la requête doit être un tableau JSON d'objets".into(),
        EmptyArray => "le tableau JSON est vide : rien à importer".into(),
        NotAnObject => "chaque élément doit être un objet JSON".into(),
        InstallmentsNotAnArray => "« installments » doit être un tableau d'objets « due_date », « amount »".into(),
        Exponent { text } => format!(
            "« {text} » est écrit avec un exposant ; écrivez le nombre en entier, ou en texte comme « 100.00 »"
        ),
        NotAScalar => "doit être un texte, un nombre ou un booléen".into(),
        Missing(r) => required_fr(*r).into(),
        NumberTooLong { number, max } => format!("« {number} » dépasse {max} caractères"),
        NumberTwice { keyed, number, first_line } => {
            let what = match keyed {
                Keyed::Customer => "le client",
                Keyed::Contract => "le contrat",
            };
            format!("{what} {number} figure déjà à la ligne {first_line}")
        }
        NotALanguage { text } => {
            format!("« {text} » n'est pas une langue prise en charge ; indiquez fr, en, de ou it")
        }
        Money(e) => money_fr(e),
        Date(e) => format!(
            "« {} » n'est pas une date valide ({}) ; écrivez AAAA-MM-JJ ou JJ/MM/AAAA",
            e.text,
            refusal::core_reason_fr(e.reason)
        ),
        NotAFlag { text } => format!("« {text} » n'est pas une valeur oui/non ; écrivez oui ou non (1/0)"),
        NotAnEmail { text } => format!("« {text} » n'est pas une adresse e-mail"),
        EndBeforeStart { end, start } => {
            format!("la date de fin, le {}, précède la date de début, le {}", date(end), date(start))
        }
        NotAStatus { text } => format!("« {text} » n'est pas un statut ; indiquez actif ou terminé"),
        NotADocumentKind { text } => format!(
            "« {text} » n'est pas un type de pièce ; indiquez facture, avoir, fee_invoice (facture de frais), \
             interest_invoice (facture d'intérêts) ou opening_balance (solde d'ouverture)"
        ),
        DiffersFromFirst { value, first, number, first_line } => format!(
            "« {value} » diffère de « {first} », indiqué à la ligne {first_line} pour la pièce {number} ; chaque ligne \
             d'une pièce reprend son en-tête à l'identique"
        ),
        TotalNegative { text, kind } => {
            format!("le total {text} est négatif ; celui {} est positif", of_kind_fr(*kind))
        }
        TotalZero => "le total d'une pièce doit être supérieur à zéro".into(),
        TooManyInstallments { number, count, max } => {
            format!("la pièce {number} a {count} échéances ; une pièce en a au plus {max}")
        }
        DueBeforeDate { due, date: d } => {
            format!("l'échéance du {} précède la date de la pièce, le {}", date(due), date(d))
        }
        InstallmentNotPositive { text } => format!("le montant {text} doit être supérieur à zéro"),
        Term(e) => term_fr(e),
        InstallmentsSum { number, sum, total } => format!(
            "les échéances de la pièce {number} totalisent {} alors que son total est de {}",
            amount(sum),
            amount(total)
        ),
        RowsApart { number, first_line } => {
            format!("la pièce {number} figure déjà à la ligne {first_line} ; ses lignes doivent se suivre")
        }
        PayerUnknown { payer } => {
            format!("le payeur {payer} n'est ni un client de cette société, ni dans ce fichier")
        }
        PayerCycle { cycle } => format!(
            "cycle de payeurs {} : toute chaîne de payeurs doit aboutir à un client qui paie pour lui-même",
            cycle.join(" → ")
        ),
        CustomerUnknown { number } => format!("le client {number} n'existe pas : importez-le d'abord"),
        ContractUnknown { number } => format!("le contrat {number} n'existe pas : importez-le d'abord"),
        ContractOtherCustomer { contract, owner, customer } => {
            format!("le contrat {contract} appartient au client {owner}, pas au client {customer}")
        }
        HasAllocations { kind, number } => {
            let (noun, feminine) = kind_fr(*kind);
            let (e, pronoun) = if feminine { ("e", "la") } else { ("", "le") };
            format!(
                "{noun} {number} a déjà des imputations et ne peut plus être modifié{e} par un import ; \
                 désimputez-{pronoun} ou émettez un avoir"
            )
        }
        Dunned { kind, number, level } => {
            let (noun, feminine) = kind_fr(*kind);
            let e = if feminine { "e" } else { "" };
            format!(
                "{noun} {number} a été relancé{e} (niveau {level}) et ne peut plus être modifié{e} par un import"
            )
        }
    }
}

/// An amount's refusal, as every page words it, with the reasons of the amount parsers that the
/// pages' wording does not know yet (an unexpected character, a number too large, too many decimals).
fn money_fr(e: &MoneyError) -> String {
    match e {
        MoneyError::InvalidAmount { text, reason } if refusal::core_reason_fr(reason) == *reason => {
            format!("« {text} » n'est pas un montant valide : {}", amount_reason_fr(reason))
        }
        _ => refusal::fr(&Said::Money(e.clone())),
    }
}

fn amount_reason_fr(reason: &str) -> String {
    match reason {
        "unexpected character (expected digits, a sign, a decimal separator and thousands separators)" => {
            "caractère inattendu (attendu des chiffres, un signe, un séparateur décimal et des séparateurs de \
             milliers)"
                .into()
        }
        "number is too large" => "nombre trop grand".into(),
        "only digits, one decimal separator, a sign and a trailing % are accepted" => {
            "seuls des chiffres, un séparateur décimal, un signe et un % final sont acceptés".into()
        }
        "too many decimals (at most 28)" => "trop de décimales (au plus 28)".into(),
        "too many decimals" => "trop de décimales".into(),
        other => other.to_string(),
    }
}

/// A payment term's refusal, in French.
fn term_fr(e: &TermError) -> String {
    match e {
        TermError::Syntax { code, reason } => format!(
            "« {code} » n'est pas une condition de paiement valide : {} (exemples : NET30, EOM30, EOM+10, 30/60/90, \
             30:40%/60:60%, 0:100.00/30:REST)",
            term_reason_fr(reason)
        ),
        TermError::PercentagesDoNotSumTo100 { code, sum } => format!(
            "les pourcentages de la condition de paiement « {code} » totalisent {} % ; ils doivent faire exactement \
             100 % (au plus 100 % quand un élément REST prend le reste)",
            sum.to_string().replace('.', ",")
        ),
        TermError::FixedExceedsTotal { code } => format!(
            "les montants fixes de la condition de paiement « {code} » (avec ses pourcentages) dépassent le total de \
             la pièce"
        ),
        TermError::NegativeTotal => {
            "un échéancier demande un total positif ou nul ; un total négatif n'a pas d'échéances".into()
        }
        TermError::Money(m) => format!("condition de paiement : {}", money_fr(m)),
    }
}

/// What a user wrote, out of the core's `{:?}` quotes.
fn unquoted(debug: &str) -> &str {
    debug.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(debug)
}

/// The payment term parser's reasons (`creance_core::terms`), in French; any other is shown as it is.
fn term_reason_fr(reason: &str) -> String {
    if let Some(found) = reason.strip_prefix("expected a number of days, found ") {
        return format!("attendu un nombre de jours, trouvé « {} »", unquoted(found));
    }
    if let Some(found) = reason.strip_prefix("expected a day of the month after EOM+, found ") {
        return format!("attendu un jour du mois après EOM+, trouvé « {} »", unquoted(found));
    }
    if let Some((days, max)) = reason.split_once(" days is more than the maximum of ") {
        return format!("{days} jours, c'est plus que le maximum de {max}");
    }
    if let Some(day) = reason.strip_prefix("EOM+").and_then(|r| r.strip_suffix(": the day must be between 1 and 31")) {
        return format!("EOM+{day} : le jour doit être compris entre 1 et 31");
    }
    if let Some(max) = reason.strip_prefix("at most ").and_then(|r| r.strip_suffix(" installments are allowed")) {
        return format!("au plus {max} échéances");
    }
    if let Some(max) = reason.strip_prefix("between 1 and ").and_then(|r| r.strip_suffix(" installments are needed")) {
        return format!("il faut de 1 à {max} échéances");
    }
    if let Some((p, scale)) = reason
        .split_once("% must be above 0 and at most 100, with at most ")
        .and_then(|(p, rest)| Some((p, rest.strip_suffix(" decimals")?)))
    {
        return format!("{} % doit être supérieur à 0 et au plus égal à 100, avec au plus {scale} décimales", p);
    }
    if let Some(m) = reason.strip_prefix("a fixed installment must be positive, not ") {
        return format!("une échéance à montant fixe doit être positive, pas {m}");
    }
    match reason {
        "the code is empty" => "le code est vide".into(),
        "an installment is empty (two '/' in a row, or one at an end)" => {
            "une échéance est vide (deux « / » de suite, ou un « / » à une extrémité)".into()
        }
        "give every installment a share, or none (equal parts); only the last may go without, it then takes the \
         remainder" => "donnez une part à chaque échéance, ou à aucune (parts égales) ; seule la dernière peut s'en \
                        passer, elle prend alors le reste"
            .into(),
        "EOM+day cannot be used within installments" => {
            "EOM+jour ne s'emploie pas dans une condition à plusieurs échéances".into()
        }
        "a ':' must be followed by a share such as 40%, 100.00 or REST" => {
            "un « : » doit être suivi d'une part, comme 40%, 100.00 ou REST".into()
        }
        "equal parts cannot be mixed with percentages, amounts or REST" => {
            "les parts égales ne se combinent pas avec des pourcentages, des montants ou REST".into()
        }
        "a single installment is written NET30 or EOM30" => "une échéance unique s'écrit NET30 ou EOM30".into(),
        "REST may appear once, on the last installment" => {
            "REST ne figure qu'une fois, sur la dernière échéance".into()
        }
        "fixed amounts need a last installment that takes the remainder (REST)" => {
            "des montants fixes demandent une dernière échéance qui prend le reste (REST)".into()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use creance_core::text_limits::check_text_length;
    use creance_core::{Currency, PaymentTerm};

    /// A number per variant: a new variant fails to compile here until it has a sample below.
    fn variant(f: &ImportFault) -> usize {
        use ImportFault::*;
        match f {
            EmptyFile => 0,
            HeaderOnly => 1,
            QuoteNotClosed => 2,
            HeaderUnreadable { .. } => 3,
            HeaderNotUtf8 { .. } => 4,
            ColumnTwice { .. } => 5,
            UnknownColumn { .. } => 6,
            UnknownField { .. } => 7,
            RowUnreadable { .. } => 8,
            TooManyFields { .. } => 9,
            ControlCharacter => 10,
            NotUtf8 => 11,
            TooLong(_) => 12,
            NotAnArray => 13,
            EmptyArray => 14,
            NotAnObject => 15,
            InstallmentsNotAnArray => 16,
            Exponent { .. } => 17,
            NotAScalar => 18,
            Missing(_) => 19,
            NumberTooLong { .. } => 20,
            NumberTwice { .. } => 21,
            NotALanguage { .. } => 22,
            Money(_) => 23,
            Date(_) => 24,
            NotAFlag { .. } => 25,
            NotAnEmail { .. } => 26,
            EndBeforeStart { .. } => 27,
            NotAStatus { .. } => 28,
            NotADocumentKind { .. } => 29,
            DiffersFromFirst { .. } => 30,
            TotalNegative { .. } => 31,
            TotalZero => 32,
            TooManyInstallments { .. } => 33,
            DueBeforeDate { .. } => 34,
            InstallmentNotPositive { .. } => 35,
            Term(_) => 36,
            InstallmentsSum { .. } => 37,
            RowsApart { .. } => 38,
            PayerUnknown { .. } => 39,
            PayerCycle { .. } => 40,
            CustomerUnknown { .. } => 41,
            ContractUnknown { .. } => 42,
            ContractOtherCustomer { .. } => 43,
            HasAllocations { .. } => 44,
            Dunned { .. } => 45,
        }
    }
    const VARIANTS: usize = 46;

    fn d(text: &str) -> Date {
        Date::parse(text).expect("a test date")
    }

    fn eur(minor: i64) -> creance_core::Money {
        creance_core::Money::new(minor, Currency::EUR)
    }

    fn term(code: &str) -> TermError {
        PaymentTerm::parse(code, Currency::EUR).expect_err(code)
    }

    fn samples() -> Vec<ImportFault> {
        use ImportFault::*;
        let mut v = vec![
            EmptyFile,
            HeaderOnly,
            QuoteNotClosed,
            HeaderUnreadable { detail: "x".into() },
            HeaderNotUtf8 { index: 3 },
            ColumnTwice { column: "number" },
            UnknownColumn { name: "foo".into(), entity: Entity::Contracts },
            UnknownField { name: "foo".into(), entity: Entity::Documents },
            RowUnreadable { detail: "x".into() },
            TooManyFields { fields: 6, columns: 5 },
            ControlCharacter,
            NotUtf8,
            TooLong(check_text_length("name", &"x".repeat(300)).expect_err("too long")),
            NotAnArray,
            EmptyArray,
            NotAnObject,
            InstallmentsNotAnArray,
            Exponent { text: "1e3".into() },
            NotAScalar,
            NumberTooLong { number: "C".repeat(41), max: 40 },
            NumberTwice { keyed: Keyed::Customer, number: "C001".into(), first_line: 2 },
            NumberTwice { keyed: Keyed::Contract, number: "K1".into(), first_line: 2 },
            NotALanguage { text: "xx".into() },
            Money(Currency::parse("XYZ").expect_err("XYZ")),
            Money(creance_core::Money::parse_input("12,3,4", Currency::EUR).expect_err("12,3,4")),
            Money(creance_core::Money::parse_input("1.234", Currency::EUR).expect_err("1.234")),
            Money(creance_core::Money::parse_input("12 €", Currency::EUR).expect_err("12 €")),
            Money(creance_core::Money::parse_input("1,2,3", Currency::EUR).expect_err("1,2,3")),
            Date(creance_core::Date::parse("31/02/2026").expect_err("31/02")),
            Date(creance_core::Date::parse("demain").expect_err("demain")),
            NotAFlag { text: "peut-être".into() },
            NotAnEmail { text: "compta".into() },
            EndBeforeStart { end: d("2025-12-31"), start: d("2026-01-01") },
            NotAStatus { text: "suspendu".into() },
            NotADocumentKind { text: "reçu".into() },
            DiffersFromFirst { value: "C002".into(), first: "C001".into(), number: "F1".into(), first_line: 2 },
            TotalNegative { text: "-10,00".into(), kind: DocumentKind::Invoice },
            TotalNegative { text: "-10,00".into(), kind: DocumentKind::OpeningBalance },
            TotalZero,
            TooManyInstallments { number: "F1".into(), count: 121, max: 120 },
            DueBeforeDate { due: d("2026-01-01"), date: d("2026-01-05") },
            InstallmentNotPositive { text: "0,00".into() },
            InstallmentsSum { number: "F1".into(), sum: eur(9_000), total: eur(10_000) },
            RowsApart { number: "F1".into(), first_line: 2 },
            PayerUnknown { payer: "C009".into() },
            PayerCycle { cycle: vec!["C001".into(), "C002".into()] },
            CustomerUnknown { number: "C999".into() },
            ContractUnknown { number: "K9".into() },
            ContractOtherCustomer { contract: "K1".into(), owner: "C001".into(), customer: "C002".into() },
            HasAllocations { kind: DocumentKind::Invoice, number: "F1".into() },
            HasAllocations { kind: DocumentKind::CreditNote, number: "AV1".into() },
            Dunned { kind: DocumentKind::Invoice, number: "F1".into(), level: 2 },
            Dunned { kind: DocumentKind::OpeningBalance, number: "SO1".into(), level: 1 },
        ];
        v.extend(
            [
                Required::CustomerNumber,
                Required::CustomerName,
                Required::ContractNumber,
                Required::ContractCustomer,
                Required::ContractStart,
                Required::DocumentNumber,
                Required::DocumentCustomer,
                Required::DocumentDate,
                Required::DocumentTotal,
                Required::InstallmentDueDate,
                Required::InstallmentAmount,
                Required::DueDateOrTerm,
            ]
            .map(Missing),
        );
        let codes = [
            "",
            "EOM+x",
            "EOM+40",
            "NETX",
            "NET9999",
            "30//60",
            "30/60:50%",
            "EOM+10/30",
            "30:/60",
            "30:150%/60:REST",
            "30:-5.00/60:REST",
            "30:50.00/60:50.00",
            "30:40%/60:40%",
            "30:abc/60:REST",
            "30:REST/60:REST",
            "30:4x%/60:REST",
        ];
        v.extend(codes.iter().map(|c| Term(term(c))));
        // Reasons `PaymentTerm::parse` does not reach (`validate` of a term built in code does).
        for reason in [
            "a single installment is written NET30 or EOM30",
            "equal parts cannot be mixed with percentages, amounts or REST",
        ] {
            v.push(Term(TermError::Syntax { code: "30".into(), reason: reason.into() }));
        }
        let too_many = vec!["30"; 121].join("/");
        v.push(Term(term(&too_many)));
        let rest = PaymentTerm::parse("0:200.00/30:REST", Currency::EUR).expect("a term");
        v.push(Term(rest.schedule(d("2026-01-01"), eur(10_000)).expect_err("fixed above the total")));
        v.push(Term(TermError::NegativeTotal));
        v
    }

    /// Words that would say the French is English; what the user wrote (« … ») and the lists of
    /// accepted names and examples (after "accepte :", "exemples :") are left out.
    const ENGLISH: &[&str] = &[
        "the",
        "is",
        "are",
        "not",
        "must",
        "needs",
        "does",
        "exist",
        "first",
        "before",
        "write",
        "with",
        "than",
        "has",
        "been",
        "already",
        "use",
        "give",
        "each",
        "every",
        "file",
        "line",
        "column",
        "appears",
        "unknown",
        "cannot",
        "nothing",
        "empty",
        "expected",
        "found",
        "days",
        "installment",
        "installments",
        "more",
        "allowed",
        "only",
        "may",
        "invalid",
        "valid",
        "customer",
        "contract",
        "payer",
        "this",
        "that",
        "which",
        "of",
        "and",
        "to",
        "be",
        "an",
        "amount",
        "currency",
        "decimals",
        "share",
        "percentages",
        "sum",
        "exceed",
        "field",
        "header",
        "row",
        "rows",
        "mixed",
        "between",
        "day",
        "month",
        "year",
        "range",
        "digits",
        "separator",
    ];

    fn english_words(text: &str) -> Vec<String> {
        let mut kept = String::new();
        let mut quoted = 0usize;
        for c in text.chars() {
            match c {
                '«' => quoted += 1,
                '»' => quoted = quoted.saturating_sub(1),
                c if quoted == 0 => kept.push(c),
                _ => {}
            }
        }
        let kept = kept.split(" accepte : ").next().unwrap_or_default();
        let kept = kept.split("(exemples : ").next().unwrap_or_default();
        kept.split(|c: char| !c.is_alphabetic())
            .map(str::to_lowercase)
            .filter(|w| ENGLISH.contains(&w.as_str()))
            .collect()
    }

    #[test]
    fn every_import_fault_reads_in_french_without_an_english_word() {
        let samples = samples();
        let mut seen = [false; VARIANTS];
        let mut leaks = Vec::new();
        for fault in &samples {
            seen[variant(fault)] = true;
            let row = RowError::new(7, Some("date".into()), fault.clone());
            let french = reason(Language::Fr, &row);
            assert_ne!(french, row.reason, "{fault:?} has no French");
            assert!(!french.is_empty() && !french.contains('{'), "{fault:?}: {french}");
            let english = english_words(&french);
            if !english.is_empty() {
                leaks.push(format!("{english:?} in {french}"));
            }
            // English and German readers read the app's English, word for word.
            assert_eq!(reason(Language::En, &row), fault.to_string());
            assert_eq!(reason(Language::De, &row), fault.to_string());
        }
        assert!(leaks.is_empty(), "English words:\n{}", leaks.join("\n"));
        let missing: Vec<usize> = (0..VARIANTS).filter(|i| !seen[*i]).collect();
        assert!(missing.is_empty(), "variants without a sample: {missing:?}");
        assert!(all_worded(Language::Fr, &[RowError::new(1, None, ImportFault::EmptyFile)]));
    }

    #[test]
    fn the_sentences_a_credit_controller_reads_most() {
        let unknown = ImportFault::CustomerUnknown { number: "C001".into() };
        assert_eq!(fr(&unknown), "le client C001 n'existe pas : importez-le d'abord");
        let date = ImportFault::Date(Date::parse("31/02/2026").expect_err("31/02"));
        assert_eq!(
            fr(&date),
            "« 31/02/2026 » n'est pas une date valide (ce jour n'existe pas dans ce mois) ; écrivez AAAA-MM-JJ ou \
             JJ/MM/AAAA"
        );
        let sum = ImportFault::InstallmentsSum { number: "F1".into(), sum: eur(90_000), total: eur(123_456) };
        assert_eq!(
            fr(&sum),
            "les échéances de la pièce F1 totalisent 900,00\u{a0}€ alors que son total est de 1\u{202f}234,56\u{a0}€"
        );
        let dunned = ImportFault::Dunned { kind: DocumentKind::Invoice, number: "F1".into(), level: 2 };
        assert_eq!(fr(&dunned), "la facture F1 a été relancée (niveau 2) et ne peut plus être modifiée par un import");
        let term = ImportFault::Term(term("NETX"));
        assert!(
            fr(&term).starts_with(
                "« NETX » n'est pas une condition de paiement valide : attendu un nombre de jours, trouvé « X »"
            ),
            "{}",
            fr(&term)
        );
        // A row some other code built without its fault reads in English, in French too.
        let plain = RowError { line: 2, column: None, reason: "plain".into(), said: None };
        assert_eq!(reason(Language::Fr, &plain), "plain");
        assert!(!all_worded(Language::Fr, std::slice::from_ref(&plain)));
        assert!(all_worded(Language::En, &[plain]));
    }
}
