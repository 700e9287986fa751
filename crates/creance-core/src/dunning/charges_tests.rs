use super::*;
use crate::Decimal;
use proptest::prelude::*;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}
fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn table(percent: &str, indemnity: Money) -> RateTable {
    RateTable {
        code: "t".into(),
        day_count: DayCount::Actual365,
        grace_days: 0,
        indemnity,
        rates: vec![RatePeriod { from: d("2020-01-01"), percent: Decimal::parse(percent).unwrap() }],
    }
}

fn item(item_id: i64, document_id: i64, due: &str, amount: i64) -> DunnedItem {
    DunnedItem {
        item_id,
        document_id,
        document_kind: DocumentKind::Invoice,
        indemnity_charged: false,
        due_date: d(due),
        amount: eur(amount),
        interest_to_before: None,
        open_changes: Vec::new(),
    }
}

fn terms<'a>(fee: &'a FeeRule, table: Option<&'a RateTable>) -> ChargeTerms<'a> {
    ChargeTerms { policy_currency: Currency::EUR, fee, interest: true, indemnity: true, interest_min: eur(0), table }
}

#[test]
fn a_letter_of_two_invoices_charges_the_fee_interest_from_the_day_after_each_due_date_and_one_indemnity_each() {
    // 1000.00 due 31 Jan, interest 1 Feb – 2 Mar included at 10 %: 30 days → 8.22; 500.00 due 15 Feb,
    // 16 Feb – 2 Mar: 15 days → 2.05. Two invoices: two indemnities of 40.00. Fee fixed 15.00.
    let fee = FeeRule::Fixed(eur(1_500));
    let t = table("10", eur(4_000));
    let items = [item(1, 10, "2026-01-31", 100_000), item(2, 11, "2026-02-15", 50_000)];
    let c = letter_charges(Currency::EUR, eur(150_000), &terms(&fee, Some(&t)), &items, d("2026-03-02")).unwrap();
    assert_eq!(c.fee, eur(1_500));
    assert_eq!(c.items[0].interest_from, Some(d("2026-02-01")));
    assert_eq!(c.items[0].interest_to, Some(d("2026-03-03")));
    assert_eq!((c.items[0].interest, c.items[1].interest), (eur(822), eur(205)));
    assert_eq!((c.interest, c.indemnity), (eur(1_027), eur(8_000)));
    assert_eq!(c.total().unwrap(), eur(10_527));
    assert!(c.notes.is_empty());
}

#[test]
fn an_invoice_in_two_installments_carries_one_indemnity_and_an_invoice_charged_before_none() {
    let fee = FeeRule::None;
    let t = table("10", eur(4_000));
    let mut charged = item(3, 12, "2026-01-31", 1_000);
    charged.indemnity_charged = true;
    let items = [item(1, 10, "2026-01-31", 1_000), item(2, 10, "2026-02-28", 1_000), charged];
    let c = letter_charges(Currency::EUR, eur(3_000), &terms(&fee, Some(&t)), &items, d("2026-03-02")).unwrap();
    assert_eq!(c.items.iter().map(|i| i.indemnity).collect::<Vec<_>>(), [eur(4_000), eur(0), eur(0)]);
    assert_eq!(c.indemnity, eur(4_000));
}

#[test]
fn fee_and_interest_invoices_carry_neither_interest_nor_indemnity() {
    let fee = FeeRule::None;
    let t = table("10", eur(4_000));
    let mut fee_invoice = item(1, 10, "2026-01-31", 1_500);
    fee_invoice.document_kind = DocumentKind::FeeInvoice;
    let c = letter_charges(Currency::EUR, eur(0), &terms(&fee, Some(&t)), &[fee_invoice], d("2026-03-02")).unwrap();
    assert!(c.items.is_empty());
    assert_eq!(c.total().unwrap(), eur(0));
}

#[test]
fn what_is_not_charged_is_noted() {
    let fee = FeeRule::Fixed(Money::new(1_500, Currency::CHF));
    let chf = |m| Money::new(m, Currency::CHF);
    let mut t = terms(&fee, None);
    t.policy_currency = Currency::CHF;
    t.interest_min = chf(0);
    let c =
        letter_charges(Currency::EUR, eur(10_000), &t, &[item(1, 10, "2026-01-31", 10_000)], d("2026-03-02")).unwrap();
    assert_eq!(c.fee, eur(0));
    assert_eq!(
        c.notes,
        ["no fee: the policy's amounts are in CHF", "no interest or indemnity: the policy has no interest rate table"]
    );
    // Interest under the policy's minimum is not charged at all.
    let fee = FeeRule::None;
    let tab = table("10", eur(0));
    let mut t = terms(&fee, Some(&tab));
    t.interest_min = eur(1_000);
    let c = letter_charges(Currency::EUR, eur(100_000), &t, &[item(1, 10, "2026-01-31", 100_000)], d("2026-03-02"))
        .unwrap();
    assert_eq!(c.interest, eur(0));
    assert!(c.items.is_empty());
    assert_eq!(c.notes, [format!("interest of {} not charged: under the minimum of {}", eur(822), eur(1_000))]);
}

