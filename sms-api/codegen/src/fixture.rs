//! A small spec with every extension the generator reads, for the unit tests of the renderers
//! and passes: one paginated operation with a bounded string filter, an enum filter, a waiter,
//! a watch, two regions and a documented example.

use serde_json::{Value, json};

use crate::model::Model;

/// The fixture, as JSON.
pub fn spec() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "x-request-id-header": "X-Request-Id",
        "servers": [
            {"url": "https://sms.cn-north-4.example.com/", "x-region-id": "cn-north-4"},
            {"url": "https://sms.ap-southeast-1.example.com", "x-region-id": "ap-southeast-1"}
        ],
        "paths": {"/v3/tasks": {"get": {
            "operationId": "list_tasks",
            "summary": "List tasks",
            "description": "Lists the tasks.",
            "parameters": [
                {"name": "limit", "in": "query", "description": "Page size.",
                 "schema": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 200, "default": 50}},
                {"name": "offset", "in": "query", "description": "First item.",
                 "schema": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 10000}},
                {"name": "name", "in": "query", "description": "Task name.", "x-filter-field": "name",
                 "schema": {"type": "string", "maxLength": 255}},
                {"name": "state", "in": "query", "description": "Task state.", "x-filter-field": "state",
                 "schema": {"$ref": "#/components/schemas/State"}}
            ],
            "x-pagination": {"limit": "limit", "offset": "offset", "count": "count", "items": "tasks"},
            "x-waiters": {"TaskReady": {"documentation": "Waits until every task is ready.",
                "minDelay": 1, "maxDelay": 4,
                "acceptors": [
                    {"state": "success", "matcher": {"output": {"path": "tasks[].state",
                        "expected": "READY", "comparator": "allStringEquals"}}}
                ]}},
            "x-watch": {"key": "id", "fields": ["state"]},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Page"},
                "examples": {"one": {"summary": "One task",
                    "value": {"count": 1, "tasks": [{"id": "t1", "name": "web", "state": "READY"}]}}}}}}}
        }}},
        "components": {
            "securitySchemes": {"iam_token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token", "x-max-length": 16384}},"schemas": {
            "Page": {"type": "object", "description": "A page.", "properties": {
                "count": {"type": "integer", "format": "int32", "description": "Total."},
                "tasks": {"type": "array", "nullable": true, "description": "Tasks.",
                          "items": {"$ref": "#/components/schemas/Task"}}}},
            "Task": {"type": "object", "description": "A task.", "properties": {
                "id": {"type": "string", "nullable": true, "description": "Id."},
                "name": {"type": "string", "nullable": true, "description": "Name."},
                "state": {"allOf": [{"$ref": "#/components/schemas/State"}], "nullable": true, "description": "State."}}},
            "State": {"type": "string", "description": "A state.", "enum": ["READY", "MIGRATE_FAIL"],
                      "x-enum-descriptions": ["ready", "failed"]}
        }}
    })
}

/// The fixture, read into a model.
pub fn model() -> Model {
    Model::read(&spec().to_string()).expect("the fixture spec reads")
}

/// progenitor's client for the fixture, before any pass.
pub fn progenitor_client(model: &Model) -> syn::File {
    let mut generator = crate::render::client::generator(model);
    syn::parse2(generator.generate_tokens(&model.openapi).unwrap()).unwrap()
}

/// progenitor's typed mocks for the fixture, before any pass.
pub fn progenitor_mock(model: &Model) -> syn::File {
    let mut generator = crate::render::client::generator(model);
    let _ = generator.generate_tokens(&model.openapi).unwrap();
    syn::parse2(generator.httpmock(&model.openapi, "crate").unwrap()).unwrap()
}

/// `file` as one line of tokens, to search.
pub fn text(file: &syn::File) -> String {
    quote::ToTokens::to_token_stream(file).to_string()
}
