-- Issue 13 point 2: the Échéancier's history (settled installments, newest due date first, or one
-- customer's). Partial indexes over the settled installments only: an installment enters them once,
-- when its open amount reaches zero (and leaves them if an allocation is reversed), so they cost the
-- allocations that settle an item, not every allocation.
CREATE INDEX installments_settled ON installments (company_id, due_date) WHERE amount_open = 0;
CREATE INDEX installments_settled_customer ON installments (company_id, customer_id, due_date) WHERE amount_open = 0;
