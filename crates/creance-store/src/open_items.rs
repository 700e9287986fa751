//! The open-items list ("échéancier", SPEC §4.10), by installment or by invoice, with filters,
//! sorting on any column, pagination and totals per currency. Amounts are signed: a debit's open
//! amount is positive, a credit's (credit note) negative, so a currency's total is its net balance.
//! "Overdue" and "days overdue" concern debits only and are computed against an as-of date given by
//! the caller (the store has no clock).

use creance_core::{Currency, Date, DocumentKind, Money, MoneyTotal};

use crate::row;
use crate::sql::wide_sum;
use crate::{Sql, Tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Debit,
    Credit,
}

/// Filters of the open-items list. Every field narrows the list; `None` means no condition.
#[derive(Debug, Clone)]
pub struct OpenItemFilter {
    pub as_of: Date,
    pub customer_id: Option<i64>,
    pub customer_number: Option<String>,
    pub customer_number_from: Option<String>,
    pub customer_number_to: Option<String>,
    /// Items the given customer is payer of (its own and those of the customers it pays for).
    pub payer_id: Option<i64>,
    pub currency: Option<Currency>,
    pub due_from: Option<Date>,
    pub due_to: Option<Date>,
    /// Documents dated on or after / on or before.
    pub document_from: Option<Date>,
    pub document_to: Option<Date>,
    /// Items whose payer (the customer's payer, or the customer itself) has this number.
    pub payer_number: Option<String>,
    /// Only debits due before the as-of date.
    pub overdue: bool,
    pub days_overdue_min: Option<i64>,
    pub days_overdue_max: Option<i64>,
    pub contract_id: Option<i64>,
    pub contract_number: Option<String>,
    pub salesperson: Option<String>,
    pub side: Option<Side>,
    pub kind: Option<DocumentKind>,
    pub dunning_level: Option<i64>,
    /// The list as it stood at `as_of` (set by the app when `as_of` is a past date): documents
    /// dated on or before it, open amounts from the allocations effective by then
    /// ([`crate::reports::installments_as_of`]). Else today's open amounts, aged at `as_of`.
    pub past: bool,
}

impl OpenItemFilter {
    pub fn new(as_of: Date) -> OpenItemFilter {
        OpenItemFilter {
            as_of,
            customer_id: None,
            customer_number: None,
            customer_number_from: None,
            customer_number_to: None,
            payer_id: None,
            currency: None,
            due_from: None,
            due_to: None,
            document_from: None,
            document_to: None,
            payer_number: None,
            overdue: false,
            days_overdue_min: None,
            days_overdue_max: None,
            contract_id: None,
            contract_number: None,
            salesperson: None,
            side: None,
            kind: None,
            dunning_level: None,
            past: false,
        }
    }

    /// The joins the filter needs: counts and totals read only what the conditions name (every
    /// installment has its document and customer, so leaving a join out never changes a count).
    fn tables_for_aggregates(&self, company_id: i64) -> String {
        let customers = self.customer_number.is_some()
            || self.customer_number_from.is_some()
            || self.customer_number_to.is_some()
            || self.payer_id.is_some()
            || self.payer_number.is_some()
            || self.salesperson.is_some();
        let contracts = self.contract_number.is_some();
        let documents = contracts
            || self.contract_id.is_some()
            || self.kind.is_some()
            || self.document_from.is_some()
            || self.document_to.is_some();
        let mut from = self.installments(company_id);
        if documents {
            from.push_str(" JOIN documents d ON d.id = i.document_id");
        }
        if customers {
            from.push_str(" JOIN customers c ON c.id = i.customer_id");
        }
        if contracts {
            from.push_str(" LEFT JOIN contracts k ON k.id = d.contract_id");
        }
        from
    }

    /// ` FROM installments i`, or the installments as they stood at a past `as_of`.
    fn installments(&self, company_id: i64) -> String {
        if self.past {
            format!(" FROM {}", crate::reports::installments_as_of(company_id, self.as_of))
        } else {
            String::from(" FROM installments i")
        }
    }

    /// The joins of the page queries, from [`FROM`].
    fn from(&self, company_id: i64) -> String {
        FROM.replacen(" FROM installments i", &self.installments(company_id), 1)
    }

