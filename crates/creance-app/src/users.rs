//! Web UI users and sessions (issue 13 point 1). A user has an e-mail (unique, stored lower-cased), a
//! name, a language and a role per company; its password is kept as an Argon2id PHC string (default
//! parameters, a 16-byte random salt), never in clear. A login opens a session: a random cookie whose
//! SHA-256 is stored, with a CSRF token and the company the user works in, alive 12 h at most and
//! 2 h without a request. Five failed logins for one e-mail within 15 minutes refuse further attempts
//! for it until the oldest of them is 15 minutes old; a success resets the count. An unknown e-mail and
//! a wrong password get the same answer. Every write records an audit event (in each company the
//! user holds a role in). The instant is always a parameter: no clock here.

use anyhow::Context;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use creance_core::{Language, Role, Timestamp};
use creance_store::audit::{self, AuditEvent};
use creance_store::users::{self, NewSession};

use crate::tokens::{hash_token, random_hex};
use crate::views::users::{UserInfo, WebSession};
use crate::{Actor, App, AppError, SettingsFault};

/// The shortest password accepted, in characters.
pub const PASSWORD_MIN_CHARS: usize = 10;
/// The longest password accepted, in bytes (Argon2 reads every byte; a bound keeps a login cheap).
pub const PASSWORD_MAX_BYTES: usize = 1024;
/// A session ends this long after the login, whatever happens.
pub const SESSION_ABSOLUTE_SECONDS: i64 = 12 * 3600;
/// A session ends after this long without a request.
pub const SESSION_IDLE_SECONDS: i64 = 2 * 3600;
/// Failed logins for one e-mail that trigger the throttle…
pub const THROTTLE_FAILURES: usize = 5;
/// …within this many minutes; further attempts are refused until the oldest is this old.
pub const THROTTLE_MINUTES: i64 = 15;
/// Failed logins from one client address, whatever the e-mails, that trigger the throttle for that
/// address (within [`THROTTLE_MINUTES`]). Higher than the per-e-mail count: behind a reverse proxy
/// every client has the proxy's address, and a typo should not lock a whole office out.
pub const THROTTLE_SOURCE_FAILURES: usize = 30;
/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "creance_session";

/// The cookie of the login form's CSRF token (the form is the one without a session: its token is
/// the cookie's value, sent back in the form's `csrf` field, so another site cannot log a browser in).
pub const LOGIN_COOKIE: &str = "creance_login";

/// A new token for the login form (128 random bits, hex).
pub fn login_form_token() -> anyhow::Result<String> {
    crate::tokens::random_hex::<16>()
}
/// The e-mail of the demo user `serve --demo` creates.
pub const DEMO_EMAIL: &str = "demo@example.com";

/// A user to create, with its first role.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub language: Language,
    pub company_id: i64,
    pub role: Role,
    pub password: String,
}

/// What a login attempt gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// The session opened: `cookie` is the value of the session cookie (shown once, only its hash is
    /// kept).
    LoggedIn { cookie: String, session: Box<WebSession> },
    /// Unknown e-mail, wrong password, a disabled user or one without any company: one answer for all.
    Refused,
    /// Too many failed attempts for this e-mail, or from this address; the next is accepted from
    /// `until`.
    Throttled { until: Timestamp },
}

/// Lower-cases and checks an e-mail address (the field `email`).
pub fn normalise_email(email: &str) -> Result<String, AppError> {
    let e = email.trim().to_lowercase();
    let ok = e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && e.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'));
    if !ok {
        return Err(AppError::invalid_said("email", SettingsFault::NotAUserEmail { text: email.trim().to_string() }));
    }
    Ok(e)
}

/// Checks a password's length (the field `password`).
pub fn check_password(password: &str) -> Result<(), AppError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(AppError::invalid_said(
            "password",
            SettingsFault::PasswordTooShort { chars: n, min: PASSWORD_MIN_CHARS },
        ));
    }
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(AppError::invalid_said(
            "password",
            SettingsFault::PasswordTooLong { bytes: password.len(), max: PASSWORD_MAX_BYTES },
        ));
    }
    Ok(())
}

