-- Issue 13 point 2: the Échéancier's history (settled installments, newest due date first). A
-- partial index over the settled debits only: an installment enters it once, when its open amount
-- reaches zero (and leaves it if an allocation is reversed), so it costs the allocations that settle
-- an item, not every allocation.
CREATE INDEX installments_settled ON installments (company_id, due_date) WHERE amount_open = 0;
