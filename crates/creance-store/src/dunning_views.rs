//! The dunning views (to generate, beyond the last level, days late): the former path of
//! [`crate::dunning::views`].

pub use crate::dunning::views::*;
