//! How the dunning commands show proposals, letters, the views, policies and interest tables for
//! people.

use creance_app::dunning::{ExternalRecorded, IssueReport, LetterDetail, Proposal};
use creance_app::queries::Listed;
use creance_app::views::dunning::{
    BeyondLastLevel, Delivery, HistoryEntry, InterestTable, Letter, Policy, Run, ToGenerate,
};
use creance_core::dunning::{FeeKind, ItemKind, LetterStatus};
use creance_core::Money;

use crate::print::{minor, opt, table, yes_no};

pub fn print_letters(letters: &[Letter]) {
    let rows: Vec<Vec<String>> = letters
        .iter()
        .map(|l| {
            vec![
                l.id.to_string(),
                l.number.clone().unwrap_or_else(|| "-".into()),
                l.payer_number.clone(),
                l.payer_name.clone(),
                l.currency.code().to_string(),
                l.level.to_string(),
                l.status.to_string(),
                l.overdue_total.format_amount(),
                l.credits_total.format_amount(),
                l.fee.format_amount(),
                l.interest.format_amount(),
                l.indemnity.format_amount(),
                l.total_due.format_amount(),
                format!("{}/{}", l.days_late_total, l.days_late_max),
                if l.status == LetterStatus::Withdrawn { l.withdraw_reason.clone() } else { l.reason_text.clone() },
            ]
        })
        .collect();
    table(
        &[
            "letter",
            "number",
            "payer",
            "name",
            "cur",
            "level",
            "status",
            "overdue",
            "credits",
            "fee",
            "interest",
            "indemnity",
            "total due",
            "days late (sum/max)",
            "reason",
        ],
        &rows,
        &[5, 7, 8, 9, 10, 11, 12, 13],
    );
}

pub fn print_letter_list(list: &Listed<Letter>) {
    print_letters(&list.items);
    println!("\n{} of {} letter(s) shown.", list.items.len(), list.total_count);
}

pub fn print_proposal(p: &Proposal) {
    let n = &p.counts;
    match &p.run {
        Some(r) => {
            println!("Proposal {} as of {} ({}), by {} at {}", r.id, r.as_of, r.status, r.created_by, r.created_at)
        }
        None => println!("Nothing to dun: no draft was saved. The payers left out:"),
    }
    println!(
        "Letters: {} draft, {} left out, {} removed, {} issued, {} withdrawn; {} installment(s) dunned, {} left out",
        n.draft, n.left_out, n.removed, n.issued, n.withdrawn, n.items, n.items_left_out
    );
    if p.letters.items.is_empty() {
        println!("No letter.");
        return;
    }
    println!();
    print_letters(&p.letters.items);
    println!("\n{} of {} letter(s) shown.", p.letters.items.len(), p.letters.total_count);
}

pub fn print_runs(list: &Listed<Run>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.as_of.to_string(),
                r.status.to_string(),
                r.created_by.clone(),
                r.created_at.clone(),
                opt(&r.issued_at),
            ]
        })
        .collect();
    table(&["proposal", "as of", "status", "by", "created", "issued"], &rows, &[]);
    println!("\n{} of {} proposal(s) shown.", list.items.len(), list.total_count);
}

