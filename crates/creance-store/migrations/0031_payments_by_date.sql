-- Issue 13 (the "allocated" payments list at 100,000 customers): the list shows the fully allocated
-- payments newest first, a page at a time. Without an index in that order each page sorted the
-- 800,000 payments of the demo (1 s, 2.5 s with the count and totals it no longer has). With it a
-- page reads its 51 rows in order. On PostgreSQL every update of `amount_open` writes an entry in
-- each index of `payments` (migration 0028): one more here.
CREATE INDEX payments_date ON payments (company_id, date, id);
