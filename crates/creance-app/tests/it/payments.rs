//! Scenario tests for payments, allocation, refunds, advances, deposits and the journal (SPEC §4.1–4.5,
//! §4.9; seed 001), on every engine. Each ends by checking every invariant of SPEC §4.1.

use crate::common::*;
use creance_app::import::Entity;
use creance_app::journal::{JournalFormat, FEC_COLUMNS};
use creance_app::payments::{AllocateRequest, CreditRef, LineRequest, PaymentDetail, RecordPayment};
use creance_app::queries::Page;
use creance_app::refunds::{RecordRefund, RefundAllocate, RefundLine};
use creance_app::views::ledger::Document;
use creance_app::{App, AppError, Code};
use creance_core::{Currency, Date, Money};
use creance_store::documents::DocumentFilter;

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

const TODAY: &str = "2026-06-30";

/// Customers of `common::CUSTOMERS` and these invoices (C003 is paid for by C002).
const INVOICES: &str = "\
kind;number;customer;date;currency;total;order_ref;due_date
invoice;F-100;C001;2026-01-15;EUR;100,50;;2026-02-14
invoice;F-101;C001;2026-02-15;EUR;200,00;;2026-03-17
invoice;F-102;C001;2026-03-15;EUR;80,00;;2026-04-14
invoice;F-200;C003;2026-01-20;EUR;300,00;;2026-02-19
credit_note;AV-1;C001;2026-03-20;EUR;30,00;;2026-03-20
";

async fn setup(app: &App, company: i64) {
    import_ok(app, company, Entity::Customers, CUSTOMERS).await;
    import_ok(app, company, Entity::Documents, INVOICES).await;
}

async fn doc(app: &App, company: i64, number: &str) -> Document {
    let filter = DocumentFilter { number: Some(number.into()), ..Default::default() };
    let mut docs = app.documents(company, &filter, Page::new(None, None).unwrap()).await.unwrap().items;
    assert_eq!(docs.len(), 1, "document {number}");
    app.document(company, docs.remove(0).id).await.unwrap()
}

async fn open_of(app: &App, company: i64, number: &str) -> Money {
    doc(app, company, number).await.amount_open
}

fn payment(customer: &str, amount: &str, date: &str) -> RecordPayment {
    RecordPayment {
        customer_number: Some(customer.into()),
        amount: amount.into(),
        date: Some(date.into()),
        method: "transfer".into(),
        ..Default::default()
    }
}

async fn record(app: &App, company: i64, input: RecordPayment) -> PaymentDetail {
    app.record_payment(&actor(), company, &input, d(TODAY)).await.expect("payment recorded")
}

async fn assert_invariants(app: &App) {
    let violations = app.check().await.unwrap();
    assert!(violations.is_empty(), "invariants broken: {violations:#?}");
}

