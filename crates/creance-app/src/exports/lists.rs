//! The columns of every exported list. A CSV has every field of the list's JSON rows, named as the
//! JSON names them (one installment per row in the open-items list), plus a `currency` column
//! wherever the amounts carry their currency inside them; a PDF the columns a page has room for.

use creance_core::Language;
use creance_render::layout::Align;
use creance_render::units::Cu;

/// A column: its name (the CSV header) and the JSON path of its value in a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Col {
    pub name: &'static str,
    pub path: &'static str,
}

/// A column whose value is the row's field of the same name.
const fn c(name: &'static str) -> Col {
    Col { name, path: name }
}

/// A column named `name` read at `path` (`amount.currency`).
const fn at(name: &'static str, path: &'static str) -> Col {
    Col { name, path }
}

/// One exportable list.
#[derive(Debug)]
pub struct ListSpec {
    /// The file name's stem (`open-items` → `open-items.csv`).
    pub name: &'static str,
    /// The PDF's title in French, English and German.
    pub titles: [&'static str; 3],
    pub columns: &'static [Col],
    /// The PDF's columns, by name (each is one of `columns`).
    pub pdf_columns: &'static [&'static str],
    /// The amount column totalled per currency at the end of the PDF.
    pub total: Option<&'static str>,
}

impl ListSpec {
    pub fn title(&self, language: Language) -> &'static str {
        match language {
            Language::Fr => self.titles[0],
            Language::De => self.titles[2],
            Language::En | Language::It => self.titles[1],
        }
    }

    /// The CSV header.
    pub fn header(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }

    /// The paths of the CSV's columns.
    pub fn csv_paths(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.path).collect()
    }

    /// The paths of the PDF's columns.
    pub fn pdf_paths(&self) -> Vec<&'static str> {
        self.pdf_columns.iter().map(|n| self.columns.iter().find(|c| c.name == *n).map_or(*n, |c| c.path)).collect()
    }
}

pub static OPEN_ITEMS: ListSpec = ListSpec {
    name: "open-items",
    titles: ["Échéancier des postes ouverts", "Open items", "Offene Posten"],
    columns: &[
        c("installment_id"),
        c("document_id"),
        c("kind"),
        c("document_number"),
        c("document_date"),
        c("seq"),
        c("installment_count"),
        c("due_date"),
        c("days_overdue"),
        c("customer_id"),
        c("customer_number"),
        c("customer_name"),
        c("payer_number"),
        c("contract_number"),
        c("salesperson"),
        c("order_ref"),
        c("currency"),
        c("amount"),
        c("amount_open"),
        c("dunning_level"),
        c("dunning_date"),
        c("block_until"),
    ],
    pdf_columns: &[
        "document_number",
        "kind",
        "document_date",
        "due_date",
        "days_overdue",
        "customer_number",
        "customer_name",
        "amount",
        "amount_open",
        "dunning_level",
    ],
    total: Some("amount_open"),
};

pub static OPEN_DOCUMENTS: ListSpec = ListSpec {
    name: "open-items-by-document",
    titles: ["Postes ouverts par pièce", "Open items by document", "Offene Posten nach Beleg"],
    columns: &[
        c("document_id"),
        c("kind"),
        c("document_number"),
        c("document_date"),
        c("customer_id"),
        c("customer_number"),
        c("customer_name"),
        c("payer_number"),
        c("contract_number"),
        c("salesperson"),
        c("currency"),
        c("total"),
        c("amount_open"),
        c("due_date_first"),
        c("days_overdue"),
        c("installments_open"),
        c("dunning_level_max"),
    ],
    pdf_columns: &[
        "document_number",
        "kind",
        "document_date",
        "due_date_first",
        "days_overdue",
        "customer_number",
        "customer_name",
        "total",
        "amount_open",
        "dunning_level_max",
    ],
    total: Some("amount_open"),
};

