-- Dunning (SPEC §4.6, §4.7): policies and levels with their texts, late-interest rate tables,
-- proposals (runs) with their letters and items, issued letters frozen, the delivery queue and
-- reminders recorded from outside. Same conventions as 0001: money BIGINT minor units beside a TEXT
-- currency, dates TEXT 'YYYY-MM-DD', flags INTEGER 0/1, rates TEXT exact decimals ('10.5').

-- A table of dated late-interest rates: from each period's start, reference + margin percent a year.
CREATE TABLE interest_tables (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    reference_name TEXT NOT NULL DEFAULT '',
    day_count TEXT NOT NULL DEFAULT 'actual_365' CHECK (day_count IN ('actual_365', 'actual_360')),
    grace_days INTEGER NOT NULL DEFAULT 0 CHECK (grace_days >= 0),
    -- The fixed recovery indemnity per late invoice (40 EUR in France and Germany), 0 for none.
    indemnity BIGINT NOT NULL DEFAULT 0 CHECK (indemnity >= 0),
    indemnity_currency TEXT NOT NULL DEFAULT 'EUR',
    created_at TEXT NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE interest_rates (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    table_id BIGINT NOT NULL REFERENCES interest_tables(id),
    from_date TEXT NOT NULL,
    reference_percent TEXT NOT NULL DEFAULT '0',
    margin_percent TEXT NOT NULL DEFAULT '0',
    PRIMARY KEY (table_id, from_date)
);

-- A dunning policy: its amounts (minimums, fixed fees) are in `currency`.
CREATE TABLE dunning_policies (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    min_amount BIGINT NOT NULL DEFAULT 0 CHECK (min_amount >= 0),
    list_not_due INTEGER NOT NULL DEFAULT 0 CHECK (list_not_due IN (0, 1)),
    allow_skip INTEGER NOT NULL DEFAULT 0 CHECK (allow_skip IN (0, 1)),
    repeat_last INTEGER NOT NULL DEFAULT 0 CHECK (repeat_last IN (0, 1)),
    -- Days given to pay: the letter's payment deadline and the due date of fee and interest invoices.
    payment_days INTEGER NOT NULL DEFAULT 10 CHECK (payment_days >= 0),
    interest_table_id BIGINT REFERENCES interest_tables(id),
    -- Late interest below this amount (per letter) is not charged.
    interest_min BIGINT NOT NULL DEFAULT 0 CHECK (interest_min >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE dunning_levels (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    policy_id BIGINT NOT NULL REFERENCES dunning_policies(id),
    level INTEGER NOT NULL CHECK (level >= 1),
    delay_days INTEGER NOT NULL CHECK (delay_days >= 0),
    min_amount BIGINT NOT NULL DEFAULT 0 CHECK (min_amount >= 0),
    fee_kind TEXT NOT NULL DEFAULT 'none' CHECK (fee_kind IN ('none', 'fixed', 'percent')),
    fee_amount BIGINT NOT NULL DEFAULT 0 CHECK (fee_amount >= 0),
    fee_percent TEXT NOT NULL DEFAULT '0',
    fee_min BIGINT NOT NULL DEFAULT 0 CHECK (fee_min >= 0),
    fee_max BIGINT NOT NULL DEFAULT 0 CHECK (fee_max >= 0),
    interest INTEGER NOT NULL DEFAULT 0 CHECK (interest IN (0, 1)),
    indemnity INTEGER NOT NULL DEFAULT 0 CHECK (indemnity IN (0, 1)),
    channel TEXT NOT NULL DEFAULT 'letter' CHECK (channel IN ('email', 'letter')),
    PRIMARY KEY (policy_id, level)
);

CREATE TABLE dunning_texts (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    policy_id BIGINT NOT NULL REFERENCES dunning_policies(id),
    level INTEGER NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    opening TEXT NOT NULL,
    closing TEXT NOT NULL,
    PRIMARY KEY (policy_id, level, language)
);

ALTER TABLE companies ADD COLUMN dunning_policy_id BIGINT REFERENCES dunning_policies(id);
ALTER TABLE customers ADD COLUMN dunning_policy_id BIGINT REFERENCES dunning_policies(id);
-- Why an installment is blocked (dispute, promise, legal, other, with a note); `block_until` is the
-- first date it may be dunned again (none: blocked until unblocked).
ALTER TABLE installments ADD COLUMN block_note TEXT NOT NULL DEFAULT '';
-- What a dunning run reads: the open debits at each level, by last dunning date (or due date).
CREATE INDEX installments_dunning ON installments (company_id, dunning_level, dunning_date, due_date) WHERE amount_open > 0 AND side = 1;
-- The letter that charged an invoice's fixed recovery indemnity: never twice for one invoice.
ALTER TABLE documents ADD COLUMN indemnity_letter_id BIGINT;

-- A proposal (run): computed for criteria, edited as a draft, issued in one transaction.
CREATE TABLE dunning_runs (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'issued', 'deleted')),
    as_of TEXT NOT NULL,
    criteria TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    recomputed_at TEXT,
    issued_by TEXT,
    issued_at TEXT
);
CREATE INDEX dunning_runs_status ON dunning_runs (company_id, status);

-- One letter per payer and currency. A draft letter is `draft`, `left_out` (with the reason) or
-- `removed` by a clerk; issuing turns drafts into `issued` (numbered, frozen); `withdrawn` after.
CREATE TABLE dunning_letters (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    run_id BIGINT NOT NULL REFERENCES dunning_runs(id),
    payer_id BIGINT NOT NULL REFERENCES customers(id),
    currency TEXT NOT NULL,
    policy_id BIGINT NOT NULL REFERENCES dunning_policies(id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'left_out', 'removed', 'issued', 'withdrawn')),
    reason TEXT NOT NULL DEFAULT '',
    level INTEGER NOT NULL,
    level_forced_by TEXT,
    level_reason TEXT NOT NULL DEFAULT '',
    send INTEGER NOT NULL DEFAULT 1 CHECK (send IN (0, 1)),
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    opening TEXT NOT NULL DEFAULT '',
    closing TEXT NOT NULL DEFAULT '',
    texts_edited_by TEXT,
    overdue_total BIGINT NOT NULL DEFAULT 0,
    not_due_total BIGINT NOT NULL DEFAULT 0,
    credits_total BIGINT NOT NULL DEFAULT 0,
    fee BIGINT NOT NULL DEFAULT 0,
    interest BIGINT NOT NULL DEFAULT 0,
    indemnity BIGINT NOT NULL DEFAULT 0,
    total_due BIGINT NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    number TEXT,
    letter_date TEXT,
    payment_deadline TEXT,
    fee_document_id BIGINT REFERENCES documents(id),
    interest_document_id BIGINT REFERENCES documents(id),
    issued_at TEXT,
    withdrawn_at TEXT,
    withdrawn_by TEXT,
    withdraw_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (company_id, number)
);
-- One letter per payer and currency in a run; its items are found by the same key.
CREATE UNIQUE INDEX dunning_letters_run ON dunning_letters (company_id, run_id, payer_id, currency);
CREATE INDEX dunning_letters_payer ON dunning_letters (company_id, payer_id);
CREATE INDEX dunning_letters_issued ON dunning_letters (company_id, status, letter_date) WHERE status IN ('issued', 'withdrawn');

