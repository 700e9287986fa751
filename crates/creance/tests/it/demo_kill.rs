//! Issue 9 point 17: `creance demo` killed (SIGKILL) at any moment leaves either nothing or a complete
//! demo company, on SQLite and on PostgreSQL.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::common::*;
use creance_store::Db;

const DEMO: [&str; 8] = ["demo", "--customers", "30", "--seed", "3", "--as-of", "2026-11-22", "--json"];

fn spawn_demo(url: &str, args: &[&str], pause_after: Option<&str>) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_creance"));
    cmd.args(args).env("CREANCE_DB", url).env("CREANCE_LOG", "warn").stdout(Stdio::null()).stderr(Stdio::piped());
    if let Some(step) = pause_after {
        cmd.env("CREANCE_DEMO_PAUSE_AFTER", step);
    }
    cmd.spawn().expect("spawn creance demo")
}

/// Runs the demo until it has finished `step`, then kills it with SIGKILL.
fn kill_demo_after(url: &str, step: &str) {
    let mut child = spawn_demo(url, &DEMO, Some(step));
    let stderr = child.stderr.take().expect("stderr");
    let mut seen = String::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("read stderr");
        seen.push_str(&line);
        seen.push('\n');
        if line.contains(&format!("demo paused after step {step}")) {
            child.kill().expect("kill -9");
            child.wait().expect("wait");
            return;
        }
    }
    let status = child.wait().expect("wait");
    panic!("the demo ended ({status}) without reaching step {step}: {seen}");
}

/// The companies a user sees (`company list`).
fn visible_companies(url: &str) -> Vec<i64> {
    let v = json_of(&creance(url, &["company", "list", "--json"]));
    v.as_array().expect("a list").iter().map(|c| c["id"].as_i64().expect("id")).collect()
}

fn assert_check_passes(url: &str, when: &str) {
    let o = creance(url, &["check"]);
    assert!(o.status.success(), "check {when}: {}{}", stdout(&o), stderr(&o));
}

/// Rows per company in the tables the demo fills, straight from the database.
async fn rows_per_company(db: &Db) -> BTreeMap<i64, Vec<i64>> {
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut conn = db.pool().acquire().await.expect("connection");
    let r = creance_store::Sql::new("SELECT id FROM companies").fetch_all(&mut conn).await.expect("companies");
    for row in r {
        out.insert(creance_store::Row::try_get::<i64, _>(&row, "id").expect("id"), Vec::new());
    }
    for table in
        ["customers", "documents", "installments", "payments", "allocations", "journal_lines", "dunning_letters"]
    {
        let sql = format!("SELECT company_id, CAST(COUNT(*) AS BIGINT) AS n FROM {table} GROUP BY company_id");
        let counts: BTreeMap<i64, i64> = creance_store::Sql::new(&sql)
            .fetch_all(&mut conn)
            .await
            .expect(table)
            .iter()
            .map(|row| {
                (
                    creance_store::Row::try_get::<i64, _>(row, "company_id").expect("company_id"),
                    creance_store::Row::try_get::<i64, _>(row, "n").expect("n"),
                )
            })
            .collect();
        for (company, rows) in out.iter_mut() {
            rows.push(counts.get(company).copied().unwrap_or(0));
        }
        assert!(counts.keys().all(|c| out.contains_key(c)), "{table} has rows of a removed company");
    }
    out
}

async fn company_count(db: &Db) -> usize {
    rows_per_company(db).await.len()
}

#[tokio::test]
async fn a_killed_demo_leaves_nothing_or_a_complete_company() {
    for (url, t) in databases().await {
        let db = Db::connect(&url).await.expect("connect");

        // Killed after each step but the last: nothing visible, the database consistent, and the
        // company the previous kill left incomplete already removed by this run.
        for step in ["company", "chunk", "data", "money", "letters"] {
            kill_demo_after(&url, step);
            assert_eq!(visible_companies(&url), Vec::<i64>::new(), "after a kill at step {step}");
            assert_check_passes(&url, &format!("after a kill at step {step}"));
            assert!(company_count(&db).await <= 1, "after a kill at step {step}: {:?}", rows_per_company(&db).await);
        }

        // Run to the end: it removes the one left incomplete and is the only company.
        let summary = json_of(&creance(&url, &DEMO));
        assert_eq!(summary["removed_incomplete"].as_array().map(Vec::len), Some(1), "{summary}");
        let first = summary["company_id"].as_i64().expect("company_id");
        assert_eq!(visible_companies(&url), vec![first]);
        let rows = rows_per_company(&db).await;
        assert_eq!(rows.keys().copied().collect::<Vec<_>>(), vec![first], "{rows:?}");
        let complete = rows[&first].clone();
        assert_eq!(complete[0], 30, "30 customers: {complete:?}");
        assert_eq!(complete[3], summary["payments"].as_i64().expect("payments"), "{complete:?}");
        assert!(complete[6] > 0, "letters were issued: {complete:?}");
        assert_check_passes(&url, "after a full run");

        // A real kill -9 at a moment the test does not choose: once the new company row is written
        // (the bulk data of 2,000 customers is then being written, or later steps run, or it ended).
        let mut child = spawn_demo(&url, &["demo", "--customers", "2000", "--as-of", "2026-11-22"], None);
        let mut polls = 0;
        while company_count(&db).await < 2 && child.try_wait().expect("try_wait").is_none() {
            polls += 1;
            assert!(polls < 60_000, "the demo wrote no company row");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.kill().ok();
        child.wait().expect("wait");
        let visible = visible_companies(&url);
        assert!(visible.len() <= 2 && visible[0] == first, "{visible:?}");
        if let Some(second) = visible.get(1) {
            assert_eq!(rows_per_company(&db).await[second][0], 2000, "a visible demo is complete");
        }
        assert_check_passes(&url, "after a kill -9 at an unchosen moment");

        // Killed right after its last commit: the demo is there, the same as a run to the end.
        kill_demo_after(&url, "complete");
        let visible_now = visible_companies(&url);
        assert_eq!(visible_now.len(), visible.len() + 1, "{visible_now:?}");
        let last = *visible_now.last().expect("the new company");
        let rows = rows_per_company(&db).await;
        assert_eq!(rows.len(), visible_now.len(), "no incomplete company is left: {rows:?}");
        assert_eq!(rows[&last], complete, "the same rows as the run to the end");
        assert_check_passes(&url, "after a kill at the last step");

        db.close().await;
        t.finish().await;
    }
}
