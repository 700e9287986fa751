//! SPEC §4.10 reports: the aging report ("balance âgée"), the customer statement ("relevé de
//! compte") and days sales outstanding, as of a date (SPEC §4.2: a past date shows the ledger as it
//! stood then, by value date; see `creance_store::reports`), per customer and currency, with
//! per-currency totals that never mix currencies. `export` writes them as CSV and PDF.
//!
//! A company's aging buckets and default basis are settings (`report_settings`); a request may
//! give other buckets and another basis for one report.

mod export;
mod pages;
mod statement_pdf;

use std::collections::BTreeMap;

use creance_core::aging::{AgingBasis, AgingBuckets};
use creance_core::dso::{self, DsoDays, SalesSlice};
use creance_core::{Currency, Date, DocumentKind, Language, Money, MoneyTotal};
use creance_store::reports::{self, AgingFilter, AgingRow, ReportSettings, StatementEntry};
use creance_store::{audit, customers};
use serde::{Deserialize, Serialize};

use crate::query_args::{currency, date, text};
use crate::{Actor, App, AppError};

pub use export::ReportFormat;
pub use pages::{AgingReportPage, DsoReportPage};

/// The longest period a statement or a DSO covers.
pub const PERIOD_DAYS_MAX: i64 = 3660;

type MoneySchema = crate::views::schema::MoneySchema;

/// The company's report settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportSettingsView {
    /// The aging buckets' day bounds, comma-separated (`0,30,60,90`: current, 1–30, 31–60, 61–90,
    /// over 90).
    #[schema(example = "0,30,60,90")]
    pub aging_buckets: String,
    /// `due_date` (days late, the default) or `document_date` (days since the document's date).
    #[schema(example = "due_date")]
    pub aging_basis: String,
}

impl From<ReportSettings> for ReportSettingsView {
    fn from(s: ReportSettings) -> ReportSettingsView {
        ReportSettingsView { aging_buckets: s.aging_buckets.code(), aging_basis: s.aging_basis.code().to_string() }
    }
}

/// New report settings; an absent field keeps its value.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSettingsInput {
    pub aging_buckets: Option<String>,
    pub aging_basis: Option<String>,
}

fn buckets_arg(field: &str, v: &str) -> Result<AgingBuckets, AppError> {
    AgingBuckets::parse(v).map_err(|e| AppError::invalid_said(field, e))
}

fn basis_arg(field: &str, v: &str) -> Result<AgingBasis, AppError> {
    AgingBasis::parse(v.trim()).ok_or_else(|| {
        AppError::invalid_said(
            field,
            crate::Fault::NotEither { text: v.to_string(), words: &["due_date", "document_date"] },
        )
    })
}

/// One bucket of a report: its key and day range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Bucket {
    /// `current`, `1_30`, `31_60`, `61_90`, `over_90`.
    pub key: String,
    /// First day of the bucket (none for current: anything not yet due).
    pub days_from: Option<i64>,
    /// Last day of the bucket (none for the last one).
    pub days_to: Option<i64>,
}

/// One customer's aging in one currency (or a currency's total when `customer_number` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AgingLine {
    pub customer_id: Option<i64>,
    pub customer_number: String,
    pub customer_name: String,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    /// Open debits per bucket, in the report's bucket order.
    #[schema(value_type = Vec<MoneySchema>)]
    pub buckets: Vec<MoneyTotal>,
    /// Σ buckets.
    #[schema(value_type = MoneySchema)]
    pub debits_open: MoneyTotal,
    /// Unallocated credits: open credit notes and payments not allocated.
    #[schema(value_type = MoneySchema)]
    pub credits_unallocated: MoneyTotal,
    /// Of which open credit notes.
    #[schema(value_type = MoneySchema)]
    pub credit_notes_open: MoneyTotal,
    /// Refunds paid out and not yet set against a credit (they add to the balance).
    #[schema(value_type = MoneySchema)]
    pub refunds_to_allocate: MoneyTotal,
    /// debits_open − credits_unallocated + refunds_to_allocate: the customer's balance.
    #[schema(value_type = MoneySchema)]
    pub balance: MoneyTotal,
}

