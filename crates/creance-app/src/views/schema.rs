//! Schemas for the OpenAPI document of types that come from the core crate (which knows no OpenAPI):
//! view fields of these types say `#[schema(value_type = crate::views::schema::MoneySchema)]`.

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

/// An amount as a request gives it (SPEC §2): a decimal string in major units (`"100.50"`), or a JSON
/// number only when it is exact (`100.5`; never an exponent, never more decimals than the currency).
pub struct AmountInputSchema;

impl utoipa::PartialSchema for AmountInputSchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::String))
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .description(Some("an exact amount in major units: a decimal string (\"100.50\") or an exact JSON number"))
            .into()
    }
}

impl utoipa::ToSchema for AmountInputSchema {}
