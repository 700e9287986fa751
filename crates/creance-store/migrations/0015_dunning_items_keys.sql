-- Issue 9 point 20 (PostgreSQL only): PostgreSQL checks a foreign key with a trigger per row that
-- locks the referenced row (`FOR KEY SHARE`). A proposal writes every item of its run in one
-- statement, so a run of 270,000 items locked its one run and its one company 270,000 times each:
-- 3.2 of the statement's 6.8 seconds. An item is only ever written by an `INSERT … SELECT` for the
-- run being proposed, in that run's company, and neither runs nor companies are deleted (an
-- incomplete demo company is removed with all its rows); `creance check` verifies the link
-- (rule `dunning_item_run`). The keys to installments and payments stay. SQLite keeps all of them:
-- its checks take no locks and cost little.
ALTER TABLE dunning_items DROP CONSTRAINT dunning_items_run_id_fkey;
ALTER TABLE dunning_items DROP CONSTRAINT dunning_items_company_id_fkey;
