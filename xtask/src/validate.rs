//! `cargo xtask validate`: the rules this project's spec lives by.
//!
//! Each rule is a function from the spec to its findings; `run` applies them all.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::examples;
use crate::finding::Finding;
use crate::spec::{Spec, description, escape, nullable, type_of, walk_schema};
use crate::validate_gate;

#[path = "../../sms-api/build/send/bound_kinds.rs"]
mod bound_kinds;
use bound_kinds::bound_keywords;

/// Formats that make a generated type parse (and so reject) the value.
const PARSING_FORMATS: [&str; 10] = [
    "uuid",
    "ipv4",
    "ipv6",
    "date-time",
    "date",
    "time",
    "uri",
    "email",
    "hostname",
    "byte",
];

/// Keywords that would make a response schema reject real data.
const REJECTING_KEYWORDS: [&str; 10] = [
    "maxLength",
    "minLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
];

/// Applies every rule; `text` is the document as read, for the typed (openapiv3) parse.
pub fn run(spec: &Spec, text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(openapi_version(spec));
    findings.extend(typed_parse(text));
    findings.extend(operation_ids(spec));
    findings.extend(references_resolve(spec));
    findings.extend(unused_components(spec));
    findings.extend(descriptions(spec));
    findings.extend(enum_values_explained(spec));
    findings.extend(numeric_formats(spec));
    findings.extend(request_bounds(spec));
    findings.extend(response_tolerance(spec));
    findings.extend(examples::check(spec));
    findings.extend(validate_gate::enum_names(spec));
    findings.extend(validate_gate::bounds_in_order(&all_schemas(spec)));
    findings.extend(validate_gate::pagination(spec));
    findings.extend(validate_gate::filter_fields(spec));
    findings.extend(validate_gate::waiter_declarations(spec));
    findings.extend(validate_gate::region_ids(spec));
    findings
}

/// progenitor reads OpenAPI 3.0 only.
pub fn openapi_version(spec: &Spec) -> Vec<Finding> {
    match spec.raw.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => vec![],
        found => vec![Finding::error(
            "openapi-version",
            "#/openapi",
            format!("the document must be OpenAPI 3.0.x, it says {found:?}"),
            "set \"openapi\": \"3.0.3\" (progenitor reads 3.0 only)",
        )],
    }
}

/// The document must parse with openapiv3, the crate progenitor uses.
pub fn typed_parse(text: &str) -> Vec<Finding> {
    match serde_json::from_str::<openapiv3::OpenAPI>(text) {
        Ok(_) => vec![],
        Err(e) => vec![Finding::error(
            "openapi-structure",
            "#",
            format!("openapiv3 cannot read the document: {e}"),
            "fix the structure at that line and column",
        )],
    }
}

pub fn operation_ids(spec: &Spec) -> Vec<Finding> {
    spec.operations()
        .into_iter()
        .filter(|(_, _, op, _)| op.get("operationId").and_then(Value::as_str).is_none())
        .map(|(method, path, _, at)| {
            Finding::error(
                "operation-id",
                &at,
                format!("{method} {path} has no operationId"),
                "add an operationId in snake_case: it names the client method",
            )
        })
        .collect()
}

