//! The first run: on a database without any user, the installation page creates the first company
//! and its administrator in one transaction, so that an administrator sets Créance up from the
//! browser without the CLI. Once any user exists it is refused (409 `already_installed`); two
//! browsers posting it at once make one company and one administrator (the `installation` row's
//! primary key lets one transaction go on).

use anyhow::Context;
use creance_core::{Language, Role};
use creance_store::companies::NewCompany;
use creance_store::installation;

use crate::companies::{check_company, insert_company};
use crate::users::{check_name, check_password, hash_password, insert_user, normalise_email, NewUser};
use crate::{Actor, App, AppError, Code};

/// A fresh installation code: 16 hexadecimal digits from the system's randomness (64 bits).
pub fn new_code() -> anyhow::Result<String> {
    crate::tokens::random_hex::<8>()
}

/// What the installation page asks: the company and its first administrator.
#[derive(Debug, Clone)]
pub struct Installation {
    pub company: NewCompany,
    pub admin_name: String,
    pub admin_email: String,
    pub admin_password: String,
    /// The administrator's language (the company's by default).
    pub admin_language: Language,
}

/// What the installation made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Installed {
    pub company_id: i64,
    pub user_id: i64,
}

/// The same fault under the installation form's field name (the company's `name` and the
/// administrator's are two fields of one form).
fn renamed(e: AppError, field: &str) -> AppError {
    match e {
        AppError::Invalid(mut f) => {
            f.field = field.to_string();
            AppError::Invalid(f)
        }
        other => other,
    }
}

fn already_installed() -> AppError {
    AppError::rejected_said(Code::AlreadyInstalled, crate::SettingsFault::AlreadyInstalled)
}

impl App {
    /// Whether the database has no user yet: the installation page is open only then.
    pub async fn needs_installation(&self) -> Result<bool, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(installation::has_no_user(&mut tx).await?)
    }

    /// Creates the first company (with its numbering series, money settings and default dunning
    /// policy, as `create_company` does) and its administrator, in one transaction. Fields at fault:
    /// `name`, `country`, `address` (the company), `admin_name`, `admin_email`, `admin_password`.
    pub async fn install(&self, actor: &Actor, i: &Installation) -> Result<Installed, AppError> {
        check_company(&i.company)?;
        let email = normalise_email(&i.admin_email).map_err(|e| renamed(e, "admin_email"))?;
        let name = check_name(&i.admin_name).map_err(|e| renamed(e, "admin_name"))?;
        check_password(&i.admin_password).map_err(|e| renamed(e, "admin_password"))?;
        let hash = hash_password(&i.admin_password).context("hashing a password")?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        if !installation::claim(&mut tx).await? || !installation::has_no_user(&mut tx).await? {
            return Err(already_installed());
        }
        let company_id = insert_company(&mut tx, actor, &i.company, false).await?;
        let admin = NewUser {
            email: email.clone(),
            name: name.clone(),
            language: i.admin_language,
            company_id,
            role: Role::Admin,
            password: String::new(),
        };
        let user_id =
            insert_user(&mut tx, actor, &admin, &email, &name, &hash).await.map_err(|e| renamed(e, "admin_email"))?;
        installation::record(&mut tx, company_id, user_id).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(Installed { company_id, user_id })
    }
}