#[test]
fn a_missing_rate_names_the_table() {
    let fee = FeeRule::None;
    let mut t = table("10", eur(0));
    t.rates[0].from = d("2026-02-15");
    let e = letter_charges(
        Currency::EUR,
        eur(0),
        &terms(&fee, Some(&t)),
        &[item(1, 1, "2026-01-31", 100)],
        d("2026-03-02"),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "interest table t: no interest rate is defined for 2026-02-01; add the rate for that period first"
    );
}

#[test]
fn the_total_due_is_never_negative_and_the_deadline_counts_from_the_letter_date() {
    assert_eq!(total_due(eur(10_000), eur(3_000), eur(500)).unwrap(), eur(7_500));
    assert_eq!(total_due(eur(1_000), eur(3_000), eur(500)).unwrap(), eur(0));
    assert_eq!(payment_deadline(d("2026-04-20"), 10), d("2026-04-30"));
}

fn arb_items() -> impl Strategy<Value = Vec<DunnedItem>> {
    prop::collection::vec((0i64..4, 0i32..400, 1i64..10_000_000, any::<bool>(), 0i64..100), 0..6).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (doc, due, amount, charged, paid))| DunnedItem {
                item_id: i as i64,
                document_id: doc,
                document_kind: if doc == 3 { DocumentKind::FeeInvoice } else { DocumentKind::Invoice },
                indemnity_charged: charged,
                due_date: Date::from_days_since_epoch(20_000 + due),
                amount: eur(amount),
                interest_to_before: None,
                open_changes: vec![(Date::from_days_since_epoch(20_100 + due), eur(-amount * paid / 100))],
            })
            .collect()
    })
}

proptest! {
    /// A letter's totals are the sums of its lines, and its charges the fee plus those totals.
    #[test]
    fn a_letters_total_equals_the_sum_of_its_lines(
        items in arb_items(),
        percent in 0i64..2_000,
        fee in 0i64..10_000,
        as_of in 0i32..800,
        interest_min in 0i64..5_000,
    ) {
        let fee = FeeRule::Fixed(eur(fee));
        let mut t = table("0", eur(4_000));
        t.rates[0].percent = Decimal::new(i128::from(percent), 2);
        let mut terms = terms(&fee, Some(&t));
        terms.interest_min = eur(interest_min);
        let c = letter_charges(Currency::EUR, eur(0), &terms, &items, Date::from_days_since_epoch(20_000 + as_of))
            .unwrap();
        let interest: i64 = c.items.iter().map(|i| i.interest.minor()).sum();
        let indemnity: i64 = c.items.iter().map(|i| i.indemnity.minor()).sum();
        prop_assert_eq!(c.interest.minor(), interest);
        prop_assert_eq!(c.indemnity.minor(), indemnity);
        prop_assert_eq!(c.total().unwrap().minor(), c.fee.minor() + interest + indemnity);
        let documents: HashSet<i64> = items.iter().filter(|i| i.document_id != 3).map(|i| i.document_id).collect();
        prop_assert!(indemnity <= 4_000 * documents.len() as i64, "one indemnity per invoice at most");
    }

    /// Interest charged by two letters (the second from where the first stopped) adds up to the
    /// interest one letter charges over the whole period, to a cent per cut.
    #[test]
    fn interest_is_additive_over_split_periods(
        due in 0i32..400,
        first in 1i64..300,
        second in 1i64..300,
        amount in 1i64..100_000_000,
        percent in 0i64..2_000,
    ) {
        let fee = FeeRule::None;
        let mut t = table("0", eur(0));
        t.rates[0].percent = Decimal::new(i128::from(percent), 2);
        let mut it = item(1, 1, "2026-01-01", amount);
        it.due_date = Date::from_days_since_epoch(20_000 + due);
        let mid = it.due_date.add_days(first);
        let end = mid.add_days(second);
        let whole = letter_charges(Currency::EUR, eur(0), &terms(&fee, Some(&t)), std::slice::from_ref(&it), end).unwrap();
        let one = letter_charges(Currency::EUR, eur(0), &terms(&fee, Some(&t)), std::slice::from_ref(&it), mid).unwrap();
        let mut later = it.clone();
        later.interest_to_before = one.items[0].interest_to;
        let two = letter_charges(Currency::EUR, eur(0), &terms(&fee, Some(&t)), &[later], end).unwrap();
        prop_assert_eq!(two.items[0].interest_from, one.items[0].interest_to);
        let diff = (one.interest.minor() + two.interest.minor() - whole.interest.minor()).abs();
        prop_assert!(diff <= 1, "split changes the total by at most a cent, not {}", diff);
    }

    /// The total due is overdue less credits plus charges, or zero.
    #[test]
    fn the_total_due_is_the_balance_plus_charges_or_zero(
        overdue in 0i64..1_000_000_000,
        credits in 0i64..1_000_000_000,
        charges in 0i64..1_000_000,
    ) {
        let due = total_due(eur(overdue), eur(credits), eur(charges)).unwrap().minor();
        prop_assert_eq!(due, (overdue - credits + charges).max(0));
    }
}
