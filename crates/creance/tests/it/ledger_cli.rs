//! The list commands that export (issue 11): `customers list`, `contracts list`, `documents list`,
//! `dunning to-generate` and `dunning beyond-last-level` with `--format csv|pdf --output FILE
//! [--excel]`, and `documents pdf` of a fee invoice; the per-language signatures of `settings
//! letterhead`. On every engine; every date is given.

use std::path::{Path, PathBuf};

use crate::common::*;

/// One level, the day after the due date, with a 5.00 fee; the last level does not repeat.
const ONE_LEVEL: &str = r#"{"code": "one", "name": "One letter with a fee", "currency": "EUR",
  "levels": [{"level": 1, "delay_days": 1, "fee_kind": "fixed", "fee_amount": "5.00"}]}"#;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The header and the row that starts with or holds `key`, of a CSV.
fn header_and_row<'a>(csv: &'a str, key: &str) -> (&'a str, &'a str) {
    let mut lines = csv.lines();
    let header = lines.next().unwrap_or_default();
    let row = lines.find(|l| l.contains(key)).unwrap_or_else(|| panic!("no row with {key}:\n{csv}"));
    (header, row)
}

#[tokio::test]
async fn the_lists_export_as_csv_and_pdf_and_a_fee_invoice_prints_from_the_command_line() {
    for (url, t) in databases().await {
        let run = |args: &[&str]| creance(&url, args);
        let ok = |args: &[&str]| {
            let o = run(args);
            assert!(o.status.success(), "{args:?}: {}{}", stdout(&o), stderr(&o));
            stdout(&o)
        };
        ok(&["company", "create", "--name", "Exemple SARL"]);
        for (what, file) in
            [("customers", "customers.csv"), ("contracts", "contracts.csv"), ("invoices", "invoices.csv")]
        {
            ok(&["import", what, &example(file)]);
        }
        let dir = std::env::temp_dir().join(format!("creance_ledger_cli_{}_{}", std::process::id(), t.engine().name()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = |name: &str| -> PathBuf { dir.join(name) };
        let s = |p: &PathBuf| p.to_string_lossy().into_owned();

        // Customers: a page for people, JSON, CSV to a file, Excel CSV, PDF.
        assert!(ok(&["customers", "list"]).contains("Boulangerie Martin SARL"));
        let page = json_of(&run(&["customers", "list", "--limit", "2", "--json"]));
        assert_eq!(page["items"].as_array().unwrap().len(), 2, "{page}");
        ok(&["customers", "list", "--format", "csv", "--output", &s(&out("customers.csv"))]);
        let csv = read(&out("customers.csv"));
        let (header, row) = header_and_row(&csv, "C000001");
        assert!(header.starts_with("id,payer_id,number,name,"), "{header}");
        assert!(row.contains(",C000001,Boulangerie Martin SARL,"), "{row}");
        let excel = ok(&["customers", "list", "--search", "tilleuls", "--format", "csv", "--excel"]);
        assert!(excel.starts_with("\u{feff}id;payer_id;number;name;"), "{excel}");
        assert_eq!(excel.lines().count(), 2, "the filter applies: {excel}");
        ok(&["customers", "list", "--format", "pdf", "--output", &s(&out("customers.pdf"))]);
        assert!(std::fs::read(out("customers.pdf")).unwrap().starts_with(b"%PDF-"));
        let bad = run(&["customers", "list", "--format", "xml"]);
        assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));

        // Contracts and documents.
        let csv = ok(&["contracts", "list", "--customer", "C000006", "--format", "csv"]);
        let (header, row) = header_and_row(&csv, "AB0000003");
        assert!(header.contains("number") && header.contains("status"), "{header}");
        assert!(row.contains("ended"), "{row}");
        assert_eq!(csv.lines().count(), 3, "C000006's two contracts: {csv}");
        let csv = ok(&["documents", "list", "--kind", "invoice", "--format", "csv"]);
        let (header, row) = header_and_row(&csv, "F2026-0001");
        assert!(header.contains("number") && header.contains("amount_open"), "{header}");
        assert!(row.contains("100.50") && row.contains("C000001"), "{row}");
        ok(&["documents", "list", "--format", "pdf", "--output", &s(&out("documents.pdf"))]);
        assert!(std::fs::read(out("documents.pdf")).unwrap().starts_with(b"%PDF-"));
        assert!(ok(&["documents", "list", "--customer", "C000001"]).contains("F2026-0001"));

        // To generate on 10 March, as CSV; then a one-level policy with a fee, issued.
        let csv = ok(&["dunning", "to-generate", "--as-of", "2026-03-10", "--format", "csv"]);
        let (header, row) = header_and_row(&csv, "C000001");
        assert!(header.contains("payer_number") && header.contains("amount_open"), "{header}");
        assert!(row.contains("Boulangerie Martin SARL"), "{row}");
        let to_pdf = out("to_generate.pdf");
        ok(&["dunning", "to-generate", "--as-of", "2026-03-10", "--format", "pdf", "--output", &s(&to_pdf)]);
        assert!(std::fs::read(&to_pdf).unwrap().starts_with(b"%PDF-"));
        std::fs::write(out("one.json"), ONE_LEVEL).unwrap();
        ok(&["dunning", "policy", "save", "--file", &s(&out("one.json"))]);
        ok(&["dunning", "policy", "default", "one"]);
        let p = json_of(&run(&[
            "dunning",
            "propose",
            "--as-of",
            "2026-03-10",
            "--customer-from",
            "C000001",
            "--customer-to",
            "C000001",
            "--json",
        ]));
        let run_id = p["run"]["id"].to_string();
        let issued = json_of(&run(&["dunning", "issue", &run_id, "--date", "2026-03-10", "--json"]));
        assert_eq!(issued["fee_invoices"], 1, "{issued}");

        // The fee invoice as PDF, by number and by id; an invoice is not a charge document.
        let fees = json_of(&run(&["documents", "list", "--kind", "fee_invoice", "--json"]));
        let fee = &fees["items"][0];
        let number = fee["number"].as_str().unwrap().to_string();
        ok(&["documents", "pdf", &number, "--output", &s(&out("fee.pdf"))]);
        let by_number = std::fs::read(out("fee.pdf")).unwrap();
        assert!(by_number.starts_with(b"%PDF-"));
        ok(&["documents", "pdf", &fee["id"].to_string(), "--output", &s(&out("fee_by_id.pdf"))]);
        assert_eq!(std::fs::read(out("fee_by_id.pdf")).unwrap(), by_number, "the same document");
        let o = run(&["documents", "pdf", "F2026-0001", "--output", &s(&out("x.pdf"))]);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        let o = run(&["documents", "pdf", "NO-SUCH", "--output", &s(&out("x.pdf"))]);
        assert!(stderr(&o).contains("NO-SUCH"), "{}", stderr(&o));

        // Beyond the last level (which does not repeat), a month later.
        let csv = ok(&["dunning", "beyond-last-level", "--as-of", "2026-04-30", "--format", "csv", "--excel"]);
        let (header, row) = header_and_row(&csv, "F2026-0001");
        assert!(header.starts_with('\u{feff}') && header.contains("document_number"), "{header}");
        assert!(row.contains("C000001") && row.contains("100,50"), "{row}");

        // Signatures per language.
        let head = json_of(&run(&[
            "settings",
            "letterhead",
            "--set",
            "--signature",
            "Anne Exemple",
            "--signature-de",
            "Anne Exemple",
            "--signature-de",
            "Buchhaltung",
            "--json",
        ]));
        assert_eq!(head["signatures"], serde_json::json!({"de": ["Anne Exemple", "Buchhaltung"]}), "{head}");
        assert!(ok(&["settings", "letterhead"]).contains("Buchhaltung"));
        let head = json_of(&run(&["settings", "letterhead", "--set", "--signature-de", "", "--json"]));
        assert_eq!(head["signatures"], serde_json::json!({}), "{head}");
        assert_eq!(head["signature_lines"], serde_json::json!(["Anne Exemple"]), "{head}");

        assert!(run(&["check"]).status.success());
        std::fs::remove_dir_all(&dir).unwrap();
        t.finish().await;
    }
}
