//! Companies (tenants) and their numbering series.

use anyhow::Context;
use creance_store::audit::{self, AuditEvent};
use creance_store::companies;
/// A company to create: plain data, passed through to the store as it is.
pub use creance_store::companies::NewCompany;
use creance_store::{series, settings};

use crate::views::settings::Company;
use crate::{Actor, App, AppError};

/// Numbering series every company starts with: (name, pattern).
pub const DEFAULT_SERIES: &[(&str, &str)] = &[
    ("payment", "RG-{YYYY}-{######}"),
    ("letter", "LR-{YYYY}-{######}"),
    ("refund", "RB-{YYYY}-{#####}"),
    ("deposit", "BR-{YYYY}-{#####}"),
    ("fee_invoice", "FR-{YYYY}-{######}"),
    ("interest_invoice", "FI-{YYYY}-{######}"),
    ("credit_note", "AV-{YYYY}-{######}"),
];

impl App {
    pub async fn create_company(&self, actor: &Actor, company: &NewCompany) -> Result<i64, AppError> {
        self.create_company_marked(actor, company, false).await
    }

    /// Creates a company, `incomplete` (hidden until [`companies::set_incomplete`] clears it) for the
    /// demo, which writes it in several transactions.
    pub(crate) async fn create_company_marked(
        &self,
        actor: &Actor,
        company: &NewCompany,
        incomplete: bool,
    ) -> Result<i64, AppError> {
        check_company(company)?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        let id = insert_company(&mut tx, actor, company, incomplete).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(id)
    }

    pub async fn company(&self, id: i64) -> Result<Company, AppError> {
        let mut tx = self.db.begin_read().await?;
        companies::get_complete(&mut tx, id)
            .await?
            .map(Company::from)
            .ok_or(AppError::NotFound { entity: "company", key: id.to_string() })
    }

    pub async fn companies(&self) -> Result<Vec<Company>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(companies::list(&mut tx).await?.into_iter().map(Into::into).collect())
    }
}

/// A company's name, country and address as a company takes them.
pub(crate) fn check_company(company: &NewCompany) -> Result<(), AppError> {
    if company.name.trim().is_empty() {
        return Err(AppError::invalid_said("name", crate::SettingsFault::CompanyNameMissing));
    }
    for (field, value) in [("name", &company.name), ("country", &company.country), ("address", &company.address)] {
        crate::payments::plain_text(field, value)?;
    }
    Ok(())
}

/// Writes a company in `tx` (checked by the caller): its row, numbering series, default money
/// settings, default dunning policy and audit event. The installation page writes its first
/// company with this, in the transaction that creates its administrator.
pub(crate) async fn insert_company(
    tx: &mut creance_store::Tx,
    actor: &Actor,
    company: &NewCompany,
    incomplete: bool,
) -> Result<i64, AppError> {
    let id = companies::insert(tx, company).await.with_context(|| format!("creating company {:?}", company.name))?;
    if incomplete {
        companies::set_incomplete(&mut *tx, id, true).await?;
    }
    for (name, pattern) in DEFAULT_SERIES {
        series::ensure(&mut *tx, id, name, pattern)
            .await
            .with_context(|| format!("company {id}: creating its numbering series {name}"))?;
    }
    settings::ensure_defaults(&mut *tx, id)
        .await
        .with_context(|| format!("company {id}: writing its default money settings"))?;
    creance_store::dunning::ensure_default_policy(&mut *tx, id)
        .await
        .with_context(|| format!("company {id}: writing its default dunning policy"))?;
    audit::record(
        &mut *tx,
        &AuditEvent::new(id, actor.as_str(), "company.create", "company", Some(id))
            .summary(format!("company {:?} created", company.name)),
    )
    .await?;
    Ok(id)
}
