//! The words a reader sees in place of a stored code: payment methods, document kinds, refund and
//! left-out reasons, dunning blocks. Documents and pages never print a code.

use creance_core::dunning::{BlockReason, LeftOutReason};
use creance_core::{DocumentKind, Language, RefundReason};

/// (code, French, English, German, Italian) of the payment methods every company starts with
/// (`creance-store` `DEFAULT_METHODS`).
const METHODS: &[(&str, [&str; 4])] = &[
    ("cheque", ["Chèque", "Cheque", "Scheck", "Assegno"]),
    ("transfer", ["Virement", "Bank transfer", "Überweisung", "Bonifico"]),
    ("card", ["Carte bancaire", "Card", "Karte", "Carta"]),
    ("cash", ["Espèces", "Cash", "Bargeld", "Contanti"]),
    ("direct_debit", ["Prélèvement", "Direct debit", "Lastschrift", "Addebito diretto"]),
    ("lcr", ["LCR / effet", "Bill of exchange (LCR)", "Wechsel (LCR)", "Cambiale (LCR)"]),
];

fn pick(words: [&'static str; 4], language: Language) -> &'static str {
    match language {
        Language::Fr => words[0],
        Language::En => words[1],
        Language::De => words[2],
        Language::It => words[3],
    }
}

/// A payment method in words, or `None` for a method the company added itself (its own label,
/// from its settings, is then the words to show).
pub fn payment_method(code: &str, language: Language) -> Option<&'static str> {
    METHODS.iter().find(|(c, _)| *c == code).map(|(_, words)| pick(*words, language))
}

/// A payment method in words: the known method's, else the company's `label`, else the code.
pub fn payment_method_or<'a>(code: &'a str, label: Option<&'a str>, language: Language) -> &'a str {
    payment_method(code, language).or(label.filter(|l| !l.trim().is_empty())).unwrap_or(code)
}

pub fn document_kind(kind: DocumentKind, language: Language) -> &'static str {
    pick(
        match kind {
            DocumentKind::Invoice => ["Facture", "Invoice", "Rechnung", "Fattura"],
            DocumentKind::CreditNote => ["Avoir", "Credit note", "Gutschrift", "Nota di credito"],
            DocumentKind::FeeInvoice => ["Facture de frais", "Fee invoice", "Gebührenrechnung", "Fattura spese"],
            DocumentKind::InterestInvoice => {
                ["Facture d'intérêts", "Interest invoice", "Zinsrechnung", "Fattura interessi"]
            }
            DocumentKind::OpeningBalance => ["Report à nouveau", "Opening balance", "Saldovortrag", "Saldo iniziale"],
            DocumentKind::SmallBalanceTransfer | DocumentKind::SmallCreditTransfer => [
                "Transfert petit solde",
                "Small-balance transfer",
                "Kleinbetragsumbuchung",
                "Trasferimento saldo minimo",
            ],
            DocumentKind::WriteOff | DocumentKind::WriteOffCredit => {
                ["Passage en perte", "Write-off", "Ausbuchung", "Stralcio"]
            }
        },
        language,
    )
}

pub fn refund_reason(reason: RefundReason, language: Language) -> &'static str {
    pick(
        match reason {
            RefundReason::Overpayment => ["Trop-perçu", "Overpayment", "Überzahlung", "Pagamento in eccesso"],
            RefundReason::CreditNote => ["Avoir", "Credit note", "Gutschrift", "Nota di credito"],
            RefundReason::DuplicatePayment => {
                ["Paiement en double", "Duplicate payment", "Doppelte Zahlung", "Pagamento doppio"]
            }
            RefundReason::CancelledOrder => {
                ["Commande annulée", "Cancelled order", "Stornierte Bestellung", "Ordine annullato"]
            }
            RefundReason::Other => ["Autre", "Other", "Sonstiges", "Altro"],
        },
        language,
    )
}