    fn where_clause(&self, company_id: i64) -> Sql {
        let mut s = Sql::new(" WHERE i.company_id = ");
        s.bind(company_id).push(" AND i.amount_open > 0");
        if let Some(v) = self.customer_id {
            s.push(" AND i.customer_id = ").bind(v);
        }
        if let Some(v) = &self.customer_number {
            s.push(" AND c.number = ").bind(v.as_str());
        }
        if let Some(v) = &self.customer_number_from {
            s.push(" AND c.number >= ").bind(v.as_str());
        }
        if let Some(v) = &self.customer_number_to {
            s.push(" AND c.number <= ").bind(v.as_str());
        }
        if let Some(v) = self.payer_id {
            s.push(" AND COALESCE(c.payer_id, c.id) = ").bind(v);
        }
        if let Some(v) = &self.payer_number {
            s.push(" AND COALESCE(c.payer_id, c.id) = (SELECT pn.id FROM customers pn WHERE pn.company_id = ")
                .bind(company_id)
                .push(" AND pn.number = ")
                .bind(v.as_str())
                .push(")");
        }
        if let Some(v) = self.currency {
            s.push(" AND i.currency = ").bind(v.code());
        }
        if let Some(v) = self.document_from {
            s.push(" AND d.date >= ").bind(v.to_string());
        }
        if let Some(v) = self.document_to {
            s.push(" AND d.date <= ").bind(v.to_string());
        }
        if let Some(v) = self.due_from {
            s.push(" AND i.due_date >= ").bind(v.to_string());
        }
        if let Some(v) = self.due_to {
            s.push(" AND i.due_date <= ").bind(v.to_string());
        }
        // days overdue = as_of − due_date, so "at least n days" is "due on or before as_of − n".
        let mut min_days = self.days_overdue_min;
        if self.overdue {
            min_days = Some(min_days.unwrap_or(1).max(1));
        }
        if let Some(n) = min_days {
            s.push(" AND i.side = 1 AND i.due_date <= ").bind(self.as_of.add_days(-n).to_string());
        }
        if let Some(n) = self.days_overdue_max {
            s.push(" AND i.side = 1 AND i.due_date >= ").bind(self.as_of.add_days(-n).to_string());
        }
        if let Some(v) = self.contract_id {
            s.push(" AND d.contract_id = ").bind(v);
        }
        if let Some(v) = &self.contract_number {
            s.push(" AND k.number = ").bind(v.as_str());
        }
        if let Some(v) = &self.salesperson {
            s.push(" AND c.salesperson = ").bind(v.as_str());
        }
        match self.side {
            Some(Side::Debit) => {
                s.push(" AND i.side = 1");
            }
            Some(Side::Credit) => {
                s.push(" AND i.side = -1");
            }
            None => {}
        }
        if let Some(v) = self.kind {
            s.push(" AND d.kind = ").bind(v.code());
        }
        if let Some(v) = self.dunning_level {
            s.push(" AND i.dunning_level = ").bind(v);
        }
        s
    }
}

const FROM: &str = " FROM installments i JOIN documents d ON d.id = i.document_id \
     JOIN customers c ON c.id = i.customer_id LEFT JOIN customers p ON p.id = c.payer_id \
     LEFT JOIN contracts k ON k.id = d.contract_id";

/// A sortable column of the open-items list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    DueDate,
    DaysOverdue,
    DocumentDate,
    DocumentNumber,
    Kind,
    CustomerNumber,
    CustomerName,
    PayerNumber,
    Currency,
    Amount,
    AmountOpen,
    DunningLevel,
    ContractNumber,
    Salesperson,
    Seq,
}

