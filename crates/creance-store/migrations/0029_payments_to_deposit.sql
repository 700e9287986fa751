-- Issue 13 (Remises en banque at 100,000 customers): the payments waiting to be deposited were found
-- by reading every payment of the company (807,000 in the demo, 0.5 s a read, three reads a page:
-- 2 s). The list, its count and its totals, and the deposit of cheques, read this index: one range
-- per method that needs depositing. Its conditions are those of `payments::where_clause`, word for
-- word (SQLite uses a partial index only then).
CREATE INDEX payments_to_deposit ON payments (company_id, method, date) WHERE deposit_id IS NULL AND status = 'active';