const PAYMENT_COLUMNS: &[Col] = &[
    c("id"),
    c("number"),
    c("customer_id"),
    c("customer_number"),
    c("customer_name"),
    c("date"),
    at("currency", "amount.currency"),
    c("amount"),
    c("unallocated"),
    c("method"),
    c("piece_number"),
    c("customer_bank"),
    c("deposit_bank_id"),
    c("deposit_date"),
    c("deposit_id"),
    c("order_ref"),
    c("note"),
    c("status"),
    c("cancel_reason"),
];

const PAYMENT_PDF: &[&str] = &[
    "number",
    "date",
    "customer_number",
    "customer_name",
    "method",
    "piece_number",
    "amount",
    "unallocated",
    "status",
];

pub static PAYMENTS: ListSpec = ListSpec {
    name: "payments",
    titles: ["Règlements", "Payments", "Zahlungen"],
    columns: PAYMENT_COLUMNS,
    pdf_columns: PAYMENT_PDF,
    total: Some("amount"),
};

pub static ADVANCES: ListSpec = ListSpec {
    name: "advances",
    titles: ["Acomptes", "Advances", "Anzahlungen"],
    columns: PAYMENT_COLUMNS,
    pdf_columns: PAYMENT_PDF,
    total: Some("amount"),
};

pub static PAYMENTS_TO_DEPOSIT: ListSpec = ListSpec {
    name: "payments-to-deposit",
    titles: ["Règlements à remettre en banque", "Payments to deposit", "Einzureichende Zahlungen"],
    columns: PAYMENT_COLUMNS,
    pdf_columns: PAYMENT_PDF,
    total: Some("amount"),
};

pub static REFUNDS: ListSpec = ListSpec {
    name: "refunds",
    titles: ["Remboursements", "Refunds", "Erstattungen"],
    columns: &[
        c("id"),
        c("number"),
        c("customer_id"),
        c("customer_number"),
        c("customer_name"),
        c("date"),
        at("currency", "amount.currency"),
        c("amount"),
        c("to_allocate"),
        c("reason"),
        c("method"),
        c("piece_number"),
        c("bank_account_id"),
        c("note"),
    ],
    pdf_columns: &["number", "date", "customer_number", "customer_name", "reason", "method", "amount", "to_allocate"],
    total: Some("amount"),
};

/// The small balances (SPEC §4.8), every item on its own row: the debits, then the credits.
pub static SMALL_BALANCES: ListSpec = ListSpec {
    name: "small-balances",
    titles: ["Petits soldes", "Small balances", "Kleinbeträge"],
    columns: &[
        c("side"),
        c("installment_id"),
        c("payment_id"),
        c("document_id"),
        c("kind"),
        c("reference"),
        c("seq"),
        c("customer_id"),
        c("customer_number"),
        c("customer_name"),
        c("contract_id"),
        c("contract_number"),
        c("contract_active"),
        c("date"),
        at("currency", "amount.currency"),
        c("amount"),
        c("amount_open"),
        c("dunning_level"),
    ],
    pdf_columns: &["side", "customer_number", "customer_name", "contract_number", "reference", "date", "amount_open"],
    total: Some("amount_open"),
};

/// The rebill charges for the billing system (SPEC §4.8).
pub static REBILL_CHARGES: ListSpec = ListSpec {
    name: "rebill-charges",
    titles: ["Refacturations", "Rebill charges", "Nachbelastungen"],
    columns: &[
        c("id"),
        c("action_id"),
        c("contract_id"),
        c("contract_number"),
        c("customer_id"),
        c("customer_number"),
        at("currency", "amount.currency"),
        c("amount"),
        c("text"),
        c("status"),
        c("invoice_number"),
        c("acknowledged_at"),
        c("created_at"),
        c("sources"),
    ],
    pdf_columns: &["id", "contract_number", "customer_number", "text", "status", "invoice_number", "amount"],
    total: Some("amount"),
};

