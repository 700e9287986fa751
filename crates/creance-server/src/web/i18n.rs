//! The web UI's message catalogue: `t(lang, Msg::X)`, French and English. The UI speaks these two;
//! a user whose language is another (German, Italian: letters exist in them) reads English.
//! A message with a value in it is a template with `{}` where the value goes ([`tf`]).

use creance_core::Language;

/// The UI's language for a user's language: French or English.
pub fn ui_language(lang: Language) -> Language {
    match lang {
        Language::Fr => Language::Fr,
        _ => Language::En,
    }
}

/// Every text of the pages, by key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    AppName,
    SkipToContent,
    /// The placeholder of a date field: the format the user reads dates in (and may type).
    DateInputHint,
    // Tabs, in the seeds' order.
    TabSchedule,
    TabPayments,
    TabRefunds,
    TabDunning,
    TabAdvances,
    TabDeposits,
    TabSmallBalances,
    TabCustomers,
    TabReports,
    TabSettings,
    NotYetAvailable,
    // Top bar.
    Company,
    SwitchCompany,
    Language,
    LogOut,
    SignedInAs,
    RoleReadOnly,
    RoleClerk,
    RoleAdmin,
    // Login.
    LoginTitle,
    Email,
    Password,
    LogIn,
    LoginRefused,
    LoginFormExpired,
    LoginThrottled,
    LoggedOut,
    // Errors.
    ForbiddenTitle,
    ForbiddenRole,
    NotFoundTitle,
    CsrfRefused,
    ErrorTitle,
    InternalError,
    BackToCustomers,
    // Customers list.
    CustomersTitle,
    ImportLink,
    FullHistory,
    Search,
    SearchHint,
    SearchButton,
    Number,
    Name,
    City,
    Payer,
    Salesperson,
    Currency,
    CustomersCount,
    NoCustomers,
    NoCustomerMatches,
    Previous,
    Next,
    PageOf,
    /// A page of a list that is not counted: its first and last row.
    PageFrom,
    // Customer card.
    Details,
    Address,
    CustomerLanguage,
    Dunning,
    DunningEnabled,
    DunningDisabled,
    CustomerEmail,
    DunningEmail,
    DunningEmailHint,
    Comment,
    CommentHint,
    Save,
    Saved,
    PaysForItself,
    OpenItems,
    Document,
    DocumentDate,
    DueDate,
    DaysOverdue,
    Amount,
    AmountOpen,
    Level,
    Total,
    NoOpenItems,
    Payments,
    Date,
    Method,
    Piece,
    Unallocated,
    Status,
    NoPayments,
    Credits,
    NoCredits,
    DunningHistory,
    Source,
    Channel,
    Letter,
    NoHistory,
    Blocks,
    BlockedUntil,
    NoBlocks,
    BlockReason,
}

/// A catalogue of messages: [`Msg`] for the frame and the shared words, and one enum per screen
/// beside its handlers (so that a screen's texts live with it). Each message is a (French, English)
/// pair.
pub trait Catalogue: Copy {
    /// The message in French and in English.
    fn pair(self) -> (&'static str, &'static str);
}

impl Catalogue for Msg {
    fn pair(self) -> (&'static str, &'static str) {
        pair(self)
    }
}

/// The text of `msg` in `lang` (French, else English).
pub fn t(lang: Language, msg: impl Catalogue) -> &'static str {
    let (fr, en) = msg.pair();
    if ui_language(lang) == Language::Fr {
        fr
    } else {
        en
    }
}