/// The Argon2id PHC string of a password (default parameters, random salt).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash =
        Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches a stored PHC string (false for a malformed one).
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A random password for a user created without one (20 hex digits, 80 bits).
pub fn random_password() -> anyhow::Result<String> {
    random_hex::<10>()
}

pub(crate) fn check_name(name: &str) -> Result<String, AppError> {
    crate::payments::one_line_text("name", name, 200).and_then(|n| {
        if n.is_empty() {
            Err(AppError::invalid_said("name", SettingsFault::NameEmpty))
        } else {
            Ok(n)
        }
    })
}

/// A PHC string computed for no one, so that a login for an unknown e-mail costs what a wrong
/// password costs (the answer's time does not tell whether the e-mail exists).
fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0D2ANeOu7pHYqrIdZsr0hKnzNBQvS7fQ3lT4ekG2sTI"
}

/// Writes a user (checked by the caller: e-mail normalised, name checked, password hashed) with its
/// role in `u.company_id`, and its audit event; 422 naming `email` when the e-mail is taken.
pub(crate) async fn insert_user(
    tx: &mut creance_store::Tx,
    actor: &Actor,
    u: &NewUser,
    email: &str,
    name: &str,
    hash: &str,
) -> Result<i64, AppError> {
    if users::by_email(tx, email).await?.is_some() {
        return Err(AppError::invalid_said("email", SettingsFault::UserExists { email: email.to_string() }));
    }
    let id = users::insert(tx, email, name, u.language, hash).await?;
    users::set_role(tx, id, u.company_id, u.role).await?;
    audit::record(
        tx,
        &AuditEvent::new(u.company_id, actor.as_str(), "user.create", "user", Some(id))
            .summary(format!("user {email} created with role {}", u.role.code())),
    )
    .await?;
    Ok(id)
}

impl App {
    /// Creates a user with its first role; 422 naming `email` when the e-mail is taken, `password` when
    /// it is too short or too long.
    pub async fn create_user(&self, actor: &Actor, u: &NewUser) -> Result<UserInfo, AppError> {
        let email = normalise_email(&u.email)?;
        let name = check_name(&u.name)?;
        check_password(&u.password)?;
        let hash = hash_password(&u.password).context("hashing a password")?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        if creance_store::companies::get_complete(&mut tx, u.company_id).await?.is_none() {
            return Err(AppError::NotFound { entity: "company", key: u.company_id.to_string() });
        }
        let id = insert_user(&mut tx, actor, u, &email, &name, &hash).await?;
        let out = user_info(&mut tx, id).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(out)
    }

    /// Sets a user's password and ends its sessions.
    pub async fn set_user_password(&self, actor: &Actor, email: &str, password: &str) -> Result<UserInfo, AppError> {
        let email = normalise_email(email)?;
        check_password(password)?;
        let hash = hash_password(password).context("hashing a password")?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        let user =
            users::by_email(&mut tx, &email).await?.ok_or(AppError::NotFound { entity: "user", key: email.clone() })?;
        users::set_password(&mut tx, user.id, &hash).await?;
        users::delete_sessions_of(&mut tx, user.id, &actor.at().to_string()).await?;
        for r in users::roles(&mut tx, user.id).await? {
            audit::record(
                &mut tx,
                &AuditEvent::new(r.company_id, actor.as_str(), "user.password", "user", Some(user.id))
                    .summary(format!("password of {email} changed; its sessions ended")),
            )
            .await?;
        }
        let out = user_info(&mut tx, user.id).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(out)
    }

