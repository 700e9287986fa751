//! A small builder for runtime SQL with `$n` placeholders, which both engines accept through sqlx's
//! `Any` driver (sqlx's own `QueryBuilder<Any>` writes `?`, which PostgreSQL rejects).

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::Arguments;

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

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    /// Appends raw SQL text (never user input).
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Sql {
        self.args.push(value.into());
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
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

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty_args(&self) -> bool {
        self.args.is_empty()
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

    pub async fn execute<'c, E>(&self, exec: E) -> Result<u64, sqlx::Error>
    where
        E: sqlx::Executor<'c, Database = sqlx::Any>,
    {
        let args = self
            .arguments()
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        Ok(sqlx::query_with(&self.text, args)
            .execute(exec)
            .await?
            .rows_affected())
    }

    pub async fn fetch_all<'c, E>(&self, exec: E) -> Result<Vec<AnyRow>, sqlx::Error>
    where
        E: sqlx::Executor<'c, Database = sqlx::Any>,
    {
        let args = self
            .arguments()
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        sqlx::query_with(&self.text, args).fetch_all(exec).await
    }

    pub async fn fetch_optional<'c, E>(&self, exec: E) -> Result<Option<AnyRow>, sqlx::Error>
    where
        E: sqlx::Executor<'c, Database = sqlx::Any>,
    {
        let args = self
            .arguments()
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        sqlx::query_with(&self.text, args)
            .fetch_optional(exec)
            .await
    }

    pub async fn fetch_one<'c, E>(&self, exec: E) -> Result<AnyRow, sqlx::Error>
    where
        E: sqlx::Executor<'c, Database = sqlx::Any>,
    {
        let args = self
            .arguments()
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        sqlx::query_with(&self.text, args).fetch_one(exec).await
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
