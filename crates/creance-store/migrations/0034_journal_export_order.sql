-- Issue 15 (the FEC of 3.4 million lines in bounded memory): an export reads the journal of a period
-- by journal, date, entry and line, a chunk of 2,000 lines at a time, each chunk the next range of
-- this index (`sql::for_each_packed`). Before it, one statement numbered every line with a window
-- function, which made the database sort and hold the whole journal: 45 s and 1.1 GB on SQLite.
-- The demo's bulk load writes the lines with this index in place (see docs/performance.md).
CREATE INDEX journal_lines_export ON journal_lines (company_id, journal, date, entry, id);
