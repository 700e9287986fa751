//! The OpenAPI document, generated from the route and type annotations.

use axum::Json;
use creance_app::queries::PAGE_LIMIT_MAX;
use serde_json::{json, Value};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::auth::Scope;
use crate::problem::Problem;
use crate::routes;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Créance API",
        description = "Accounts-receivable collections. Every route but /api/health needs `Authorization: Bearer <token>` \
            (`creance token create`). Routes under /api/v1 act on the token's company; the same routes exist under \
            /api/v1/companies/{company_id}/…, where another company's id is a 403. Amounts are \
            {\"amount\": \"100.50\", \"currency\": \"EUR\"}: exact decimal strings with their currency. Errors are \
            RFC 9457 problem+json naming the field at fault, with a stable machine `code` (snake_case, listed on \
            the Problem schema) beside the human `detail`."
    ),
    paths(
        routes::health,
        routes::companies::list,
        routes::companies::get,
        routes::customers::list,
        routes::customers::get,
        routes::customers::list_contracts,
        routes::customers::get_contract,
        routes::documents::list,
        routes::documents::get,
        routes::documents::get_installment,
        routes::open_items::by_installment,
        routes::open_items::by_document,
        routes::reports::aging,
        routes::reports::statement,
        routes::reports::dso,
        routes::reports::settings,
        routes::reports::set_settings,
        routes::imports::import,
        routes::payments::list,
        routes::payments::record,
        routes::payments::get,
        routes::payments::proposal,
        routes::payments::allocate,
        routes::payments::cancel,
        routes::payments::set_customer,
        routes::payments::credit_note_proposal,
        routes::payments::credit_note_allocations,
        routes::payments::credit_note_allocate,
        routes::payments::reverse,
        routes::payments::auto_allocate,
        routes::payments::advances,
        routes::refunds::list,
        routes::refunds::record,
        routes::refunds::get,
        routes::refunds::allocate,
        routes::refunds::letter,
        routes::refunds::reverse,
        routes::deposits::pending,
        routes::deposits::list,
        routes::deposits::create,
        routes::deposits::get,
        routes::deposits::validate,
        routes::deposits::cancel,
        routes::settings::banks,
        routes::settings::add_bank,
        routes::settings::methods,
        routes::settings::set_method,
        routes::settings::accounts,
        routes::settings::set_account,
        routes::settings::money,
        routes::settings::set_money,
        routes::settings::journal,
        routes::dunning::proposals,
        routes::dunning::propose,
        routes::dunning::proposal,
        routes::dunning::delete,
        routes::dunning::recompute,
        routes::dunning::issue,
        routes::dunning::letters,
        routes::dunning::letter,
        routes::dunning::remove_letter,
        routes::dunning::restore_letter,
        routes::dunning::level,
        routes::dunning::set_texts,
        routes::dunning::reset_texts,
        routes::dunning::send,
        routes::dunning::withdraw,
        routes::dunning::remove_item,
        routes::dunning::external,
        routes::dunning::to_generate,
        routes::dunning::beyond_last_level,
        routes::dunning::history,
        routes::dunning::deliveries,
        routes::delivery::get,
        routes::delivery::attempts,
        routes::delivery::resend,
        routes::delivery::smtp,
        routes::delivery::set_smtp,
        routes::delivery::clear_smtp,
        routes::delivery::printed,
        routes::dunning::policies,
        routes::dunning::save_policy,
        routes::dunning::default_policy,
        routes::dunning::customer,
        routes::dunning::customer_comment,
        routes::dunning::block,
        routes::dunning::interest_tables,
        routes::dunning::create_interest_table,
        routes::dunning::interest_preset,
        routes::dunning::add_rates,
        routes::pdf::letter,
        routes::pdf::level_preview,
        routes::pdf::print_run,
        routes::pdf::document,
        routes::pdf::deposit_slip,
        routes::pdf::refund_letter,
        routes::pdf::letterhead,
        routes::pdf::set_letterhead,
        routes::pdf::set_logo,
        routes::small_balances::list,
        routes::small_balances::preview,
        routes::small_balances::act,
        routes::small_balances::clear,
        routes::small_balances::actions,
        routes::small_balances::action,
        routes::small_balances::undo,
        routes::small_balances::charges,
        routes::small_balances::charge,
        routes::small_balances::acknowledge,
        routes::small_balances::settings,
        routes::small_balances::set_settings,
        routes::tokens::list,
        routes::tokens::revoke,
    ),
    components(schemas(Problem, creance_app::views::schema::MoneySchema, creance_app::views::schema::DueSchema)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// `GET /api/openapi.json` (needs a token, like every route but health).
pub async fn serve(_scope: Scope) -> Json<serde_json::Value> {
    Json(document())
}

/// The document as served: [`ApiDoc`] made to match what the server answers ([`conform`]).
pub fn document() -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    conform(&mut doc);
    doc
}