impl SortKey {
    pub const ALL: &'static [(&'static str, SortKey)] = &[
        ("due_date", SortKey::DueDate),
        ("days_overdue", SortKey::DaysOverdue),
        ("document_date", SortKey::DocumentDate),
        ("document_number", SortKey::DocumentNumber),
        ("kind", SortKey::Kind),
        ("customer_number", SortKey::CustomerNumber),
        ("customer_name", SortKey::CustomerName),
        ("payer_number", SortKey::PayerNumber),
        ("currency", SortKey::Currency),
        ("amount", SortKey::Amount),
        ("amount_open", SortKey::AmountOpen),
        ("dunning_level", SortKey::DunningLevel),
        ("contract_number", SortKey::ContractNumber),
        ("salesperson", SortKey::Salesperson),
        ("seq", SortKey::Seq),
    ];

    pub fn parse(name: &str) -> Option<SortKey> {
        SortKey::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    pub fn names() -> String {
        SortKey::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }

    /// The SQL expression and whether ascending on it means descending on the key.
    fn expr(self, view: View) -> (&'static str, bool) {
        let by_invoice = view == View::Invoice;
        match self {
            SortKey::DueDate => (if by_invoice { "MIN(i.due_date)" } else { "i.due_date" }, false),
            SortKey::DaysOverdue => (if by_invoice { "MIN(i.due_date)" } else { "i.due_date" }, true),
            SortKey::DocumentDate => ("d.date", false),
            SortKey::DocumentNumber => ("d.number", false),
            SortKey::Kind => ("d.kind", false),
            SortKey::CustomerNumber => ("c.number", false),
            SortKey::CustomerName => ("c.name", false),
            SortKey::PayerNumber => ("COALESCE(p.number, c.number)", false),
            SortKey::Currency => ("d.currency", false),
            SortKey::Amount => (if by_invoice { "(d.total * MIN(i.side))" } else { "(i.amount * i.side)" }, false),
            SortKey::AmountOpen => {
                (if by_invoice { "SUM(i.amount_open * i.side)" } else { "(i.amount_open * i.side)" }, false)
            }
            SortKey::DunningLevel => (if by_invoice { "MAX(i.dunning_level)" } else { "i.dunning_level" }, false),
            SortKey::ContractNumber => ("k.number", false),
            SortKey::Salesperson => ("c.salesperson", false),
            SortKey::Seq => (if by_invoice { "MIN(i.seq)" } else { "i.seq" }, false),
        }
    }
}

/// One sort criterion; `descending` as the user asked it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Installment,
    Invoice,
}

fn order_by(sorts: &[Sort], view: View) -> String {
    let mut parts: Vec<String> = sorts
        .iter()
        .map(|s| {
            let (expr, inverted) = s.key.expr(view);
            let desc = s.descending != inverted;
            format!("{expr} {}", if desc { "DESC" } else { "ASC" })
        })
        .collect();
    if sorts.is_empty() {
        parts.push(format!("{} ASC", SortKey::DueDate.expr(view).0));
    }
    parts.push(if view == View::Invoice { "d.id ASC".into() } else { "i.id ASC".into() });
    format!(" ORDER BY {}", parts.join(", "))
}

/// One open installment (or open credit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenItem {
    pub installment_id: i64,
    pub document_id: i64,
    pub kind: DocumentKind,
    pub document_number: String,
    pub document_date: Date,
    pub seq: i64,
    pub installment_count: i64,
    pub due_date: Date,
    /// Days since the due date at the as-of date (0 when not yet due; credits are never overdue).
    pub days_overdue: i64,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub payer_number: String,
    pub contract_number: Option<String>,
    pub salesperson: String,
    pub order_ref: String,
    pub currency: Currency,
    /// The installment amount, negative for a credit.
    pub amount: Money,
    /// What is still open, negative for a credit.
    pub amount_open: Money,
    pub dunning_level: i64,
    pub dunning_date: Option<Date>,
    /// Why the installment is blocked from dunning (`dispute`, `promise`, `legal`, `other`); empty
    /// when it is not. A block with a `block_until` date before the as-of date no longer holds.
    pub block_reason: String,
    pub block_until: Option<Date>,
}

/// One document with open installments (the by-invoice view).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDocument {
    pub document_id: i64,
    pub kind: DocumentKind,
    pub document_number: String,
    pub document_date: Date,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub payer_number: String,
    pub contract_number: Option<String>,
    pub salesperson: String,
    pub currency: Currency,
    /// The document total, negative for a credit note.
    pub total: Money,
    pub amount_open: Money,
    /// The earliest due date among the open installments.
    pub due_date_first: Date,
    pub days_overdue: i64,
    pub installments_open: i64,
    pub dunning_level_max: i64,
}

/// Totals of the filtered list for one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyTotal {
    pub currency: Currency,
    /// Number of open items (installments) counted.
    pub items: i64,
    /// Net open amount: debits less credits (a total: wider than any one amount).
    pub amount_open: MoneyTotal,
    /// The part of the debits that is overdue at the as-of date.
    pub amount_overdue: MoneyTotal,
}

fn days_overdue(as_of: Date, due: Date, side: i64) -> i64 {
    if side < 0 {
        0
    } else {
        due.days_until(as_of).max(0)
    }
}

