//! The documented bounds of every query parameter, so that the client rejects an out-of-range
//! value before sending it (progenitor sends whatever it is given); the check that no bound
//! excludes every value.

use openapiv3::{OpenAPI, ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type};
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
    /// `minimum`, for an integer.
    pub minimum: Option<i64>,
    /// `maximum`, for an integer.
    pub maximum: Option<i64>,
    /// `maxLength`, for a string that is no enum.
    pub max_length: Option<usize>,
    /// The documented `default`, for an integer.
    pub default: Option<i64>,
}

/// Every query parameter with a range or a length limit.
pub fn collect(spec: &OpenAPI) -> Result<Vec<Bounds>, String> {
    let mut found = Vec::new();
    for (path, method, operation) in spec.operations() {
        let at = format!("{} {path}", method.to_uppercase());
        let operation_id = operation
            .operation_id
            .clone()
            .ok_or_else(|| format!("{at}: no operationId"))?;
        for parameter in &operation.parameters {
            let ReferenceOr::Item(parameter) = parameter else {
                continue;
            };
            let data = parameter.parameter_data_ref();
            let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format else {
                continue;
            };
            let (keywords, minimum, maximum, max_length) = match &schema.schema_kind {
                SchemaKind::Type(Type::Integer(i)) => {
                    (bound_keywords("integer", false), i.minimum, i.maximum, None)
                }
                SchemaKind::Type(Type::String(s)) => (
                    bound_keywords("string", !s.enumeration.is_empty()),
                    None,
                    None,
                    s.max_length,
                ),
                _ => continue,
            };
            let has = |keyword: &str| keywords.contains(&keyword);
            let (minimum, maximum, max_length) = (
                minimum.filter(|_| has("minimum")),
                maximum.filter(|_| has("maximum")),
                max_length.filter(|_| has("maxLength")),
            );
            let default = schema
                .schema_data
                .default
                .as_ref()
                .and_then(serde_json::Value::as_i64);
            if minimum.is_some() || maximum.is_some() || max_length.is_some() {
                found.push(Bounds {
                    operation_id: operation_id.clone(),
                    name: data.name.clone(),
                    minimum,
                    maximum,
                    max_length,
                    default,
                });
            }
        }
    }
    Ok(found)
}

impl Bounds {
    /// The name typify gives the newtype it makes of a length-limited string parameter
    /// (`ListTasksName` for `list_tasks`'s `name`), if this is one (`string_parameters.rs`
    /// makes it a plain `String`).
    pub fn string_newtype(&self) -> Option<String> {
        self.max_length?;
        Some(format!(
            "{}{}",
            type_name(&self.operation_id),
            type_name(&self.name)
        ))
    }
}

/// `minimum` ≤ `maximum` and `minLength` ≤ `maxLength` wherever both are given.
pub fn check(doc: &Document) -> Vec<Problem> {
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
