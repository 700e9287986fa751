//! `creance export journal` (SPEC §4.9): the journal lines of a period as CSV or as the French FEC,
//! to the standard output or to a file.

use anyhow::Context;
use clap::Subcommand;
use creance_app::journal::JournalFormat;
use creance_app::App;

use crate::args::{app_err, company_or_only, date};

#[derive(Subcommand, Debug)]
pub enum ExportCmd {
    /// The journal lines dated from --from to --to, as CSV or as the French FEC.
    Journal {
        #[arg(long)]
        company: Option<i64>,
        /// csv or fec.
        #[arg(long, default_value = "csv")]
        format: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// Write to this file instead of the standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

pub async fn export(app: &App, cmd: ExportCmd) -> anyhow::Result<()> {
    let ExportCmd::Journal { company, format, from, to, output } = cmd;
    let c = company_or_only(app, company).await?;
    let format = JournalFormat::parse(&format).with_context(|| format!("--format {format:?}: use csv or fec"))?;
    let from = date("--from", &from)?;
    let to = date("--to", &to)?;
    match &output {
        Some(path) => {
            let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let lines = app.export_journal(c, from, to, format, &mut out).await.map_err(app_err)?;
            std::io::Write::flush(&mut out).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{lines} journal line(s) written to {}", path.display());
        }
        None => {
            let mut out = std::io::stdout();
            app.export_journal(c, from, to, format, &mut out).await.map_err(app_err)?;
        }
    }
    Ok(())
}
