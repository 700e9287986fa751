//! Golden files: what the `creance` binary writes for a small company, compared byte for byte with the
//! files under `crates/creance/tests/golden/` — the journal as CSV, the journal as FEC, and the JSON of
//! a dunning proposal. The company is the `examples/` import plus two payments, every date given, on a
//! fresh database per engine; every engine must write the same bytes.
//!
//! Masking, before comparing (and before blessing), so that only values that change from run to run
//! are hidden:
//! - RFC 3339 timestamps (`2026-12-01T12:31:41Z`, with optional fraction and offset) anywhere in the
//!   text become `<timestamp>` (`created_at`, `issued_at`, … in JSON);
//! - the FEC's `ValidDate` column (the export date: today) becomes `<today>` on every line but the
//!   header.
//!
//! Ids are not masked: on a fresh database they are deterministic on both engines.
//!
//! When an output changes on purpose, review the diff and rewrite the files with
//! `CREANCE_BLESS=1 cargo test -p creance --test it golden::` (they are written from the first
//! engine, SQLite, then the other engines are compared with them).

use std::path::PathBuf;

use crate::common::*;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares `actual` with the golden file `name`, or writes it when `CREANCE_BLESS=1`.
fn check_golden(name: &str, actual: &str, engine: &str, blessed: &mut Vec<String>) {
    let path = golden_dir().join(name);
    if std::env::var("CREANCE_BLESS").is_ok_and(|v| v == "1") && !blessed.iter().any(|b| b == name) {
        std::fs::create_dir_all(golden_dir()).expect("golden folder");
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        blessed.push(name.to_string());
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); CREANCE_BLESS=1 cargo test -p creance --test it golden:: writes it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} on {engine} differs from {} at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             ({} expected lines, {} actual). If the change is intended, review it and run \
             CREANCE_BLESS=1 cargo test -p creance --test it golden::\n--- actual ---\n{actual}",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end of file>"),
            actual.lines().nth(first).unwrap_or("<end of file>"),
            expected.lines().count(),
            actual.lines().count(),
        );
    }
}

/// The length of an RFC 3339 timestamp starting at `b[0]`, if one does: `YYYY-MM-DDTHH:MM:SS`, an
/// optional fraction, then `Z` or `±HH:MM`.
fn timestamp_len(b: &[u8]) -> Option<usize> {
    let digits = |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let base = digits(0..4)
        && at(4, b'-')
        && digits(5..7)
        && at(7, b'-')
        && digits(8..10)
        && at(10, b'T')
        && digits(11..13)
        && at(13, b':')
        && digits(14..16)
        && at(16, b':')
        && digits(17..19);
    if !base {
        return None;
    }
    let mut n = 19;
    if at(n, b'.') {
        n += 1;
        while b.get(n).is_some_and(u8::is_ascii_digit) {
            n += 1;
        }
    }
    if at(n, b'Z') {
        Some(n + 1)
    } else if (at(n, b'+') || at(n, b'-')) && digits(n + 1..n + 3) && at(n + 3, b':') && digits(n + 4..n + 6) {
        Some(n + 6)
    } else {
        None
    }
}

