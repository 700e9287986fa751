//! SPEC §3 (Document: "a payment term such as 30 days, 30 days end of month or 3 × 30/60/90 may compute
//! the installments on import; the sum of installments equals the total").
//!
//! A [`PaymentTerm`] has a short text code (parsed case-insensitively, spaces ignored; `Display` writes
//! the canonical form, which parses back to the same term):
//!
//! | code | meaning |
//! | --- | --- |
//! | `NET30`, `30` | 30 days after the document date; `NET0` / `CASH` is immediate |
//! | `EOM30` | document date + 30 days, then the end of that month ("30 jours fin de mois") |
//! | `EOM+10` | end of the document's month, then the 10th of the next month ("fin de mois le 10") |
//! | `30/60/90` | three equal parts at 30, 60 and 90 days (largest remainder, extra cents first) |
//! | `30:40%/60:60%` | percentages of the total; without a `REST` item they sum to exactly 100 |
//! | `0:100.00/30:REST` | a fixed amount, then the remainder; a last item without share is the `REST` |
//! | `EOM30/EOM60` | any item may be end-of-month |
//!
//! Invariants of [`PaymentTerm::schedule`]: the amounts sum exactly to the total (asserted), due dates are
//! in order and never before the document date, and no installment is zero unless the total is zero (then
//! there is exactly one). A part that would round to zero (a total smaller than the number of parts, or a
//! `REST` that nothing is left for) is left out, so there are fewer installments than rules only then.

use crate::date::{days_in_month, Date};
use crate::decimal::Decimal;
use crate::money::{split_largest_remainder, Currency, Money, MoneyError};
use std::fmt;

/// Most installments one term may have.
pub const TERM_RULES_MAX: usize = 120;
/// Longest delay, in days, of a term or one of its installments (about ten years).
pub const TERM_DAYS_MAX: u32 = 3660;
/// Most decimals in an installment percentage.
pub const TERM_PERCENT_SCALE_MAX: u32 = 6;

/// How the due dates (and, for installments, the amounts) of a debit document are computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentTerm {
    /// Document date + `days`.
    Net { days: u32 },
    /// Document date + `days`, then the last day of that month.
    EndOfMonth { days: u32 },
    /// Day `day` of the month after the document's month (clamped to that month's length).
    EndOfMonthThenDay { day: u32 },
    /// Several installments, in the order written.
    Installments(Vec<InstallmentRule>),
}

/// One installment of [`PaymentTerm::Installments`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstallmentRule {
    pub days: u32,
    pub end_of_month: bool,
    pub share: Share,
}

/// The amount of one installment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Share {
    /// A percentage of the total (0 < p ≤ 100).
    Percent(Decimal),
    /// A fixed positive amount.
    Fixed(Money),
    /// What the other installments leave; only as the last rule.
    Remainder,
    /// An equal part of the total; when used, every rule is `Equal` (the `30/60/90` form).
    Equal,
}

/// Why a payment term code or a schedule was rejected, in order of precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermError {
    /// The code (or the term) is malformed; `reason` says what is expected.
    Syntax { code: String, reason: String },
    /// Percentages without a `REST` item must sum to 100 (with one, to at most 100).
    PercentagesDoNotSumTo100 { code: String, sum: Decimal },
    /// The fixed amounts (plus any percentages) are larger than the document total.
    FixedExceedsTotal { code: String },
    /// A schedule was asked for a negative total.
    NegativeTotal,
    /// An amount in the code is invalid, or its currency differs from the total's.
    Money(MoneyError),
}

impl fmt::Display for TermError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TermError::Syntax { code, reason } => write!(
                f,
                "{code:?} is not a valid payment term: {reason} (examples: NET30, EOM30, EOM+10, 30/60/90, 30:40%/60:60%, 0:100.00/30:REST)"
            ),
            TermError::PercentagesDoNotSumTo100 { code, sum } => write!(
                f,
                "the percentages of payment term {code:?} sum to {sum}%; they must sum to exactly 100% (at most 100% when a REST item takes the remainder)"
            ),
            TermError::FixedExceedsTotal { code } => {
                write!(f, "the fixed amounts of payment term {code:?} (with its percentages) exceed the document total")
            }
            TermError::NegativeTotal => {
                f.write_str("a payment schedule needs a total of zero or more; a negative total has no due dates")
            }
            TermError::Money(e) => write!(f, "payment term: {e}"),
        }
    }
}

