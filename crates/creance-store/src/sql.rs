//! A small builder for runtime SQL with `$n` placeholders, which both engines accept through sqlx's
//! `Any` driver (sqlx's own `QueryBuilder<Any>` writes `?`, which PostgreSQL rejects).

use std::borrow::Cow;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::AnyConnection;
use sqlx::{Any, Arguments};

/// A bound value. Only the kinds that decode identically on both engines.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    Text(String),
    NullInt,
    NullText,
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Value::NullInt, Value::Int)
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        v.map_or(Value::NullText, Value::Text)
    }
}

/// SQL text with its arguments, built left to right.
#[derive(Default, Debug, Clone)]
pub struct Sql {
    text: String,
    args: Vec<Value>,
}

/// Up to this many rows, [`Sql::int_values`] binds its values; above, it writes literals.
pub const BOUND_ROWS_MAX: usize = 64;

/// Rows per statement of a batch written as literals ([`Sql::int_values`]): a few megabytes of SQL
/// (a whole batch allocation of 166,000 lines is one statement: each chunk scans the table once).
/// PostgreSQL plans a large `UPDATE … FROM (VALUES …)` as one scan of the table and a hash join, so
/// the 15,000-row chunks that bound parameters allowed each scanned the whole table (issue 9 point 20).
pub const LITERAL_BATCH_ROWS: usize = 250_000;

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), args: Vec::new() }
    }

    /// Appends raw SQL text (never user input).
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Sql {
        use std::fmt::Write;
        self.args.push(value.into());
        // Writing into a String cannot fail.
        let _ = write!(self.text, "${}", self.args.len());
        self
    }

    /// Appends `(v1, v2, …)` with one placeholder per value.
    pub fn bind_tuple(&mut self, values: impl IntoIterator<Item = Value>) -> &mut Sql {
        self.text.push('(');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(v);
        }
        self.text.push(')');
        self
    }

    /// Appends `(v1, v2, …)` of integers (or NULL) as SQL literals, with no placeholder: for the
    /// ids and amounts of a large batch, which the application computed (never text from a user).
    /// A statement of literals has no parameter limit, so a batch is one statement, planned once.
    pub fn int_tuple(&mut self, values: impl IntoIterator<Item = Option<i64>>) -> &mut Sql {
        use std::fmt::Write;
        self.text.push('(');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            match v {
                // Writing into a String cannot fail.
                Some(v) => drop(write!(self.text, "{v}")),
                None => self.text.push_str("NULL"),
            }
        }
        self.text.push(')');
        self
    }

    /// Appends the integer tuples of a `VALUES` list: bound when there are few (one cached statement
    /// per number of rows: the single allocations of the API), else as literals (see [`Sql::int_tuple`]).
    pub fn int_values<const N: usize>(&mut self, rows: &[[Option<i64>; N]]) -> &mut Sql {
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            if rows.len() <= BOUND_ROWS_MAX {
                self.bind_tuple(row.iter().map(|v| v.map_or(Value::NullInt, Value::Int)));
            } else {
                self.int_tuple(row.iter().copied());
            }
        }
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    fn arguments(&self) -> anyhow::Result<AnyArguments<'_>> {
        let mut args = AnyArguments::default();
        for v in &self.args {
            let r = match v {
                Value::Int(i) => args.add(*i),
                Value::Text(s) => args.add(s.as_str()),
                Value::NullInt => args.add(None::<i64>),
                Value::NullText => args.add(None::<String>),
            };
            r.map_err(|e| anyhow::anyhow!("cannot bind a SQL argument: {e}"))?;
        }
        Ok(args)
    }

    /// The text for the connection's engine. SQLite gets anonymous `?`: for a named or numbered
    /// parameter, sqlx asks SQLite its name, a linear search each time (quadratic on large multi-row
    /// statements). The builder writes placeholders in the order of their arguments, so `?` binds the
    /// same values; that order is checked, and `?NNN` kept if it ever differs.
    fn text_for(&self, conn: &AnyConnection) -> Cow<'_, str> {
        if conn.backend_name() != "SQLite" {
            return Cow::Borrowed(&self.text);
        }
        let bytes = self.text.as_bytes();
        let mut plain = Vec::with_capacity(bytes.len());
        let mut numbered = Vec::with_capacity(bytes.len());
        let mut expected = 1usize;
        let mut in_order = true;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'$' {
                let mut end = i + 1;
                let mut n = 0usize;
                while end < bytes.len() && bytes[end].is_ascii_digit() {
                    n = n.saturating_mul(10).saturating_add(usize::from(bytes[end] - b'0'));
                    end += 1;
                }
                if end > i + 1 {
                    in_order &= n == expected;
                    expected += 1;
                    plain.push(b'?');
                    numbered.push(b'?');
                    numbered.extend_from_slice(&bytes[i + 1..end]);
                    i = end;
                    continue;
                }
            }
            plain.push(b);
            numbered.push(b);
            i += 1;
        }
        // Only ASCII bytes were replaced by ASCII bytes, so both are still UTF-8.
        let text = if in_order { plain } else { numbered };
        Cow::Owned(String::from_utf8(text).unwrap_or_else(|_| self.text.clone()))
    }

    fn query<'q>(&'q self, text: &'q str) -> Result<Query<'q, Any, AnyArguments<'q>>, sqlx::Error> {
        let args = self.arguments().map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        Ok(sqlx::query_with(text, args))
    }

    pub async fn execute(&self, conn: &mut AnyConnection) -> Result<u64, sqlx::Error> {
        let text = self.text_for(conn);
        Ok(self.query(&text)?.execute(conn).await?.rows_affected())
    }

    pub async fn fetch_all(&self, conn: &mut AnyConnection) -> Result<Vec<AnyRow>, sqlx::Error> {
        let text = self.text_for(conn);
        self.query(&text)?.fetch_all(conn).await
    }

    pub async fn fetch_optional(&self, conn: &mut AnyConnection) -> Result<Option<AnyRow>, sqlx::Error> {
        let text = self.text_for(conn);
        self.query(&text)?.fetch_optional(conn).await
    }

    pub async fn fetch_one(&self, conn: &mut AnyConnection) -> Result<AnyRow, sqlx::Error> {
        let text = self.text_for(conn);
        self.query(&text)?.fetch_one(conn).await
    }
}

