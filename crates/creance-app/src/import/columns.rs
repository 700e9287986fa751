//! The columns each import accepts, with their French and English aliases. Header names are compared
//! after lower-casing, removing accents and turning spaces, dashes and dots into `_`.

/// What an import creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Customers,
    Contracts,
    Documents,
}

impl Entity {
    pub fn name(self) -> &'static str {
        match self {
            Entity::Customers => "customers",
            Entity::Contracts => "contracts",
            Entity::Documents => "documents",
        }
    }

    pub fn parse(text: &str) -> Option<Entity> {
        match text.trim().to_lowercase().as_str() {
            "customers" | "customer" | "clients" => Some(Entity::Customers),
            "contracts" | "contract" | "abonnements" => Some(Entity::Contracts),
            "invoices" | "invoice" | "documents" | "factures" => Some(Entity::Documents),
            _ => None,
        }
    }

    /// `(canonical name, aliases)`; the canonical name is what `docs/import.md` documents.
    pub fn columns(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Entity::Customers => &[
                (
                    "number",
                    &["customer", "customer_number", "numero", "numero_client", "code", "code_client", "compte"],
                ),
                ("name", &["nom", "raison_sociale", "customer_name"]),
                ("address", &["adresse", "address_line", "rue"]),
                ("postal_code", &["zip", "postcode", "code_postal", "cp", "npa"]),
                ("city", &["ville", "localite", "town"]),
                ("country", &["pays"]),
                ("language", &["langue", "lang"]),
                ("currency", &["devise", "monnaie"]),
                ("email", &["e_mail", "mail", "courriel"]),
                ("dunning_email", &["email_relance", "e_mail_relance", "courriel_relance", "reminder_email"]),
                ("payer", &["payer_number", "payeur", "tiers_payeur"]),
                ("salesperson", &["commercial", "vendeur", "representant"]),
                ("bank", &["banque"]),
                ("comment", &["commentaire", "remarque", "note"]),
                ("dunning_enabled", &["relance", "a_relancer", "dunning"]),
            ],
            Entity::Contracts => &[
                ("number", &["contract", "contract_number", "numero", "abonnement", "numero_abonnement", "contrat"]),
                ("customer", &["customer_number", "client", "numero_client", "code_client"]),
                ("status", &["statut", "etat"]),
                ("start_date", &["start", "debut", "date_debut"]),
                ("end_date", &["end", "fin", "date_fin"]),
            ],
            Entity::Documents => &[
                ("kind", &["type", "document_type", "nature"]),
                (
                    "number",
                    &["document", "document_number", "invoice", "invoice_number", "numero", "numero_facture", "piece"],
                ),
                ("customer", &["customer_number", "client", "numero_client", "code_client"]),
                ("date", &["document_date", "invoice_date", "date_facture", "date_piece", "date_validation"]),
                ("currency", &["devise", "monnaie"]),
                ("total", &["amount", "total_amount", "montant", "montant_total", "montant_ttc", "total_ttc"]),
                ("contract", &["contract_number", "abonnement", "contrat"]),
                ("order_ref", &["order", "order_reference", "commande", "reference_commande"]),
                ("text", &["libelle", "description", "label"]),
                (
                    "payment_term",
                    &["payment_terms", "terms", "conditions", "condition_paiement", "conditions_paiement"],
                ),
                ("due_date", &["echeance", "date_echeance"]),
                ("installment_amount", &["due_amount", "montant_echeance"]),
            ],
        }
    }

    /// The canonical column for a header name, or `None`.
    pub fn canonical(self, header: &str) -> Option<&'static str> {
        let key = normalize(header);
        self.columns()
            .iter()
            .find(|(name, aliases)| *name == key || aliases.contains(&key.as_str()))
            .map(|(name, _)| *name)
    }

    pub fn column_names(self) -> String {
        self.columns().iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }
}

fn normalize(header: &str) -> String {
    header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'à' | 'â' | 'ä' => 'a',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            ' ' | '-' | '.' | '/' => '_',
            c => c,
        })
        .collect()
}