/// Why a payer was left out of a proposal, in a few words (a list column).
pub fn left_out_reason(reason: LeftOutReason, language: Language) -> &'static str {
    pick(
        match reason {
            LeftOutReason::NothingToDun => {
                ["Rien à relancer", "Nothing to dun", "Nichts zu mahnen", "Niente da sollecitare"]
            }
            LeftOutReason::AmountTooLarge => {
                ["Montant trop élevé", "Amount too large", "Betrag zu hoch", "Importo troppo elevato"]
            }
            LeftOutReason::CreditsCover => [
                "Crédits couvrant le retard",
                "Credits cover the overdue amount",
                "Guthaben deckt den Rückstand",
                "Crediti coprono lo scaduto",
            ],
            LeftOutReason::SmallBalance => ["Petit solde", "Small balance", "Kleinbetrag", "Saldo minimo"],
            LeftOutReason::BelowMinimum => {
                ["Sous le montant minimum", "Below the minimum amount", "Unter dem Mindestbetrag", "Sotto il minimo"]
            }
            LeftOutReason::LastLevelReached => {
                ["Dernier niveau atteint", "Last level reached", "Letzte Stufe erreicht", "Ultimo livello raggiunto"]
            }
        },
        language,
    )
}

pub fn block_reason(reason: BlockReason, language: Language) -> &'static str {
    pick(
        match reason {
            BlockReason::Dispute => ["Litige", "Dispute", "Streitfall", "Contestazione"],
            BlockReason::Promise => {
                ["Promesse de paiement", "Payment promise", "Zahlungszusage", "Promessa di pagamento"]
            }
            BlockReason::Legal => ["Contentieux", "Legal action", "Rechtsverfahren", "Contenzioso"],
            BlockReason::Other => ["Autre", "Other", "Sonstiges", "Altro"],
        },
        language,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_methods_in_words() {
        let cases = [
            ("transfer", Language::Fr, "Virement"),
            ("cheque", Language::Fr, "Chèque"),
            ("direct_debit", Language::Fr, "Prélèvement"),
            ("card", Language::Fr, "Carte bancaire"),
            ("cash", Language::Fr, "Espèces"),
            ("lcr", Language::Fr, "LCR / effet"),
            ("transfer", Language::En, "Bank transfer"),
            ("cheque", Language::De, "Scheck"),
            ("direct_debit", Language::De, "Lastschrift"),
            ("cash", Language::It, "Contanti"),
        ];
        for (code, lang, want) in cases {
            assert_eq!(payment_method(code, lang), Some(want), "{code} {lang:?}");
        }
        assert_eq!(payment_method("paypal", Language::Fr), None);
        assert_eq!(payment_method_or("paypal", Some("PayPal"), Language::Fr), "PayPal");
        assert_eq!(payment_method_or("paypal", Some(" "), Language::Fr), "paypal");
        assert_eq!(payment_method_or("cheque", Some("Chq"), Language::En), "Cheque");
    }

    #[test]
    fn every_code_has_words_in_every_language_and_none_is_a_code() {
        for &lang in Language::ALL {
            for (code, _) in METHODS {
                let w = payment_method(code, lang).unwrap();
                assert!(!w.contains('_'), "{w}");
            }
            for &k in DocumentKind::ALL {
                assert_ne!(document_kind(k, lang), k.code());
            }
            for r in RefundReason::ALL {
                assert_ne!(refund_reason(r, lang), r.code());
            }
            for r in LeftOutReason::ALL {
                assert!(!left_out_reason(r, lang).contains('_'));
            }
            for &r in BlockReason::ALL {
                assert_ne!(block_reason(r, lang), r.as_str());
            }
        }
        assert_eq!(document_kind(DocumentKind::CreditNote, Language::Fr), "Avoir");
        assert_eq!(refund_reason(RefundReason::Overpayment, Language::Fr), "Trop-perçu");
        assert_eq!(left_out_reason(LeftOutReason::CreditsCover, Language::En), "Credits cover the overdue amount");
    }
}
