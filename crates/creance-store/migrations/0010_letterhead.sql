-- Issue 11: what a company's documents print beyond its name and address (the letterhead), its logo,
-- and the render template version an issued letter was laid out with (a reprint renders the frozen
-- content again; no PDF is stored).

CREATE TABLE company_letterheads (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id),
    -- As printed: `RCS Lyon 812 345 678`, `SIRET …`, `HRB 12345`.
    registration TEXT NOT NULL DEFAULT '',
    vat_number TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    web TEXT NOT NULL DEFAULT '',
    -- Which window of the envelope the address shows through.
    envelope_window TEXT NOT NULL DEFAULT 'right' CHECK (envelope_window IN ('left', 'right')),
    -- The signature block, one line per line (name, then title).
    signature TEXT NOT NULL DEFAULT '',
    -- The bank account printed in the footer and as where to pay; none: the company's first account.
    bank_account_id BIGINT REFERENCES bank_accounts(id),
    -- 1: a letter prints each dunned document's own text under its row (seed 004).
    print_item_texts INTEGER NOT NULL DEFAULT 0 CHECK (print_item_texts IN (0, 1)),
    updated_at TEXT NOT NULL
);

-- The logo, a JPEG of at most 512 KiB, kept hex-encoded in TEXT: one column type that reads and
-- writes the same on both engines (BLOB and BYTEA differ).
CREATE TABLE company_logos (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id),
    jpeg_hex TEXT NOT NULL CHECK (length(jpeg_hex) <= 1048576),
    updated_at TEXT NOT NULL
);

ALTER TABLE dunning_letters ADD COLUMN template_version BIGINT;
