//! Dunning policies (SPEC §4.6): levels, texts, the company default, customer settings and blocks.

use creance_core::dunning::{BlockReason, FeeKind, FeeRule, LetterChannel};
use creance_core::{Currency, Date, Decimal, Money};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

use super::words::*;

/// One level of a stored policy. Amounts are in the policy's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyLevel {
    pub level: i64,
    /// Level 1: days after the due date; level k ≥ 2: days after the level k−1 letter.
    pub delay_days: i64,
    /// Minor units: a letter at this level needs at least this overdue total.
    pub min_amount: i64,
    /// `none`, `fixed` or `percent`.
    pub fee_kind: FeeKind,
    /// Minor units (fixed fee).
    pub fee_amount: i64,
    /// Percent of the overdue total (percent fee), e.g. `"1.5"`.
    pub fee_percent: String,
    pub fee_min: i64,
    pub fee_max: i64,
    pub interest: bool,
    pub indemnity: bool,
    /// `email` or `letter`.
    pub channel: LetterChannel,
}

fn none() -> FeeKind {
    FeeKind::None
}
fn zero() -> String {
    "0".into()
}

impl PolicyLevel {
    /// A level with its delay and nothing else: no minimum, no fee, no interest, by letter.
    pub fn plain(level: i64, delay_days: i64) -> PolicyLevel {
        PolicyLevel {
            level,
            delay_days,
            min_amount: 0,
            fee_kind: none(),
            fee_amount: 0,
            fee_percent: zero(),
            fee_min: 0,
            fee_max: 0,
            interest: false,
            indemnity: false,
            channel: LetterChannel::Letter,
        }
    }

    /// The same level with a fixed fee (minor units; 0 for none).
    pub fn with_fixed_fee(self, fee: i64) -> PolicyLevel {
        let fee_kind = if fee > 0 { FeeKind::Fixed } else { FeeKind::None };
        PolicyLevel { fee_kind, fee_amount: fee, ..self }
    }

    /// The core fee rule for this level, in `currency` (the policy's).
    pub fn fee(&self, currency: Currency) -> anyhow::Result<FeeRule> {
        Ok(match self.fee_kind {
            FeeKind::Fixed => FeeRule::Fixed(Money::new(self.fee_amount, currency)),
            FeeKind::Percent => FeeRule::Percent {
                percent: Decimal::parse(&self.fee_percent)
                    .map_err(|e| anyhow::anyhow!("stored fee percent {:?}: {e}", self.fee_percent))?,
                min: Money::new(self.fee_min, currency),
                max: Money::new(if self.fee_max == 0 { i64::MAX } else { self.fee_max }, currency),
            },
            FeeKind::None => FeeRule::None,
        })
    }

    pub fn charges_anything(&self) -> bool {
        self.fee_kind != FeeKind::None || self.interest || self.indemnity
    }
}

/// A level's texts in one language; `{placeholders}` are filled in when the letter is issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelText {
    pub level: i64,
    pub language: String,
    pub subject: String,
    pub opening: String,
    pub closing: String,
}

/// A dunning policy (SPEC §4.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub currency: Currency,
    /// Minor units: payers whose overdue total is lower are left out.
    pub min_amount: i64,
    /// Open items not yet due are listed on letters for information.
    pub list_not_due: bool,
    /// A clerk may force a letter to a level that skips one.
    pub allow_skip: bool,
    /// The last level repeats (every `delay_days` of the last level) instead of stopping.
    pub repeat_last: bool,
    /// Days given to pay after the letter (its payment deadline).
    pub payment_days: i64,
    pub interest_table_id: Option<i64>,
    /// Minor units: late interest below this, per letter, is not charged.
    pub interest_min: i64,
    /// The company's default policy.
    pub is_default: bool,
    pub levels: Vec<PolicyLevel>,
    pub texts: Vec<LevelText>,
}

impl Policy {
    pub fn level(&self, n: i64) -> Option<&PolicyLevel> {
        self.levels.iter().find(|l| l.level == n)
    }

    pub fn max_level(&self) -> i64 {
        self.levels.iter().map(|l| l.level).max().unwrap_or(0)
    }