fn overflow(e: creance_core::MoneyError) -> AppError {
    AppError::Internal(anyhow::anyhow!("a report total overflowed 128 bits: {e}"))
}

impl AgingLine {
    fn from_row(r: AgingRow) -> Result<AgingLine, AppError> {
        let c = r.currency;
        let debits_open =
            r.buckets.iter().try_fold(MoneyTotal::zero(c), |t, b| t.checked_add_total(*b)).map_err(overflow)?;
        let credits_unallocated = r.credit_notes.checked_add_total(r.payments_unallocated).map_err(overflow)?;
        let balance = MoneyTotal::new(
            debits_open
                .minor()
                .checked_sub(credits_unallocated.minor())
                .and_then(|v| v.checked_add(r.refunds_to_allocate.minor()))
                .ok_or_else(|| overflow(creance_core::MoneyError::Overflow))?,
            c,
        );
        Ok(AgingLine {
            customer_id: Some(r.customer_id),
            customer_number: r.customer_number,
            customer_name: r.customer_name,
            currency: c,
            buckets: r.buckets,
            debits_open,
            credits_unallocated,
            credit_notes_open: r.credit_notes,
            refunds_to_allocate: r.refunds_to_allocate,
            balance,
        })
    }

    fn zero(currency: Currency, buckets: usize) -> AgingLine {
        let z = MoneyTotal::zero(currency);
        AgingLine {
            customer_id: None,
            customer_number: String::new(),
            customer_name: String::new(),
            currency,
            buckets: vec![z; buckets],
            debits_open: z,
            credits_unallocated: z,
            credit_notes_open: z,
            refunds_to_allocate: z,
            balance: z,
        }
    }

    fn add(&mut self, o: &AgingLine) -> Result<(), AppError> {
        for (a, b) in self.buckets.iter_mut().zip(&o.buckets) {
            *a = a.checked_add_total(*b).map_err(overflow)?;
        }
        for (a, b) in [
            (&mut self.debits_open, o.debits_open),
            (&mut self.credits_unallocated, o.credits_unallocated),
            (&mut self.credit_notes_open, o.credit_notes_open),
            (&mut self.refunds_to_allocate, o.refunds_to_allocate),
            (&mut self.balance, o.balance),
        ] {
            *a = a.checked_add_total(b).map_err(overflow)?;
        }
        Ok(())
    }
}

/// The aging report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AgingReport {
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// Whether the report shows the ledger as it stood at a past `as_of` (else today's open
    /// amounts aged at `as_of`).
    pub past: bool,
    /// `due_date` or `document_date`.
    pub basis: String,
    pub buckets: Vec<Bucket>,
    /// Per customer and currency, in customer-number order.
    pub rows: Vec<AgingLine>,
    /// One per currency (customer fields empty), never mixed.
    pub totals: Vec<AgingLine>,
}

/// The aging parameters as text, shared by the API query string and the CLI options.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AgingArgs {
    /// The date of the report (default: today; a past date shows the ledger as it stood then).
    pub as_of: Option<String>,
    /// `due_date` or `document_date` (default: the company's setting).
    pub basis: Option<String>,
    /// Day bounds for this report, `0,30,60,90` (default: the company's setting).
    pub buckets: Option<String>,
    /// One customer, by number.
    pub customer: Option<String>,
    /// Lowest customer number (inclusive).
    pub customer_from: Option<String>,
    /// Highest customer number (inclusive).
    pub customer_to: Option<String>,
    pub currency: Option<String>,
    /// `json` (the default), `csv` or `pdf`; wins over the `Accept` header.
    pub format: Option<String>,
    /// For CSV: `standard` or `excel`.
    pub dialect: Option<String>,
}

/// The statement parameters.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatementArgs {
    /// The customer, by number.
    pub customer: Option<String>,
    /// First day of the period.
    pub from: Option<String>,
    /// Last day of the period (default: today).
    pub to: Option<String>,
    pub currency: Option<String>,
    pub format: Option<String>,
    pub dialect: Option<String>,
}