/// Query parameters the server parses as whole numbers (`params::int`), with their bounds.
fn integer_parameter(name: &str) -> Option<Value> {
    match name {
        "limit" => Some(json!({"type": "integer", "format": "int64", "minimum": 1, "maximum": PAGE_LIMIT_MAX})),
        "offset" => Some(json!({"type": "integer", "format": "int64", "minimum": 0})),
        "days_overdue_min" | "days_overdue_max" | "dunning_level" => {
            Some(json!({"type": "integer", "format": "int64"}))
        }
        _ if name.ends_with("_id") => Some(json!({"type": "integer", "format": "int64"})),
        _ => None,
    }
}

/// A query parameter's schema: its type, or empty, which the server reads as not given (an HTML
/// form sends its empty fields).
fn or_empty(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "string", "maxLength": 0}]})
}

/// Query parameters the server parses as dates (`params::date`).
const DATE_PARAMETERS: &[&str] = &["as_of", "date_from", "date_to", "due_from", "due_to", "documents_to", "from", "to"];
/// Query parameters the server parses as flags (`query_args::flag`): these spellings, nothing else.
const FLAG_PARAMETERS: &[&str] = &["overdue", "unallocated", "show_future", "to_allocate", "in_progress"];

/// What every route answers besides its own statuses, all as `application/problem+json`:
/// 401/403 on every route that needs a token (no token, a revoked one, a role too low, another
/// company), 400 where a parameter or body can be malformed, 404 where the path, a `…_id` parameter or
/// the body names a resource, 409 where a resource's state can forbid it, 413/415 where there is a body
/// (too large, not JSON), 422 where a field or rule can reject the request (or an `Idempotency-Key` is
/// reused for another request), and an opaque 500 (logged) anywhere.
fn error_statuses(method: &str, op: &Value) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let secured = op.get("security").is_some();
    let params = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
    let has_path = params.iter().any(|p| p["in"] == "path");
    let has_query = params.iter().any(|p| p["in"] == "query");
    let has_body = op.get("requestBody").is_some();
    let names_an_id =
        params.iter().any(|p| p["in"] == "query" && p["name"].as_str().is_some_and(|n| n.ends_with("_id")));
    let mutating = method != "get";
    if has_path || has_query || has_body {
        out.push(("400", "a malformed parameter or body, naming it"));
    }
    if secured {
        out.push(("401", "no token, or not a live one"));
        out.push(("403", "the token's role is too low, or the path names another company"));
    }
    if has_path || names_an_id || has_body {
        out.push(("404", "no such resource (or one the request names) in the company"));
    }
    if mutating || has_path {
        out.push(("409", "the resource's state does not allow it"));
    }
    if has_body {
        out.push(("413", "the body is larger than the server accepts"));
        out.push(("415", "the body is not application/json"));
    }
    if has_body || mutating || has_path || has_query {
        out.push(("422", "a field or a rule rejected the request, naming the field"));
    }
    out.push(("500", "an internal error; it has been logged"));
    out
}

