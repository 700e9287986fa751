-- Issue 9 point 20: one index fewer on installments. `installments_aging` (company, customer,
-- currency, side, due date, open amount; open items only) begins like `installments_open_customer`
-- (company, customer, due date; open items only) and serves every lookup of a customer's open items
-- (PostgreSQL's planner already chose it: the older index had no scan in a whole benchmark). Every
-- change of an open amount is a new entry in each index of the table (the amount is in the indexes'
-- conditions, so PostgreSQL cannot update in place), so each index costs every allocation.
DROP INDEX installments_open_customer;
