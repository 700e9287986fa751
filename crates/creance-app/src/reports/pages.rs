//! One page of the aging report and of the DSO, for the screens (SPEC §4.10): the store reads the
//! page's rows and the totals per currency of the whole report in `GROUP BY currency` aggregates
//! (`creance_store::reports::paged`); the rules stay here and in the core — the balance of a line
//! (`AgingLine::from_row`), the receivables of a DSO line (a positive balance) and both DSO figures
//! (`dso_line`) — and are applied to the totals as to every line, so that a page's rows and totals
//! are those of the whole report at the same place (`tests/it/report_pages.rs` holds the two
//! together on both engines). The API and the exports still read every row (`aging_report`,
//! `dso_report`).

use std::collections::BTreeMap;

use creance_core::{Currency, Date, MoneyTotal};
use creance_store::customers;
use creance_store::reports::{self, AgingFilter};

use super::{
    by_code, currency, dso_filter, dso_line, dso_rows, month_slices, period, text, AgingArgs, AgingLine, AgingReport,
    DsoArgs, DsoLine, DsoReport,
};
use crate::queries::Page;
use crate::{App, AppError};

/// One page of an aging report: its rows (`report.rows`), the totals per currency of every row
/// (`report.totals`), and how many rows the whole report has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgingReportPage {
    pub report: AgingReport,
    pub total_count: i64,
}

/// One page of a DSO report: its rows, the company's figures per currency, and how many rows the
/// whole report has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DsoReportPage {
    pub report: DsoReport,
    pub total_count: i64,
}

impl App {
    /// The rows `page.offset` to `page.offset + page.limit` of the aging report [`App::aging_report`]
    /// answers for `args`, with the totals of all of them.
    pub async fn aging_report_page(
        &self,
        company_id: i64,
        args: &AgingArgs,
        today: Date,
        page: Page,
    ) -> Result<AgingReportPage, AppError> {
        let mut tx = self.db.begin_read().await?;
        let filter = self.aging_filter(&mut tx, company_id, args, today).await?;
        let (rows, total_count) = reports::aging_page(&mut tx, company_id, &filter, page.limit, page.offset).await?;
        let totals = reports::aging_totals(&mut tx, company_id, &filter).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        let rows = rows.into_iter().map(AgingLine::from_row).collect::<Result<Vec<_>, _>>()?;
        let totals = totals
            .into_iter()
            .map(|t| AgingLine::from_row(t).map(|l| AgingLine { customer_id: None, ..l }))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(AgingReportPage { report: super::aging_report_of(&filter, rows, totals), total_count })
    }

    /// The rows `page.offset` to `page.offset + page.limit` of the DSO report [`App::dso_report`]
    /// answers for `args`, with the company's figures over all of them.
    pub async fn dso_report_page(
        &self,
        company_id: i64,
        args: &DsoArgs,
        today: Date,
        page: Page,
    ) -> Result<DsoReportPage, AppError> {
        let (from, to) = period(&args.from, &args.to, today)?;
        let only = currency("currency", &args.currency)?;
        let mut tx = self.db.begin_read().await?;
        let customer_id = match text(&args.customer) {
            Some(n) => Some(self.customer_by_number(&mut tx, company_id, &n).await?.id),
            None => None,
        };
        let filter = dso_filter(to, today, customer_id, only);
        let Some(positive) = reports::positive_balances(&mut tx, company_id, &filter).await? else {
            // A customer's balance past an i64 on SQLite: the whole report, cut to the page.
            drop(tx);
            let mut report = self.dso_report(company_id, args, today).await?;
            let total_count = report.rows.len() as i64;
            report.rows = report.rows.into_iter().skip(page.offset as usize).take(page.limit as usize).collect();
            return Ok(DsoReportPage { report, total_count });
        };
        let (keys, total_count) =
            reports::dso_keys(&mut tx, company_id, &filter, from, to, page.limit, page.offset).await?;
        let mut ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        ids.sort_unstable();
        ids.dedup();
        let balances =
            reports::aging(&mut tx, company_id, &AgingFilter { customer_ids: Some(ids.clone()), ..filter.clone() })
                .await?;
        let sales = reports::sales_by_month(&mut tx, company_id, from, to, Some(&ids)).await?;
        let mut names = BTreeMap::new();
        for c in customers::get_many(&mut tx, company_id, &ids).await? {
            names.insert(c.id, (c.fields.number, c.fields.name));
        }
        let month_totals = reports::sales_totals_by_month(&mut tx, company_id, from, to, customer_id, only).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        let days = from.days_until(to) + 1;
        let slices = month_slices(from, to);
        let (mut rows, _) = dso_rows(balances, sales, &names, only, &slices, days)?;
        rows.retain(|r| keys.contains(&(r.customer_id.unwrap_or(0), r.currency)));
        // The company: the positive balances' sum, the sales of every customer per month.
        let mut company: BTreeMap<Currency, (MoneyTotal, BTreeMap<String, i128>)> = BTreeMap::new();
        for p in positive {
            company.entry(p.currency()).or_insert_with(|| (MoneyTotal::zero(p.currency()), BTreeMap::new())).0 = p;
        }
        for s in month_totals {
            let e = company.entry(s.currency).or_insert_with(|| (MoneyTotal::zero(s.currency), BTreeMap::new()));
            *e.1.entry(s.month).or_insert(0) += s.sales.minor();
        }
        let totals = by_code(
            company.into_iter().map(|(c, (r, months))| dso_line(None, c, r, &months, &slices, days)).collect(),
            |t: &DsoLine| t.currency,
        );
        Ok(DsoReportPage { report: DsoReport { from, to, days, rows, totals }, total_count })
    }
}
