//! `cargo xtask validate`: the model's problems (what stops generation, from
//! `sms-api-codegen`), the rules this repository adds, and a render of what the model accepts.
//!
//! Each repository rule is a function from the document to its problems; `run` applies them all.

use std::collections::BTreeSet;

use serde_json::Value;
use sms_api_codegen::document::{Document, description, escape, nullable, type_of, walk_schema};
use sms_api_codegen::model::Model;
use sms_api_codegen::model::bound_kinds::bound_keywords;
use sms_api_codegen::problem::Problem;

use crate::examples;

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
/// Applies every rule to the spec `text`: the model's checks, the repository's rules, and, when
/// no error was found, the whole generation (progenitor and every pass), so that a spec this
/// accepts builds.
pub fn run(text: &str) -> Vec<Problem> {
    let doc = match Document::parse(text, "the spec") {
        Ok(doc) => doc,
        Err(message) => {
            return vec![Problem::error(
                "json",
                "#",
                message,
                "fix the JSON at that line and column",
            )];
        }
    };
    let mut repository = unused_components(&doc);
    repository.extend(descriptions(&doc));
    repository.extend(enum_values_explained(&doc));
    repository.extend(numeric_formats(&doc));
    repository.extend(request_bounds(&doc));
    repository.extend(response_tolerance(&doc));
    repository.extend(examples::check(&doc));
    // The model's problems first, then the repository's; what the model accepts is rendered.
    match Model::from_document(doc) {
        Err(model) => model.into_iter().chain(repository).collect(),
        Ok(model) => {
            let mut problems: Vec<Problem> = model
                .warnings
                .iter()
                .cloned()
                .chain(repository)
                .chain(waiter_documentation(&model))
                .collect();
            if !problems.iter().any(Problem::is_error)
                && let Err(error) = sms_api_codegen::render::render(&model)
            {
                problems.push(Problem::error(
                    "generate",
                    "#",
                    format!("the model accepts the spec, but generating the crate fails: {error}"),
                    "report this: a rule of the model is missing",
                ));
            }
            problems
        }
    }
}

/// A waiter's documentation says what the wait is for in words: its rustdoc has a table of
/// every state's outcome, worked out from the acceptors, which a state named in the prose would
/// repeat and could contradict after the next spec change. (A repository rule, not the model's:
/// `cargo xtask diff` still reads an older spec whose prose names states.)
pub fn waiter_documentation(model: &Model) -> Vec<Problem> {
    let mut findings = Vec::new();
    for operation in &model.operations {
        for waiter in &operation.waiters {
            let Some(table) = &waiter.table else {
                continue;
            };
            if let Some(named) = table
                .values
                .iter()
                .find(|value| names_word(&waiter.documentation, value))
            {
                findings.push(Problem::error(
                    "waiter-documentation",
                    &format!(
                        "{}/x-waiters/{}/documentation",
                        operation.pointer,
                        escape(&waiter.name)
                    ),
                    format!(
                        "the documentation names `{named}`, a value of `{}`: the waiter's rustdoc lists every value's outcome, worked out from the acceptors",
                        table.text
                    ),
                    "say what the wait is for in words (\"until every task has migrated\"), and leave the states to the generated table",
                ));
            }
        }
    }
    findings
}

/// Whether `text` has `word` as a whole word (not inside a longer name).
fn names_word(text: &str, word: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(part)
    })
}

