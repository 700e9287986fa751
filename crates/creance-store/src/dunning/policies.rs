//! Dunning policies (SPEC §4.6): levels, texts, the company default, customer settings and blocks.

use creance_core::dunning::{BlockReason, FeeKind, FeeRule, LetterChannel};
use creance_core::{Currency, Date, Decimal, Money};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

use super::words::*;

/// One level of a stored policy. Amounts are in the policy's currency (`dunning_levels` has no currency
/// column: the levels take it from their policy when they are loaded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyLevel {
    pub level: i64,
    /// Level 1: days after the due date; level k ≥ 2: days after the level k−1 letter.
    pub delay_days: i64,
    /// A letter at this level needs at least this overdue total.
    pub min_amount: Money,
    /// The level's fee: none, fixed, or a percentage kept between a minimum and a maximum.
    pub fee: FeeRule,
    pub interest: bool,
    pub indemnity: bool,
    /// `email` or `letter`.
    pub channel: LetterChannel,
}

/// A level's fee as its `dunning_levels` columns hold it: the kind, minor units of the policy's
/// currency, the percentage as decimal text, and `max` 0 for no maximum. The amounts a kind does not
/// use are 0 (`percent` "0").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeColumns {
    pub kind: FeeKind,
    pub amount: i64,
    pub percent: String,
    pub min: i64,
    pub max: i64,
}

impl FeeColumns {
    /// The columns of a fee rule.
    pub fn of(fee: &FeeRule) -> FeeColumns {
        let none = FeeColumns { kind: fee.kind(), amount: 0, percent: "0".into(), min: 0, max: 0 };
        match fee {
            FeeRule::None => none,
            FeeRule::Fixed(m) => FeeColumns { amount: m.minor(), ..none },
            FeeRule::Percent { percent, min, max } => FeeColumns {
                percent: percent.to_string(),
                min: min.minor(),
                max: if max.minor() == i64::MAX { 0 } else { max.minor() },
                ..none
            },
        }
    }

    /// The fee rule these columns hold, in `currency` (the policy's); the amounts the kind does not use
    /// are ignored, a percentage that is not a decimal is an error.
    pub fn rule(&self, currency: Currency) -> anyhow::Result<FeeRule> {
        Ok(match self.kind {
            FeeKind::None => FeeRule::None,
            FeeKind::Fixed => FeeRule::Fixed(Money::new(self.amount, currency)),
            FeeKind::Percent => FeeRule::Percent {
                percent: Decimal::parse(&self.percent)
                    .map_err(|e| anyhow::anyhow!("stored fee percent {:?}: {e}", self.percent))?,
                min: Money::new(self.min, currency),
                max: Money::new(if self.max == 0 { i64::MAX } else { self.max }, currency),
            },
        })
    }
}

impl PolicyLevel {
    /// A level with its delay and nothing else: no minimum, no fee, no interest, by letter.
    pub fn plain(level: i64, delay_days: i64, currency: Currency) -> PolicyLevel {
        PolicyLevel {
            level,
            delay_days,
            min_amount: Money::zero(currency),
            fee: FeeRule::None,
            interest: false,
            indemnity: false,
            channel: LetterChannel::Letter,
        }
    }

    /// The same level with a fixed fee (none unless positive).
    pub fn with_fixed_fee(self, fee: Money) -> PolicyLevel {
        let fee = if fee.is_positive() { FeeRule::Fixed(fee) } else { FeeRule::None };
        PolicyLevel { fee, ..self }
    }

