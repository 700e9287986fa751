//! Where a message is handed over: the company's SMTP server (lettre's SMTP client, with STARTTLS
//! or TLS through rustls and the Mozilla roots), or an `.eml` file in the outbox folder.

use std::path::PathBuf;
use std::time::Duration;

use creance_core::dunning::delivery::is_permanent_reply;
use creance_core::dunning::{DeliveryTransport, SmtpSecurity};
use creance_store::dunning::delivery::SmtpSettings;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// How long one SMTP conversation may take before it counts as a temporary failure.
const SMTP_TIMEOUT: Duration = Duration::from_secs(60);

/// A rendered message.
pub(super) struct Message {
    pub(super) bytes: Vec<u8>,
    pub(super) envelope: Envelope,
    pub(super) message_id: String,
    /// The outbox file's name without `.eml`.
    pub(super) file_stem: String,
    pub(super) pdf_bytes: usize,
}

/// A message handed over: where, and what the server answered.
pub(super) struct Sent {
    pub(super) via: String,
    pub(super) reply: String,
}

/// A failed hand-over: the server's answer (or the error), and whether trying again could help.
pub(super) struct Failure {
    pub(super) reply: String,
    pub(super) permanent: bool,
}

pub(super) enum Outlet {
    Smtp { transport: Result<AsyncSmtpTransport<Tokio1Executor>, String>, via: String },
    Outbox { dir: PathBuf },
}

impl Outlet {
    pub(super) fn smtp(s: &SmtpSettings, domain: &str) -> Outlet {
        Outlet::Smtp { transport: smtp_transport(s, domain), via: format!("smtp {}:{}", s.host, s.port) }
    }

    pub(super) fn outbox(dir: PathBuf) -> Outlet {
        Outlet::Outbox { dir }
    }

    pub(super) fn kind(&self) -> DeliveryTransport {
        match self {
            Outlet::Smtp { .. } => DeliveryTransport::Smtp,
            Outlet::Outbox { .. } => DeliveryTransport::Outbox,
        }
    }

    pub(super) async fn send(&mut self, m: &Message) -> Result<Sent, Failure> {
        match self {
            Outlet::Smtp { transport, via } => {
                let t = transport
                    .as_ref()
                    .map_err(|e| Failure { reply: format!("the SMTP settings cannot be used: {e}"), permanent: false })?;
                match t.send_raw(&m.envelope, &m.bytes).await {
                    Ok(response) => {
                        let text: Vec<&str> = response.message().collect();
                        Ok(Sent { via: via.clone(), reply: format!("{} {}", response.code(), text.join(" ")) })
                    }
                    Err(e) => {
                        let permanent =
                            e.is_permanent() || e.status().is_some_and(|c| is_permanent_reply(u16::from(c)));
                        Err(Failure { reply: smtp_error_text(&e), permanent })
                    }
                }
            }
            Outlet::Outbox { dir } => {
                let dir = dir.clone();
                let stem = m.file_stem.clone();
                let bytes = m.bytes.clone();
                let written = tokio::task::spawn_blocking(move || write_eml(&dir, &stem, &bytes))
                    .await
                    .map_err(|e| Failure { reply: format!("writing the outbox file stopped: {e}"), permanent: false })?;
                match written {
                    Ok(path) => Ok(Sent { via: format!("outbox {}", path.display()), reply: path.display().to_string() }),
                    Err(e) => Err(Failure { reply: e, permanent: false }),
                }
            }
        }
    }
}

/// The error as a clerk reads it: the server's code and text when it answered.
fn smtp_error_text(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

fn smtp_transport(s: &SmtpSettings, domain: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let port = u16::try_from(s.port).map_err(|_| format!("port {} is not a port", s.port))?;
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host)
        .port(port)
        .timeout(Some(SMTP_TIMEOUT))
        .hello_name(ClientId::Domain(domain.to_string()));
    match s.security {
        SmtpSecurity::None => {}
        SmtpSecurity::Starttls => {
            let p = TlsParameters::new(s.host.clone()).map_err(|e| e.to_string())?;
            b = b.tls(Tls::Required(p));
        }
        SmtpSecurity::Tls => {
            let p = TlsParameters::new(s.host.clone()).map_err(|e| e.to_string())?;
            b = b.tls(Tls::Wrapper(p));
        }
    }
    if !s.username.is_empty() {
        b = b.credentials(Credentials::new(s.username.clone(), s.password.clone()));
    }
    Ok(b.build())
}

/// Writes `<dir>/<stem>.eml` whole or not at all (a temporary name, then a rename).
fn write_eml(dir: &std::path::Path, stem: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create the outbox folder {}: {e}", dir.display()))?;
    let dir = std::path::absolute(dir).map_err(|e| format!("the outbox folder {}: {e}", dir.display()))?;
    let path = dir.join(format!("{stem}.eml"));
    let temp = dir.join(format!(".{stem}.eml.part"));
    std::fs::write(&temp, bytes).map_err(|e| format!("cannot write {}: {e}", temp.display()))?;
    std::fs::rename(&temp, &path).map_err(|e| format!("cannot rename {} to {}: {e}", temp.display(), path.display()))?;
    Ok(path)
}
