//! Dunning settings (SPEC §4.6, §4.7): policies with their levels and texts, the company default, a
//! customer's override and dunning flag, installment blocks, and late-interest rate tables with presets.

use creance_core::dunning::{check_placeholders, BlockReason, FeeKind};
use creance_core::interest::DayCount;
use creance_core::{Date, Decimal};
use creance_store::audit::{self, AuditEvent};
use creance_store::dunning::{self as store, InterestTableInput, Policy, PolicyInput, RateRow};
use serde::Deserialize;

use crate::dunning::rejections::DunningSettingsRejection;
use crate::payments::plain_text;
use crate::views::dunning as view;
use crate::{Actor, App, AppError, DunningFault, Fault, Thing};

/// A customer's dunning settings.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerDunning {
    /// A policy code; absent or null: the company default.
    pub policy: Option<String>,
    pub enabled: bool,
}

/// A customer's comment (seed 002), shown on its dunning letters.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerComment {
    /// At most 2,000 characters; empty clears it.
    pub comment: String,
}

/// The longest comment accepted.
pub const COMMENT_MAX_CHARS: usize = 2_000;

/// Blocks installments from dunning (or unblocks them with `reason` null).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub installment_ids: Vec<i64>,
    /// `dispute`, `promise`, `legal` or `other`; null to unblock.
    pub reason: Option<String>,
    /// YYYY-MM-DD: the first day it may be dunned again; absent: until unblocked.
    pub until: Option<String>,
    #[serde(default)]
    pub note: String,
}

fn check_policy(p: &view::PolicyInput) -> Result<(), AppError> {
    let code_ok = !p.code.is_empty() && p.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !code_ok {
        return Err(AppError::invalid_said("code", DunningFault::CodeChars { code: p.code.clone() }));
    }
    plain_text("name", &p.name)?;
    if p.levels.is_empty() {
        return Err(AppError::invalid_said("levels", DunningFault::NoLevel));
    }
    for (field, v) in [("min_amount", p.min_amount), ("interest_min", p.interest_min), ("payment_days", p.payment_days)]
    {
        if v < 0 {
            return Err(AppError::invalid_said(field, Fault::Negative { value: v }));
        }
    }
    for (i, l) in p.levels.iter().enumerate() {
        let f = |name: &str| format!("levels[{i}].{name}");
        if l.level != i as i64 + 1 {
            return Err(AppError::invalid_said(
                f("level"),
                DunningFault::LevelOutOfOrder { found: l.level, position: i + 1 },
            ));
        }
        if !(0..=3650).contains(&l.delay_days) {
            return Err(AppError::invalid_said(
                f("delay_days"),
                DunningFault::DaysOutOfRange { days: l.delay_days, max: 3650 },
            ));
        }
        for (name, v) in
            [("min_amount", l.min_amount), ("fee_amount", l.fee_amount), ("fee_min", l.fee_min), ("fee_max", l.fee_max)]
        {
            if v < 0 {
                return Err(AppError::invalid_said(f(name), Fault::Negative { value: v }));
            }
        }
        match l.fee_kind {
            FeeKind::None | FeeKind::Fixed => {}
            FeeKind::Percent => {
                let pct = Decimal::parse(&l.fee_percent).map_err(|e| AppError::invalid_said(f("fee_percent"), e))?;
                if pct.is_negative() || pct > Decimal::from_int(100) {
                    return Err(AppError::invalid_said(
                        f("fee_percent"),
                        DunningFault::PercentNotBetween { text: l.fee_percent.clone() },
                    ));
                }
                if l.fee_max != 0 && l.fee_max < l.fee_min {
                    return Err(AppError::invalid_said(f("fee_max"), DunningFault::FeeMaxBelowMin));
                }
            }
        }
        if creance_core::dunning::LetterChannel::parse(&l.channel).is_none() {
            return Err(AppError::invalid_said(
                f("channel"),
                Fault::NotEither { text: l.channel.clone(), words: &["email", "letter"] },
            ));
        }
    }
    for (i, t) in p.texts.iter().enumerate() {
        let f = |name: &str| format!("texts[{i}].{name}");
        if !p.levels.iter().any(|l| l.level == t.level) {
            return Err(AppError::invalid_said(f("level"), DunningFault::NoTextLevel { level: t.level }));
        }
        if !creance_core::dunning::TEXT_LANGUAGES.contains(&t.language.as_str()) {
            return Err(AppError::invalid_said(
                f("language"),
                DunningFault::NotATextLanguage { text: t.language.clone() },
            ));
        }
        for (name, v) in [("subject", &t.subject), ("opening", &t.opening), ("closing", &t.closing)] {
            plain_text(&f(name), v)?;
            check_placeholders(v).map_err(|e| AppError::invalid_said(f(name), e))?;
        }
    }
    Ok(())
}

