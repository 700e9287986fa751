//! Journal exports (SPEC §4.9): CSV, and the French FEC ("fichier des écritures comptables", 18 columns
//! in order, tab-separated). Entries are numbered per journal in export order. Allocations appear as
//! lettering (EcritureLet, DateLet) on the receivable lines they match: every group of documents,
//! payments and refunds joined by active allocations gets one code, on all its receivable lines.

use std::collections::HashMap;
use std::io::Write;

use creance_core::{Currency, Date, Money};
use creance_store::journal::{self, Line};
use creance_store::{companies, settings};

use crate::{App, AppError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalFormat {
    Csv,
    Fec,
}

impl JournalFormat {
    pub fn parse(text: &str) -> Option<JournalFormat> {
        match text.trim().to_lowercase().as_str() {
            "csv" => Some(JournalFormat::Csv),
            "fec" => Some(JournalFormat::Fec),
            _ => None,
        }
    }
}

/// The FEC's 18 columns, in the order the format requires.
pub const FEC_COLUMNS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// A small union-find over (kind, id) nodes.
struct Groups {
    index: HashMap<(String, i64), usize>,
    parent: Vec<usize>,
}

impl Groups {
    fn node(&mut self, key: (String, i64)) -> usize {
        let next = self.parent.len();
        let i = *self.index.entry(key).or_insert(next);
        if i == next {
            self.parent.push(next);
        }
        i
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// `1 → A`, `26 → Z`, `27 → AA`: a lettering code from a positive number.
fn letters(mut n: i64) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Lettering code and date per (source, id), from the active allocations of the company. A group's
/// code comes from its smallest allocation id, so it stays the same from one export to the next while
/// the group does not change.
async fn lettering(app: &App, company_id: i64) -> Result<HashMap<(String, i64), (String, Date)>, AppError> {
    let mut tx = app.db.begin_read().await?;
    let edges = journal::lettering_edges(&mut tx, company_id).await?;
    let mut g = Groups { index: HashMap::new(), parent: Vec::new() };
    for (a, b, _, aid) in &edges {
        let (x, y) = (g.node(a.clone()), g.node(b.clone()));
        g.union(x, y);
        if *aid > 0 {
            // The transfer lines an allocation books between two customers belong to its group too.
            let z = g.node(("allocation".to_string(), *aid));
            g.union(x, z);
        }
    }
    let mut per_root: HashMap<usize, (i64, Date)> = HashMap::new();
    for (a, _, date, aid) in &edges {
        let i = g.node(a.clone());
        let root = g.find(i);
        let e = per_root.entry(root).or_insert((i64::MAX, *date));
        if *aid > 0 {
            e.0 = e.0.min(*aid);
        }
        e.1 = e.1.max(*date);
    }
    let keys: Vec<(String, i64)> = g.index.keys().cloned().collect();
    let mut out = HashMap::with_capacity(keys.len());
    for k in keys {
        let i = g.index[&k];
        let root = g.find(i);
        if let Some((min_id, date)) = per_root.get(&root) {
            let n = if *min_id == i64::MAX { root as i64 + 1 } else { *min_id };
            out.insert(k, (letters(n), *date));
        }
    }
    Ok(out)
}

fn fec_date(d: Date) -> String {
    let (y, m, day) = d.ymd();
    format!("{y:04}{m:02}{day:02}")
}

fn fec_amount(minor: i64, currency: Currency) -> String {
    Money::new(minor, currency).format_amount().replace('.', ",")
}

/// FEC fields may not contain the separator or line breaks.
fn fec_text(s: &str) -> String {
    s.replace(['\t', '\n', '\r', '|'], " ")
}

fn csv_field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl App {
    /// Writes the journal lines dated in `[from, to]`; returns the number of lines written.
    pub async fn export_journal(
        &self,
        company_id: i64,
        from: Date,
        to: Date,
        format: JournalFormat,
        out: &mut (dyn Write + Send),
    ) -> Result<usize, AppError> {
        if from > to {
            return Err(AppError::invalid("from", format!("{from} is after --to {to}")));
        }
        let mut tx = self.db.begin_read().await?;
        let company = companies::get(&mut tx, company_id)
            .await?
            .ok_or(AppError::NotFound { entity: "company", key: company_id.to_string() })?;
        let codes = settings::account_codes(&mut tx, company_id).await?;
        let banks = settings::bank_accounts(&mut tx, company_id).await?;
        let lines: Vec<Line> = journal::lines(&mut tx, company_id, from, to).await?;
        drop(tx);
        let letters = lettering(self, company_id).await?;
        let journal_label = |code: &str| -> String {
            match code {
                settings::journals::SALES => "Ventes".to_string(),
                settings::journals::BANK => "Banque".to_string(),
                settings::journals::MISC => "Opérations diverses".to_string(),
                other => {
                    banks.iter().find(|b| b.journal_code == other).map_or_else(|| other.to_string(), |b| b.name.clone())
                }
            }
        };
        let io = |e: std::io::Error| AppError::Internal(anyhow::anyhow!("cannot write the export: {e}"));
        match format {
            JournalFormat::Fec => writeln!(out, "{}", FEC_COLUMNS.join("\t")).map_err(io)?,
            JournalFormat::Csv => writeln!(
                out,
                "journal;entry_number;date;account;customer_number;customer_name;piece_ref;label;debit;credit;currency;lettering;lettering_date"
            )
            .map_err(io)?,
        }
        let mut numbers: HashMap<String, i64> = HashMap::new();
        let mut entry_numbers: HashMap<String, i64> = HashMap::new();
        for l in &lines {
            let n = match entry_numbers.get(&l.entry) {
                Some(n) => *n,
                None => {
                    let counter = numbers.entry(l.journal.clone()).or_insert(0);
                    *counter += 1;
                    entry_numbers.insert(l.entry.clone(), *counter);
                    *counter
                }
            };
            let currency = Currency::parse(&l.currency).map_err(|e| anyhow::anyhow!("stored currency: {e}"))?;
            let letter = if l.customer_id.is_some() { letters.get(&(l.source.clone(), l.source_id)) } else { None };
            let foreign = currency != company.base_currency;
            match format {
                JournalFormat::Fec => {
                    let signed = l.debit - l.credit;
                    let fields = [
                        fec_text(&l.journal),
                        fec_text(&journal_label(&l.journal)),
                        format!("{}{:06}", l.journal, n),
                        fec_date(l.date),
                        fec_text(&l.account),
                        fec_text(&codes.label_of(&l.account)),
                        fec_text(l.customer_number.as_deref().unwrap_or("")),
                        fec_text(l.customer_name.as_deref().unwrap_or("")),
                        fec_text(&l.piece_ref),
                        fec_date(l.date),
                        fec_text(&l.label),
                        fec_amount(l.debit, currency),
                        fec_amount(l.credit, currency),
                        letter.map(|x| x.0.clone()).unwrap_or_default(),
                        letter.map(|x| fec_date(x.1)).unwrap_or_default(),
                        Date::parse(l.created_at.get(..10).unwrap_or("")).map(fec_date).unwrap_or_default(),
                        if foreign { fec_amount(signed, currency) } else { String::new() },
                        if foreign { l.currency.clone() } else { String::new() },
                    ];
                    writeln!(out, "{}", fields.join("\t")).map_err(io)?;
                }
                JournalFormat::Csv => {
                    let fields = [
                        l.journal.clone(),
                        format!("{}{:06}", l.journal, n),
                        l.date.to_string(),
                        l.account.clone(),
                        l.customer_number.clone().unwrap_or_default(),
                        l.customer_name.clone().unwrap_or_default(),
                        l.piece_ref.clone(),
                        l.label.clone(),
                        Money::new(l.debit, currency).format_amount(),
                        Money::new(l.credit, currency).format_amount(),
                        l.currency.clone(),
                        letter.map(|x| x.0.clone()).unwrap_or_default(),
                        letter.map(|x| x.1.to_string()).unwrap_or_default(),
                    ];
                    let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                    writeln!(out, "{}", row.join(";")).map_err(io)?;
                }
            }
        }
        Ok(lines.len())
    }
}

#[cfg(test)]
mod tests {
    use super::letters;

    #[test]
    fn lettering_codes_count_like_spreadsheet_columns() {
        assert_eq!(letters(1), "A");
        assert_eq!(letters(26), "Z");
        assert_eq!(letters(27), "AA");
        assert_eq!(letters(702), "ZZ");
        assert_eq!(letters(703), "AAA");
    }
}
