//! What stands between today's schema and a PostgreSQL deployment distributed by company (Citus, or
//! native partitioning by `company_id`; `docs/scaling.md`): every unique index and every foreign key
//! of PostgreSQL that does not include `company_id`. A distributed table's unique keys must contain
//! its distribution column, and a foreign key between two of them must too, to be enforced on one
//! node. The list below is what remains; this test fails when a migration adds one (make the new key
//! carry `company_id`) and when one is gone (strike it from the list), so the list only shrinks.

use creance_store::testing::TestDb;
use creance_store::{Engine, Sql};

/// `table index_or_constraint (columns)` for unique indexes, `… -> referenced_table` for foreign keys.
const WITHOUT_COMPANY: &str = include_str!("keys_without_company.txt");

const UNIQUE: &str =
    "SELECT c.relname || ' ' || i.relname || ' (' || string_agg(a.attname, ', ' ORDER BY k.n) || ')' AS k \
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid \
     JOIN pg_namespace ns ON ns.oid = c.relnamespace \
     CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) \
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
     WHERE x.indisunique AND ns.nspname = current_schema() \
     GROUP BY c.relname, i.relname, x.indexrelid HAVING NOT bool_or(a.attname = 'company_id')";

const FOREIGN: &str = "SELECT ch.relname || ' ' || c.conname || ' (' || \
     (SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n) \
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) || ') -> ' || pa.relname AS k \
     FROM pg_constraint c JOIN pg_class ch ON ch.oid = c.conrelid JOIN pg_class pa ON pa.oid = c.confrelid \
     JOIN pg_namespace ns ON ns.oid = ch.relnamespace WHERE c.contype = 'f' AND ns.nspname = current_schema() \
     AND NOT EXISTS (SELECT 1 FROM unnest(c.conkey) k(attnum) \
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum WHERE a.attname = 'company_id')";

#[tokio::test]
async fn the_postgresql_keys_without_company_id_are_only_those_listed() {
    for t in TestDb::all().await {
        if t.engine() != Engine::Postgres {
            t.finish().await;
            continue;
        }
        let mut tx = t.db.begin_read().await.unwrap();
        let mut found = Vec::new();
        for q in [UNIQUE, FOREIGN] {
            for r in Sql::new(q).fetch_all(&mut tx).await.unwrap() {
                found.push(creance_store::Row::try_get::<String, _>(&r, "k").unwrap());
            }
        }
        drop(tx);
        found.sort();
        let listed: Vec<&str> =
            WITHOUT_COMPANY.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        let new: Vec<&String> = found.iter().filter(|k| !listed.contains(&k.as_str())).collect();
        let gone: Vec<&&str> = listed.iter().filter(|l| !found.iter().any(|k| k == *l)).collect();
        assert!(
            new.is_empty(),
            "a migration added keys without company_id (a distributed deployment cannot enforce them; \
             give them company_id, docs/scaling.md): {new:#?}"
        );
        assert!(
            gone.is_empty(),
            "these keys now carry company_id or are gone: strike them from keys_without_company.txt: {gone:#?}"
        );
        t.finish().await;
    }
}
