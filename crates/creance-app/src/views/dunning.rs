//! Views of the dunning rows (see `views`): policies and their levels and texts, rate tables, runs,
//! letters, items, their counts, the history, the delivery queue, and the "to generate" and "beyond
//! the last level" lists. Same names, fields and JSON as the store's rows had; statuses and kinds are
//! the core's enums. Inputs (`PolicyInput`, `InterestTableInput` and what they nest) convert to the
//! store's rows, what is read converts from them.

use creance_core::dunning::{
    DeliveryStatus, ExternalChannel, FeeKind, HistorySource, HistoryStatus, ItemKind, ItemStatus, LetterChannel,
    LetterReason, LetterStatus, RunStatus,
};
use creance_core::interest::DayCount;
use creance_core::{Currency, Date, Money};
use creance_store::dunning as store;
use serde::{Deserialize, Serialize};

/// One level of a stored policy. Amounts are in the policy's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyLevel {
    pub level: i64,
    /// Level 1: days after the due date; level k ≥ 2: days after the level k−1 letter.
    pub delay_days: i64,
    /// Minor units: a letter at this level needs at least this overdue total.
    #[serde(default)]
    pub min_amount: i64,
    /// `none`, `fixed` or `percent`.
    #[serde(default = "none")]
    #[schema(value_type = String, example = "none")]
    pub fee_kind: FeeKind,
    /// Minor units (fixed fee).
    #[serde(default)]
    pub fee_amount: i64,
    /// Percent of the overdue total (percent fee), e.g. `"1.5"`.
    #[serde(default = "zero")]
    pub fee_percent: String,
    #[serde(default)]
    pub fee_min: i64,
    #[serde(default)]
    pub fee_max: i64,
    #[serde(default)]
    pub interest: bool,
    #[serde(default)]
    pub indemnity: bool,
    /// `email` or `letter`.
    #[serde(default = "letter")]
    pub channel: String,
}

fn none() -> FeeKind {
    FeeKind::None
}
fn zero() -> String {
    "0".into()
}
fn letter() -> String {
    "letter".into()
}

impl PolicyLevel {
    /// A level with its delay and nothing else (see the store's `PolicyLevel::plain`; zero amounts
    /// read the same in any currency).
    pub fn plain(level: i64, delay_days: i64) -> PolicyLevel {
        store::PolicyLevel::plain(level, delay_days, Currency::EUR).into()
    }

    /// The same level with a fixed fee (minor units; 0 for none).
    pub fn with_fixed_fee(self, fee: i64) -> PolicyLevel {
        let fee_kind = if fee > 0 { FeeKind::Fixed } else { FeeKind::None };
        PolicyLevel { fee_kind, fee_amount: fee, ..self }
    }
}

/// The typed level back in its columns' terms: minor units, the fee's kind and amounts (those its kind
/// does not use are 0), `fee_max` 0 for no maximum.
impl From<store::PolicyLevel> for PolicyLevel {
    fn from(r: store::PolicyLevel) -> PolicyLevel {
        let fee = store::FeeColumns::of(&r.fee);
        PolicyLevel {
            level: r.level,
            delay_days: r.delay_days,
            min_amount: r.min_amount.minor(),
            fee_kind: fee.kind,
            fee_amount: fee.amount,
            fee_percent: fee.percent,
            fee_min: fee.min,
            fee_max: fee.max,
            interest: r.interest,
            indemnity: r.indemnity,
            channel: r.channel.as_str().to_string(),
        }
    }
}

impl PolicyLevel {
    /// The typed level, its amounts in `currency` (the policy's). Fails on a channel that is not a
    /// [`LetterChannel`] word or a percentage that is not a decimal (the use case checks both first,
    /// naming the level).
    fn into_store(self, currency: Currency) -> anyhow::Result<store::PolicyLevel> {
        let r = self;
        let channel = LetterChannel::parse(&r.channel)
            .ok_or_else(|| anyhow::anyhow!("level {}: channel {:?} is not email or letter", r.level, r.channel))?;
        let fee = store::FeeColumns {
            kind: r.fee_kind,
            amount: r.fee_amount,
            percent: r.fee_percent,
            min: r.fee_min,
            max: r.fee_max,
        };
        Ok(store::PolicyLevel {
            level: r.level,
            delay_days: r.delay_days,
            min_amount: Money::new(r.min_amount, currency),
            fee: fee.rule(currency).map_err(|e| e.context(format!("level {}", r.level)))?,
            interest: r.interest,
            indemnity: r.indemnity,
            channel,
        })
    }
}

