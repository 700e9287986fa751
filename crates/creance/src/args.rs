//! Reading what the user typed, shared by every command family: dates, yes/no and true/false flags,
//! whole numbers, pages, the company to act on and customers by number. Each error names the flag
//! and the value given.

use anyhow::{bail, Context};
use creance_app::clock::today_utc;
use creance_app::queries::CustomerFilter;
use creance_app::queries::Page;
use creance_app::{App, AppError};
use creance_core::Date;

/// A use case's error as the binary reports it.
pub fn app_err(e: AppError) -> anyhow::Error {
    anyhow::Error::from(e)
}

/// A date given to `flag` (YYYY-MM-DD).
pub fn date(flag: &str, text: &str) -> anyhow::Result<Date> {
    Date::parse(text).map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

/// A date given to `flag`, or today (UTC) when it was not given.
pub fn date_or_today(flag: &str, v: &Option<String>) -> anyhow::Result<Date> {
    match v {
        None => Ok(today_utc()),
        Some(s) => date(flag, s),
    }
}

/// A yes/no flag (yes, y, true, 1, oui / no, n, false, 0, non).
pub fn yes_no(flag: &str, v: &str) -> anyhow::Result<bool> {
    boolean(flag, v, "yes or no")
}

/// A true/false flag; accepts the same words as [`yes_no`].
pub fn true_false(flag: &str, v: &str) -> anyhow::Result<bool> {
    boolean(flag, v, "true or false")
}

/// `expected` names the words the error message asks for.
fn boolean(flag: &str, v: &str, expected: &str) -> anyhow::Result<bool> {
    match v.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "oui" => Ok(true),
        "no" | "n" | "false" | "0" | "non" => Ok(false),
        other => bail!("{flag}: {other:?} is not {expected}"),
    }
}

/// A whole number the app names `field` when it is not one.
pub fn int(field: &str, text: &str) -> anyhow::Result<i64> {
    text.trim().parse().map_err(|_| app_err(AppError::invalid(field, format!("{text:?} is not a whole number"))))
}

/// `--limit` and `--offset` of a listing (at most [`creance_app::queries::PAGE_LIMIT_MAX`] rows).
#[derive(clap::Args, Debug)]
pub struct PageArgs {
    #[arg(long, default_value = "100")]
    limit: String,
    #[arg(long)]
    offset: Option<String>,
}

impl PageArgs {
    pub fn page(&self) -> anyhow::Result<Page> {
        let limit = self.limit.parse().with_context(|| format!("--limit {:?} is not a number", self.limit))?;
        let offset = match &self.offset {
            Some(o) => Some(o.parse().with_context(|| format!("--offset {o:?} is not a number"))?),
            None => None,
        };
        Page::new(Some(limit), offset).map_err(|e| anyhow::anyhow!("--{e}"))
    }
}

/// The company to act on: the one given, or the only one there is.
pub async fn company_or_only(app: &App, company: Option<i64>) -> anyhow::Result<i64> {
    if let Some(id) = company {
        return Ok(id);
    }
    let companies = app.companies().await.map_err(app_err)?;
    match companies.as_slice() {
        [only] => Ok(only.id),
        [] => bail!("the database has no company; run `creance demo` or `creance company create --name …`"),
        _ => bail!("the database has {} companies; say which with --company ID", companies.len()),
    }
}

/// A customer's id from its number (given to `flag`).
pub async fn customer_id(app: &App, company: i64, flag: &str, number: &str) -> anyhow::Result<i64> {
    let filter = CustomerFilter {
        number_from: Some(number.to_string()),
        number_to: Some(number.to_string()),
        ..Default::default()
    };
    let list = app.customers(company, &filter, Page { limit: 1, offset: 0 }).await.map_err(app_err)?;
    list.items.first().map(|c| c.id).with_context(|| format!("{flag}: no customer {number} in company {company}"))
}

/// [`customer_id`] of a number that may not be given.
pub async fn optional_customer(
    app: &App,
    company: i64,
    flag: &str,
    number: Option<String>,
) -> anyhow::Result<Option<i64>> {
    match number {
        Some(n) => Ok(Some(customer_id(app, company, flag, &n).await?)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(r: anyhow::Result<impl std::fmt::Debug>) -> String {
        format!("{:#}", r.expect_err("an error"))
    }

    #[test]
    fn yes_no_and_true_false_accept_the_same_words_and_say_which_they_expected() {
        for word in ["yes", "Y", " true ", "1", "oui"] {
            assert!(yes_no("--active", word).expect("a yes"));
            assert!(true_false("--enabled", word).expect("a true"));
        }
        for word in ["no", "N", "false", "0", "NON"] {
            assert!(!yes_no("--active", word).expect("a no"));
            assert!(!true_false("--enabled", word).expect("a false"));
        }
        assert_eq!(err(yes_no("--active", " Maybe")), r#"--active: "maybe" is not yes or no"#);
        assert_eq!(err(true_false("--enabled", "maybe")), r#"--enabled: "maybe" is not true or false"#);
    }

    #[test]
    fn a_date_flag_names_itself() {
        assert_eq!(date("--from", "2026-03-10").expect("a date").to_string(), "2026-03-10");
        assert_eq!(
            err(date("--from", "2026-13-01")),
            r#"--from: "2026-13-01" is not a valid date: month out of range"#
        );
        assert_eq!(date_or_today("--date", &Some("2026-02-28".into())).expect("a date").to_string(), "2026-02-28");
    }

    #[test]
    fn a_whole_number_is_trimmed_and_its_error_names_the_field() {
        assert_eq!(int("level", " -2 ").expect("a number"), -2);
        assert!(err(int("level", "x")).contains(r#""x" is not a whole number"#));
    }

    #[test]
    fn a_page_is_at_most_the_api_maximum() {
        let page =
            |limit: &str, offset: Option<&str>| PageArgs { limit: limit.into(), offset: offset.map(Into::into) }.page();
        let p = page("100", None).expect("a page");
        assert_eq!((p.limit, p.offset), (100, 0));
        let p = page("10000", Some("20")).expect("a page");
        assert_eq!((p.limit, p.offset), (10_000, 20));
        assert_eq!(err(page("0", None)), "--limit: 0 is out of range; give 1 to 10000");
        assert_eq!(err(page("10001", None)), "--limit: 10001 is out of range; give 1 to 10000");
        assert_eq!(err(page("abc", None)), r#"--limit "abc" is not a number: invalid digit found in string"#);
        assert_eq!(err(page("1", Some("-1"))), "--offset: -1 is negative; give 0 or more");
    }
}
