//! Journal exports (SPEC §4.9): CSV, and the French FEC ("fichier des écritures comptables", 18 columns
//! in order, tab-separated). Entries are numbered per journal in export order. Allocations appear as
//! lettering (EcritureLet, DateLet) on the receivable lines they match: every group of documents,
//! payments and refunds joined by active allocations gets one code, on all its receivable lines.

use std::collections::HashMap;
use std::io::Write;

use creance_core::export_text::neutralise_formula;
use creance_core::{Currency, Date, Money};
use creance_store::journal;
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

/// A node of the lettering graph: (kind of row, id), kinds as in [`kind_code`].
type Node = (u8, i64);

/// The hash of a [`Node`]: a multiply-rotate over its two integers (as rustc's FxHash), a few times
/// cheaper than the default SipHash, which took a twentieth of an FEC of 3.4 million lines. The keys
/// are ids the database gave, not text a user chose: no need for a keyed hash.
#[derive(Default, Clone, Copy)]
struct NodeHasher(u64);

impl NodeHasher {
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for NodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.add(u64::from(*b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_i64(&mut self, i: i64) {
        self.add(i as u64);
    }
}

type NodeMap<V> = HashMap<Node, V, std::hash::BuildHasherDefault<NodeHasher>>;

/// `document` 0, `payment` 1, `refund` 2, `allocation` 3, anything else 255.
fn kind_code(source: &str) -> u8 {
    match source {
        "document" => 0,
        "payment" => 1,
        "refund" => 2,
        "allocation" => 3,
        _ => 255,
    }
}

/// A small union-find over nodes.
struct Groups {
    index: NodeMap<usize>,
    parent: Vec<usize>,
}

impl Groups {
    fn node(&mut self, key: Node) -> usize {
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

/// The lettering of a company: for each node of a group, the group's number (its code is
/// [`letters`] of it) and date, as integers (the FEC of 3.4 million lines holds 1.5 million nodes).
struct Lettering {
    index: NodeMap<usize>,
    /// By node index: the group's number and date.
    code: Vec<(i64, Date)>,
}

impl Lettering {
    /// The code and date of the group of `node`, if it is lettered.
    fn get(&self, node: &Node) -> Option<(String, Date)> {
        self.index.get(node).and_then(|&i| self.code.get(i)).map(|&(n, date)| (letters(n), date))
    }
}

/// Lettering code and date per (source, id), from the active allocations of the company. A group's
/// code comes from its smallest allocation id, so it stays the same from one export to the next while
/// the group does not change.
async fn lettering(app: &App, company_id: i64) -> Result<Lettering, AppError> {
    let mut tx = app.db.begin_read().await?;
    let edges = journal::lettering_edges(&mut tx, company_id).await?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    let mut g = Groups { index: NodeMap::default(), parent: Vec::new() };
    let node = |(kind, id): &(&str, i64)| (kind_code(kind), *id);
    for (a, b, _, aid) in &edges {
        let (x, y) = (g.node(node(a)), g.node(node(b)));
        g.union(x, y);
        if *aid > 0 {
            // The transfer lines an allocation books between two customers belong to its group too.
            let z = g.node((kind_code("allocation"), *aid));
            g.union(x, z);
        }
    }
    // By root: the smallest allocation id of the group and its latest date.
    let mut per_root: Vec<(i64, Option<Date>)> = vec![(i64::MAX, None); g.parent.len()];
    for (a, _, date, aid) in &edges {
        let i = g.node(node(a));
        let root = g.find(i);
        let e = &mut per_root[root];
        if *aid > 0 {
            e.0 = e.0.min(*aid);
        }
        e.1 = Some(e.1.map_or(*date, |d| d.max(*date)));
    }
    drop(edges);
    let mut code = Vec::with_capacity(g.parent.len());
    for i in 0..g.parent.len() {
        let root = g.find(i);
        let (min_id, date) = per_root[root];
        let n = if min_id == i64::MAX { root as i64 + 1 } else { min_id };
        // Every node is in the group of an edge: its root has a date.
        code.push((n, date.unwrap_or(Date::MIN)));
    }
    Ok(Lettering { index: g.index, code })
}

/// A date as the FEC writes it: `YYYYMMDD`.
struct FecDate(Date);

impl std::fmt::Display for FecDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.0.ymd();
        write!(f, "{y:04}{m:02}{d:02}")
    }
}

/// An amount as the FEC writes it: a decimal comma, no thousands separator.
struct FecAmount(i64, Currency);

impl std::fmt::Display for FecAmount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let exp = self.1.exponent();
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        if exp == 0 {
            return write!(f, "{sign}{abs}");
        }
        let unit = 10_u64.pow(exp);
        write!(f, "{sign}{},{:0width$}", abs / unit, abs % unit, width = exp as usize)
    }
}

