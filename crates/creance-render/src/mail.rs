//! A dunning letter as an e-mail (issue 11 point 6): the plain-text body in the payer's language,
//! written from the letter's own texts and figures, and the MIME message with the letter's PDF
//! attached, built with lettre's message builder. Bytes in, bytes out: sending is the app's.

use std::time::{Duration, SystemTime};

use creance_core::Timestamp;
use lettre::address::{Address, Envelope};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

use crate::letter::{colon, LetterDoc};
use crate::locale::{amount, date_short};
use crate::words::Words;

/// The most recipients one message goes to (a payer's dunning e-mail may list several).
pub const RECIPIENTS_MAX: usize = 10;

/// What one message is made of.
#[derive(Debug, Clone)]
pub struct Mail<'a> {
    /// The sender as the payer sees it (the company's name).
    pub from_name: &'a str,
    pub from_address: &'a str,
    /// Where the payer's answer goes, when it is not the sender.
    pub reply_to: Option<&'a str>,
    /// One address, or several separated by `,` or `;`.
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub attachment_name: &'a str,
    pub pdf: &'a [u8],
    /// Without the angle brackets: `L-2026-000123.45@example.com`.
    pub message_id: &'a str,
    pub date: Timestamp,
}

/// A message ready to hand over: its bytes (RFC 5322, CRLF line ends) and its envelope.
#[derive(Debug, Clone)]
pub struct RenderedMail {
    pub bytes: Vec<u8>,
    pub envelope: Envelope,
}

/// Why a message cannot be built: a field and what is wrong with it. The app makes it a permanent
/// failure of the delivery (sending it again would not help).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailError {
    pub field: &'static str,
    pub reason: String,
}

impl std::fmt::Display for MailError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for MailError {}

fn bad(field: &'static str, reason: impl Into<String>) -> MailError {
    MailError { field, reason: reason.into() }
}

fn address(field: &'static str, text: &str) -> Result<Address, MailError> {
    text.trim().parse::<Address>().map_err(|e| bad(field, format!("{:?} is not an e-mail address ({e})", text.trim())))
}

/// The addresses of a `to` field: separated by `,` or `;`, blanks ignored, each checked.
pub fn recipients(text: &str) -> Result<Vec<Address>, MailError> {
    let list: Vec<&str> = text.split([',', ';']).map(str::trim).filter(|s| !s.is_empty()).collect();
    if list.is_empty() {
        return Err(bad("to", "no e-mail address"));
    }
    if list.len() > RECIPIENTS_MAX {
        return Err(bad("to", format!("{} addresses; at most {RECIPIENTS_MAX}", list.len())));
    }
    list.into_iter().map(|a| address("to", a)).collect()
}

/// The message: a plain-text part and the PDF attached.
pub fn message(m: &Mail<'_>) -> Result<RenderedMail, MailError> {
    let from =
        Mailbox::new(Some(m.from_name.trim().to_string()).filter(|n| !n.is_empty()), address("from", m.from_address)?);
    let mut b = lettre::Message::builder().from(from);
    if let Some(r) = m.reply_to.map(str::trim).filter(|r| !r.is_empty()) {
        b = b.reply_to(Mailbox::new(None, address("reply_to", r)?));
    }
    for to in recipients(m.to)? {
        b = b.to(Mailbox::new(None, to));
    }
    let date = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(m.date.unix_seconds()).unwrap_or(0));
    let pdf = ContentType::parse("application/pdf").map_err(|e| bad("attachment", e.to_string()))?;
    let body = MultiPart::mixed()
        .singlepart(SinglePart::plain(m.body.to_string()))
        .singlepart(Attachment::new(m.attachment_name.to_string()).body(m.pdf.to_vec(), pdf));
    let message = b
        .subject(m.subject)
        .date(date)
        .message_id(Some(format!("<{}>", m.message_id)))
        .multipart(body)
        .map_err(|e| bad("message", e.to_string()))?;
    Ok(RenderedMail { bytes: message.formatted(), envelope: message.envelope().clone() })
}

/// The text of the e-mail that carries a letter: its opening, what to pay and by when, how, its
/// closing and signature, and a line saying the letter is attached.
pub fn letter_body(doc: &LetterDoc) -> String {
    let l = doc.locale;
    let w = Words::of(l.language);
    let mut out = String::new();
    let mut para = |text: &str| {
        let text = text.trim();
        if !text.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(text);
        }
    };
    para(&doc.opening);
    let mut figures = w.deadline(&amount(doc.total_due, l), &date_short(doc.deadline, l));
    if let Some(bank) = doc.pay_to.as_ref().or(doc.letterhead.bank.as_ref()) {
        figures.push_str(&format!(
            "\n{}{}{}\nIBAN {}  BIC {}",
            w.by_transfer,
            colon(l),
            bank.bank_name,
            bank.iban,
            bank.bic
        ));
    }
    if !doc.payment_reference.is_empty() {
        figures.push_str(&format!("\n{}{}{}", w.reference, colon(l), doc.payment_reference));
    }
    para(&figures);
    para(&doc.closing);
    para(&doc.signature.join("\n"));
    para(attached(l.language));
    out
}

fn attached(language: creance_core::Language) -> &'static str {
    match language {
        creance_core::Language::Fr => "La lettre et le détail des pièces sont joints en PDF.",
        creance_core::Language::De => "Das Schreiben mit allen Einzelheiten ist als PDF beigefügt.",
        _ => "The letter with every detail is attached as a PDF.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail<'a>(to: &'a str, pdf: &'a [u8]) -> Mail<'a> {
        Mail {
            from_name: "Alpes Négoce SA",
            from_address: "relances@alpes-negoce.example",
            reply_to: Some("compta@alpes-negoce.example"),
            to,
            subject: "Relance n° 2 – facture F-001 à régler",
            body: "Madame, Monsieur,\n\nsauf erreur de notre part…",
            attachment_name: "letter-L-2026-1.pdf",
            pdf,
            message_id: "L-2026-1.7@alpes-negoce.example",
            date: Timestamp::from_unix_seconds(1_795_342_500),
        }
    }

    #[test]
    fn a_message_has_its_envelope_headers_and_the_pdf() {
        let pdf = b"%PDF-1.7 not really".to_vec();
        let m = message(&mail("a@client.example; b@client.example", &pdf)).unwrap();
        let text = String::from_utf8_lossy(&m.bytes);
        assert!(text.contains("Message-ID: <L-2026-1.7@alpes-negoce.example>"), "{text}");
        assert!(text.contains("Reply-To: compta@alpes-negoce.example"), "{text}");
        assert!(text.contains("Content-Type: application/pdf"), "{text}");
        assert!(text.contains("filename=\"letter-L-2026-1.pdf\""), "{text}");
        assert_eq!(m.envelope.to().len(), 2);
        assert_eq!(m.envelope.from().map(|a| a.to_string()).as_deref(), Some("relances@alpes-negoce.example"));
    }

    #[test]
    fn a_bad_address_names_its_field() {
        let e = message(&mail("not an address", b"")).unwrap_err();
        assert_eq!(e.field, "to");
        let e = message(&mail(" ; ", b"")).unwrap_err();
        assert_eq!(e.reason, "no e-mail address");
        let many = ["x@y.example"; RECIPIENTS_MAX + 1].join(",");
        assert!(message(&mail(&many, b"")).unwrap_err().reason.contains("at most"));
    }
}
