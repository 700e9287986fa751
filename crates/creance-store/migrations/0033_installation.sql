-- Issue 14: the first run in the browser. One row, written first by the transaction that creates
-- the first company and its administrator from the installation page: its primary key (always 1)
-- lets only one such transaction go on, on either engine, however many browsers post the form at
-- once (on PostgreSQL the second waits for the first on the key, then inserts nothing and stops).
-- `company_id` and `user_id` are filled in by the same transaction once they exist.
CREATE TABLE installation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    company_id BIGINT REFERENCES companies (id),
    user_id BIGINT REFERENCES users (id),
    at TEXT NOT NULL
);
