//! Web UI users, their roles per company, browser sessions and login attempts (issue 13, migration
//! 0022). A user belongs to no company: it holds a role in each company it may work in. Only the
//! SHA-256 of a session cookie is stored. Instants are RFC 3339 text, which sorts as time does, so
//! "expired" and "idle" are string comparisons against instants the app passes in.

use creance_core::{Language, Role};

use crate::row;
use crate::{AnyRow, Sql, Tx};

/// A user as stored (its password hash included: only the app reads it, to verify a password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    /// Lower-cased.
    pub email: String,
    pub name: String,
    pub language: Language,
    pub password_hash: String,
    pub created_at: String,
    pub disabled_at: Option<String>,
}

/// A user's role in one (complete) company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRole {
    pub company_id: i64,
    pub company_name: String,
    pub role: Role,
}

/// A live session with what a page needs: the user, the company it works in and its role there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub language: Language,
    pub company_id: i64,
    pub company_name: String,
    pub role: Role,
    pub csrf_token: String,
    pub created_at: String,
    pub expires_at: String,
}

fn language(r: &AnyRow, col: &str) -> anyhow::Result<Language> {
    let t = row::text(r, col)?;
    Language::parse(&t).ok_or_else(|| anyhow::anyhow!("stored language {t:?} in users.{col} is unknown"))
}

fn role(r: &AnyRow, col: &str) -> anyhow::Result<Role> {
    let t = row::text(r, col)?;
    Role::parse(&t).ok_or_else(|| anyhow::anyhow!("stored role {t:?} in {col} is unknown"))
}

const USER_SELECT: &str = "SELECT id, email, name, language, password_hash, created_at, disabled_at FROM users ";

fn user_from_row(r: &AnyRow) -> anyhow::Result<User> {
    Ok(User {
        id: row::int(r, "id")?,
        email: row::text(r, "email")?,
        name: row::text(r, "name")?,
        language: language(r, "language")?,
        password_hash: row::text(r, "password_hash")?,
        created_at: row::text(r, "created_at")?,
        disabled_at: row::opt_text(r, "disabled_at")?,
    })
}

/// Inserts a user; `email` must be lower-cased already.
pub async fn insert(
    tx: &mut Tx,
    email: &str,
    name: &str,
    language: Language,
    password_hash: &str,
) -> anyhow::Result<i64> {
    let r = Sql::new("INSERT INTO users (email, name, language, password_hash, created_at) VALUES ")
        .bind_tuple([email.into(), name.into(), language.code().into(), password_hash.into(), tx.at()?.into()])
        .push(" RETURNING id")
        .fetch_one(tx)
        .await?;
    row::int(&r, "id")
}

/// The user with this (lower-cased) e-mail.
pub async fn by_email(tx: &mut Tx, email: &str) -> anyhow::Result<Option<User>> {
    let mut sql = Sql::new(USER_SELECT);
    sql.push("WHERE email = ").bind(email);
    sql.fetch_optional(tx).await?.as_ref().map(user_from_row).transpose()
}

pub async fn get(tx: &mut Tx, id: i64) -> anyhow::Result<Option<User>> {
    let mut sql = Sql::new(USER_SELECT);
    sql.push("WHERE id = ").bind(id);
    sql.fetch_optional(tx).await?.as_ref().map(user_from_row).transpose()
}

/// The users of these ids (unknown ids are left out), in one read.
pub async fn get_many(tx: &mut Tx, ids: &[i64]) -> anyhow::Result<Vec<User>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(USER_SELECT);
    sql.push("WHERE id IN ").int_tuple(ids.iter().copied().map(Some));
    sql.fetch_all(tx).await?.iter().map(user_from_row).collect()
}