fn kind(r: &crate::AnyRow) -> anyhow::Result<DocumentKind> {
    let t = row::text(r, "kind")?;
    DocumentKind::parse(&t).ok_or_else(|| anyhow::anyhow!("stored kind {t:?}"))
}

/// Per-currency totals of everything the filter selects (not only the page).
pub async fn totals(tx: &mut Tx, company_id: i64, f: &OpenItemFilter) -> anyhow::Result<Vec<CurrencyTotal>> {
    // Totals are split sums (`wide_sum`): thousands of amounts at the input limit never overflow.
    let mut sql = Sql::new("SELECT i.currency, CAST(COUNT(*) AS BIGINT) AS items, ");
    sql.push(&wide_sum("i.amount_open * i.side", "amount_open")).push(", ");
    let mut overdue = Sql::new("CASE WHEN i.side = 1 AND i.due_date < ");
    overdue.bind(f.as_of.to_string()).push(" THEN i.amount_open ELSE 0 END");
    // The CASE holds a placeholder, so the two halves of its split sum are appended (and bound) each.
    sql.push("CAST(SUM((").append(&overdue);
    sql.push(&format!(") / {}) AS BIGINT) AS amount_overdue_hi, ", crate::sql::WIDE_SPLIT));
    sql.push("CAST(SUM((").append(&overdue);
    sql.push(&format!(") % {}) AS BIGINT) AS amount_overdue_lo", crate::sql::WIDE_SPLIT));
    sql.push(&f.tables_for_aggregates(company_id))
        .append(&f.where_clause(company_id))
        .push(" GROUP BY i.currency ORDER BY i.currency");
    let rows = sql.fetch_all(tx).await?;
    rows.iter()
        .map(|r| {
            let currency = row::currency(r, "currency")?;
            Ok(CurrencyTotal {
                currency,
                items: row::int(r, "items")?,
                amount_open: row::money_total(r, "amount_open", currency)?,
                amount_overdue: row::money_total(r, "amount_overdue", currency)?,
            })
        })
        .collect()
}

/// The columns of one open installment, read by [`open_item`].
const ITEM_COLUMNS: &str = "i.id, i.document_id, d.kind, d.number, d.date, i.seq, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM installments j WHERE j.document_id = i.document_id) AS installment_count, \
     i.due_date, i.side, i.customer_id, c.number AS customer_number, c.name AS customer_name, \
     COALESCE(p.number, c.number) AS payer_number, k.number AS contract_number, c.salesperson, d.order_ref, \
     i.currency, i.amount, i.amount_open, i.dunning_level, i.dunning_date, i.block_reason, i.block_until";

fn open_item(r: &crate::AnyRow, as_of: Date) -> anyhow::Result<OpenItem> {
    let currency = row::currency(r, "currency")?;
    let side = row::int(r, "side")?;
    let due_date = row::date(r, "due_date")?;
    Ok(OpenItem {
        installment_id: row::int(r, "id")?,
        document_id: row::int(r, "document_id")?,
        kind: kind(r)?,
        document_number: row::text(r, "number")?,
        document_date: row::date(r, "date")?,
        seq: row::int(r, "seq")?,
        installment_count: row::int(r, "installment_count")?,
        due_date,
        days_overdue: days_overdue(as_of, due_date, side),
        customer_id: row::int(r, "customer_id")?,
        customer_number: row::text(r, "customer_number")?,
        customer_name: row::text(r, "customer_name")?,
        payer_number: row::text(r, "payer_number")?,
        contract_number: row::opt_text(r, "contract_number")?,
        salesperson: row::text(r, "salesperson")?,
        order_ref: row::text(r, "order_ref")?,
        currency,
        amount: Money::new(row::int(r, "amount")? * side, currency),
        amount_open: Money::new(row::int(r, "amount_open")? * side, currency),
        dunning_level: row::int(r, "dunning_level")?,
        dunning_date: row::opt_date(r, "dunning_date")?,
        block_reason: row::text(r, "block_reason")?,
        block_until: row::opt_date(r, "block_until")?,
    })
}

