//! Créance's documents: PDF letters, invoices, slips and lists, and CSV exports (SPEC §4.3, §4.5,
//! §4.6, §4.10 and §5 Files), and a letter as an e-mail message, as functions from plain data to bytes.
//!
//! This crate does no I/O beyond the bytes it returns or writes to a given `impl Write`, has no
//! async, reads no clock (every date is a parameter) and computes no rule: totals, charges and
//! deadlines come computed by `creance-core`. Rendering is deterministic: the same data give the
//! same bytes. The font (Liberation Sans, OFL) is compiled in; no system font is ever read.
//! Floats appear only in `units.rs`, where layout's integer hundredths of a point become pdf-writer's
//! `f32` coordinates.

pub mod bench;
mod compress;
pub mod csv;
pub mod deposit;
pub mod fonts;
pub mod frame;
pub mod invoice;
pub mod labels;
pub mod layout;
pub mod letter;
pub mod list;
pub mod locale;
pub mod mail;
pub mod pdf;
pub mod refund;
mod sfnt;
pub mod statement;
pub mod units;
pub mod words;

pub use frame::{BankDetails, Letterhead, PostalAddress, Window};
pub use locale::Locale;
pub use pdf::{Jpeg, RenderError};

/// The version of the documents' layout. Raised whenever a change to this crate changes what a
/// document looks like; an issued letter records the version it was laid out with, so that a
/// reprint after an upgrade can say it is laid out by a newer template (its content is frozen).
pub const TEMPLATE_VERSION: i64 = 1;
