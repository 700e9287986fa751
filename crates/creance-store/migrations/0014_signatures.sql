-- Issue 11: a signature block per language letters are written in (fr, en, de); a letter in a
-- language without one prints the letterhead's `signature` (the default).

CREATE TABLE company_signatures (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    language TEXT NOT NULL CHECK (language IN ('fr', 'en', 'de')),
    -- One line per line (name, then title); at most 4 lines of 200 characters, checked by the app.
    signature TEXT NOT NULL CHECK (length(signature) <= 1000),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, language)
);
