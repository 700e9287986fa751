-- Issue 15 point 4 (SQLite only; PostgreSQL made the same changes where they cost it, in 0015 and
-- 0020): a dunning item costs its insert and nothing more. Measured on the 900,000 items of a first
-- run on a backlog (docs/performance.md): the CHECKs written `kind IN ('due', …)` cost SQLite about
-- 1 µs per row, 0.9 s in all; the same CHECKs written with `=` and `OR` cost nothing measurable; the
-- foreign keys to companies, runs, installments and payments cost a lookup each per row (0.6 s of
-- the 4.2 s). `creance check`
-- verifies those links (rules `dunning_item_run`, `dunning_item_refs`), as it does on PostgreSQL.
-- A draft's hold is keyed by the installment itself (the table's rowid): one b-tree instead of two,
-- and still one installment in at most one draft. Nothing references either table: both are
-- rebuilt with their rows and ids.
CREATE TABLE dunning_items_new (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL,
    run_id BIGINT NOT NULL,
    payer_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind = 'due' OR kind = 'overdue' OR kind = 'not_due' OR kind = 'credit'
        OR kind = 'payment' OR kind = 'blocked' OR kind = 'disabled' OR kind = 'in_other_draft'),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status = 'active' OR status = 'removed' OR status = 'settled'),
    reason TEXT NOT NULL DEFAULT '',
    installment_id BIGINT,
    payment_id BIGINT,
    document_id BIGINT,
    customer_id BIGINT NOT NULL,
    reference TEXT NOT NULL,
    doc_date TEXT NOT NULL,
    due_date TEXT,
    amount BIGINT NOT NULL,
    amount_open BIGINT NOT NULL,
    level_before INTEGER NOT NULL DEFAULT 0,
    date_before TEXT,
    new_level INTEGER NOT NULL DEFAULT 0,
    interest_from TEXT,
    interest_to TEXT,
    interest_to_before TEXT,
    interest BIGINT NOT NULL DEFAULT 0,
    indemnity BIGINT NOT NULL DEFAULT 0
);
INSERT INTO dunning_items_new SELECT id, company_id, run_id, payer_id, currency, kind, status, reason, installment_id,
    payment_id, document_id, customer_id, reference, doc_date, due_date, amount, amount_open, level_before,
    date_before, new_level, interest_from, interest_to, interest_to_before, interest, indemnity FROM dunning_items;
DROP TABLE dunning_items;
ALTER TABLE dunning_items_new RENAME TO dunning_items;
CREATE INDEX dunning_items_run ON dunning_items (company_id, run_id, payer_id, currency);
CREATE INDEX dunning_items_installment ON dunning_items (company_id, installment_id) WHERE installment_id IS NOT NULL;

CREATE TABLE dunning_holds_new (
    installment_id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL,
    company_id BIGINT NOT NULL,
    run_id BIGINT NOT NULL
);
INSERT INTO dunning_holds_new (installment_id, item_id, company_id, run_id)
    SELECT installment_id, item_id, company_id, run_id FROM dunning_holds;
DROP TABLE dunning_holds;
ALTER TABLE dunning_holds_new RENAME TO dunning_holds;
CREATE INDEX dunning_holds_run ON dunning_holds (company_id, run_id);
