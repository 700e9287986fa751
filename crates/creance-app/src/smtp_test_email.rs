//! A test e-mail through the company's SMTP settings (`Paramètres › Serveur SMTP`): a short plain
//! message to an address the admin types, handed to the server by the same SMTP client the delivery
//! worker uses (`delivery::transport`, same TLS, credentials and timeout). What the server answered
//! — its acceptance or its refusal, or why it could not be reached — is the result; nothing is
//! written (no delivery row, no audit event: sending a test changes no state).

use creance_store::dunning::delivery as store;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::AsyncTransport;

use crate::{App, AppError, Code, SettingsFault};

/// How the test went: `sent` and the server's reply (`250 …`), or what failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestEmail {
    /// `smtp HOST:PORT`.
    pub via: String,
    /// Whether the server accepted the message.
    pub sent: bool,
    /// The server's answer, or the error (connection refused, TLS, authentication…).
    pub reply: String,
}

impl App {
    /// Sends a test e-mail to `to` through the company's SMTP server. Refused (`to`) when `to` is
    /// not an address, and (409, `conflict`) when no SMTP server is set; a
    /// failure of the server itself is the result's `reply`, not an error.
    pub async fn send_test_email(&self, company_id: i64, to: &str) -> Result<TestEmail, AppError> {
        let to = to.trim();
        let to_address: lettre::Address = to.parse().map_err(|e: lettre::address::AddressError| {
            AppError::invalid_said("to", SettingsFault::NotAnAddress { text: to.to_string(), why: e.to_string() })
        })?;
        let mut tx = self.db.begin_read().await?;
        let settings = store::smtp(&mut tx, company_id)
            .await?
            .ok_or_else(|| AppError::rejected_said(Code::Conflict, SettingsFault::SmtpNotSet))?;
        drop(tx);
        let from_address: lettre::Address =
            settings.from_address.parse().map_err(|e: lettre::address::AddressError| {
                AppError::invalid_said(
                    "from_address",
                    SettingsFault::BadFromAddress { text: settings.from_address.clone(), why: e.to_string() },
                )
            })?;
        let domain = from_address.domain().to_string();
        let via = format!("smtp {}:{}", settings.host, settings.port);
        let message = lettre::Message::builder()
            .from(Mailbox::new(Some(settings.from_name.clone()), from_address))
            .to(Mailbox::new(None, to_address))
            .subject("Créance: test e-mail")
            .header(ContentType::TEXT_PLAIN)
            .body(format!(
                "This is a test e-mail sent by Créance through {via}.\nCeci est un e-mail d'essai envoyé par Créance par {via}.\n"
            ))
            .map_err(|e| anyhow::anyhow!("building the test e-mail: {e}"))?;
        let transport = match crate::delivery::smtp_transport(&settings, &domain) {
            Ok(t) => t,
            Err(reason) => {
                return Ok(TestEmail { via, sent: false, reply: format!("the SMTP settings cannot be used: {reason}") })
            }
        };
        Ok(match transport.send(message).await {
            Ok(response) => {
                let text: Vec<&str> = response.message().collect();
                TestEmail { via, sent: true, reply: format!("{} {}", response.code(), text.join(" ")) }
            }
            Err(e) => TestEmail { via, sent: false, reply: crate::delivery::smtp_error_text(&e) },
        })
    }
}
