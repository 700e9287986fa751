//! Dunning policies as the API and the CLI write and show them (SPEC §4.6): every amount (minimums,
//! fixed fees, fee bounds, the interest minimum) is a decimal string in the policy's currency, like
//! every other amount of the API, read exactly ([`AmountText`], an exact JSON number is accepted too)
//! and within the input limit. Stored and computed as minor units ([`PolicyInput`], [`Policy`]).
//! Late-interest tables likewise: their fixed indemnity is a decimal string in its currency.

use creance_core::dunning::FeeKind;
use creance_core::interest::DayCount;
use creance_core::{AmountText, Currency, Money};
use serde::{Deserialize, Serialize};

use crate::views::dunning::{InterestTable, InterestTableInput, LevelText, Policy, PolicyInput, PolicyLevel, RateRow};
use crate::AppError;

/// One level of a policy as written; amounts in the policy's currency (`"5.00"`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelDoc {
    pub level: i64,
    /// Level 1: days after the due date; level k ≥ 2: days after the level k−1 letter.
    pub delay_days: i64,
    /// A letter at this level needs at least this overdue total; absent: none.
    #[schema(value_type = Option<crate::views::schema::AmountInputSchema>, example = "50.00")]
    #[serde(default)]
    pub min_amount: Option<AmountText>,
    /// `none`, `fixed` or `percent`.
    #[serde(default)]
    pub fee_kind: Option<String>,
    /// The fixed fee.
    #[schema(value_type = Option<crate::views::schema::AmountInputSchema>, example = "5.00")]
    #[serde(default)]
    pub fee_amount: Option<AmountText>,
    /// Percent of the overdue total (percent fee), e.g. `"1.5"`.
    #[serde(default)]
    pub fee_percent: Option<String>,
    /// The least percent fee.
    #[schema(value_type = Option<crate::views::schema::AmountInputSchema>)]
    #[serde(default)]
    pub fee_min: Option<AmountText>,
    /// The largest percent fee; absent or null: no maximum.
    #[schema(value_type = Option<crate::views::schema::AmountInputSchema>)]
    #[serde(default)]
    pub fee_max: Option<AmountText>,
    #[serde(default)]
    pub interest: bool,
    #[serde(default)]
    pub indemnity: bool,
    /// `email` or `letter` (the default).
    #[serde(default)]
    pub channel: Option<String>,
}

/// A policy as written (`POST /api/v1/dunning/policies`, `creance dunning policy save --file`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyDoc {
    pub code: String,
    pub name: String,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    /// Payers whose balance due is lower are left out; absent: none.
    #[schema(value_type = Option<crate::views::schema::AmountInputSchema>, example = "10.00")]
    #[serde(default)]
    pub min_amount: Option<AmountText>,
    #[serde(default)]
    pub list_not_due: bool,
    #[serde(default)]
    pub allow_skip: bool,
    #[serde(default)]
    pub repeat_last: bool,
    /// Days given to pay after the letter; 10 when absent.
    #[serde(default)]
    pub payment_days: Option<i64>,
    #[serde(default)]
    pub interest_table_id: Option<i64>,
    /// Late interest below this, per letter, is not charged; absent: none.
    #[schema(value_type = Option<crate::views::schema::AmountInputSchema>, example = "1.00")]
    #[serde(default)]
    pub interest_min: Option<AmountText>,
    pub levels: Vec<LevelDoc>,
    /// Texts per level and language; a level without texts gets the defaults.
    #[serde(default)]
    pub texts: Vec<LevelText>,
}

/// `text` as minor units of `currency`, at least zero and within the input limit; `None` is zero.
fn minor(field: &str, text: &Option<AmountText>, currency: Currency) -> Result<i64, AppError> {
    let Some(text) = text else { return Ok(0) };
    let m = Money::parse_input(text, currency).map_err(|e| AppError::invalid_said(field, e))?;
    if m.is_negative() {
        return Err(AppError::invalid_said(field, crate::Fault::AmountNegative { text: text.as_str().to_string() }));
    }
    Ok(m.minor())
}