/// Every `$ref` in the document, with the pointer of the object holding it.
fn references(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                found.push((at.to_owned(), target.to_owned()));
            }
            for (key, nested) in map {
                references(nested, &format!("{at}/{}", escape(key)), found);
            }
        }
        Value::Array(items) => {
            for (i, nested) in items.iter().enumerate() {
                references(nested, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

pub fn references_resolve(spec: &Spec) -> Vec<Finding> {
    let mut refs = Vec::new();
    references(&spec.raw, "#", &mut refs);
    refs.into_iter()
        .filter(|(_, target)| !target.starts_with("#/") || spec.at(target).is_none())
        .map(|(at, target)| {
            Finding::error(
                "ref-resolves",
                &format!("{at}/$ref"),
                format!("`{target}` does not resolve in this document"),
                "point it at an existing component (#/components/...)",
            )
        })
        .collect()
}

pub fn unused_components(spec: &Spec) -> Vec<Finding> {
    let mut refs = Vec::new();
    references(&spec.raw, "#", &mut refs);
    let mut used: BTreeSet<String> = refs.into_iter().map(|(_, target)| target).collect();
    let mut requirements = Vec::new();
    if let Some(top) = spec.raw.get("security") {
        requirements.push(top);
    }
    for (_, _, op, _) in spec.operations() {
        requirements.extend(op.get("security"));
    }
    for list in requirements.iter().filter_map(|r| r.as_array()) {
        for requirement in list.iter().filter_map(Value::as_object) {
            used.extend(
                requirement
                    .keys()
                    .map(|k| format!("#/components/securitySchemes/{}", escape(k))),
            );
        }
    }
    let mut findings = Vec::new();
    if let Some(components) = spec.raw.get("components").and_then(Value::as_object) {
        for (kind, entries) in components {
            for name in entries.as_object().into_iter().flat_map(|e| e.keys()) {
                let at = format!("#/components/{kind}/{}", escape(name));
                if !used.contains(&at) {
                    findings.push(Finding::error(
                        "unused-component",
                        &at,
                        format!("{kind} `{name}` is never referenced"),
                        "reference it or remove it",
                    ));
                }
            }
        }
    }
    findings
}

/// Component schemas, parameters, and every property everywhere need a description.
pub fn descriptions(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut missing = |at: &str, what: &str| {
        findings.push(Finding::error(
            "description",
            at,
            format!("{what} has no description"),
            "add a \"description\" (next to a $ref it is ignored: wrap the $ref in allOf)",
        ));
    };
    for (_, _, op, at) in spec.operations() {
        for (parameter, p_at) in spec.parameters(op, &at) {
            if description(parameter).is_empty() {
                missing(&p_at, "this parameter");
            }
        }
    }
    for (schema, at) in component_schemas(spec) {
        if description(schema).is_empty() {
            missing(&at, "this schema");
        }
        walk_schema(schema, &at, &mut |nested, nested_at| {
            for (name, property) in nested
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if description(property).is_empty() || property.get("$ref").is_some() {
                    missing(
                        &format!("{nested_at}/properties/{}", escape(name)),
                        &format!("property `{name}`"),
                    );
                }
            }
        });
    }
    findings
}

fn component_schemas(spec: &Spec) -> Vec<(&Value, String)> {
    spec.raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, schema)| (schema, format!("#/components/schemas/{}", escape(name))))
        .collect()
}

/// Every schema in the document: component schemas and the schemas of parameters and media types.
fn all_schemas(spec: &Spec) -> Vec<(&Value, String)> {
    let mut roots = component_schemas(spec);
    for (_, _, op, at) in spec.operations() {
        if let Some(list) = op.get("parameters").and_then(Value::as_array) {
            for (i, p) in list.iter().enumerate() {
                if let Some(schema) = p.get("schema") {
                    roots.push((schema, format!("{at}/parameters/{i}/schema")));
                }
            }
        }
        for (schema, s_at) in response_roots(spec, op, &at) {
            roots.push((schema, s_at));
        }
    }
    let mut all = Vec::new();
    for (root, at) in roots {
        walk_schema(root, &at, &mut |schema, s_at| {
            all.push((schema, s_at.to_owned()))
        });
    }
    all
}

/// The schemas of an operation's response bodies.
fn response_roots<'a>(spec: &'a Spec, op: &'a Value, at: &str) -> Vec<(&'a Value, String)> {
    spec.response_contents(op, at)
        .into_iter()
        .filter_map(|(content, c_at)| Some((content.get("schema")?, format!("{c_at}/schema"))))
        .collect()
}

