//! Customers (SPEC §3). The payer is another customer of the same company, or the customer itself
//! (stored as NULL).

use creance_core::{Currency, Language};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

/// What an import or a form gives for a customer; the payer is named by its customer number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerFields {
    pub number: String,
    pub name: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub language: Language,
    pub currency: Currency,
    pub email: String,
    pub dunning_email: String,
    /// Number of the paying customer; absent when the customer pays for itself.
    pub payer_number: Option<String>,
    pub salesperson: String,
    pub bank: String,
    pub comment: String,
    pub dunning_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: i64,
    /// The payer's id; absent when the customer pays for itself.
    pub payer_id: Option<i64>,
    pub fields: CustomerFields,
}

const COLUMNS: &str = "c.id, c.number, c.name, c.address, c.postal_code, c.city, c.country, c.language, c.currency, \
     c.email, c.dunning_email, c.payer_id, p.number AS payer_number, c.salesperson, c.bank, c.comment, c.dunning_enabled";
const FROM: &str = " FROM customers c LEFT JOIN customers p ON p.id = c.payer_id";

fn from_row(r: &crate::AnyRow) -> anyhow::Result<Customer> {
    let language_text = row::text(r, "language")?;
    Ok(Customer {
        id: row::int(r, "id")?,
        payer_id: row::opt_int(r, "payer_id")?,
        fields: CustomerFields {
            number: row::text(r, "number")?,
            name: row::text(r, "name")?,
            address: row::text(r, "address")?,
            postal_code: row::text(r, "postal_code")?,
            city: row::text(r, "city")?,
            country: row::text(r, "country")?,
            language: Language::parse(&language_text)
                .ok_or_else(|| anyhow::anyhow!("stored language {language_text:?} is unknown"))?,
            currency: row::currency(r, "currency")?,
            email: row::text(r, "email")?,
            dunning_email: row::text(r, "dunning_email")?,
            payer_number: row::opt_text(r, "payer_number")?,
            salesperson: row::text(r, "salesperson")?,
            bank: row::text(r, "bank")?,
            comment: row::text(r, "comment")?,
            dunning_enabled: row::flag(r, "dunning_enabled")?,
        },
    })
}

fn values(company_id: i64, f: &CustomerFields, now: &str) -> [Value; 17] {
    [
        company_id.into(),
        f.number.as_str().into(),
        f.name.as_str().into(),
        f.address.as_str().into(),
        f.postal_code.as_str().into(),
        f.city.as_str().into(),
        f.country.as_str().into(),
        f.language.code().into(),
        f.currency.code().into(),
        f.email.as_str().into(),
        f.dunning_email.as_str().into(),
        f.salesperson.as_str().into(),
        f.bank.as_str().into(),
        f.comment.as_str().into(),
        i64::from(f.dunning_enabled).into(),
        now.into(),
        now.into(),
    ]
}

/// Inserts customers in multi-row statements (payers are set by [`set_payers`] afterwards, since a
/// payer may come later in the same file). Returns `(id, number)` pairs.
pub async fn insert_bulk(
    tx: &mut Tx,
    company_id: i64,
    customers: &[CustomerFields],
) -> anyhow::Result<Vec<(i64, String)>> {
    let now = tx.at()?;
    let mut out = Vec::with_capacity(customers.len());
    for chunk in customers.chunks(batch_rows(17)) {
        let mut sql = Sql::new(
            "INSERT INTO customers (company_id, number, name, address, postal_code, city, country, language, currency, \
             email, dunning_email, salesperson, bank, comment, dunning_enabled, created_at, updated_at) VALUES ",
        );
        for (i, c) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple(values(company_id, c, &now));
        }
        sql.push(" RETURNING id, number");
        for r in sql.fetch_all(tx).await? {
            out.push((row::int(&r, "id")?, row::text(&r, "number")?));
        }
    }
    Ok(out)
}

