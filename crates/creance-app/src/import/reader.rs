//! Reading CSV and JSON into raw rows keyed by canonical column, before any validation.

use super::{Entity, ImportFault, RowError};

/// Where rows came from, which decides how a row is located in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Csv,
    Json,
}

impl Source {
    pub fn location_word(self) -> &'static str {
        match self {
            Source::Csv => "line",
            Source::Json => "item",
        }
    }
}

/// One input row: its line (CSV) or item number (JSON) and its non-empty values by canonical column.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub line: usize,
    values: Vec<(&'static str, String)>,
}

impl RawRow {
    pub fn new(line: usize) -> RawRow {
        RawRow { line, values: Vec::new() }
    }

    /// Sets a column's value (trimmed; empty means absent). Lengths are checked by
    /// [`too_long`] as rows are read.
    pub fn set(&mut self, column: &'static str, value: String) {
        let value = value.trim().to_string();
        if value.is_empty() {
            return;
        }
        match self.values.iter_mut().find(|(c, _)| *c == column) {
            Some(slot) => slot.1 = value,
            None => self.values.push((column, value)),
        }
    }

    /// The trimmed value of a column, `None` when absent or empty.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.values.iter().find(|(c, _)| *c == column).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct RawTable {
    pub source: Source,
    pub rows: Vec<RawRow>,
}

/// Why a field's text is longer than its column takes (`creance_core::text_limits`), if it is.
fn too_long(column: &str, text: &str) -> Option<ImportFault> {
    creance_core::text_limits::check_text_length(column, text.trim()).err().map(ImportFault::TooLong)
}

/// Control characters other than tab and line breaks: never in business text, and Créance uses two
/// of them as separators internally.
fn has_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Picks the delimiter that splits the header line most often, outside quotes.
fn detect_delimiter(header: &[u8]) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in header {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if b == *d {
                    *n += 1;
                }
            }
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).map_or(b';', |(d, n)| if *n == 0 { b';' } else { *d })
}

/// Reads a CSV file. Returns the rows and the errors found while reading (header, encoding, shape).
pub fn read_csv(bytes: &[u8], entity: Entity) -> (RawTable, Vec<RowError>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut table = RawTable { source: Source::Csv, rows: Vec::new() };
    let mut errors = Vec::new();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        errors.push(RowError::new(0, None, ImportFault::EmptyFile));
        return (table, errors);
    }
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let delimiter = detect_delimiter(first_line);
    if let Some(line) = unterminated_quote(bytes, delimiter) {
        errors.push(RowError::new(line, None, ImportFault::QuoteNotClosed));
        return (table, errors);
    }
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(true).from_reader(bytes);
    let headers = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            errors.push(RowError::new(1, None, ImportFault::HeaderUnreadable { detail: e.to_string() }));
            return (table, errors);
        }
    };
    let mut columns: Vec<Option<&'static str>> = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let Ok(name) = std::str::from_utf8(h) else {
            errors.push(RowError::new(1, None, ImportFault::HeaderNotUtf8 { index: i + 1 }));
            columns.push(None);
            continue;
        };
        if name.trim().is_empty() {
            columns.push(None);
            continue;
        }
        match entity.canonical(name) {
            Some(c) if columns.contains(&Some(c)) => {
                errors.push(RowError::new(1, Some(name.to_string()), ImportFault::ColumnTwice { column: c }));
                columns.push(None);
            }
            Some(c) => columns.push(Some(c)),
            None => {
                let fault = ImportFault::UnknownColumn { name: name.to_string(), entity };
                errors.push(RowError::new(1, Some(name.to_string()), fault));
                columns.push(None);
            }
        }
    }
    if !errors.is_empty() {
        return (table, errors);
    }
    for record in reader.byte_records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(RowError::new(line, None, ImportFault::RowUnreadable { detail: e.to_string() }));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if record.len() > columns.len() {
            let fault = ImportFault::TooManyFields { fields: record.len(), columns: columns.len() };
            errors.push(RowError::new(line, None, fault));
            continue;
        }
        let mut row = RawRow::new(line);
        for (i, field) in record.iter().enumerate() {
            let Some(column) = columns[i] else { continue };
            match std::str::from_utf8(field) {
                Ok(text) if has_control(text) => {
                    errors.push(RowError::new(line, Some(column.to_string()), ImportFault::ControlCharacter))
                }
                Ok(text) => match too_long(column, text) {
                    Some(fault) => errors.push(RowError::new(line, Some(column.to_string()), fault)),
                    None => row.set(column, text.to_string()),
                },
                Err(_) => errors.push(RowError::new(line, Some(column.to_string()), ImportFault::NotUtf8)),
            }
        }
        table.rows.push(row);
    }
    if table.rows.is_empty() && errors.is_empty() {
        errors.push(RowError::new(0, None, ImportFault::HeaderOnly));
    }
    (table, errors)
}