pub fn print_letter(d: &LetterDetail) {
    let l = &d.letter;
    println!(
        "Letter {} (id {}, proposal {}): {} {}, {}, level {}, {}",
        l.number.as_deref().unwrap_or("(draft)"),
        l.id,
        l.run_id,
        l.payer_number,
        l.payer_name,
        l.currency.code(),
        l.level,
        l.status
    );
    if !l.reason_text.is_empty() {
        println!("  {}", l.reason_text);
    }
    if !l.payer_comment.is_empty() {
        println!("  Comment: {}", l.payer_comment);
    }
    println!("Days late: {} in all, {} at most", l.days_late_total, l.days_late_max);
    if l.status == LetterStatus::Withdrawn {
        println!("  withdrawn by {} at {}: {}", opt(&l.withdrawn_by), opt(&l.withdrawn_at), l.withdraw_reason);
    }
    println!(
        "Overdue {}, not due {}, credits {}; fee {}, interest {}, indemnity {}; total due {}",
        l.overdue_total.format_amount(),
        l.not_due_total.format_amount(),
        l.credits_total.format_amount(),
        l.fee.format_amount(),
        l.interest.format_amount(),
        l.indemnity.format_amount(),
        l.total_due
    );
    println!(
        "By {} ({}), {}{}{}",
        l.channel,
        l.language,
        if l.send { "to be sent" } else { "issued without sending" },
        l.letter_date.map(|d| format!(", dated {d}")).unwrap_or_default(),
        l.payment_deadline.map(|d| format!(", to pay by {d}")).unwrap_or_default()
    );
    if let Some(who) = &l.level_forced_by {
        println!(
            "Level set by {who}{}",
            if l.level_reason.is_empty() { String::new() } else { format!(": {}", l.level_reason) }
        );
    }
    if let Some(who) = &l.texts_edited_by {
        println!("Texts edited by {who}");
    }
    if let Some(s) = &l.delivery_status {
        println!("Delivery: {s}");
    }
    if !l.notes.is_empty() {
        println!("Notes: {}", l.notes);
    }
    println!("\nSubject: {}\n\n{}\n", d.preview.subject, d.preview.opening);
    let rows: Vec<Vec<String>> = d
        .items
        .iter()
        .map(|i| {
            let level = if i.kind == ItemKind::Due {
                format!("{} → {}", i.level_before, i.new_level)
            } else {
                i.level_before.to_string()
            };
            let status = if i.reason.is_empty() { i.status.to_string() } else { format!("{}: {}", i.status, i.reason) };
            vec![
                i.id.to_string(),
                i.kind.to_string(),
                i.reference.clone(),
                i.doc_date.to_string(),
                opt(&i.due_date),
                i.amount_open.format_amount(),
                level,
                i.interest.format_amount(),
                i.indemnity.format_amount(),
                status,
            ]
        })
        .collect();
    table(
        &["item", "kind", "reference", "date", "due", "open", "level", "interest", "indemnity", "status"],
        &rows,
        &[5, 7, 8],
    );
    println!("\n{}", d.preview.closing);
}

pub fn print_issue(r: &IssueReport) {
    let numbers = match (&r.first_number, &r.last_number) {
        (Some(f), Some(l)) if f != l => format!(" ({f} to {l})"),
        (Some(f), _) => format!(" ({f})"),
        _ => String::new(),
    };
    println!("Proposal {} issued: {} letter(s){numbers}.", r.run.id, r.letters_issued);
    println!(
        "{} installment(s) updated, {} dropped since the proposal (paid or blocked); {} fee and {} interest invoice(s); {} queued for sending.",
        r.installments_updated, r.dropped_since_proposal, r.fee_invoices, r.interest_invoices, r.queued
    );
}

pub fn print_external(r: &ExternalRecorded) {
    let ids: Vec<String> = r.installments.iter().map(i64::to_string).collect();
    println!("Level {} on {} recorded for installment(s) {}.", r.level, r.date, ids.join(", "));
}

pub fn print_to_generate(list: &Listed<ToGenerate>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|t| {
            vec![
                t.payer_number.clone(),
                t.payer_name.clone(),
                t.currency.clone(),
                t.level.to_string(),
                t.items.to_string(),
                minor(t.amount_open, &t.currency),
                t.oldest_due_date.clone(),
                format!("{}/{}", t.days_late_total, t.days_late_max),
            ]
        })
        .collect();
    table(
        &["payer", "name", "cur", "level", "installments", "open", "oldest due", "days late (sum/max)"],
        &rows,
        &[3, 4, 5, 7],
    );
    println!("\n{} of {} payer(s) shown.", list.items.len(), list.total_count);
}