/// One page of open installments and the count of all that match.
pub async fn list(
    tx: &mut Tx,
    company_id: i64,
    f: &OpenItemFilter,
    sorts: &[Sort],
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<OpenItem>, i64)> {
    let filter = f.where_clause(company_id);
    let count = format!("SELECT CAST(COUNT(*) AS BIGINT) AS n{}", f.tables_for_aggregates(company_id));
    let select = format!("SELECT {ITEM_COLUMNS}{}", f.from(company_id));
    let order = order_by(sorts, View::Installment);
    let (rows, total) = crate::sql::page(tx, &count, &select, &filter, &order, limit, offset).await?;
    let items = rows.iter().map(|r| open_item(r, f.as_of)).collect::<anyhow::Result<Vec<_>>>()?;
    Ok((items, total))
}

/// The columns of one document with open installments, read by [`open_document`].
const DOCUMENT_COLUMNS: &str = "d.id, d.kind, d.number, d.date, d.customer_id, c.number AS customer_number, \
     c.name AS customer_name, COALESCE(p.number, c.number) AS payer_number, k.number AS contract_number, \
     c.salesperson, d.currency, d.total, CAST(MIN(i.side) AS BIGINT) AS side, \
     CAST(SUM(i.amount_open) AS BIGINT) AS amount_open, MIN(i.due_date) AS due_date_first, \
     CAST(COUNT(*) AS BIGINT) AS installments_open, CAST(MAX(i.dunning_level) AS BIGINT) AS dunning_level_max";

const DOCUMENT_GROUP_BY: &str = " GROUP BY d.id, d.kind, d.number, d.date, d.customer_id, c.number, c.name, \
     p.number, k.number, c.salesperson, d.currency, d.total";

fn open_document(r: &crate::AnyRow, as_of: Date) -> anyhow::Result<OpenDocument> {
    let currency = row::currency(r, "currency")?;
    let side = row::int(r, "side")?;
    let due_date_first = row::date(r, "due_date_first")?;
    Ok(OpenDocument {
        document_id: row::int(r, "id")?,
        kind: kind(r)?,
        document_number: row::text(r, "number")?,
        document_date: row::date(r, "date")?,
        customer_id: row::int(r, "customer_id")?,
        customer_number: row::text(r, "customer_number")?,
        customer_name: row::text(r, "customer_name")?,
        payer_number: row::text(r, "payer_number")?,
        contract_number: row::opt_text(r, "contract_number")?,
        salesperson: row::text(r, "salesperson")?,
        currency,
        total: Money::new(row::int(r, "total")? * side, currency),
        amount_open: Money::new(row::int(r, "amount_open")? * side, currency),
        due_date_first,
        days_overdue: days_overdue(as_of, due_date_first, side),
        installments_open: row::int(r, "installments_open")?,
        dunning_level_max: row::int(r, "dunning_level_max")?,
    })
}

/// The `ORDER BY` of the by-document list over the installments alone, when every sort key is an
/// aggregate of the installments (due date, days overdue, open amount, dunning level, sequence):
/// the same order as [`order_by`], with `i.document_id` for `d.id`.
fn order_on_installments(sorts: &[Sort]) -> Option<String> {
    let own = |k: SortKey| {
        matches!(
            k,
            SortKey::DueDate | SortKey::DaysOverdue | SortKey::AmountOpen | SortKey::DunningLevel | SortKey::Seq
        )
    };
    if !sorts.iter().all(|s| own(s.key)) {
        return None;
    }
    let order = order_by(sorts, View::Invoice);
    order.strip_suffix(", d.id ASC").map(|o| format!("{o}, i.document_id ASC"))
}

