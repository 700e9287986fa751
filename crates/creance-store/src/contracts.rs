//! Contracts (subscriptions) that invoices belong to (SPEC §3).

use creance_core::{ContractStatus, Date};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractFields {
    pub number: String,
    pub customer_number: String,
    pub status: ContractStatus,
    pub start_date: Date,
    pub end_date: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub id: i64,
    pub customer_id: i64,
    pub fields: ContractFields,
}

const SELECT: &str =
    "SELECT k.id, k.number, k.customer_id, c.number AS customer_number, k.status, k.start_date, k.end_date \
     FROM contracts k JOIN customers c ON c.id = k.customer_id";

fn from_row(r: &crate::AnyRow) -> anyhow::Result<Contract> {
    let status = row::text(r, "status")?;
    Ok(Contract {
        id: row::int(r, "id")?,
        customer_id: row::int(r, "customer_id")?,
        fields: ContractFields {
            number: row::text(r, "number")?,
            customer_number: row::text(r, "customer_number")?,
            status: ContractStatus::parse(&status).ok_or_else(|| anyhow::anyhow!("stored status {status:?}"))?,
            start_date: row::date(r, "start_date")?,
            end_date: row::opt_date(r, "end_date")?,
        },
    })
}

/// A contract to write, its customer resolved to an id.
#[derive(Debug, Clone)]
pub struct NewContract<'a> {
    pub customer_id: i64,
    pub fields: &'a ContractFields,
}

pub async fn insert_bulk(
    tx: &mut Tx,
    company_id: i64,
    contracts: &[NewContract<'_>],
) -> anyhow::Result<Vec<(i64, String)>> {
    let now = tx.at()?;
    let mut out = Vec::with_capacity(contracts.len());
    for chunk in contracts.chunks(batch_rows(8)) {
        let mut sql = Sql::new(
            "INSERT INTO contracts (company_id, number, customer_id, status, start_date, end_date, created_at, updated_at) VALUES ",
        );
        for (i, c) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                company_id.into(),
                c.fields.number.as_str().into(),
                c.customer_id.into(),
                c.fields.status.code().into(),
                c.fields.start_date.to_string().into(),
                c.fields.end_date.map(|d| d.to_string()).into(),
                now.as_str().into(),
                now.as_str().into(),
            ]);
        }
        sql.push(" RETURNING id, number");
        for r in sql.fetch_all(tx).await? {
            out.push((row::int(&r, "id")?, row::text(&r, "number")?));
        }
    }
    Ok(out)
}

/// Replaces existing contracts `(id, contract)`: one `UPDATE … FROM (VALUES …)` per [`batch_rows`]
/// contracts.
pub async fn update_bulk(tx: &mut Tx, company_id: i64, rows: &[(i64, NewContract<'_>)]) -> anyhow::Result<()> {
    let now = tx.at()?;
    for chunk in rows.chunks(batch_rows(5)) {
        let mut sql = Sql::new(
            "UPDATE contracts SET customer_id = v.column2, status = v.column3, start_date = v.column4, \
             end_date = v.column5, updated_at = ",
        );
        sql.bind(now.as_str()).push(" FROM (VALUES ");
        for (i, (id, c)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                (*id).into(),
                c.customer_id.into(),
                c.fields.status.code().into(),
                c.fields.start_date.to_string().into(),
                c.fields.end_date.map(|d| d.to_string()).into(),
            ]);
        }
        sql.push(") AS v WHERE contracts.id = v.column1 AND contracts.company_id = ").bind(company_id);
        let n = sql.execute(tx).await?;
        anyhow::ensure!(n == chunk.len() as u64, "{n} of {} contracts found to update", chunk.len());
    }
    Ok(())
}

pub async fn by_numbers(tx: &mut Tx, company_id: i64, numbers: &[String]) -> anyhow::Result<Vec<Contract>> {
    let mut out = Vec::new();
    for chunk in numbers.chunks(batch_rows(1)) {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE k.company_id = ").bind(company_id);
        sql.push(" AND k.number IN ").bind_tuple(chunk.iter().map(|n| Value::from(n.as_str())));
        for r in sql.fetch_all(tx).await? {
            out.push(from_row(&r)?);
        }
    }
    Ok(out)
}

pub async fn get(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<Option<Contract>> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE k.company_id = ").bind(company_id).push(" AND k.id = ").bind(id);
    sql.fetch_optional(tx).await?.as_ref().map(from_row).transpose()
}

/// One page of contracts by number (optionally of one customer or one status), and the total count.
pub async fn list(
    tx: &mut Tx,
    company_id: i64,
    customer_id: Option<i64>,
    status: Option<ContractStatus>,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Contract>, i64)> {
    let mut filter = Sql::new(" WHERE k.company_id = ");
    filter.bind(company_id);
    if let Some(id) = customer_id {
        filter.push(" AND k.customer_id = ").bind(id);
    }
    if let Some(s) = status {
        filter.push(" AND k.status = ").bind(s.code());
    }
    let count = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM contracts k";
    let (rows, total) = crate::sql::page(tx, count, SELECT, &filter, " ORDER BY k.number", limit, offset).await?;
    Ok((rows.iter().map(from_row).collect::<anyhow::Result<_>>()?, total))
}
