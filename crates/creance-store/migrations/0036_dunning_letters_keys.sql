-- Issue 15 (PostgreSQL only, as 0015 did for the items): a proposal writes all its letters in one
-- `INSERT … SELECT` (100,000 on a backlog), and PostgreSQL checks each foreign key with a trigger per
-- row that locks the referenced row (`FOR KEY SHARE`): the run, the company and the policy 100,000
-- times each, and every payer. Measured on the benchmark's backlog: 2.6 s for the letters with the
-- keys, 0.83 s without. Letters are only ever written by the proposal's statements, from the run's
-- own items and customers in its company; runs, companies, policies and customers are never deleted
-- (an incomplete demo company is removed with all its rows); `creance check` verifies the links
-- (rule `dunning_letter_refs`). The keys to the fee and interest invoices stay (they are set at
-- issue, on the letters that charge). SQLite keeps all of them: its checks take no locks and cost
-- little.
ALTER TABLE dunning_letters DROP CONSTRAINT dunning_letters_company_id_fkey;
ALTER TABLE dunning_letters DROP CONSTRAINT dunning_letters_run_id_fkey;
ALTER TABLE dunning_letters DROP CONSTRAINT dunning_letters_payer_id_fkey;
ALTER TABLE dunning_letters DROP CONSTRAINT dunning_letters_policy_id_fkey;