/// The DSO parameters.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DsoArgs {
    /// First day of the period.
    pub from: Option<String>,
    /// Last day of the period (default: today); receivables are taken as of this date.
    pub to: Option<String>,
    /// One customer, by number (default: every customer, and the company's totals).
    pub customer: Option<String>,
    pub currency: Option<String>,
    pub format: Option<String>,
    pub dialect: Option<String>,
}

/// A statement's period: `from` ≤ `to`, at most [`PERIOD_DAYS_MAX`] days.
fn period(from: &Option<String>, to: &Option<String>, today: Date) -> Result<(Date, Date), AppError> {
    let from = date("from", from)?.ok_or_else(|| AppError::invalid_said("from", crate::Fault::PeriodFromMissing))?;
    let to = date("to", to)?.unwrap_or(today);
    if from > to {
        return Err(AppError::invalid_said("from", crate::Fault::PeriodReversed { from, to }));
    }
    if from.days_until(to) >= PERIOD_DAYS_MAX {
        return Err(AppError::invalid_said("to", crate::Fault::PeriodTooLong { max_days: PERIOD_DAYS_MAX }));
    }
    Ok((from, to))
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatementLineView {
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// A document kind (`invoice`, `credit_note`, …), `payment`, `refund` or `allocation`.
    pub entry: String,
    pub number: String,
    /// An allocation: the document it pays; a payment or refund: its piece number; a document:
    /// its order reference.
    pub reference: String,
    #[schema(value_type = MoneySchema)]
    pub amount: Money,
    /// What the line adds to the balance (negative: it reduces it; zero: an allocation between
    /// the customer's own items).
    #[schema(value_type = MoneySchema)]
    pub effect: Money,
    /// The balance after the line.
    #[schema(value_type = MoneySchema)]
    pub balance: MoneyTotal,
}

/// A statement in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatementCurrency {
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    /// The balance at the end of the day before `from`.
    #[schema(value_type = MoneySchema)]
    pub opening_balance: MoneyTotal,
    pub lines: Vec<StatementLineView>,
    /// The balance at the end of `to` (= the next period's opening balance).
    #[schema(value_type = MoneySchema)]
    pub closing_balance: MoneyTotal,
    /// The aging as of `to`, by due date.
    pub aging: AgingLine,
}

/// A customer statement for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Statement {
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    /// The customer's language, which the PDF is written in.
    pub language: String,
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    pub buckets: Vec<Bucket>,
    /// One per currency the customer has anything in (its own currency first when empty).
    pub currencies: Vec<StatementCurrency>,
}

/// DSO of one customer, or of the company, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DsoLine {
    pub customer_id: Option<i64>,
    /// Empty for the company's total.
    pub customer_number: String,
    pub customer_name: String,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    /// The balance as of `to` (open items less unallocated credits).
    #[schema(value_type = MoneySchema)]
    pub receivables: MoneyTotal,
    /// Debit documents dated in the period (opening balances excepted).
    #[schema(value_type = MoneySchema)]
    pub sales: MoneyTotal,
    /// receivables / sales × days, one decimal (none: receivables without sales).
    #[schema(value_type = Option<String>, example = "45.3")]
    pub dso_simple: Option<DsoDays>,
    /// Countback over the period's months, most recent first, one decimal.
    #[schema(value_type = String, example = "46.0")]
    pub dso_countback: DsoDays,
    /// The receivables exceed every sale of the period: the countback figure is the period's
    /// length and the true one is higher.
    pub countback_beyond_period: bool,
}

/// Days sales outstanding over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DsoReport {
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    /// Days of the period (both ends included).
    pub days: i64,
    pub rows: Vec<DsoLine>,
    /// The company's figures, one per currency.
    pub totals: Vec<DsoLine>,
}

fn buckets_view(b: &AgingBuckets) -> Vec<Bucket> {
    (0..b.len())
        .map(|k| {
            let (days_from, days_to) = b.range(k);
            Bucket { key: b.key(k), days_from, days_to }
        })
        .collect()
}