/// Makes the generated document say what the server does (issue 9 point 19):
/// - every error answer is `application/problem+json` with the [`Problem`] schema, and each route lists
///   the error statuses it can answer ([`error_statuses`]);
/// - query parameters read as strings but parsed as integers, dates or flags carry those types;
/// - a request body is `required` only when its schema has a required field (an empty body is read
///   as `{}`);
/// - imports also take `text/csv`;
/// - a list with a `format` parameter also answers `text/csv` and `application/pdf` (`crate::export`).
fn conform(doc: &mut Value) {
    let problem = json!({"$ref": "#/components/schemas/Problem"});
    let schemas = doc["components"]["schemas"].clone();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, op) in item.iter_mut() {
            if !["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            for p in op.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
                if p["in"] != "query" {
                    continue;
                }
                let name = p["name"].as_str().unwrap_or_default().to_string();
                if let Some(schema) = integer_parameter(&name) {
                    p["schema"] = or_empty(schema);
                } else if DATE_PARAMETERS.contains(&name.as_str()) {
                    p["schema"] = or_empty(json!({"type": "string", "format": "date"}));
                } else if FLAG_PARAMETERS.contains(&name.as_str()) {
                    p["schema"] = json!({"type": "string", "enum": ["true", "false", "1", "0", "yes", "no", ""]});
                } else if name == "format" {
                    p["schema"] = json!({"type": "string", "enum": ["json", "csv", "pdf"]});
                } else if name == "dialect" {
                    p["schema"] = json!({"type": "string", "enum": ["standard", "excel"]});
                }
            }
            let exports = op["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["name"] == "format"));
            if exports {
                let ok = &mut op["responses"]["200"]["content"];
                ok["text/csv"] = json!({"schema": {"type": "string"}});
                ok["application/pdf"] = json!({"schema": {"type": "string", "format": "binary"}});
            }
            if let Some(body) = op.get_mut("requestBody") {
                let schema = &body["content"]["application/json"]["schema"];
                let target = schema["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .map_or(schema, |name| &schemas[name]);
                let required = target["required"].as_array().is_some_and(|r| !r.is_empty());
                body["required"] = json!(required);
                if path.ends_with("/imports/{entity}") {
                    body["content"]["text/csv"] = json!({"schema": {"type": "string"}});
                }
            }
            let statuses = error_statuses(method, op);
            let responses = op["responses"].as_object_mut();
            let Some(responses) = responses else { continue };
            for (status, description) in statuses {
                responses.entry(status).or_insert_with(|| json!({"description": description}));
            }
            for (status, response) in responses.iter_mut() {
                if status.starts_with('4') || status.starts_with('5') {
                    response["content"] = json!({"application/problem+json": {"schema": problem.clone()}});
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operations(doc: &Value) -> Vec<(String, String, Value)> {
        let mut out = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                out.push((method.clone(), path.clone(), op.clone()));
            }
        }
        out
    }

    /// Every `ToSchema` type of the workspace, by the name it gets in the document (its `as = …` if it
    /// has one): utoipa keeps only one schema per name, so two types with one name would document one
    /// route with the other's schema (the payment allocation `Proposal` was the dunning proposal).
    #[test]
    fn schema_names_do_not_collide() {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut names: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        let mut stack = vec![crates];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() && !path.ends_with("target") && !path.ends_with("tests") {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let lines: Vec<&str> = text.lines().collect();
                    for (i, line) in lines.iter().enumerate() {
                        if !(line.trim_start().starts_with("#[derive(") && line.contains("ToSchema")) {
                            continue;
                        }
                        let mut renamed = None;
                        for next in &lines[i + 1..] {
                            let next = next.trim();
                            if let Some(rest) = next.strip_prefix("#[schema(as = ") {
                                renamed = Some(rest.trim_end_matches(")]").to_string());
                            }
                            let decl = next.strip_prefix("pub ").unwrap_or(next);
                            if let Some(rest) = decl.strip_prefix("struct ").or_else(|| decl.strip_prefix("enum ")) {
                                let name: String =
                                    rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                                let name = renamed.unwrap_or(name);
                                names.entry(name).or_default().push(format!("{}:{}", path.display(), i + 1));
                                break;
                            }
                        }
                    }
                }
            }
        }
        assert!(names.len() > 50, "the scan found the schemas: {names:?}");
        let collisions: Vec<_> = names.iter().filter(|(_, at)| at.len() > 1).collect();
        assert!(collisions.is_empty(), "schema names defined twice: {collisions:?}");
        let doc = document();
        let proposal = &doc["paths"]["/api/v1/payments/{id}/proposal"]["get"]["responses"]["200"];
        assert_eq!(
            proposal["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/AllocationProposal"
        );
        assert!(doc["components"]["schemas"]["AllocationProposal"]["properties"]["lines"].is_object());
        assert!(doc["components"]["schemas"]["Proposal"]["properties"]["run"].is_object(), "the dunning proposal");
    }

    #[test]
    fn every_error_answer_is_problem_json_with_its_status_codes() {
        let doc = document();
        let ops = operations(&doc);
        assert!(ops.len() > 70);
        for (method, path, op) in &ops {
            let responses = op["responses"].as_object().unwrap();
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    let content = response["content"].as_object().unwrap();
                    assert_eq!(
                        content.keys().collect::<Vec<_>>(),
                        ["application/problem+json"],
                        "{method} {path} {status}"
                    );
                    assert_eq!(content["application/problem+json"]["schema"]["$ref"], "#/components/schemas/Problem");
                }
            }
            if path != "/api/health" {
                for status in ["401", "403", "500"] {
                    assert!(responses.contains_key(status), "{method} {path} documents {status}");
                }
            }
        }
        let record = &doc["paths"]["/api/v1/payments"]["post"]["responses"];
        for status in ["201", "400", "401", "403", "404", "409", "413", "415", "422", "500"] {
            assert!(record.get(status).is_some(), "POST /api/v1/payments documents {status}");
        }
        let get = &doc["paths"]["/api/v1/payments/{id}"]["get"]["responses"];
        assert!(get.get("404").is_some() && get.get("413").is_none(), "{get}");
    }

    #[test]
    fn integer_and_date_parameters_carry_their_types_and_formats() {
        let doc = document();
        let params = doc["paths"]["/api/v1/open-items"]["get"]["parameters"].as_array().unwrap().clone();
        let schema = |name: &str| params.iter().find(|p| p["name"] == name).unwrap()["schema"]["anyOf"][0].clone();
        assert_eq!(schema("customer_id"), json!({"type": "integer", "format": "int64"}));
        assert_eq!(schema("days_overdue_min"), json!({"type": "integer", "format": "int64"}));
        assert_eq!(schema("limit"), json!({"type": "integer", "format": "int64", "minimum": 1, "maximum": 10_000}));
        assert_eq!(schema("due_from"), json!({"type": "string", "format": "date"}));
        assert_eq!(schema("as_of"), json!({"type": "string", "format": "date"}));
        for (method, path, op) in operations(&doc) {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let schema = if p["in"] == "query" { p["schema"]["anyOf"][0].clone() } else { p["schema"].clone() };
                if name.ends_with("_id") || name == "offset" {
                    assert_eq!(schema["type"], "integer", "{method} {path} {name}");
                    assert_eq!(schema["format"], "int64", "{method} {path} {name}");
                }
                if name.starts_with("date_") || name.starts_with("due_") || name == "as_of" {
                    assert_eq!(schema["format"], "date", "{method} {path} {name}");
                }
            }
        }
    }

    #[test]
    fn a_request_body_is_required_only_when_it_has_a_required_field() {
        let doc = document();
        let required = |method: &str, path: &str| doc["paths"][path][method]["requestBody"]["required"].clone();
        assert_eq!(required("post", "/api/v1/payments"), json!(true), "amount and method are required");
        assert_eq!(required("post", "/api/v1/auto-allocations"), json!(false), "an empty body is a preview");
        assert_eq!(required("post", "/api/v1/dunning/proposals"), json!(false), "every criterion is optional");
        let imports = &doc["paths"]["/api/v1/imports/{entity}"]["post"]["requestBody"]["content"];
        assert!(imports.get("text/csv").is_some() && imports.get("application/json").is_some());
    }
}
