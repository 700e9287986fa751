//! The integration tests of this crate, one binary (one link on two cores).

#[allow(dead_code)]
mod common;
mod delivery;
mod demo;
mod dunning;
mod dunning_interest;
mod dunning_rules;
mod dunning_stale_drafts;
mod dunning_storage;
mod errors;
mod imports;
mod letters;
mod limits;
mod lists;
mod open_items;
mod payments;
mod refunds;
mod reports;
mod small_balances;
mod smtp_server;
mod users;
mod value_dates;
mod workload;
