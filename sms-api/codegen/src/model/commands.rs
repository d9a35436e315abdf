//! Each operation as a command line sees it: its summary and description, and its inputs (path
//! and query parameters, the JSON body's top-level fields) with where each goes, whether it is
//! required, its description and its documented values. `sms_api::invoke` and the `sms`
//! command are built from this, so that an operation added to the spec is a command.

use serde_json::Value;

use super::Operation;
use crate::document::{Document, type_of};

/// One operation's command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// Its operationId.
    pub operation_id: String,
    /// Its method, upper case.
    pub method: String,
    /// Its path template.
    pub path: String,
    /// Its `summary` ("" without one).
    pub summary: String,
    /// Its `description` ("" without one).
    pub description: String,
    /// Whether it pages (`x-pagination`): its limit and offset are the paginator's, not inputs.
    pub paginated: bool,
    /// Its inputs, path parameters first (in path order), then query parameters, then body
    /// fields.
    pub inputs: Vec<Input>,
}

/// Where an input goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// A path parameter.
    Path,
    /// A query parameter.
    Query,
    /// A top-level field of the JSON request body.
    Body,
}

/// One input of a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// Its name in the spec.
    pub name: String,
    /// Where it goes.
    pub location: Location,
    /// Whether the spec requires it.
    pub required: bool,
    /// Its description ("" without one).
    pub description: String,
    /// Its schema's `type` (`string`, `integer`, `boolean`, `object`...; "" when unsaid).
    pub kind: String,
    /// Its documented values, for an enum.
    pub values: Vec<String>,
}

/// The command of every operation, in the model's order.
///
/// ```
/// use sms_api_codegen::model::Model;
/// use sms_api_codegen::model::commands::Location;
/// let spec = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "x-request-id-header": "X-Request-Id",
///   "components": {"securitySchemes": {"iam_token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token", "x-max-length": 16384}}},
///   "paths": {"/v3/things/{id}": {"delete": {"operationId": "delete_thing", "summary": "Delete a thing",
///     "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
///     "responses": {"204": {"description": "Done."}}}}}}"#;
/// let model = Model::read(spec).unwrap();
/// let command = &model.commands[0];
/// assert_eq!((command.summary.as_str(), command.inputs[0].location), ("Delete a thing", Location::Path));
/// ```
pub fn read(doc: &Document, operations: &[Operation]) -> Vec<Command> {
    operations
        .iter()
        .filter_map(|operation| {
            let op = doc.at(&operation.pointer)?;
            let text = |key: &str| {
                op.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            Some(Command {
                operation_id: operation.id.clone(),
                method: operation.method.clone(),
                path: operation.path.clone(),
                summary: text("summary"),
                description: text("description"),
                paginated: operation.pagination.is_some(),
                inputs: inputs(doc, operation, op),
            })
        })
        .collect()
}

/// The operation's inputs: its parameters (not the paginator's limit and offset), path ones
/// first, then its body's fields.
fn inputs(doc: &Document, operation: &Operation, op: &Value) -> Vec<Input> {
    let paging: Vec<&str> = operation
        .pagination
        .iter()
        .flat_map(|p| [p.limit.as_str(), p.offset.as_str()])
        .collect();
    let mut found: Vec<Input> = doc
        .parameters(op, &operation.pointer)
        .into_iter()
        .filter_map(|(parameter, _)| {
            let name = parameter.get("name").and_then(Value::as_str)?;
            let location = match parameter.get("in").and_then(Value::as_str)? {
                "path" => Location::Path,
                "query" if !paging.contains(&name) => Location::Query,
                _ => return None,
            };
            let required = parameter.get("required").and_then(Value::as_bool) == Some(true);
            Some(input(
                doc,
                name,
                location,
                required,
                parameter,
                parameter.get("schema"),
            ))
        })
        .collect();
    found.sort_by_key(|i| i.location != Location::Path);
    found.extend(body_fields(doc, op, &operation.pointer));
    found
}

/// The top-level fields of the operation's JSON request body.
fn body_fields(doc: &Document, op: &Value, at: &str) -> Vec<Input> {
    let Some((body, body_at)) = op
        .get("requestBody")
        .and_then(|b| doc.resolve(b, &format!("{at}/requestBody")))
    else {
        return Vec::new();
    };
    let Some((schema, _)) = body
        .pointer("/content/application~1json/schema")
        .and_then(|s| doc.resolve(s, &body_at))
    else {
        return Vec::new();
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let properties = schema.get("properties").and_then(Value::as_object);
    properties
        .into_iter()
        .flatten()
        .map(|(name, property)| {
            let required = required.contains(&name.as_str());
            input(
                doc,
                name,
                Location::Body,
                required,
                property,
                Some(property),
            )
        })
        .collect()
}

/// One input, its description from `described` (else its schema's) and its kind and values
/// from `schema`, references and `allOf` wrappers followed.
fn input(
    doc: &Document,
    name: &str,
    location: Location,
    required: bool,
    described: &Value,
    schema: Option<&Value>,
) -> Input {
    let schema = schema.and_then(|s| doc.resolve_wrapped(s, ""));
    let schema = schema.map(|(s, _)| s);
    let description = described
        .get("description")
        .or_else(|| schema?.get("description"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let values = schema
        .and_then(|s| s.get("enum"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    Input {
        name: name.to_owned(),
        location,
        required,
        description: description.to_owned(),
        kind: schema.and_then(type_of).unwrap_or_default().to_owned(),
        values,
    }
}