impl PolicyDoc {
    /// The policy in minor units, each bad amount refused naming its field (`levels[1].fee_amount`).
    pub fn to_input(&self) -> Result<PolicyInput, AppError> {
        let cur = self.currency;
        let mut levels = Vec::with_capacity(self.levels.len());
        for (i, l) in self.levels.iter().enumerate() {
            let f = |name: &str| format!("levels[{i}].{name}");
            let plain = PolicyLevel::plain(l.level, l.delay_days);
            levels.push(PolicyLevel {
                min_amount: minor(&f("min_amount"), &l.min_amount, cur)?,
                fee_kind: match l.fee_kind.as_deref() {
                    None => plain.fee_kind,
                    Some(k) => FeeKind::parse(k).ok_or_else(|| {
                        AppError::invalid_said(
                            f("fee_kind"),
                            crate::Fault::NotEither { text: k.to_string(), words: &["none", "fixed", "percent"] },
                        )
                    })?,
                },
                fee_amount: minor(&f("fee_amount"), &l.fee_amount, cur)?,
                fee_percent: l.fee_percent.clone().unwrap_or(plain.fee_percent.clone()),
                fee_min: minor(&f("fee_min"), &l.fee_min, cur)?,
                // 0 is stored for "no maximum".
                fee_max: minor(&f("fee_max"), &l.fee_max, cur)?,
                interest: l.interest,
                indemnity: l.indemnity,
                channel: l.channel.clone().unwrap_or(plain.channel.clone()),
                ..plain
            });
        }
        Ok(PolicyInput {
            code: self.code.clone(),
            name: self.name.clone(),
            currency: cur,
            min_amount: minor("min_amount", &self.min_amount, cur)?,
            list_not_due: self.list_not_due,
            allow_skip: self.allow_skip,
            repeat_last: self.repeat_last,
            payment_days: self.payment_days.unwrap_or(10),
            interest_table_id: self.interest_table_id,
            interest_min: minor("interest_min", &self.interest_min, cur)?,
            levels,
            texts: self.texts.clone(),
        })
    }
}

/// One level of a policy as shown; amounts as decimal strings in the policy's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LevelView {
    pub level: i64,
    pub delay_days: i64,
    pub min_amount: String,
    pub fee_kind: String,
    pub fee_amount: String,
    pub fee_percent: String,
    pub fee_min: String,
    /// Absent (null): no maximum.
    pub fee_max: Option<String>,
    pub interest: bool,
    pub indemnity: bool,
    pub channel: String,
}

/// A stored policy as shown (`GET /api/v1/dunning/policies`, `--json`); its levels, amounts and texts
/// can be saved back as a [`PolicyDoc`] once `id` and `is_default` are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PolicyView {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    #[schema(example = "10.00")]
    pub min_amount: String,
    pub list_not_due: bool,
    pub allow_skip: bool,
    pub repeat_last: bool,
    pub payment_days: i64,
    pub interest_table_id: Option<i64>,
    pub interest_min: String,
    pub is_default: bool,
    pub levels: Vec<LevelView>,
    pub texts: Vec<LevelText>,
}

impl From<&Policy> for PolicyView {
    fn from(p: &Policy) -> PolicyView {
        let amount = |minor: i64| Money::new(minor, p.currency).format_amount();
        PolicyView {
            id: p.id,
            code: p.code.clone(),
            name: p.name.clone(),
            currency: p.currency,
            min_amount: amount(p.min_amount),
            list_not_due: p.list_not_due,
            allow_skip: p.allow_skip,
            repeat_last: p.repeat_last,
            payment_days: p.payment_days,
            interest_table_id: p.interest_table_id,
            interest_min: amount(p.interest_min),
            is_default: p.is_default,
            levels: p
                .levels
                .iter()
                .map(|l| LevelView {
                    level: l.level,
                    delay_days: l.delay_days,
                    min_amount: amount(l.min_amount),
                    fee_kind: l.fee_kind.as_str().to_string(),
                    fee_amount: amount(l.fee_amount),
                    fee_percent: l.fee_percent.clone(),
                    fee_min: amount(l.fee_min),
                    fee_max: (l.fee_max != 0).then(|| amount(l.fee_max)),
                    interest: l.interest,
                    indemnity: l.indemnity,
                    channel: l.channel.clone(),
                })
                .collect(),
            texts: p.texts.clone(),
        }
    }
}