/// Each enum value's meaning is written once: in `x-enum-descriptions` (the generated docs and
/// anything else that needs it derive from there), not again in the description.
pub fn enum_values_explained(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (schema, at) in all_schemas(spec) {
        let Some(values) = schema.get("enum").and_then(Value::as_array) else {
            continue;
        };
        let meanings = schema.get("x-enum-descriptions").and_then(Value::as_array);
        let text = description(schema);
        for (i, value) in values.iter().enumerate() {
            let shown = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let meaning = meanings
                .and_then(|m| m.get(i))
                .and_then(Value::as_str)
                .unwrap_or_default();
            if meaning.trim().is_empty() {
                findings.push(Finding::error(
                    "enum-explained",
                    &at,
                    format!("enum value `{shown}` has no meaning in `x-enum-descriptions`"),
                    format!("add its meaning at index {i} of `x-enum-descriptions`"),
                ));
            }
            if text.contains(&format!("- `{shown}`")) {
                findings.push(Finding::error(
                    "enum-explained",
                    &at,
                    format!("enum value `{shown}` is explained twice: in the description and in `x-enum-descriptions`"),
                    "keep its meaning in `x-enum-descriptions` only, and remove the line from the description",
                ));
            }
        }
    }
    findings
}

pub fn numeric_formats(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (schema, at) in all_schemas(spec) {
        let format = schema.get("format").and_then(Value::as_str);
        let (ok, expected) = match type_of(schema) {
            Some("integer") => (matches!(format, Some("int32" | "int64")), "int32 or int64"),
            Some("number") => (
                matches!(format, Some("float" | "double")),
                "float or double",
            ),
            _ => continue,
        };
        if !ok {
            findings.push(Finding::error(
                "numeric-format",
                &at,
                format!(
                    "a {} without a format {expected} (found {format:?})",
                    type_of(schema).unwrap_or_default()
                ),
                format!("add \"format\": one of {expected}, as the official SDKs type it"),
            ));
        }
    }
    findings
}

/// Request parameters keep their documented bounds, so that the client can check them (which
/// bounds, by type: the build script's own rule).
pub fn request_bounds(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, _, op, at) in spec.operations() {
        for (parameter, p_at) in spec.parameters(op, &at) {
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
            let Some(schema) = parameter.get("schema") else {
                findings.push(Finding::error(
                    "request-bounds",
                    &p_at,
                    format!("parameter `{name}` has no schema"),
                    "add a schema",
                ));
                continue;
            };
            let Some((schema, _)) = spec.resolve(schema, &format!("{p_at}/schema")) else {
                continue;
            };
            let keywords =
                bound_keywords(type_of(schema).unwrap_or(""), schema.get("enum").is_some());
            let missing: Vec<&str> = keywords
                .iter()
                .copied()
                .filter(|k| schema.get(k).is_none())
                .collect();
            if !missing.is_empty() {
                findings.push(Finding::error(
                    "request-bounds",
                    &format!("{p_at}/schema"),
                    format!(
                        "parameter `{name}` lost its documented bounds: no {}",
                        missing.join(", ")
                    ),
                    "restore the range or length from the API reference",
                ));
            }
        }
    }
    findings
}

/// Response schemas accept whatever the service really sends.
pub fn response_tolerance(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = BTreeSet::new();
    let mut pending: Vec<(&Value, String)> = Vec::new();
    for (_, _, op, at) in spec.operations() {
        pending.extend(response_roots(spec, op, &at));
    }
    while let Some((root, root_at)) = pending.pop() {
        if !seen.insert(root_at.clone()) {
            continue;
        }
        walk_schema(root, &root_at, &mut |schema, at| {
            if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
                if let Some(resolved) = spec.at(target) {
                    pending.push((resolved, target.to_owned()));
                }
                return;
            }
            if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
                findings.push(Finding::error(
                    "response-tolerance",
                    at,
                    "`additionalProperties: false` rejects fields the service adds",
                    "remove it",
                ));
            }
            for keyword in REJECTING_KEYWORDS
                .iter()
                .filter(|k| schema.get(**k).is_some())
            {
                findings.push(Finding::error(
                    "response-tolerance",
                    at,
                    format!("`{keyword}` on a response schema would reject real data"),
                    "move the documented limit into the description",
                ));
            }
            if let Some(format) = schema
                .get("format")
                .and_then(Value::as_str)
                .filter(|f| PARSING_FORMATS.contains(f))
            {
                findings.push(Finding::error(
                    "response-tolerance",
                    at,
                    format!("format `{format}` makes the generated type parse the value (the service sends masked ids and IPs)"),
                    "remove the format and describe it in the description",
                ));
            }
            if schema
                .get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| !r.is_empty())
            {
                findings.push(Finding::error(
                    "response-tolerance",
                    at,
                    "`required` fields fail decoding when the service omits them",
                    "remove `required`: every response field is optional",
                ));
            }
            for (name, property) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let p_at = format!("{at}/properties/{}", escape(name));
                let Some((resolved, _)) = spec.resolve(first_all_of(property), &p_at) else {
                    continue;
                };
                let container = matches!(type_of(resolved), Some("array" | "object"))
                    || resolved.get("properties").is_some();
                if container && !nullable(property) {
                    findings.push(Finding::error(
                        "response-nullable",
                        &p_at,
                        format!("`{name}` is an array or object the service may send as null"),
                        "add \"nullable\": true (for a $ref: {\"allOf\": [{\"$ref\": ...}], \"nullable\": true})",
                    ));
                }
            }
        });
    }
    findings
}