    /// Gives a user a role in a company (replacing the one it had there).
    pub async fn grant_user_role(
        &self,
        actor: &Actor,
        email: &str,
        company_id: i64,
        role: Role,
    ) -> Result<UserInfo, AppError> {
        let email = normalise_email(email)?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        if creance_store::companies::get_complete(&mut tx, company_id).await?.is_none() {
            return Err(AppError::NotFound { entity: "company", key: company_id.to_string() });
        }
        let user =
            users::by_email(&mut tx, &email).await?.ok_or(AppError::NotFound { entity: "user", key: email.clone() })?;
        users::set_role(&mut tx, user.id, company_id, role).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "user.grant", "user", Some(user.id))
                .summary(format!("{email} given the role {}", role.code())),
        )
        .await?;
        let out = user_info(&mut tx, user.id).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(out)
    }

    /// The users, by e-mail; with a company, those holding a role there.
    pub async fn users(&self, company_id: Option<i64>) -> Result<Vec<UserInfo>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let mut out = Vec::new();
        for u in users::list(&mut tx, company_id).await? {
            let roles = users::roles(&mut tx, u.id).await?;
            out.push(UserInfo::new(u, roles));
        }
        Ok(out)
    }

    /// Makes sure the demo user exists and is admin of `company_id`, with a new random password,
    /// which is returned (for `serve --demo` to print).
    pub async fn ensure_demo_user(&self, actor: &Actor, company_id: i64) -> Result<String, AppError> {
        let password = random_password().context("a demo password")?;
        let mut tx = self.db.begin_read().await?;
        let exists = users::by_email(&mut tx, DEMO_EMAIL).await?.is_some();
        tx.commit().await.map_err(anyhow::Error::from)?;
        if exists {
            self.set_user_password(actor, DEMO_EMAIL, &password).await?;
            self.grant_user_role(actor, DEMO_EMAIL, company_id, Role::Admin).await?;
        } else {
            let u = NewUser {
                email: DEMO_EMAIL.into(),
                name: "Démo".into(),
                language: Language::Fr,
                company_id,
                role: Role::Admin,
                password: password.clone(),
            };
            self.create_user(actor, &u).await?;
        }
        Ok(password)
    }

    /// A login attempt from `source` (the client's address, for the record) at `at`.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        source: &str,
        at: Timestamp,
    ) -> Result<LoginOutcome, AppError> {
        // A malformed e-mail or an oversized password is refused like a wrong one (nothing recorded).
        let Ok(email) = normalise_email(email) else { return Ok(LoginOutcome::Refused) };
        if password.len() > PASSWORD_MAX_BYTES {
            return Ok(LoginOutcome::Refused);
        }
        let window_start = at.minutes_earlier(THROTTLE_MINUTES);
        let mut tx = self.db.begin_write(at).await?;
        let since = window_start.to_string();
        let by_email = users::recent_failures(&mut tx, &email, &since, THROTTLE_FAILURES as i64).await?;
        let failures = if by_email.len() >= THROTTLE_FAILURES {
            by_email
        } else if source.is_empty() {
            Vec::new()
        } else {
            let by_source =
                users::recent_failures_from(&mut tx, source, &since, THROTTLE_SOURCE_FAILURES as i64).await?;
            if by_source.len() >= THROTTLE_SOURCE_FAILURES {
                by_source
            } else {
                Vec::new()
            }
        };
        if !failures.is_empty() {
            // The oldest of the last failures counted leaves the window THROTTLE_MINUTES after it
            // happened.
            let oldest = failures.last().map(String::as_str).unwrap_or("");
            let until = parse_instant(oldest)
                .map(|t| t.seconds_later(THROTTLE_MINUTES * 60))
                .unwrap_or(at.seconds_later(THROTTLE_MINUTES * 60));
            tx.commit().await.map_err(anyhow::Error::from)?;
            return Ok(LoginOutcome::Throttled { until });
        }
        let user = users::by_email(&mut tx, &email).await?;
        let hash = user.as_ref().map(|u| u.password_hash.as_str()).unwrap_or(dummy_hash());
        let password_ok = verify_password(password, hash);
        let user = user.filter(|u| password_ok && u.disabled_at.is_none());
        let roles = match &user {
            Some(u) => users::roles(&mut tx, u.id).await?,
            None => Vec::new(),
        };
        let (Some(user), Some(first)) = (user, roles.first()) else {
            users::record_attempt(&mut tx, &email, source, false).await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            return Ok(LoginOutcome::Refused);
        };
        users::record_attempt(&mut tx, &email, source, true).await?;
        users::prune_attempts(&mut tx, &at.minutes_earlier(24 * 60).to_string()).await?;
        let cookie = random_hex::<32>().context("a session cookie")?;
        let csrf = random_hex::<32>().context("a CSRF token")?;
        let hash = hash_token(&cookie);
        let id = users::insert_session(
            &mut tx,
            &NewSession {
                token_hash: &hash,
                user_id: user.id,
                company_id: first.company_id,
                csrf_token: &csrf,
                expires_at: at.seconds_later(SESSION_ABSOLUTE_SECONDS).to_string(),
            },
        )
        .await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(first.company_id, &format!("user:{}", user.id), "user.login", "user", Some(user.id))
                .summary(format!("{email} logged in (session {id})")),
        )
        .await?;
        let session = live(&mut tx, &hash, at).await?.context("the session just opened is not found")?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(LoginOutcome::LoggedIn { cookie, session: Box::new(session) })
    }

    /// The live session behind a cookie at `at` (marked seen then), or `None`: unknown, expired, idle
    /// too long, its user disabled or without a role in its company any more.
    pub async fn web_session(&self, cookie: &str, at: Timestamp) -> Result<Option<WebSession>, AppError> {
        if cookie.len() != 64 || !cookie.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = hash_token(cookie);
        let mut tx = self.db.begin_write(at).await?;
        let session = live(&mut tx, &hash, at).await?;
        if let Some(s) = &session {
            users::touch_session(&mut tx, s.session_id).await?;
        }
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(session)
    }

    /// Ends a session (its row is deleted: the cookie no longer works).
    pub async fn logout(&self, s: &WebSession, at: Timestamp) -> Result<(), AppError> {
        let mut tx = self.db.begin_write(at).await?;
        users::delete_session(&mut tx, s.session_id).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(s.company_id, &format!("user:{}", s.user_id), "user.logout", "user", Some(s.user_id))
                .summary(format!("{} logged out (session {})", s.email, s.session_id)),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }

    /// Moves a session to another company of its user; `false` (nothing changed) when the user holds no
    /// role there.
    pub async fn switch_company(&self, s: &WebSession, company_id: i64, at: Timestamp) -> Result<bool, AppError> {
        if !s.companies.iter().any(|c| c.company_id == company_id) {
            return Ok(false);
        }
        let mut tx = self.db.begin_write(at).await?;
        let still = users::roles(&mut tx, s.user_id).await?.iter().any(|r| r.company_id == company_id);
        if !still {
            return Ok(false);
        }
        users::set_session_company(&mut tx, s.session_id, company_id).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(true)
    }

    /// Sets the language of the session's user (its pages' language).
    pub async fn set_user_language(&self, s: &WebSession, language: Language, at: Timestamp) -> Result<(), AppError> {
        let mut tx = self.db.begin_write(at).await?;
        users::set_language(&mut tx, s.user_id, language).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(s.company_id, &format!("user:{}", s.user_id), "user.language", "user", Some(s.user_id))
                .summary(format!("{} now works in {}", s.email, language.code())),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }
}