#[tokio::test]
async fn an_invoice_of_100_50_paid_100_00_leaves_0_50_open() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let mut input = payment("C001", "100,00", "2026-02-20");
        input.piece_number = "VIR F-100".into();
        input.allocate = Some(AllocateRequest::Proposal);
        let paid = record(&app, company, input).await;
        assert_eq!(paid.allocations.len(), 1);
        assert_eq!(paid.allocations[0].document_number, "F-100", "the referenced invoice comes first");
        assert_eq!(paid.payment.unallocated, eur(0), "fully allocated");
        assert_eq!(open_of(&app, company, "F-100").await, eur(50));
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn an_overpayment_is_offered_to_the_other_invoices_then_kept_as_credit_then_refunded() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        // 500.00 for F-100 (100.50) alone: the rest is offered to C001's other invoices, oldest first.
        let mut input = payment("C001", "500.00", "2026-04-20");
        input.allocate = Some(AllocateRequest::Lines(vec![LineRequest {
            installment_id: doc(&app, company, "F-100").await.installments[0].id,
            amount: None,
        }]));
        let paid = record(&app, company, input).await;
        assert_eq!(paid.payment.unallocated, eur(39_950));
        let rest = paid.proposal.expect("the rest is proposed");
        let numbers: Vec<&str> = rest.lines.iter().map(|l| l.document_number.as_str()).collect();
        assert_eq!(numbers, ["F-101", "F-102"], "the other open invoices, oldest due first");
        assert_eq!(rest.remaining, eur(39_950 - 20_000 - 8_000));

        // Accept the offer: what remains is kept as unallocated credit.
        app.allocate(&actor(), company, CreditRef::Payment(paid.payment.id), &AllocateRequest::Proposal, d(TODAY))
            .await
            .unwrap();
        let after = app.payment(company, paid.payment.id).await.unwrap();
        assert_eq!(after.payment.unallocated, eur(11_950));
        assert!(after.proposal.unwrap().lines.is_empty(), "nothing left to pay");
        let to_allocate = app
            .payments(
                company,
                &creance_store::payments::PaymentFilter { unallocated: Some(true), ..Default::default() },
                Page::new(None, None).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(to_allocate.total_count, 1, "it waits in the payments to allocate");

        // Refund the credit: it consumes the payment's unallocated amount.
        let refund = app
            .record_refund(
                &actor(),
                company,
                &RecordRefund {
                    customer_number: Some("C001".into()),
                    amount: "119.50".into(),
                    reason: "trop-perçu".into(),
                    method: "transfer".into(),
                    allocate: Some(RefundAllocate::Auto),
                    ..Default::default()
                },
                d(TODAY),
            )
            .await
            .unwrap();
        assert_eq!(refund.to_allocate, eur(0));
        assert_eq!(refund.reason, "overpayment");
        assert_eq!(app.payment(company, paid.payment.id).await.unwrap().payment.unallocated, eur(0));
        let letter = app.refund_letter(company, refund.id).await.unwrap();
        assert_eq!(letter.customer_number, "C001");
        assert_eq!(letter.reason_label, "Trop-perçu");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn unallocating_appends_a_reversal_and_returns_the_open_amount() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let mut input = payment("C001", "100.50", "2026-02-20");
        input.allocate = Some(AllocateRequest::Proposal);
        let paid = record(&app, company, input).await;
        assert_eq!(open_of(&app, company, "F-100").await, eur(0), "exact amount matched F-100");
        let allocation = paid.allocations[0].id;
        let reversal = app.unallocate(&actor(), company, allocation, d(TODAY)).await.unwrap();
        assert_eq!(reversal.reverses_id, Some(allocation));
        assert_eq!(open_of(&app, company, "F-100").await, eur(10_050));
        let detail = app.payment(company, paid.payment.id).await.unwrap();
        assert_eq!(detail.payment.unallocated, eur(10_050));
        assert_eq!(detail.allocations.len(), 2, "the allocation and its reversal are both kept");
        assert_eq!(detail.allocations[0].reversed_by, Some(reversal.id));
        // A second reversal of the same allocation is refused.
        let again = app.unallocate(&actor(), company, allocation, d(TODAY)).await;
        assert!(matches!(again, Err(AppError::Rejected(_))), "{again:?}");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_likely_duplicate_is_refused_unless_confirmed_and_the_answer_names_the_earlier_payment() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let mut input = payment("C001", "42.00", "2026-05-02");
        input.piece_number = "CHQ 1234567".into();
        input.method = "cheque".into();
        let first = record(&app, company, input.clone()).await;
        input.date = Some("2026-05-06".into());
        let refused = app.record_payment(&actor(), company, &input, d(TODAY)).await;
        match refused {
            Err(AppError::Rejected(r)) => assert!(r.detail.contains(&first.payment.number), "{}", r.detail),
            other => panic!("expected a duplicate refusal, got {other:?}"),
        }
        // Eight days later it is not a likely duplicate any more; within the window, confirming records it.
        input.date = Some("2026-05-11".into());
        record(&app, company, input.clone()).await;
        input.date = Some("2026-05-12".into());
        input.confirm_duplicate = true;
        record(&app, company, input).await;
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_payer_pays_for_the_customers_it_is_payer_of() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let mut input = payment("C002", "300.00", "2026-03-01");
        input.allocate = Some(AllocateRequest::Proposal);
        let paid = record(&app, company, input).await;
        assert_eq!(paid.allocations.len(), 1);
        assert_eq!(paid.allocations[0].document_number, "F-200", "C003's invoice, paid by its payer C002");
        assert_eq!(open_of(&app, company, "F-200").await, eur(0));
        // C001 does not pay for C003: its proposal never offers F-200.
        let other = record(&app, company, payment("C001", "300.00", "2026-03-02")).await;
        assert!(other.proposal.unwrap().lines.iter().all(|l| l.document_number != "F-200"));
        assert_invariants(&app).await; // the transfer between C002 and C003 keeps each receivable right
    })
    .await;
}

