//! The integration tests of this crate, one binary (one link on two cores).

mod api;
mod exports;
mod pdf;
mod rejections;
