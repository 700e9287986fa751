//! The integration tests of this crate, one binary (one link on two cores).

#[allow(dead_code)]
mod books;
mod keys;
mod locks;
mod open_amounts;
mod schema;
mod series;