    /// The texts of a level in a language, falling back to English, then to any.
    pub fn text(&self, level: i64, language: &str) -> Option<&LevelText> {
        let of_level = || self.texts.iter().filter(move |t| t.level == level);
        of_level()
            .find(|t| t.language == language)
            .or_else(|| of_level().find(|t| t.language == "en"))
            .or_else(|| of_level().next())
    }
}

/// A policy as written (create or replace by code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInput {
    pub code: String,
    pub name: String,
    pub currency: Currency,
    pub min_amount: i64,
    pub list_not_due: bool,
    pub allow_skip: bool,
    pub repeat_last: bool,
    pub payment_days: i64,
    pub interest_table_id: Option<i64>,
    pub interest_min: i64,
    pub levels: Vec<PolicyLevel>,
    /// Texts per level and language; a level without texts gets the defaults.
    pub texts: Vec<LevelText>,
}

/// The policy every company starts with (SPEC §4.6): 3 levels, the day after the due date, then 15
/// days after each letter, no fee, by letter, with French, English and German texts.
pub fn default_policy_input(currency: Currency) -> PolicyInput {
    let levels = creance_core::dunning::default_levels()
        .into_iter()
        .map(|l| PolicyLevel::plain(l.number, l.delay_days))
        .collect();
    PolicyInput {
        code: "default".into(),
        name: "Standard: 3 levels (day after due date, +15 days, +15 days)".into(),
        currency,
        min_amount: 0,
        list_not_due: false,
        allow_skip: false,
        repeat_last: false,
        payment_days: 10,
        interest_table_id: None,
        interest_min: 0,
        levels,
        texts: Vec::new(),
    }
}

/// Inserts or replaces (by code) a policy with its levels and texts; levels without texts get the
/// default texts. The caller has validated the input. Returns the id.
pub async fn save_policy(tx: &mut Tx, company_id: i64, p: &PolicyInput) -> anyhow::Result<i64> {
    let now = tx.at()?;
    let existing = Sql::new("SELECT id FROM dunning_policies WHERE company_id = ")
        .bind(company_id)
        .push(" AND code = ")
        .bind(p.code.as_str())
        .fetch_optional(tx)
        .await?;
    let flags = |b: bool| Value::Int(i64::from(b));
    let id = match existing {
        Some(r) => {
            let id = row::int(&r, "id")?;
            Sql::new("UPDATE dunning_policies SET name = ")
                .bind(p.name.as_str())
                .push(", currency = ")
                .bind(p.currency.code())
                .push(", min_amount = ")
                .bind(p.min_amount)
                .push(", list_not_due = ")
                .bind(flags(p.list_not_due))
                .push(", allow_skip = ")
                .bind(flags(p.allow_skip))
                .push(", repeat_last = ")
                .bind(flags(p.repeat_last))
                .push(", payment_days = ")
                .bind(p.payment_days)
                .push(", interest_table_id = ")
                .bind(p.interest_table_id)
                .push(", interest_min = ")
                .bind(p.interest_min)
                .push(", updated_at = ")
                .bind(now.as_str())
                .push(" WHERE id = ")
                .bind(id)
                .execute(tx)
                .await?;
            for table in ["dunning_levels", "dunning_texts"] {
                Sql::new(&format!("DELETE FROM {table} WHERE company_id = "))
                    .bind(company_id)
                    .push(" AND policy_id = ")
                    .bind(id)
                    .execute(tx)
                    .await?;
            }
            id
        }
        None => {
            let mut sql = Sql::new(
                "INSERT INTO dunning_policies (company_id, code, name, currency, min_amount, list_not_due, allow_skip, \
                 repeat_last, payment_days, interest_table_id, interest_min, created_at, updated_at) VALUES ",
            );
            sql.bind_tuple([
                company_id.into(),
                p.code.as_str().into(),
                p.name.as_str().into(),
                p.currency.code().into(),
                p.min_amount.into(),
                flags(p.list_not_due),
                flags(p.allow_skip),
                flags(p.repeat_last),
                p.payment_days.into(),
                p.interest_table_id.into(),
                p.interest_min.into(),
                now.as_str().into(),
                now.as_str().into(),
            ]);
            row::int(&sql.push(" RETURNING id").fetch_one(tx).await?, "id")?
        }
    };
    let mut sql = Sql::new(
        "INSERT INTO dunning_levels (company_id, policy_id, level, delay_days, min_amount, fee_kind, fee_amount, \
         fee_percent, fee_min, fee_max, interest, indemnity, channel) VALUES ",
    );
    for (i, l) in p.levels.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind_tuple([
            company_id.into(),
            id.into(),
            l.level.into(),
            l.delay_days.into(),
            l.min_amount.into(),
            l.fee_kind.as_str().into(),
            l.fee_amount.into(),
            l.fee_percent.as_str().into(),
            l.fee_min.into(),
            l.fee_max.into(),
            flags(l.interest),
            flags(l.indemnity),
            l.channel.as_str().into(),
        ]);
    }
    sql.execute(tx).await?;
    let mut texts: Vec<LevelText> = p.texts.clone();
    for l in &p.levels {
        for lang in creance_core::dunning::TEXT_LANGUAGES {
            if !texts.iter().any(|t| t.level == l.level && t.language == *lang) {
                let (subject, opening, closing) = creance_core::dunning::default_text(l.level, lang);
                texts.push(LevelText {
                    level: l.level,
                    language: (*lang).to_string(),
                    subject: subject.into(),
                    opening: opening.into(),
                    closing: closing.into(),
                });
            }
        }
    }
    let mut sql = Sql::new(
        "INSERT INTO dunning_texts (company_id, policy_id, level, language, subject, opening, closing) VALUES ",
    );
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind_tuple([
            company_id.into(),
            id.into(),
            t.level.into(),
            t.language.as_str().into(),
            t.subject.as_str().into(),
            t.opening.as_str().into(),
            t.closing.as_str().into(),
        ]);
    }
    sql.execute(tx).await?;
    Ok(id)
}