pub fn unused_components(doc: &Document) -> Vec<Problem> {
    let refs = doc.references();
    let mut used: BTreeSet<String> = refs.into_iter().map(|(_, target)| target).collect();
    let mut requirements = Vec::new();
    if let Some(top) = doc.raw.get("security") {
        requirements.push(top);
    }
    for (_, _, op, _) in doc.operations() {
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
    if let Some(components) = doc.raw.get("components").and_then(Value::as_object) {
        for (kind, entries) in components {
            for name in entries.as_object().into_iter().flat_map(|e| e.keys()) {
                let at = format!("#/components/{kind}/{}", escape(name));
                if !used.contains(&at) {
                    findings.push(Problem::error(
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
pub fn descriptions(doc: &Document) -> Vec<Problem> {
    let mut findings = Vec::new();
    let mut missing = |at: &str, what: &str| {
        findings.push(Problem::error(
            "description",
            at,
            format!("{what} has no description"),
            "add a \"description\" (next to a $ref it is ignored: wrap the $ref in allOf)",
        ));
    };
    for (_, _, op, at) in doc.operations() {
        for (parameter, p_at) in doc.parameters(op, &at) {
            if description(parameter).is_empty() {
                missing(&p_at, "this parameter");
            }
        }
    }
    for (schema, at) in component_schemas(doc) {
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

fn component_schemas(doc: &Document) -> Vec<(&Value, String)> {
    doc.component_schemas()
        .map(|(name, schema)| (schema, format!("#/components/schemas/{}", escape(name))))
        .collect()
}

/// The schemas of an operation's response bodies.
fn response_roots<'a>(doc: &'a Document, op: &'a Value, at: &str) -> Vec<(&'a Value, String)> {
    doc.response_contents(op, at)
        .into_iter()
        .filter_map(|(content, c_at)| Some((content.get("schema")?, format!("{c_at}/schema"))))
        .collect()
}

/// Each enum value's meaning is written once: in `x-enum-descriptions` (the generated docs and
/// anything else that needs it derive from there), not again in the description.
pub fn enum_values_explained(doc: &Document) -> Vec<Problem> {
    let mut findings = Vec::new();
    for (schema, at) in doc.every_schema() {
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
                findings.push(Problem::error(
                    "enum-explained",
                    &at,
                    format!("enum value `{shown}` has no meaning in `x-enum-descriptions`"),
                    format!("add its meaning at index {i} of `x-enum-descriptions`"),
                ));
            }
            if text.contains(&format!("- `{shown}`")) {
                findings.push(Problem::error(
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

pub fn numeric_formats(doc: &Document) -> Vec<Problem> {
    let mut findings = Vec::new();
    for (schema, at) in doc.every_schema() {
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
            findings.push(Problem::error(
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
/// bounds, by type: the generator's own rule, `bound_kinds`).
pub fn request_bounds(doc: &Document) -> Vec<Problem> {
    let mut findings = Vec::new();
    for (_, _, op, at) in doc.operations() {
        for (parameter, p_at) in doc.parameters(op, &at) {
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
            let Some(schema) = parameter.get("schema") else {
                findings.push(Problem::error(
                    "request-bounds",
                    &p_at,
                    format!("parameter `{name}` has no schema"),
                    "add a schema",
                ));
                continue;
            };
            let Some((schema, _)) = doc.resolve(schema, &format!("{p_at}/schema")) else {
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
                findings.push(Problem::error(
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
pub fn response_tolerance(doc: &Document) -> Vec<Problem> {
    let mut findings = Vec::new();
    let mut seen = BTreeSet::new();
    let mut pending: Vec<(&Value, String)> = Vec::new();
    for (_, _, op, at) in doc.operations() {
        pending.extend(response_roots(doc, op, &at));
    }
    while let Some((root, root_at)) = pending.pop() {
        if !seen.insert(root_at.clone()) {
            continue;
        }
        walk_schema(root, &root_at, &mut |schema, at| {
            if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
                if let Some(resolved) = doc.at(target) {
                    pending.push((resolved, target.to_owned()));
                }
                return;
            }
            if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
                findings.push(Problem::error(
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
                findings.push(Problem::error(
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
                findings.push(Problem::error(
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
                findings.push(Problem::error(
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
                let Some((resolved, _)) = doc.resolve(first_all_of(property), &p_at) else {
                    continue;
                };
                let container = matches!(type_of(resolved), Some("array" | "object"))
                    || resolved.get("properties").is_some();
                if container && !nullable(property) {
                    findings.push(Problem::error(
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

    fn spec(raw: Value) -> Document {
        Document { raw }
    }

    /// A small clean spec that each test breaks in one way.
    fn clean() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
        "x-request-id-header": "X-Request-Id",
            "security": [{"iam_token": []}],
            "paths": {"/v3/tasks": {"get": {
                "operationId": "list_tasks",
                "parameters": [{"name": "limit", "in": "query", "description": "Page size.",
                    "schema": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 200}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Page"},
                    "examples": {"one": {"value": {"count": 1, "tasks": [{"state": "READY"}]}}}}}}}
            }}},
            "components": {
            "securitySchemes": {"iam_token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token", "x-max-length": 16384}},"schemas": {
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
        run(&raw.to_string()).into_iter().map(|f| f.rule).collect()
    }

    #[test]
    fn the_clean_spec_passes() {
        assert_eq!(rules_broken(clean()), Vec::<&str>::new());
    }

    #[test]
    fn the_real_spec_passes() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/sms.json");
        let text = std::fs::read_to_string(path).unwrap();
        let findings = run(&text);
        let errors: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == sms_api_codegen::problem::Severity::Error)
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
    fn catches_waiter_documentation_that_names_a_state_the_table_lists() {
        let mut raw = clean();
        raw["paths"]["/v3/tasks"]["get"]["x-waiters"] = json!({"TaskReady": {
            "documentation": "Waits until every task is READY.",
            "acceptors": [{"state": "success", "matcher": {"output": {"path": "tasks[].state",
                "expected": "READY", "comparator": "allStringEquals"}}}]}});
        let found: Vec<Problem> = run(&raw.to_string())
            .into_iter()
            .filter(Problem::is_error)
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].pointer,
            "#/paths/~1v3~1tasks/get/x-waiters/TaskReady/documentation"
        );
        assert!(found[0].message.contains("names `READY`"), "{}", found[0]);
        // A longer word that holds the value is not the value.
        raw["paths"]["/v3/tasks"]["get"]["x-waiters"]["TaskReady"]["documentation"] =
            json!("Waits until every task is ready (see READY_STATES).");
        assert!(!rules_broken(raw).contains(&"waiter-documentation"));
    }

    #[test]
    fn catches_an_unused_component() {
        let mut raw = clean();
        raw["components"]["schemas"]["Orphan"] = json!({"type": "string", "description": "x"});
        let findings = unused_components(&spec(raw));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].pointer, "#/components/schemas/Orphan");
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
        let at: Vec<String> = descriptions(&spec(raw))
            .into_iter()
            .map(|f| f.pointer)
            .collect();
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
        assert_eq!(
            findings[0].pointer,
            "#/components/schemas/Page/properties/count"
        );
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
        assert_eq!(findings[0].pointer, "#/components/schemas/Task");
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
        assert_eq!(
            findings[0].pointer,
            "#/components/schemas/Page/properties/tasks"
        );
    }
}
