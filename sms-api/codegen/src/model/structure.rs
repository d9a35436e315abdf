//! What progenitor needs of any document: OpenAPI 3.0, a shape `openapiv3` reads, an
//! `operationId` on every operation, and `$ref`s that resolve.

use serde_json::Value;

use crate::document::Document;
use crate::problem::Problem;

/// The document as progenitor reads it, if it does, and the problems of every rule of this
/// file.
pub fn read(doc: &Document) -> (Option<openapiv3::OpenAPI>, Vec<Problem>) {
    let mut problems = openapi_version(doc);
    let openapi = match typed_parse(doc) {
        Ok(openapi) => Some(openapi),
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
    problems.extend(operation_ids(doc));
    problems.extend(references_resolve(doc));
    (openapi, problems)
}

/// progenitor reads OpenAPI 3.0 only.
fn openapi_version(doc: &Document) -> Vec<Problem> {
    match doc.raw.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => vec![],
        found => vec![Problem::error(
            "openapi-version",
            "#/openapi",
            format!("the document must be OpenAPI 3.0.x, it says {found:?}"),
            "set \"openapi\": \"3.0.3\" (progenitor reads 3.0 only)",
        )],
    }
}

/// The document must read as `openapiv3::OpenAPI`, the type progenitor generates from.
fn typed_parse(doc: &Document) -> Result<openapiv3::OpenAPI, Problem> {
    serde_json::from_value(doc.raw.clone()).map_err(|e| {
        Problem::error(
            "openapi-structure",
            "#",
            format!("openapiv3 cannot read the document: {e}"),
            "fix the structure the message names",
        )
    })
}

/// progenitor names each client method after its operation's `operationId`.
fn operation_ids(doc: &Document) -> Vec<Problem> {
    doc.operations()
        .into_iter()
        .filter(|(_, _, op, _)| op.get("operationId").and_then(Value::as_str).is_none())
        .map(|(method, path, _, at)| {
            Problem::error(
                "operation-id",
                &at,
                format!("{method} {path} has no operationId"),
                "add an operationId in snake_case: it names the client method",
            )
        })
        .collect()
}

/// Every `$ref` points at something in this document.
fn references_resolve(doc: &Document) -> Vec<Problem> {
    doc.references()
        .into_iter()
        .filter(|(_, target)| !target.starts_with("#/") || doc.at(target).is_none())
        .map(|(at, target)| {
            Problem::error(
                "ref-resolves",
                &format!("{at}/$ref"),
                format!("`{target}` does not resolve in this document"),
                "point it at an existing component (#/components/...)",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(raw: Value) -> Vec<&'static str> {
        read(&Document { raw }).1.iter().map(|p| p.rule).collect()
    }

    #[test]
    fn a_minimal_document_passes() {
        let raw = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "a", "responses": {}}}}});
        assert_eq!(rules(raw), Vec::<&str>::new());
    }

    #[test]
    fn version_shape_operation_ids_and_references_are_each_named() {
        let raw = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "x",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}}}}}}});
        assert_eq!(
            rules(raw),
            ["openapi-version", "operation-id", "ref-resolves"]
        );
        let unreadable = json!({"openapi": "3.0.3", "paths": {}});
        assert_eq!(rules(unreadable), ["openapi-structure"]);
    }
}
