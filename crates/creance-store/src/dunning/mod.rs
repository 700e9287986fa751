//! Dunning storage (SPEC §4.6, §4.7): policies, levels and texts; late-interest rate tables; the
//! set-based proposal (one pass over the open installments, never a query per customer), letters and
//! their items, the delivery queue and reminders recorded from outside.
//!
//! A letter's items belong to it by `(run_id, payer_id, currency)`. Items of kind `due` are dunned by
//! the letter; `overdue`, `not_due`, `credit` and `payment` are listed; `blocked`, `disabled` and
//! `in_other_draft` are left out with their reason.
//!
//! By job: `policies` and `rates` (settings), `proposal` (candidates and letters), `refresh` (totals
//! and the left-out rules), `letters` (reading), `draft` (edits), `charges`, `issue` (and withdraw),
//! `history` (external reminders, history, deliveries), `outlook` (what issuing a draft will make),
//! `delivery` (SMTP settings, the delivery worker's claims and outcomes), `views` (to generate,
//! beyond the last level, days late); `words` parses the stored statuses and kinds. `creance_store::dunning_runs` and
//! `dunning_views` re-export these under their former paths.

pub mod charges;
pub mod delivery;
pub mod draft;
pub mod history;
pub mod issue;
pub mod letters;
pub mod outlook;
mod policies;
pub mod proposal;
mod rates;
pub mod refresh;
pub mod views;
pub(crate) mod words;

pub use policies::*;
pub use rates::*;