/// The period's slices, oldest first: calendar months cut to `[from, to]`, keyed `YYYY-MM`.
fn month_slices(from: Date, to: Date) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let end = start.end_of_month().min(to);
        out.push((format!("{:04}-{:02}", start.year(), start.month()), start.days_until(end) + 1));
        start = end.add_days(1);
    }
    out
}

fn dso_line(
    customer: Option<(i64, String, String)>,
    currency: Currency,
    receivables: MoneyTotal,
    sales_by_month: &BTreeMap<String, i128>,
    slices: &[(String, i64)],
    days: i64,
) -> DsoLine {
    let sales: i128 = sales_by_month.values().sum();
    let cut: Vec<SalesSlice> = slices
        .iter()
        .map(|(m, d)| SalesSlice { days: *d, sales: sales_by_month.get(m).copied().unwrap_or(0) })
        .collect();
    let cb = dso::countback(receivables.minor(), &cut);
    let (customer_id, customer_number, customer_name) = match customer {
        Some((id, n, name)) => (Some(id), n, name),
        None => (None, String::new(), String::new()),
    };
    DsoLine {
        customer_id,
        customer_number,
        customer_name,
        currency,
        receivables,
        sales: MoneyTotal::new(sales, currency),
        dso_simple: dso::simple(receivables.minor(), sales, days),
        dso_countback: cb.days,
        countback_beyond_period: cb.beyond_period,
    }
}

