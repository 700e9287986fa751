//! SPEC §3 (entities): the small closed vocabularies shared by store, app and server — document kinds,
//! contract status, user roles and languages — each with a stable `code()` (what the database and the
//! API store) and a lenient `parse()` for imports (English codes and the French words of the seeds).

/// The kind of an imported document (SPEC §3 Document).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Invoice,
    CreditNote,
    FeeInvoice,
    InterestInvoice,
    OpeningBalance,
    /// Internal (SPEC §4.8): closes a customer's small open debits against the clearing account when
    /// they are re-billed on a contract's next invoice (a credit).
    SmallBalanceTransfer,
    /// Internal: is closed by a customer's small credits moved to the clearing account, to be deducted
    /// from a contract's next invoice (a debit).
    SmallCreditTransfer,
    /// Internal: closes small open debits written off to the loss account (a credit).
    WriteOff,
    /// Internal: is closed by small credits written off to the gain account (a debit).
    WriteOffCredit,
}

/// Lower-cases, trims and folds the French accents used by the accepted words, `-`/space to `_`.
fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'É' | 'È' => 'e',
            'ç' | 'Ç' => 'c',
            'à' | 'À' => 'a',
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

impl DocumentKind {
    pub const ALL: &'static [DocumentKind] = &[
        DocumentKind::Invoice,
        DocumentKind::CreditNote,
        DocumentKind::FeeInvoice,
        DocumentKind::InterestInvoice,
        DocumentKind::OpeningBalance,
        DocumentKind::SmallBalanceTransfer,
        DocumentKind::SmallCreditTransfer,
        DocumentKind::WriteOff,
        DocumentKind::WriteOffCredit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
            DocumentKind::FeeInvoice => "fee_invoice",
            DocumentKind::InterestInvoice => "interest_invoice",
            DocumentKind::OpeningBalance => "opening_balance",
            DocumentKind::SmallBalanceTransfer => "small_balance_transfer",
            DocumentKind::SmallCreditTransfer => "small_credit_transfer",
            DocumentKind::WriteOff => "write_off",
            DocumentKind::WriteOffCredit => "write_off_credit",
        }
    }

    /// Accepts the codes and `facture`/`FA` (invoice), `avoir`/`AV` (credit note), case-insensitive.
    pub fn parse(text: &str) -> Option<DocumentKind> {
        let t = fold(text);
        if let Some(&k) = DocumentKind::ALL.iter().find(|k| k.code() == t) {
            return Some(k);
        }
        match t.as_str() {
            "facture" | "fa" => Some(DocumentKind::Invoice),
            "avoir" | "av" | "creditnote" => Some(DocumentKind::CreditNote),
            _ => None,
        }
    }

    /// Every kind but a credit note and the internal credits is a debit (an opening balance is a debit).
    pub fn is_debit(self) -> bool {
        !matches!(self, DocumentKind::CreditNote | DocumentKind::SmallBalanceTransfer | DocumentKind::WriteOff)
    }

    /// The kinds Créance writes itself for a small-balance action (SPEC §4.8): never imported, never
    /// open once their transaction commits (so never dunned, proposed or charged interest).
    pub fn is_internal(self) -> bool {
        matches!(
            self,
            DocumentKind::SmallBalanceTransfer
                | DocumentKind::SmallCreditTransfer
                | DocumentKind::WriteOff
                | DocumentKind::WriteOffCredit
        )
    }

    /// +1 for a debit, −1 for a credit.
    pub fn sign(self) -> i64 {
        if self.is_debit() {
            1
        } else {
            -1
        }
    }
}

/// A contract's status (SPEC §3 Contract).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractStatus {
    Active,
    Ended,
}

impl ContractStatus {
    pub fn code(self) -> &'static str {
        match self {
            ContractStatus::Active => "active",
            ContractStatus::Ended => "ended",
        }
    }

    /// Accepts `active`/`actif`, `ended`/`terminé`/`termine`/`résilié`/`resilie`, case-insensitive.
    pub fn parse(text: &str) -> Option<ContractStatus> {
        match fold(text).as_str() {
            "active" | "actif" | "active_contract" => Some(ContractStatus::Active),
            "ended" | "termine" | "terminee" | "resilie" | "resiliee" => Some(ContractStatus::Ended),
            _ => None,
        }
    }
}

