-- Issue 10: the guards the store maps to rejections (`creance_store::error::KNOWN`) get names that say
-- what they guard. PostgreSQL only: it reports a violated constraint by name, and named two-column
-- CHECKs `<table>_check`. SQLite reports an unnamed CHECK by its expression and a UNIQUE by its
-- columns (renaming one would rebuild the table), which the store reads instead; the migrator records
-- this migration on SQLite without running it.
ALTER TABLE installments RENAME CONSTRAINT installments_check TO installments_amount_open_check;
ALTER TABLE refunds RENAME CONSTRAINT refunds_check TO refunds_amount_open_check;
