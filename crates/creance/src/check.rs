//! `creance check`: the allocation invariants (SPEC §4.1) recomputed from the rows of the whole
//! database; exit code 1 on any violation.

use std::process::ExitCode;

use creance_app::App;

use crate::args::app_err;
use crate::print;

pub async fn run(app: &App, json: bool) -> anyhow::Result<ExitCode> {
    let violations = app.check().await.map_err(app_err)?;
    if json {
        print::json(&violations)?;
    } else if violations.is_empty() {
        println!("check: every allocation invariant holds");
    } else {
        for v in &violations {
            println!("company {}: {} {}: {}", v.company_id, v.rule, v.subject, v.detail);
        }
        println!("check: {} violation(s)", violations.len());
    }
    Ok(if violations.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