/// A FEC text field: neutralised against formula injection (`creance_core::export_text`), then
/// without the separator or line breaks. Amounts and dates never pass through here.
fn fec_text(s: &str) -> std::borrow::Cow<'_, str> {
    let s = neutralise_formula(s);
    if s.contains(['\t', '\n', '\r', '|']) {
        std::borrow::Cow::Owned(s.replace(['\t', '\n', '\r', '|'], " "))
    } else {
        s
    }
}

/// A CSV text field: neutralised against formula injection, then quoted when needed.
fn csv_text(s: &str) -> String {
    csv_field(&neutralise_formula(s))
}

/// A CSV field quoted when it holds the separator, a quote or a line break (amounts and dates as they
/// are: they are numbers).
fn csv_field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl App {
    /// Writes the journal lines dated in `[from, to]` to `out`; returns the number of lines written.
    pub async fn export_journal(
        &self,
        company_id: i64,
        from: Date,
        to: Date,
        format: JournalFormat,
        out: &mut (dyn Write + Send),
    ) -> Result<usize, AppError> {
        self.export_journal_to(company_id, from, to, format, &mut crate::exports::WriteSink(out)).await
    }

    /// Sends the journal lines dated in `[from, to]` to `sink` a chunk at a time (the lines stream
    /// from the database, [`journal::LineCursor`], and each chunk's text is sent before the next is
    /// read: memory holds the lettering and one chunk); returns the number of lines written. A
    /// refusal (`from` after `to`, no such company) comes before anything is sent.
    pub async fn export_journal_to(
        &self,
        company_id: i64,
        from: Date,
        to: Date,
        format: JournalFormat,
        sink: &mut impl crate::exports::Sink,
    ) -> Result<usize, AppError> {
        if from > to {
            return Err(AppError::invalid("from", format!("{from} is after --to {to}")));
        }
        let letters = lettering(self, company_id).await?;
        let mut tx = self.db.begin_read().await?;
        let company = companies::get(&mut tx, company_id)
            .await?
            .ok_or(AppError::NotFound { entity: "company", key: company_id.to_string() })?;
        let codes = settings::account_codes(&mut tx, company_id).await?;
        let banks = settings::bank_accounts(&mut tx, company_id).await?;
        // Labels per journal and per account, looked up once each.
        let mut journal_labels: HashMap<String, String> = HashMap::new();
        let mut account_labels: HashMap<String, String> = HashMap::new();
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
        let io = |e: std::io::Error| anyhow::anyhow!("cannot write the export: {e}");
        let mut out: Vec<u8> = Vec::with_capacity(1 << 20);
        match format {
            JournalFormat::Fec => writeln!(out, "{}", FEC_COLUMNS.join("\t")).map_err(io)?,
            JournalFormat::Csv => writeln!(
                out,
                "journal;entry_number;date;account;customer_number;customer_name;piece_ref;label;debit;credit;currency;lettering;lettering_date"
            )
            .map_err(io)?,
        }
        // Lines come sorted by journal, date and entry, a chunk at a time: an entry's lines are
        // contiguous, and entries are numbered from 1 in each journal.
        let mut n = 0i64;
        let mut written = 0usize;
        let mut previous: Option<(String, String)> = None;
        let mut cursor = journal::LineCursor::new(company_id, from, to);
        while let Some(chunk) = cursor.next(&mut tx).await? {
            for l in chunk {
                written += 1;
                match &previous {
                    Some((j, e)) if *j == l.journal && *e == l.entry => {}
                    Some((j, _)) if *j == l.journal => n += 1,
                    _ => n = 1,
                }
                if previous.as_ref().is_none_or(|(j, e)| *j != l.journal || *e != l.entry) {
                    previous = Some((l.journal.clone(), l.entry.clone()));
                }
                let currency = Currency::parse(&l.currency).map_err(|e| anyhow::anyhow!("stored currency: {e}"))?;
                let letter =
                    if l.customer_id.is_some() { letters.get(&(kind_code(&l.source), l.source_id)) } else { None };
                let letter = letter.as_ref();
                let foreign = currency != company.base_currency;
                match format {
                    JournalFormat::Fec => {
                        let signed = l.debit - l.credit;
                        if !journal_labels.contains_key(&l.journal) {
                            journal_labels.insert(l.journal.clone(), fec_text(&journal_label(&l.journal)).into_owned());
                        }
                        if !account_labels.contains_key(&l.account) {
                            account_labels
                                .insert(l.account.clone(), fec_text(&codes.label_of(&l.account)).into_owned());
                        }
                        let date = FecDate(l.date);
                        writeln!(
                            out,
                            "{}\t{}\t{}{:06}\t{date}\t{}\t{}\t{}\t{}\t{}\t{date}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                            fec_text(&l.journal),
                            journal_labels.get(&l.journal).map_or("", String::as_str),
                            fec_text(&l.journal),
                            n,
                            fec_text(&l.account),
                            account_labels.get(&l.account).map_or("", String::as_str),
                            fec_text(l.customer_number.as_deref().unwrap_or("")),
                            fec_text(l.customer_name.as_deref().unwrap_or("")),
                            fec_text(&l.piece_ref),
                            fec_text(&l.label),
                            FecAmount(l.debit, currency),
                            FecAmount(l.credit, currency),
                            letter.map_or("", |x| x.0.as_str()),
                            letter.map(|x| FecDate(x.1).to_string()).unwrap_or_default(),
                            Date::parse(l.created_at.get(..10).unwrap_or(""))
                                .map(|d| FecDate(d).to_string())
                                .unwrap_or_default(),
                            if foreign { FecAmount(signed, currency).to_string() } else { String::new() },
                            if foreign { l.currency.as_str() } else { "" },
                        )
                        .map_err(io)?;
                    }
                    JournalFormat::Csv => {
                        let row = [
                            csv_text(&l.journal),
                            csv_text(&format!("{}{:06}", l.journal, n)),
                            csv_field(&l.date.to_string()),
                            csv_text(&l.account),
                            csv_text(l.customer_number.as_deref().unwrap_or("")),
                            csv_text(l.customer_name.as_deref().unwrap_or("")),
                            csv_text(&l.piece_ref),
                            csv_text(&l.label),
                            csv_field(&Money::new(l.debit, currency).format_amount()),
                            csv_field(&Money::new(l.credit, currency).format_amount()),
                            csv_text(&l.currency),
                            csv_text(letter.map_or("", |x| x.0.as_str())),
                            csv_field(&letter.map(|x| x.1.to_string()).unwrap_or_default()),
                        ];
                        writeln!(out, "{}", row.join(";")).map_err(io)?;
                    }
                }
            }
            sink.send(std::mem::replace(&mut out, Vec::with_capacity(1 << 20))).await?;
        }
        if !out.is_empty() {
            sink.send(out).await?;
        }
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(written)
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
