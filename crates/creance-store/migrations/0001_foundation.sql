-- Créance foundation schema (SPEC §3, §6).
-- One file serves SQLite and PostgreSQL. The migrator replaces these tokens before running it:
--   {{id}}   an auto-assigned 64-bit primary key
-- Conventions: money is BIGINT minor units beside a TEXT currency code; business dates are TEXT
-- 'YYYY-MM-DD' (they sort and compare as dates); instants are TEXT RFC 3339 UTC; flags are INTEGER 0/1.
-- Every table carries company_id.

CREATE TABLE companies (
    id {{id}},
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    base_currency TEXT NOT NULL,
    language TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE number_series (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    pattern TEXT NOT NULL,
    next_value BIGINT NOT NULL CHECK (next_value >= 1),
    PRIMARY KEY (company_id, name)
);

CREATE TABLE api_tokens (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    role TEXT NOT NULL CHECK (role IN ('read_only', 'clerk', 'admin')),
    label TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE customers (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    number TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    currency TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    dunning_email TEXT NOT NULL DEFAULT '',
    payer_id BIGINT REFERENCES customers(id),
    salesperson TEXT NOT NULL DEFAULT '',
    bank TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    dunning_enabled INTEGER NOT NULL DEFAULT 1 CHECK (dunning_enabled IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX customers_payer ON customers (company_id, payer_id);
CREATE INDEX customers_salesperson ON customers (company_id, salesperson);

CREATE TABLE contracts (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    number TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    status TEXT NOT NULL CHECK (status IN ('active', 'ended')),
    start_date TEXT NOT NULL,
    end_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX contracts_customer ON contracts (company_id, customer_id);

CREATE TABLE documents (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note', 'fee_invoice', 'interest_invoice', 'opening_balance')),
    number TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    date TEXT NOT NULL,
    currency TEXT NOT NULL,
    total BIGINT NOT NULL CHECK (total >= 0),
    contract_id BIGINT REFERENCES contracts(id),
    order_ref TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    payment_term TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (company_id, kind, number)
);
CREATE INDEX documents_customer ON documents (company_id, customer_id, date);
CREATE INDEX documents_contract ON documents (company_id, contract_id) WHERE contract_id IS NOT NULL;
CREATE INDEX documents_order_ref ON documents (company_id, order_ref) WHERE order_ref <> '';

-- One row per due date of a document. A credit note has one installment: its open credit.
-- customer_id, currency and side are copied from the document (they never change) so the open-items
-- queries filter and total without a join; amount_open is kept by the same transaction that writes the
-- allocations and is recomputed from them by `creance check`.
CREATE TABLE installments (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    currency TEXT NOT NULL,
    side INTEGER NOT NULL CHECK (side IN (1, -1)),
    seq INTEGER NOT NULL CHECK (seq >= 1),
    due_date TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    amount_open BIGINT NOT NULL CHECK (amount_open >= 0 AND amount_open <= amount),
    dunning_level INTEGER NOT NULL DEFAULT 0 CHECK (dunning_level >= 0),
    dunning_date TEXT,
    block_until TEXT,
    block_reason TEXT NOT NULL DEFAULT '',
    interest_to TEXT,
    UNIQUE (document_id, seq)
);
-- Covering for the open-items counts and totals (due date, currency, side and open amount).
CREATE INDEX installments_open_due ON installments (company_id, due_date, currency, side, amount_open) WHERE amount_open > 0;
CREATE INDEX installments_open_customer ON installments (company_id, customer_id, due_date) WHERE amount_open > 0;

CREATE TABLE payments (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    number TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    date TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    method TEXT NOT NULL,
    piece_number TEXT NOT NULL DEFAULT '',
    customer_bank TEXT NOT NULL DEFAULT '',
    order_ref TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    created_at TEXT NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX payments_customer ON payments (company_id, customer_id, date);

-- Append-only. A reversal is a row whose reverses_id names the allocation it cancels (same amount);
-- an allocation is active while no reversal names it.
CREATE TABLE allocations (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    payment_id BIGINT REFERENCES payments(id),
    credit_installment_id BIGINT REFERENCES installments(id),
    installment_id BIGINT NOT NULL REFERENCES installments(id),
    currency TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    date TEXT NOT NULL,
    reverses_id BIGINT REFERENCES allocations(id),
    created_at TEXT NOT NULL,
    CHECK ((payment_id IS NULL) <> (credit_installment_id IS NULL))
);
CREATE INDEX allocations_installment ON allocations (company_id, installment_id);
CREATE INDEX allocations_payment ON allocations (company_id, payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX allocations_credit ON allocations (company_id, credit_installment_id) WHERE credit_installment_id IS NOT NULL;
-- An allocation is reversed at most once.
CREATE UNIQUE INDEX allocations_reversal ON allocations (reverses_id) WHERE reverses_id IS NOT NULL;

CREATE TABLE audit_events (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    summary TEXT NOT NULL DEFAULT '',
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_events_entity ON audit_events (company_id, entity, entity_id);