pub fn print_beyond(list: &Listed<BeyondLastLevel>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|b| {
            vec![
                b.payer_number.clone(),
                b.payer_name.clone(),
                b.customer_number.clone(),
                b.document_number.clone(),
                b.due_date.to_string(),
                b.amount_open.format_amount(),
                b.amount_open.currency().code().to_string(),
                b.level.to_string(),
                opt(&b.dunning_date),
                b.note.clone(),
            ]
        })
        .collect();
    table(&["payer", "name", "customer", "document", "due", "open", "cur", "level", "since", "note"], &rows, &[5, 7]);
    println!("\n{} of {} installment(s) beyond the last level shown.", list.items.len(), list.total_count);
}

pub fn print_history(h: &[HistoryEntry]) {
    if h.is_empty() {
        println!("No reminder.");
        return;
    }
    let rows: Vec<Vec<String>> = h
        .iter()
        .map(|e| {
            vec![
                e.date.to_string(),
                e.level.to_string(),
                e.document_number.clone(),
                e.installment_id.to_string(),
                e.source.to_string(),
                opt(&e.letter_number),
                e.channel.to_string(),
                e.status.to_string(),
                opt(&e.delivery_status),
                e.note.clone(),
            ]
        })
        .collect();
    table(
        &["date", "level", "document", "installment", "source", "letter", "channel", "status", "delivery", "note"],
        &rows,
        &[1],
    );
}

pub fn print_deliveries(list: &Listed<Delivery>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|d: &Delivery| {
            vec![
                d.id.to_string(),
                d.letter_number.clone(),
                d.channel.to_string(),
                d.address.clone(),
                d.status.to_string(),
                d.attempts.to_string(),
                d.queued_at.clone(),
                opt(&d.done_at),
                d.last_error.clone(),
            ]
        })
        .collect();
    table(&["delivery", "letter", "channel", "address", "status", "attempts", "queued", "done", "error"], &rows, &[5]);
    println!("\n{} of {} delivery(ies) shown.", list.items.len(), list.total_count);
}

pub fn print_policies(policies: &[Policy]) {
    for p in policies {
        println!(
            "Policy {} (id {}){}: {} — {}, minimum {}, {} day(s) to pay{}{}{}",
            p.code,
            p.id,
            if p.is_default { ", the default" } else { "" },
            p.name,
            p.currency.code(),
            Money::new(p.min_amount, p.currency).format_amount(),
            p.payment_days,
            if p.allow_skip { ", levels may be skipped" } else { "" },
            if p.repeat_last { ", the last level repeats" } else { "" },
            p.interest_table_id.map(|t| format!(", interest table {t}")).unwrap_or_default()
        );
        let rows: Vec<Vec<String>> = p
            .levels
            .iter()
            .map(|l| {
                let fee = match l.fee_kind {
                    FeeKind::Fixed => Money::new(l.fee_amount, p.currency).format_amount(),
                    FeeKind::Percent => format!("{}%", l.fee_percent),
                    FeeKind::None => "-".into(),
                };
                vec![
                    l.level.to_string(),
                    l.delay_days.to_string(),
                    Money::new(l.min_amount, p.currency).format_amount(),
                    fee,
                    yes_no(l.interest),
                    yes_no(l.indemnity),
                    l.channel.clone(),
                ]
            })
            .collect();
        table(&["level", "delay", "minimum", "fee", "interest", "indemnity", "channel"], &rows, &[1, 2, 3]);
        println!();
    }
}

pub fn print_tables(tables: &[InterestTable]) {
    for t in tables {
        println!(
            "Interest table {} (id {}): {} — {}, grace {} day(s), indemnity {}",
            t.code,
            t.id,
            t.name,
            t.day_count,
            t.grace_days,
            minor(t.indemnity, &t.indemnity_currency) + " " + &t.indemnity_currency
        );
        let rows: Vec<Vec<String>> = t
            .rates
            .iter()
            .map(|r| vec![r.from.to_string(), r.reference_percent.clone(), r.margin_percent.clone()])
            .collect();
        table(&["from", "reference %", "margin %"], &rows, &[1, 2]);
        println!();
    }
}
