//! Bank deposits (SPEC §4.5): cheques wait "to deposit" (a post-dated one stays hidden until its
//! deposit date unless asked), a deposit takes some of them to one bank account as a draft, and
//! validating it books bank / cheques-to-deposit when the company says so.

use std::collections::HashMap;

use creance_core::{Date, Money};
use creance_store::audit::{self, AuditEvent};
use creance_store::deposits;
use creance_store::payments::{self, PaymentFilter, PaymentForDeposit};
use creance_store::{companies, journal, series, settings};
use serde::{Deserialize, Serialize};

use crate::deposit_rejections::{DepositRejection, NotEligible};
use crate::payments::parse_date_field;
use crate::queries::{Listed, Page};
use crate::views::money::{Deposit, Payment};
use crate::{Actor, App, AppError, Fault, Thing};

/// The most payments one deposit takes (a deposit slip lists them all).
pub const PAYMENTS_MAX: usize = 100_000;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDeposit {
    pub bank_account_id: i64,
    /// YYYY-MM-DD; today when absent.
    pub date: Option<String>,
    pub payment_ids: Vec<i64>,
}

/// A deposit with its payments: what the deposit slip prints.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DepositDetail {
    pub company_name: String,
    pub deposit: Deposit,
    pub payments: Vec<Payment>,
}

/// The payments "to deposit" at `as_of`: the post-dated ones (deposit date after it) only with
/// `show_future`.
pub(crate) fn to_deposit_filter(as_of: Date, show_future: bool) -> PaymentFilter {
    PaymentFilter {
        to_deposit: true,
        to_deposit_as_of: if show_future { None } else { Some(as_of) },
        ..Default::default()
    }
}

impl App {
    /// Payments waiting to be deposited. Post-dated ones (deposit date after `as_of`) are left out
    /// unless `show_future`.
    pub async fn to_deposit(
        &self,
        company_id: i64,
        as_of: Date,
        show_future: bool,
        page: Page,
    ) -> Result<Listed<Payment>, AppError> {
        self.payments(company_id, &to_deposit_filter(as_of, show_future), page).await
    }