impl Sql {
    /// Appends another fragment, renumbering its placeholders after this one's.
    pub fn append(&mut self, other: &Sql) -> &mut Sql {
        let base = self.args.len();
        let bytes = other.text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'$' {
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end].is_ascii_digit() {
                    end += 1;
                }
                if end > start {
                    let n: usize = other.text[start..end].parse().unwrap_or(0);
                    self.text.push('$');
                    self.text.push_str(&(n + base).to_string());
                    i = end;
                    continue;
                }
            }
            // Push the whole UTF-8 character starting at i.
            let ch_len = other.text[i..].chars().next().map_or(1, char::len_utf8);
            self.text.push_str(&other.text[i..i + ch_len]);
            i += ch_len;
        }
        self.args.extend(other.args.iter().cloned());
        self
    }
}

/// One page of a filtered list and the count of all rows the filter selects: `count` and `select`
/// are the statements up to their `WHERE`, `filter` is that `WHERE` clause, `tail` what follows it
/// in the page query (`GROUP BY …`, `ORDER BY …`).
pub(crate) async fn page(
    conn: &mut AnyConnection,
    count: &str,
    select: &str,
    filter: &Sql,
    tail: &str,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<AnyRow>, i64)> {
    let mut count_sql = Sql::new(count);
    count_sql.append(filter);
    let total = crate::row::int(&count_sql.fetch_one(&mut *conn).await?, "n")?;
    let mut sql = Sql::new(select);
    sql.append(filter).push(tail).push(" LIMIT ").bind(limit).push(" OFFSET ").bind(offset);
    Ok((sql.fetch_all(conn).await?, total))
}

/// Unit and record separators of [`fetch_packed`] (control characters no imported text contains).
const UNIT: &str = "\u{1f}";
const RECORD: &str = "\u{1e}";
/// The same as characters: splitting on a `char` is a byte search, on a `&str` a substring search
/// (3% of the FEC's time went to it).
const UNIT_CHAR: char = '\u{1f}';
const RECORD_CHAR: char = '\u{1e}';