#[tokio::test]
async fn credit_notes_allocate_to_invoices_like_payments() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let credit = doc(&app, company, "AV-1").await;
        let proposal = app.proposal(company, CreditRef::CreditNote(credit.id)).await.unwrap();
        assert_eq!(proposal.lines[0].document_number, "F-100", "oldest due first");
        app.allocate(&actor(), company, CreditRef::CreditNote(credit.id), &AllocateRequest::Proposal, d(TODAY))
            .await
            .unwrap();
        assert_eq!(open_of(&app, company, "F-100").await, eur(7_050));
        assert_eq!(doc(&app, company, "AV-1").await.amount_open, eur(0));
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn an_unallocated_payment_can_be_cancelled_with_a_reason_but_an_allocated_one_cannot() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let loose = record(&app, company, payment("C001", "10.00", "2026-03-01")).await;
        let missing = app.cancel_payment(&actor(), company, loose.payment.id, " ", d(TODAY)).await;
        assert!(matches!(missing, Err(AppError::Invalid(ref f)) if f.field == "reason"), "{missing:?}");
        let cancelled =
            app.cancel_payment(&actor(), company, loose.payment.id, "saisi deux fois", d(TODAY)).await.unwrap();
        assert_eq!(cancelled.status, creance_core::PaymentStatus::Cancelled);
        let mut input = payment("C001", "100.50", "2026-03-01");
        input.allocate = Some(AllocateRequest::Proposal);
        let used = record(&app, company, input).await;
        let refused = app.cancel_payment(&actor(), company, used.payment.id, "erreur", d(TODAY)).await;
        assert!(matches!(refused, Err(AppError::Rejected(_))), "{refused:?}");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn the_batch_allocation_previews_then_allocates_every_unallocated_credit() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        record(&app, company, payment("C001", "100.50", "2026-03-01")).await;
        record(&app, company, payment("C002", "150.00", "2026-03-02")).await;
        let preview = app.auto_allocate(&actor(), company, None, false, d(TODAY)).await.unwrap();
        assert!(!preview.confirmed);
        assert_eq!(preview.credits, 3, "two payments and the credit note");
        assert_eq!(open_of(&app, company, "F-200").await, eur(30_000), "a preview changes nothing");
        let done = app.auto_allocate(&actor(), company, None, true, d(TODAY)).await.unwrap();
        assert_eq!(done.line_count, preview.line_count);
        assert_eq!(open_of(&app, company, "F-200").await, eur(15_000), "C002 paid half of C003's invoice");
        assert_eq!(open_of(&app, company, "F-100").await, eur(0));
        let again = app.auto_allocate(&actor(), company, None, false, d(TODAY)).await.unwrap();
        assert_eq!(again.line_count, 0, "nothing left to allocate");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_batch_of_more_lines_than_a_bound_statement_takes_is_allocated_exactly() {
    // 80 invoices and 80 payments (above the 64 rows up to which the batch's statements bind their
    // values; above, its ids and amounts are written as literals): every line lands once, both sides.
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let mut csv = String::from("kind;number;customer;date;currency;total;due_date\n");
        for n in 0..80 {
            csv.push_str(&format!("invoice;B-{n:03};C001;2026-01-{:02};EUR;{},00;2026-02-15\n", 1 + n % 28, 10 + n));
        }
        import_ok(&app, company, Entity::Documents, &csv).await;
        for n in 0..80 {
            let mut p = payment("C001", &format!("{}.00", 10 + n), "2026-03-01");
            p.piece_number = format!("VIR B-{n:03}");
            p.confirm_duplicate = true;
            record(&app, company, p).await;
        }
        let done = app.auto_allocate(&actor(), company, None, true, d(TODAY)).await.unwrap();
        assert!(done.line_count >= 80, "{} lines", done.line_count);
        for n in [0, 41, 79] {
            assert_eq!(open_of(&app, company, &format!("B-{n:03}")).await, eur(0), "B-{n:03}");
        }
        let again = app.auto_allocate(&actor(), company, None, false, d(TODAY)).await.unwrap();
        assert_eq!(again.line_count, 0, "nothing left to allocate");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_refund_recorded_first_waits_to_allocate_then_consumes_a_credit_note() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let refund = app
            .record_refund(
                &actor(),
                company,
                &RecordRefund {
                    customer_number: Some("C001".into()),
                    amount: "30.00".into(),
                    reason: "credit_note".into(),
                    method: "transfer".into(),
                    ..Default::default()
                },
                d(TODAY),
            )
            .await
            .unwrap();
        assert_eq!(refund.to_allocate, eur(3_000));
        let waiting = app
            .refunds(
                company,
                &creance_store::refunds::RefundFilter { to_allocate: true, ..Default::default() },
                Page::new(None, None).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(waiting.total_count, 1);
        assert!(matches!(app.refund_letter(company, refund.id).await, Err(AppError::Rejected(r)) if r.code == Code::RefundNotAllocated));
        assert_invariants(&app).await;
        let credit = doc(&app, company, "AV-1").await;
        let done = app
            .allocate_refund(
                &actor(),
                company,
                refund.id,
                &RefundAllocate::Lines(vec![RefundLine {
                    payment_id: None,
                    credit_note_id: Some(credit.id),
                    amount: None,
                }]),
                d(TODAY),
            )
            .await
            .unwrap();
        assert_eq!(done.to_allocate, eur(0));
        assert_eq!(doc(&app, company, "AV-1").await.amount_open, eur(0));
        assert_invariants(&app).await;

        // Unallocating it appends a reversal: the refund waits again, the credit note has its credit back.
        let allocation = done.allocations[0].id;
        let undone = app.unallocate_refund(&actor(), company, allocation, d(TODAY)).await.unwrap();
        assert_eq!(undone.to_allocate, eur(3_000));
        assert_eq!(undone.allocations.len(), 2, "the allocation and its reversal");
        assert_eq!(undone.allocations[1].reverses_id, Some(allocation));
        assert_eq!(doc(&app, company, "AV-1").await.amount_open, eur(3_000));
        let again = app.unallocate_refund(&actor(), company, allocation, d(TODAY)).await;
        assert!(matches!(&again, Err(AppError::Rejected(r)) if r.code == Code::AlreadyReversed), "{again:?}");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn an_advance_is_allocated_when_the_invoice_with_its_order_reference_arrives() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let mut input = payment("C001", "250.00", "2026-04-01");
        input.order_ref = "CMD-77".into();
        let advance = record(&app, company, input).await;
        let list = app.advances(company, None, Page::new(None, None).unwrap()).await.unwrap();
        assert_eq!(list.items.iter().map(|p| p.id).collect::<Vec<_>>(), [advance.payment.id]);
        let report = import_ok(
            &app,
            company,
            Entity::Documents,
            "kind;number;customer;date;currency;total;order_ref;due_date\ninvoice;F-300;C001;2026-04-10;EUR;200,00;CMD-77;2026-05-10\n",
        )
        .await;
        assert_eq!(report.advances_allocated, 1);
        assert_eq!(open_of(&app, company, "F-300").await, eur(0));
        let after = app.payment(company, advance.payment.id).await.unwrap();
        assert_eq!(after.payment.unallocated, eur(5_000));
        assert_eq!(after.allocations[0].date, d("2026-04-10"));
        // Still an advance for the 50.00 left; fully used, it would leave the list.
        assert_eq!(app.advances(company, None, Page::new(None, None).unwrap()).await.unwrap().total_count, 1);
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn cheques_wait_to_be_deposited_and_a_validated_deposit_books_the_bank() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let cheque = |amount: &str, deposit_date: Option<&str>| {
            let mut p = payment("C001", amount, "2026-06-01");
            p.method = "cheque".into();
            p.piece_number = format!("CHQ {amount}");
            p.customer_bank = "Crédit Agricole".into();
            p.deposit_date = deposit_date.map(str::to_string);
            p
        };
        let a = record(&app, company, cheque("10.00", None)).await;
        let b = record(&app, company, cheque("20.00", Some("2026-07-15"))).await;
        record(&app, company, payment("C001", "5.00", "2026-06-01")).await; // a transfer is never deposited
        let page = Page::new(None, None).unwrap();
        let pending = app.to_deposit(company, d(TODAY), false, page).await.unwrap();
        assert_eq!(
            pending.items.iter().map(|p| p.id).collect::<Vec<_>>(),
            [a.payment.id],
            "the post-dated one is hidden"
        );
        assert_eq!(app.to_deposit(company, d(TODAY), true, page).await.unwrap().total_count, 2);
        assert_eq!(app.to_deposit(company, d("2026-07-15"), false, page).await.unwrap().total_count, 2);

        let create =
            creance_app::deposits::CreateDeposit { bank_account_id: 1, date: None, payment_ids: vec![a.payment.id] };
        let no_bank = app.create_deposit(&actor(), company, &create, d(TODAY)).await;
        assert!(matches!(no_bank, Err(AppError::Invalid(ref f)) if f.field == "bank_account_id"), "{no_bank:?}");
        let bank = app
            .add_bank_account(
                &actor(),
                company,
                &creance_app::settings::NewBank {
                    name: "Crédit Agricole".into(),
                    iban: "FR76 3000 6000 0112 3456 7890 189".into(),
                    account_code: Some("512100".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let early = creance_app::deposits::CreateDeposit {
            bank_account_id: bank.id,
            date: Some(TODAY.into()),
            payment_ids: vec![b.payment.id],
        };
        let refused = app.create_deposit(&actor(), company, &early, d(TODAY)).await;
        assert!(matches!(refused, Err(AppError::Invalid(_))), "not before its deposit date: {refused:?}");
        let create = creance_app::deposits::CreateDeposit { bank_account_id: bank.id, ..create };
        // A draft made by mistake is cancelled: its cheque waits again, its number stays used.
        let mistake = app.create_deposit(&actor(), company, &create, d(TODAY)).await.unwrap();
        assert_eq!(app.to_deposit(company, d(TODAY), false, page).await.unwrap().total_count, 0);
        let cancelled = app.cancel_deposit(&actor(), company, mistake.deposit.id).await.unwrap();
        assert_eq!(cancelled.deposit.status, creance_core::DepositStatus::Cancelled);
        assert_eq!(app.to_deposit(company, d(TODAY), false, page).await.unwrap().total_count, 1);
        let slip = app.create_deposit(&actor(), company, &create, d(TODAY)).await.unwrap();
        assert_ne!(slip.deposit.number, mistake.deposit.number);
        assert_eq!(slip.deposit.status, creance_core::DepositStatus::Draft);
        assert_eq!(slip.deposit.total, eur(1_000));
        assert_eq!(slip.payments[0].customer_bank, "Crédit Agricole");
        assert_eq!(app.to_deposit(company, d(TODAY), false, page).await.unwrap().total_count, 0);
        let validated = app.validate_deposit(&actor(), company, slip.deposit.id).await.unwrap();
        assert_eq!(validated.deposit.status, creance_core::DepositStatus::Validated);
        let not_draft =
            |r: &Result<_, AppError>| matches!(r, Err(AppError::Rejected(r)) if r.code == Code::DepositNotDraft);
        assert!(not_draft(&app.validate_deposit(&actor(), company, slip.deposit.id).await));
        assert!(not_draft(&app.cancel_deposit(&actor(), company, slip.deposit.id).await));

        let mut csv = Vec::new();
        app.export_journal(company, d("2026-01-01"), d("2026-12-31"), JournalFormat::Csv, &mut csv).await.unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let bank_line = csv.lines().find(|l| l.contains(";512100;")).expect("a bank line");
        assert!(bank_line.contains(";10.00;0.00;EUR"), "{bank_line}");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn the_fec_export_has_its_18_columns_and_letters_both_matched_lines() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let mut input = payment("C001", "100.50", "2026-02-20");
        input.allocate = Some(AllocateRequest::Proposal);
        let paid = record(&app, company, input).await;
        let mut out = Vec::new();
        let n =
            app.export_journal(company, d("2026-01-01"), d("2026-12-31"), JournalFormat::Fec, &mut out).await.unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
        assert_eq!(header, FEC_COLUMNS);
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
        assert_eq!(rows.len(), n);
        assert!(rows.iter().all(|r| r.len() == 18));
        let mut lettered: Vec<&Vec<&str>> = rows.iter().filter(|r| !r[13].is_empty()).collect();
        lettered.sort_by_key(|r| r[8] != "F-100");
        let pieces: Vec<&str> = lettered.iter().map(|r| r[8]).collect();
        assert_eq!(pieces, ["F-100", paid.payment.number.as_str()], "the invoice and the payment: {lettered:?}");
        assert_eq!(lettered[0][13], lettered[1][13], "one lettering code");
        assert_eq!(lettered[0][14], "20260220", "DateLet is the allocation date");
        assert_eq!(lettered[0][11], "100,50");
        assert_eq!(lettered[1][12], "100,50");
        assert_eq!(lettered[0][6], "C001", "CompAuxNum is the customer");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn bad_payment_input_is_refused_naming_the_field_and_changes_nothing() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let cases: Vec<(RecordPayment, &str)> = vec![
            (payment("C001", "12,345", TODAY), "amount"),
            (payment("C001", "-5", TODAY), "amount"),
            (payment("C999", "5", TODAY), "customer_number"),
            (RecordPayment { method: "bitcoin".into(), ..payment("C001", "5", TODAY) }, "method"),
            (RecordPayment { currency: Some("XYZ".into()), ..payment("C001", "5", TODAY) }, "currency"),
            (payment("C001", "5", "31/02/2026"), "date"),
            (RecordPayment { piece_number: "CHQ\u{1f}12".into(), ..payment("C001", "5", TODAY) }, "piece_number"),
        ];
        for (input, field) in cases {
            match app.record_payment(&actor(), company, &input, d(TODAY)).await {
                Err(AppError::Invalid(f)) => assert_eq!(f.field, field, "{}", f.reason),
                other => panic!("{field}: expected a refusal, got {other:?}"),
            }
        }
        let all = app.payments(company, &Default::default(), Page::new(None, None).unwrap()).await.unwrap();
        assert_eq!(all.total_count, 0, "nothing recorded");
        // A line asking more than the installment has open is refused as a conflict.
        let p = record(&app, company, payment("C001", "500", TODAY)).await;
        let f100 = doc(&app, company, "F-100").await.installments[0].id;
        let too_much = AllocateRequest::Lines(vec![LineRequest { installment_id: f100, amount: Some("200".into()) }]);
        let r = app.allocate(&actor(), company, CreditRef::Payment(p.payment.id), &too_much, d(TODAY)).await;
        assert!(matches!(r, Err(AppError::Rejected(_))), "{r:?}");
        assert_invariants(&app).await;
    })
    .await;
}

/// C003 (paid for by C002) owes F-200 (300.00, due 19 Feb) and F-201 (200.00, due 31 Mar); its payer
/// C002 owes F-300 (300.00, due 4 Feb), older.
const PAYER_INVOICES: &str = "\
kind;number;customer;date;currency;total;order_ref;due_date
invoice;F-300;C002;2026-01-05;EUR;300,00;;2026-02-04
invoice;F-201;C003;2026-03-01;EUR;200,00;;2026-03-31
";

#[tokio::test]
async fn a_payment_goes_to_its_own_customer_items_before_those_it_pays_for() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        import_ok(&app, company, Entity::Documents, PAYER_INVOICES).await;
        // C003 pays 300.00: its own F-200, not its payer's older F-300 of the same amount.
        let own = record(&app, company, payment("C003", "300.00", "2026-03-05")).await;
        let proposed: Vec<&str> =
            own.proposal.as_ref().unwrap().lines.iter().map(|l| l.document_number.as_str()).collect();
        assert_eq!(proposed, ["F-200"]);
        // The batch follows the same rule (C001's credit note AV-1 goes to C001's F-100 beside it).
        let preview = app.auto_allocate(&actor(), company, None, false, d(TODAY)).await.unwrap();
        let batch: Vec<(&str, &str)> =
            preview.lines.iter().map(|l| (l.credit_kind, l.document_number.as_str())).collect();
        assert_eq!(batch, [("payment", "F-200"), ("credit_note", "F-100")]);
        app.auto_allocate(&actor(), company, None, true, d(TODAY)).await.unwrap();
        assert_eq!(open_of(&app, company, "F-200").await, eur(0));
        assert_eq!(open_of(&app, company, "F-300").await, eur(30_000), "the payer's invoice stays open");
        // The payer C002 pays 450.00: its own F-300 first, then what it pays for (F-201).
        let mut input = payment("C002", "450.00", "2026-04-10");
        input.allocate = Some(AllocateRequest::Proposal);
        let paid = record(&app, company, input).await;
        let made: Vec<(&str, Money)> =
            paid.allocations.iter().map(|a| (a.document_number.as_str(), a.amount)).collect();
        assert_eq!(made, [("F-300", eur(30_000)), ("F-201", eur(15_000))]);
        assert_eq!(open_of(&app, company, "F-201").await, eur(5_000));
        assert_invariants(&app).await;
    })
    .await;
}

