//! The `creance` command as a user runs it, on a fresh SQLite file (and on PostgreSQL when configured).

use crate::common::*;

#[tokio::test]
async fn importing_the_examples_then_listing_open_items() {
    for (url, t) in databases().await {
        let o = creance(&url, &["company", "create", "--name", "Exemple SARL"]);
        assert!(o.status.success(), "{}", stderr(&o));
        for (what, file, created) in [
            ("customers", "customers.csv", "6 created"),
            ("contracts", "contracts.csv", "4 created"),
            ("invoices", "invoices.csv", "7 created"),
        ] {
            let o = creance(&url, &["import", what, &example(file)]);
            assert!(o.status.success(), "{what}: {}", stderr(&o));
            assert!(stdout(&o).contains(created), "{what}: {}", stdout(&o));
            let again = creance(&url, &["import", what, &example(file)]);
            assert!(stdout(&again).contains("nothing changed"), "{what} again: {}", stdout(&again));
        }
        let bad = creance(&url, &["import", "invoices", &example("invoices-with-errors.csv")]);
        assert_eq!(bad.status.code(), Some(1));
        let err = stderr(&bad);
        assert!(err.contains("line 7, column date"), "{err}");
        assert!(err.contains("line 12, column customer"), "{err}");
        assert!(err.contains("nothing was imported"), "{err}");

        let o = creance(&url, &["open-items", "--overdue", "--as-of", "2026-06-30", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let first = &v["items"][0];
        assert_eq!(first["document_number"], "F2026-0001");
        assert_eq!(first["days_overdue"], 136);
        let currencies: Vec<&str> =
            v["totals"].as_array().unwrap().iter().map(|t| t["currency"].as_str().unwrap()).collect();
        assert_eq!(currencies, ["CHF", "EUR"]);

        let table = creance(&url, &["open-items", "--customer", "C000002", "--as-of", "2026-06-30"]);
        let text = stdout(&table);
        assert!(text.contains("F2026-0002") && text.contains("Total EUR: 3 open item(s), open 1200.00"), "{text}");
        let o = creance(&url, &["open-items", "--sort", "colour"]);
        assert!(!o.status.success());
        assert!(stderr(&o).contains("sort"), "{}", stderr(&o));
        t.finish().await;
    }
}

#[tokio::test]
async fn demo_then_token_then_json() {
    for (url, t) in databases().await {
        let o = creance(&url, &["demo", "--customers", "120", "--seed", "5", "--as-of", "2026-11-22", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let summary: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(summary["customers"], 120);
        let company = summary["company_id"].as_i64().unwrap().to_string();
        let o = creance(&url, &["token", "create", "--company", &company, "--role", "clerk"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let token = stdout(&o).trim().to_string();
        assert!(token.starts_with("crn_") && token.len() > 40, "{token}");
        let o = creance(&url, &["token", "create", "--company", &company, "--role", "boss"]);
        assert!(!o.status.success());
        assert!(stderr(&o).contains("read-only, clerk or admin"));
        let o = creance(&url, &["company", "list", "--json"]);
        let companies: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(companies[0]["name"], "Alpes Léman Services SAS");
        t.finish().await;
    }
}

#[test]
fn bench_prints_one_line_per_step_and_exports_a_dataset_the_imports_read_back() {
    let dir = std::env::temp_dir().join(format!("creance-bench-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let csv = dir.join("csv");
    let args = ["bench", "--customers", "40", "--installments-per-customer", "4", "--scan-baseline", "--export-csv"];
    let mut args: Vec<&str> = args.to_vec();
    let shown = csv.display().to_string();
    args.push(&shown);
    let o = creance("sqlite:creance.db", &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> =
        stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    let step = |name: &str| -> &serde_json::Value {
        lines.iter().find(|l| l["step"] == name).unwrap_or_else(|| panic!("no step {name}: {lines:?}"))
    };
    let names: Vec<&str> = lines.iter().map(|l| l["step"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "load",
            "export-csv",
            "open-items-overdue",
            "open-items-customer",
            "open-items-by-amount",
            "open-items-by-document",
            "small-balances",
            "aging",
            "aging-past",
            "fec",
            "load-weekly",
            "to-generate",
            "scan-weekly",
            "proposal-weekly",
            "issue",
            "load-backlog",
            "scan-backlog",
            "proposal-backlog",
            "load-allocation",
            "allocation-preview",
            "allocation",
            "api",
            "load-letters",
            "proposal-letters",
            "issue-letters",
            "deliver",
            "check"
        ]
    );
    for l in &lines {
        assert_eq!(l["engine"], "SQLite", "{l}");
        assert!(l["seconds"].as_f64().is_some() && l["peak_rss_mib"].as_f64().unwrap() > 0.0, "{l}");
    }
    // 40 customers × 4 installments, credit notes counted among them.
    assert_eq!(step("load")["rows"], 160, "{}", step("load"));
    assert_eq!(step("scan-weekly")["rows"], 160);
    assert_eq!(step("load-weekly")["rows"], 160);
    assert!(step("proposal-weekly")["vs_scan"].as_f64().is_some());
    assert!(step("proposal-backlog")["rows"].as_i64().unwrap() > 80, "the backlog duns every overdue installment");
    assert_eq!(step("issue")["rows"], step("proposal-weekly")["letters"]);
    assert_eq!(step("deliver")["rows"], 40, "every letter delivered to the outbox");
    assert!(step("fec")["rows"].as_i64().unwrap() > 160, "the invoices, payments and transfers are exported");
    let api = step("api");
    assert_eq!(api["rows"], 4000, "{api}");
    assert!(api["p99_ms"].as_f64().unwrap() >= api["p50_ms"].as_f64().unwrap(), "{api}");
    assert_eq!(step("allocation")["rows"], step("allocation-preview")["rows"]);

    // The exported files are read back by the imports, whole.
    let url = format!("sqlite:{}", dir.join("again.db").display());
    assert!(creance(&url, &["company", "create", "--name", "Relecture SA"]).status.success());
    for what in ["customers", "contracts", "invoices"] {
        let file = csv.join(format!("{what}.csv")).display().to_string();
        let o = creance(&url, &["import", what, &file]);
        assert!(o.status.success(), "{what}: {}{}", stdout(&o), stderr(&o));
        assert!(
            stdout(&o).contains(if what == "customers" { "40 created" } else { "created" }),
            "{what}: {}",
            stdout(&o)
        );
    }
    let open = json_of(&creance(&url, &["open-items", "--json"]));
    assert_eq!(open["total_count"], 160, "every installment imported: {}", open["total_count"]);
    let payments = std::fs::read_to_string(csv.join("payments.csv")).unwrap();
    assert!(payments.starts_with("customer_number,date,amount,method,document,installment"), "{payments}");
    assert!(payments.lines().count() > 40, "the payments the generator made");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn check_passes_on_the_demo() {
    for (url, t) in databases().await {
        assert!(creance(&url, &["demo", "--customers", "60", "--as-of", "2026-11-22"]).status.success());
        let o = creance(&url, &["check"]);
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).contains("every allocation invariant holds"));
        t.finish().await;
    }
}

#[tokio::test]
async fn payments_refunds_deposits_and_the_fec_through_the_command_line() {
    for (url, t) in databases().await {
        let run = |args: &[&str]| creance(&url, args);
        assert!(run(&["company", "create", "--name", "Exemple SARL"]).status.success());
        for (what, file) in
            [("customers", "customers.csv"), ("contracts", "contracts.csv"), ("invoices", "invoices.csv")]
        {
            assert!(run(&["import", what, &example(file)]).status.success(), "{what}");
        }

        // 100.00 for the invoice of 100.50 quoted in the transfer: 0.50 stays open.
        let paid = json_of(&run(&[
            "payment",
            "record",
            "--customer",
            "C000001",
            "--amount",
            "100,00",
            "--method",
            "transfer",
            "--piece",
            "VIR F2026-0001",
            "--date",
            "2026-02-20",
            "--allocate",
            "proposal",
            "--json",
        ]));
        assert_eq!(paid["allocations"][0]["document_number"], "F2026-0001");
        let open = json_of(&run(&["open-items", "--customer", "C000001", "--side", "debit", "--json"]));
        assert_eq!(open["items"][0]["amount_open"]["amount"], "0.50", "{open}");

        // 1,500.00 from C000002: the proposal covers its own three installments first, then the invoice
        // of C000003, which C000002 pays for, and leaves 210.10.
        let over = run(&[
            "payment",
            "record",
            "--customer",
            "C000002",
            "--amount",
            "1500",
            "--method",
            "transfer",
            "--date",
            "2026-03-05",
        ]);
        let text = stdout(&over);
        assert!(
            text.contains("Proposal for 1500.00 EUR") && text.contains("Left unallocated afterwards: 210.10 EUR"),
            "{text}{}",
            stderr(&over)
        );
        let number = text.split_whitespace().nth(1).unwrap().to_string();
        let made = json_of(&run(&["payment", "allocate", &number, "--proposal", "--json"]));
        let documents: Vec<&str> =
            made.as_array().unwrap().iter().map(|a| a["document_number"].as_str().unwrap()).collect();
        assert_eq!(documents, ["F2026-0002", "F2026-0002", "F2026-0002", "F2026-0003"]);
        let first = made[0]["id"].as_i64().unwrap().to_string();
        let reversal = json_of(&run(&["allocation", "reverse", &first, "--json"]));
        assert_eq!(reversal["reverses_id"].as_i64().unwrap().to_string(), first);
        let again = json_of(&run(&["payment", "allocate", &number, "--proposal", "--json"]));
        assert!(!again.as_array().unwrap().is_empty());
        let show = json_of(&run(&["payment", "show", &number, "--json"]));
        let left = show["payment"]["unallocated"]["amount"].as_str().unwrap().to_string();

        // What is left is refunded.
        let refund = json_of(&run(&[
            "refund",
            "record",
            "--customer",
            "C000002",
            "--amount",
            &left,
            "--reason",
            "trop-perçu",
            "--method",
            "transfer",
            "--allocate",
            "auto",
            "--json",
        ]));
        assert_eq!(refund["to_allocate"]["amount"], "0.00", "{refund}");
        let letter = run(&["refund", "letter", &refund["id"].to_string()]);
        assert!(stdout(&letter).contains("Motif : Trop-perçu"), "{}", stdout(&letter));

        // Cheques: one today, one post-dated; a deposit takes the first and is validated.
        let bank = json_of(&run(&[
            "bank",
            "add",
            "--name",
            "Crédit Agricole",
            "--iban",
            "FR76 3000 6000 0112 3456 7890 189",
            "--account",
            "512100",
            "--json",
        ]));
        let cheque = json_of(&run(&[
            "payment",
            "record",
            "--customer",
            "C000006",
            "--amount",
            "100",
            "--method",
            "cheque",
            "--piece",
            "CHQ 1",
            "--customer-bank",
            "Banque Populaire",
            "--date",
            "2026-05-10",
            "--json",
        ]));
        run(&[
            "payment",
            "record",
            "--customer",
            "C000006",
            "--amount",
            "50",
            "--method",
            "cheque",
            "--piece",
            "CHQ 2",
            "--date",
            "2026-05-11",
            "--deposit-date",
            "2026-07-15",
        ]);
        let pending = json_of(&run(&["deposit", "pending", "--as-of", "2026-06-30", "--json"]));
        assert_eq!(pending["total_count"], 1, "{pending}");
        let cheque_number = cheque["payment"]["number"].as_str().unwrap();
        let slip = json_of(&run(&[
            "deposit",
            "create",
            "--bank",
            &bank["id"].to_string(),
            "--date",
            "2026-06-30",
            cheque_number,
            "--json",
        ]));
        let slip_id = slip["deposit"]["id"].to_string();
        let shown = run(&["deposit", "validate", &slip_id]);
        assert!(stdout(&shown).contains("CHQ 1") && stdout(&shown).contains("validated"), "{}", stdout(&shown));

        // The FEC: 18 columns; the invoice and its payment lettered together.
        let dir = std::env::temp_dir().join(format!("creance-fec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fec = dir.join("FEC.txt");
        let o = run(&[
            "export",
            "journal",
            "--format",
            "fec",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--output",
            fec.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(&fec).unwrap();
        let header: Vec<&str> = text.lines().next().unwrap().split('\t').collect();
        assert_eq!(header.len(), 18);
        assert_eq!(
            (header[0], header[13], header[14], header[17]),
            ("JournalCode", "EcritureLet", "DateLet", "Idevise")
        );
        let invoice_line: Vec<&str> = text
            .lines()
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .find(|f| f[8] == "F2026-0001" && f[4] == "411000")
            .unwrap();
        assert!(!invoice_line[13].is_empty() && invoice_line[14] == "20260220", "{invoice_line:?}");
        std::fs::remove_dir_all(&dir).ok();

        let o = run(&["check"]);
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        t.finish().await;
    }
}

#[tokio::test]
async fn bad_money_input_names_the_field_and_changes_nothing() {
    for (url, t) in databases().await {
        let run = |args: &[&str]| creance(&url, args);
        assert!(run(&["company", "create", "--name", "Exemple SARL"]).status.success());
        assert!(run(&["import", "customers", &example("customers.csv")]).status.success());
        for (args, field) in [
            (vec!["--amount", "12,345", "--method", "transfer"], "amount"),
            (vec!["--amount", "10", "--method", "bitcoin"], "method"),
            (vec!["--amount", "10", "--method", "transfer", "--date", "31/02/2026"], "date"),
        ] {
            let mut all = vec!["payment", "record", "--customer", "C000001"];
            all.extend(args);
            let o = run(&all);
            assert_eq!(o.status.code(), Some(1), "{field}");
            assert!(stderr(&o).contains(field), "{field}: {}", stderr(&o));
        }
        let list = json_of(&run(&["payment", "list", "--json"]));
        assert_eq!(list["total_count"], 0);
        let o = run(&["payment", "allocate", "RG-2026-999999", "--proposal"]);
        assert!(stderr(&o).contains("payment RG-2026-999999 not found"), "{}", stderr(&o));
        t.finish().await;
    }
}

#[tokio::test]
async fn tokens_are_listed_and_revoked_and_a_payment_changes_customer_from_the_command_line() {
    for (url, t) in databases().await {
        let run = |args: &[&str]| creance(&url, args);
        assert!(run(&["company", "create", "--name", "Exemple SARL"]).status.success());
        assert!(run(&["import", "customers", &example("customers.csv")]).status.success());
        assert!(run(&["company", "create", "--name", "Autre SA"]).status.success());
        for role in ["admin", "read-only"] {
            assert!(run(&["token", "create", "--company", "1", "--role", role]).status.success());
        }
        let list = json_of(&run(&["token", "list", "--company", "1", "--json"]));
        assert_eq!(list.as_array().unwrap().len(), 2);
        assert_eq!((list[1]["role"].as_str(), list[1]["revoked_at"].is_null()), (Some("read_only"), true));
        assert!(!list.to_string().contains("crn_"), "no secret listed: {list}");
        let id = list[1]["id"].to_string();
        // Not from another company; then revoked once.
        let o = run(&["token", "revoke", &id, "--company", "2"]);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        let revoked = json_of(&run(&["token", "revoke", &id, "--company", "1", "--json"]));
        assert!(revoked["revoked_at"].is_string(), "{revoked}");
        let o = run(&["token", "revoke", &id, "--company", "1"]);
        assert!(stderr(&o).contains("already revoked"), "{}", stderr(&o));
        let table = stdout(&run(&["token", "list", "--company", "1"]));
        assert!(table.contains("revoked ") && table.contains("live"), "{table}");

        // A payment recorded for the wrong customer moves to the right one; check stays clean.
        let p = json_of(&run(&[
            "payment",
            "record",
            "--company",
            "1",
            "--customer",
            "C000001",
            "--amount",
            "75,00",
            "--method",
            "transfer",
            "--json",
        ]));
        let number = p["payment"]["number"].as_str().unwrap().to_string();
        let moved =
            json_of(&run(&["payment", "set-customer", &number, "--company", "1", "--customer", "C000002", "--json"]));
        assert_eq!(moved["payment"]["customer_number"], "C000002", "{moved}");
        let o = run(&["payment", "set-customer", &number, "--company", "1", "--customer", "C000002"]);
        assert!(stderr(&o).contains("already customer C000002"), "{}", stderr(&o));
        let o = run(&["check"]);
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        t.finish().await;
    }
}

#[tokio::test]
async fn importing_an_empty_a_header_only_or_an_open_quote_file_says_so_and_exits_1() {
    for (url, t) in databases().await {
        let o = creance(&url, &["company", "create", "--name", "Exemple SARL"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let dir = std::env::temp_dir().join(format!("creance-cli-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, content, says) in [
            ("empty.csv", "", "the file is empty"),
            ("header.csv", "number;name\n", "no data rows"),
            (
                "quote.csv",
                "number;name\nC1;\"Martin\nC2;Dubois\n",
                "line 2: a quote opened on this line is never closed",
            ),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, content).unwrap();
            let o = creance(&url, &["import", "customers", path.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(1), "{name}: {}", stdout(&o));
            assert!(stderr(&o).contains(says), "{name}: {}", stderr(&o));
        }
        t.finish().await;
    }
}

#[tokio::test]
async fn reports_from_the_command_line() {
    for (url, t) in databases().await {
        assert!(creance(&url, &["company", "create", "--name", "Exemple SARL"]).status.success());
        for (what, file) in
            [("customers", "customers.csv"), ("contracts", "contracts.csv"), ("invoices", "invoices.csv")]
        {
            let o = creance(&url, &["import", what, &example(file)]);
            assert!(o.status.success(), "{what}: {}", stderr(&o));
        }
        let o = creance(&url, &["report", "aging", "--as-of", "2026-06-30", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["buckets"].as_array().unwrap().len(), 5);
        let currencies: Vec<&str> =
            v["totals"].as_array().unwrap().iter().map(|t| t["currency"].as_str().unwrap()).collect();
        assert_eq!(currencies, ["CHF", "EUR"]);
        let o = creance(&url, &["report", "aging", "--as-of", "2026-06-30", "--format", "csv"]);
        assert!(o.status.success() && stdout(&o).starts_with("customer_number,customer_name,currency,current,1_30"));
        let o = creance(
            &url,
            &["report", "statement", "--customer", "C000002", "--from", "2026-01-01", "--to", "2026-06-30"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("closing balance"), "{}", stdout(&o));
        let o = creance(
            &url,
            &["report", "statement", "--customer", "C000002", "--from", "2026-07-01", "--to", "2026-06-30"],
        );
        assert!(!o.status.success());
        assert!(stderr(&o).contains("--from"), "{}", stderr(&o));
        let o = creance(&url, &["report", "dso", "--from", "2026-01-01", "--to", "2026-06-30", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = creance(&url, &["settings", "reports", "--set", "--buckets", "0,45,30"]);
        assert!(!o.status.success());
        assert!(stderr(&o).contains("aging_buckets"), "{}", stderr(&o));
        let o = creance(&url, &["settings", "reports", "--set", "--buckets", "0,15,45", "--json"]);
        assert!(o.status.success() && stdout(&o).contains("0,15,45"), "{}", stderr(&o));
        t.finish().await;
    }
}
