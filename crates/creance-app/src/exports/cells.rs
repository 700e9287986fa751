//! A list's row as export cells: the row is taken as its JSON answer shows it (the same names and
//! values), so that a CSV column is exactly the JSON field of the same name. An amount
//! (`{"amount": "1234.50", "currency": "EUR"}`) becomes a money cell, an ISO date a date cell, an
//! integer an integer cell, `null` an empty cell, a list its count; a nested field is named with a
//! dot (`counts.issued`).

use creance_core::{Date, Money};
use creance_render::list::Cell;
use serde::Serialize;
use serde_json::Value;

use crate::AppError;

/// The cells of `item` for `columns` (JSON field names); a name the row lacks is an empty cell.
pub fn row<T: Serialize>(item: &T, columns: &[&str]) -> Result<Vec<Cell>, AppError> {
    let value = serde_json::to_value(item)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot read a list row for export: {e}")))?;
    Ok(columns.iter().map(|c| cell(field(&value, c))).collect())
}

fn field<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    name.split('.').try_fold(value, |v, part| v.get(part))
}

fn cell(value: Option<&Value>) -> Cell {
    match value {
        None | Some(Value::Null) => Cell::Empty,
        Some(Value::Bool(b)) => Cell::text(if *b { "true" } else { "false" }),
        Some(Value::Number(n)) => n.as_i64().map_or_else(|| Cell::text(n.to_string()), Cell::Integer),
        Some(Value::String(s)) => iso_date(s).map_or_else(|| Cell::text(s.as_str()), Cell::Date),
        Some(Value::Array(a)) => Cell::Integer(i64::try_from(a.len()).unwrap_or(i64::MAX)),
        Some(v @ Value::Object(o)) => {
            if o.len() == 2 && o.contains_key("amount") && o.contains_key("currency") {
                if let Ok(m) = serde_json::from_value::<Money>(v.clone()) {
                    return Cell::Money(m);
                }
            }
            Cell::text(v.to_string())
        }
    }
}

/// `2026-12-31` exactly (not a timestamp, not a number that happens to parse).
fn iso_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if shaped {
        Date::parse(s).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use creance_core::Currency;

    #[test]
    fn json_fields_become_typed_cells() {
        let v = serde_json::json!({
            "number": "=1+1", "date": "2026-12-31", "at": "2026-12-31T10:00:00Z", "n": 4,
            "amount": {"amount": "-12.50", "currency": "EUR"}, "none": null, "ok": true,
            "lines": [1, 2, 3], "counts": {"issued": 2}
        });
        let cells =
            row(&v, &["number", "date", "at", "n", "amount", "none", "ok", "lines", "counts.issued", "missing"])
                .unwrap();
        assert_eq!(
            cells,
            vec![
                Cell::text("=1+1"),
                Cell::Date(Date::from_ymd(2026, 12, 31).unwrap()),
                Cell::text("2026-12-31T10:00:00Z"),
                Cell::Integer(4),
                Cell::Money(Money::new(-1250, Currency::EUR)),
                Cell::Empty,
                Cell::text("true"),
                Cell::Integer(3),
                Cell::Integer(2),
                Cell::Empty,
            ]
        );
    }
}
