//! The customer card's own edit besides the comment (seed 002): the dunning e-mail, the address
//! dunning letters are e-mailed to instead of the customer's e-mail. The comment's use case is
//! `App::set_customer_comment` (dunning settings).

use creance_store::audit::{self, AuditEvent};

use crate::{Actor, App, AppError};

/// The longest dunning e-mail field accepted (several addresses separated by `,` or `;`).
pub const DUNNING_EMAIL_MAX_CHARS: usize = 500;

/// Checks a list of e-mail addresses separated by `,` or `;` as the customer import does; empty is
/// accepted (no dunning e-mail). Returns it trimmed.
pub fn check_email_list(field: &str, text: &str) -> Result<String, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let n = t.chars().count();
    if n > DUNNING_EMAIL_MAX_CHARS {
        let e =
            creance_core::text_limits::TextTooLong { field: field.to_string(), chars: n, max: DUNNING_EMAIL_MAX_CHARS };
        return Err(AppError::invalid_said(field, crate::Fault::TooLong(e)));
    }
    let ok = t.split([',', ';']).all(|a| {
        let a = a.trim();
        !a.chars().any(|c| c.is_whitespace() || c.is_control())
            && a.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
    });
    if !ok {
        return Err(AppError::invalid_said(field, crate::Fault::NotAnEmail { text: t.to_string() }));
    }
    Ok(t.to_string())
}

impl App {
    /// Sets a customer's dunning e-mail (empty clears it), with an audit event.
    pub async fn set_customer_dunning_email(
        &self,
        actor: &Actor,
        company_id: i64,
        customer_id: i64,
        dunning_email: &str,
    ) -> Result<(), AppError> {
        let email = check_email_list("dunning_email", dunning_email)?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        let before = creance_store::customers::get(&mut tx, company_id, customer_id)
            .await?
            .ok_or(AppError::NotFound { entity: "customer", key: customer_id.to_string() })?;
        creance_store::customers::set_dunning_email(&mut tx, company_id, customer_id, &email).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "customer.dunning_email", "customer", Some(customer_id))
                .summary(format!("dunning e-mail of {} edited", before.fields.number))
                .change(Some(before.fields.dunning_email.clone()), Some(email.clone())),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }
}