/// Gives a company the default policy (and makes it its default) unless it has one.
pub async fn ensure_default_policy(tx: &mut Tx, company_id: i64) -> anyhow::Result<()> {
    let r = Sql::new("SELECT dunning_policy_id, base_currency FROM companies WHERE id = ")
        .bind(company_id)
        .fetch_one(tx)
        .await?;
    if row::opt_int(&r, "dunning_policy_id")?.is_some() {
        return Ok(());
    }
    let currency = row::currency(&r, "base_currency")?;
    let id = save_policy(tx, company_id, &default_policy_input(currency)).await?;
    set_company_default(tx, company_id, id).await
}

pub async fn set_company_default(tx: &mut Tx, company_id: i64, policy_id: i64) -> anyhow::Result<()> {
    Sql::new("UPDATE companies SET dunning_policy_id = ")
        .bind(policy_id)
        .push(" WHERE id = ")
        .bind(company_id)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn company_default(tx: &mut Tx, company_id: i64) -> anyhow::Result<i64> {
    let r = Sql::new("SELECT dunning_policy_id FROM companies WHERE id = ").bind(company_id).fetch_one(tx).await?;
    row::opt_int(&r, "dunning_policy_id")?.ok_or_else(|| anyhow::anyhow!("company {company_id} has no dunning policy"))
}

/// Every policy of the company, complete.
pub async fn policies(tx: &mut Tx, company_id: i64) -> anyhow::Result<Vec<Policy>> {
    let default = company_default(tx, company_id).await.ok();
    let rows = Sql::new(
        "SELECT id, code, name, currency, min_amount, list_not_due, allow_skip, repeat_last, payment_days, \
         interest_table_id, interest_min FROM dunning_policies WHERE company_id = ",
    )
    .bind(company_id)
    .push(" ORDER BY code")
    .fetch_all(tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id = row::int(r, "id")?;
        out.push(Policy {
            id,
            code: row::text(r, "code")?,
            name: row::text(r, "name")?,
            currency: row::currency(r, "currency")?,
            min_amount: row::int(r, "min_amount")?,
            list_not_due: row::flag(r, "list_not_due")?,
            allow_skip: row::flag(r, "allow_skip")?,
            repeat_last: row::flag(r, "repeat_last")?,
            payment_days: row::int(r, "payment_days")?,
            interest_table_id: row::opt_int(r, "interest_table_id")?,
            interest_min: row::int(r, "interest_min")?,
            is_default: default == Some(id),
            levels: Vec::new(),
            texts: Vec::new(),
        });
    }
    let levels = Sql::new(
        "SELECT policy_id, level, delay_days, min_amount, fee_kind, fee_amount, fee_percent, fee_min, fee_max, \
         interest, indemnity, channel FROM dunning_levels WHERE company_id = ",
    )
    .bind(company_id)
    .push(" ORDER BY policy_id, level")
    .fetch_all(tx)
    .await?;
    for r in &levels {
        let pid = row::int(r, "policy_id")?;
        if let Some(p) = out.iter_mut().find(|p| p.id == pid) {
            p.levels.push(PolicyLevel {
                level: row::int(r, "level")?,
                delay_days: row::int(r, "delay_days")?,
                min_amount: row::int(r, "min_amount")?,
                fee_kind: word(r, "dunning_levels", "fee_kind", FeeKind::parse)?,
                fee_amount: row::int(r, "fee_amount")?,
                fee_percent: row::text(r, "fee_percent")?,
                fee_min: row::int(r, "fee_min")?,
                fee_max: row::int(r, "fee_max")?,
                interest: row::flag(r, "interest")?,
                indemnity: row::flag(r, "indemnity")?,
                channel: word(r, "dunning_levels", "channel", LetterChannel::parse)?,
            });
        }
    }
    let texts =
        Sql::new("SELECT policy_id, level, language, subject, opening, closing FROM dunning_texts WHERE company_id = ")
            .bind(company_id)
            .push(" ORDER BY policy_id, level, language")
            .fetch_all(tx)
            .await?;
    for r in &texts {
        let pid = row::int(r, "policy_id")?;
        if let Some(p) = out.iter_mut().find(|p| p.id == pid) {
            p.texts.push(LevelText {
                level: row::int(r, "level")?,
                language: row::text(r, "language")?,
                subject: row::text(r, "subject")?,
                opening: row::text(r, "opening")?,
                closing: row::text(r, "closing")?,
            });
        }
    }
    Ok(out)
}

/// A customer's own dunning settings.
pub async fn set_customer(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    policy_id: Option<i64>,
    enabled: bool,
) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE customers SET dunning_policy_id = ")
        .bind(policy_id)
        .push(", dunning_enabled = ")
        .bind(i64::from(enabled))
        .push(", updated_at = ")
        .bind(tx.at()?)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(customer_id)
        .execute(tx)
        .await?;
    Ok(n == 1)
}

