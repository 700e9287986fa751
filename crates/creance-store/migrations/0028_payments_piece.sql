-- Issue 9 point 20: `payments_piece (company_id, customer_id, piece_number)` served only the
-- duplicate check, which names the customer and a date window: `payments_customer (company_id,
-- customer_id, date)` reads the same few rows. One index less to write for every payment recorded and
-- every open amount changed (on PostgreSQL an update of `amount_open` writes an entry in every index).
DROP INDEX payments_piece;