/// Replaces the master data of existing customers `(id, fields)` (payers excepted, see
/// [`set_payers`]): one `UPDATE … FROM (VALUES …)` per [`batch_rows`] customers.
pub async fn update_bulk(tx: &mut Tx, company_id: i64, rows: &[(i64, &CustomerFields)]) -> anyhow::Result<()> {
    let now = tx.at()?;
    for chunk in rows.chunks(batch_rows(14)) {
        let mut sql = Sql::new(
            "UPDATE customers SET name = v.column2, address = v.column3, postal_code = v.column4, city = v.column5, \
             country = v.column6, language = v.column7, currency = v.column8, email = v.column9, \
             dunning_email = v.column10, salesperson = v.column11, bank = v.column12, comment = v.column13, \
             dunning_enabled = v.column14, updated_at = ",
        );
        sql.bind(now.as_str()).push(" FROM (VALUES ");
        for (i, (id, f)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                (*id).into(),
                f.name.as_str().into(),
                f.address.as_str().into(),
                f.postal_code.as_str().into(),
                f.city.as_str().into(),
                f.country.as_str().into(),
                f.language.code().into(),
                f.currency.code().into(),
                f.email.as_str().into(),
                f.dunning_email.as_str().into(),
                f.salesperson.as_str().into(),
                f.bank.as_str().into(),
                f.comment.as_str().into(),
                i64::from(f.dunning_enabled).into(),
            ]);
        }
        sql.push(") AS v WHERE customers.id = v.column1 AND customers.company_id = ").bind(company_id);
        let n = sql.execute(tx).await?;
        anyhow::ensure!(n == chunk.len() as u64, "{n} of {} customers found to update", chunk.len());
    }
    Ok(())
}

/// Sets each customer's payer by numbers: `(customer number, payer number or None for itself)`.
pub async fn set_payers(tx: &mut Tx, company_id: i64, pairs: &[(String, Option<String>)]) -> anyhow::Result<()> {
    let own: Vec<&String> = pairs.iter().filter(|p| p.1.is_none()).map(|p| &p.0).collect();
    for chunk in own.chunks(batch_rows(1)) {
        let mut sql = Sql::new("UPDATE customers SET payer_id = NULL WHERE company_id = ");
        sql.bind(company_id).push(" AND number IN ");
        sql.bind_tuple(chunk.iter().map(|n| Value::from(n.as_str())));
        sql.execute(tx).await?;
    }
    let other: Vec<(&String, &String)> = pairs.iter().filter_map(|(c, p)| p.as_ref().map(|p| (c, p))).collect();
    for chunk in other.chunks(batch_rows(2)) {
        let mut sql = Sql::new("UPDATE customers SET payer_id = p.id FROM (VALUES ");
        for (i, (c, p)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([c.as_str().into(), p.as_str().into()]);
        }
        sql.push(") AS v, customers p WHERE p.company_id = ").bind(company_id);
        sql.push(" AND p.number = v.column2 AND customers.company_id = ").bind(company_id);
        sql.push(" AND customers.number = v.column1");
        sql.execute(tx).await?;
    }
    Ok(())
}

/// The customers of `numbers` that exist (in any order).
pub async fn by_numbers(tx: &mut Tx, company_id: i64, numbers: &[String]) -> anyhow::Result<Vec<Customer>> {
    let mut out = Vec::new();
    for chunk in numbers.chunks(batch_rows(1)) {
        let mut sql = Sql::new("SELECT ");
        sql.push(COLUMNS).push(FROM).push(" WHERE c.company_id = ").bind(company_id);
        sql.push(" AND c.number IN ").bind_tuple(chunk.iter().map(|n| Value::from(n.as_str())));
        for r in sql.fetch_all(tx).await? {
            out.push(from_row(&r)?);
        }
    }
    Ok(out)
}

/// The customers of these ids that exist (in any order): one query per [`batch_rows`] ids.
pub async fn get_many(tx: &mut Tx, company_id: i64, ids: &[i64]) -> anyhow::Result<Vec<Customer>> {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = Vec::with_capacity(sorted.len());
    for chunk in sorted.chunks(batch_rows(1)) {
        let mut sql = Sql::new("SELECT ");
        sql.push(COLUMNS).push(FROM).push(" WHERE c.company_id = ").bind(company_id);
        sql.push(" AND c.id IN ").bind_tuple(chunk.iter().map(|id| Value::Int(*id)));
        for r in sql.fetch_all(tx).await? {
            out.push(from_row(&r)?);
        }
    }
    Ok(out)
}

