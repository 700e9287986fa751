//! The seed's small balance through the command line (SPEC §4.8): 0.50 listed, re-billed on the
//! customer's contract, the pending charge exported as CSV and acknowledged, the undo then refused.

use crate::common::*;

#[tokio::test]
async fn a_small_balance_is_listed_rebilled_exported_and_acknowledged_from_the_command_line() {
    for (url, t) in databases().await {
        let run = |args: &[&str]| creance(&url, args);
        assert!(run(&["company", "create", "--name", "Exemple SARL"]).status.success());
        for (what, file) in
            [("customers", "customers.csv"), ("contracts", "contracts.csv"), ("invoices", "invoices.csv")]
        {
            assert!(run(&["import", what, &example(file)]).status.success(), "{what}");
        }
        let paid = run(&[
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
        ]);
        assert!(paid.status.success(), "{}", stderr(&paid));
        let list = json_of(&run(&["small-balances", "list", "--threshold", "1.00", "--customer", "C000001", "--json"]));
        assert_eq!(list["groups"][0]["total"]["amount"], "0.50", "{list}");
        assert_eq!(list["groups"][0]["contract_number"], "AB0000001");
        let contract = list["groups"][0]["contract_id"].as_i64().unwrap().to_string();
        let preview = json_of(&run(&[
            "small-balances",
            "rebill",
            "--customer",
            "C000001",
            "--contract-id",
            &contract,
            "--threshold",
            "1.00",
            "--preview",
            "--json",
        ]));
        assert_eq!(preview["ready"], true, "{preview}");
        let done = json_of(&run(&[
            "small-balances",
            "rebill",
            "--customer",
            "C000001",
            "--contract",
            "AB0000001",
            "--threshold",
            "1.00",
            "--json",
        ]));
        assert_eq!(done["charge"]["contract_id"].as_i64().map(|id| id.to_string()), Some(contract.clone()), "{done}");
        let unknown =
            run(&["small-balances", "rebill", "--customer", "C000001", "--contract", "AB9999999", "--preview"]);
        assert!(!unknown.status.success() && stderr(&unknown).contains("AB9999999"), "{}", stderr(&unknown));
        let charge = done["charge"]["id"].as_i64().unwrap().to_string();
        let csv = run(&["rebill-charges", "export"]);
        let text = stdout(&csv);
        assert!(csv.status.success(), "{}", stderr(&csv));
        assert!(text.lines().next().unwrap().starts_with("id,action_id,contract_id,contract_number"), "{text}");
        assert!(text.contains("AB0000001") && text.contains("0.50") && text.contains("F2026-0001"), "{text}");
        let acked = json_of(&run(&["rebill-charges", "acknowledge", &charge, "--invoice", "FAC-42", "--json"]));
        assert_eq!(acked["status"], "acknowledged");
        let pending = json_of(&run(&["rebill-charges", "list", "--status", "pending", "--json"]));
        assert_eq!(pending["total_count"], 0);
        let undo = run(&["small-balances", "undo", &done["id"].to_string()]);
        assert!(!undo.status.success());
        assert!(stderr(&undo).contains("cannot be undone"), "{}", stderr(&undo));
        assert!(run(&["check"]).status.success());
        t.finish().await;
    }
}
