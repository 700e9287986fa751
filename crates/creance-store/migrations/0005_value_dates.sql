-- Value dates (SPEC §4.2): every allocation carries the date its money counts from, the payment's
-- date (a credit note's date), whatever day it was allocated; interest and every as-of view read it.
-- A reversal carries the value date of the allocation it reverses, so the two cancel out in the
-- history. Existing rows are backfilled from their credit (a reversal has the same credit as the
-- allocation it reverses, hence the same value date).
ALTER TABLE allocations ADD COLUMN value_date TEXT NOT NULL DEFAULT '';
UPDATE allocations SET value_date = (SELECT p.date FROM payments p WHERE p.id = allocations.payment_id)
    WHERE payment_id IS NOT NULL;
UPDATE allocations SET value_date = (
    SELECT d.date FROM installments ci JOIN documents d ON d.id = ci.document_id
    WHERE ci.id = allocations.credit_installment_id)
    WHERE credit_installment_id IS NOT NULL;
