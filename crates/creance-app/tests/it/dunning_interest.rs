//! Late interest on dunning letters (SPEC §4.7): rate periods cut at a change of rate, partial
//! payments lowering interest from their value date, the minimum below which nothing is charged.
//! Figures worked by hand in the comments; each scenario ends with `creance check` clean.

use crate::common::*;
use crate::dunning::*;
use creance_app::dunning::Criteria;
use creance_app::import::Entity;
use creance_core::Money;

#[tokio::test]
async fn interest_is_cut_at_the_rate_change_on_1_july() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(&app, company, Entity::Documents, BIG_INVOICE).await;
        french_policy(&app, company, 0).await;
        // Due 31 May 2025, as of 31 August: 1–30 June at 3.15 + 10 = 13.15 %, then 1 July–31 August
        // (62 days) at 2.15 + 10 = 12.15 %.
        //   10,000.00 × 13.15 % × 30 / 365 = 108.0822 → 108.08
        //   10,000.00 × 12.15 % × 62 / 365 = 206.3836 → 206.38      total 314.46
        let p = propose(&app, company, &as_of("2025-08-31")).await;
        let det = detail(&app, company, letter_of(&p, "C001")).await;
        assert_eq!(det.letter.interest, eur(31446));
        assert_eq!(det.letter.indemnity, eur(4000), "40 EUR per late invoice");
        assert_eq!(det.letter.fee, eur(0));
        assert_eq!(det.letter.total_due, eur(1_000_000 + 31446 + 4000));
        let f500 = det.items.iter().find(|i| i.reference == "F-500").unwrap();
        assert_eq!((f500.interest_from, f500.interest_to), (Some(d("2025-06-01")), Some(d("2025-09-01"))));
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_partial_payment_lowers_interest_from_its_date_and_days_are_never_charged_twice() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(&app, company, Entity::Documents, BIG_INVOICE).await;
        french_policy(&app, company, 0).await;
        // 4,000.00 paid on 16 June. As of 30 June, at 13.15 %:
        //   1–15 June on 10,000.00: 10,000 × 13.15 % × 15 / 365 = 54.0411 → 54.04
        //   16–30 June on 6,000.00:  6,000 × 13.15 % × 15 / 365 = 32.4247 → 32.42   total 86.46
        pay(&app, company, "C001", "4000,00", "2025-06-16", true).await;
        let p = propose(&app, company, &as_of("2025-06-30")).await;
        let l = letter_of(&p, "C001");
        assert_eq!((l.interest, l.indemnity), (eur(8646), eur(4000)));
        let r = app.issue_dunning(&actor(), company, run_id(&p), d("2025-06-30")).await.unwrap();
        assert_eq!((r.fee_invoices, r.interest_invoices), (1, 1));
        // Level 2 on 15 July: only 1–15 July, at 12.15 %, on 6,000.00:
        //   6,000 × 12.15 % × 15 / 365 = 29.9589 → 29.96; no second indemnity; the 5.00 fee.
        let p = propose(&app, company, &Criteria { customer_to: Some("C001".into()), ..as_of("2025-07-15") }).await;
        let det = detail(&app, company, letter_of(&p, "C001")).await;
        assert_eq!(det.letter.level, 2);
        assert_eq!((det.letter.interest, det.letter.indemnity, det.letter.fee), (eur(2996), eur(0), eur(500)));
        let f500 = det.items.iter().find(|i| i.reference == "F-500").unwrap();
        assert_eq!(f500.interest_from, Some(d("2025-07-01")));
        // The first letter's fee and interest invoices (due 8 July) are listed as late and counted in
        // the total due, but never dunned at a level of their own and bear no interest or indemnity.
        let charges: Vec<(&str, &str, i64, Money, Money)> = det
            .items
            .iter()
            .filter(|i| i.reference != "F-500")
            .map(|i| (&i.reference[..3], i.kind.as_str(), i.new_level, i.interest, i.indemnity))
            .collect();
        assert_eq!(charges, [("FI-", "overdue", 0, eur(0), eur(0)), ("FR-", "overdue", 0, eur(0), eur(0))]);
        assert_eq!(det.letter.overdue_total, eur(600_000 + 4000 + 8646));
        assert_eq!(det.letter.total_due, eur(600_000 + 4000 + 8646 + 500 + 2996));
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn interest_under_the_minimum_is_not_charged_and_stays_chargeable() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(&app, company, Entity::Documents, BIG_INVOICE).await;
        french_policy(&app, company, 10_000).await;
        let p = propose(&app, company, &as_of("2025-06-30")).await;
        let l = letter_of(&p, "C001");
        // 10,000 × 13.15 % × 30 / 365 = 108.08, under the 100.00 minimum? No: 108.08 ≥ 100.00.
        assert_eq!(l.interest, eur(10808));
        app.delete_dunning_proposal(&actor(), company, run_id(&p)).await.unwrap();
        // As of 10 June: 10 days, 36.03, under 100.00: not charged, noted, and the days stay open.
        let p = propose(&app, company, &as_of("2025-06-10")).await;
        let l = letter_of(&p, "C001");
        assert_eq!(l.interest, eur(0));
        assert!(l.notes.contains("36.03 EUR not charged"), "{}", l.notes);
        app.issue_dunning(&actor(), company, run_id(&p), d("2025-06-10")).await.unwrap();
        let p = propose(&app, company, &as_of("2025-06-30")).await;
        let det = detail(&app, company, letter_of(&p, "C001")).await;
        assert_eq!(det.items.iter().find(|i| i.reference == "F-500").unwrap().interest_from, Some(d("2025-06-01")));
        assert_eq!(det.letter.interest, eur(10808));
        assert_eq!(det.letter.indemnity, eur(0), "the indemnity was charged with the first letter");
    })
    .await;
}
