-- Issue 9 point 17: the demo company is written in several transactions. Until its last step commits
-- it is marked incomplete (1): it is not listed, its tokens do not authenticate, `serve --demo` does not
-- count it, and the next demo run removes it. Every existing company is complete (0).
ALTER TABLE companies ADD COLUMN incomplete INTEGER NOT NULL DEFAULT 0;