/// Reads a large result as few rows. sqlx hands SQLite rows over one at a time from its worker
/// thread, which costs more than the query itself on hundreds of thousands of rows; here each
/// returned row packs up to 1,000 source rows (`string_agg`, on both engines). `fields` are SQL
/// expressions of type TEXT that are never NULL; `from` is the `FROM … WHERE …` part; `id` an integer
/// column to group by. Returns each source row's fields as strings.
pub(crate) async fn fetch_packed(
    conn: &mut AnyConnection,
    fields: &[&str],
    from: &Sql,
    id: &str,
) -> anyhow::Result<Vec<Vec<String>>> {
    let mut out = Vec::new();
    fetch_packed_each(conn, fields, from, id, |values| {
        out.push(values.iter().map(|v| v.to_string()).collect());
        Ok(())
    })
    .await?;
    Ok(out)
}

/// [`fetch_packed`] handing each source row's fields to `each` as borrowed text, without a `String`
/// per field: a caller that keeps a few integers per row holds those, not the row's text (the FEC's
/// 752,293 lettering edges were 190 MB of `String`s before they were 48 MB of tuples).
pub(crate) async fn fetch_packed_each(
    conn: &mut AnyConnection,
    fields: &[&str],
    from: &Sql,
    id: &str,
    mut each: impl FnMut(&[&str]) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut sql = Sql::new("SELECT string_agg(");
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            sql.push(" || ").bind(UNIT).push(" || ");
        }
        sql.push(f);
    }
    sql.push(", ").bind(RECORD).push(") AS packed ");
    sql.append(from);
    sql.push(&format!(" GROUP BY {id} / 1000"));
    for r in sql.fetch_all(conn).await? {
        let packed: String = crate::row::text(&r, "packed")?;
        let mut values: Vec<&str> = Vec::with_capacity(fields.len());
        for record in packed.split(RECORD_CHAR) {
            values.clear();
            values.extend(record.split(UNIT_CHAR));
            anyhow::ensure!(
                values.len() == fields.len(),
                "a packed row has {} fields, not {}",
                values.len(),
                fields.len()
            );
            each(&values)?;
        }
    }
    Ok(())
}

/// One column of the order of a [`PackedCursor`]: its SQL expression, the index of its value among
/// the fields, and whether it is an integer (bound as one where the next chunk starts).
pub(crate) struct KeyColumn {
    pub sql: &'static str,
    pub field: usize,
    pub integer: bool,
}

/// Source rows per chunk of a [`PackedCursor`].
const CHUNK: i64 = 2_000;

/// Reads a large result in order without holding it: chunks of [`CHUNK`] source rows, each one
/// statement that returns one packed row (as [`fetch_packed`]), the next chunk starting after the
/// last key of the one before (`(k1, k2, …) > ($1, $2, …)`, a keyset: no OFFSET, no sort of the whole
/// result when an index gives the order). Memory holds one chunk whatever the size of the result, on
/// both engines, and neither database sorts or buffers the whole result (a window function over it
/// did: 1 GB and 30 s for the FEC of 3.4 million lines on SQLite). The caller awaits what it likes
/// between chunks (an HTTP body that the client reads at its pace).
pub(crate) struct PackedCursor {
    fields: &'static [&'static str],
    from: Sql,
    order: &'static [KeyColumn],
    after: Option<Vec<Value>>,
    done: bool,
}