pub static DEPOSITS: ListSpec = ListSpec {
    name: "deposits",
    titles: ["Remises en banque", "Deposits", "Einreichungen"],
    columns: &[
        c("id"),
        c("number"),
        c("bank_account_id"),
        c("bank_name"),
        c("bank_iban"),
        c("date"),
        at("currency", "total.currency"),
        c("total"),
        c("payment_count"),
        c("status"),
    ],
    pdf_columns: &["number", "date", "bank_name", "payment_count", "total", "status"],
    total: Some("total"),
};

pub static LETTERS: ListSpec = ListSpec {
    name: "dunning-letters",
    titles: ["Lettres de relance", "Dunning letters", "Mahnschreiben"],
    columns: &[
        c("id"),
        c("run_id"),
        c("number"),
        c("letter_date"),
        c("payer_id"),
        c("payer_number"),
        c("payer_name"),
        c("currency"),
        c("status"),
        c("reason"),
        c("level"),
        c("send"),
        c("channel"),
        c("language"),
        c("overdue_total"),
        c("not_due_total"),
        c("credits_total"),
        c("fee"),
        c("interest"),
        c("indemnity"),
        c("total_due"),
        c("payment_deadline"),
        c("issued_at"),
        c("withdrawn_at"),
        c("delivery_status"),
        c("days_late_total"),
        c("days_late_max"),
    ],
    pdf_columns: &[
        "number",
        "letter_date",
        "payer_number",
        "payer_name",
        "level",
        "status",
        "overdue_total",
        "total_due",
    ],
    total: Some("total_due"),
};

pub static DELIVERIES: ListSpec = ListSpec {
    name: "dunning-deliveries",
    titles: ["File d'envoi des relances", "Delivery queue", "Versandwarteschlange"],
    columns: &[
        c("id"),
        c("letter_id"),
        c("letter_number"),
        c("channel"),
        c("address"),
        c("status"),
        c("attempts"),
        c("last_error"),
        c("queued_at"),
        c("done_at"),
    ],
    pdf_columns: &["letter_number", "channel", "address", "status", "attempts", "queued_at"],
    total: None,
};

pub static RUNS: ListSpec = ListSpec {
    name: "dunning-proposals",
    titles: ["Propositions de relance", "Dunning proposals", "Mahnvorschläge"],
    columns: &[
        c("id"),
        c("status"),
        c("as_of"),
        c("created_by"),
        c("created_at"),
        c("recomputed_at"),
        c("issued_by"),
        c("issued_at"),
    ],
    pdf_columns: &["id", "status", "as_of", "created_by", "created_at", "issued_at"],
    total: None,
};

pub static TO_GENERATE: ListSpec = ListSpec {
    name: "dunning-to-generate",
    titles: ["Relances à générer", "Letters to generate", "Zu erstellende Mahnungen"],
    columns: &[
        c("payer_id"),
        c("payer_number"),
        c("payer_name"),
        c("currency"),
        c("items"),
        c("level"),
        c("amount_open"),
        c("oldest_due_date"),
        c("days_late_total"),
        c("days_late_max"),
    ],
    pdf_columns: &["payer_number", "payer_name", "currency", "items", "level", "oldest_due_date", "days_late_max"],
    total: None,
};

pub static BEYOND_LAST_LEVEL: ListSpec = ListSpec {
    name: "dunning-beyond-last-level",
    titles: ["Au-delà du dernier niveau", "Beyond the last level", "Über die letzte Stufe hinaus"],
    columns: &[
        c("installment_id"),
        c("payer_id"),
        c("payer_number"),
        c("payer_name"),
        c("customer_number"),
        c("document_number"),
        c("due_date"),
        at("currency", "amount_open.currency"),
        c("amount_open"),
        c("level"),
        c("dunning_date"),
        c("note"),
    ],
    pdf_columns: &["payer_number", "payer_name", "document_number", "due_date", "amount_open", "level", "dunning_date"],
    total: Some("amount_open"),
};

