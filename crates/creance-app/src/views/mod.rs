//! What the server and the binary see: the views of the rows the store reads, with their JSON shape
//! (serde) and their OpenAPI schema. The store's rows carry neither; each view converts from its row
//! with `From`, so a column added to a table changes no answer until a view says so.
//!
//! One file per family: `money` (payments, allocations, refunds, deposits, journal lines, check
//! findings), `ledger` (customers, contracts, documents, installments, open items), `settings`
//! (companies, tokens, money settings), `dunning` (policies, rate tables, runs, letters, items,
//! history, deliveries, to-generate and beyond-the-last-level lists), and `schema` (the OpenAPI
//! schemas of the core's types).

pub mod dunning;
pub mod ledger;
pub mod money;
pub mod schema;
pub mod settings;
pub mod users;