/// Sets a customer's comment (shown on its dunning letters).
pub async fn set_customer_comment(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    comment: &str,
) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE customers SET comment = ")
        .bind(comment)
        .push(", updated_at = ")
        .bind(tx.at()?)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(customer_id)
        .execute(tx)
        .await?;
    Ok(n == 1)
}

/// A customer's dunning settings as stored: (policy override, enabled).
pub async fn customer_settings(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
) -> anyhow::Result<Option<(Option<i64>, bool)>> {
    let r = Sql::new("SELECT dunning_policy_id, dunning_enabled FROM customers WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(customer_id)
        .fetch_optional(tx)
        .await?;
    r.map(|r| Ok((row::opt_int(&r, "dunning_policy_id")?, row::flag(&r, "dunning_enabled")?))).transpose()
}

/// The ids among `ids` that are not installments of the company, in the order given.
pub async fn missing_installments(tx: &mut Tx, company_id: i64, ids: &[i64]) -> anyhow::Result<Vec<i64>> {
    let mut found = std::collections::HashSet::new();
    for chunk in ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new("SELECT id FROM installments WHERE company_id = ");
        sql.bind(company_id).push(" AND id IN ").bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        for r in sql.fetch_all(tx).await? {
            found.insert(row::int(&r, "id")?);
        }
    }
    Ok(ids.iter().copied().filter(|id| !found.contains(id)).collect())
}

/// Blocks (with a reason) or unblocks (`None`) installments; returns how many were found.
pub async fn set_block(
    tx: &mut Tx,
    company_id: i64,
    installment_ids: &[i64],
    reason: Option<BlockReason>,
    until: Option<Date>,
    note: &str,
) -> anyhow::Result<u64> {
    let mut n = 0;
    for chunk in installment_ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new("UPDATE installments SET block_reason = ");
        sql.bind(reason.map_or("", BlockReason::as_str)).push(", block_until = ").bind(until.map(|d| d.to_string()));
        sql.push(", block_note = ").bind(note).push(" WHERE company_id = ").bind(company_id);
        sql.push(" AND id IN ").bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        n += sql.execute(tx).await?;
    }
    Ok(n)
}
