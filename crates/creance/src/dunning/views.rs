//! The dunning views (SPEC §4.6): what is to generate, what is beyond the last level, the letters
//! in progress, a customer's or an installment's history, and the delivery queue. Nothing is written.

use creance_app::clock::today_utc;
use creance_app::dunning::LetterFilter;
use creance_app::exports::lists;
use creance_app::App;

use super::print::{print_beyond, print_deliveries, print_history, print_letter_list, print_to_generate};
use super::proposals::CriteriaArgs;
use super::Common;
use crate::args::{app_err, optional_customer, PageArgs};
use crate::export_args::ExportArgs;
use crate::print;

pub async fn to_generate(
    app: &App,
    criteria: CriteriaArgs,
    page: PageArgs,
    common: Common,
    export: ExportArgs,
) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let filters = criteria.filters();
    let criteria = criteria.criteria()?;
    if let Some(format) = export.file_format()? {
        let today = today_utc();
        let fetch = |page| app.dunning_to_generate(c, &criteria, today, page);
        return export.listed(app, c, &lists::TO_GENERATE, format, &filters, fetch).await;
    }
    let list = app.dunning_to_generate(c, &criteria, today_utc(), page.page()?).await.map_err(app_err)?;
    print::emit(json, &list, print_to_generate)
}

pub async fn beyond_last_level(
    app: &App,
    criteria: CriteriaArgs,
    page: PageArgs,
    common: Common,
    export: ExportArgs,
) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let filters = criteria.filters();
    let criteria = criteria.criteria()?;
    if let Some(format) = export.file_format()? {
        let today = today_utc();
        let fetch = |page| app.dunning_beyond_last_level(c, &criteria, today, page);
        return export.listed(app, c, &lists::BEYOND_LAST_LEVEL, format, &filters, fetch).await;
    }
    let list = app.dunning_beyond_last_level(c, &criteria, today_utc(), page.page()?).await.map_err(app_err)?;
    print::emit(json, &list, print_beyond)
}

pub async fn in_progress(app: &App, customer: Option<String>, page: PageArgs, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let filter = LetterFilter {
        customer_id: optional_customer(app, c, "--customer", customer).await?,
        in_progress: true,
        ..Default::default()
    };
    let list = app.dunning_letters(c, None, &filter, page.page()?).await.map_err(app_err)?;
    print::emit(json, &list, print_letter_list)
}

pub async fn history(
    app: &App,
    customer: Option<String>,
    installment: Option<i64>,
    common: Common,
) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let customer = optional_customer(app, c, "--customer", customer).await?;
    let h = app.dunning_history(c, customer, installment).await.map_err(app_err)?;
    print::emit(json, &h, |h| print_history(h))
}

pub async fn deliveries(
    app: &App,
    status: Option<String>,
    page: PageArgs,
    common: Common,
    export: ExportArgs,
) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    if let Some(format) = export.file_format()? {
        let filters = [("status", status.clone())];
        let fetch = |page| app.dunning_deliveries(c, status.as_deref(), page);
        let spec = &creance_app::exports::lists::DELIVERIES;
        return export.listed(app, c, spec, format, &filters, fetch).await;
    }
    let list = app.dunning_deliveries(c, status.as_deref(), page.page()?).await.map_err(app_err)?;
    print::emit(json, &list, print_deliveries)
}
