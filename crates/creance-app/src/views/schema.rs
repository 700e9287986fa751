//! Schemas for the OpenAPI document of types that come from the core crate (which knows no OpenAPI):
//! view fields of these types say `#[schema(value_type = crate::views::schema::MoneySchema)]`.
//!
//! While store rows still name the store's copies, these are those same types (one schema name, one
//! type); they move here when the last store row stops naming them.

pub use creance_store::openapi::{AmountInputSchema, DueSchema, MoneySchema};