async fn audit_count(app: &App, action: &str) -> i64 {
    let mut conn = app.db.pool().acquire().await.unwrap();
    let r = creance_store::Sql::new("SELECT COUNT(*) AS n FROM audit_events WHERE action = ")
        .bind(action)
        .push(" AND before_json LIKE '%customer_number%' AND after_json LIKE '%customer_number%'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    creance_store::Row::try_get::<i64, _>(&r, "n").unwrap()
}

#[tokio::test]
async fn a_payment_moves_to_another_customer_only_while_nothing_of_it_is_allocated() {
    use creance_app::payment_customer::SetPaymentCustomer;
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        // 300.00 recorded for C001 by mistake; it is C003's payment.
        let p = record(&app, company, payment("C001", "300.00", "2026-03-05")).await.payment;
        let to = |n: &str| SetPaymentCustomer { customer_number: Some(n.into()), ..Default::default() };
        let moved = app.set_payment_customer(&actor(), company, p.id, &to("C003"), d(TODAY)).await.unwrap();
        assert_eq!(moved.payment.customer_number, "C003");
        let proposed: Vec<&str> =
            moved.proposal.as_ref().unwrap().lines.iter().map(|l| l.document_number.as_str()).collect();
        assert_eq!(proposed, ["F-200"], "proposed to the new customer's items");
        assert_eq!(audit_count(&app, "payment.set_customer").await, 1, "one audit event with before and after");
        // The journal followed: every customer's receivable equals its open items.
        assert_invariants(&app).await;

        // Allocated, it cannot move; unallocated, it can again.
        let made = app
            .allocate(&actor(), company, CreditRef::Payment(p.id), &AllocateRequest::Proposal, d(TODAY))
            .await
            .unwrap();
        let r = app.set_payment_customer(&actor(), company, p.id, &to("C002"), d(TODAY)).await;
        assert!(matches!(&r, Err(AppError::Rejected(m)) if m.detail.contains(&p.number)), "{r:?}");
        app.unallocate(&actor(), company, made[0].id, d(TODAY)).await.unwrap();
        let r = app.set_payment_customer(&actor(), company, p.id, &to("C003"), d(TODAY)).await;
        assert!(matches!(&r, Err(AppError::Invalid(f)) if f.field == "customer_number"), "already C003's: {r:?}");
        let r = app.set_payment_customer(&actor(), company, p.id, &to("C999"), d(TODAY)).await;
        assert!(matches!(&r, Err(AppError::Invalid(f)) if f.field == "customer_number"), "{r:?}");
        app.set_payment_customer(&actor(), company, p.id, &to("C002"), d(TODAY)).await.unwrap();
        assert_invariants(&app).await;
        // Cancelled, it cannot move; its journal entry is reversed on the customer it had last.
        app.cancel_payment(&actor(), company, p.id, "saisi deux fois", d(TODAY)).await.unwrap();
        let r = app.set_payment_customer(&actor(), company, p.id, &to("C001"), d(TODAY)).await;
        assert!(matches!(&r, Err(AppError::Rejected(_))), "{r:?}");
        assert_eq!(audit_count(&app, "payment.set_customer").await, 2);
        assert_invariants(&app).await;

        // A cheque in a validated bank deposit may move: the deposit is the bank's side, not the
        // customer's.
        let mut cheque = payment("C001", "40.00", "2026-06-01");
        cheque.method = "cheque".into();
        cheque.piece_number = "CHQ 12".into();
        let cheque = record(&app, company, cheque).await.payment;
        let bank = app
            .add_bank_account(
                &actor(),
                company,
                &creance_app::settings::NewBank { name: "Banque".into(), ..Default::default() },
            )
            .await
            .unwrap();
        let slip = creance_app::deposits::CreateDeposit {
            bank_account_id: bank.id,
            date: Some(TODAY.into()),
            payment_ids: vec![cheque.id],
        };
        let deposit = app.create_deposit(&actor(), company, &slip, d(TODAY)).await.unwrap();
        app.validate_deposit(&actor(), company, deposit.deposit.id).await.unwrap();
        let moved = app.set_payment_customer(&actor(), company, cheque.id, &to("C003"), d(TODAY)).await.unwrap();
        assert_eq!(moved.payment.customer_number, "C003");
        assert!(moved.payment.deposit_id.is_some(), "still in its deposit");
        assert_invariants(&app).await;
    })
    .await;
}

