//! The integration tests of this crate, one binary (one link on two cores).

mod api;
mod pdf;
mod rejections;