/// One page of documents that have open installments matching the filter, and their count.
pub async fn list_by_document(
    tx: &mut Tx,
    company_id: i64,
    f: &OpenItemFilter,
    sorts: &[Sort],
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<OpenDocument>, i64)> {
    let filter = f.where_clause(company_id);
    let count =
        format!("SELECT CAST(COUNT(DISTINCT i.document_id) AS BIGINT) AS n{}", f.tables_for_aggregates(company_id));
    let select = format!("SELECT {DOCUMENT_COLUMNS}{}", f.from(company_id));
    let tail = format!("{DOCUMENT_GROUP_BY}{}", order_by(sorts, View::Invoice));
    if let Some(order) = order_on_installments(sorts) {
        // Sorted on the installments' own aggregates (the default, the due date): the page's
        // documents are chosen by grouping the installments alone, with only the joins the filter
        // needs, and only those documents are then joined and read — not every open document.
        let mut total_sql = Sql::new(&count);
        total_sql.append(&filter);
        let total = row::int(&total_sql.fetch_one(&mut *tx).await?, "n")?;
        let mut ids = Sql::new(&format!("SELECT i.document_id AS id{}", f.tables_for_aggregates(company_id)));
        ids.append(&filter).push(" GROUP BY i.document_id").push(&order);
        ids.push(" LIMIT ").bind(limit).push(" OFFSET ").bind(offset);
        let ids =
            ids.fetch_all(&mut *tx).await?.iter().map(|r| row::int(r, "id")).collect::<anyhow::Result<Vec<_>>>()?;
        if ids.is_empty() {
            return Ok((Vec::new(), total));
        }
        let mut sql = Sql::new(&select);
        sql.append(&filter).push(" AND i.document_id IN ").int_tuple(ids.iter().map(|id| Some(*id))).push(&tail);
        let rows = sql.fetch_all(&mut *tx).await?;
        let docs = rows.iter().map(|r| open_document(r, f.as_of)).collect::<anyhow::Result<Vec<_>>>()?;
        return Ok((docs, total));
    }
    let (rows, total) = crate::sql::page(tx, &count, &select, &filter, &tail, limit, offset).await?;
    let docs = rows.iter().map(|r| open_document(r, f.as_of)).collect::<anyhow::Result<Vec<_>>>()?;
    Ok((docs, total))
}

/// Where a chunked read stopped: the sort values of the last row read, then its id. Chunks are
/// read in the list's order (the sorts, then the id) by keyset ("after this row"), so each chunk
/// costs the same however far the export has come, unlike an `OFFSET`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    values: Vec<crate::sql::Value>,
    id: i64,
}

impl SortKey {
    /// Whether the key's SQL value is an integer (else text: dates are ISO text).
    fn is_integer(self) -> bool {
        matches!(self, SortKey::Amount | SortKey::AmountOpen | SortKey::DunningLevel | SortKey::Seq)
    }

    /// The key's expression for a keyset: never NULL (a missing contract number sorts as `''`, first).
    fn keyset_expr(self, view: View) -> &'static str {
        match self {
            SortKey::ContractNumber => "COALESCE(k.number, '')",
            other => other.expr(view).0,
        }
    }
}

/// The sort columns selected beside a chunk's rows (`sk0`, `sk1`, …), the keyset condition after
/// `after`, and the `ORDER BY`.
fn keyset(sorts: &[Sort], view: View, after: Option<&Cursor>) -> (String, Sql, String) {
    let default = [Sort { key: SortKey::DueDate, descending: false }];
    let sorts = if sorts.is_empty() { &default[..] } else { sorts };
    let id = if view == View::Invoice { "d.id" } else { "i.id" };
    let mut select = String::new();
    let mut order = Vec::new();
    for (n, s) in sorts.iter().enumerate() {
        let expr = s.key.keyset_expr(view);
        let descending = s.descending != s.key.expr(view).1;
        if s.key.is_integer() {
            select.push_str(&format!(", CAST({expr} AS BIGINT) AS sk{n}"));
        } else {
            select.push_str(&format!(", {expr} AS sk{n}"));
        }
        order.push(format!("{expr} {}", if descending { "DESC" } else { "ASC" }));
    }
    order.push(format!("{id} ASC"));
    let mut condition = Sql::default();
    if let Some(c) = after {
        // (e0 > v0) OR (e0 = v0 AND e1 > v1) OR … OR (e0 = v0 AND … AND id > last id); `<` for a
        // descending key.
        condition.push("(");
        for j in 0..=sorts.len() {
            if j > 0 {
                condition.push(" OR ");
            }
            condition.push("(");
            for (i, s) in sorts.iter().take(j).enumerate() {
                condition.push(s.key.keyset_expr(view)).push(" = ").bind(c.values[i].clone()).push(" AND ");
            }
            match sorts.get(j) {
                Some(s) => {
                    let descending = s.descending != s.key.expr(view).1;
                    condition.push(s.key.keyset_expr(view)).push(if descending { " < " } else { " > " });
                    condition.bind(c.values[j].clone());
                }
                None => {
                    condition.push(id).push(" > ").bind(c.id);
                }
            }
            condition.push(")");
        }
        condition.push(")");
    }
    (select, condition, format!(" ORDER BY {}", order.join(", ")))
}