impl App {
    pub async fn report_settings(&self, company_id: i64) -> Result<ReportSettingsView, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(reports::report_settings(&mut tx, company_id).await?.into())
    }

    pub async fn set_report_settings(
        &self,
        actor: &Actor,
        company_id: i64,
        input: &ReportSettingsInput,
    ) -> Result<ReportSettingsView, AppError> {
        let buckets = input.aging_buckets.as_deref().map(|v| buckets_arg("aging_buckets", v)).transpose()?;
        let basis = input.aging_basis.as_deref().map(|v| basis_arg("aging_basis", v)).transpose()?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        let mut s = reports::report_settings(&mut tx, company_id).await?;
        if let Some(b) = buckets {
            s.aging_buckets = b;
        }
        if let Some(b) = basis {
            s.aging_basis = b;
        }
        reports::set_report_settings(&mut tx, company_id, &s).await?;
        audit::record(
            &mut tx,
            &audit::AuditEvent::new(company_id, actor.as_str(), "settings.reports", "company", Some(company_id))
                .summary(format!("aging buckets {}, by {}", s.aging_buckets.code(), s.aging_basis.code())),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(s.into())
    }

    async fn customer_by_number(
        &self,
        tx: &mut creance_store::Tx,
        company_id: i64,
        number: &str,
    ) -> Result<customers::Customer, AppError> {
        customers::by_numbers(tx, company_id, &[number.to_string()]).await?.into_iter().next().ok_or_else(|| {
            AppError::invalid_said("customer", crate::Fault::NoCustomerNumbered { number: number.to_string() })
        })
    }

    /// The aging's filter for `args`, resolved against the company's settings; `today` decides
    /// whether `as_of` is past.
    async fn aging_filter(
        &self,
        tx: &mut creance_store::Tx,
        company_id: i64,
        args: &AgingArgs,
        today: Date,
    ) -> Result<AgingFilter, AppError> {
        let as_of = date("as_of", &args.as_of)?.unwrap_or(today);
        let currency = currency("currency", &args.currency)?;
        let settings = reports::report_settings(tx, company_id).await?;
        let buckets = match text(&args.buckets) {
            Some(b) => buckets_arg("buckets", &b)?,
            None => settings.aging_buckets,
        };
        let basis = match text(&args.basis) {
            Some(b) => basis_arg("basis", &b)?,
            None => settings.aging_basis,
        };
        let customer_id = match text(&args.customer) {
            Some(n) => Some(self.customer_by_number(tx, company_id, &n).await?.id),
            None => None,
        };
        Ok(AgingFilter {
            as_of,
            past: as_of < today,
            basis,
            buckets,
            customer_id,
            customer_ids: None,
            currency,
            customer_number_from: text(&args.customer_from),
            customer_number_to: text(&args.customer_to),
        })
    }

    /// The aging report, every row of it (the API, the exports); `today` decides whether `as_of`
    /// is past. The screen reads one page of it with [`App::aging_report_page`].
    pub async fn aging_report(&self, company_id: i64, args: &AgingArgs, today: Date) -> Result<AgingReport, AppError> {
        let mut tx = self.db.begin_read().await?;
        let filter = self.aging_filter(&mut tx, company_id, args, today).await?;
        let rows = reports::aging(&mut tx, company_id, &filter).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        let rows = rows.into_iter().map(AgingLine::from_row).collect::<Result<Vec<_>, _>>()?;
        let mut totals: BTreeMap<Currency, AgingLine> = BTreeMap::new();
        for r in &rows {
            totals.entry(r.currency).or_insert_with(|| AgingLine::zero(r.currency, filter.buckets.len())).add(r)?;
        }
        Ok(aging_report_of(&filter, rows, totals.into_values().collect()))
    }

    /// A customer's statement from `from` to `to` (always the ledger as it stood on those dates).
    pub async fn statement(&self, company_id: i64, args: &StatementArgs, today: Date) -> Result<Statement, AppError> {
        let number = text(&args.customer)
            .ok_or_else(|| AppError::invalid_said("customer", crate::Fault::CustomerNumberMissing))?;
        let (from, to) = period(&args.from, &args.to, today)?;
        let only = currency("currency", &args.currency)?;
        let mut tx = self.db.begin_read().await?;
        let customer = self.customer_by_number(&mut tx, company_id, &number).await?;
        let settings = reports::report_settings(&mut tx, company_id).await?;
        let at = |as_of: Date| AgingFilter {
            as_of,
            past: true,
            basis: AgingBasis::DueDate,
            buckets: settings.aging_buckets.clone(),
            customer_id: Some(customer.id),
            customer_ids: None,
            currency: only,
            customer_number_from: None,
            customer_number_to: None,
        };
        let opening = reports::aging(&mut tx, company_id, &at(from.add_days(-1))).await?;
        let closing = reports::aging(&mut tx, company_id, &at(to)).await?;
        let mut lines = reports::statement_lines(&mut tx, company_id, customer.id, from, to).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        lines.retain(|l| only.is_none_or(|c| l.amount.currency() == c));
        // Same day: documents, then payments, allocations, refunds; then by id.
        let rank = |e: &StatementEntry| match e {
            StatementEntry::Document(_) => 0,
            StatementEntry::Payment => 1,
            StatementEntry::Allocation => 2,
            StatementEntry::Refund => 3,
        };
        lines.sort_by_key(|l| (l.date, rank(&l.entry), l.id));
        let n = settings.aging_buckets.len();
        let mut by_currency: BTreeMap<Currency, (AgingLine, AgingLine)> = BTreeMap::new();
        for (rows, closing_side) in [(opening, false), (closing, true)] {
            for r in rows {
                let line = AgingLine::from_row(r)?;
                let e = by_currency
                    .entry(line.currency)
                    .or_insert_with(|| (AgingLine::zero(line.currency, n), AgingLine::zero(line.currency, n)));
                if closing_side {
                    e.1 = line;
                } else {
                    e.0 = line;
                }
            }
        }
        for l in &lines {
            let c = l.amount.currency();
            by_currency.entry(c).or_insert_with(|| (AgingLine::zero(c, n), AgingLine::zero(c, n)));
        }
        if by_currency.is_empty() {
            let c = only.unwrap_or(customer.fields.currency);
            by_currency.insert(c, (AgingLine::zero(c, n), AgingLine::zero(c, n)));
        }
        let mut currencies = Vec::new();
        for (c, (open, mut close)) in by_currency {
            let mut balance = open.balance;
            let mut views = Vec::new();
            for l in lines.iter().filter(|l| l.amount.currency() == c) {
                balance = balance.checked_add(l.effect).map_err(overflow)?;
                let entry = match l.entry {
                    StatementEntry::Document(k) => k.code(),
                    StatementEntry::Payment => "payment",
                    StatementEntry::Refund => "refund",
                    StatementEntry::Allocation => "allocation",
                };
                views.push(StatementLineView {
                    date: l.date,
                    entry: entry.to_string(),
                    number: l.number.clone(),
                    reference: l.reference.clone(),
                    amount: l.amount,
                    effect: l.effect,
                    balance,
                });
            }
            if balance != close.balance {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "statement of customer {} in {c}: opening {} plus its lines gives {} but the ledger at {to} says {}",
                    customer.fields.number,
                    open.balance,
                    balance,
                    close.balance
                )));
            }
            close.customer_id = Some(customer.id);
            close.customer_number = customer.fields.number.clone();
            close.customer_name = customer.fields.name.clone();
            currencies.push(StatementCurrency {
                currency: c,
                opening_balance: open.balance,
                lines: views,
                closing_balance: close.balance,
                aging: close,
            });
        }
        let currencies = by_code(currencies, |c: &StatementCurrency| c.currency);
        Ok(Statement {
            customer_id: customer.id,
            customer_number: customer.fields.number.clone(),
            customer_name: customer.fields.name.clone(),
            language: customer.fields.language.code().to_string(),
            from,
            to,
            buckets: buckets_view(&settings.aging_buckets),
            currencies,
        })
    }

    /// DSO per customer and for the company over `[from, to]`, per currency, every row of it (the
    /// API, the exports). The screen reads one page of it with [`App::dso_report_page`].
    pub async fn dso_report(&self, company_id: i64, args: &DsoArgs, today: Date) -> Result<DsoReport, AppError> {
        let (from, to) = period(&args.from, &args.to, today)?;
        let only = currency("currency", &args.currency)?;
        let mut tx = self.db.begin_read().await?;
        let customer = match text(&args.customer) {
            Some(n) => Some(self.customer_by_number(&mut tx, company_id, &n).await?),
            None => None,
        };
        let customer_id = customer.as_ref().map(|c| c.id);
        let filter = dso_filter(to, today, customer_id, only);
        let balances = reports::aging(&mut tx, company_id, &filter).await?;
        let sales =
            reports::sales_by_month(&mut tx, company_id, from, to, customer_id.as_ref().map(std::slice::from_ref))
                .await?;
        let names = dso_names(&mut tx, company_id, &balances, &sales).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        let days = from.days_until(to) + 1;
        let slices = month_slices(from, to);
        let (rows, company) = dso_rows(balances, sales, &names, only, &slices, days)?;
        let totals = by_code(
            company.into_iter().map(|(c, (r, months))| dso_line(None, c, r, &months, &slices, days)).collect(),
            |t: &DsoLine| t.currency,
        );
        Ok(DsoReport { from, to, days, rows, totals })
    }
}

