-- Issue 9 (dunning rules). Same conventions as 0001.

-- One gapless counter per year for a series whose pattern holds the year (SPEC §2): LR-2026-000001
-- is never followed by LR-2025-000002. A series created before this kept one counter for every
-- year: `legacy_year` is the year it was migrated in, and a year up to it that has no counter yet
-- starts from that old counter (`number_series.next_value`), so no number already given is given
-- again; later years start at 1.
CREATE TABLE number_series_years (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    next_value BIGINT NOT NULL CHECK (next_value >= 1),
    PRIMARY KEY (company_id, name, year)
);
ALTER TABLE number_series ADD COLUMN legacy_year INTEGER;
UPDATE number_series SET legacy_year = CAST(SUBSTR(CAST(CURRENT_DATE AS TEXT), 1, 4) AS INTEGER)
WHERE next_value > 1 AND (pattern LIKE '%{YYYY}%' OR pattern LIKE '%{YY}%');

-- A reminder recorded from outside that skips a level (the policy allows it, the clerk forced it):
-- why. Empty when no level was skipped.
ALTER TABLE dunning_external ADD COLUMN skip_reason TEXT NOT NULL DEFAULT '';
