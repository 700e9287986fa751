//! Table tests for SPEC §3 payment terms: parsing, rejections and hand-worked schedules.

use super::*;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse(s, Currency::EUR).unwrap()
}

fn sched(code: &str, doc: &str, total: Money) -> Vec<(String, String)> {
    let term = PaymentTerm::parse(code, total.currency()).unwrap_or_else(|e| panic!("{code}: {e}"));
    term.schedule(date(doc), total)
        .unwrap_or_else(|e| panic!("{code}: {e}"))
        .into_iter()
        .map(|(d, m)| (d.to_string(), m.format_amount()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn parse_table() {
    let r = |days, end_of_month, share| InstallmentRule { days, end_of_month, share };
    let pct = |s: &str| Share::Percent(Decimal::parse(s).unwrap());
    let cases = vec![
        ("NET30", PaymentTerm::Net { days: 30 }),
        ("30", PaymentTerm::Net { days: 30 }),
        (" net 0 ", PaymentTerm::Net { days: 0 }),
        ("cash", PaymentTerm::Net { days: 0 }),
        ("EOM30", PaymentTerm::EndOfMonth { days: 30 }),
        ("eom+10", PaymentTerm::EndOfMonthThenDay { day: 10 }),
        (
            "30/60/90",
            PaymentTerm::Installments(vec![
                r(30, false, Share::Equal),
                r(60, false, Share::Equal),
                r(90, false, Share::Equal),
            ]),
        ),
        ("30:40%/60:60%", PaymentTerm::Installments(vec![r(30, false, pct("40")), r(60, false, pct("60"))])),
        ("30:33,5%/60:66.5 %", PaymentTerm::Installments(vec![r(30, false, pct("33.5")), r(60, false, pct("66.5"))])),
        (
            "0:100.00/30:REST",
            PaymentTerm::Installments(vec![r(0, false, Share::Fixed(eur("100"))), r(30, false, Share::Remainder)]),
        ),
        (
            "0:100,00/30",
            PaymentTerm::Installments(vec![r(0, false, Share::Fixed(eur("100"))), r(30, false, Share::Remainder)]),
        ),
        ("EOM30/EOM60", PaymentTerm::Installments(vec![r(30, true, Share::Equal), r(60, true, Share::Equal)])),
        ("30:100%", PaymentTerm::Installments(vec![r(30, false, pct("100"))])),
    ];
    for (code, want) in cases {
        let got = PaymentTerm::parse(code, Currency::EUR).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(got, want, "{code}");
        assert_eq!(PaymentTerm::parse(&got.to_string(), Currency::EUR), Ok(got), "{code} round trip");
    }
    assert_eq!(PaymentTerm::parse("0:100.00/30", Currency::EUR).unwrap().to_string(), "0:100.00/30:REST");
}

#[test]
fn parse_rejects_table() {
    let syntax_errors = [
        "",
        "NET",
        "NETX",
        "EOM+",
        "EOM+0",
        "EOM+32",
        "30//60",
        "30/",
        "30:/60",
        "30:40%/60/90",
        "30:REST/60:REST",
        "30:REST/60:50%",
        "0:100.00/30:50%",
        "30/60:REST/90",
        "EOM+10/30",
        "9999",
        "30:0%/60:100%",
        "30:150%/60:REST",
        "30:-10.00/60:REST",
    ];
    for code in syntax_errors {
        let e = PaymentTerm::parse(code, Currency::EUR).unwrap_err();
        let shown = e.to_string();
        match &e {
            TermError::Syntax { code: c, .. } | TermError::PercentagesDoNotSumTo100 { code: c, .. } => {
                assert_eq!(c, code)
            }
            other => panic!("{code:?}: unexpected {other:?}"),
        }
        assert!(shown.contains(&format!("{code:?}")), "{shown}");
    }
    assert_eq!(
        PaymentTerm::parse("30:40%/60:50%", Currency::EUR),
        Err(TermError::PercentagesDoNotSumTo100 { code: "30:40%/60:50%".into(), sum: Decimal::from_int(90) })
    );
    assert!(matches!(
        PaymentTerm::parse("0:1.005/30", Currency::EUR),
        Err(TermError::Money(MoneyError::TooManyDecimals { .. }))
    ));
}

#[test]
fn hand_picked_schedules() {
    assert_eq!(sched("EOM30", "2026-01-31", eur("10")), pairs(&[("2026-03-31", "10.00")]));
    assert_eq!(sched("EOM+10", "2026-01-15", eur("10")), pairs(&[("2026-02-10", "10.00")]));
    assert_eq!(sched("EOM+31", "2026-01-15", eur("10")), pairs(&[("2026-02-28", "10.00")]));
    assert_eq!(sched("EOM+10", "2026-12-31", eur("10")), pairs(&[("2027-01-10", "10.00")]));
    assert_eq!(sched("NET30", "2026-01-31", eur("10")), pairs(&[("2026-03-02", "10.00")]));
    assert_eq!(sched("CASH", "2026-01-31", eur("10")), pairs(&[("2026-01-31", "10.00")]));
    assert_eq!(
        sched("30/60/90", "2026-01-01", eur("100")),
        pairs(&[("2026-01-31", "33.34"), ("2026-03-02", "33.33"), ("2026-04-01", "33.33")])
    );
    assert_eq!(
        sched("30/60/90", "2026-01-01", Money::new(100, Currency::JPY)),
        pairs(&[("2026-01-31", "34"), ("2026-03-02", "33"), ("2026-04-01", "33")])
    );
    assert_eq!(
        sched("30:40%/60:60%", "2026-01-01", eur("99.99")),
        pairs(&[("2026-01-31", "40.00"), ("2026-03-02", "59.99")])
    );
    assert_eq!(
        sched("0:100.00/30:REST", "2026-01-01", eur("250")),
        pairs(&[("2026-01-01", "100.00"), ("2026-01-31", "150.00")])
    );
    assert_eq!(sched("0:100.00/30:REST", "2026-01-01", eur("100")), pairs(&[("2026-01-01", "100.00")]));
    assert_eq!(
        sched("0:25%/30:REST", "2026-01-01", eur("0.03")),
        pairs(&[("2026-01-01", "0.01"), ("2026-01-31", "0.02")])
    );
    assert_eq!(sched("EOM30/EOM60", "2026-01-31", eur("1")), pairs(&[("2026-03-31", "0.50"), ("2026-04-30", "0.50")]));
    // a total smaller than the number of parts: zero parts are left out
    assert_eq!(sched("30/60/90", "2026-01-01", eur("0.02")), pairs(&[("2026-01-31", "0.01"), ("2026-03-02", "0.01")]));
    assert_eq!(sched("30/60/90", "2026-01-01", eur("0")), pairs(&[("2026-01-31", "0.00")]));
    // out-of-order rules are sorted by due date, amounts follow their rule
    assert_eq!(
        sched("60:70%/30:30%", "2026-01-01", eur("10")),
        pairs(&[("2026-01-31", "3.00"), ("2026-03-02", "7.00")])
    );
}

#[test]
fn schedule_errors() {
    let t = PaymentTerm::parse("0:100.00/30:REST", Currency::EUR).unwrap();
    assert_eq!(
        t.schedule(date("2026-01-01"), eur("99.99")),
        Err(TermError::FixedExceedsTotal { code: "0:100.00/30:REST".into() })
    );
    assert_eq!(t.schedule(date("2026-01-01"), eur("-1")), Err(TermError::NegativeTotal));
    assert_eq!(
        t.schedule(date("2026-01-01"), Money::new(100_000, Currency::CHF)),
        Err(TermError::Money(MoneyError::CurrencyMismatch { left: Currency::CHF, right: Currency::EUR }))
    );
    let bad = PaymentTerm::Installments(vec![InstallmentRule { days: 30, end_of_month: false, share: Share::Equal }]);
    assert!(matches!(bad.schedule(date("2026-01-01"), eur("1")), Err(TermError::Syntax { .. })));
    assert!(TermError::NegativeTotal.to_string().contains("negative"));
}