pub static CUSTOMERS: ListSpec = ListSpec {
    name: "customers",
    titles: ["Clients", "Customers", "Kunden"],
    columns: &[
        c("id"),
        c("payer_id"),
        c("number"),
        c("name"),
        c("address"),
        c("postal_code"),
        c("city"),
        c("country"),
        c("language"),
        c("currency"),
        c("email"),
        c("dunning_email"),
        c("payer_number"),
        c("salesperson"),
        c("bank"),
        c("comment"),
        c("dunning_enabled"),
    ],
    pdf_columns: &["number", "name", "postal_code", "city", "country", "currency", "salesperson", "email"],
    total: None,
};

pub static CONTRACTS: ListSpec = ListSpec {
    name: "contracts",
    titles: ["Contrats", "Contracts", "Verträge"],
    columns: &[
        c("id"),
        c("customer_id"),
        c("number"),
        c("customer_number"),
        c("status"),
        c("start_date"),
        c("end_date"),
    ],
    pdf_columns: &["number", "customer_number", "status", "start_date", "end_date"],
    total: None,
};

pub static DOCUMENTS: ListSpec = ListSpec {
    name: "documents",
    titles: ["Pièces", "Documents", "Belege"],
    columns: &[
        c("id"),
        c("customer_id"),
        c("contract_id"),
        c("kind"),
        c("number"),
        c("customer_number"),
        c("date"),
        c("currency"),
        c("total"),
        c("amount_open"),
        c("contract_number"),
        c("order_ref"),
        c("text"),
        c("payment_term"),
        c("installments"),
        c("has_allocations"),
    ],
    pdf_columns: &["number", "kind", "date", "customer_number", "total", "amount_open", "installments"],
    total: Some("amount_open"),
};

/// (name, French, English, German) of the PDF columns.
const TITLES: &[(&str, &str, &str, &str)] = &[
    ("address", "Adresse", "Address", "Adresse"),
    ("amount", "Montant", "Amount", "Betrag"),
    ("amount_open", "Reste dû", "Open", "Offen"),
    ("as_of", "Au", "As of", "Stichtag"),
    ("attempts", "Essais", "Attempts", "Versuche"),
    ("bank_name", "Banque", "Bank", "Bank"),
    ("channel", "Canal", "Channel", "Kanal"),
    ("city", "Ville", "City", "Ort"),
    ("country", "Pays", "Country", "Land"),
    ("created_at", "Créée le", "Created", "Erstellt am"),
    ("created_by", "Par", "By", "Von"),
    ("currency", "Devise", "Currency", "Währung"),
    ("customer_name", "Client", "Customer", "Kunde"),
    ("customer_number", "N° client", "Customer no.", "Kunden-Nr."),
    ("date", "Date", "Date", "Datum"),
    ("days_late_max", "Retard max.", "Days late (max)", "Max. Verzug"),
    ("days_overdue", "Jours de retard", "Days overdue", "Verzugstage"),
    ("document_date", "Date pièce", "Document date", "Belegdatum"),
    ("document_number", "Pièce", "Document", "Beleg"),
    ("due_date", "Échéance", "Due date", "Fällig am"),
    ("due_date_first", "Échéance", "Due date", "Fällig am"),
    ("dunning_date", "Relancé le", "Dunned on", "Gemahnt am"),
    ("dunning_level", "Niveau", "Level", "Stufe"),
    ("dunning_level_max", "Niveau", "Level", "Stufe"),
    ("email", "E-mail", "E-mail", "E-Mail"),
    ("end_date", "Fin", "End", "Ende"),
    ("id", "N°", "No.", "Nr."),
    ("installments", "Échéances", "Installments", "Raten"),
    ("issued_at", "Émise le", "Issued", "Ausgestellt am"),
    ("items", "Postes", "Items", "Posten"),
    ("kind", "Type", "Kind", "Art"),
    ("letter_date", "Date", "Date", "Datum"),
    ("letter_number", "Lettre", "Letter", "Schreiben"),
    ("level", "Niveau", "Level", "Stufe"),
    ("method", "Mode", "Method", "Zahlungsart"),
    ("name", "Nom", "Name", "Name"),
    ("number", "Numéro", "Number", "Nummer"),
    ("oldest_due_date", "Plus ancienne échéance", "Oldest due date", "Älteste Fälligkeit"),
    ("overdue_total", "Échu", "Overdue", "Überfällig"),
    ("payer_name", "Payeur", "Payer", "Zahler"),
    ("payer_number", "N° payeur", "Payer no.", "Zahler-Nr."),
    ("payment_count", "Règlements", "Payments", "Zahlungen"),
    ("piece_number", "N° pièce", "Piece no.", "Beleg-Nr."),
    ("postal_code", "Code postal", "Postal code", "PLZ"),
    ("queued_at", "En file depuis", "Queued", "Eingereiht am"),
    ("reason", "Motif", "Reason", "Grund"),
    ("reference", "Pièce", "Reference", "Beleg"),
    ("contract_number", "Contrat", "Contract", "Vertrag"),
    ("side", "Sens", "Side", "Seite"),
    ("invoice_number", "Facture", "Invoice", "Rechnung"),
    ("text", "Libellé", "Text", "Text"),
    ("salesperson", "Commercial", "Salesperson", "Vertreter"),
    ("settled_by", "Réglé par", "Settled by", "Beglichen durch"),
    ("start_date", "Début", "Start", "Beginn"),
    ("status", "Statut", "Status", "Status"),
    ("to_allocate", "À affecter", "To allocate", "Zuzuordnen"),
    ("total", "Total", "Total", "Summe"),
    ("total_due", "Total dû", "Total due", "Gesamtbetrag"),
    ("unallocated", "Non affecté", "Unallocated", "Nicht zugeordnet"),
];