impl std::error::Error for TermError {}

impl From<MoneyError> for TermError {
    fn from(e: MoneyError) -> Self {
        TermError::Money(e)
    }
}

fn syntax(code: &str, reason: impl Into<String>) -> TermError {
    TermError::Syntax { code: code.to_string(), reason: reason.into() }
}

/// Days from text of ASCII digits, within [`TERM_DAYS_MAX`].
fn parse_days(code: &str, digits: &str) -> Result<u32, TermError> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(syntax(code, format!("expected a number of days, found {digits:?}")));
    }
    match digits.parse::<u32>() {
        Ok(d) if d <= TERM_DAYS_MAX => Ok(d),
        _ => Err(syntax(code, format!("{digits} days is more than the maximum of {TERM_DAYS_MAX}"))),
    }
}

/// `EOM30` → (30, true); `NET30` / `30` → (30, false).
fn parse_due(code: &str, item: &str) -> Result<(u32, bool), TermError> {
    if item.starts_with("EOM+") {
        return Err(syntax(code, "EOM+day cannot be used within installments"));
    }
    if let Some(rest) = item.strip_prefix("EOM") {
        return Ok((parse_days(code, rest)?, true));
    }
    Ok((parse_days(code, item.strip_prefix("NET").unwrap_or(item))?, false))
}

fn parse_share(code: &str, text: &str, currency: Currency) -> Result<Share, TermError> {
    match text {
        "REST" | "REMAINDER" | "SOLDE" => Ok(Share::Remainder),
        "" => Err(syntax(code, "a ':' must be followed by a share such as 40%, 100.00 or REST")),
        _ if text.ends_with('%') => Ok(Share::Percent(Decimal::parse(text)?)),
        _ => Ok(Share::Fixed(Money::parse(text, currency)?)),
    }
}

impl PaymentTerm {
    /// Parses a term code (see the module documentation); fixed amounts are read in `currency`.
    pub fn parse(code: &str, currency: Currency) -> Result<PaymentTerm, TermError> {
        let norm: String = code.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if norm.is_empty() {
            return Err(syntax(code, "the code is empty"));
        }
        let term = if norm == "CASH" {
            PaymentTerm::Net { days: 0 }
        } else if !norm.contains(['/', ':']) {
            if let Some(rest) = norm.strip_prefix("EOM+") {
                match rest.parse::<u32>() {
                    Ok(day) if rest.bytes().all(|b| b.is_ascii_digit()) => PaymentTerm::EndOfMonthThenDay { day },
                    _ => return Err(syntax(code, format!("expected a day of the month after EOM+, found {rest:?}"))),
                }
            } else {
                match parse_due(code, &norm)? {
                    (days, true) => PaymentTerm::EndOfMonth { days },
                    (days, false) => PaymentTerm::Net { days },
                }
            }
        } else {
            let items: Vec<&str> = norm.split('/').collect();
            if items.len() > TERM_RULES_MAX {
                return Err(syntax(code, format!("at most {TERM_RULES_MAX} installments are allowed")));
            }
            let mut rules = Vec::with_capacity(items.len());
            let mut given = 0;
            for item in &items {
                if item.is_empty() {
                    return Err(syntax(code, "an installment is empty (two '/' in a row, or one at an end)"));
                }
                let (due, share) = match item.split_once(':') {
                    Some((due, share)) => {
                        given += 1;
                        (due, parse_share(code, share, currency)?)
                    }
                    None => (*item, Share::Equal),
                };
                let (days, end_of_month) = parse_due(code, due)?;
                rules.push(InstallmentRule { days, end_of_month, share });
            }
            let n = rules.len();
            if given == n - 1 && rules[n - 1].share == Share::Equal {
                rules[n - 1].share = Share::Remainder;
            } else if given != 0 && given != n {
                return Err(syntax(code, "give every installment a share, or none (equal parts); only the last may go without, it then takes the remainder"));
            }
            PaymentTerm::Installments(rules)
        };
        term.check(code)?;
        Ok(term)
    }

    /// Checks the term's own consistency (the checks `parse` makes), naming the term in errors.
    pub fn validate(&self) -> Result<(), TermError> {
        self.check(&self.to_string())
    }

