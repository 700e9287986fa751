-- Issue 9 (limits): a company's lower maximum per document, in whole major units of the document's
-- currency; NULL: only the global input limit (10^15 minor units) applies.
ALTER TABLE companies ADD COLUMN document_amount_max BIGINT;
