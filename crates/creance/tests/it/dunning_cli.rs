//! The `creance dunning` commands as a user runs them, on a fresh SQLite file (and on PostgreSQL when
//! configured): propose, look at a letter, edit it, issue, follow up, withdraw, record a reminder made
//! by phone, and a rate table from a preset. Every date is given, so nothing depends on today.

use crate::common::*;

/// The letter of a payer in a list of letters.
fn letter_of<'a>(letters: &'a serde_json::Value, payer: &str) -> &'a serde_json::Value {
    letters
        .as_array()
        .and_then(|a| a.iter().find(|l| l["payer_number"] == payer))
        .unwrap_or_else(|| panic!("no letter for {payer}: {letters}"))
}

#[tokio::test]
async fn a_dunning_round_through_the_command_line() {
    for (url, t) in databases().await {
        let run = |args: &[&str]| creance(&url, args);
        assert!(run(&["company", "create", "--name", "Exemple SARL"]).status.success());
        for (what, file) in
            [("customers", "customers.csv"), ("contracts", "contracts.csv"), ("invoices", "invoices.csv")]
        {
            assert!(run(&["import", what, &example(file)]).status.success(), "{what}");
        }

        // On 10 March: F2026-0001 of C000001 (100.50, due 14 Feb; its credit note of 20.00 listed) and
        // the first installment of F2026-0002 of C000002 (400.00, due 3 March) are late.
        let p = json_of(&run(&["dunning", "propose", "--as-of", "2026-03-10", "--json"]));
        assert_eq!(p["counts"]["draft"], 2, "{p}");
        assert_eq!(p["letters"]["total_count"], 2, "{p}");
        let first = letter_of(&p["letters"]["items"], "C000001");
        assert_eq!(first["overdue_total"]["amount"], "100.50", "{first}");
        assert_eq!(first["credits_total"]["amount"], "20.00", "{first}");
        assert_eq!(first["level"], 1);
        let second = letter_of(&p["letters"]["items"], "C000002");
        assert_eq!(second["overdue_total"]["amount"], "400.00", "{second}");
        let run_id = p["run"]["id"].to_string();
        let (first_id, second_id) = (first["id"].to_string(), second["id"].to_string());

        let shown = run(&["dunning", "show", &run_id]);
        assert!(stdout(&shown).contains("Boulangerie Martin SARL"), "{}", stdout(&shown));

        let letter = json_of(&run(&["dunning", "letter", &first_id, "--json"]));
        let dunned: Vec<&str> = letter["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["kind"] == "due")
            .map(|i| i["reference"].as_str().unwrap())
            .collect();
        assert_eq!(dunned, ["F2026-0001"], "{letter}");
        assert!(!letter["preview"]["subject"].as_str().unwrap().is_empty(), "{letter}");

        // Level 3 would skip level 2: the default policy does not allow it.
        let o = run(&["dunning", "level", &first_id, "3"]);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        assert!(stderr(&o).contains("level"), "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));

        // C000002's letter is issued without being sent.
        let marked = json_of(&run(&["dunning", "mark-issued", &second_id, "--json"]));
        assert_eq!(marked["letter"]["send"], false, "{marked}");

        let issued = json_of(&run(&["dunning", "issue", &run_id, "--date", "2026-03-10", "--json"]));
        assert_eq!(issued["letters_issued"], 2, "{issued}");
        assert_eq!(issued["first_number"], "LR-2026-000001", "{issued}");
        assert_eq!(issued["queued"], 1, "{issued}");

        let progress = json_of(&run(&["dunning", "in-progress", "--json"]));
        assert_eq!(progress["total_count"], 2, "{progress}");
        let number = letter_of(&progress["items"], "C000001")["number"].as_str().unwrap().to_string();
        assert_eq!(number, "LR-2026-000001");

        let history = json_of(&run(&["dunning", "history", "--customer", "C000001", "--json"]));
        assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
        assert_eq!(history[0]["letter_number"], "LR-2026-000001");
        assert_eq!(history[0]["level"], 1);

        // Withdrawn by number: F2026-0001 goes back to level 0; the clerk's phone call then sets level 1.
        let withdrawn = json_of(&run(&[
            "dunning",
            "withdraw",
            "LR-2026-000001",
            "--reason",
            "paid before the letter",
            "--date",
            "2026-03-11",
            "--json",
        ]));
        assert_eq!(withdrawn["letter"]["status"], "withdrawn", "{withdrawn}");
        let o = run(&[
            "dunning",
            "record-external",
            "--document",
            "F2026-0001",
            "--level",
            "1",
            "--date",
            "2026-03-12",
            "--channel",
            "phone",
            "--note",
            "called the accountant",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("Level 1 on 2026-03-12"), "{}", stdout(&o));
        let history = json_of(&run(&["dunning", "history", "--customer", "C000001", "--json"]));
        let sources: Vec<(&str, &str)> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["source"].as_str().unwrap(), h["status"].as_str().unwrap()))
            .collect();
        assert_eq!(sources, [("external", "recorded"), ("letter", "withdrawn")], "{history}");

        let table = json_of(&run(&["dunning", "interest", "preset", "fr_b2b", "--json"]));
        assert_eq!(table["code"], "fr_b2b", "{table}");
        assert_eq!(table["indemnity"], "40.00", "{table}");
        let tables = run(&["dunning", "interest", "list"]);
        assert!(stdout(&tables).contains("fr_b2b"), "{}", stdout(&tables));

        // Bad input names the field and writes nothing.
        let o = run(&["dunning", "propose", "--as-of", "2026-02-30"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("as_of"), "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        let proposals = json_of(&run(&["dunning", "list", "--json"]));
        assert_eq!(proposals["total_count"], 1, "{proposals}");

        let o = run(&["check"]);
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        t.finish().await;
    }
}

#[tokio::test]
async fn the_dunning_rules_of_issue_9_through_the_command_line() {
    for (url, t) in databases().await {
        let run = |args: &[&str]| creance(&url, args);
        assert!(run(&["company", "create", "--name", "Exemple SARL"]).status.success());
        for (what, file) in
            [("customers", "customers.csv"), ("contracts", "contracts.csv"), ("invoices", "invoices.csv")]
        {
            assert!(run(&["import", what, &example(file)]).status.success(), "{what}");
        }
        // Nothing late on 1 February: no draft is saved, the answer says so.
        let o = run(&["dunning", "propose", "--as-of", "2026-02-01"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("Nothing to dun: no draft was saved"), "{}", stdout(&o));
        let proposals = json_of(&run(&["dunning", "list", "--json"]));
        assert_eq!(proposals["total_count"], 0, "{proposals}");
        // At least 10 days overdue on 10 March: F2026-0001 (24 days), not F2026-0002's 7 days.
        let tg =
            json_of(&run(&["dunning", "to-generate", "--as-of", "2026-03-10", "--days-overdue-min", "10", "--json"]));
        let payers: Vec<&str> =
            tg["items"].as_array().unwrap().iter().map(|r| r["payer_number"].as_str().unwrap()).collect();
        assert_eq!(payers, ["C000001"], "{tg}");
        // The payer's comment and days late on its letter.
        assert!(run(&["dunning", "comment", "C000002", "Appeler avant tout envoi"]).status.success());
        let p = json_of(&run(&["dunning", "propose", "--as-of", "2026-03-10", "--json"]));
        let second = letter_of(&p["letters"]["items"], "C000002");
        assert_eq!(second["payer_comment"], "Appeler avant tout envoi", "{second}");
        assert_eq!((second["days_late_total"].as_i64(), second["days_late_max"].as_i64()), (Some(7), Some(7)));
        let shown = run(&["dunning", "letter", &second["id"].to_string()]);
        assert!(stdout(&shown).contains("Comment: Appeler avant tout envoi"), "{}", stdout(&shown));
        // A reminder made outside never skips a level.
        let o = run(&[
            "dunning",
            "record-external",
            "--document",
            "F2026-0005",
            "--level",
            "2",
            "--date",
            "2026-05-20",
            "--channel",
            "phone",
            "--force",
            "--reason",
            "old software",
        ]);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        assert!(stderr(&o).contains("level") && stderr(&o).contains("does not allow"), "{}", stderr(&o));
        let o = run(&["dunning", "beyond-last-level", "--as-of", "2026-03-10"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("0 of 0 installment(s) beyond the last level"), "{}", stdout(&o));
        let o = run(&["check"]);
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        t.finish().await;
    }
}