fn cursor(r: &crate::AnyRow, sorts: &[Sort], id: &str) -> anyhow::Result<Cursor> {
    let n = sorts.len().max(1);
    let mut values = Vec::with_capacity(n);
    for i in 0..n {
        let col = format!("sk{i}");
        let integer = sorts.get(i).is_some_and(|s| s.key.is_integer());
        values.push(if integer {
            crate::sql::Value::Int(row::int(r, &col)?)
        } else {
            crate::sql::Value::Text(row::text(r, &col)?)
        });
    }
    Ok(Cursor { values, id: row::int(r, id)? })
}

/// Up to `limit` open installments after `after`, in the order of `sorts` (then the installment
/// id), and where the next chunk starts (`None` once the list is read). Read every chunk in one
/// transaction to export a consistent list.
pub async fn items_chunk(
    tx: &mut Tx,
    company_id: i64,
    f: &OpenItemFilter,
    sorts: &[Sort],
    after: Option<&Cursor>,
    limit: i64,
) -> anyhow::Result<(Vec<OpenItem>, Option<Cursor>)> {
    let (keys, condition, order) = keyset(sorts, View::Installment, after);
    let mut sql = Sql::new(&format!("SELECT {ITEM_COLUMNS}{keys}{}", f.from(company_id)));
    sql.append(&f.where_clause(company_id));
    if after.is_some() {
        sql.push(" AND ").append(&condition);
    }
    sql.push(&order).push(" LIMIT ").bind(limit);
    let rows = sql.fetch_all(tx).await?;
    let items = rows.iter().map(|r| open_item(r, f.as_of)).collect::<anyhow::Result<Vec<_>>>()?;
    let next = match rows.last() {
        Some(r) if rows.len() as i64 == limit => Some(cursor(r, sorts, "id")?),
        _ => None,
    };
    Ok((items, next))
}

/// [`items_chunk`] for the by-document view (the keyset is a `HAVING` over the grouped rows).
pub async fn documents_chunk(
    tx: &mut Tx,
    company_id: i64,
    f: &OpenItemFilter,
    sorts: &[Sort],
    after: Option<&Cursor>,
    limit: i64,
) -> anyhow::Result<(Vec<OpenDocument>, Option<Cursor>)> {
    let (keys, condition, order) = keyset(sorts, View::Invoice, after);
    let mut sql = Sql::new(&format!("SELECT {DOCUMENT_COLUMNS}{keys}{}", f.from(company_id)));
    sql.append(&f.where_clause(company_id)).push(DOCUMENT_GROUP_BY);
    if after.is_some() {
        sql.push(" HAVING ").append(&condition);
    }
    sql.push(&order).push(" LIMIT ").bind(limit);
    let rows = sql.fetch_all(tx).await?;
    let docs = rows.iter().map(|r| open_document(r, f.as_of)).collect::<anyhow::Result<Vec<_>>>()?;
    let next = match rows.last() {
        Some(r) if rows.len() as i64 == limit => Some(cursor(r, sorts, "id")?),
        _ => None,
    };
    Ok((docs, next))
}

/// The number of rows the filter selects in `view` (installments, or documents).
pub async fn count(tx: &mut Tx, company_id: i64, f: &OpenItemFilter, view: View) -> anyhow::Result<i64> {
    let what = if view == View::Invoice { "DISTINCT i.document_id" } else { "*" };
    let mut sql =
        Sql::new(&format!("SELECT CAST(COUNT({what}) AS BIGINT) AS n{}", f.tables_for_aggregates(company_id)));
    sql.append(&f.where_clause(company_id));
    row::int(&sql.fetch_one(tx).await?, "n")
}

/// A raw full scan of a company's installments: every row read, nothing computed but a count and
/// a sum (`creance bench --scan-baseline`: the floor the dunning proposal is compared with).
/// Returns (rows, sum of the open amounts in minor units, mixed currencies: a checksum, not money).
pub async fn scan_installments(tx: &mut Tx, company_id: i64) -> anyhow::Result<(i64, i64)> {
    // `dunning_date` is in no index: the rows themselves are read, as the proposal reads them.
    let mut sql = Sql::new(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, \
         CAST(COALESCE(SUM(amount_open + dunning_level), 0) + COUNT(dunning_date) AS BIGINT) AS s \
         FROM installments WHERE company_id = ",
    );
    sql.bind(company_id);
    let r = sql.fetch_one(tx).await?;
    Ok((row::int(&r, "n")?, row::int(&r, "s")?))
}