/// A level's texts in one language; `{placeholders}` are filled in when the letter is issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelText {
    pub level: i64,
    pub language: String,
    pub subject: String,
    pub opening: String,
    pub closing: String,
}

impl From<store::LevelText> for LevelText {
    fn from(r: store::LevelText) -> LevelText {
        LevelText { level: r.level, language: r.language, subject: r.subject, opening: r.opening, closing: r.closing }
    }
}

impl From<LevelText> for store::LevelText {
    fn from(r: LevelText) -> store::LevelText {
        store::LevelText {
            level: r.level,
            language: r.language,
            subject: r.subject,
            opening: r.opening,
            closing: r.closing,
        }
    }
}

/// A dunning policy (SPEC §4.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Policy {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[schema(value_type = String, example = "EUR")]
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

impl From<store::Policy> for Policy {
    fn from(r: store::Policy) -> Policy {
        Policy {
            id: r.id,
            code: r.code,
            name: r.name,
            currency: r.currency,
            min_amount: r.min_amount.minor(),
            list_not_due: r.list_not_due,
            allow_skip: r.allow_skip,
            repeat_last: r.repeat_last,
            payment_days: r.payment_days,
            interest_table_id: r.interest_table_id,
            interest_min: r.interest_min.minor(),
            is_default: r.is_default,
            levels: r.levels.into_iter().map(Into::into).collect(),
            texts: r.texts.into_iter().map(Into::into).collect(),
        }
    }
}

/// A policy as written (create or replace by code).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    pub code: String,
    pub name: String,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    #[serde(default)]
    pub min_amount: i64,
    #[serde(default)]
    pub list_not_due: bool,
    #[serde(default)]
    pub allow_skip: bool,
    #[serde(default)]
    pub repeat_last: bool,
    #[serde(default = "ten")]
    pub payment_days: i64,
    #[serde(default)]
    pub interest_table_id: Option<i64>,
    #[serde(default)]
    pub interest_min: i64,
    pub levels: Vec<PolicyLevel>,
    /// Texts per level and language; a level without texts gets the defaults.
    #[serde(default)]
    pub texts: Vec<LevelText>,
}

fn ten() -> i64 {
    10
}

impl TryFrom<PolicyInput> for store::PolicyInput {
    type Error = anyhow::Error;

