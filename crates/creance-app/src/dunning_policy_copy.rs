//! A dunning policy written back as the API writes it, and a new policy made as a copy of another
//! (the settings screen's "new policy", issue 14 point 6; SPEC §4.6). Added with that screen: the
//! API creates a policy from a whole document (`POST /api/v1/dunning/policies`), which replaces a
//! policy of the same code; a copy refuses a code already used instead.

use creance_core::AmountText;

use crate::dunning::policy_json::{LevelDoc, PolicyDoc, PolicyView};
use crate::{Actor, App, AppError, DunningFault, Fault, Thing};

impl From<&PolicyView> for PolicyDoc {
    /// The stored policy as a document that saves it unchanged (amounts as its decimal strings).
    fn from(p: &PolicyView) -> PolicyDoc {
        let amount = |v: &str| Some(AmountText::from(v));
        PolicyDoc {
            code: p.code.clone(),
            name: p.name.clone(),
            currency: p.currency,
            min_amount: amount(&p.min_amount),
            list_not_due: p.list_not_due,
            allow_skip: p.allow_skip,
            repeat_last: p.repeat_last,
            payment_days: Some(p.payment_days),
            interest_table_id: p.interest_table_id,
            interest_min: amount(&p.interest_min),
            levels: p
                .levels
                .iter()
                .map(|l| LevelDoc {
                    level: l.level,
                    delay_days: l.delay_days,
                    min_amount: amount(&l.min_amount),
                    fee_kind: Some(l.fee_kind.clone()),
                    fee_amount: amount(&l.fee_amount),
                    fee_percent: Some(l.fee_percent.clone()),
                    fee_min: amount(&l.fee_min),
                    fee_max: l.fee_max.as_deref().and_then(amount),
                    interest: l.interest,
                    indemnity: l.indemnity,
                    channel: Some(l.channel.clone()),
                })
                .collect(),
            texts: p.texts.clone(),
        }
    }
}

impl App {
    /// Creates the policy `code` named `name` as a copy of the policy `from_id` (its currency,
    /// minimums, switches, levels and texts), through [`App::save_dunning_policy_doc`]. Refused, in
    /// order: no policy `from_id` (`from`); `code` already a policy of the company (`code`); then
    /// what saving refuses (`code`'s letters, `name`).
    ///
    /// The code is looked up before the saving transaction: two administrators copying to the same
    /// new code at the same instant would leave the second copy (saving replaces by code).
    pub async fn copy_dunning_policy(
        &self,
        actor: &Actor,
        company_id: i64,
        from_id: i64,
        code: &str,
        name: &str,
    ) -> Result<PolicyView, AppError> {
        let policies = self.dunning_policies(company_id).await?;
        let from = policies.iter().find(|p| p.id == from_id).ok_or_else(|| {
            AppError::invalid_said("from", Fault::NoSuch { thing: Thing::DunningPolicy, key: from_id.to_string() })
        })?;
        if policies.iter().any(|p| p.code == code) {
            return Err(AppError::invalid_said("code", DunningFault::PolicyCodeTaken { code: code.to_string() }));
        }
        let mut doc = PolicyDoc::from(&PolicyView::from(from));
        doc.code = code.to_string();
        doc.name = name.to_string();
        self.save_dunning_policy_doc(actor, company_id, &doc).await
    }
}
