//! The documents from the command line (issue 11): the letterhead set and shown, a draft letter, a
//! level's preview and a run's print PDF written to `--output`, on every engine.

use crate::common::{creance, databases, example, json_of, stderr, stdout};

fn is_pdf(path: &std::path::Path) -> bool {
    std::fs::read(path).map(|b| b.starts_with(b"%PDF-") && b.len() > 1_000).unwrap_or(false)
}

#[tokio::test]
async fn the_letterhead_and_the_letters_through_the_command_line() {
    for (url, t) in databases().await {
        let run = |args: &[&str]| creance(&url, args);
        assert!(run(&["company", "create", "--name", "Exemple SARL"]).status.success());
        for (what, file) in
            [("customers", "customers.csv"), ("contracts", "contracts.csv"), ("invoices", "invoices.csv")]
        {
            assert!(run(&["import", what, &example(file)]).status.success(), "{what}");
        }
        let set = run(&[
            "settings",
            "letterhead",
            "--set",
            "--vat-number",
            "FR12812345678",
            "--signature",
            "Anne Exemple",
            "--signature",
            "Comptabilité",
            "--json",
        ]);
        let head = json_of(&set);
        assert_eq!(head["vat_number"], "FR12812345678");
        assert_eq!(head["signature_lines"], serde_json::json!(["Anne Exemple", "Comptabilité"]));
        let shown = run(&["settings", "letterhead"]);
        assert!(stdout(&shown).contains("FR12812345678"), "{}", stdout(&shown));
        let bad = run(&["settings", "letterhead", "--set", "--envelope-window", "middle"]);
        assert_eq!(bad.status.code(), Some(1));
        assert!(stderr(&bad).contains("envelope_window"), "{}", stderr(&bad));

        let p = json_of(&run(&["dunning", "propose", "--as-of", "2026-03-10", "--json"]));
        let run_id = p["run"]["id"].to_string();
        let letter_id = p["letters"]["items"][0]["id"].to_string();
        let dir = std::env::temp_dir().join(format!("creance_documents_cli_{}_{run_id}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = |name: &str| dir.join(name).to_string_lossy().into_owned();
        let o = run(&["dunning", "letter", &letter_id, "--output", &out("letter.pdf")]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(is_pdf(&dir.join("letter.pdf")));
        let o = run(&["dunning", "preview", "1", "1", "--output", &out("preview.pdf")]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(is_pdf(&dir.join("preview.pdf")));
        let o = run(&["dunning", "print", &run_id, "--order", "salesperson", "--output", &out("print.pdf")]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(is_pdf(&dir.join("print.pdf")));
        let o = run(&["dunning", "print", &run_id, "--order", "height", "--output", &out("x.pdf")]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("order"), "{}", stderr(&o));
        std::fs::remove_dir_all(&dir).unwrap();
        t.finish().await;
    }
}