/// The line of a quoted field that is still open at the end of the file, read as the `csv` crate
/// reads it (a quote opens a field only as its first byte, `""` inside it is a quote, and after the
/// closing quote the field continues unquoted up to the delimiter or line end). `None` when every
/// quote is closed.
fn unterminated_quote(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let mut line = 1usize;
    let mut opened_on = 0usize;
    let mut at_field_start = true;
    let mut quoted = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if at_field_start && b == b'"' {
            quoted = true;
            opened_on = line;
        }
        at_field_start = !quoted && (b == delimiter || b == b'\n' || b == b'\r');
        if b == b'\n' {
            line += 1;
        }
        i += 1;
    }
    quoted.then_some(opened_on)
}

/// Reads a JSON array of objects. Values may be strings, numbers or booleans; a document's
/// `installments` array (objects with `due_date` and `amount`) becomes one row per installment.
pub fn read_json(value: &serde_json::Value, entity: Entity) -> (RawTable, Vec<RowError>) {
    let mut table = RawTable { source: Source::Json, rows: Vec::new() };
    let mut errors = Vec::new();
    let Some(items) = value.as_array() else {
        errors.push(RowError::new(0, None, ImportFault::NotAnArray));
        return (table, errors);
    };
    if items.is_empty() {
        errors.push(RowError::new(0, None, ImportFault::EmptyArray));
    }
    for (i, item) in items.iter().enumerate() {
        let line = i + 1;
        let Some(object) = item.as_object() else {
            errors.push(RowError::new(line, None, ImportFault::NotAnObject));
            continue;
        };
        let mut row = RawRow::new(line);
        let mut installments: Option<&Vec<serde_json::Value>> = None;
        for (key, v) in object {
            if entity == Entity::Documents && key == "installments" {
                match v.as_array() {
                    Some(list) => installments = Some(list),
                    None => errors.push(RowError::new(line, Some(key.clone()), ImportFault::InstallmentsNotAnArray)),
                }
                continue;
            }
            let Some(column) = entity.canonical(key) else {
                errors.push(RowError::new(
                    line,
                    Some(key.clone()),
                    ImportFault::UnknownField { name: key.clone(), entity },
                ));
                continue;
            };
            match scalar(v) {
                Ok(Some(text)) if has_control(&text) => {
                    errors.push(RowError::new(line, Some(key.clone()), ImportFault::ControlCharacter))
                }
                Ok(Some(text)) => match too_long(column, &text) {
                    Some(fault) => errors.push(RowError::new(line, Some(key.clone()), fault)),
                    None => row.set(column, text),
                },
                Ok(None) => {}
                Err(fault) => errors.push(RowError::new(line, Some(key.clone()), fault)),
            }
        }
        match installments {
            None => table.rows.push(row),
            Some(list) if list.is_empty() => table.rows.push(row),
            Some(list) => {
                for (k, inst) in list.iter().enumerate() {
                    let mut r = row.clone();
                    let field = |name: &str| inst.get(name).map(scalar);
                    for (name, column) in [("due_date", "due_date"), ("amount", "installment_amount")] {
                        match field(name) {
                            Some(Ok(Some(text))) => r.set(column, text),
                            Some(Ok(None)) | None => {}
                            Some(Err(fault)) => {
                                errors.push(RowError::new(line, Some(format!("installments[{k}].{name}")), fault))
                            }
                        }
                    }
                    table.rows.push(r);
                }
            }
        }
    }
    (table, errors)
}

fn scalar(v: &serde_json::Value) -> Result<Option<String>, ImportFault> {
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Ok(Some(s.clone())),
        // serde_json keeps a number's exact text (`arbitrary_precision`): `10.10` stays `10.10`, and the
        // amount rules then judge it like a string. An exponent is never an exact amount or number here.
        serde_json::Value::Number(n) => {
            let text = n.to_string();
            if text.contains(['e', 'E']) {
                return Err(ImportFault::Exponent { text });
            }
            Ok(Some(text))
        }
        serde_json::Value::Bool(b) => Ok(Some(if *b { "yes" } else { "no" }.to_string())),
        _ => Err(ImportFault::NotAScalar),
    }
}