    fn try_from(r: PolicyInput) -> anyhow::Result<store::PolicyInput> {
        Ok(store::PolicyInput {
            code: r.code,
            name: r.name,
            currency: r.currency,
            min_amount: Money::new(r.min_amount, r.currency),
            list_not_due: r.list_not_due,
            allow_skip: r.allow_skip,
            repeat_last: r.repeat_last,
            payment_days: r.payment_days,
            interest_table_id: r.interest_table_id,
            interest_min: Money::new(r.interest_min, r.currency),
            levels: r.levels.into_iter().map(|l| l.into_store(r.currency)).collect::<anyhow::Result<_>>()?,
            texts: r.texts.into_iter().map(Into::into).collect(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateRow {
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    /// Reference rate in percent (0 for a fixed rate).
    pub reference_percent: String,
    /// Margin in percentage points (the whole rate for a fixed rate).
    pub margin_percent: String,
}

impl From<store::RateRow> for RateRow {
    fn from(r: store::RateRow) -> RateRow {
        RateRow { from: r.from, reference_percent: r.reference_percent, margin_percent: r.margin_percent }
    }
}

impl From<RateRow> for store::RateRow {
    fn from(r: RateRow) -> store::RateRow {
        store::RateRow { from: r.from, reference_percent: r.reference_percent, margin_percent: r.margin_percent }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InterestTable {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub reference_name: String,
    /// `actual_365` or `actual_360`.
    #[schema(value_type = String, example = "actual_365")]
    pub day_count: DayCount,
    pub grace_days: i64,
    /// Minor units of `indemnity_currency`, per late invoice; 0 for none.
    pub indemnity: i64,
    pub indemnity_currency: String,
    pub rates: Vec<RateRow>,
}

impl From<store::InterestTable> for InterestTable {
    fn from(r: store::InterestTable) -> InterestTable {
        InterestTable {
            id: r.id,
            code: r.code,
            name: r.name,
            reference_name: r.reference_name,
            day_count: r.day_count,
            grace_days: r.grace_days,
            indemnity: r.indemnity.minor(),
            indemnity_currency: r.indemnity.currency().code().to_string(),
            rates: r.rates.into_iter().map(Into::into).collect(),
        }
    }
}

/// A new rate table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestTableInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub reference_name: String,
    #[serde(default = "actual_365")]
    #[schema(value_type = String, example = "actual_365")]
    pub day_count: DayCount,
    #[serde(default)]
    pub grace_days: i64,
    #[serde(default)]
    pub indemnity: i64,
    #[serde(default = "eur")]
    pub indemnity_currency: String,
    pub rates: Vec<RateRow>,
}

fn actual_365() -> DayCount {
    DayCount::Actual365
}
fn eur() -> String {
    "EUR".into()
}

/// Fails on an indemnity currency that is not one of ours (the use case checks it first).
impl TryFrom<InterestTableInput> for store::InterestTableInput {
    type Error = anyhow::Error;

    fn try_from(r: InterestTableInput) -> anyhow::Result<store::InterestTableInput> {
        let currency = Currency::parse(&r.indemnity_currency)?;
        Ok(store::InterestTableInput {
            code: r.code,
            name: r.name,
            reference_name: r.reference_name,
            day_count: r.day_count,
            grace_days: r.grace_days,
            indemnity: Money::new(r.indemnity, currency),
            rates: r.rates.into_iter().map(Into::into).collect(),
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Run {
    pub id: i64,
    /// `draft`, `issued` or `deleted`.
    #[schema(value_type = String, example = "draft")]
    pub status: RunStatus,
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// The criteria it was computed for, as JSON.
    #[schema(value_type = Object)]
    pub criteria: serde_json::Value,
    pub created_by: String,
    pub created_at: String,
    pub recomputed_at: Option<String>,
    pub issued_by: Option<String>,
    pub issued_at: Option<String>,
}

impl From<store::letters::Run> for Run {
    fn from(r: store::letters::Run) -> Run {
        Run {
            id: r.id,
            status: r.status,
            as_of: r.as_of,
            criteria: r.criteria,
            created_by: r.created_by,
            created_at: r.created_at,
            recomputed_at: r.recomputed_at,
            issued_by: r.issued_by,
            issued_at: r.issued_at,
        }
    }
}

/// A letter as listed (without its items).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Letter {
    pub id: i64,
    pub run_id: i64,
    pub payer_id: i64,
    pub payer_number: String,
    pub payer_name: String,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    pub policy_id: i64,
    /// `draft`, `left_out`, `removed`, `issued` or `withdrawn`.
    #[schema(value_type = String, example = "draft")]
    pub status: LetterStatus,
    /// Why it is left out or removed (a code: `credits_cover`, `small_balance`, `below_minimum`, `nothing_to_dun`,
    /// `last_level_reached`, `amount_too_large`, `removed`), with `reason_text` saying it in words.
    #[schema(value_type = String)]
    pub reason: LetterReason,
    pub reason_text: String,
    pub level: i64,
    pub level_forced_by: Option<String>,
    pub level_reason: String,
    /// False when marked issued without sending.
    pub send: bool,
    #[schema(value_type = String)]
    pub channel: LetterChannel,
    pub language: String,
    /// The letter's own texts (a clerk's edit, or the issued letter's rendered texts); empty: the
    /// policy's texts for its level and language.
    pub subject: String,
    pub opening: String,
    pub closing: String,
    pub texts_edited_by: Option<String>,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub overdue_total: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub not_due_total: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub credits_total: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub fee: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub interest: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub indemnity: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub total_due: Money,
    /// What the computation noted (e.g. a fee not charged because the policy's amounts are in
    /// another currency).
    pub notes: String,
    pub number: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub letter_date: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub payment_deadline: Option<Date>,
    pub fee_document_id: Option<i64>,
    pub interest_document_id: Option<i64>,
    pub issued_at: Option<String>,
    pub withdrawn_at: Option<String>,
    pub withdrawn_by: Option<String>,
    pub withdraw_reason: String,
    /// Delivery status of the issued letter (`queued`, `sent`, `printed`, `failed`, `cancelled`,
    /// `not_sent`), if any.
    #[schema(value_type = Option<String>)]
    pub delivery_status: Option<DeliveryStatus>,
    /// The payer's comment (customer record), shown on the letter.
    pub payer_comment: String,
    /// Sum over the installments it duns of their days overdue (at the as-of date, or the letter's
    /// date once issued); filled by the views (`fill_days_late`), 0 elsewhere.
    pub days_late_total: i64,
    /// The longest delay among them.
    pub days_late_max: i64,
}

impl From<store::letters::Letter> for Letter {
    fn from(r: store::letters::Letter) -> Letter {
        Letter {
            id: r.id,
            run_id: r.run_id,
            payer_id: r.payer_id,
            payer_number: r.payer_number,
            payer_name: r.payer_name,
            currency: r.currency,
            policy_id: r.policy_id,
            status: r.status,
            reason: r.reason,
            reason_text: r.reason_text,
            level: r.level,
            level_forced_by: r.level_forced_by,
            level_reason: r.level_reason,
            send: r.send,
            channel: r.channel,
            language: r.language,
            subject: r.subject,
            opening: r.opening,
            closing: r.closing,
            texts_edited_by: r.texts_edited_by,
            overdue_total: r.overdue_total,
            not_due_total: r.not_due_total,
            credits_total: r.credits_total,
            fee: r.fee,
            interest: r.interest,
            indemnity: r.indemnity,
            total_due: r.total_due,
            notes: r.notes,
            number: r.number,
            letter_date: r.letter_date,
            payment_deadline: r.payment_deadline,
            fee_document_id: r.fee_document_id,
            interest_document_id: r.interest_document_id,
            issued_at: r.issued_at,
            withdrawn_at: r.withdrawn_at,
            withdrawn_by: r.withdrawn_by,
            withdraw_reason: r.withdraw_reason,
            delivery_status: r.delivery_status,
            payer_comment: r.payer_comment,
            days_late_total: r.days_late_total,
            days_late_max: r.days_late_max,
        }
    }
}

/// One row of a letter.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: i64,
    #[schema(value_type = String, example = "due")]
    pub kind: ItemKind,
    /// `active`, `removed` (by a clerk, or blocked since) or `settled` (paid since).
    #[schema(value_type = String, example = "active")]
    pub status: ItemStatus,
    pub reason: String,
    pub installment_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub document_id: Option<i64>,
    pub customer_id: i64,
    /// The document or payment number.
    pub reference: String,
    #[schema(value_type = String, format = Date)]
    pub doc_date: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount_open: Money,
    pub level_before: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub date_before: Option<Date>,
    /// The level this letter gives it (`due` items).
    pub new_level: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub interest_from: Option<Date>,
    /// Exclusive: interest is charged for the days before it.
    #[schema(value_type = Option<String>, format = Date)]
    pub interest_to: Option<Date>,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub interest: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub indemnity: Money,
}

impl From<store::letters::Item> for Item {
    fn from(r: store::letters::Item) -> Item {
        Item {
            id: r.id,
            kind: r.kind,
            status: r.status,
            reason: r.reason,
            installment_id: r.installment_id,
            payment_id: r.payment_id,
            document_id: r.document_id,
            customer_id: r.customer_id,
            reference: r.reference,
            doc_date: r.doc_date,
            due_date: r.due_date,
            amount: r.amount,
            amount_open: r.amount_open,
            level_before: r.level_before,
            date_before: r.date_before,
            new_level: r.new_level,
            interest_from: r.interest_from,
            interest_to: r.interest_to,
            interest: r.interest,
            indemnity: r.indemnity,
        }
    }
}

/// Counts of a run's letters by status and of its dunned items.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct RunCounts {
    pub draft: i64,
    pub left_out: i64,
    pub removed: i64,
    pub issued: i64,
    pub withdrawn: i64,
    /// `due` items that are active on draft or issued letters.
    pub items: i64,
    /// Installments left out (blocked, not dunned, in another draft), whatever their letter.
    pub items_left_out: i64,
}

impl From<store::letters::RunCounts> for RunCounts {
    fn from(r: store::letters::RunCounts) -> RunCounts {
        RunCounts {
            draft: r.draft,
            left_out: r.left_out,
            removed: r.removed,
            issued: r.issued,
            withdrawn: r.withdrawn,
            items: r.items,
            items_left_out: r.items_left_out,
        }
    }
}

/// One event of an installment's dunning history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub installment_id: i64,
    pub document_number: String,
    pub level: i64,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// `letter` (issued by Créance) or `external`.
    #[schema(value_type = String)]
    pub source: HistorySource,
    pub letter_id: Option<i64>,
    pub letter_number: Option<String>,
    /// `email`, `letter`, `phone`, …
    #[schema(value_type = String)]
    pub channel: ExternalChannel,
    /// `issued`, `withdrawn`, or `recorded` (external).
    #[schema(value_type = String)]
    pub status: HistoryStatus,
    /// Delivery status of the letter, if queued.
    #[schema(value_type = Option<String>)]
    pub delivery_status: Option<DeliveryStatus>,
    pub note: String,
}

impl From<store::history::HistoryEntry> for HistoryEntry {
    fn from(r: store::history::HistoryEntry) -> HistoryEntry {
        HistoryEntry {
            installment_id: r.installment_id,
            document_number: r.document_number,
            level: r.level,
            date: r.date,
            source: r.source,
            letter_id: r.letter_id,
            letter_number: r.letter_number,
            channel: r.channel,
            status: r.status,
            delivery_status: r.delivery_status,
            note: r.note,
        }
    }
}

/// One entry of the delivery queue.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    pub id: i64,
    pub letter_id: i64,
    pub letter_number: String,
    #[schema(value_type = String)]
    pub channel: LetterChannel,
    pub address: String,
    /// `queued` (waiting, or after a failed attempt that will be retried at `next_attempt_at`),
    /// `sending`, `sent`, `failed` (for a clerk to resend), `printed`, `cancelled` or `not_sent`.
    #[schema(value_type = String, example = "queued")]
    pub status: DeliveryStatus,
    /// Attempts since it was queued (or resent).
    pub attempts: i64,
    /// The server's answer to the last failed attempt.
    pub last_error: String,
    pub queued_at: String,
    pub done_at: Option<String>,
    pub next_attempt_at: Option<String>,
    /// Where it went: `smtp host:port: 250 …` or `outbox /path/file.eml`.
    pub sent_via: String,
    /// The Message-ID it was sent with.
    pub message_id: String,
}

impl From<store::history::Delivery> for Delivery {
    fn from(r: store::history::Delivery) -> Delivery {
        Delivery {
            id: r.id,
            letter_id: r.letter_id,
            letter_number: r.letter_number,
            channel: r.channel,
            address: r.address,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            queued_at: r.queued_at,
            done_at: r.done_at,
            next_attempt_at: r.next_attempt_at,
            sent_via: r.sent_via,
            message_id: r.message_id,
        }
    }
}

/// One attempt of a delivery.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeliveryAttempt {
    /// 1 for the first attempt, counting across resends.
    pub attempt: i64,
    /// `smtp` or `outbox`.
    #[schema(value_type = String)]
    pub transport: creance_core::dunning::DeliveryTransport,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// `sent`, `retry`, `failed`, `interrupted`; null while under way.
    #[schema(value_type = Option<String>)]
    pub outcome: Option<creance_core::dunning::AttemptOutcome>,
    /// The server's reply or the error; for the outbox, the file written.
    pub reply: String,
}

impl From<store::delivery::Attempt> for DeliveryAttempt {
    fn from(r: store::delivery::Attempt) -> DeliveryAttempt {
        let store::delivery::Attempt { attempt, transport, started_at, finished_at, outcome, reply } = r;
        DeliveryAttempt { attempt, transport, started_at, finished_at, outcome, reply }
    }
}

/// One row of the "to generate" view: a payer a proposal would write a draft letter to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ToGenerate {
    pub payer_id: i64,
    pub payer_number: String,
    pub payer_name: String,
    pub currency: String,
    /// Installments that would be dunned.
    pub items: i64,
    /// The letter's level (the highest of its items).
    pub level: i64,
    /// Minor units: the open amount of those installments.
    pub amount_open: i64,
    pub oldest_due_date: String,
    /// Sum of their days overdue at the as-of date, and the longest.
    pub days_late_total: i64,
    pub days_late_max: i64,
}

impl From<store::views::ToGenerate> for ToGenerate {
    fn from(r: store::views::ToGenerate) -> ToGenerate {
        ToGenerate {
            payer_id: r.payer_id,
            payer_number: r.payer_number,
            payer_name: r.payer_name,
            currency: r.currency,
            items: r.items,
            level: r.level,
            amount_open: r.amount_open,
            oldest_due_date: r.oldest_due_date,
            days_late_total: r.days_late_total,
            days_late_max: r.days_late_max,
        }
    }
}

/// An installment beyond its policy's last level (which does not repeat), for legal follow-up.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BeyondLastLevel {
    pub installment_id: i64,
    pub payer_id: i64,
    pub payer_number: String,
    pub payer_name: String,
    pub customer_number: String,
    pub document_number: String,
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount_open: Money,
    /// The last level, reached on `dunning_date`.
    pub level: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub dunning_date: Option<Date>,
    /// Why it is not followed up now (blocked, with the block's reason), or empty.
    pub note: String,
}

impl From<store::views::BeyondLastLevel> for BeyondLastLevel {
    fn from(r: store::views::BeyondLastLevel) -> BeyondLastLevel {
        BeyondLastLevel {
            installment_id: r.installment_id,
            payer_id: r.payer_id,
            payer_number: r.payer_number,
            payer_name: r.payer_name,
            customer_number: r.customer_number,
            document_number: r.document_number,
            due_date: r.due_date,
            amount_open: r.amount_open,
            level: r.level,
            dunning_date: r.dunning_date,
            note: r.note,
        }
    }
}