-- The rows of a letter, which they belong to by (run_id, payer_id, currency). `kind`: `due` (dunned by this letter at `new_level`), `overdue` (late, listed,
-- not yet at its next level), `not_due` (listed for information), `credit` (a credit note's open credit),
-- `payment` (an unallocated payment), or a left-out item: `blocked`, `disabled`, `in_other_draft`.
-- Items of an issued letter never change; `level_before`, `date_before` and `interest_to_before` are
-- what a withdrawal puts back. `in_draft` is 1 exactly while a `due` item belongs to a draft letter,
-- so one installment is in at most one draft.
CREATE TABLE dunning_items (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    run_id BIGINT NOT NULL REFERENCES dunning_runs(id),
    payer_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('due', 'overdue', 'not_due', 'credit', 'payment', 'blocked', 'disabled', 'in_other_draft')),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed', 'settled')),
    reason TEXT NOT NULL DEFAULT '',
    installment_id BIGINT REFERENCES installments(id),
    payment_id BIGINT REFERENCES payments(id),
    document_id BIGINT,
    customer_id BIGINT NOT NULL,
    reference TEXT NOT NULL,
    doc_date TEXT NOT NULL,
    due_date TEXT,
    amount BIGINT NOT NULL,
    amount_open BIGINT NOT NULL,
    level_before INTEGER NOT NULL DEFAULT 0,
    date_before TEXT,
    new_level INTEGER NOT NULL DEFAULT 0,
    interest_from TEXT,
    interest_to TEXT,
    interest_to_before TEXT,
    interest BIGINT NOT NULL DEFAULT 0,
    indemnity BIGINT NOT NULL DEFAULT 0,
    in_draft INTEGER CHECK (in_draft = 1)
);
CREATE INDEX dunning_items_run ON dunning_items (company_id, run_id, payer_id, currency);
CREATE INDEX dunning_items_installment ON dunning_items (company_id, installment_id) WHERE installment_id IS NOT NULL;
CREATE UNIQUE INDEX dunning_items_one_draft ON dunning_items (installment_id) WHERE in_draft = 1;

-- The delivery queue: one row per issued letter to send; rendering and sending come later.
CREATE TABLE dunning_deliveries (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    letter_id BIGINT NOT NULL REFERENCES dunning_letters(id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'letter')),
    address TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'printed', 'failed', 'cancelled', 'not_sent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    queued_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX dunning_deliveries_status ON dunning_deliveries (company_id, status);
CREATE INDEX dunning_deliveries_letter ON dunning_deliveries (company_id, letter_id);

-- A reminder made outside Créance (phone, the previous software): the installment takes its level and
-- date so that the next level becomes possible.
CREATE TABLE dunning_external (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    installment_id BIGINT NOT NULL REFERENCES installments(id),
    level INTEGER NOT NULL CHECK (level >= 1),
    date TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'phone', 'visit', 'other')),
    note TEXT NOT NULL DEFAULT '',
    level_before INTEGER NOT NULL,
    date_before TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX dunning_external_installment ON dunning_external (company_id, installment_id);