impl crate::App {
    /// Saves a policy written with decimal amounts (see [`PolicyDoc`]); the answer shows it the same way.
    pub async fn save_dunning_policy_doc(
        &self,
        actor: &crate::Actor,
        company_id: i64,
        doc: &PolicyDoc,
    ) -> Result<PolicyView, AppError> {
        let input = doc.to_input()?;
        Ok(PolicyView::from(&self.save_dunning_policy(actor, company_id, &input).await?))
    }
}

/// A late-interest rate table as written (`POST /api/v1/interest-tables`, `interest create --file`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestTableDoc {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub reference_name: String,
    /// `actual_365` (the default) or `actual_360`.
    #[serde(default)]
    pub day_count: Option<String>,
    #[serde(default)]
    pub grace_days: i64,
    /// The fixed indemnity per late invoice, in `indemnity_currency` (`"40.00"`); absent: none.
    #[schema(value_type = Option<crate::views::schema::AmountInputSchema>, example = "40.00")]
    #[serde(default)]
    pub indemnity: Option<AmountText>,
    /// EUR when absent.
    #[serde(default)]
    pub indemnity_currency: Option<String>,
    pub rates: Vec<RateRow>,
}

impl InterestTableDoc {
    /// The table with its indemnity in minor units, a bad amount refused naming `indemnity`.
    pub fn to_input(&self) -> Result<InterestTableInput, AppError> {
        let code = self.indemnity_currency.clone().unwrap_or_else(|| "EUR".to_string());
        let currency = Currency::parse(&code).map_err(|e| AppError::invalid_said("indemnity_currency", e))?;
        Ok(InterestTableInput {
            code: self.code.clone(),
            name: self.name.clone(),
            reference_name: self.reference_name.clone(),
            day_count: match self.day_count.as_deref() {
                None => DayCount::Actual365,
                Some(d) => DayCount::parse(d).ok_or_else(|| {
                    AppError::invalid_said(
                        "day_count",
                        crate::Fault::NotEither { text: d.to_string(), words: &["actual_365", "actual_360"] },
                    )
                })?,
            },
            grace_days: self.grace_days,
            indemnity: minor("indemnity", &self.indemnity, currency)?,
            indemnity_currency: currency.code().to_string(),
            rates: self.rates.clone(),
        })
    }
}

/// A rate table as shown; the indemnity as a decimal string in its currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InterestTableView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub reference_name: String,
    pub day_count: String,
    pub grace_days: i64,
    #[schema(example = "40.00")]
    pub indemnity: String,
    pub indemnity_currency: String,
    pub rates: Vec<RateRow>,
}

impl From<&InterestTable> for InterestTableView {
    fn from(t: &InterestTable) -> InterestTableView {
        let indemnity = Currency::parse(&t.indemnity_currency)
            .map_or_else(|_| t.indemnity.to_string(), |c| Money::new(t.indemnity, c).format_amount());
        InterestTableView {
            id: t.id,
            code: t.code.clone(),
            name: t.name.clone(),
            reference_name: t.reference_name.clone(),
            day_count: t.day_count.as_str().to_string(),
            grace_days: t.grace_days,
            indemnity,
            indemnity_currency: t.indemnity_currency.clone(),
            rates: t.rates.clone(),
        }
    }
}
