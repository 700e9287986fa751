-- Reports (SPEC §4.10): a company's aging buckets (day bounds, "0,30,60,90" by default: current,
-- 1–30, 31–60, 61–90, over 90 days; validated by creance_core::aging) and whether the aging report
-- ages items by due date or by document date by default.
ALTER TABLE companies ADD COLUMN aging_buckets TEXT NOT NULL DEFAULT '0,30,60,90';
ALTER TABLE companies ADD COLUMN aging_basis TEXT NOT NULL DEFAULT 'due_date' CHECK (aging_basis IN ('due_date', 'document_date'));
-- The aging report reads every open installment grouped by customer and currency: this index covers it
-- (customer, currency, side, due date and open amount), so the aggregate reads no table row.
CREATE INDEX installments_aging ON installments (company_id, customer_id, currency, side, due_date, amount_open) WHERE amount_open > 0;