    /// The ids of the payments with these numbers, in the order given, read in one query (per
    /// `batch_rows` numbers); the first number not found is refused as `payment_by_number` refuses it.
    pub async fn payment_ids_by_number(&self, company_id: i64, numbers: &[String]) -> Result<Vec<i64>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let found: HashMap<String, i64> =
            payments::by_numbers(&mut tx, company_id, numbers).await?.into_iter().map(|p| (p.number, p.id)).collect();
        numbers
            .iter()
            .map(|n| found.get(n).copied().ok_or(AppError::NotFound { entity: "payment", key: n.to_string() }))
            .collect()
    }

    pub async fn create_deposit(
        &self,
        actor: &Actor,
        company_id: i64,
        input: &CreateDeposit,
        today: Date,
    ) -> Result<DepositDetail, AppError> {
        let date = parse_date_field("date", &input.date)?.unwrap_or(today);
        if input.payment_ids.is_empty() {
            return Err(AppError::invalid_said("payment_ids", Fault::DepositEmpty));
        }
        if input.payment_ids.len() > PAYMENTS_MAX {
            return Err(AppError::invalid_said(
                "payment_ids",
                Fault::DepositTooLarge { given: input.payment_ids.len(), max: PAYMENTS_MAX },
            ));
        }
        let id = self
            .with_retry(|| async {
                let mut tx = self.db.begin_write(actor.at()).await?;
                let banks = settings::bank_accounts(&mut tx, company_id).await?;
                if banks.is_empty() {
                    return Err(AppError::invalid_said("bank_account_id", Fault::NoBankAccountYet));
                }
                let bank = banks.iter().find(|b| b.id == input.bank_account_id).ok_or_else(|| {
                    AppError::invalid_said(
                        "bank_account_id",
                        Fault::NoSuch { thing: Thing::BankAccount, key: input.bank_account_id.to_string() },
                    )
                })?;
                let mut ids = input.payment_ids.clone();
                ids.sort_unstable();
                if ids.windows(2).any(|w| w[0] == w[1]) {
                    return Err(AppError::invalid_said("payment_ids", Fault::DepositPaymentTwice));
                }
                // One locked read of all the payments (and whether their method is deposited).
                let found: HashMap<i64, PaymentForDeposit> = payments::for_deposit(&mut tx, company_id, &ids, true)
                    .await?
                    .into_iter()
                    .map(|p| (p.payment.id, p))
                    .collect();
                let mut total = Money::zero(bank.currency);
                for (n, id) in ids.iter().enumerate() {
                    let field = format!("payment_ids[{n}]");
                    let PaymentForDeposit { payment: p, needs_deposit: needs } = found.get(id).ok_or_else(|| {
                        AppError::invalid_said(
                            field.clone(),
                            Fault::NoSuch { thing: Thing::Payment, key: id.to_string() },
                        )
                    })?;
                    let why = if p.status != creance_core::PaymentStatus::Active {
                        Some(NotEligible::Cancelled)
                    } else if !needs {
                        Some(NotEligible::NotDeposited { method: p.method.clone() })
                    } else if let Some(deposit_id) = p.deposit_id {
                        Some(NotEligible::InDeposit { deposit_id })
                    } else if p.amount.currency() != bank.currency {
                        Some(NotEligible::Currency { payment: p.amount.currency(), bank: bank.currency })
                    } else {
                        p.deposit_date.filter(|d| *d > date).map(|deposit_date| NotEligible::PostDated { deposit_date })
                    };
                    if let Some(why) = why {
                        return Err(
                            DepositRejection::PaymentNotEligible { field, number: p.number.clone(), why }.into()
                        );
                    }
                    total = total.checked_add(p.amount).map_err(|e| AppError::invalid_said(field, e))?;
                }
                let number = series::take(&mut tx, company_id, "deposit", date.year(), 1)
                    .await?
                    .pop()
                    .ok_or_else(|| anyhow::anyhow!("no deposit number"))?;
                let id = deposits::insert(&mut tx, company_id, &number, bank.id, date, total, &ids).await?;
                audit::record(
                    &mut tx,
                    &AuditEvent::new(company_id, actor.as_str(), "deposit.create", "deposit", Some(id))
                        .summary(format!("deposit {number}: {} payment(s), {total} to {}", ids.len(), bank.name)),
                )
                .await?;
                tx.commit().await.map_err(anyhow::Error::from)?;
                Ok(id)
            })
            .await?;
        self.deposit(company_id, id).await
    }

    /// Validates a draft deposit and books bank / cheques-to-deposit when the company setting
    /// "transfer deposits to the bank journal" is on.
    pub async fn validate_deposit(&self, actor: &Actor, company_id: i64, id: i64) -> Result<DepositDetail, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let d = deposits::get(&mut tx, company_id, id, true)
                .await?
                .ok_or(AppError::NotFound { entity: "deposit", key: id.to_string() })?;
            if !deposits::validate(&mut tx, company_id, id).await? {
                return Err(DepositRejection::AlreadyValidated { number: d.number.clone() }.into());
            }
            let settings_now = settings::money_settings(&mut tx, company_id).await?;
            if settings_now.deposits_to_bank_journal {
                let codes = settings::account_codes(&mut tx, company_id).await?;
                journal::book_deposit(&mut tx, company_id, &codes, id).await?;
            }
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "deposit.validate", "deposit", Some(id))
                    .summary(format!("deposit {} of {} validated", d.number, d.total)),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.deposit(company_id, id).await
    }

    /// Cancels a draft deposit (created by mistake): its payments wait to be deposited again. A
    /// validated deposit cannot be cancelled.
    pub async fn cancel_deposit(&self, actor: &Actor, company_id: i64, id: i64) -> Result<DepositDetail, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let d = deposits::get(&mut tx, company_id, id, true)
                .await?
                .ok_or(AppError::NotFound { entity: "deposit", key: id.to_string() })?;
            if !deposits::cancel_draft(&mut tx, company_id, id).await? {
                return Err(DepositRejection::NotDraft { number: d.number.clone(), status: d.status }.into());
            }
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "deposit.cancel", "deposit", Some(id)).summary(format!(
                    "draft deposit {} cancelled; {} payment(s) to deposit again",
                    d.number, d.payment_count
                )),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.deposit(company_id, id).await
    }

    pub async fn deposit(&self, company_id: i64, id: i64) -> Result<DepositDetail, AppError> {
        let mut tx = self.db.begin_read().await?;
        let deposit = deposits::get(&mut tx, company_id, id, false)
            .await?
            .ok_or(AppError::NotFound { entity: "deposit", key: id.to_string() })?;
        let filter = PaymentFilter { deposit_id: Some(id), ..Default::default() };
        let (mut payments, _) = payments::list(&mut tx, company_id, &filter, PAYMENTS_MAX as i64, 0).await?;
        payments.sort_by(|a, b| a.number.cmp(&b.number));
        let company = companies::get(&mut tx, company_id).await?.ok_or_else(|| anyhow::anyhow!("company"))?;
        let payments = payments.into_iter().map(Into::into).collect();
        Ok(DepositDetail { company_name: company.name, deposit: deposit.into(), payments })
    }

    pub async fn deposits(
        &self,
        company_id: i64,
        status: Option<&str>,
        page: Page,
    ) -> Result<Listed<Deposit>, AppError> {
        if let Some(s) = status {
            if creance_core::DepositStatus::parse(s).is_none() {
                return Err(AppError::invalid_said(
                    "status",
                    Fault::NotEither { text: s.to_string(), words: &["draft", "validated", "cancelled"] },
                ));
            }
        }
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) = deposits::list(&mut tx, company_id, status, page.limit, page.offset).await?;
        let items = items.into_iter().map(Into::into).collect();
        Ok(Listed { items, total_count, limit: page.limit, offset: page.offset })
    }
}
