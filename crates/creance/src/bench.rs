//! `creance bench`: the figures the issues name, measured on a fresh database (not in tests: this
//! machine is shared and noisy, so timings are read by people, not asserted).

use std::process::ExitCode;
use std::time::Instant;

use creance_app::query_args::OpenItemArgs;
use creance_app::App;
use creance_core::Date;
use creance_store::Db;

use crate::output;

#[derive(serde::Serialize)]
struct Measure {
    what: String,
    seconds: f64,
    rows: i64,
}

pub async fn run(customers: usize, bench_db: Option<String>, json: bool) -> anyhow::Result<ExitCode> {
    let temp = std::env::temp_dir().join(format!("creance-bench-{}.db", std::process::id()));
    let url = bench_db.unwrap_or_else(|| format!("sqlite:{}", temp.display()));
    let app = App::new(Db::open(&url).await?);
    let as_of = Date::from_ymd(2026, 11, 22).ok_or_else(|| anyhow::anyhow!("bad bench date"))?;
    let mut measures = Vec::new();

    let start = Instant::now();
    let summary = crate::cli::run_demo(&app, customers, 1, as_of).await?;
    measures.push(Measure {
        what: format!("demo --customers {customers}"),
        seconds: start.elapsed().as_secs_f64(),
        rows: summary.installments as i64,
    });
    let queries: [(&str, OpenItemArgs); 4] = [
        ("open-items --overdue (first 100)", OpenItemArgs { overdue: Some("true".into()), ..Default::default() }),
        ("open-items --customer C000042", OpenItemArgs { customer: Some("C000042".into()), ..Default::default() }),
        ("open-items sorted by -amount_open", OpenItemArgs { sort: Some("-amount_open".into()), ..Default::default() }),
        ("open-items --by-document", OpenItemArgs::default()),
    ];
    for (i, (what, args)) in queries.into_iter().enumerate() {
        let (filter, sorts, page) = args.parse(as_of).map_err(anyhow::Error::from)?;
        let start = Instant::now();
        let rows = if i == 3 {
            app.open_documents(summary.company_id, &filter, &sorts, page)
                .await
                .map_err(anyhow::Error::from)?
                .total_count
        } else {
            app.open_items(summary.company_id, &filter, &sorts, page).await.map_err(anyhow::Error::from)?.total_count
        };
        measures.push(Measure { what: what.to_string(), seconds: start.elapsed().as_secs_f64(), rows });
    }
    app.db.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", temp.display()));
    }
    if json {
        output::json(&measures)?;
    } else {
        let rows: Vec<Vec<String>> =
            measures.iter().map(|m| vec![m.what.clone(), format!("{:.2}", m.seconds), m.rows.to_string()]).collect();
        output::table(&["measure", "seconds", "rows"], &rows, &[1, 2]);
    }
    Ok(ExitCode::SUCCESS)
}
