//! Parsing list parameters given as text (HTTP query strings, command-line options) into typed
//! filters. A bad value is an [`AppError::Invalid`] naming the parameter.

use creance_core::{Currency, Date, DocumentKind};
use creance_store::open_items::{OpenItemFilter, Side, Sort, SortKey};
use serde::Deserialize;

use crate::queries::Page;
use crate::{AppError, Fault};

pub fn date(field: &str, v: &Option<String>) -> Result<Option<Date>, AppError> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Date::parse(s).map_err(|e| AppError::invalid_said(field, e)))
        .transpose()
}

pub fn int(field: &str, v: &Option<String>) -> Result<Option<i64>, AppError> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>().map_err(|_| AppError::invalid_said(field, Fault::NotAWholeNumber { text: s.to_string() }))
        })
        .transpose()
}

pub fn flag(field: &str, v: &Option<String>) -> Result<bool, AppError> {
    match v.as_deref().map(str::trim) {
        None | Some("") | Some("false") | Some("0") | Some("no") => Ok(false),
        Some("true") | Some("1") | Some("yes") => Ok(true),
        Some(other) => Err(AppError::invalid_said(field, Fault::NotABoolean { text: other.to_string() })),
    }
}

pub fn currency(field: &str, v: &Option<String>) -> Result<Option<Currency>, AppError> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Currency::parse(s).map_err(|e| AppError::invalid_said(field, e)))
        .transpose()
}

pub fn text(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// The most sort keys one list accepts (each column at most once).
pub const SORT_KEYS_MAX: usize = 8;

/// `-due_date,customer_number`: a leading `-` sorts descending. At most [`SORT_KEYS_MAX`] keys, each
/// column once.
pub fn sorts(field: &str, v: &Option<String>) -> Result<Vec<Sort>, AppError> {
    let Some(v) = v.as_deref() else {
        return Ok(Vec::new());
    };
    let given = v.split(',').filter(|s| !s.trim().is_empty()).count();
    if given > SORT_KEYS_MAX {
        return Err(AppError::invalid_said(field, Fault::TooManySortKeys { given, max: SORT_KEYS_MAX }));
    }
    let sorts: Vec<Sort> = v
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (descending, name) = match s.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, s.strip_prefix('+').unwrap_or(s)),
            };
            let key = SortKey::parse(name).ok_or_else(|| {
                AppError::invalid_said(
                    field,
                    Fault::NotASortKey { text: name.to_string(), known: SortKey::names().to_string() },
                )
            })?;
            Ok(Sort { key, descending })
        })
        .collect::<Result<_, AppError>>()?;
    for (i, s) in sorts.iter().enumerate() {
        if sorts[..i].iter().any(|p| p.key == s.key) {
            let name = SortKey::ALL.iter().find(|(_, k)| *k == s.key).map_or("?", |(n, _)| *n);
            return Err(AppError::invalid_said(field, Fault::SortKeyTwice { name: name.to_string() }));
        }
    }
    Ok(sorts)
}