/// Whether a payment counts (SPEC §3 Payment): a cancelled payment keeps its row and its number but
/// is never allocated, refunded or deposited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Active,
    Cancelled,
}

impl PaymentStatus {
    pub fn code(self) -> &'static str {
        match self {
            PaymentStatus::Active => "active",
            PaymentStatus::Cancelled => "cancelled",
        }
    }

    /// The stored word (exactly as [`PaymentStatus::code`] writes it).
    pub fn parse(word: &str) -> Option<PaymentStatus> {
        [PaymentStatus::Active, PaymentStatus::Cancelled].into_iter().find(|s| s.code() == word)
    }
}

impl std::fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Where a bank deposit (a slip of cheques) stands (SPEC §4.4): a draft is edited, a validated one is
/// booked, a cancelled one frees its payments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DepositStatus {
    Draft,
    Validated,
    Cancelled,
}

impl DepositStatus {
    pub const ALL: [DepositStatus; 3] = [DepositStatus::Draft, DepositStatus::Validated, DepositStatus::Cancelled];

    pub fn code(self) -> &'static str {
        match self {
            DepositStatus::Draft => "draft",
            DepositStatus::Validated => "validated",
            DepositStatus::Cancelled => "cancelled",
        }
    }

    /// The stored word (exactly as [`DepositStatus::code`] writes it).
    pub fn parse(word: &str) -> Option<DepositStatus> {
        DepositStatus::ALL.into_iter().find(|s| s.code() == word)
    }
}

impl std::fmt::Display for DepositStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Why money is paid back to a customer (SPEC §3 Refund).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundReason {
    Overpayment,
    CreditNote,
    DuplicatePayment,
    CancelledOrder,
    Other,
}

impl RefundReason {
    pub const ALL: [RefundReason; 5] = [
        RefundReason::Overpayment,
        RefundReason::CreditNote,
        RefundReason::DuplicatePayment,
        RefundReason::CancelledOrder,
        RefundReason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RefundReason::Overpayment => "overpayment",
            RefundReason::CreditNote => "credit_note",
            RefundReason::DuplicatePayment => "duplicate_payment",
            RefundReason::CancelledOrder => "cancelled_order",
            RefundReason::Other => "other",
        }
    }

    /// The French label printed on the refund letter.
    pub fn label_fr(self) -> &'static str {
        match self {
            RefundReason::Overpayment => "Trop-perçu",
            RefundReason::CreditNote => "Avoir",
            RefundReason::DuplicatePayment => "Paiement en double",
            RefundReason::CancelledOrder => "Commande annulée",
            RefundReason::Other => "Autre",
        }
    }

    /// Accepts the codes and the French words (`trop-perçu`, `avoir`, `doublon`, `commande annulée`,
    /// `autre`), case-insensitive.
    pub fn parse(text: &str) -> Option<RefundReason> {
        match fold(text).as_str() {
            "overpayment" | "trop_percu" | "tropercu" | "trop_paye" => Some(RefundReason::Overpayment),
            "credit_note" | "avoir" => Some(RefundReason::CreditNote),
            "duplicate_payment" | "duplicate" | "doublon" | "paiement_en_double" => {
                Some(RefundReason::DuplicatePayment)
            }
            "cancelled_order" | "commande_annulee" => Some(RefundReason::CancelledOrder),
            "other" | "autre" => Some(RefundReason::Other),
            _ => None,
        }
    }
}

