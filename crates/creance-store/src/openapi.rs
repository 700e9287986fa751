//! Schemas for the OpenAPI document of types that come from the core crate (which knows no OpenAPI).

/// An amount with its currency: `amount` is an exact decimal string in major units.
#[derive(utoipa::ToSchema)]
#[schema(example = json!({"amount": "100.50", "currency": "EUR"}))]
pub struct MoneySchema {
    pub amount: String,
    pub currency: String,
}

/// One due date and amount.
#[derive(utoipa::ToSchema)]
pub struct DueSchema {
    #[schema(format = Date)]
    pub due_date: String,
    pub amount: MoneySchema,
}
