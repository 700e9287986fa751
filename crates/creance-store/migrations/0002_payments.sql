-- Payments received, refunds, advances, bank deposits and the journal (SPEC §3, §4.1–4.5, §4.9).
-- Same conventions as 0001: money is BIGINT minor units beside a TEXT currency, dates TEXT, flags INTEGER.

-- Settings of a company that the money rules read.
ALTER TABLE companies ADD COLUMN deposits_to_bank_journal INTEGER NOT NULL DEFAULT 1;
ALTER TABLE companies ADD COLUMN duplicate_window_days INTEGER NOT NULL DEFAULT 7;

-- Account codes for journal entries, by role (receivable, cheques_to_deposit, bank, sales, …).
CREATE TABLE account_codes (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    role TEXT NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (company_id, role)
);

-- The company's payment methods; those that need depositing wait in "to deposit".
CREATE TABLE payment_methods (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    needs_deposit INTEGER NOT NULL DEFAULT 0 CHECK (needs_deposit IN (0, 1)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    PRIMARY KEY (company_id, code)
);

CREATE TABLE bank_accounts (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    iban TEXT NOT NULL DEFAULT '',
    bic TEXT NOT NULL DEFAULT '',
    journal_code TEXT NOT NULL,
    account_code TEXT NOT NULL,
    currency TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE deposits (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    number TEXT NOT NULL,
    bank_account_id BIGINT NOT NULL REFERENCES bank_accounts(id),
    date TEXT NOT NULL,
    currency TEXT NOT NULL,
    total BIGINT NOT NULL CHECK (total > 0),
    payment_count BIGINT NOT NULL CHECK (payment_count > 0),
    status TEXT NOT NULL CHECK (status IN ('draft', 'validated', 'cancelled')),
    created_at TEXT NOT NULL,
    validated_at TEXT,
    UNIQUE (company_id, number)
);

-- What a payment still has unallocated (kept by the transaction that allocates, recomputed by
-- `creance check`), where it is to be deposited, and why it was cancelled.
ALTER TABLE payments ADD COLUMN amount_open BIGINT NOT NULL DEFAULT 0 CHECK (amount_open >= 0);
ALTER TABLE payments ADD COLUMN deposit_bank_id BIGINT REFERENCES bank_accounts(id);
ALTER TABLE payments ADD COLUMN deposit_date TEXT;
ALTER TABLE payments ADD COLUMN deposit_id BIGINT REFERENCES deposits(id);
ALTER TABLE payments ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN cancelled_at TEXT;
UPDATE payments SET amount_open = amount - COALESCE((SELECT SUM(a.amount) FROM allocations a
    WHERE a.payment_id = payments.id AND a.reverses_id IS NULL
    AND NOT EXISTS (SELECT 1 FROM allocations r WHERE r.reverses_id = a.id)), 0);
CREATE INDEX payments_open ON payments (company_id, customer_id) WHERE amount_open > 0;
CREATE INDEX payments_order_ref ON payments (company_id, order_ref) WHERE order_ref <> '';
CREATE INDEX payments_piece ON payments (company_id, customer_id, piece_number);
CREATE INDEX payments_deposit ON payments (company_id, deposit_id) WHERE deposit_id IS NOT NULL;

-- Money paid back to a customer. amount_open is what is still "to allocate" to credits.
CREATE TABLE refunds (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    number TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    date TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    amount_open BIGINT NOT NULL CHECK (amount_open >= 0 AND amount_open <= amount),
    reason TEXT NOT NULL CHECK (reason IN ('overpayment', 'credit_note', 'duplicate_payment', 'cancelled_order', 'other')),
    method TEXT NOT NULL,
    piece_number TEXT NOT NULL DEFAULT '',
    bank_account_id BIGINT REFERENCES bank_accounts(id),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX refunds_customer ON refunds (company_id, customer_id, date);

-- Append-only, like allocations: a refund consumes the unallocated credit of a payment or a credit note.
CREATE TABLE refund_allocations (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    refund_id BIGINT NOT NULL REFERENCES refunds(id),
    payment_id BIGINT REFERENCES payments(id),
    credit_installment_id BIGINT REFERENCES installments(id),
    currency TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    date TEXT NOT NULL,
    reverses_id BIGINT REFERENCES refund_allocations(id),
    created_at TEXT NOT NULL,
    CHECK ((payment_id IS NULL) <> (credit_installment_id IS NULL))
);
CREATE INDEX refund_allocations_refund ON refund_allocations (company_id, refund_id);
CREATE UNIQUE INDEX refund_allocations_reversal ON refund_allocations (reverses_id) WHERE reverses_id IS NOT NULL;

-- The journal: one row per line; the lines of one entry share `entry`. Entries are numbered per
-- journal when exported. Receivable lines carry the customer (auxiliary account). `source` and
-- `source_id` name what the entry books (document, payment, refund, deposit, allocation).
CREATE TABLE journal_lines (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    entry TEXT NOT NULL,
    journal TEXT NOT NULL,
    date TEXT NOT NULL,
    source TEXT NOT NULL,
    source_id BIGINT NOT NULL,
    piece_ref TEXT NOT NULL,
    label TEXT NOT NULL,
    account TEXT NOT NULL,
    customer_id BIGINT REFERENCES customers(id),
    currency TEXT NOT NULL,
    debit BIGINT NOT NULL CHECK (debit >= 0),
    credit BIGINT NOT NULL CHECK (credit >= 0),
    created_at TEXT NOT NULL
);
-- No secondary index: the journal is written in bulk (3 million lines for the 100,000-customer demo,
-- where an index on the date cost a quarter of the writing time) and read whole by period for exports
-- and by aggregate for `creance check`.

-- Answers already given to POSTs that moved money, by the client's Idempotency-Key.
CREATE TABLE idempotency_keys (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, key)
);