/// `{"allOf": [X]}` stands for X.
fn first_all_of(schema: &Value) -> &Value {
    match schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([only]) => only,
        _ => schema,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(raw: Value) -> Spec {
        Spec { raw }
    }

    /// A small clean spec that each test breaks in one way.
    fn clean() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/v3/tasks": {"get": {
                "operationId": "list_tasks",
                "parameters": [{"name": "limit", "in": "query", "description": "Page size.",
                    "schema": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 200}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Page"},
                    "example": {"count": 1, "tasks": [{"state": "READY"}]}}}}}
            }}},
            "components": {"schemas": {
                "Page": {"type": "object", "description": "A page.", "properties": {
                    "count": {"type": "integer", "format": "int32", "description": "Total."},
                    "tasks": {"type": "array", "nullable": true, "description": "Tasks.",
                              "items": {"$ref": "#/components/schemas/Task"}}}},
                "Task": {"type": "object", "description": "A task.", "properties": {
                    "state": {"allOf": [{"$ref": "#/components/schemas/State"}], "nullable": true, "description": "State."}}},
                "State": {"type": "string", "description": "A state.", "enum": ["READY"],
                          "x-enum-descriptions": ["ready"]}
            }}
        })
    }

    fn rules_broken(raw: Value) -> Vec<&'static str> {
        let text = raw.to_string();
        run(&spec(raw), &text).into_iter().map(|f| f.rule).collect()
    }

    #[test]
    fn the_clean_spec_passes() {
        assert_eq!(rules_broken(clean()), Vec::<&str>::new());
    }

    #[test]
    fn the_real_spec_passes() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/sms-list-tasks.json");
        let text = std::fs::read_to_string(path).unwrap();
        let findings = run(&Spec::parse(&text, path).unwrap(), &text);
        let errors: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == crate::finding::Severity::Error)
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "{}", errors.join("\n"));
        // The documented example's source-server state `AVAILABLE` is undocumented: a warning.
        assert!(
            findings
                .iter()
                .any(|f| f.rule == "example-enum" && f.message.contains("AVAILABLE"))
        );
    }

    #[test]
    fn each_enum_value_is_explained_once_in_x_enum_descriptions() {
        let mut raw = clean();
        raw["components"]["schemas"]["State"]["x-enum-descriptions"] = json!([""]);
        assert_eq!(rules_broken(raw), ["enum-explained"]);
        let mut raw = clean();
        raw["components"]["schemas"]["State"]["description"] = json!("A state.\n- `READY`: ready");
        assert_eq!(rules_broken(raw), ["enum-explained"]);
    }

    #[test]
    fn catches_servers_without_a_distinct_region_id() {
        let mut raw = clean();
        raw["servers"] = json!([
            {"url": "https://a", "x-region-id": "cn-north-4"},
            {"url": "https://b", "x-region-id": "cn-north-4"},
            {"url": "https://c"},
            {"url": "https://d", "x-region-id": "CN North"}
        ]);
        assert_eq!(rules_broken(raw), ["region-id", "region-id", "region-id"]);
    }

    #[test]
    fn catches_enum_lists_that_are_not_strings() {
        let mut raw = clean();
        raw["components"]["schemas"]["State"]["x-enum-varnames"] = json!([1]);
        assert_eq!(rules_broken(raw), ["enum-lists"]);
    }

    #[test]
    fn catches_inverted_bounds() {
        let mut raw = clean();
        raw["paths"]["/v3/tasks"]["get"]["parameters"][0]["schema"]["minimum"] = json!(300);
        assert_eq!(rules_broken(raw), ["bounds-order"]);
    }

    #[test]
    fn catches_enum_lists_of_the_wrong_length_and_colliding_names() {
        let mut raw = clean();
        raw["components"]["schemas"]["State"]["x-enum-descriptions"] = json!(["one", "two"]);
        assert_eq!(rules_broken(raw), ["enum-lists"]);
        let mut raw = clean();
        let state = &mut raw["components"]["schemas"]["State"];
        state["enum"] = json!(["READY", "ready"]);
        state["x-enum-descriptions"] = json!(["ready", "also ready"]);
        assert_eq!(rules_broken(raw), ["enum-names"]);
        let mut raw = clean();
        let state = &mut raw["components"]["schemas"]["State"];
        state["enum"] = json!(["READY", "SELF"]);
        state["x-enum-descriptions"] = json!(["ready", "self"]);
        state["x-enum-varnames"] = json!(["Ready", "Self"]);
        assert_eq!(rules_broken(raw), ["enum-names"]);
    }

    #[test]
    fn checks_x_pagination_against_the_operation() {
        let mut raw = clean();
        raw["paths"]["/v3/tasks"]["get"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(
                json!({"name": "offset", "in": "query", "description": "Start.",
                "schema": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 65535}}),
            );
        let paginated = |pagination: Value| {
            let mut raw = raw.clone();
            raw["paths"]["/v3/tasks"]["get"]["x-pagination"] = pagination;
            rules_broken(raw)
        };
        assert_eq!(
            paginated(
                json!({"limit": "limit", "offset": "offset", "count": "count", "items": "tasks"})
            ),
            Vec::<&str>::new()
        );
        for broken in [
            json!({"limit": "limit", "offset": "offset", "count": "count"}),
            json!({"limit": "limit", "offset": "offset", "count": "count", "items": "tasks", "next": "x"}),
            json!({"limit": "size", "offset": "offset", "count": "count", "items": "tasks"}),
            json!({"limit": "limit", "offset": "offset", "count": "tasks", "items": "tasks"}),
            json!({"limit": "limit", "offset": "offset", "count": "count", "items": "count"}),
        ] {
            assert_eq!(paginated(broken.clone()), ["pagination"], "{broken}");
        }
    }

    #[test]
    fn checks_each_filter_s_field_against_the_items() {
        let mut raw = clean();
        let parameters = raw["paths"]["/v3/tasks"]["get"]["parameters"]
            .as_array_mut()
            .unwrap();
        parameters.push(
            json!({"name": "offset", "in": "query", "description": "Start.",
            "schema": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 65535}}),
        );
        parameters.push(
            json!({"name": "state", "in": "query", "description": "State.",
            "schema": {"$ref": "#/components/schemas/State"}}),
        );
        raw["paths"]["/v3/tasks"]["get"]["x-pagination"] =
            json!({"limit": "limit", "offset": "offset", "count": "count", "items": "tasks"});
        let with_field = |field: Option<Value>| {
            let mut raw = raw.clone();
            if let Some(field) = field {
                raw["paths"]["/v3/tasks"]["get"]["parameters"][2]["x-filter-field"] = field;
            }
            let text = raw.to_string();
            run(&spec(raw), &text)
                .into_iter()
                .map(|f| (f.rule, f.severity == crate::finding::Severity::Error))
                .collect::<Vec<_>>()
        };
        assert_eq!(with_field(Some(json!("state"))), []);
        // Missing: a warning (the fake answers 400 to it).
        assert_eq!(with_field(None), [("filter-field", false)]);
        for broken in [
            json!("status"),
            json!("state..x"),
            json!(""),
            json!(7),
            json!("state.id"),
        ] {
            assert_eq!(
                with_field(Some(broken.clone())),
                [("filter-field", true)],
                "{broken}"
            );
        }
    }

    #[test]
    fn refuses_waiters_the_build_cannot_compile_with_their_pointer() {
        let acceptor = |state: &str, path: &str, comparator: &str, expected: &str| json!({"state": state, "matcher": {"output": {"path": path, "expected": expected, "comparator": comparator}}});
        let waiter = |acceptors: Value| {
            let mut raw = clean();
            raw["paths"]["/v3/tasks"]["get"]["x-waiters"] =
                json!({"TaskReady": {"documentation": "Waits.", "acceptors": acceptors}});
            let text = raw.to_string();
            run(&spec(raw), &text)
                .into_iter()
                .map(|f| (f.rule, f.at, f.message))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            waiter(json!([acceptor(
                "success",
                "tasks[].state",
                "allStringEquals",
                "READY"
            )])),
            []
        );
        let w = "#/paths/~1v3~1tasks/get/x-waiters/TaskReady";
        let cases = [
            (
                json!([acceptor(
                    "success",
                    "tasks[].status",
                    "allStringEquals",
                    "READY"
                )]),
                format!("{w}/acceptors/0/matcher/output/path"),
                "`status` is not a field",
            ),
            (
                json!([acceptor(
                    "success",
                    "tasks[].state",
                    "stringContains",
                    "READY"
                )]),
                format!("{w}/acceptors/0/matcher/output/comparator"),
                "is not stringEquals",
            ),
            (
                json!([acceptor(
                    "done",
                    "tasks[].state",
                    "allStringEquals",
                    "READY"
                )]),
                format!("{w}/acceptors/0/state"),
                "is not `success`, `failure` or `retry`",
            ),
            (
                json!([acceptor(
                    "retry",
                    "tasks[].state",
                    "anyStringEquals",
                    "READY"
                )]),
                format!("{w}/acceptors"),
                "no `success` acceptor",
            ),
            (
                json!([acceptor(
                    "success",
                    "tasks[].state",
                    "stringEquals",
                    "READY"
                )]),
                format!("{w}/acceptors/0/matcher/output/comparator"),
                "stringEquals needs a path to String",
            ),
            (
                json!([acceptor(
                    "success",
                    "length(count)",
                    "booleanEquals",
                    "true"
                )]),
                format!("{w}/acceptors/0/matcher/output/path"),
                "length() needs a list",
            ),
        ];
        for (acceptors, at, message) in cases {
            let findings = waiter(acceptors.clone());
            assert!(
                findings
                    .iter()
                    .any(|(rule, a, m)| *rule == "waiters" && *a == at && m.contains(message)),
                "{acceptors}: {findings:?}"
            );
        }
    }

    #[test]
    fn catches_openapi_3_1() {
        let mut raw = clean();
        raw["openapi"] = json!("3.1.0");
        assert!(rules_broken(raw).contains(&"openapi-version"));
    }

    #[test]
    fn catches_a_structurally_broken_document() {
        let mut raw = clean();
        raw["paths"]["/v3/tasks"]["get"]["parameters"][0]["in"] = json!("body");
        assert!(rules_broken(raw).contains(&"openapi-structure"));
    }

    #[test]
    fn catches_a_missing_operation_id() {
        let mut raw = clean();
        raw["paths"]["/v3/tasks"]["get"]
            .as_object_mut()
            .unwrap()
            .remove("operationId");
        let findings = operation_ids(&spec(raw));
        assert_eq!(findings[0].at, "#/paths/~1v3~1tasks/get");
    }

    #[test]
    fn catches_a_dangling_ref() {
        let mut raw = clean();
        raw["components"]["schemas"]["Page"]["properties"]["tasks"]["items"]["$ref"] =
            json!("#/components/schemas/Gone");
        let findings = references_resolve(&spec(raw));
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0].at,
            "#/components/schemas/Page/properties/tasks/items/$ref"
        );
    }

    #[test]
    fn catches_an_unused_component() {
        let mut raw = clean();
        raw["components"]["schemas"]["Orphan"] = json!({"type": "string", "description": "x"});
        let findings = unused_components(&spec(raw));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].at, "#/components/schemas/Orphan");
    }

    #[test]
    fn catches_missing_descriptions() {
        let mut raw = clean();
        raw["components"]["schemas"]["Page"]["properties"]["count"]
            .as_object_mut()
            .unwrap()
            .remove("description");
        raw["paths"]["/v3/tasks"]["get"]["parameters"][0]
            .as_object_mut()
            .unwrap()
            .remove("description");
        raw["components"]["schemas"]["Task"]["properties"]["state"] =
            json!({"$ref": "#/components/schemas/State"});
        let at: Vec<String> = descriptions(&spec(raw)).into_iter().map(|f| f.at).collect();
        assert_eq!(
            at,
            [
                "#/paths/~1v3~1tasks/get/parameters/0",
                "#/components/schemas/Page/properties/count",
                "#/components/schemas/Task/properties/state",
            ]
        );
    }

    #[test]
    fn catches_an_unexplained_enum_value() {
        let mut raw = clean();
        raw["components"]["schemas"]["State"]["enum"] = json!(["READY", "RUNNING"]);
        let findings = enum_values_explained(&spec(raw));
        assert_eq!(findings.len(), 1);
        assert!(findings[0].message.contains("`RUNNING`"));
    }

    #[test]
    fn catches_numbers_without_a_format() {
        let mut raw = clean();
        raw["components"]["schemas"]["Page"]["properties"]["count"]
            .as_object_mut()
            .unwrap()
            .remove("format");
        let findings = numeric_formats(&spec(raw));
        assert_eq!(findings[0].at, "#/components/schemas/Page/properties/count");
    }

    #[test]
    fn catches_a_parameter_that_lost_its_bounds() {
        let mut raw = clean();
        raw["paths"]["/v3/tasks"]["get"]["parameters"][0]["schema"]
            .as_object_mut()
            .unwrap()
            .remove("maximum");
        let findings = request_bounds(&spec(raw));
        assert!(
            findings[0].message.contains("no maximum"),
            "{}",
            findings[0]
        );
    }

    #[test]
    fn catches_response_constraints_that_reject_real_data() {
        let mut raw = clean();
        let task = &mut raw["components"]["schemas"]["Task"];
        task["additionalProperties"] = json!(false);
        task["required"] = json!(["state"]);
        task["properties"]["id"] =
            json!({"type": "string", "format": "uuid", "maxLength": 36, "description": "Id."});
        let messages: Vec<String> = response_tolerance(&spec(raw))
            .into_iter()
            .map(|f| f.message)
            .collect();
        assert_eq!(messages.len(), 4, "{messages:#?}");
        assert!(messages.iter().any(|m| m.contains("additionalProperties")));
        assert!(messages.iter().any(|m| m.contains("`required`")));
        assert!(messages.iter().any(|m| m.contains("`uuid`")));
        assert!(messages.iter().any(|m| m.contains("`maxLength`")));
    }

    #[test]
    fn follows_responses_given_by_reference() {
        let mut raw = clean();
        let ok = raw["paths"]["/v3/tasks"]["get"]["responses"]["200"].take();
        raw["components"]["responses"] = json!({"Ok": ok});
        raw["paths"]["/v3/tasks"]["get"]["responses"]["200"] =
            json!({"$ref": "#/components/responses/Ok"});
        raw["components"]["schemas"]["Task"]["additionalProperties"] = json!(false);
        let findings = response_tolerance(&spec(raw));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].at, "#/components/schemas/Task");
    }

    #[test]
    fn catches_arrays_and_objects_that_are_not_nullable() {
        let mut raw = clean();
        raw["components"]["schemas"]["Page"]["properties"]["tasks"]
            .as_object_mut()
            .unwrap()
            .remove("nullable");
        let findings = response_tolerance(&spec(raw));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, "response-nullable");
        assert_eq!(findings[0].at, "#/components/schemas/Page/properties/tasks");
    }
}