/// Replaces every RFC 3339 timestamp in `text` with `<timestamp>`.
fn mask_timestamps(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied) = (0, 0);
    while i < b.len() {
        match timestamp_len(&b[i..]) {
            Some(n) => {
                out.push_str(&text[copied..i]);
                out.push_str("<timestamp>");
                i += n;
                copied = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Replaces the FEC's `ValidDate` column (the export date) with `<today>` on every line but the header.
fn mask_fec_valid_date(fec: &str) -> String {
    let mut lines = fec.split_inclusive('\n');
    let header = lines.next().unwrap_or("");
    let column = header
        .trim_end_matches(['\r', '\n'])
        .split('\t')
        .position(|c| c == "ValidDate")
        .unwrap_or_else(|| panic!("no ValidDate column in the FEC header: {header:?}"));
    let mut out = header.to_string();
    for line in lines {
        let body = line.trim_end_matches(['\r', '\n']);
        let end = &line[body.len()..];
        let mut fields: Vec<&str> = body.split('\t').collect();
        assert!(fields.len() > column, "a FEC line without its ValidDate: {line:?}");
        fields[column] = "<today>";
        out.push_str(&fields.join("\t"));
        out.push_str(end);
    }
    out
}

#[test]
fn masking_hides_timestamps_and_the_fec_export_date_only() {
    assert_eq!(
        mask_timestamps(
            r#"{"created_at": "2026-12-01T12:31:41Z", "as_of": "2026-04-15", "t": "2026-01-02T03:04:05.123+01:00"}"#
        ),
        r#"{"created_at": "<timestamp>", "as_of": "2026-04-15", "t": "<timestamp>"}"#
    );
    assert_eq!(mask_timestamps("2026-12-01T12:31:41"), "2026-12-01T12:31:41", "no zone: not a timestamp");
    assert_eq!(
        mask_fec_valid_date("A\tValidDate\tB\n1\t20261201\t2\n3\t20270101\t4\n"),
        "A\tValidDate\tB\n1\t<today>\t2\n3\t<today>\t4\n"
    );
}

#[tokio::test]
async fn the_journal_csv_the_fec_and_a_dunning_proposal_match_their_golden_files() {
    let mut blessed = Vec::new();
    for (url, t) in databases().await {
        let engine = t.engine().name();
        let run = |args: &[&str]| {
            let o = creance(&url, args);
            assert!(o.status.success(), "creance {args:?} on {engine}: {}{}", stdout(&o), stderr(&o));
            stdout(&o)
        };
        run(&["company", "create", "--name", "Exemple SARL"]);
        for (what, file) in
            [("customers", "customers.csv"), ("contracts", "contracts.csv"), ("invoices", "invoices.csv")]
        {
            run(&["import", what, &example(file)]);
        }
        // C000001 pays 80.50 of F2026-0001 (100.50; its credit note of 20.00 stays unallocated);
        // C000002 pays 150.00 by cheque without allocating it.
        run(&[
            "payment",
            "record",
            "--customer",
            "C000001",
            "--amount",
            "80.50",
            "--date",
            "2026-02-20",
            "--method",
            "transfer",
            "--piece",
            "VIR-1",
            "--allocate",
            "proposal",
        ]);
        run(&[
            "payment",
            "record",
            "--customer",
            "C000002",
            "--amount",
            "150,00",
            "--date",
            "2026-03-05",
            "--method",
            "cheque",
            "--piece",
            "CHQ-1",
        ]);
        let journal = ["export", "journal", "--from", "2026-01-01", "--to", "2026-12-31"];
        check_golden("journal.csv", &run(&journal), engine, &mut blessed);
        let fec = run(&[&journal[..], &["--format", "fec"]].concat());
        check_golden("journal.fec", &mask_fec_valid_date(&fec), engine, &mut blessed);
        let proposal = run(&["dunning", "propose", "--as-of", "2026-04-15", "--json"]);
        check_golden("dunning_proposal.json", &mask_timestamps(&proposal), engine, &mut blessed);
        // The open items as CSV (issue 11): one installment per row, the whole list.
        let open_items = run(&["open-items", "--as-of", "2026-04-15", "--format", "csv"]);
        check_golden("open_items.csv", &open_items, engine, &mut blessed);
        let path = std::env::temp_dir().join(format!("creance_golden_open_items_{}_{engine}.csv", std::process::id()));
        run(&["open-items", "--as-of", "2026-04-15", "--format", "csv", "--output", &path.to_string_lossy()]);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), open_items, "--output writes what standard output shows");
        let _ = std::fs::remove_file(&path);
        // The other list commands export too: the Excel dialect, and a PDF.
        let payments = run(&["payment", "list", "--format", "csv", "--excel"]);
        assert!(payments.starts_with("\u{feff}id;number;customer_id;"), "{payments}");
        assert!(payments.contains(";80,50;") && payments.contains(";150,00;"), "{payments}");
        let pdf = std::env::temp_dir().join(format!("creance_golden_deposits_{}_{engine}.pdf", std::process::id()));
        run(&["deposit", "pending", "--as-of", "2026-04-15", "--format", "pdf", "--output", &pdf.to_string_lossy()]);
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
        let _ = std::fs::remove_file(&pdf);
        assert!(creance(&url, &["check"]).status.success(), "creance check on {engine}");
        t.finish().await;
    }
}