/// A recording that settles what it allocates answers from what it wrote instead of reading the
/// payment back (issue 15): that answer must be the payment exactly as it reads afterwards, for the
/// proposal (own and paid-for customers, with and without a rest), chosen lines, and no allocation.
#[tokio::test]
async fn the_answer_to_a_recording_is_the_payment_as_it_reads_afterwards() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let f101 = doc(&app, company, "F-101").await.installments[0].id;
        let mut cases = Vec::new();
        let mut referenced = payment("C001", "100,00", "2026-02-20");
        referenced.piece_number = "VIR F-100".into();
        referenced.allocate = Some(AllocateRequest::Proposal);
        cases.push(("the proposal, settled by the referenced invoice", referenced));
        let mut chosen = payment("C001", "50.00", "2026-03-01");
        chosen.allocate = Some(AllocateRequest::Lines(vec![LineRequest { installment_id: f101, amount: None }]));
        cases.push(("chosen lines that take the whole payment", chosen));
        let mut payer = payment("C002", "1000.00", "2026-03-02");
        payer.note = "for the residence".into();
        payer.allocate = Some(AllocateRequest::Proposal);
        cases.push(("a payer's proposal over its customer's invoice, with a rest", payer));
        let mut partial = payment("C001", "400.00", "2026-03-03");
        partial.allocate =
            Some(AllocateRequest::Lines(vec![LineRequest { installment_id: f101, amount: Some("10.00".into()) }]));
        cases.push(("chosen lines with a rest (read back)", partial));
        cases.push(("no allocation (read back)", payment("C001", "12.34", "2026-03-04")));
        for (case, input) in cases {
            let answer = record(&app, company, input).await;
            let read = app.payment(company, answer.payment.id).await.unwrap();
            assert_eq!(
                serde_json::to_value(&answer).unwrap(),
                serde_json::to_value(&read).unwrap(),
                "{case}: the answer differs from the payment as read"
            );
        }
        let listed = app.payments(company, &Default::default(), Page::new(None, None).unwrap()).await.unwrap();
        assert_eq!(listed.total_count, 5, "five payments recorded");
        assert_invariants(&app).await;
    })
    .await;
}