/// A template message with `{}` replaced by `value`, in order.
pub fn tf(lang: Language, msg: impl Catalogue, values: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = t(lang, msg);
    for v in values {
        match rest.split_once("{}") {
            Some((before, after)) => {
                out.push_str(before);
                out.push_str(v);
                rest = after;
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

fn pair(msg: Msg) -> (&'static str, &'static str) {
    use Msg::*;
    match msg {
        AppName => ("Créance", "Créance"),
        SkipToContent => ("Aller au contenu", "Skip to content"),
        DateInputHint => ("JJ/MM/AAAA", "DD/MM/YYYY"),
        TabSchedule => ("Échéancier", "Open items"),
        TabPayments => ("Règlements", "Payments"),
        TabRefunds => ("Remboursements", "Refunds"),
        TabDunning => ("Relances", "Reminders"),
        TabAdvances => ("Acomptes", "Advances"),
        TabDeposits => ("Remises en banque", "Bank deposits"),
        TabSmallBalances => ("Petits soldes", "Small balances"),
        TabCustomers => ("Clients", "Customers"),
        TabReports => ("Rapports", "Reports"),
        TabSettings => ("Paramètres", "Settings"),
        NotYetAvailable => ("Pas encore disponible dans l’interface web", "Not available in the web UI yet"),
        Company => ("Société", "Company"),
        SwitchCompany => ("Changer", "Switch"),
        Language => ("Langue", "Language"),
        LogOut => ("Se déconnecter", "Log out"),
        SignedInAs => ("Connecté : {} ({})", "Signed in: {} ({})"),
        RoleReadOnly => ("lecture seule", "read-only"),
        RoleClerk => ("gestionnaire", "clerk"),
        RoleAdmin => ("administrateur", "admin"),
        LoginTitle => ("Connexion", "Log in"),
        Email => ("E-mail", "E-mail"),
        Password => ("Mot de passe", "Password"),
        LogIn => ("Se connecter", "Log in"),
        LoginRefused => ("E-mail ou mot de passe incorrect.", "Wrong e-mail or password."),
        LoginFormExpired => (
            "Ce formulaire a expiré ou ne vient pas de cette page : saisissez à nouveau vos identifiants.",
            "This form has expired or did not come from this page: please log in again.",
        ),
        LoginThrottled => (
            "Trop de tentatives échouées pour cet e-mail : réessayez après {} (UTC).",
            "Too many failed attempts for this e-mail: try again after {} (UTC).",
        ),
        LoggedOut => ("Vous êtes déconnecté.", "You are logged out."),
        ForbiddenTitle => ("Accès refusé", "Forbidden"),
        ForbiddenRole => (
            "Votre rôle dans cette société est « {} » ; cette action demande « {} » ou plus.",
            "Your role in this company is “{}”; this action needs “{}” or higher.",
        ),
        NotFoundTitle => ("Page introuvable", "Not found"),
        CsrfRefused => (
            "Le formulaire n’a pas le jeton de sécurité de votre session ; rien n’a été modifié. Rechargez la page et recommencez.",
            "The form did not carry your session’s security token; nothing was changed. Reload the page and try again.",
        ),
        ErrorTitle => ("Erreur", "Error"),
        InternalError => (
            "Une erreur interne est survenue ; elle a été journalisée et rien n’a été modifié.",
            "An internal error occurred; it was logged and nothing was changed.",
        ),
        BackToCustomers => ("Retour aux clients", "Back to customers"),
        CustomersTitle => ("Clients", "Customers"),
        FullHistory => (
            "Historique complet par échéance, lettres et relance faite par un autre biais…",
            "Full history per installment, letters, and a reminder made another way…",
        ),
        ImportLink => ("Importer clients, contrats, factures", "Import customers, contracts, invoices"),
        Search => ("Recherche", "Search"),
        SearchHint => ("numéro ou nom, en partie", "number or name, or part of it"),
        SearchButton => ("Rechercher", "Search"),
        Number => ("Numéro", "Number"),
        Name => ("Nom", "Name"),
        City => ("Ville", "City"),
        Payer => ("Payeur", "Payer"),
        Salesperson => ("Commercial", "Salesperson"),
        Currency => ("Devise", "Currency"),
        CustomersCount => ("{} clients", "{} customers"),
        NoCustomers => ("Aucun client : importez-en d’abord.", "No customers yet: import some first."),
        NoCustomerMatches => ("Aucun client ne correspond à « {} ».", "No customer matches “{}”."),
        Previous => ("Précédents", "Previous"),
        Next => ("Suivants", "Next"),
        PageOf => ("{}–{} sur {}", "{}–{} of {}"),
        PageFrom => ("{}–{}", "{}–{}"),
        Details => ("Fiche", "Details"),
        Address => ("Adresse", "Address"),
        CustomerLanguage => ("Langue des courriers", "Letter language"),
        Dunning => ("Relances", "Reminders"),
        DunningEnabled => ("relancé", "reminded"),
        DunningDisabled => ("non relancé", "not reminded"),
        CustomerEmail => ("E-mail", "E-mail"),
        DunningEmail => ("E-mail de relance", "Reminder e-mail"),
        DunningEmailHint => (
            "Les relances partent à cette adresse (plusieurs : séparées par , ou ;). Vide : l’e-mail du client.",
            "Reminders go to this address (several: separated by , or ;). Empty: the customer’s e-mail.",
        ),
        Comment => ("Commentaire", "Comment"),
        CommentHint => ("Imprimé sur les relances ; 2 000 caractères au plus.", "Printed on reminders; at most 2,000 characters."),
        Save => ("Enregistrer", "Save"),
        Saved => ("Enregistré.", "Saved."),
        PaysForItself => ("paie pour lui-même", "pays for itself"),
        OpenItems => ("Pièces ouvertes", "Open items"),
        Document => ("Pièce", "Document"),
        DocumentDate => ("Date pièce", "Document date"),
        DueDate => ("Échéance", "Due date"),
        DaysOverdue => ("Jours de retard", "Days overdue"),
        Amount => ("Montant", "Amount"),
        AmountOpen => ("Reste dû", "Open"),
        Level => ("Niveau", "Level"),
        Total => ("Total", "Total"),
        NoOpenItems => ("Aucune pièce ouverte : tout est réglé.", "No open items: everything is paid."),
        Payments => ("Règlements", "Payments"),
        Date => ("Date", "Date"),
        Method => ("Mode", "Method"),
        Piece => ("N° de pièce", "Piece no."),
        Unallocated => ("Non lettré", "Unallocated"),
        Status => ("État", "Status"),
        NoPayments => ("Aucun règlement enregistré pour ce client.", "No payment recorded for this customer."),
        Credits => ("Avoirs ouverts", "Open credits"),
        NoCredits => ("Aucun avoir ouvert.", "No open credit note."),
        DunningHistory => ("Historique des relances", "Reminder history"),
        Source => ("Origine", "Source"),
        Channel => ("Canal", "Channel"),
        Letter => ("Lettre", "Letter"),
        NoHistory => ("Ce client n’a jamais été relancé.", "This customer was never reminded."),
        Blocks => ("Blocages", "Blocks"),
        BlockedUntil => ("Bloqué jusqu’au", "Blocked until"),
        NoBlocks => ("Aucune pièce bloquée pour les relances.", "No item is blocked from reminders."),
        BlockReason => ("Motif", "Reason"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_reads_english_and_templates_fill_in_order() {
        assert_eq!(t(Language::De, Msg::TabCustomers), "Customers");
        assert_eq!(t(Language::Fr, Msg::TabSchedule), "Échéancier");
        assert_eq!(tf(Language::En, Msg::PageOf, &["1", "50", "120"]), "1–50 of 120");
    }
}

/// The words of the closed vocabularies the pages show (stored as codes), in the page's language.
pub mod words {
    use creance_core::dunning::{BlockReason, ExternalChannel, HistorySource, HistoryStatus};
    use creance_core::{Language, PaymentStatus};

    fn pick(lang: Language, (fr, en): (&'static str, &'static str)) -> &'static str {
        if super::ui_language(lang) == Language::Fr {
            fr
        } else {
            en
        }
    }

    /// A language's name (a customer's letters' language).
    pub fn language(lang: Language, of: Language) -> &'static str {
        pick(
            lang,
            match of {
                Language::Fr => ("français", "French"),
                Language::En => ("anglais", "English"),
                Language::De => ("allemand", "German"),
                Language::It => ("italien", "Italian"),
            },
        )
    }

    pub fn payment_status(lang: Language, s: PaymentStatus) -> &'static str {
        pick(
            lang,
            match s {
                PaymentStatus::Active => ("actif", "active"),
                PaymentStatus::Cancelled => ("annulé", "cancelled"),
            },
        )
    }

    pub fn history_source(lang: Language, s: HistorySource) -> &'static str {
        pick(
            lang,
            match s {
                HistorySource::Letter => ("lettre Créance", "Créance letter"),
                HistorySource::External => ("relance externe", "external reminder"),
            },
        )
    }

    pub fn channel(lang: Language, c: ExternalChannel) -> &'static str {
        pick(
            lang,
            match c {
                ExternalChannel::Email => ("e-mail", "e-mail"),
                ExternalChannel::Letter => ("courrier", "letter"),
                ExternalChannel::Phone => ("téléphone", "phone"),
                ExternalChannel::Visit => ("visite", "visit"),
                ExternalChannel::Other => ("autre", "other"),
            },
        )
    }

    pub fn history_status(lang: Language, s: HistoryStatus) -> &'static str {
        pick(
            lang,
            match s {
                HistoryStatus::Issued => ("émise", "issued"),
                HistoryStatus::Withdrawn => ("retirée", "withdrawn"),
                HistoryStatus::Recorded => ("enregistrée", "recorded"),
            },
        )
    }

    /// A block's reason as stored (a code of `BlockReason`; an unknown one is shown as stored).
    pub fn block_reason(lang: Language, stored: &str) -> &str {
        match BlockReason::parse(stored) {
            Some(r) => pick(
                lang,
                match r {
                    BlockReason::Dispute => ("litige", "dispute"),
                    BlockReason::Promise => ("promesse de paiement", "payment promised"),
                    BlockReason::Legal => ("procédure", "legal"),
                    BlockReason::Other => ("autre", "other"),
                },
            ),
            None => stored,
        }
    }
}