fn check_rates(rates: &[RateRow]) -> Result<(), AppError> {
    for (i, r) in rates.iter().enumerate() {
        for (name, v) in [("reference_percent", &r.reference_percent), ("margin_percent", &r.margin_percent)] {
            let d = Decimal::parse(v).map_err(|e| AppError::invalid_said(format!("rates[{i}].{name}"), e))?;
            if d > Decimal::from_int(100) || d < Decimal::from_int(-100) {
                return Err(AppError::invalid_said(
                    format!("rates[{i}].{name}"),
                    DunningFault::NotAYearlyPercentage { text: v.to_string() },
                ));
            }
        }
    }
    Ok(())
}

impl App {
    pub async fn dunning_policies(&self, company_id: i64) -> Result<Vec<view::Policy>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(store::policies(&mut tx, company_id).await?.into_iter().map(Into::into).collect())
    }

    /// Creates or replaces (by code) a policy. Issued letters keep what they printed.
    pub async fn save_dunning_policy(
        &self,
        actor: &Actor,
        company_id: i64,
        p: &view::PolicyInput,
    ) -> Result<view::Policy, AppError> {
        check_policy(p)?;
        let p = &PolicyInput::try_from(p.clone())?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        if let Some(t) = p.interest_table_id {
            if !store::interest_tables(&mut tx, company_id).await?.iter().any(|x| x.id == t) {
                return Err(AppError::invalid_said(
                    "interest_table_id",
                    Fault::NoSuch { thing: Thing::InterestTable, key: t.to_string() },
                ));
            }
        }
        let before = store::policies(&mut tx, company_id).await?.into_iter().find(|x| x.code == p.code);
        let id = store::save_policy(&mut tx, company_id, p).await?;
        let after = store::policies(&mut tx, company_id).await?.into_iter().find(|x| x.id == id);
        let json = |p: &Option<Policy>| p.clone().and_then(|p| serde_json::to_string(&view::Policy::from(p)).ok());
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "dunning.policy", "dunning_policy", Some(id))
                .summary(format!("policy {} {}", p.code, if before.is_some() { "changed" } else { "created" }))
                .change(json(&before), json(&after)),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        after.map(Into::into).ok_or_else(|| AppError::Internal(anyhow::anyhow!("policy not saved")))
    }

    pub async fn set_default_dunning_policy(
        &self,
        actor: &Actor,
        company_id: i64,
        code: &str,
    ) -> Result<view::Policy, AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        let p = store::policies(&mut tx, company_id)
            .await?
            .into_iter()
            .find(|p| p.code == code)
            .ok_or_else(|| AppError::invalid_said("policy", DunningFault::NoPolicy { code: code.to_string() }))?;
        store::set_company_default(&mut tx, company_id, p.id).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "dunning.default_policy", "dunning_policy", Some(p.id))
                .summary(format!("policy {code} is the company default")),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(Policy { is_default: true, ..p }.into())
    }

    /// Sets a customer's policy override and dunning flag.
    pub async fn set_customer_dunning(
        &self,
        actor: &Actor,
        company_id: i64,
        customer_id: i64,
        s: &CustomerDunning,
    ) -> Result<(), AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        let policy_id = match &s.policy {
            None => None,
            Some(code) => Some(
                store::policies(&mut tx, company_id)
                    .await?
                    .into_iter()
                    .find(|p| &p.code == code)
                    .ok_or_else(|| AppError::invalid_said("policy", DunningFault::NoPolicy { code: code.to_string() }))?
                    .id,
            ),
        };
        let before = store::customer_settings(&mut tx, company_id, customer_id)
            .await?
            .ok_or(AppError::NotFound { entity: "customer", key: customer_id.to_string() })?;
        store::set_customer(&mut tx, company_id, customer_id, policy_id, s.enabled).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "dunning.customer", "customer", Some(customer_id))
                .summary(format!(
                    "dunning {} , policy {}",
                    if s.enabled { "enabled" } else { "disabled" },
                    s.policy.as_deref().unwrap_or("(company default)")
                ))
                .change(Some(format!("{before:?}")), Some(format!("({policy_id:?}, {})", s.enabled))),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }

    /// Sets a customer's comment (shown on the letters it receives as payer).
    pub async fn set_customer_comment(
        &self,
        actor: &Actor,
        company_id: i64,
        customer_id: i64,
        comment: &str,
    ) -> Result<(), AppError> {
        plain_text("comment", comment)?;
        let comment = comment.trim();
        let n = comment.chars().count();
        if n > COMMENT_MAX_CHARS {
            return Err(AppError::invalid_said(
                "comment",
                DunningFault::CommentTooLong { chars: n, max: COMMENT_MAX_CHARS },
            ));
        }
        let mut tx = self.db.begin_write(actor.at()).await?;
        let before = creance_store::customers::get(&mut tx, company_id, customer_id)
            .await?
            .ok_or(AppError::NotFound { entity: "customer", key: customer_id.to_string() })?;
        store::set_customer_comment(&mut tx, company_id, customer_id, comment).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "customer.comment", "customer", Some(customer_id))
                .summary(format!("comment of {} edited", before.fields.number))
                .change(Some(before.fields.comment.clone()), Some(comment.to_string())),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }

    /// Blocks installments from dunning with a reason and an optional end date, or unblocks them.
    pub async fn block_installments(&self, actor: &Actor, company_id: i64, b: &Block) -> Result<u64, AppError> {
        if b.installment_ids.is_empty() {
            return Err(AppError::invalid_said("installment_ids", DunningFault::InstallmentsMissing));
        }
        let until = crate::query_args::date("until", &b.until)?;
        plain_text("note", &b.note)?;
        let reason = match &b.reason {
            None => None,
            Some(r) => Some(BlockReason::parse(r).ok_or_else(|| {
                AppError::invalid_said("reason", Fault::NotOneOf { text: r.clone(), known: BlockReason::words() })
            })?),
        };
        let mut tx = self.db.begin_write(actor.at()).await?;
        // One query finds the ids that are not this company's installments; nothing is written then.
        if let Some(missing) = store::missing_installments(&mut tx, company_id, &b.installment_ids).await?.first() {
            let i = b.installment_ids.iter().position(|id| id == missing).unwrap_or(0);
            return Err(AppError::invalid_said(
                format!("installment_ids[{i}]"),
                Fault::NoSuch { thing: Thing::Installment, key: missing.to_string() },
            ));
        }
        let until = if reason.is_none() { None } else { until };
        let n = store::set_block(&mut tx, company_id, &b.installment_ids, reason, until, b.note.trim()).await?;
        let what = match reason {
            None => "unblocked".to_string(),
            Some(reason) => format!("blocked: {reason}{}", until.map(|d| format!(" until {d}")).unwrap_or_default()),
        };
        let ids: Vec<String> = b.installment_ids.iter().map(i64::to_string).collect();
        audit::record(
            &mut tx,
            &AuditEvent::new(
                company_id,
                actor.as_str(),
                "dunning.block",
                "installment",
                b.installment_ids.first().copied(),
            )
            .summary(format!("{n} installment(s) {what}: {}", ids.join(", "))),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(n)
    }

    pub async fn interest_tables(&self, company_id: i64) -> Result<Vec<view::InterestTable>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(store::interest_tables(&mut tx, company_id).await?.into_iter().map(Into::into).collect())
    }

    /// Creates a rate table.
    pub async fn create_interest_table(
        &self,
        actor: &Actor,
        company_id: i64,
        t: &view::InterestTableInput,
    ) -> Result<view::InterestTable, AppError> {
        if t.code.is_empty() || !t.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(AppError::invalid_said("code", DunningFault::CodeChars { code: t.code.clone() }));
        }
        plain_text("name", &t.name)?;
        if !(0..=365).contains(&t.grace_days) {
            return Err(AppError::invalid_said(
                "grace_days",
                DunningFault::DaysOutOfRange { days: t.grace_days, max: 365 },
            ));
        }
        if t.indemnity < 0 {
            return Err(AppError::invalid_said("indemnity", DunningFault::IndemnityNegative));
        }
        creance_core::Currency::parse(&t.indemnity_currency)
            .map_err(|e| AppError::invalid_said("indemnity_currency", e))?;
        if t.rates.is_empty() {
            return Err(AppError::invalid_said("rates", DunningFault::RatesMissing));
        }
        let t = &InterestTableInput::try_from(t.clone())?;
        check_rates(&t.rates)?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        if store::interest_tables(&mut tx, company_id).await?.iter().any(|x| x.code == t.code) {
            return Err(DunningSettingsRejection::InterestTableExists { code: t.code.clone() }.into());
        }
        let id = store::insert_interest_table(&mut tx, company_id, t).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "dunning.interest_table", "interest_table", Some(id))
                .summary(format!("interest table {} created with {} rate period(s)", t.code, t.rates.len())),
        )
        .await?;
        let out = store::interest_tables(&mut tx, company_id).await?.into_iter().find(|x| x.id == id);
        tx.commit().await.map_err(anyhow::Error::from)?;
        out.map(Into::into).ok_or_else(|| AppError::Internal(anyhow::anyhow!("table not saved")))
    }

    /// Creates a table from a preset (`fr_b2b`, `de_b2b`, `ch`, `eu_directive`), under the preset's code.
    pub async fn create_interest_preset(
        &self,
        actor: &Actor,
        company_id: i64,
        code: &str,
    ) -> Result<view::InterestTable, AppError> {
        let presets = creance_core::interest::presets();
        let p = presets.iter().find(|p| p.code == code).ok_or_else(|| {
            let known: Vec<&str> = presets.iter().map(|p| p.code).collect();
            AppError::invalid_said(
                "preset",
                DunningFault::NoPreset { code: code.to_string(), known: known.iter().map(|k| k.to_string()).collect() },
            )
        })?;
        let rates = p
            .periods
            .iter()
            .map(|(from, reference)| {
                Ok(view::RateRow {
                    from: Date::parse(from).map_err(|e| anyhow::anyhow!("preset date {from}: {e}"))?,
                    reference_percent: (*reference).to_string(),
                    margin_percent: p.margin.to_string(),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let input = view::InterestTableInput {
            code: p.code.to_string(),
            name: p.name.to_string(),
            reference_name: p.reference_name.to_string(),
            day_count: DayCount::Actual365,
            grace_days: 0,
            indemnity: p.indemnity_eur_cents,
            indemnity_currency: "EUR".into(),
            rates,
        };
        self.create_interest_table(actor, company_id, &input).await
    }

    /// Adds (or replaces, for the same start date) rate periods of a table, e.g. the next half-year's
    /// reference rate.
    pub async fn add_interest_rates(
        &self,
        actor: &Actor,
        company_id: i64,
        table_id: i64,
        rates: &[view::RateRow],
    ) -> Result<view::InterestTable, AppError> {
        let rates: &[RateRow] = &rates.iter().cloned().map(RateRow::from).collect::<Vec<_>>();
        if rates.is_empty() {
            return Err(AppError::invalid_said("rates", DunningFault::RatesMissing));
        }
        check_rates(rates)?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        let table = store::interest_tables(&mut tx, company_id)
            .await?
            .into_iter()
            .find(|t| t.id == table_id)
            .ok_or(AppError::NotFound { entity: "interest table", key: table_id.to_string() })?;
        store::upsert_rates(&mut tx, company_id, table_id, rates).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "dunning.interest_rates", "interest_table", Some(table_id))
                .summary(format!("{} rate period(s) set in {}", rates.len(), table.code)),
        )
        .await?;
        let out = store::interest_tables(&mut tx, company_id).await?.into_iter().find(|x| x.id == table_id);
        tx.commit().await.map_err(anyhow::Error::from)?;
        out.map(Into::into).ok_or_else(|| AppError::Internal(anyhow::anyhow!("table vanished")))
    }
}
