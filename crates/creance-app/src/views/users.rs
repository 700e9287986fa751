//! Views of the web UI's users and sessions (see `views`): never a password nor its hash, never a
//! session's cookie hash.

use creance_core::{Language, Role};
use creance_store::users;
use serde::Serialize;

/// A user's role in one company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleInfo {
    pub company_id: i64,
    pub company_name: String,
    /// read_only, clerk or admin.
    #[serde(serialize_with = "role_code")]
    pub role: Role,
}

fn role_code<S: serde::Serializer>(role: &Role, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(role.code())
}

impl From<users::UserRole> for RoleInfo {
    fn from(r: users::UserRole) -> RoleInfo {
        let users::UserRole { company_id, company_name, role } = r;
        RoleInfo { company_id, company_name, role }
    }
}

/// A user as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserInfo {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub language: Language,
    pub created_at: String,
    pub disabled_at: Option<String>,
    pub roles: Vec<RoleInfo>,
}

impl UserInfo {
    pub(crate) fn new(u: users::User, roles: Vec<users::UserRole>) -> UserInfo {
        let users::User { id, email, name, language, password_hash: _, created_at, disabled_at } = u;
        UserInfo {
            id,
            email,
            name,
            language,
            created_at,
            disabled_at,
            roles: roles.into_iter().map(Into::into).collect(),
        }
    }
}

/// A live web session: who, in which company with which role, the CSRF token its forms carry, and
/// the other companies the user may switch to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    pub session_id: i64,
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub language: Language,
    pub company_id: i64,
    pub company_name: String,
    pub role: Role,
    pub csrf_token: String,
    /// Every company the user holds a role in (the current one included), by id.
    pub companies: Vec<RoleInfo>,
}

impl WebSession {
    pub(crate) fn new(s: users::SessionRow, companies: Vec<users::UserRole>) -> WebSession {
        let users::SessionRow {
            id,
            user_id,
            email,
            name,
            language,
            company_id,
            company_name,
            role,
            csrf_token,
            created_at: _,
            expires_at: _,
        } = s;
        WebSession {
            session_id: id,
            user_id,
            email,
            name,
            language,
            company_id,
            company_name,
            role,
            csrf_token,
            companies: companies.into_iter().map(Into::into).collect(),
        }
    }
}
