//! How the money commands show payments, allocations, proposals, refunds and deposits for people.

use creance_app::deposits::DepositDetail;
use creance_app::payments::{PaymentDetail, Proposal};
use creance_app::views::money::{Allocation, Payment, Refund};

use crate::print::table;

/// The credit an allocation takes from: the payment's number, else the credit note's.
pub fn credit_label(payment_number: &Option<String>, credit_document_number: &Option<String>) -> String {
    payment_number.clone().or_else(|| credit_document_number.clone()).unwrap_or_default()
}

pub fn print_payments(items: &[Payment]) {
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|p| {
            vec![
                p.number.clone(),
                p.date.to_string(),
                p.customer_number.clone(),
                p.method.clone(),
                p.piece_number.clone(),
                p.amount.format_amount(),
                p.unallocated.format_amount(),
                p.amount.currency().code().to_string(),
                p.status.to_string(),
            ]
        })
        .collect();
    table(&["number", "date", "customer", "method", "piece", "amount", "unallocated", "cur", "status"], &rows, &[5, 6]);
}

pub fn print_allocations(items: &[Allocation]) {
    if items.is_empty() {
        println!("No allocation.");
        return;
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|a| {
            let state = match (a.reverses_id, a.reversed_by) {
                (Some(r), _) => format!("reversal of {r}"),
                (None, Some(r)) => format!("reversed by {r}"),
                (None, None) => "active".to_string(),
            };
            vec![
                a.id.to_string(),
                a.date.to_string(),
                credit_label(&a.payment_number, &a.credit_document_number),
                a.document_number.clone(),
                a.installment_id.to_string(),
                a.amount.format_amount(),
                state,
            ]
        })
        .collect();
    table(&["allocation", "date", "credit", "document", "installment", "amount", "state"], &rows, &[5]);
}

pub fn print_proposal(p: &Proposal) {
    if p.lines.is_empty() {
        println!("No open installment to propose: {} stays unallocated.", p.unallocated);
        return;
    }
    println!("Proposal for {} unallocated:", p.unallocated);
    let rows: Vec<Vec<String>> = p
        .lines
        .iter()
        .map(|l| {
            vec![
                l.installment_id.to_string(),
                l.document_number.clone(),
                l.due_date.to_string(),
                l.amount_open.format_amount(),
                l.amount.format_amount(),
            ]
        })
        .collect();
    table(&["installment", "document", "due", "open", "allocate"], &rows, &[3, 4]);
    println!("Left unallocated afterwards: {}", p.remaining);
}

pub fn print_payment(d: &PaymentDetail) {
    let p = &d.payment;
    println!(
        "Payment {} of {} from {} {} on {} by {}{}{}",
        p.number,
        p.amount,
        p.customer_number,
        p.customer_name,
        p.date,
        p.method,
        if p.piece_number.is_empty() { String::new() } else { format!(" ({})", p.piece_number) },
        if p.status == creance_core::PaymentStatus::Cancelled {
            format!(" — cancelled: {}", p.cancel_reason)
        } else {
            String::new()
        }
    );
    println!("Unallocated: {}", p.unallocated);
    print_allocations(&d.allocations);
    if let Some(proposal) = &d.proposal {
        print_proposal(proposal);
    }
}

pub fn print_refund(r: &Refund) {
    println!(
        "Refund {} (id {}) of {} to {} {} on {} — {}, by {}; to allocate: {}",
        r.number, r.id, r.amount, r.customer_number, r.customer_name, r.date, r.reason, r.method, r.to_allocate
    );
    for a in &r.allocations {
        println!("  {} from {}: {}", a.id, credit_label(&a.payment_number, &a.credit_document_number), a.amount);
    }
}

/// A deposit as its slip prints it.
pub fn print_deposit(d: &DepositDetail) {
    let s = &d.deposit;
    println!("{} — bordereau de remise {} du {}", d.company_name, s.number, s.date);
    println!("Banque : {} {}   Statut : {}", s.bank_name, s.bank_iban, s.status);
    let rows: Vec<Vec<String>> = d
        .payments
        .iter()
        .map(|p| {
            vec![
                p.number.clone(),
                p.customer_number.clone(),
                p.customer_name.clone(),
                p.piece_number.clone(),
                p.customer_bank.clone(),
                p.amount.format_amount(),
            ]
        })
        .collect();
    table(&["payment", "customer", "name", "cheque", "bank", "amount"], &rows, &[5]);
    println!("Total: {} ({} cheque(s))", s.total, s.payment_count);
}