    fn check(&self, code: &str) -> Result<(), TermError> {
        let too_long = |days: u32| days > TERM_DAYS_MAX;
        let rules = match self {
            PaymentTerm::Net { days } | PaymentTerm::EndOfMonth { days } if too_long(*days) => {
                return Err(syntax(code, format!("{days} days is more than the maximum of {TERM_DAYS_MAX}")))
            }
            PaymentTerm::EndOfMonthThenDay { day } if !(1..=31).contains(day) => {
                return Err(syntax(code, format!("EOM+{day}: the day must be between 1 and 31")))
            }
            PaymentTerm::Installments(rules) => rules,
            _ => return Ok(()),
        };
        if rules.is_empty() || rules.len() > TERM_RULES_MAX {
            return Err(syntax(code, format!("between 1 and {TERM_RULES_MAX} installments are needed")));
        }
        if let Some(r) = rules.iter().find(|r| too_long(r.days)) {
            return Err(syntax(code, format!("{} days is more than the maximum of {TERM_DAYS_MAX}", r.days)));
        }
        let equal = rules.iter().filter(|r| r.share == Share::Equal).count();
        if equal > 0 {
            if equal != rules.len() {
                return Err(syntax(code, "equal parts cannot be mixed with percentages, amounts or REST"));
            }
            if rules.len() < 2 {
                return Err(syntax(code, "a single installment is written NET30 or EOM30"));
            }
            return Ok(());
        }
        let remainders: Vec<usize> =
            rules.iter().enumerate().filter(|(_, r)| r.share == Share::Remainder).map(|(i, _)| i).collect();
        if remainders.len() > 1 || remainders.first().is_some_and(|&i| i != rules.len() - 1) {
            return Err(syntax(code, "REST may appear once, on the last installment"));
        }
        let has_rest = remainders.len() == 1;
        let mut sum = Decimal::ZERO;
        let mut fixed_currency: Option<Currency> = None;
        for r in rules {
            match &r.share {
                Share::Percent(p) => {
                    if *p <= Decimal::ZERO || *p > Decimal::from_int(100) || p.scale() > TERM_PERCENT_SCALE_MAX {
                        return Err(syntax(
                            code,
                            format!(
                                "{p}% must be above 0 and at most 100, with at most {TERM_PERCENT_SCALE_MAX} decimals"
                            ),
                        ));
                    }
                    // Each percentage is in (0, 100] and there are at most TERM_RULES_MAX of them.
                    sum = sum.checked_add(*p).ok_or(MoneyError::Overflow)?;
                }
                Share::Fixed(m) => {
                    if !m.is_positive() {
                        return Err(syntax(code, format!("a fixed installment must be positive, not {m}")));
                    }
                    match fixed_currency {
                        Some(c) if c != m.currency() => {
                            return Err(MoneyError::CurrencyMismatch { left: c, right: m.currency() }.into())
                        }
                        _ => fixed_currency = Some(m.currency()),
                    }
                }
                Share::Remainder | Share::Equal => {}
            }
        }
        let hundred = Decimal::from_int(100);
        if !has_rest && fixed_currency.is_some() {
            return Err(syntax(code, "fixed amounts need a last installment that takes the remainder (REST)"));
        }
        if (!has_rest && sum != hundred) || sum > hundred {
            return Err(TermError::PercentagesDoNotSumTo100 { code: code.to_string(), sum });
        }
        Ok(())
    }

    /// How many installments the term describes (before zero parts are left out).
    pub fn rule_count(&self) -> usize {
        match self {
            PaymentTerm::Installments(rules) => rules.len(),
            _ => 1,
        }
    }

    /// The due date of each rule, in rule order.
    pub fn due_dates(&self, document_date: Date) -> Vec<Date> {
        let after = |days: u32, eom: bool| {
            let d = document_date.add_days(i64::from(days));
            if eom {
                d.end_of_month()
            } else {
                d
            }
        };
        match self {
            PaymentTerm::Net { days } => vec![after(*days, false)],
            PaymentTerm::EndOfMonth { days } => vec![after(*days, true)],
            PaymentTerm::EndOfMonthThenDay { day } => {
                let next = document_date.start_of_month().add_months(1);
                let (y, m, _) = next.ymd();
                // Clamped to the month's length, and never before the document date (at Date::MAX).
                let due = Date::from_ymd(y, m, (*day).clamp(1, days_in_month(y, m))).unwrap_or(next);
                vec![due.max(document_date)]
            }
            PaymentTerm::Installments(rules) => rules.iter().map(|r| after(r.days, r.end_of_month)).collect(),
        }
    }

