//! The Échéancier's texts, French and English.

use creance_core::{DocumentKind, Language};

use crate::web::i18n::{t, Catalogue};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum M {
    Title,
    HistoryTitle,
    ByInvoice,
    ByDueDate,
    Display,
    History,
    OpenList,
    Filters,
    Customer,
    CustomerHint,
    CustomerFrom,
    CustomerTo,
    Payer,
    PayerHint,
    Currency,
    DocumentFrom,
    DocumentTo,
    DueFrom,
    DueTo,
    DaysOverdueMin,
    DaysOverdueMax,
    DunningLevel,
    Contract,
    Salesperson,
    Apply,
    Reset,
    DateHint,
    Export,
    ExportCsv,
    ExportCsvExcel,
    ExportPdf,
    TotalsItems,
    TotalsOverdue,
    Kind,
    Installments,
    Pay,
    PayLabel,
    Empty,
    EmptyFiltered,
    EmptyHistory,
    NotShownForError,
    PanelTitle,
    PanelHint,
    PanelOf,
    Installment,
    Blocked,
    Close,
    SettledBy,
    Payment,
    CreditNote,
    ValueDate,
    PageFrom,
    NextPage,
    PreviousPage,
    HistoryFilters,
    SortBy,
    DaysLate,
}

impl Catalogue for M {
    fn pair(self) -> (&'static str, &'static str) {
        use M::*;
        match self {
            Title => ("Échéancier", "Open items"),
            HistoryTitle => ("Échéancier · historique", "Open items · history"),
            ByInvoice => ("Par facture", "By invoice"),
            ByDueDate => ("Par échéance", "By due date"),
            Display => ("Affichage", "Display"),
            History => ("Historique", "History"),
            OpenList => ("Clients dus", "Amounts due"),
            Filters => ("Filtres", "Filters"),
            Customer => ("Client", "Customer"),
            CustomerHint => ("numéro exact", "exact number"),
            CustomerFrom => ("Numéros du", "Numbers from"),
            CustomerTo => ("au", "to"),
            Payer => ("Payeur", "Payer"),
            PayerHint => ("numéro du payeur", "payer’s number"),
            Currency => ("Devise", "Currency"),
            DocumentFrom => ("Date pièce du", "Document date from"),
            DocumentTo => ("au", "to"),
            DueFrom => ("Échéances du", "Due from"),
            DueTo => ("au", "to"),
            DaysOverdueMin => ("Retard min. (jours)", "Days overdue, min."),
            DaysOverdueMax => ("max.", "max."),
            DunningLevel => ("Niveau de relance", "Reminder level"),
            Contract => ("Abonnement", "Contract"),
            Salesperson => ("Commercial", "Salesperson"),
            Apply => ("Filtrer", "Filter"),
            Reset => ("Effacer les filtres", "Clear the filters"),
            DateHint => ("JJ/MM/AAAA", "DD/MM/YYYY"),
            Export => ("Exporter ce qui est affiché", "Export what is shown"),
            ExportCsv => ("CSV", "CSV"),
            ExportCsvExcel => ("CSV (Excel)", "CSV (Excel)"),
            ExportPdf => ("PDF", "PDF"),
            TotalsItems => ("Échéances", "Installments"),
            TotalsOverdue => ("dont échu", "of which overdue"),
            Kind => ("Type", "Kind"),
            Installments => ("Échéances", "Installments"),
            Pay => ("Régler", "Pay"),
            PayLabel => ("Saisir un règlement de {} pour {}", "Record a payment of {} for {}"),
            Empty => ("Aucune pièce ouverte : tout est réglé.", "No open item: everything is paid."),
            EmptyFiltered => ("Aucune pièce ouverte ne correspond à ces filtres.", "No open item matches these filters."),
            EmptyHistory => ("Aucune échéance réglée ne correspond à ces filtres.", "No settled installment matches these filters."),
            NotShownForError => (
                "La liste n’est pas affichée : corrigez le filtre signalé.",
                "The list is not shown: correct the filter marked.",
            ),
            PanelTitle => ("Détail des échéances", "Installment details"),
            PanelHint => (
                "Choisissez une pièce de la liste pour voir ses échéances ici.",
                "Choose a document in the list to see its installments here.",
            ),
            PanelOf => ("Pièce {} · {}", "Document {} · {}"),
            Installment => ("N°", "No."),
            Blocked => ("Blocage", "Block"),
            Close => ("Fermer", "Close"),
            SettledBy => ("Réglé par", "Settled by"),
            Payment => ("règlement", "payment"),
            CreditNote => ("avoir", "credit note"),
            ValueDate => ("valeur", "value"),
            PageFrom => ("Lignes {} à {}", "Rows {} to {}"),
            NextPage => ("Suivantes", "Next"),
            PreviousPage => ("Précédentes", "Previous"),
            HistoryFilters => (
                "L’historique lit les filtres de client, numéros, payeur, devise, dates, niveau, abonnement et commercial ; le retard ne s’applique pas à une échéance réglée.",
                "The history reads the customer, number, payer, currency, date, level, contract and salesperson filters; days overdue do not apply to a settled installment.",
            ),
            SortBy => ("Trier par {}", "Sort by {}"),
            DaysLate => ("Retard", "Overdue"),
        }
    }
}

/// A document kind in words.
pub fn kind(lang: Language, k: DocumentKind) -> &'static str {
    #[derive(Clone, Copy)]
    struct K(DocumentKind);
    impl Catalogue for K {
        fn pair(self) -> (&'static str, &'static str) {
            match self.0 {
                DocumentKind::Invoice => ("facture", "invoice"),
                DocumentKind::CreditNote => ("avoir", "credit note"),
                DocumentKind::FeeInvoice => ("frais", "fee invoice"),
                DocumentKind::InterestInvoice => ("intérêts", "interest invoice"),
                DocumentKind::OpeningBalance => ("report à nouveau", "opening balance"),
                DocumentKind::SmallBalanceTransfer => ("transfert petit solde", "small-balance transfer"),
                DocumentKind::SmallCreditTransfer => ("transfert petit avoir", "small-credit transfer"),
                DocumentKind::WriteOff => ("passage en perte", "write-off"),
                DocumentKind::WriteOffCredit => ("passage en profit", "credit write-off"),
            }
        }
    }
    t(lang, K(k))
}