/// A user's role; ordered by power (`ReadOnly < Clerk < Admin`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    ReadOnly,
    Clerk,
    Admin,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::ReadOnly => "read_only",
            Role::Clerk => "clerk",
            Role::Admin => "admin",
        }
    }

    /// Accepts `read_only`, `read-only`, `readonly`, `clerk`, `admin`, case-insensitive.
    pub fn parse(text: &str) -> Option<Role> {
        match fold(text).as_str() {
            "read_only" | "readonly" => Some(Role::ReadOnly),
            "clerk" => Some(Role::Clerk),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// The language of a company, a customer and its letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Fr,
    En,
    De,
    It,
}

impl Language {
    pub const ALL: &'static [Language] = &[Language::Fr, Language::En, Language::De, Language::It];

    pub fn code(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
            Language::De => "de",
            Language::It => "it",
        }
    }

    /// Accepts a code with an optional region (`fr`, `fr-CH`, `de_CH`) or the language's name in
    /// English, French or itself (`français`, `German`, `Deutsch`, `italiano`), case-insensitive.
    pub fn parse(text: &str) -> Option<Language> {
        let t = fold(text);
        let base = t.split('_').next().unwrap_or("");
        match base {
            "fr" | "fra" | "fre" | "francais" | "french" => Some(Language::Fr),
            "en" | "eng" | "english" | "anglais" | "englisch" => Some(Language::En),
            "de" | "deu" | "ger" | "deutsch" | "german" | "allemand" => Some(Language::De),
            "it" | "ita" | "italiano" | "italian" | "italien" | "italienisch" => Some(Language::It),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_kinds() {
        for &k in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(k.code()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.code()));
            assert_eq!(k.sign(), if k.is_debit() { 1 } else { -1 });
        }
        let cases = [
            ("Facture", Some(DocumentKind::Invoice)),
            ("FA", Some(DocumentKind::Invoice)),
            ("avoir", Some(DocumentKind::CreditNote)),
            ("AV", Some(DocumentKind::CreditNote)),
            ("credit-note", Some(DocumentKind::CreditNote)),
            (" OPENING_BALANCE ", Some(DocumentKind::OpeningBalance)),
            ("receipt", None),
        ];
        for (text, want) in cases {
            assert_eq!(DocumentKind::parse(text), want, "{text}");
        }
        assert!(DocumentKind::OpeningBalance.is_debit());
        assert!(!DocumentKind::CreditNote.is_debit());
    }

    #[test]
    fn contract_status() {
        let cases = [
            ("active", Some(ContractStatus::Active)),
            ("Actif", Some(ContractStatus::Active)),
            ("ended", Some(ContractStatus::Ended)),
            ("terminé", Some(ContractStatus::Ended)),
            ("TERMINE", Some(ContractStatus::Ended)),
            ("résilié", Some(ContractStatus::Ended)),
            ("resilie", Some(ContractStatus::Ended)),
            ("paused", None),
        ];
        for (text, want) in cases {
            assert_eq!(ContractStatus::parse(text), want, "{text}");
        }
        assert_eq!(ContractStatus::parse(ContractStatus::Ended.code()), Some(ContractStatus::Ended));
        assert_eq!(serde_json::to_string(&ContractStatus::Active).unwrap(), "\"active\"");
    }

    #[test]
    fn roles() {
        assert!(Role::ReadOnly < Role::Clerk && Role::Clerk < Role::Admin);
        for r in [Role::ReadOnly, Role::Clerk, Role::Admin] {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
        assert_eq!(Role::parse("Read-Only"), Some(Role::ReadOnly));
        assert_eq!(Role::parse("root"), None);
        assert_eq!(serde_json::to_string(&Role::ReadOnly).unwrap(), "\"read_only\"");
        assert_eq!(serde_json::from_str::<Role>("\"admin\"").unwrap(), Role::Admin);
    }

    #[test]
    fn languages() {
        let cases = [
            ("fr", Some(Language::Fr)),
            ("fr-CH", Some(Language::Fr)),
            ("Français", Some(Language::Fr)),
            ("EN", Some(Language::En)),
            ("en_GB", Some(Language::En)),
            ("Deutsch", Some(Language::De)),
            ("de-CH", Some(Language::De)),
            ("italiano", Some(Language::It)),
            ("es", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(Language::parse(text), want, "{text}");
        }
        for &l in Language::ALL {
            assert_eq!(Language::parse(l.code()), Some(l));
            assert_eq!(serde_json::to_string(&l).unwrap(), format!("\"{}\"", l.code()));
        }
    }
}