    /// The amount of each rule, in rule order (zero parts included).
    fn amounts(&self, total: Money) -> Result<Vec<Money>, TermError> {
        let PaymentTerm::Installments(rules) = self else {
            return Ok(vec![total]);
        };
        if rules.iter().all(|r| r.share == Share::Equal) {
            return Ok(split_largest_remainder(total, &vec![1; rules.len()])?);
        }
        let scale = rules
            .iter()
            .filter_map(|r| match &r.share {
                Share::Percent(p) => Some(p.scale()),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let weight = |p: &Decimal| -> Result<u64, TermError> {
            let m = p.mantissa_at_scale(scale).ok_or(MoneyError::Overflow)?;
            Ok(u64::try_from(m).map_err(|_| MoneyError::Overflow)?)
        };
        let mut weights = Vec::with_capacity(rules.len() + 1);
        for r in rules {
            weights.push(match &r.share {
                Share::Percent(p) => weight(p)?,
                _ => 0,
            });
        }
        // The shares not given by percentages, as one more weight: zero when the percentages make 100.
        let hundred = weight(&Decimal::from_int(100))?;
        let given: u64 = weights.iter().sum(); // ≤ hundred, checked by `check`
        weights.push(hundred.checked_sub(given).ok_or(MoneyError::Overflow)?);
        let mut parts = split_largest_remainder(total, &weights)?;
        let mut rest = parts.pop().unwrap_or(Money::zero(total.currency())); // one part per weight: never empty
        for (part, rule) in parts.iter_mut().zip(rules) {
            if let Share::Fixed(m) = rule.share {
                *part = m;
                rest = rest.checked_sub(m)?;
            }
        }
        if rest.is_negative() {
            return Err(TermError::FixedExceedsTotal { code: self.to_string() });
        }
        if let Some(last) = parts.last_mut().filter(|_| rules.last().is_some_and(|r| r.share == Share::Remainder)) {
            *last = rest;
        }
        Ok(parts)
    }

    /// The installments (due date, amount) of a document of `total` dated `document_date`, in due-date
    /// order. See the module documentation for the guarantees.
    pub fn schedule(&self, document_date: Date, total: Money) -> Result<Vec<(Date, Money)>, TermError> {
        if total.is_negative() {
            return Err(TermError::NegativeTotal);
        }
        self.validate()?;
        let dates = self.due_dates(document_date);
        let amounts = self.amounts(total)?;
        assert_eq!(dates.len(), amounts.len(), "one due date per amount");
        let mut out: Vec<(Date, Money)> = dates.into_iter().zip(amounts).filter(|(_, m)| !m.is_zero()).collect();
        out.sort_by_key(|(d, _)| *d); // stable: equal dates keep the rule order
        if out.is_empty() {
            // Only a zero total has no non-zero part: one zero installment at the first due date.
            let first = self.due_dates(document_date).into_iter().min().unwrap_or(document_date);
            out.push((first, Money::zero(total.currency())));
        }
        let sum = Money::checked_sum(total.currency(), out.iter().map(|(_, m)| *m))?;
        assert_eq!(sum, total, "a payment schedule must sum to the document total");
        assert!(out.iter().all(|(d, _)| *d >= document_date), "no installment is due before the document date");
        Ok(out)
    }
}

impl fmt::Display for PaymentTerm {
    /// The canonical code: `NET30`, `EOM30`, `EOM+10`, `30/60/90`, `30:40%/EOM60:60%`, `0:100.00/30:REST`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaymentTerm::Net { days } => write!(f, "NET{days}"),
            PaymentTerm::EndOfMonth { days } => write!(f, "EOM{days}"),
            PaymentTerm::EndOfMonthThenDay { day } => write!(f, "EOM+{day}"),
            PaymentTerm::Installments(rules) => {
                for (i, r) in rules.iter().enumerate() {
                    if i > 0 {
                        f.write_str("/")?;
                    }
                    write!(f, "{}{}", if r.end_of_month { "EOM" } else { "" }, r.days)?;
                    match &r.share {
                        Share::Percent(p) => write!(f, ":{p}%")?,
                        Share::Fixed(m) => write!(f, ":{}", m.format_amount())?,
                        Share::Remainder => f.write_str(":REST")?,
                        Share::Equal => {}
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
#[path = "terms_tests.rs"]
mod tests;
