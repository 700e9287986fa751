//! The word lists the demo draws its customers from: names, trades, towns near Geneva on both sides
//! of the border, streets, salespeople, banks, payment terms (with their weights) and methods.

use creance_core::Language;

pub(super) const SURNAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Andre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "Francois",
    "Martinez",
    "Favre",
    "Rochat",
    "Perret",
    "Muller",
    "Meier",
    "Schneider",
    "Chappuis",
];
pub(super) const TRADES: &[&str] = &[
    "Boulangerie",
    "Garage",
    "Pharmacie",
    "Menuiserie",
    "Hôtel",
    "Restaurant",
    "Cabinet",
    "Imprimerie",
    "Fromagerie",
    "Transports",
    "Électricité",
    "Plomberie",
    "Librairie",
    "Fleurs",
    "Boucherie",
    "Camping",
    "Syndic",
    "Atelier",
];
pub(super) const FORMS: &[&str] = &["SARL", "SAS", "SA", "EURL", "Sàrl", "SNC"];
pub(super) const FR_TOWNS: &[(&str, &str)] = &[
    ("74100", "Annemasse"),
    ("74000", "Annecy"),
    ("74200", "Thonon-les-Bains"),
    ("74500", "Évian-les-Bains"),
    ("01210", "Ferney-Voltaire"),
    ("01630", "Saint-Genis-Pouilly"),
    ("74160", "Saint-Julien-en-Genevois"),
    ("73000", "Chambéry"),
    ("69002", "Lyon"),
    ("38000", "Grenoble"),
];
pub(super) const CH_TOWNS: &[(&str, &str, Language)] = &[
    ("1201", "Genève", Language::Fr),
    ("1003", "Lausanne", Language::Fr),
    ("1260", "Nyon", Language::Fr),
    ("1950", "Sion", Language::Fr),
    ("3011", "Bern", Language::De),
    ("8001", "Zürich", Language::De),
    ("4051", "Basel", Language::De),
];
pub(super) const STREETS: &[&str] =
    &["rue de la Gare", "avenue du Léman", "chemin des Vignes", "route de Genève", "place du Marché", "rue du Lac"];
pub(super) const SALESPEOPLE: &[&str] = &["Claire Fontaine", "Marc Rey", "Sophie Blanc", "Luc Perrin"];
pub(super) const BANKS: &[&str] = &[
    "Crédit Agricole des Savoie",
    "BNP Paribas",
    "Banque Populaire AURA",
    "UBS",
    "Banque Cantonale de Genève",
    "PostFinance",
];
pub(super) const TERMS: &[(&str, u64)] = &[("NET30", 45), ("EOM30", 20), ("NET0", 10), ("30/60", 15), ("30/60/90", 10)];
pub(super) const METHODS: &[&str] = &["transfer", "transfer", "transfer", "direct_debit", "cheque", "card"];