pub async fn get(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<Option<Customer>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS).push(FROM).push(" WHERE c.company_id = ").bind(company_id).push(" AND c.id = ").bind(id);
    sql.fetch_optional(tx).await?.as_ref().map(from_row).transpose()
}

/// Filters for the customer list.
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub number_from: Option<String>,
    pub number_to: Option<String>,
    /// Case-insensitive substring of the number or the name.
    pub search: Option<String>,
    pub salesperson: Option<String>,
    pub currency: Option<Currency>,
}

/// One page of customers by number, and the count of all that match.
pub async fn list(
    tx: &mut Tx,
    company_id: i64,
    f: &CustomerFilter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Customer>, i64)> {
    let mut filter = Sql::new(" WHERE c.company_id = ");
    filter.bind(company_id);
    if let Some(v) = &f.number_from {
        filter.push(" AND c.number >= ").bind(v.as_str());
    }
    if let Some(v) = &f.number_to {
        filter.push(" AND c.number <= ").bind(v.as_str());
    }
    if let Some(v) = &f.salesperson {
        filter.push(" AND c.salesperson = ").bind(v.as_str());
    }
    if let Some(v) = &f.currency {
        filter.push(" AND c.currency = ").bind(v.code());
    }
    if let Some(v) = &f.search {
        let pattern = format!("%{}%", v.to_lowercase());
        filter
            .push(" AND (LOWER(c.number) LIKE ")
            .bind(pattern.clone())
            .push(" OR LOWER(c.name) LIKE ")
            .bind(pattern)
            .push(")");
    }
    let select = format!("SELECT {COLUMNS}{FROM}");
    let count = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM customers c";
    let (rows, total) = crate::sql::page(tx, count, &select, &filter, " ORDER BY c.number", limit, offset).await?;
    Ok((rows.iter().map(from_row).collect::<anyhow::Result<_>>()?, total))
}

/// Every stored payer link of a company as `(customer number, payer number)`, in one query (customers
/// paying for themselves are left out).
pub async fn payer_links(tx: &mut Tx, company_id: i64) -> anyhow::Result<Vec<(String, String)>> {
    let mut sql = Sql::new(
        "SELECT c.number AS number, p.number AS payer_number FROM customers c \
         JOIN customers p ON p.id = c.payer_id WHERE c.company_id = ",
    );
    sql.bind(company_id);
    let rows = sql.fetch_all(tx).await?;
    rows.iter().map(|r| Ok((row::text(r, "number")?, row::text(r, "payer_number")?))).collect()
}

/// A customer's text that a clerk edits on its card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerText {
    /// Shown on its dunning letters.
    Comment,
    /// Where its dunning e-mails go (empty: its ordinary e-mail).
    DunningEmail,
}

/// Sets one of a customer's texts; false when the customer is not this company's.
pub async fn set_text(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    field: CustomerText,
    value: &str,
) -> anyhow::Result<bool> {
    let column = match field {
        CustomerText::Comment => "comment",
        CustomerText::DunningEmail => "dunning_email",
    };
    let mut set = Sql::new(&format!("{column} = "));
    set.bind(value);
    update_one(tx, company_id, customer_id, set).await
}

/// `UPDATE customers SET <set>, updated_at = now` of one customer of the company; false when the
/// customer is not this company's. `set` holds the assignments (placeholders from 1).
pub(crate) async fn update_one(tx: &mut Tx, company_id: i64, customer_id: i64, set: Sql) -> anyhow::Result<bool> {
    let mut sql = Sql::new("UPDATE customers SET ");
    sql.append(&set);
    let n = sql
        .push(", updated_at = ")
        .bind(tx.at()?)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(customer_id)
        .execute(tx)
        .await?;
    Ok(n == 1)
}

/// Sets a customer's dunning e-mail (empty: its letters go to its ordinary e-mail); false when the
/// customer is not this company's.
pub async fn set_dunning_email(tx: &mut Tx, company_id: i64, customer_id: i64, email: &str) -> anyhow::Result<bool> {
    set_text(tx, company_id, customer_id, CustomerText::DunningEmail, email).await
}
