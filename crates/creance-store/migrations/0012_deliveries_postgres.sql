-- Issue 11, e-mail delivery (PostgreSQL; 0011 does the same on SQLite by rebuilding the table).
ALTER TABLE dunning_deliveries DROP CONSTRAINT dunning_deliveries_status_check;
ALTER TABLE dunning_deliveries ADD CONSTRAINT dunning_deliveries_status_check
    CHECK (status IN ('queued', 'sending', 'sent', 'printed', 'failed', 'cancelled', 'not_sent'));
ALTER TABLE dunning_deliveries ADD COLUMN next_attempt_at TEXT;
ALTER TABLE dunning_deliveries ADD COLUMN sending_since TEXT;
ALTER TABLE dunning_deliveries ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE dunning_deliveries ADD COLUMN sent_via TEXT NOT NULL DEFAULT '';
