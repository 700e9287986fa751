//! Property tests for SPEC §3 payment terms: every schedule sums to its total, is in date order, starts
//! no earlier than the document date, and every term's code parses back to the same term.

use creance_core::{Currency, Date, Decimal, InstallmentRule, Money, PaymentTerm, Share, TermError};
use proptest::prelude::*;

fn due() -> impl Strategy<Value = (u32, bool)> {
    (0u32..400, any::<bool>())
}

/// Percentages with two decimals summing to exactly 100 (`cuts` are points in 0.01 % steps).
fn percents(cuts: std::collections::BTreeSet<u32>) -> Vec<Decimal> {
    let mut points: Vec<u32> = cuts.into_iter().collect();
    points.push(10_000);
    let mut prev = 0;
    points
        .into_iter()
        .map(|p| {
            let d = Decimal::new(i128::from(p - prev), 2);
            prev = p;
            d
        })
        .collect()
}

fn rules(dues: Vec<(u32, bool)>, shares: Vec<Share>) -> PaymentTerm {
    PaymentTerm::Installments(
        dues.into_iter()
            .zip(shares)
            .map(|((days, end_of_month), share)| InstallmentRule { days, end_of_month, share })
            .collect(),
    )
}

fn any_term(currency: Currency) -> impl Strategy<Value = PaymentTerm> {
    let equal = prop::collection::vec(due(), 2..6).prop_map(|d| {
        let n = d.len();
        rules(d, vec![Share::Equal; n])
    });
    let pct = prop::collection::btree_set(1u32..10_000, 0..4).prop_flat_map(|cuts| {
        let p = percents(cuts);
        prop::collection::vec(due(), p.len())
            .prop_map(move |d| rules(d, p.iter().copied().map(Share::Percent).collect()))
    });
    // percentages below 100, then REST
    let pct_rest = prop::collection::btree_set(1u32..10_000, 1..4).prop_flat_map(|cuts| {
        let mut p: Vec<Share> = percents(cuts).into_iter().map(Share::Percent).collect();
        *p.last_mut().unwrap() = Share::Remainder;
        prop::collection::vec(due(), p.len()).prop_map(move |d| rules(d, p.clone()))
    });
    let fixed_rest = prop::collection::vec((due(), 1i64..100_000), 1..4).prop_flat_map(move |fixed| {
        due().prop_map(move |last| {
            let mut dues: Vec<(u32, bool)> = fixed.iter().map(|(d, _)| *d).collect();
            let mut shares: Vec<Share> = fixed.iter().map(|(_, m)| Share::Fixed(Money::new(*m, currency))).collect();
            dues.push(last);
            shares.push(Share::Remainder);
            rules(dues, shares)
        })
    });
    prop_oneof![
        (0u32..400).prop_map(|days| PaymentTerm::Net { days }),
        (0u32..400).prop_map(|days| PaymentTerm::EndOfMonth { days }),
        (1u32..=31).prop_map(|day| PaymentTerm::EndOfMonthThenDay { day }),
        equal,
        pct,
        pct_rest,
        fixed_rest,
    ]
}

fn any_currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(Currency::ALL)
}

fn term_and_currency() -> impl Strategy<Value = (PaymentTerm, Currency)> {
    any_currency().prop_flat_map(|c| (any_term(c), Just(c)))
}

proptest! {
    #[test]
    fn schedule_sums_and_is_ordered(
        (term, currency) in term_and_currency(),
        total in prop_oneof![0i64..1_000, 0i64..1_000_000_000_000],
        doc_days in -25_000i32..80_000,
    ) {
        let doc = Date::from_days_since_epoch(doc_days);
        let total = Money::new(total, currency);
        let schedule = match term.schedule(doc, total) {
            Err(TermError::FixedExceedsTotal { .. }) => {
                let fixed: i64 = match &term {
                    PaymentTerm::Installments(r) => r.iter().map(|r| match r.share { Share::Fixed(m) => m.minor(), _ => 0 }).sum(),
                    _ => 0,
                };
                prop_assert!(fixed > total.minor(), "FixedExceedsTotal with fixed {} ≤ total {}", fixed, total);
                return Ok(());
            }
            other => other.map_err(|e| TestCaseError::fail(format!("{term}: {e}")))?,
        };
        prop_assert!(!schedule.is_empty() && schedule.len() <= term.rule_count());
        let sum: i64 = schedule.iter().map(|(_, m)| m.minor()).sum();
        prop_assert_eq!(sum, total.minor());
        prop_assert!(schedule.windows(2).all(|w| w[0].0 <= w[1].0), "dates out of order: {:?}", schedule);
        prop_assert!(schedule.iter().all(|(d, m)| *d >= doc && m.currency() == currency));
        if total.is_zero() {
            prop_assert_eq!(schedule.len(), 1);
        } else {
            prop_assert!(schedule.iter().all(|(_, m)| m.is_positive()));
        }
        // With enough minor units every rule yields an installment (REST may legitimately be empty).
        let has_rest = matches!(&term, PaymentTerm::Installments(r) if r.iter().any(|r| r.share == Share::Remainder));
        if total.minor() >= 100_000_000 && !has_rest {
            prop_assert_eq!(schedule.len(), term.rule_count());
        }
    }

    #[test]
    fn display_parse_round_trip((term, currency) in term_and_currency()) {
        let code = term.to_string();
        prop_assert_eq!(PaymentTerm::parse(&code, currency), Ok(term.clone()));
        prop_assert_eq!(PaymentTerm::parse(&code.to_lowercase(), currency), Ok(term));
    }
}

#[test]
fn equal_thirds_give_extra_units_to_the_first() {
    let t = PaymentTerm::parse("30/60/90", Currency::EUR).unwrap();
    let doc = Date::from_ymd(2026, 1, 1).unwrap();
    let got: Vec<i64> =
        t.schedule(doc, Money::new(10_000, Currency::EUR)).unwrap().iter().map(|(_, m)| m.minor()).collect();
    assert_eq!(got, vec![3_334, 3_333, 3_333]);
    let got: Vec<i64> =
        t.schedule(doc, Money::new(100, Currency::JPY)).unwrap().iter().map(|(_, m)| m.minor()).collect();
    assert_eq!(got, vec![34, 33, 33]);
}