/// An instant as the store writes it (`2026-11-22T10:15:00Z`).
fn parse_instant(text: &str) -> Option<Timestamp> {
    let (date, time) = text.strip_suffix('Z')?.split_once('T')?;
    let date = creance_core::Date::parse(date).ok()?;
    let mut parts = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (parts.next()??, parts.next()??, parts.next()??);
    Some(Timestamp::start_of(date).seconds_later(h * 3600 + m * 60 + sec))
}

pub(crate) async fn user_info(tx: &mut creance_store::Tx, id: i64) -> Result<UserInfo, AppError> {
    let u = users::get(tx, id).await?.ok_or(AppError::NotFound { entity: "user", key: id.to_string() })?;
    let roles = users::roles(tx, id).await?;
    Ok(UserInfo::new(u, roles))
}

async fn live(tx: &mut creance_store::Tx, hash: &str, at: Timestamp) -> Result<Option<WebSession>, AppError> {
    let idle_since = Timestamp::from_unix_seconds(at.unix_seconds() - SESSION_IDLE_SECONDS);
    let Some(row) = users::live_session(tx, hash, &at.to_string(), &idle_since.to_string()).await? else {
        return Ok(None);
    };
    let companies = users::roles(tx, row.user_id).await?;
    Ok(Some(WebSession::new(row, companies)))
}
