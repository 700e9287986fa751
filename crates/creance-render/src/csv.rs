//! CSV of a list (SPEC §5 Files), written row by row to any `impl Write`, so that a million
//! installments stream with bounded memory.
//!
//! - [`Dialect::Standard`]: UTF-8, `,` between fields, `.` in amounts, CRLF line ends (RFC 4180).
//! - [`Dialect::Excel`]: a UTF-8 byte-order mark, `;` between fields and a decimal comma, so that a
//!   French Excel opens it cleanly.
//!
//! Every text cell goes through `creance_core::export_text::neutralise_formula` before quoting;
//! amounts are plain numbers without grouping or currency (the currency is a column of its own) and
//! dates are ISO 8601 (`2026-12-31`), which every spreadsheet reads as a date.

use crate::list::Cell;
use creance_core::export_text::neutralise_formula;
use std::io::{self, Write};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dialect {
    #[default]
    Standard,
    Excel,
}

impl Dialect {
    fn separator(self) -> u8 {
        match self {
            Dialect::Standard => b',',
            Dialect::Excel => b';',
        }
    }

    fn decimal(self) -> char {
        match self {
            Dialect::Standard => '.',
            Dialect::Excel => ',',
        }
    }
}

/// Writes a CSV: the BOM (Excel) before the first line, then each record as it is given.
pub struct CsvWriter<W: Write> {
    out: W,
    dialect: Dialect,
    started: bool,
    line: Vec<u8>,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(out: W, dialect: Dialect) -> CsvWriter<W> {
        CsvWriter { out, dialect, started: false, line: Vec::with_capacity(256) }
    }

    /// The header line (column titles are text cells too).
    pub fn header<S: AsRef<str>>(&mut self, titles: &[S]) -> io::Result<()> {
        self.begin();
        for (i, t) in titles.iter().enumerate() {
            self.field(i, &neutralise_formula(t.as_ref()));
        }
        self.end()
    }

    pub fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        self.begin();
        for (i, cell) in cells.iter().enumerate() {
            match cell {
                Cell::Text(t) => self.field(i, &neutralise_formula(t)),
                Cell::Money(m) => {
                    let text = m.format_amount().replace('.', &self.dialect.decimal().to_string());
                    self.field(i, &text)
                }
                Cell::Date(d) => self.field(i, &d.to_string()),
                Cell::Integer(n) => self.field(i, &n.to_string()),
                Cell::Empty => self.field(i, ""),
            }
        }
        self.end()
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// The writer, flushed.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }

    fn begin(&mut self) {
        self.line.clear();
        if !self.started {
            self.started = true;
            if self.dialect == Dialect::Excel {
                self.line.extend_from_slice("\u{feff}".as_bytes());
            }
        }
    }

    fn field(&mut self, index: usize, text: &str) {
        let sep = self.dialect.separator();
        if index > 0 {
            self.line.push(sep);
        }
        let needs_quotes = text.bytes().any(|b| b == sep || b == b'"' || b == b'\n' || b == b'\r')
            || text.starts_with(' ')
            || text.ends_with(' ');
        if needs_quotes {
            self.line.push(b'"');
            for b in text.bytes() {
                if b == b'"' {
                    self.line.push(b'"');
                }
                self.line.push(b);
            }
            self.line.push(b'"');
        } else {
            self.line.extend_from_slice(text.as_bytes());
        }
    }

    fn end(&mut self) -> io::Result<()> {
        self.line.extend_from_slice(b"\r\n");
        self.out.write_all(&self.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use creance_core::{Currency, Date, Money};

    fn write(dialect: Dialect, rows: &[Vec<Cell>]) -> String {
        let mut w = CsvWriter::new(Vec::new(), dialect);
        w.header(&["Pièce", "Montant"]).unwrap();
        for r in rows {
            w.row(r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn standard_and_excel_dialects() {
        let rows = vec![vec![Cell::text("FA-1"), Cell::Money(Money::new(-123456, Currency::EUR))]];
        assert_eq!(write(Dialect::Standard, &rows), "Pièce,Montant\r\nFA-1,-1234.56\r\n");
        assert_eq!(write(Dialect::Excel, &rows), "\u{feff}Pièce;Montant\r\nFA-1;-1234,56\r\n");
    }

    #[test]
    fn quoting_and_formula_neutralisation() {
        let rows = vec![vec![
            Cell::text("=HYPERLINK(\"x\")"),
            Cell::text("Dupont, \"fils\"\nLyon"),
            Cell::text("a;b"),
            Cell::Date(Date::from_ymd(2026, 12, 31).unwrap()),
            Cell::Integer(-4),
            Cell::Empty,
            Cell::Money(Money::new(1234, Currency::JPY)),
            Cell::Money(Money::new(1234, Currency::TND)),
        ]];
        let out = write(Dialect::Standard, &rows);
        assert_eq!(out.lines().nth(1).unwrap(), "\"'=HYPERLINK(\"\"x\"\")\",\"Dupont, \"\"fils\"\"", "{out}");
        assert!(out.ends_with("Lyon\",a;b,2026-12-31,-4,,1234,1.234\r\n"), "{out}");
        let excel = write(Dialect::Excel, &rows);
        assert!(excel.contains(";\"a;b\";2026-12-31;-4;;1234;1,234\r\n"), "{excel}");
    }
}
