-- Issue 12, small balances (PostgreSQL; 0016 does the same on SQLite): the internal documents of a
-- small-balance action get kinds of their own (the CHECK changed in place). The rest is the same SQL
-- as 0016's.
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check CHECK (kind IN ('invoice', 'credit_note', 'fee_invoice',
    'interest_invoice', 'opening_balance', 'small_balance_transfer', 'small_credit_transfer', 'write_off', 'write_off_credit'));
-- The action an internal document belongs to.
ALTER TABLE documents ADD COLUMN small_balance_action_id BIGINT;
-- The company settings of small balances, in minor units of the base currency (the same figure
-- applies to another currency at its own exponent: 1.00 EUR is 1 JPY, 1.000 TND; no exchange).
ALTER TABLE companies ADD COLUMN small_balance_threshold BIGINT NOT NULL DEFAULT 100 CHECK (small_balance_threshold >= 0);
ALTER TABLE companies ADD COLUMN write_off_maximum BIGINT NOT NULL DEFAULT 1000 CHECK (write_off_maximum >= 0);

-- One action on a customer's small balances in one currency: the items it closed through its internal
-- documents (`debit_document_id` closes the open debits, `credit_document_id` is closed by the small
-- credits), and, once undone, the documents that neutralised them.
CREATE TABLE small_balance_actions (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL CHECK (kind IN ('rebill', 'write_off')),
    status TEXT NOT NULL CHECK (status IN ('done', 'undone')),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    currency TEXT NOT NULL,
    date TEXT NOT NULL,
    debit_total BIGINT NOT NULL CHECK (debit_total >= 0),
    credit_total BIGINT NOT NULL CHECK (credit_total >= 0),
    contract_id BIGINT REFERENCES contracts(id),
    debit_document_id BIGINT REFERENCES documents(id),
    credit_document_id BIGINT REFERENCES documents(id),
    undo_debit_document_id BIGINT REFERENCES documents(id),
    undo_credit_document_id BIGINT REFERENCES documents(id),
    reason TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL,
    undone_date TEXT,
    undone_by TEXT,
    undone_at TEXT
);
CREATE INDEX small_balance_actions_customer ON small_balance_actions (company_id, customer_id);

-- What an action closed: each installment (an open debit or a credit note's credit) or payment, the
-- amount and the allocation that closed it. Append-only.
CREATE TABLE small_balance_items (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    action_id BIGINT NOT NULL REFERENCES small_balance_actions(id),
    installment_id BIGINT REFERENCES installments(id),
    payment_id BIGINT REFERENCES payments(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    allocation_id BIGINT NOT NULL REFERENCES allocations(id),
    CHECK ((installment_id IS NULL) <> (payment_id IS NULL))
);
CREATE INDEX small_balance_items_action ON small_balance_items (company_id, action_id);

-- What the billing system puts on a contract's next invoice: positive to bill, negative to deduct.
CREATE TABLE rebill_charges (
    id {{id}},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    action_id BIGINT NOT NULL UNIQUE REFERENCES small_balance_actions(id),
    contract_id BIGINT NOT NULL REFERENCES contracts(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    currency TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount <> 0),
    text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'acknowledged', 'cancelled')),
    invoice_number TEXT NOT NULL DEFAULT '',
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX rebill_charges_status ON rebill_charges (company_id, status, id);

