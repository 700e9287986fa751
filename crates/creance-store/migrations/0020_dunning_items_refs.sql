-- Issue 9 point 20 (PostgreSQL only), after 0015: the keys from a dunning item to its installment and
-- its payment cost the same per-row trigger and `FOR KEY SHARE` lock. A proposal of 270,000 items
-- locked 270,000 installments (writing a lock mark into each of their rows, which the issue then
-- rewrites again with the new levels). Items are only written by `INSERT … SELECT` from the
-- installments and payments they name, and neither is ever deleted; `creance check` verifies the
-- links (rule `dunning_item_refs`). SQLite keeps the keys: its checks take no locks.
ALTER TABLE dunning_items DROP CONSTRAINT dunning_items_installment_id_fkey;
ALTER TABLE dunning_items DROP CONSTRAINT dunning_items_payment_id_fkey;