/// The open-items parameters as text, shared by the API query string and the CLI options.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpenItemArgs {
    /// The date days overdue are counted at (default: today).
    pub as_of: Option<String>,
    pub customer_id: Option<String>,
    /// One customer, by number.
    pub customer: Option<String>,
    /// Lowest customer number (inclusive).
    pub customer_from: Option<String>,
    /// Highest customer number (inclusive).
    pub customer_to: Option<String>,
    /// Items of the customers this customer pays for (and its own).
    pub payer_id: Option<String>,
    /// Items of the customers this customer (by number) pays for (and its own).
    pub payer: Option<String>,
    pub currency: Option<String>,
    /// Due on or after this date.
    pub due_from: Option<String>,
    /// Due on or before this date.
    pub due_to: Option<String>,
    /// Documents dated on or after this date.
    pub document_from: Option<String>,
    /// Documents dated on or before this date.
    pub document_to: Option<String>,
    /// `true`: debits past their due date only.
    pub overdue: Option<String>,
    /// At least this many days overdue.
    pub days_overdue_min: Option<String>,
    /// At most this many days overdue.
    pub days_overdue_max: Option<String>,
    pub contract_id: Option<String>,
    /// A contract, by number.
    pub contract: Option<String>,
    pub salesperson: Option<String>,
    /// `debit` or `credit`.
    pub side: Option<String>,
    /// invoice, credit_note, fee_invoice, interest_invoice or opening_balance.
    pub kind: Option<String>,
    pub dunning_level: Option<String>,
    /// Columns, comma-separated, `-` for descending: due_date, days_overdue, document_date,
    /// document_number, kind, customer_number, customer_name, payer_number, currency, amount,
    /// amount_open, dunning_level, contract_number, salesperson, seq.
    pub sort: Option<String>,
    /// Page size, 1 to 10000 (default 100).
    pub limit: Option<String>,
    pub offset: Option<String>,
    /// `json` (the default), `csv` or `pdf`: the whole filtered list (not one page) as a file; wins
    /// over the `Accept` header (`text/csv`, `application/pdf`).
    pub format: Option<String>,
    /// For CSV: `standard` (`,` and `.`, the default) or `excel` (`;`, decimal comma and a BOM).
    pub dialect: Option<String>,
}

impl OpenItemArgs {
    /// The typed filter, sort order and page; `today` is the default as-of date.
    pub fn parse(&self, today: Date) -> Result<(OpenItemFilter, Vec<Sort>, Page), AppError> {
        let mut f = OpenItemFilter::new(date("as_of", &self.as_of)?.unwrap_or(today));
        // A past date shows the list as it stood then (SPEC §4.2 value dates); today or later only
        // changes the days late.
        f.past = f.as_of < today;
        f.customer_id = int("customer_id", &self.customer_id)?;
        f.customer_number = text(&self.customer);
        f.customer_number_from = text(&self.customer_from);
        f.customer_number_to = text(&self.customer_to);
        f.payer_id = int("payer_id", &self.payer_id)?;
        f.payer_number = text(&self.payer);
        f.currency = currency("currency", &self.currency)?;
        f.due_from = date("due_from", &self.due_from)?;
        f.due_to = date("due_to", &self.due_to)?;
        f.document_from = date("document_from", &self.document_from)?;
        f.document_to = date("document_to", &self.document_to)?;
        f.overdue = flag("overdue", &self.overdue)?;
        f.days_overdue_min = int("days_overdue_min", &self.days_overdue_min)?;
        f.days_overdue_max = int("days_overdue_max", &self.days_overdue_max)?;
        for (field, v) in [("days_overdue_min", f.days_overdue_min), ("days_overdue_max", f.days_overdue_max)] {
            if let Some(n) = v.filter(|n| !(0..=36_500).contains(n)) {
                return Err(AppError::invalid_said(field, Fault::DaysOutOfRange { days: n }));
            }
        }
        f.contract_id = int("contract_id", &self.contract_id)?;
        f.contract_number = text(&self.contract);
        f.salesperson = text(&self.salesperson);
        f.side = match text(&self.side).as_deref() {
            None => None,
            Some("debit") => Some(Side::Debit),
            Some("credit") => Some(Side::Credit),
            Some(other) => {
                return Err(AppError::invalid_said("side", Fault::NotASide { text: other.to_string() }));
            }
        };
        f.kind = match text(&self.kind) {
            None => None,
            Some(k) => Some(
                DocumentKind::parse(&k)
                    .ok_or_else(|| AppError::invalid_said("kind", Fault::NotADocumentKind { text: k.clone() }))?,
            ),
        };
        f.dunning_level = int("dunning_level", &self.dunning_level)?;
        let sorts = sorts("sort", &self.sort)?;
        let page = Page::new(int("limit", &self.limit)?, int("offset", &self.offset)?)?;
        Ok((f, sorts, page))
    }
}
