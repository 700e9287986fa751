-- Issue 9 point 20 (PostgreSQL only), like 0020 for the dunning items: an allocation's keys to its
-- company, payment and installments cost a per-row trigger each (three queries per row: 2.8 of the
-- 4.5 s of inserting a batch allocation's 166,000 rows). Every allocation is written by the
-- allocation use cases after they have read (and on PostgreSQL locked) the payment and the
-- installments it names; payments are never deleted, and the one statement that deletes installments
-- (an untouched document replaced by an import) locks them and refuses any that an allocation names
-- (`documents::replace_untouched_bulk`). `creance check` verifies the links (rule `allocation_refs`).
-- SQLite keeps the keys: its checks take no locks. The key of a reversal to the allocation it
-- reverses stays (it is NULL on all but the rare reversals).
ALTER TABLE allocations DROP CONSTRAINT allocations_company_id_fkey;
ALTER TABLE allocations DROP CONSTRAINT allocations_payment_id_fkey;
ALTER TABLE allocations DROP CONSTRAINT allocations_installment_id_fkey;
ALTER TABLE allocations DROP CONSTRAINT allocations_credit_installment_id_fkey;
