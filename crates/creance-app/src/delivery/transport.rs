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

/// A message handed over: where, what the server answered, and its Message-ID.
pub(super) struct Sent {
    pub(super) via: String,
    pub(super) reply: String,
    pub(super) message_id: String,
}

/// The sizes of a message handed over (or tried).
pub(super) struct Sizes {
    pub(super) pdf: usize,
    pub(super) message: usize,
}

/// Per delivery: its id, its attempt count, and either why it could not be built or how the
/// hand-over went.
pub(super) type Outcome = (i64, i64, Result<(Sizes, Result<Sent, Failure>), String>);

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

    /// Hands over each claimed delivery's message (`(attempts, rendered)`): to the SMTP server one
    /// after the other on one task, or to the outbox all in one blocking task.
    pub(super) async fn send_all(&mut self, claimed: Vec<(i64, super::Rendered)>) -> Vec<Outcome> {
        match self {
            Outlet::Smtp { transport, via } => {
                let mut out = Vec::with_capacity(claimed.len());
                for (attempts, r) in claimed {
                    let outcome = match r.message {
                        Err(reason) => Err(reason),
                        Ok(m) => {
                            let sizes = Sizes { pdf: m.pdf_bytes, message: m.bytes.len() };
                            Ok((sizes, send_smtp(transport, via, m).await))
                        }
                    };
                    out.push((r.delivery_id, attempts, outcome));
                }
                out
            }
            Outlet::Outbox { dir } => {
                let dir = dir.clone();
                let ids: Vec<(i64, i64)> = claimed.iter().map(|(a, r)| (r.delivery_id, *a)).collect();
                let written = tokio::task::spawn_blocking(move || {
                    claimed
                        .into_iter()
                        .map(|(attempts, r)| {
                            let outcome = r.message.map(|m| {
                                let sizes = Sizes { pdf: m.pdf_bytes, message: m.bytes.len() };
                                let sent = write_eml(&dir, &m.file_stem, &m.bytes)
                                    .map(|path| Sent {
                                        via: format!("outbox {}", path.display()),
                                        reply: path.display().to_string(),
                                        message_id: m.message_id,
                                    })
                                    .map_err(|e| Failure { reply: e, permanent: false });
                                (sizes, sent)
                            });
                            (r.delivery_id, attempts, outcome)
                        })
                        .collect::<Vec<_>>()
                })
                .await;
                match written {
                    Ok(out) => out,
                    Err(e) => ids
                        .into_iter()
                        .map(|(id, attempts)| {
                            let failure =
                                Failure { reply: format!("writing the outbox stopped: {e}"), permanent: false };
                            (id, attempts, Ok((Sizes { pdf: 0, message: 0 }, Err(failure))))
                        })
                        .collect(),
                }
            }
        }
    }
}

async fn send_smtp(
    transport: &Result<AsyncSmtpTransport<Tokio1Executor>, String>,
    via: &str,
    m: Message,
) -> Result<Sent, Failure> {
    let t = transport
        .as_ref()
        .map_err(|e| Failure { reply: format!("the SMTP settings cannot be used: {e}"), permanent: false })?;
    match t.send_raw(&m.envelope, &m.bytes).await {
        Ok(response) => {
            let text: Vec<&str> = response.message().collect();
            Ok(Sent {
                via: via.to_string(),
                reply: format!("{} {}", response.code(), text.join(" ")),
                message_id: m.message_id,
            })
        }
        Err(e) => {
            let permanent = e.is_permanent() || e.status().is_some_and(|c| is_permanent_reply(u16::from(c)));
            Err(Failure { reply: smtp_error_text(&e), permanent })
        }
    }
}

/// The error as a clerk reads it: the server's code and text when it answered.
pub(crate) fn smtp_error_text(e: &lettre::transport::smtp::Error) -> String {
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

pub(crate) fn smtp_transport(s: &SmtpSettings, domain: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
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
    std::fs::rename(&temp, &path)
        .map_err(|e| format!("cannot rename {} to {}: {e}", temp.display(), path.display()))?;
    Ok(path)
}
