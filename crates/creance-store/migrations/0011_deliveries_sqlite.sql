-- Issue 11, e-mail delivery (SQLite; 0012 does the same on PostgreSQL): a delivery gets the status
-- `sending` (an attempt under way, recorded before the message is handed over), when it may be tried
-- again, since when it is being sent, the Message-ID it was sent with and where it went. SQLite
-- cannot change a CHECK in place: the table is rebuilt with its rows and ids (nothing references it).
CREATE TABLE dunning_deliveries_new (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    letter_id BIGINT NOT NULL REFERENCES dunning_letters(id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'letter')),
    address TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'printed', 'failed', 'cancelled', 'not_sent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    queued_at TEXT NOT NULL,
    done_at TEXT,
    next_attempt_at TEXT,
    sending_since TEXT,
    message_id TEXT NOT NULL DEFAULT '',
    sent_via TEXT NOT NULL DEFAULT ''
);
INSERT INTO dunning_deliveries_new (id, company_id, letter_id, channel, address, status, attempts, last_error,
    queued_at, done_at)
SELECT id, company_id, letter_id, channel, address, status, attempts, last_error, queued_at, done_at
FROM dunning_deliveries;
DROP TABLE dunning_deliveries;
ALTER TABLE dunning_deliveries_new RENAME TO dunning_deliveries;
CREATE INDEX dunning_deliveries_status ON dunning_deliveries (company_id, status);
CREATE INDEX dunning_deliveries_letter ON dunning_deliveries (company_id, letter_id);
