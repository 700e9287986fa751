//! The reports as CSV (every row, totals per currency last with an empty customer number) and PDF
//! (the aging and the DSO as lists in the company's language; the statement as a document in the
//! customer's language, `statement_pdf`). Reports are one row per customer and currency at most,
//! so they are built in memory.

use creance_core::{Language, Money, MoneyTotal};
use creance_render::csv::CsvWriter;
use creance_render::layout::Align;
use creance_render::list::{Cell, ListColumn, ListDoc};

use super::{AgingLine, AgingReport, DsoLine, DsoReport, Statement};
use crate::exports::{Dialect, PdfHeader, PDF_ROWS_MAX};
use crate::{App, AppError, Code};

/// What a report answers in (`json`, `csv`, `pdf`): the lists' [`crate::exports::Format`].
pub type ReportFormat = crate::exports::Format;

fn money(t: MoneyTotal) -> Result<Cell, AppError> {
    t.to_money()
        .map(Cell::Money)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("a report amount does not fit one amount: {e}")))
}

fn csv(dialect: Dialect, header: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, AppError> {
    let io = |e: std::io::Error| AppError::Internal(anyhow::anyhow!("cannot write a CSV line: {e}"));
    let mut w = CsvWriter::new(Vec::new(), dialect);
    w.header(header).map_err(io)?;
    for r in rows {
        w.row(r).map_err(io)?;
    }
    w.into_inner().map_err(io)
}

fn words(language: Language, fr: &str, en: &str, de: &str) -> String {
    match language {
        Language::Fr => fr,
        Language::De => de,
        _ => en,
    }
    .to_string()
}

fn aging_cells(l: &AgingLine) -> Result<Vec<Cell>, AppError> {
    let mut cells = vec![Cell::text(&l.customer_number), Cell::text(&l.customer_name), Cell::text(l.currency.code())];
    for b in &l.buckets {
        cells.push(money(*b)?);
    }
    for t in [l.debits_open, l.credits_unallocated, l.credit_notes_open, l.refunds_to_allocate, l.balance] {
        cells.push(money(t)?);
    }
    Ok(cells)
}

fn dso_cells(l: &DsoLine, days: i64) -> Result<Vec<Cell>, AppError> {
    Ok(vec![
        Cell::text(&l.customer_number),
        Cell::text(&l.customer_name),
        Cell::text(l.currency.code()),
        money(l.receivables)?,
        money(l.sales)?,
        Cell::Integer(days),
        Cell::text(l.dso_simple.map_or(String::new(), |d| d.to_string())),
        Cell::text(l.dso_countback.to_string()),
        Cell::text(if l.countback_beyond_period { "true" } else { "false" }),
    ])
}

fn too_large(rows: usize) -> AppError {
    let rows = i64::try_from(rows).unwrap_or(i64::MAX);
    AppError::invalid_said_as(
        Code::ExportTooLarge,
        "format",
        crate::Fault::PdfTooLarge { rows, max: PDF_ROWS_MAX, report: true },
    )
}

impl AgingReport {
    fn header(&self) -> Vec<String> {
        let mut h = vec!["customer_number".to_string(), "customer_name".into(), "currency".into()];
        h.extend(self.buckets.iter().map(|b| b.key.clone()));
        for c in ["debits_open", "credits_unallocated", "credit_notes_open", "refunds_to_allocate", "balance"] {
            h.push(c.to_string());
        }
        h
    }

    /// One row per customer and currency, then one total row per currency (no customer number).
    pub fn csv(&self, dialect: Dialect) -> Result<Vec<u8>, AppError> {
        let rows = self.rows.iter().chain(&self.totals).map(aging_cells).collect::<Result<Vec<_>, _>>()?;
        csv(dialect, &self.header(), &rows)
    }
}

impl DsoReport {
    const HEADER: [&'static str; 9] = [
        "customer_number",
        "customer_name",
        "currency",
        "receivables",
        "sales",
        "days",
        "dso_simple",
        "dso_countback",
        "countback_beyond_period",
    ];

    /// One row per customer and currency, then the company's per currency (no customer number).
    pub fn csv(&self, dialect: Dialect) -> Result<Vec<u8>, AppError> {
        let rows =
            self.rows.iter().chain(&self.totals).map(|l| dso_cells(l, self.days)).collect::<Result<Vec<_>, _>>()?;
        csv(dialect, &Self::HEADER.map(String::from), &rows)
    }
}

impl Statement {
    /// Per currency: the opening balance, every line with its debit, credit and running balance,
    /// the closing balance.
    pub fn csv(&self, dialect: Dialect) -> Result<Vec<u8>, AppError> {
        let header = ["currency", "date", "entry", "number", "reference", "amount", "debit", "credit", "balance"]
            .map(String::from);
        let mut rows = Vec::new();
        for c in &self.currencies {
            let z = Money::zero(c.currency);
            let edge = |date, entry: &str, balance| -> Result<Vec<Cell>, AppError> {
                Ok(vec![
                    Cell::text(c.currency.code()),
                    Cell::Date(date),
                    Cell::text(entry),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    money(balance)?,
                ])
            };
            rows.push(edge(self.from, "opening_balance", c.opening_balance)?);
            for l in &c.lines {
                let (debit, credit) =
                    if l.effect.is_negative() { (z, Money::new(-l.effect.minor(), c.currency)) } else { (l.effect, z) };
                rows.push(vec![
                    Cell::text(c.currency.code()),
                    Cell::Date(l.date),
                    Cell::text(&l.entry),
                    Cell::text(&l.number),
                    Cell::text(&l.reference),
                    Cell::Money(l.amount),
                    Cell::Money(debit),
                    Cell::Money(credit),
                    money(l.balance)?,
                ]);
            }
            rows.push(edge(self.to, "closing_balance", c.closing_balance)?);
        }
        csv(dialect, &header, &rows)
    }
}

impl App {
    async fn report_pdf(
        &self,
        company_id: i64,
        title: impl Fn(Language) -> String,
        header: PdfHeader,
        columns: impl Fn(Language) -> Vec<ListColumn>,
        rows: Vec<Vec<Cell>>,
        totals: Vec<MoneyTotal>,
    ) -> Result<Vec<u8>, AppError> {
        if rows.len() as i64 > PDF_ROWS_MAX {
            return Err(too_large(rows.len()));
        }
        let (locale, letterhead) = self.list_frame(company_id).await?;
        let doc = ListDoc {
            locale,
            letterhead,
            title: title(locale.language),
            filters: header.filters,
            printed_on: header.printed_on,
            columns: columns(locale.language),
            rows,
            totals,
            empty_reason: None,
        };
        tokio::task::spawn_blocking(move || creance_render::list::render(&doc))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("the report's rendering stopped: {e}")))?
            .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot render the report: {e}")))
    }

    /// The aging report as a PDF list in the company's language; the totals are the balances per
    /// currency, and each currency's total row closes the list.
    pub async fn aging_pdf(&self, company_id: i64, r: &AgingReport, header: PdfHeader) -> Result<Vec<u8>, AppError> {
        let rows = r.rows.iter().chain(&r.totals).map(aging_cells).collect::<Result<Vec<_>, _>>()?;
        let keys: Vec<String> = r.buckets.iter().map(|b| b.key.clone()).collect();
        let columns = |l: Language| {
            let mut c = vec![
                ListColumn::new(words(l, "Client", "Customer", "Kunde"), Align::Left, 14),
                ListColumn::new(words(l, "Nom", "Name", "Name"), Align::Left, 24),
                ListColumn::new(words(l, "Devise", "Cur.", "Whg."), Align::Left, 7),
            ];
            for k in &keys {
                let title = match k.as_str() {
                    "current" => words(l, "Non échu", "Current", "Nicht fällig"),
                    other => other.replace("over_", "> ").replace('_', "–"),
                };
                c.push(ListColumn::new(title, Align::Right, 12));
            }
            for (fr, en, de) in [
                ("Total échu", "Debits", "Offen"),
                ("Crédits", "Credits", "Guthaben"),
                ("dont avoirs", "of which credit notes", "davon Gutschriften"),
                ("Remb. à affecter", "Refunds to allocate", "Erstattungen offen"),
                ("Solde", "Balance", "Saldo"),
            ] {
                c.push(ListColumn::new(words(l, fr, en, de), Align::Right, 12));
            }
            c
        };
        let totals = r.totals.iter().map(|t| t.balance).collect();
        let title = |l: Language| words(l, "Balance âgée", "Aging report", "Altersstruktur der Forderungen");
        self.report_pdf(company_id, title, header, columns, rows, totals).await
    }

    /// The DSO report as a PDF list in the company's language.
    pub async fn dso_pdf(&self, company_id: i64, r: &DsoReport, header: PdfHeader) -> Result<Vec<u8>, AppError> {
        let rows = r.rows.iter().chain(&r.totals).map(|l| dso_cells(l, r.days)).collect::<Result<Vec<_>, _>>()?;
        let columns = |l: Language| {
            vec![
                ListColumn::new(words(l, "Client", "Customer", "Kunde"), Align::Left, 14),
                ListColumn::new(words(l, "Nom", "Name", "Name"), Align::Left, 24),
                ListColumn::new(words(l, "Devise", "Cur.", "Whg."), Align::Left, 7),
                ListColumn::new(words(l, "Encours", "Receivables", "Forderungen"), Align::Right, 14),
                ListColumn::new(words(l, "Ventes", "Sales", "Umsatz"), Align::Right, 14),
                ListColumn::new(words(l, "Jours", "Days", "Tage"), Align::Right, 7),
                ListColumn::new(words(l, "DSO simple", "DSO simple", "DSO einfach"), Align::Right, 10),
                ListColumn::new(words(l, "DSO épuisement", "DSO countback", "DSO Countback"), Align::Right, 10),
                ListColumn::new(words(l, "Au-delà", "Beyond", "Darüber"), Align::Left, 8),
            ]
        };
        let totals = r.totals.iter().map(|t| t.receivables).collect();
        let title = |l: Language| {
            words(l, "Délai moyen de paiement (DSO)", "Days sales outstanding", "Forderungslaufzeit (DSO)")
        };
        self.report_pdf(company_id, title, header, columns, rows, totals).await
    }
}