/// The aging a DSO reads its receivables from: by due date, as of the period's end.
fn dso_filter(to: Date, today: Date, customer_id: Option<i64>, only: Option<Currency>) -> AgingFilter {
    AgingFilter {
        as_of: to,
        past: to < today,
        basis: AgingBasis::DueDate,
        buckets: AgingBuckets::default(),
        customer_id,
        customer_ids: None,
        currency: only,
        customer_number_from: None,
        customer_number_to: None,
    }
}

/// The number and name of every customer of `balances` and `sales` (those with sales and no
/// balance read from the customers).
async fn dso_names(
    tx: &mut creance_store::Tx,
    company_id: i64,
    balances: &[AgingRow],
    sales: &[reports::MonthSales],
) -> Result<BTreeMap<i64, (String, String)>, AppError> {
    let mut names: BTreeMap<i64, (String, String)> = BTreeMap::new();
    for b in balances {
        names.insert(b.customer_id, (b.customer_number.clone(), b.customer_name.clone()));
    }
    let mut missing: Vec<i64> = sales.iter().map(|s| s.customer_id).filter(|id| !names.contains_key(id)).collect();
    missing.sort_unstable();
    missing.dedup();
    for c in customers::get_many(tx, company_id, &missing).await? {
        names.insert(c.id, (c.fields.number, c.fields.name));
    }
    Ok(names)
}

