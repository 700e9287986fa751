//! Créance's pure domain: money (SPEC §2), exact decimals, calendar dates, payment terms (SPEC §3),
//! numbering-series formatting and the closed vocabularies of SPEC §3 entities.
//!
//! This crate does no I/O, has no async, reads no clock (every date is a parameter) and uses no floats:
//! amounts are integer minor units with their currency, rates are exact decimals, and every arithmetic
//! operation is checked.

pub mod aging;
pub mod allocation;
mod amount_text;
mod currency;
mod date;
mod decimal;
pub mod document;
pub mod dso;
pub mod dunning;
pub mod export_text;
pub mod interest;
mod money;
mod numbering;
pub mod payer;
pub mod small_balances;
mod terms;
pub mod text_limits;
mod timestamp;

pub use amount_text::*;
pub use currency::*;
pub use date::*;
pub use decimal::*;
pub use document::*;
pub use money::*;
pub use numbering::*;
pub use terms::*;
pub use timestamp::Timestamp;
