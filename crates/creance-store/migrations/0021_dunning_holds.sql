-- Issue 9 point 20: which draft holds an installment moves from a column of the items
-- (`dunning_items.in_draft`, 1 while a `due` item of a draft letter holds its installment, with a
-- partial unique index) to a narrow table of its own. Issuing or deleting a run then deletes its
-- holds instead of rewriting every item: on PostgreSQL an UPDATE writes a new version of the whole
-- row and of its index entries (900,000 items for a first run on a backlog of 1,000,000
-- installments), a DELETE only marks the narrow rows. One installment is held by at most one item
-- (the primary key). No foreign keys: holds are written by `INSERT … SELECT` from the items of their
-- run, in its company, and deleted with it; `creance check` verifies them (rule `dunning_hold`).
CREATE TABLE dunning_holds (
    installment_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    company_id BIGINT NOT NULL,
    run_id BIGINT NOT NULL,
    CONSTRAINT dunning_holds_one_draft PRIMARY KEY (installment_id)
);
CREATE INDEX dunning_holds_run ON dunning_holds (company_id, run_id);
INSERT INTO dunning_holds (installment_id, item_id, company_id, run_id)
    SELECT installment_id, id, company_id, run_id FROM dunning_items WHERE in_draft = 1;
DROP INDEX dunning_items_one_draft;
ALTER TABLE dunning_items DROP COLUMN in_draft;