/// Every user, by e-mail; with `company_id`, only those with a role there.
pub async fn list(tx: &mut Tx, company_id: Option<i64>) -> anyhow::Result<Vec<User>> {
    let mut sql = Sql::new(USER_SELECT);
    if let Some(c) = company_id {
        sql.push("WHERE id IN (SELECT user_id FROM user_roles WHERE company_id = ").bind(c).push(")");
    }
    sql.push(" ORDER BY email");
    sql.fetch_all(tx).await?.iter().map(user_from_row).collect()
}

pub async fn set_password(tx: &mut Tx, id: i64, password_hash: &str) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE users SET password_hash = ")
        .bind(password_hash)
        .push(" WHERE id = ")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(n == 1)
}

/// Disables a user from `at` (it logs in no more); false when it is unknown or disabled already.
pub async fn set_disabled(tx: &mut Tx, id: i64, at: &str) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE users SET disabled_at = ")
        .bind(at)
        .push(" WHERE disabled_at IS NULL AND id = ")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(n == 1)
}

pub async fn set_language(tx: &mut Tx, id: i64, language: Language) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE users SET language = ")
        .bind(language.code())
        .push(" WHERE id = ")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(n == 1)
}

/// Gives the user `role` in the company (replacing the role it had there).
pub async fn set_role(tx: &mut Tx, user_id: i64, company_id: i64, role: Role) -> anyhow::Result<()> {
    Sql::new("INSERT INTO user_roles (user_id, company_id, role) VALUES ")
        .bind_tuple([user_id.into(), company_id.into(), role.code().into()])
        .push(" ON CONFLICT (user_id, company_id) DO UPDATE SET role = excluded.role")
        .execute(tx)
        .await?;
    Ok(())
}

/// The user's roles in complete companies, by company id.
pub async fn roles(tx: &mut Tx, user_id: i64) -> anyhow::Result<Vec<UserRole>> {
    let rows = Sql::new(
        "SELECT r.company_id, c.name, r.role FROM user_roles r JOIN companies c ON c.id = r.company_id \
         WHERE c.incomplete = 0 AND r.user_id = ",
    )
    .bind(user_id)
    .push(" ORDER BY r.company_id")
    .fetch_all(tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(UserRole {
                company_id: row::int(r, "company_id")?,
                company_name: row::text(r, "name")?,
                role: role(r, "role")?,
            })
        })
        .collect()
}

/// A new session's row.
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub company_id: i64,
    pub csrf_token: &'a str,
    pub expires_at: String,
}

pub async fn insert_session(tx: &mut Tx, s: &NewSession<'_>) -> anyhow::Result<i64> {
    let at = tx.at()?;
    let r = Sql::new(
        "INSERT INTO web_sessions (token_hash, user_id, company_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ",
    )
    .bind_tuple([
        s.token_hash.into(),
        s.user_id.into(),
        s.company_id.into(),
        s.csrf_token.into(),
        at.clone().into(),
        at.into(),
        s.expires_at.clone().into(),
    ])
    .push(" RETURNING id")
    .fetch_one(tx)
    .await?;
    row::int(&r, "id")
}

/// The live session with this cookie hash: not expired at `now`, seen since `idle_since`, its user not
/// disabled, and the user still holding a role in the session's (complete) company.
pub async fn live_session(
    tx: &mut Tx,
    token_hash: &str,
    now: &str,
    idle_since: &str,
) -> anyhow::Result<Option<SessionRow>> {
    let r = Sql::new(
        "SELECT s.id, s.user_id, u.email, u.name, u.language, s.company_id, c.name AS company_name, r.role, \
         s.csrf_token, s.created_at, s.expires_at \
         FROM web_sessions s JOIN users u ON u.id = s.user_id \
         JOIN user_roles r ON r.user_id = s.user_id AND r.company_id = s.company_id \
         JOIN companies c ON c.id = s.company_id \
         WHERE u.disabled_at IS NULL AND c.incomplete = 0 AND s.token_hash = ",
    )
    .bind(token_hash)
    .push(" AND s.expires_at > ")
    .bind(now)
    .push(" AND s.last_seen_at > ")
    .bind(idle_since)
    .fetch_optional(tx)
    .await?;
    let Some(r) = r else { return Ok(None) };
    Ok(Some(SessionRow {
        id: row::int(&r, "id")?,
        user_id: row::int(&r, "user_id")?,
        email: row::text(&r, "email")?,
        name: row::text(&r, "name")?,
        language: language(&r, "language")?,
        company_id: row::int(&r, "company_id")?,
        company_name: row::text(&r, "company_name")?,
        role: role(&r, "role")?,
        csrf_token: row::text(&r, "csrf_token")?,
        created_at: row::text(&r, "created_at")?,
        expires_at: row::text(&r, "expires_at")?,
    }))
}

