//! What an operation added to the spec brings, read from the new side's model, one line per
//! part, for `cargo xtask diff`: its call and safety, each input (where it goes, whether it is
//! required, its bounds and documented values), its types new to the spec, pagination,
//! waiters, its typed mock, what the fake service does with it, and its command in `sms`.

use std::collections::BTreeSet;

use serde_json::Value;
use sms_api_codegen::document::Document;
use sms_api_codegen::model::Model;
use sms_api_codegen::model::commands::{Input, Location};
use sms_api_codegen::model::fake_answers::Answer;
use sms_api_codegen::names::waiter_method;

/// The lines for operation `id` of `new`, whose component schemas `old_schemas` did not have.
pub fn brings(new: &Model, id: &str, old_schemas: &BTreeSet<String>) -> Vec<String> {
    let Some(operation) = new.operations.iter().find(|o| o.id == id) else {
        return Vec::new();
    };
    let mut lines = vec![format!(
        "`{} {}`, {}",
        operation.method,
        operation.path,
        if operation.safe_to_repeat {
            "retried when an answer is lost"
        } else {
            "never sent twice by itself"
        }
    )];
    if let Some(command) = new.commands.iter().find(|c| c.operation_id == id) {
        lines.extend(command.inputs.iter().map(|i| input(new, id, i)));
    }
    let types = new_types(&new.document, &operation.pointer, old_schemas);
    if !types.is_empty() {
        lines.push(format!("new types: {}", types.join(", ")));
    }
    if let Some(paging) = &operation.pagination {
        lines.push(format!(
            "`paginate()`: every item of `{}` across pages (`{}`, `{}`)",
            paging.items, paging.limit, paging.offset
        ));
    }
    for waiter in &operation.waiters {
        lines.push(format!("waiter `{}()`", waiter_method(&waiter.name)));
    }
    lines.push(format!(
        "typed mock: `server.{id}(|when, then| ..)` (`MockServerExt`, sealed)"
    ));
    lines.push(format!("FakeService: {}", fake(new, id)));
    lines.push(format!("command: `sms {}`", id.replace('_', "-")));
    lines
}

/// One input, as a line.
fn input(model: &Model, id: &str, input: &Input) -> String {
    let place = match input.location {
        Location::Path => "path parameter",
        Location::Query => "query parameter",
        Location::Body => "body field",
    };
    let mut line = format!(
        "{place} `{}`{}",
        input.name,
        if input.required { " (required)" } else { "" }
    );
    let bounds = model
        .bounds
        .iter()
        .find(|b| b.operation_id == id && b.name == input.name);
    if let Some(b) = bounds {
        if let (Some(min), Some(max)) = (b.minimum, b.maximum) {
            line.push_str(&format!(", {min} to {max}"));
        }
        if let Some(max) = b.max_length {
            line.push_str(&format!(", {}-{max} characters", b.min_length.unwrap_or(0)));
        }
    }
    if !input.values.is_empty() {
        line.push_str(&format!(", one of {}", input.values.join(", ")));
    }
    line
}

/// What the fake does with operation `id`.
fn fake(model: &Model, id: &str) -> String {
    match model.fake_answers.iter().find(|a| a.operation_id == id) {
        Some(answer) => match &answer.answer {
            Answer::List => "lists, filters and pages its items".to_owned(),
            Answer::Show { listing } => format!("shows an item of `{listing}` by its id"),
            Answer::Remove { listing, status } => {
                format!("removes an item of `{listing}` by its id, answering {status}")
            }
            Answer::Example => "answers its documented 2xx example".to_owned(),
            Answer::Empty { status } => format!("answers {status} with no body"),
        },
        None => "answers 501 (the spec gives it nothing to answer with: validate warns)".to_owned(),
    }
}

/// The component schemas operation `at` reaches that `old_schemas` did not have.
fn new_types(doc: &Document, at: &str, old_schemas: &BTreeSet<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&Value> = doc.at(at).into_iter().collect();
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    && seen.insert(name.to_owned())
                    && let Some(schema) = doc.component_schema(name)
                {
                    stack.push(schema);
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    seen.into_iter()
        .filter(|name| !old_schemas.contains(name))
        .map(|name| format!("`{name}`"))
        .collect()
}
