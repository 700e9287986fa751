//! A company's SMTP settings (`GET/PUT/DELETE /api/v1/settings/smtp`, `creance settings smtp`):
//! the server, its security, the login and the sender. The password is written, never shown back.

use creance_core::dunning::SmtpSecurity;
use creance_store::audit::{self, AuditEvent};
use creance_store::dunning::delivery::{self as store, SmtpSettings};
use serde::{Deserialize, Serialize};

use crate::{Actor, App, AppError, Fault, SettingsFault};

/// The SMTP settings as the API and the CLI show them: everything but the password.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SmtpView {
    /// False: no SMTP server is set, messages are written as `.eml` files to the outbox folder.
    pub configured: bool,
    pub host: String,
    pub port: i64,
    /// `none`, `starttls` or `tls`.
    pub security: String,
    pub username: String,
    /// Whether a password is stored (it is never shown).
    pub password_set: bool,
    pub from_address: String,
    pub from_name: String,
    pub reply_to: String,
}

/// What `PUT /api/v1/settings/smtp` writes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmtpInput {
    /// The server's name or address (at most 253 characters).
    pub host: String,
    /// Default: 587 with `starttls`, 465 with `tls`, 25 with `none`.
    #[serde(default)]
    pub port: Option<i64>,
    /// `starttls` (the default), `tls` or `none`.
    #[serde(default)]
    pub security: Option<String>,
    #[serde(default)]
    pub username: String,
    /// Absent: the stored password is kept; `""`: no password.
    #[serde(default)]
    pub password: Option<String>,
    /// The sender's address (required).
    pub from_address: String,
    /// The sender's name; default: the company's name.
    #[serde(default)]
    pub from_name: String,
    /// Where answers go, if not the sender.
    #[serde(default)]
    pub reply_to: String,
}

/// The longest host name (RFC 1035) and the longest other field.
const HOST_CHARS_MAX: usize = 253;
const FIELD_CHARS_MAX: usize = 200;

use crate::payments::one_line_text as text;

fn address(field: &str, value: &str) -> Result<String, AppError> {
    let v = text(field, value, FIELD_CHARS_MAX)?;
    v.parse::<lettre::Address>().map_err(|e| {
        AppError::invalid_said(field, SettingsFault::NotAnAddress { text: v.clone(), why: e.to_string() })
    })?;
    Ok(v)
}

impl From<Option<SmtpSettings>> for SmtpView {
    fn from(s: Option<SmtpSettings>) -> SmtpView {
        match s {
            None => SmtpView {
                configured: false,
                host: String::new(),
                port: 0,
                security: String::new(),
                username: String::new(),
                password_set: false,
                from_address: String::new(),
                from_name: String::new(),
                reply_to: String::new(),
            },
            Some(SmtpSettings { host, port, security, username, password, from_address, from_name, reply_to }) => {
                SmtpView {
                    configured: true,
                    host,
                    port,
                    security: security.as_str().to_string(),
                    username,
                    password_set: !password.is_empty(),
                    from_address,
                    from_name,
                    reply_to,
                }
            }
        }
    }
}

impl App {
    pub async fn smtp_settings(&self, company_id: i64) -> Result<SmtpView, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(store::smtp(&mut tx, company_id).await?.into())
    }

    /// Sets the company's SMTP server (every field; an absent password keeps the stored one).
    pub async fn set_smtp_settings(
        &self,
        actor: &Actor,
        company_id: i64,
        input: &SmtpInput,
    ) -> Result<SmtpView, AppError> {
        let host = text("host", &input.host, HOST_CHARS_MAX)?;
        if host.is_empty() || host.contains(char::is_whitespace) || host.contains('/') {
            return Err(AppError::invalid_said("host", SettingsFault::NotAHost));
        }
        let security = match input.security.as_deref().map(str::trim) {
            None | Some("") => SmtpSecurity::Starttls,
            Some(word) => SmtpSecurity::parse(word).ok_or_else(|| {
                AppError::invalid_said(
                    "security",
                    Fault::NotOneOf { text: word.to_string(), known: SmtpSecurity::words() },
                )
            })?,
        };
        let port = input.port.unwrap_or(match security {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        });
        if !(1..=65_535).contains(&port) {
            return Err(AppError::invalid_said("port", SettingsFault::NotAPort { port }));
        }
        let username = text("username", &input.username, FIELD_CHARS_MAX)?;
        let from_address = address("from_address", &input.from_address)?;
        let reply_to =
            if input.reply_to.trim().is_empty() { String::new() } else { address("reply_to", &input.reply_to)? };
        let mut tx = self.db.begin_write(actor.at()).await?;
        let stored = store::smtp(&mut tx, company_id).await?;
        let password = match &input.password {
            // Kept as typed: a password may begin or end with a space.
            Some(p) => {
                if p.chars().count() > FIELD_CHARS_MAX || p.chars().any(char::is_control) {
                    return Err(AppError::invalid_said(
                        "password",
                        SettingsFault::PasswordField { max: FIELD_CHARS_MAX },
                    ));
                }
                p.clone()
            }
            None => stored.as_ref().map(|s| s.password.clone()).unwrap_or_default(),
        };
        let from_name = match text("from_name", &input.from_name, FIELD_CHARS_MAX)? {
            n if n.is_empty() => {
                creance_store::companies::get(&mut tx, company_id).await?.map(|c| c.name).unwrap_or_default()
            }
            n => n,
        };
        let settings = SmtpSettings { host, port, security, username, password, from_address, from_name, reply_to };
        store::set_smtp(&mut tx, company_id, &settings).await?;
        let event =
            AuditEvent::new(company_id, actor.as_str(), "settings.smtp", "company", Some(company_id)).summary(format!(
                "SMTP {}:{} ({}), from {}{}",
                settings.host,
                settings.port,
                settings.security,
                settings.from_address,
                if settings.password.is_empty() { "" } else { ", with a password" }
            ));
        audit::record(&mut tx, &event).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(Some(settings).into())
    }

    /// Removes the SMTP settings: messages are written to the outbox folder again.
    pub async fn clear_smtp_settings(&self, actor: &Actor, company_id: i64) -> Result<(), AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        if store::clear_smtp(&mut tx, company_id).await? {
            let event =
                AuditEvent::new(company_id, actor.as_str(), "settings.smtp_cleared", "company", Some(company_id))
                    .summary("SMTP settings removed: messages go to the outbox");
            audit::record(&mut tx, &event).await?;
        }
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }
}
