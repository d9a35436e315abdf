//! The documented bounds of every query and path parameter, so that the client rejects an
//! out-of-range value before sending it (progenitor sends whatever it is given); the check that
//! no bound excludes every value.

use serde_json::Value;

use super::bound_kinds::bound_keywords;
use crate::document::Document;
use crate::names::type_name;
use crate::problem::Problem;

/// One parameter's bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// The operation it belongs to.
    pub operation_id: String,
    /// The parameter's name.
    pub name: String,
    /// Where it goes: `query` or `path`.
    pub location: String,
    /// `minimum`, for an integer.
    pub minimum: Option<i64>,
    /// `maximum`, for an integer.
    pub maximum: Option<i64>,
    /// `maxLength`, for a string that is no enum.
    pub max_length: Option<usize>,
    /// `minLength`, for a string that is no enum (a path parameter's is at least 1: an empty
    /// segment would address another resource).
    pub min_length: Option<usize>,
    /// The documented `default`, for an integer.
    pub default: Option<i64>,
}

/// Every parameter with a range or a length limit (of a schema written in place: one given by
/// `$ref` is an enum's, checked by the open enums), and the problems of bounds out of order.
pub fn read(doc: &Document) -> (Vec<Bounds>, Vec<Problem>) {
    let mut found = Vec::new();
    for (_, _, operation, at) in doc.operations() {
        let operation_id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        for (parameter, _) in doc.parameters(operation, &at) {
            let Some(schema) = parameter.get("schema").filter(|s| s.get("$ref").is_none()) else {
                continue;
            };
            // The client checks whole numbers and string lengths (as `send/bounds.rs` holds them).
            let json_type = match schema.get("type").and_then(Value::as_str) {
                Some(json_type @ ("integer" | "string")) => json_type,
                _ => continue,
            };
            let keywords = bound_keywords(json_type, schema.get("enum").is_some());
            let bound = |keyword: &str| {
                keywords
                    .contains(&keyword)
                    .then(|| schema.get(keyword))
                    .flatten()
            };
            let location = parameter
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !matches!(location, "query" | "path") {
                continue;
            }
            let length = |keyword: &str| {
                (json_type == "string" && schema.get("enum").is_none())
                    .then(|| schema.get(keyword))
                    .flatten()
                    .and_then(Value::as_u64)
                    .and_then(|n| usize::try_from(n).ok())
            };
            let (minimum, maximum, max_length) = (
                bound("minimum").and_then(Value::as_i64),
                bound("maximum").and_then(Value::as_i64),
                length("maxLength"),
            );
            let min_length = match (location, length("minLength")) {
                ("path", declared) => Some(declared.unwrap_or(1).max(1)),
                (_, declared) => declared,
            };
            if minimum.is_some()
                || maximum.is_some()
                || max_length.is_some()
                || min_length.is_some()
            {
                found.push(Bounds {
                    operation_id: operation_id.to_owned(),
                    name: parameter
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    location: location.to_owned(),
                    minimum,
                    maximum,
                    max_length,
                    min_length,
                    default: schema.get("default").and_then(Value::as_i64),
                });
            }
        }
    }
    (found, in_order(doc))
}

impl Bounds {
    /// The name typify gives the newtype it makes of a length-limited string parameter
    /// (`ListTasksName` for `list_tasks`'s `name`), if this is one (`string_parameters.rs`
    /// makes it a plain `String`).
    pub fn string_newtype(&self) -> Option<String> {
        if self.max_length.is_none() && self.min_length.is_none() {
            return None;
        }
        Some(format!(
            "{}{}",
            type_name(&self.operation_id),
            type_name(&self.name)
        ))
    }
}

/// `minimum` ≤ `maximum` and `minLength` ≤ `maxLength` wherever both are given.
fn in_order(doc: &Document) -> Vec<Problem> {
    let schemas = doc.every_schema();
    let mut findings = Vec::new();
    for (schema, at) in &schemas {
        for (low, high) in [("minimum", "maximum"), ("minLength", "maxLength")] {
            let (Some(l), Some(h)) = (
                schema.get(low).and_then(Value::as_f64),
                schema.get(high).and_then(Value::as_f64),
            ) else {
                continue;
            };
            if l > h {
                findings.push(Problem::error(
                    "bounds-order",
                    at,
                    format!("`{low}` {l} is above `{high}` {h}: no value is allowed"),
                    format!("correct `{low}` or `{high}`"),
                ));
            }
        }
    }
    findings
}