/// Receivables and sales per month of one currency (a customer's, or the company's).
type DsoSums = (MoneyTotal, BTreeMap<String, i128>);

/// The DSO lines of `balances` and `sales` (customer-number then currency order), and the company's
/// receivables and sales per month per currency: the receivables of a customer are its balance when
/// positive (SPEC §4.10), the company's their sum.
fn dso_rows(
    balances: Vec<AgingRow>,
    sales: Vec<reports::MonthSales>,
    names: &BTreeMap<i64, (String, String)>,
    only: Option<Currency>,
    slices: &[(String, i64)],
    days: i64,
) -> Result<(Vec<DsoLine>, BTreeMap<Currency, DsoSums>), AppError> {
    // (customer, currency) → (receivables, sales per month)
    let mut per: BTreeMap<(i64, Currency), DsoSums> = BTreeMap::new();
    for b in balances {
        let line = AgingLine::from_row(b)?;
        let key = (line.customer_id.unwrap_or(0), line.currency);
        let receivables = MoneyTotal::new(line.balance.minor().max(0), line.currency);
        per.entry(key).or_insert_with(|| (MoneyTotal::zero(line.currency), BTreeMap::new())).0 = receivables;
    }
    for s in sales.into_iter().filter(|s| only.is_none_or(|c| s.currency == c)) {
        let e =
            per.entry((s.customer_id, s.currency)).or_insert_with(|| (MoneyTotal::zero(s.currency), BTreeMap::new()));
        *e.1.entry(s.month).or_insert(0) += s.sales.minor();
    }
    let mut company: BTreeMap<Currency, DsoSums> = BTreeMap::new();
    let mut rows = Vec::new();
    for ((id, c), (receivables, months)) in per {
        let t = company.entry(c).or_insert_with(|| (MoneyTotal::zero(c), BTreeMap::new()));
        t.0 = t.0.checked_add_total(receivables).map_err(overflow)?;
        for (m, s) in &months {
            *t.1.entry(m.clone()).or_insert(0) += s;
        }
        let (number, name) = names.get(&id).cloned().unwrap_or_default();
        rows.push(dso_line(Some((id, number, name)), c, receivables, &months, slices, days));
    }
    rows.sort_by(|a, b| (&a.customer_number, a.currency).cmp(&(&b.customer_number, b.currency)));
    Ok((rows, company))
}

/// An aging report of `rows` with `totals` (per currency), for `filter`.
fn aging_report_of(filter: &AgingFilter, rows: Vec<AgingLine>, totals: Vec<AgingLine>) -> AgingReport {
    AgingReport {
        as_of: filter.as_of,
        past: filter.past,
        basis: filter.basis.code().to_string(),
        buckets: buckets_view(&filter.buckets),
        rows,
        totals: by_code(totals, |t: &AgingLine| t.currency),
    }
}

/// Per-currency parts in the order of their ISO codes (`CHF` before `EUR`), as the lists' totals.
fn by_code<T>(mut v: Vec<T>, currency: impl Fn(&T) -> Currency) -> Vec<T> {
    v.sort_by_key(|t| currency(t).code());
    v
}

/// The words of a statement line's entry in `language`.
pub(crate) fn entry_words(entry: &str, language: Language) -> String {
    if let Some(kind) = DocumentKind::parse(entry) {
        return creance_render::labels::document_kind(kind, language).to_string();
    }
    let (fr, en, de) = match entry {
        "payment" => ("Règlement", "Payment", "Zahlung"),
        "refund" => ("Remboursement", "Refund", "Rückerstattung"),
        _ => ("Imputation", "Allocation", "Verrechnung"),
    };
    match language {
        Language::Fr => fr,
        Language::De => de,
        _ => en,
    }
    .to_string()
}
