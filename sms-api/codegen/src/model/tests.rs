//! The model's checks, each broken in one way on a small clean spec.

use serde_json::{Value, json};

use super::check;
use crate::document::Document;
use crate::problem::{Problem, Severity};

/// A small clean spec that each test breaks in one way.
fn clean() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "x-request-id-header": "X-Request-Id",
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
    problems(raw).into_iter().map(|f| f.rule).collect()
}

fn problems(raw: Value) -> Vec<Problem> {
    check(&Document { raw })
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
        problems(raw)
            .into_iter()
            .map(|f| (f.rule, f.severity == Severity::Error))
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
        problems(raw)
            .into_iter()
            .map(|f| (f.rule, f.pointer, f.message))
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
    let findings: Vec<Problem> = problems(raw)
        .into_iter()
        .filter(|p| p.rule == "operation-id")
        .collect();
    assert_eq!(findings[0].pointer, "#/paths/~1v3~1tasks/get");
}

#[test]
fn catches_a_dangling_ref() {
    let mut raw = clean();
    raw["components"]["schemas"]["Page"]["properties"]["tasks"]["items"]["$ref"] =
        json!("#/components/schemas/Gone");
    let findings: Vec<Problem> = problems(raw)
        .into_iter()
        .filter(|p| p.rule == "ref-resolves")
        .collect();
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].pointer,
        "#/components/schemas/Page/properties/tasks/items/$ref"
    );
}

#[test]
fn says_which_operations_the_fake_cannot_answer() {
    let fake_answer = |path: &str, operation: Value| {
        let mut raw = clean();
        raw["paths"][path] = operation;
        problems(raw)
            .into_iter()
            .filter(|p| p.rule == "fake-answer")
            .map(|p| (p.pointer, p.message))
            .collect::<Vec<_>>()
    };
    let id = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]);
    let task = json!({"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}});
    // A 2xx with content and no example: nothing to answer with.
    let found = fake_answer(
        "/v3/tasks/{id}/clone",
        json!({"post": {"operationId": "clone_task", "parameters": id,
            "responses": {"201": {"description": "The clone.", "content": task}}}}),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].0,
        "#/paths/~1v3~1tasks~1{id}~1clone/post/responses"
    );
    assert!(
        found[0].1.contains("answers 501 to `clone_task`"),
        "{}",
        found[0].1
    );
    // With no content, or with an example, it is answered.
    assert_eq!(
        fake_answer(
            "/v3/tasks/{id}/clone",
            json!({"post": {"operationId": "clone_task", "parameters": id,
                "responses": {"204": {"description": "Cloned."}}}}),
        ),
        []
    );
    let documented = json!({"application/json": {
        "schema": {"$ref": "#/components/schemas/Task"},
        "examples": {"one": {"value": {"state": "READY"}}}}});
    assert_eq!(
        fake_answer(
            "/v3/tasks/{id}/clone",
            json!({"post": {"operationId": "clone_task", "parameters": id,
                "responses": {"201": {"description": "The clone.", "content": documented}}}}),
        ),
        []
    );
}

#[test]
fn reads_how_the_fake_answers_each_operation() {
    use super::Model;
    use super::fake_answers::Answer;
    let mut raw = clean();
    raw["paths"]["/v3/tasks"]["get"]["parameters"]
        .as_array_mut()
        .unwrap()
        .push(
            json!({"name": "offset", "in": "query", "description": "Start.",
            "schema": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 65535}}),
        );
    raw["paths"]["/v3/tasks"]["get"]["x-pagination"] =
        json!({"limit": "limit", "offset": "offset", "count": "count", "items": "tasks"});
    let id = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]);
    raw["paths"]["/v3/tasks/{id}"] = json!({
        "get": {"operationId": "show_task", "parameters": id, "responses": {"200": {"description": "The task.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}}}},
        "delete": {"operationId": "delete_task", "parameters": id, "responses": {"204": {"description": "Gone."}}}
    });
    let model = Model::from_document(Document { raw }).unwrap();
    let answers: Vec<(&str, &Answer)> = model
        .fake_answers
        .iter()
        .map(|a| (a.operation_id.as_str(), &a.answer))
        .collect();
    let listing = "list_tasks".to_owned();
    assert_eq!(
        answers,
        [
            ("list_tasks", &Answer::List),
            (
                "show_task",
                &Answer::Show {
                    listing: listing.clone()
                }
            ),
            (
                "delete_task",
                &Answer::Remove {
                    listing,
                    status: 204
                }
            ),
        ]
    );
}
