//! Checks every documented response example against its schema: types and required fields are
//! errors; an enum value outside the documented list is a warning, because the service sends them.

use serde_json::Value;

use sms_api_codegen::document::{Document, escape, nullable, type_of};
use sms_api_codegen::problem::Problem;

/// Every response example of every operation, checked against its media type's schema.
pub fn check(doc: &Document) -> Vec<Problem> {
    let mut findings = Vec::new();
    for (_, _, op, at) in doc.operations() {
        for (content, c_at) in doc.response_contents(op, &at) {
            let Some(schema) = content.get("schema") else {
                continue;
            };
            let schema_at = format!("{c_at}/schema");
            if let Some(example) = content.get("example") {
                check_value(
                    doc,
                    schema,
                    &schema_at,
                    example,
                    &format!("{c_at}/example"),
                    &mut findings,
                );
            }
            for (name, example) in content
                .get("examples")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let e_at = format!("{c_at}/examples/{}", escape(name));
                let Some((example, e_at)) = doc.resolve(example, &e_at) else {
                    continue;
                };
                if let Some(value) = example.get("value") {
                    check_value(
                        doc,
                        schema,
                        &schema_at,
                        value,
                        &format!("{e_at}/value"),
                        &mut findings,
                    );
                }
            }
        }
    }
    findings
}

/// Checks `value` (at `value_at`) against `schema` (at `schema_at`).
fn check_value(
    doc: &Document,
    schema: &Value,
    schema_at: &str,
    value: &Value,
    value_at: &str,
    findings: &mut Vec<Problem>,
) {
    let Some((schema, schema_at)) = doc.resolve(schema, schema_at) else {
        return;
    };
    if value.is_null() {
        if !nullable(schema) {
            findings.push(Problem::error(
                "example-type",
                value_at,
                format!("null, but the schema at {schema_at} is not nullable"),
                "mark the schema \"nullable\": true (the service sends null)",
            ));
        }
        return;
    }
    for (i, part) in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        check_value(
            doc,
            part,
            &format!("{schema_at}/allOf/{i}"),
            value,
            value_at,
            findings,
        );
    }
    let kind = type_of(schema).or_else(|| schema.get("properties").map(|_| "object"));
    let matches = match kind {
        None => true,
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        Some(_) => true,
    };
    if !matches {
        findings.push(Problem::error(
            "example-type",
            value_at,
            format!(
                "{value} is not of type {} (schema at {schema_at})",
                kind.unwrap_or_default()
            ),
            "fix the example or the schema's type",
        ));
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        findings.push(Problem::warning(
            "example-enum",
            value_at,
            format!("{value} is not a documented value of the enum at {schema_at}"),
            "nothing to do if the service really sends it: the client decodes it as UnknownValue",
        ));
    }
    if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
        for (i, item) in values.iter().enumerate() {
            check_value(
                doc,
                items,
                &format!("{schema_at}/items"),
                item,
                &format!("{value_at}/{i}"),
                findings,
            );
        }
    }
    if let Some(object) = value.as_object() {
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(required) {
                findings.push(Problem::error(
                    "example-required",
                    value_at,
                    format!("required field `{required}` is missing (schema at {schema_at})"),
                    "add the field to the example, or make it optional",
                ));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, field) in object {
            if let Some(property) = properties.and_then(|p| p.get(name)) {
                let p_at = format!("{schema_at}/properties/{}", escape(name));
                check_value(
                    doc,
                    property,
                    &p_at,
                    field,
                    &format!("{value_at}/{}", escape(name)),
                    findings,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use sms_api_codegen::problem::Severity;

    fn spec_with_example(example: Value) -> Document {
        Document {
            raw: json!({
                "paths": {"/t": {"get": {"responses": {"200": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Page"},
                    "examples": {"doc": {"value": example}}}}}}}}},
                "components": {"schemas": {
                    "Page": {"type": "object", "required": ["count"], "properties": {
                        "count": {"type": "integer", "format": "int32"},
                        "names": {"type": "array", "nullable": true, "items": {"type": "string"}},
                        "state": {"allOf": [{"$ref": "#/components/schemas/State"}], "nullable": true}}},
                    "State": {"type": "string", "enum": ["READY"]}
                }}
            }),
        }
    }

    #[test]
    fn a_matching_example_passes() {
        let findings = check(&spec_with_example(
            json!({"count": 1, "names": null, "state": "READY", "extra": 1}),
        ));
        assert_eq!(findings, vec![]);
    }

    #[test]
    fn wrong_types_and_missing_required_fields_are_errors() {
        let findings = check(&spec_with_example(
            json!({"names": ["a", 2], "state": null}),
        ));
        let summary: Vec<(Severity, &str, &str)> = findings
            .iter()
            .map(|f| (f.severity, f.rule, f.pointer.as_str()))
            .collect();
        let value = "#/paths/~1t/get/responses/200/content/application~1json/examples/doc/value";
        assert_eq!(
            summary,
            vec![
                (Severity::Error, "example-required", value),
                (
                    Severity::Error,
                    "example-type",
                    &*format!("{value}/names/1")
                ),
            ]
        );
    }

    #[test]
    fn an_undocumented_enum_value_is_a_warning() {
        let findings = check(&spec_with_example(
            json!({"count": 1, "state": "AVAILABLE"}),
        ));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Warning);
        assert_eq!(findings[0].rule, "example-enum");
    }

    #[test]
    fn null_where_not_nullable_is_an_error() {
        let findings = check(&spec_with_example(json!({"count": null})));
        assert_eq!(findings[0].rule, "example-type");
        assert!(findings[0].message.contains("not nullable"));
    }
}
