//! Disabling a user (`Paramètres › Utilisateurs`): it logs in no more, in any company, and its
//! sessions end at once. A user is one account across companies, so an admin disables only a user
//! every one of whose companies it administers; disabling oneself is refused (no company is left
//! without the admin doing it by mistake). Audited in each company of the user.

use creance_core::Role;
use creance_store::audit::{self, AuditEvent};
use creance_store::users;

use crate::views::users::UserInfo;
use crate::{Actor, App, AppError, Code, SettingsFault};

impl App {
    /// Disables `user_id`, a user of `company_id`, on behalf of `by_user_id` (an admin there). 404
    /// when the user holds no role in the company; 409 for oneself, for a user of a company the
    /// admin does not administer, and for a user disabled already.
    pub async fn disable_user(
        &self,
        actor: &Actor,
        by_user_id: i64,
        company_id: i64,
        user_id: i64,
    ) -> Result<UserInfo, AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        let not_found = || AppError::NotFound { entity: "user", key: user_id.to_string() };
        let user = users::get(&mut tx, user_id).await?.ok_or_else(not_found)?;
        let roles = users::roles(&mut tx, user_id).await?;
        if !roles.iter().any(|r| r.company_id == company_id) {
            return Err(not_found());
        }
        if user_id == by_user_id {
            return Err(AppError::rejected_said(Code::Conflict, SettingsFault::DisableYourself));
        }
        if user.disabled_at.is_some() {
            return Err(AppError::rejected_said(
                Code::Conflict,
                SettingsFault::DisabledAlready { email: user.email.clone() },
            ));
        }
        let mine = users::roles(&mut tx, by_user_id).await?;
        if let Some(other) =
            roles.iter().find(|r| !mine.iter().any(|m| m.company_id == r.company_id && m.role == Role::Admin))
        {
            return Err(AppError::rejected_said(
                Code::Conflict,
                SettingsFault::WorksElsewhere { email: user.email.clone(), company: other.company_name.clone() },
            ));
        }
        let at = actor.at().to_string();
        if !users::set_disabled(&mut tx, user_id, &at).await? {
            return Err(AppError::rejected_said(
                Code::Conflict,
                SettingsFault::DisabledAlready { email: user.email.clone() },
            ));
        }
        users::delete_sessions_of(&mut tx, user_id, &at).await?;
        for r in &roles {
            audit::record(
                &mut tx,
                &AuditEvent::new(r.company_id, actor.as_str(), "user.disable", "user", Some(user_id))
                    .summary(format!("{} disabled; its sessions ended", user.email)),
            )
            .await?;
        }
        let out = crate::users::user_info(&mut tx, user_id).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(out)
    }
}
