//! The integration tests of this crate, one binary (one link on two cores).

mod cli;
#[allow(dead_code)]
mod common;
mod demo_kill;
mod documents_cli;
mod dunning_cli;
mod golden;
mod ledger_cli;
mod small_balances_cli;
mod tidy;
