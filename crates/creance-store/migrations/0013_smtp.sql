-- Issue 11, e-mail delivery: a company's SMTP server, every attempt of every delivery, and the
-- index the delivery worker reads its work from.

-- With no row, a company's messages are written as .eml files to the outbox folder. The password
-- is kept as given (the SMTP login needs it back); the API never shows it.
CREATE TABLE company_smtp (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id),
    host TEXT NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
    port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security TEXT NOT NULL CHECK (security IN ('none', 'starttls', 'tls')),
    username TEXT NOT NULL DEFAULT '',
    password TEXT NOT NULL DEFAULT '',
    from_address TEXT NOT NULL,
    from_name TEXT NOT NULL DEFAULT '',
    reply_to TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

-- One row per attempt, written when it starts (before the message is handed over) and completed
-- when it ends; `outcome` stays NULL while it is under way.
CREATE TABLE dunning_delivery_attempts (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    delivery_id BIGINT NOT NULL REFERENCES dunning_deliveries(id),
    attempt INTEGER NOT NULL CHECK (attempt >= 1),
    transport TEXT NOT NULL CHECK (transport IN ('smtp', 'outbox')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT CHECK (outcome IN ('sent', 'retry', 'failed', 'interrupted')),
    reply TEXT NOT NULL DEFAULT '',
    UNIQUE (delivery_id, attempt)
);
CREATE INDEX dunning_delivery_attempts_company ON dunning_delivery_attempts (company_id, delivery_id);

CREATE INDEX dunning_deliveries_due ON dunning_deliveries (status, channel, company_id, next_attempt_at);
-- A letter's delivery status (`MAX(status)` of its deliveries, read with every letter listed): found
-- by the letter, not by scanning the company's deliveries.
CREATE INDEX dunning_deliveries_letter_status ON dunning_deliveries (letter_id, status);