impl PackedCursor {
    /// `fields` are SQL expressions of type TEXT that are never NULL; `from` the `FROM … WHERE …`
    /// part; `order` columns that make a unique key.
    pub(crate) fn new(fields: &'static [&'static str], from: Sql, order: &'static [KeyColumn]) -> PackedCursor {
        PackedCursor { fields, from, order, after: None, done: false }
    }

    /// The next chunk's rows, each as its fields' values; `None` once the result is read.
    pub(crate) async fn next(&mut self, conn: &mut AnyConnection) -> anyhow::Result<Option<Vec<Vec<String>>>> {
        if self.done {
            return Ok(None);
        }
        let columns: Vec<&str> = self.order.iter().map(|k| k.sql).collect();
        let keys: Vec<String> = (0..self.order.len()).map(|i| format!("p.k{i}")).collect();
        let mut sql = Sql::new("SELECT COUNT(*) AS n, string_agg(p.r, ");
        sql.bind(RECORD).push(&format!(" ORDER BY {}) AS packed FROM (SELECT ", keys.join(", ")));
        // One `format('%s…%s', …)` per row: on SQLite twice as fast as `||` between every field
        // (which builds each intermediate string); `concat_ws` would be faster still but SQLite
        // 3.46's skips empty strings.
        sql.push("format(").bind(vec!["%s"; self.fields.len()].join(UNIT));
        for f in self.fields {
            sql.push(", ").push(f);
        }
        sql.push(") AS r");
        for (i, k) in self.order.iter().enumerate() {
            sql.push(&format!(", {} AS k{i}", k.sql));
        }
        sql.push(" ");
        sql.append(&self.from);
        if let Some(values) = self.after.take() {
            sql.push(&format!(" AND ({}) > ", columns.join(", "))).bind_tuple(values);
        }
        sql.push(&format!(" ORDER BY {} LIMIT ", columns.join(", "))).bind(CHUNK).push(") p");
        let row = sql.fetch_one(&mut *conn).await?;
        let rows = crate::row::int(&row, "n")?;
        if rows < CHUNK {
            self.done = true;
        }
        if rows == 0 {
            return Ok(None);
        }
        let packed = crate::row::text(&row, "packed")?;
        let mut out = Vec::with_capacity(rows as usize);
        for record in packed.split(RECORD_CHAR) {
            let values: Vec<String> = record.split(UNIT_CHAR).map(str::to_string).collect();
            anyhow::ensure!(
                values.len() == self.fields.len(),
                "a packed row has {} fields, not {}",
                values.len(),
                self.fields.len()
            );
            out.push(values);
        }
        if let Some(last) = out.last() {
            let key = self
                .order
                .iter()
                .map(|k| {
                    let v = &last[k.field];
                    if k.integer {
                        v.parse::<i64>().map(Value::Int).map_err(|e| anyhow::anyhow!("packed key {v:?}: {e}"))
                    } else {
                        Ok(Value::Text(v.clone()))
                    }
                })
                .collect::<anyhow::Result<Vec<Value>>>()?;
            self.after = Some(key);
        }
        Ok(Some(out))
    }
}

/// The divisor of [`wide_sum`]: sums are taken over `x / 10^9` and `x % 10^9` separately.
pub const WIDE_SPLIT: i64 = 1_000_000_000;

/// `SUM(expr)` as two sums that cannot overflow an i64 on either engine (SQLite's `SUM` fails on
/// overflow, PostgreSQL's `CAST(SUM(…) AS BIGINT)` too): `{alias}_hi` = Σ(x / 10^9) and `{alias}_lo`
/// = Σ(x % 10^9). Both engines truncate toward zero, so `hi × 10^9 + lo = x` also for negatives; read
/// the pair back with [`crate::row::wide`] as an i128.
pub fn wide_sum(expr: &str, alias: &str) -> String {
    format!(
        "CAST(SUM(({expr}) / {WIDE_SPLIT}) AS BIGINT) AS {alias}_hi, \
         CAST(SUM(({expr}) % {WIDE_SPLIT}) AS BIGINT) AS {alias}_lo"
    )
}

/// A `HAVING` condition true when `SUM(expr)` is not zero, computed without ever forming the sum:
/// Σx = 10^9·Σhi + Σlo is zero exactly when Σlo is a multiple of 10^9 and Σhi = −Σlo / 10^9.
pub fn wide_sum_is_not_zero(expr: &str) -> String {
    let hi = format!("SUM(({expr}) / {WIDE_SPLIT})");
    let lo = format!("SUM(({expr}) % {WIDE_SPLIT})");
    format!(
        "(CAST({lo} AS BIGINT) % {WIDE_SPLIT} <> 0 OR CAST({hi} AS BIGINT) <> -CAST({lo} AS BIGINT) / {WIDE_SPLIT})"
    )
}