    pub fn charges_anything(&self) -> bool {
        self.fee != FeeRule::None || self.interest || self.indemnity
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
    /// Payers whose overdue total is lower are left out (in the policy's currency).
    pub min_amount: Money,
    /// Open items not yet due are listed on letters for information.
    pub list_not_due: bool,
    /// A clerk may force a letter to a level that skips one.
    pub allow_skip: bool,
    /// The last level repeats (every `delay_days` of the last level) instead of stopping.
    pub repeat_last: bool,
    /// Days given to pay after the letter (its payment deadline).
    pub payment_days: i64,
    pub interest_table_id: Option<i64>,
    /// Late interest below this, per letter, is not charged (in the policy's currency).
    pub interest_min: Money,
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
    /// In `currency`, like every amount of the policy and its levels.
    pub min_amount: Money,
    pub list_not_due: bool,
    pub allow_skip: bool,
    pub repeat_last: bool,
    pub payment_days: i64,
    pub interest_table_id: Option<i64>,
    pub interest_min: Money,
    pub levels: Vec<PolicyLevel>,
    /// Texts per level and language; a level without texts gets the defaults.
    pub texts: Vec<LevelText>,
}

/// The policy every company starts with (SPEC §4.6): 3 levels, the day after the due date, then 15
/// days after each letter, no fee, by letter, with French, English and German texts.
pub fn default_policy_input(currency: Currency) -> PolicyInput {
    let levels = creance_core::dunning::default_levels()
        .into_iter()
        .map(|l| PolicyLevel::plain(l.number, l.delay_days, currency))
        .collect();
    PolicyInput {
        code: "default".into(),
        name: "Standard: 3 levels (day after due date, +15 days, +15 days)".into(),
        currency,
        min_amount: Money::zero(currency),
        list_not_due: false,
        allow_skip: false,
        repeat_last: false,
        payment_days: 10,
        interest_table_id: None,
        interest_min: Money::zero(currency),
        levels,
        texts: Vec::new(),
    }
}

/// The minor units of one of the policy's amounts; an amount in another currency than the policy's is
/// a programmer error (the columns hold minor units of the policy's currency).
fn in_currency(p: &PolicyInput, what: &str, m: Money) -> anyhow::Result<i64> {
    anyhow::ensure!(
        m.currency() == p.currency,
        "policy {}: {what} is in {}, the policy in {}",
        p.code,
        m.currency().code(),
        p.currency.code()
    );
    Ok(m.minor())
}

/// Inserts or replaces (by code) a policy with its levels and texts; levels without texts get the
/// default texts. The caller has validated the input. Returns the id.
pub async fn save_policy(tx: &mut Tx, company_id: i64, p: &PolicyInput) -> anyhow::Result<i64> {
    let now = tx.at()?;
    let (min_amount, interest_min) =
        (in_currency(p, "min_amount", p.min_amount)?, in_currency(p, "interest_min", p.interest_min)?);
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
                .bind(min_amount)
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
                .bind(interest_min)
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
                min_amount.into(),
                flags(p.list_not_due),
                flags(p.allow_skip),
                flags(p.repeat_last),
                p.payment_days.into(),
                p.interest_table_id.into(),
                interest_min.into(),
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
        let min_amount = in_currency(p, &format!("level {} min_amount", l.level), l.min_amount)?;
        let fee_amounts = match &l.fee {
            FeeRule::None => Vec::new(),
            FeeRule::Fixed(m) => vec![*m],
            FeeRule::Percent { min, max, .. } => vec![*min, *max],
        };
        for m in fee_amounts {
            in_currency(p, &format!("level {} fee", l.level), m)?;
        }
        let fee = FeeColumns::of(&l.fee);
        sql.bind_tuple([
            company_id.into(),
            id.into(),
            l.level.into(),
            l.delay_days.into(),
            min_amount.into(),
            fee.kind.as_str().into(),
            fee.amount.into(),
            fee.percent.as_str().into(),
            fee.min.into(),
            fee.max.into(),
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
        let currency = row::currency(r, "currency")?;
        out.push(Policy {
            id,
            code: row::text(r, "code")?,
            name: row::text(r, "name")?,
            currency,
            min_amount: row::money(r, "min_amount", currency)?,
            list_not_due: row::flag(r, "list_not_due")?,
            allow_skip: row::flag(r, "allow_skip")?,
            repeat_last: row::flag(r, "repeat_last")?,
            payment_days: row::int(r, "payment_days")?,
            interest_table_id: row::opt_int(r, "interest_table_id")?,
            interest_min: row::money(r, "interest_min", currency)?,
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
            let level = row::int(r, "level")?;
            let fee = FeeColumns {
                kind: word(r, "dunning_levels", "fee_kind", FeeKind::parse)?,
                amount: row::int(r, "fee_amount")?,
                percent: row::text(r, "fee_percent")?,
                min: row::int(r, "fee_min")?,
                max: row::int(r, "fee_max")?,
            };
            let fee = fee.rule(p.currency).map_err(|e| e.context(format!("policy {} level {level}", p.code)))?;
            p.levels.push(PolicyLevel {
                level,
                delay_days: row::int(r, "delay_days")?,
                min_amount: row::money(r, "min_amount", p.currency)?,
                fee,
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
    let mut set = Sql::new("dunning_policy_id = ");
    set.bind(policy_id).push(", dunning_enabled = ").bind(i64::from(enabled));
    crate::customers::update_one(tx, company_id, customer_id, set).await
}

/// Sets a customer's comment (shown on its dunning letters).
pub async fn set_customer_comment(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    comment: &str,
) -> anyhow::Result<bool> {
    crate::customers::set_text(tx, company_id, customer_id, crate::customers::CustomerText::Comment, comment).await
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

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    #[test]
    fn a_fee_rule_reads_back_from_the_columns_it_writes() {
        let rules = [
            FeeRule::None,
            FeeRule::Fixed(eur(500)),
            FeeRule::Percent { percent: Decimal::parse("1.5").unwrap(), min: eur(1_000), max: eur(5_000) },
            FeeRule::Percent { percent: Decimal::parse("15").unwrap(), min: eur(0), max: eur(i64::MAX) },
        ];
        for rule in rules {
            assert_eq!(FeeColumns::of(&rule).rule(Currency::EUR).unwrap(), rule);
        }
    }

    #[test]
    fn fee_columns_keep_no_maximum_as_0_and_ignore_what_their_kind_does_not_use() {
        let cols = FeeColumns { kind: FeeKind::Percent, amount: 700, percent: "2".into(), min: 100, max: 0 };
        let rule = cols.rule(Currency::EUR).unwrap();
        assert_eq!(
            rule,
            FeeRule::Percent { percent: Decimal::from_int(2), min: eur(100), max: eur(i64::MAX) },
            "fee_max 0 is no maximum; fee_amount is not a percentage fee's"
        );
        assert_eq!(FeeColumns::of(&rule), FeeColumns { amount: 0, ..cols });
        let fixed = FeeColumns { kind: FeeKind::Fixed, amount: 500, percent: "x".into(), min: 1, max: 2 };
        assert_eq!(fixed.rule(Currency::EUR).unwrap(), FeeRule::Fixed(eur(500)), "a fixed fee ignores the rest");
        let bad = FeeColumns { kind: FeeKind::Percent, percent: "1,5%x".into(), ..fixed };
        assert!(bad.rule(Currency::EUR).is_err());
    }

    #[test]
    fn a_policy_amount_in_another_currency_is_refused_when_written() {
        let mut p = default_policy_input(Currency::EUR);
        assert_eq!(in_currency(&p, "min_amount", eur(100)).unwrap(), 100);
        p.currency = Currency::CHF;
        assert!(in_currency(&p, "min_amount", eur(100)).is_err());
    }
}