/// A PDF column's title in `language` (the field name when no title is known).
pub fn column_title(name: &str, language: Language) -> String {
    match TITLES.iter().find(|t| t.0 == name) {
        Some((_, fr, en, de)) => match language {
            Language::Fr => fr,
            Language::De => de,
            Language::En | Language::It => en,
        }
        .to_string(),
        None => name.replace('_', " "),
    }
}

/// Numbers and amounts are right-aligned.
pub fn align(name: &str) -> Align {
    const RIGHT: &[&str] = &[
        "amount",
        "amount_open",
        "attempts",
        "days_late_max",
        "days_overdue",
        "dunning_level",
        "dunning_level_max",
        "id",
        "installments",
        "items",
        "level",
        "overdue_total",
        "payment_count",
        "to_allocate",
        "total",
        "total_due",
        "unallocated",
    ];
    if RIGHT.contains(&name) {
        Align::Right
    } else {
        Align::Left
    }
}

/// A column's share of the page's width (in halves: a date or an amount is 4, a name 7).
pub fn weight(name: &str) -> Cu {
    match name {
        "customer_name" | "payer_name" | "name" | "address" | "bank_name" | "email" => 7,
        // A document number (`FA00000020`, capitals) is cut at the width of a date.
        "document_number" => 5,
        "settled_by" => 12,
        "attempts" | "days_overdue" | "dunning_level" | "dunning_level_max" | "id" | "installments" | "items"
        | "level" | "payment_count" | "currency" => 2,
        _ => 4,
    }
}

/// Every list, for the tests that keep the columns true to the JSON rows.
pub static ALL: &[&ListSpec] = &[
    &OPEN_ITEMS,
    &OPEN_DOCUMENTS,
    &PAYMENTS,
    &ADVANCES,
    &PAYMENTS_TO_DEPOSIT,
    &REFUNDS,
    &DEPOSITS,
    &LETTERS,
    &DELIVERIES,
    &RUNS,
    &TO_GENERATE,
    &BEYOND_LAST_LEVEL,
    &CUSTOMERS,
    &CONTRACTS,
    &DOCUMENTS,
    &SMALL_BALANCES,
    &REBILL_CHARGES,
];
