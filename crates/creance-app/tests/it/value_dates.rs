//! Value dates (SPEC §4.2, §4.7; issue 9 point 2): interest follows the day a payment (a credit
//! note) was dated, not the day the clerk allocated it. France B2B, on every engine; the figures are
//! worked by hand in the comments. Each scenario ends with `creance check` clean.

use crate::common::*;
use creance_app::dunning::{Criteria, Proposal};
use creance_app::import::Entity;
use creance_app::payments::{AllocateRequest, CreditRef, RecordPayment};
use creance_app::queries::Page;
use creance_app::views::dunning::{Letter, PolicyInput, PolicyLevel};
use creance_app::App;
use creance_core::{Currency, Date, Money};
use creance_store::documents::DocumentFilter;

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

/// 1,000.00 due 31 March 2025 for C001 and for C002; C002 also has a 400.00 credit note of 15 June.
const INVOICES: &str = "\
kind;number;customer;date;currency;total;due_date
invoice;F-900;C001;2025-03-01;EUR;1000,00;2025-03-31
invoice;F-901;C002;2025-03-01;EUR;1000,00;2025-03-31
credit_note;AV-901;C002;2025-06-15;EUR;400,00;2025-06-15
";

/// France B2B: ECB + 10 points and the 40 EUR indemnity from level 1, no minimum.
async fn french_policy(app: &App, company: i64) {
    let table = app.create_interest_preset(&actor(), company, "fr_b2b").await.unwrap();
    let level = |level, delay_days| PolicyLevel {
        interest: true,
        indemnity: true,
        channel: "email".into(),
        ..PolicyLevel::plain(level, delay_days)
    };
    let policy = PolicyInput {
        code: "fr_b2b".into(),
        name: "France B2B".into(),
        currency: Currency::EUR,
        min_amount: 0,
        list_not_due: false,
        allow_skip: false,
        repeat_last: false,
        payment_days: 8,
        interest_table_id: Some(table.id),
        interest_min: 0,
        levels: vec![level(1, 1), level(2, 15), level(3, 15)],
        texts: Vec::new(),
    };
    app.save_dunning_policy(&actor(), company, &policy).await.unwrap();
    app.set_default_dunning_policy(&actor(), company, "fr_b2b").await.unwrap();
}

async fn propose(app: &App, company: i64, as_of: &str) -> Proposal {
    let c = Criteria { as_of: Some(as_of.into()), ..Default::default() };
    app.propose_dunning(&actor(), company, &c, d(as_of)).await.expect("proposal")
}

fn letter_of<'a>(p: &'a Proposal, payer: &str) -> &'a Letter {
    p.letters.items.iter().find(|l| l.payer_number == payer).unwrap_or_else(|| panic!("no letter for {payer}"))
}

async fn document_id(app: &App, company: i64, number: &str) -> i64 {
    let filter = DocumentFilter { number: Some(number.into()), ..Default::default() };
    app.documents(company, &filter, Page::new(None, None).unwrap()).await.unwrap().items[0].id
}

async fn assert_invariants(app: &App) {
    let violations = app.check().await.unwrap();
    assert!(violations.is_empty(), "invariants broken: {violations:#?}");
}

// Interest from 1 April 2025 to 30 September 2025 (as of 30 September), ECB 3.15 % then 2.15 % from
// 1 July, + 10 points:
//   400.00 counted from 15 June:
//     1 Apr–14 Jun (75 days) on 1,000.00 at 13.15 %: 1,000 × 13.15 % × 75 / 365 = 27.0205 → 27.02
//     15–30 Jun (16 days) on 600.00 at 13.15 %:        600 × 13.15 % × 16 / 365 =  3.4586 →  3.46
//     1 Jul–30 Sep (92 days) on 600.00 at 12.15 %:     600 × 12.15 % × 92 / 365 = 18.3748 → 18.37
//                                                                                   total 48.85
//   nothing paid by 30 September:
//     1 Apr–30 Jun (91 days) on 1,000.00 at 13.15 %: 32.7849 → 32.78
//     1 Jul–30 Sep (92 days) on 1,000.00 at 12.15 %: 30.6247 → 30.62                total 63.40
const INTEREST_PAID_15_JUNE: i64 = 2702 + 346 + 1837;
const INTEREST_UNPAID: i64 = 3278 + 3062;

#[tokio::test]
async fn interest_follows_the_value_date_of_a_payment_allocated_later() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(&app, company, Entity::Documents, INVOICES).await;
        french_policy(&app, company).await;
        // 400.00 received on 15 June, left unallocated, allocated by the clerk on 1 December.
        let input = RecordPayment {
            customer_number: Some("C001".into()),
            amount: "400.00".into(),
            date: Some("2025-06-15".into()),
            method: "transfer".into(),
            ..Default::default()
        };
        let paid = app.record_payment(&actor(), company, &input, d("2025-06-15")).await.unwrap();
        let made = app
            .allocate(
                &actor(),
                company,
                CreditRef::Payment(paid.payment.id),
                &AllocateRequest::Proposal,
                d("2025-12-01"),
            )
            .await
            .unwrap();
        assert_eq!(made.len(), 1);
        assert_eq!((made[0].date, made[0].value_date), (d("2025-12-01"), d("2025-06-15")));
        assert_eq!(made[0].amount, eur(40_000));

        let p = propose(&app, company, "2025-09-30").await;
        assert_eq!(letter_of(&p, "C001").interest, eur(INTEREST_PAID_15_JUNE), "48.85, not 63.40");
        app.delete_dunning_proposal(&actor(), company, p.run_id().expect("a draft to delete")).await.unwrap();

        // Unallocated on 2 December: the reversal carries the same value date, the two cancel out and
        // the interest is that of an invoice never paid.
        let reversal = app.unallocate(&actor(), company, made[0].id, d("2025-12-02")).await.unwrap();
        assert_eq!((reversal.date, reversal.value_date), (d("2025-12-02"), d("2025-06-15")));
        let p = propose(&app, company, "2025-09-30").await;
        assert_eq!(INTEREST_UNPAID, 6340);
        assert_eq!(letter_of(&p, "C001").interest, eur(INTEREST_UNPAID));
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_credit_note_allocated_later_counts_from_its_own_date() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(&app, company, Entity::Documents, INVOICES).await;
        french_policy(&app, company).await;
        // The credit note of 15 June allocated to F-901 on 1 December.
        let note = document_id(&app, company, "AV-901").await;
        let made = app
            .allocate(&actor(), company, CreditRef::CreditNote(note), &AllocateRequest::Proposal, d("2025-12-01"))
            .await
            .unwrap();
        assert_eq!(made.len(), 1);
        assert_eq!(made[0].document_number, "F-901");
        assert_eq!((made[0].date, made[0].value_date), (d("2025-12-01"), d("2025-06-15")));
        let p = propose(&app, company, "2025-09-30").await;
        assert_eq!(letter_of(&p, "C002").interest, eur(INTEREST_PAID_15_JUNE), "48.85 from the credit note's date");
        // C001's invoice, not paid, bears the full 63.40.
        assert_eq!(letter_of(&p, "C001").interest, eur(INTEREST_UNPAID));
        assert_invariants(&app).await;
    })
    .await;
}