/// Marks the session seen at the transaction's instant.
pub async fn touch_session(tx: &mut Tx, id: i64) -> anyhow::Result<()> {
    Sql::new("UPDATE web_sessions SET last_seen_at = ")
        .bind(tx.at()?)
        .push(" WHERE id = ")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn set_session_company(tx: &mut Tx, id: i64, company_id: i64) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE web_sessions SET company_id = ")
        .bind(company_id)
        .push(" WHERE id = ")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(n == 1)
}

pub async fn delete_session(tx: &mut Tx, id: i64) -> anyhow::Result<bool> {
    let n = Sql::new("DELETE FROM web_sessions WHERE id = ").bind(id).execute(tx).await?;
    Ok(n == 1)
}

/// Deletes every session of a user (its password changed) and the expired sessions of everyone.
pub async fn delete_sessions_of(tx: &mut Tx, user_id: i64, now: &str) -> anyhow::Result<u64> {
    Ok(Sql::new("DELETE FROM web_sessions WHERE user_id = ")
        .bind(user_id)
        .push(" OR expires_at <= ")
        .bind(now)
        .execute(tx)
        .await?)
}

/// Records a login attempt for `email` (lower-cased, known or not) from `source`.
pub async fn record_attempt(tx: &mut Tx, email: &str, source: &str, ok: bool) -> anyhow::Result<()> {
    Sql::new("INSERT INTO login_attempts (email, source, at, ok) VALUES ")
        .bind_tuple([email.into(), source.into(), tx.at()?.into(), i64::from(ok).into()])
        .execute(tx)
        .await?;
    Ok(())
}

/// The instants of the failed attempts for `email` after `since` and after its last success, newest
/// first, at most `limit`.
pub async fn recent_failures(tx: &mut Tx, email: &str, since: &str, limit: i64) -> anyhow::Result<Vec<String>> {
    let rows = Sql::new("SELECT at FROM login_attempts WHERE ok = 0 AND email = ")
        .bind(email)
        .push(" AND at > ")
        .bind(since)
        .push(" AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE ok = 1 AND email = ")
        .bind(email)
        .push("), '') ORDER BY at DESC, id DESC LIMIT ")
        .bind(limit)
        .fetch_all(tx)
        .await?;
    rows.iter().map(|r| row::text(r, "at")).collect()
}

/// The instants of the failed attempts from `source` (any e-mail) after `since`, newest first, at
/// most `limit`.
pub async fn recent_failures_from(tx: &mut Tx, source: &str, since: &str, limit: i64) -> anyhow::Result<Vec<String>> {
    let rows = Sql::new("SELECT at FROM login_attempts WHERE ok = 0 AND source = ")
        .bind(source)
        .push(" AND at > ")
        .bind(since)
        .push(" ORDER BY at DESC, id DESC LIMIT ")
        .bind(limit)
        .fetch_all(tx)
        .await?;
    rows.iter().map(|r| row::text(r, "at")).collect()
}

/// Deletes the attempts older than `before` (they no longer count).
pub async fn prune_attempts(tx: &mut Tx, before: &str) -> anyhow::Result<u64> {
    Ok(Sql::new("DELETE FROM login_attempts WHERE at < ").bind(before).execute(tx).await?)
}
