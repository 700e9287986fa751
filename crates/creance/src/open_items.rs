//! `creance open-items`: open items (one row per installment, or per document with `--by-document`)
//! with per-currency totals; the filters, sorts and page are the API's (`creance_app::query_args`).

use std::process::ExitCode;

use clap::Args;
use creance_app::clock::today_utc;
use creance_app::query_args::OpenItemArgs;
use creance_app::App;

use crate::args::{app_err, company_or_only};
use crate::export_args::ExportArgs;
use crate::print;
use creance_app::exports::{Format, OpenItemsQuery, OpenItemsView, CHUNK_ROWS};

#[derive(Args, Debug)]
pub struct OpenItemsCmd {
    #[arg(long)]
    company: Option<i64>,
    /// One row per document instead of one per installment.
    #[arg(long)]
    by_document: bool,
    /// Count days overdue at this date (default: today).
    #[arg(long)]
    as_of: Option<String>,
    /// One customer, by number.
    #[arg(long)]
    customer: Option<String>,
    #[arg(long)]
    customer_from: Option<String>,
    #[arg(long)]
    customer_to: Option<String>,
    #[arg(long)]
    currency: Option<String>,
    #[arg(long)]
    due_from: Option<String>,
    #[arg(long)]
    due_to: Option<String>,
    /// Debits past their due date only.
    #[arg(long)]
    overdue: bool,
    #[arg(long)]
    days_overdue_min: Option<String>,
    #[arg(long)]
    days_overdue_max: Option<String>,
    /// A contract, by number.
    #[arg(long)]
    contract: Option<String>,
    #[arg(long)]
    salesperson: Option<String>,
    /// debit or credit.
    #[arg(long)]
    side: Option<String>,
    #[arg(long)]
    kind: Option<String>,
    /// Columns, comma-separated, `-` for descending (e.g. -days_overdue,customer_number).
    #[arg(long, allow_hyphen_values = true)]
    sort: Option<String>,
    #[arg(long, default_value = "100")]
    limit: String,
    #[arg(long)]
    offset: Option<String>,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    export: ExportArgs,
}

pub async fn run(app: &App, cmd: OpenItemsCmd) -> anyhow::Result<ExitCode> {
    let company = company_or_only(app, cmd.company).await?;
    let args = OpenItemArgs {
        as_of: cmd.as_of,
        customer: cmd.customer.clone(),
        customer_from: cmd.customer_from.clone(),
        customer_to: cmd.customer_to.clone(),
        currency: cmd.currency.clone(),
        due_from: cmd.due_from.clone(),
        due_to: cmd.due_to.clone(),
        overdue: cmd.overdue.then(|| "true".to_string()),
        days_overdue_min: cmd.days_overdue_min,
        days_overdue_max: cmd.days_overdue_max,
        contract: cmd.contract,
        salesperson: cmd.salesperson,
        side: cmd.side,
        kind: cmd.kind,
        sort: cmd.sort,
        limit: Some(cmd.limit),
        offset: cmd.offset,
        ..OpenItemArgs::default()
    };
    let (filter, sorts, page) = args.parse(today_utc()).map_err(|e| anyhow::anyhow!("--{e}"))?;
    if let Some(format) = cmd.export.file_format()? {
        let view = if cmd.by_document { OpenItemsView::ByDocument } else { OpenItemsView::ByInstallment };
        if format == Format::Csv {
            let dialect = cmd.export.dialect();
            let (filter, sorts) = (&filter, &sorts);
            cmd.export
                .csv(|mut sink| async move {
                    let r = {
                        let q = OpenItemsQuery { company_id: company, filter, sorts, view };
                        app.export_open_items_csv(q, dialect, CHUNK_ROWS, &mut sink).await
                    };
                    (sink, r)
                })
                .await?;
        } else {
            let filters = [
                ("as_of", Some(filter.as_of.to_string())),
                ("customer", cmd.customer),
                ("customer_from", cmd.customer_from),
                ("customer_to", cmd.customer_to),
                ("currency", cmd.currency),
                ("due_from", cmd.due_from),
                ("due_to", cmd.due_to),
                ("overdue", cmd.overdue.then(|| "true".to_string())),
            ];
            let header = ExportArgs::header(&filters);
            let pdf = app
                .export_open_items_pdf(
                    OpenItemsQuery { company_id: company, filter: &filter, sorts: &sorts, view },
                    header,
                )
                .await
                .map_err(app_err)?;
            cmd.export.pdf(&pdf, None)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if cmd.by_document {
        let list = app.open_documents(company, &filter, &sorts, page).await.map_err(app_err)?;
        if cmd.json {
            print::json(&list)?;
        } else {
            print::open_documents(&list);
        }
    } else {
        let list = app.open_items(company, &filter, &sorts, page).await.map_err(app_err)?;
        if cmd.json {
            print::json(&list)?;
        } else {
            print::open_items(&list);
        }
    }
    Ok(ExitCode::SUCCESS)
}
