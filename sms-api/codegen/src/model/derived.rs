//! What the spec says to derive from a response's fields, so that every user does not write it:
//! a string field that holds JSON (`"x-json-text"`: the schema it holds), and the element of a
//! list that is under way (`"x-current-element"`: the member that says how far an element got,
//! and the value that means done). Read and checked here; `render/derived.rs` makes a method of
//! each on the struct.
//!
//! ```json
//! "error_json": {"type": "string", "x-json-text": {"schema": "#/components/schemas/ErrorResponse",
//!                "method": "error"}},
//! "sub_tasks": {"type": "array", "items": {...},
//!               "x-current-element": {"method": "current_subtask", "progress": "progress", "done": 100}}
//! ```

use serde_json::Value;

use crate::document::{Document, escape};
use crate::problem::Problem;

/// One derived method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derived {
    /// The struct's schema (its Rust type's name).
    pub schema: String,
    /// The field it derives from.
    pub property: String,
    /// The method's name.
    pub method: String,
    /// What it derives.
    pub kind: Kind,
    /// The field's description, for the method's docs.
    pub description: String,
}

/// What is derived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The string, decoded as JSON of the schema named here (the raw text kept when it is not).
    JsonText { schema: String },
    /// The first element whose `progress` member is below `done` (the one under way, or where
    /// the list stopped); `element` is the elements' schema.
    CurrentElement {
        element: String,
        progress: String,
        done: i64,
    },
}

/// The extensions.
pub const JSON_TEXT: &str = "x-json-text";
pub const CURRENT_ELEMENT: &str = "x-current-element";

fn problem(at: &str, message: String) -> Problem {
    Problem::error(
        "derived",
        at,
        message,
        "see sms-api-codegen's model/derived.rs for x-json-text and x-current-element",
    )
}

/// Every derived method the component schemas declare, and the problems of the declarations.
pub fn read(doc: &Document) -> (Vec<Derived>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (name, schema) in doc.component_schemas() {
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten();
        for (property, declared) in properties {
            let at = format!(
                "#/components/schemas/{}/properties/{}",
                escape(name),
                escape(property)
            );
            let description = declared
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let method = |extension: &Value| {
                extension
                    .get("method")
                    .and_then(Value::as_str)
                    .filter(|m| {
                        !m.is_empty()
                            && m.chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    })
                    .map(str::to_owned)
            };
            if let Some(extension) = declared.get(JSON_TEXT) {
                let e_at = format!("{at}/{JSON_TEXT}");
                let target = extension
                    .get("schema")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .filter(|target| {
                        doc.component_schema(target)
                            .is_some_and(|s| s.get("properties").is_some())
                    });
                match (declared.get("type").and_then(Value::as_str), target, method(extension)) {
                    (Some("string"), Some(target), Some(method)) => found.push(Derived {
                        schema: name.clone(),
                        property: property.clone(),
                        method,
                        kind: Kind::JsonText {
                            schema: target.to_owned(),
                        },
                        description: description.clone(),
                    }),
                    (Some("string"), None, _) => problems.push(problem(
                        &e_at,
                        "`schema` must name an object schema of the components (`#/components/schemas/...`)".into(),
                    )),
                    (Some("string"), _, None) => problems.push(problem(
                        &e_at,
                        "`method` must be a snake_case method name".into(),
                    )),
                    _ => problems.push(problem(
                        &e_at,
                        format!("`{property}` is not a string: only a string holds JSON text"),
                    )),
                }
            }
            if let Some(extension) = declared.get(CURRENT_ELEMENT) {
                let e_at = format!("{at}/{CURRENT_ELEMENT}");
                let element = declared
                    .get("items")
                    .and_then(|items| items.get("$ref"))
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"));
                let item = element.and_then(|e| doc.component_schema(e));
                let progress = extension.get("progress").and_then(Value::as_str);
                let done = extension.get("done").and_then(Value::as_i64);
                let numeric = |member: &str| {
                    item.and_then(|i| i.pointer(&format!("/properties/{}", escape(member))))
                        .and_then(|p| p.get("type"))
                        .and_then(Value::as_str)
                        == Some("integer")
                };
                match (
                    declared.get("type").and_then(Value::as_str),
                    progress,
                    done,
                    method(extension),
                ) {
                    (Some("array"), Some(progress), Some(done), Some(method))
                        if numeric(progress) =>
                    {
                        found.push(Derived {
                            schema: name.clone(),
                            property: property.clone(),
                            method,
                            kind: Kind::CurrentElement {
                                element: element.unwrap_or_default().to_owned(),
                                progress: progress.to_owned(),
                                done,
                            },
                            description: description.clone(),
                        })
                    }
                    (Some("array"), Some(progress), Some(_), Some(_)) => problems.push(problem(
                        &e_at,
                        format!(
                            "`{progress}` is not an integer member of the elements of `{property}` (their schema given by `$ref`)"
                        ),
                    )),
                    (Some("array"), ..) => problems.push(problem(
                        &e_at,
                        "needs `method` (snake_case), `progress` (an integer member of the elements) and `done` (the value that means done)".into(),
                    )),
                    _ => problems.push(problem(
                        &e_at,
                        format!("`{property}` is not a list"),
                    )),
                }
            }
        }
    }
    (found, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(properties: Value) -> Document {
        Document {
            raw: json!({"components": {"schemas": {
                "Task": {"type": "object", "properties": properties},
                "Sub": {"type": "object", "properties": {"progress": {"type": "integer"}, "name": {"type": "string"}}},
                "Err": {"type": "object", "properties": {"error_code": {"type": "string"}}}
            }}}),
        }
    }

    #[test]
    fn declarations_are_read_and_checked() {
        let (found, problems) = read(&spec(json!({
            "error_json": {"type": "string", "x-json-text": {"schema": "#/components/schemas/Err", "method": "error"}},
            "subs": {"type": "array", "items": {"$ref": "#/components/schemas/Sub"},
                     "x-current-element": {"method": "current_sub", "progress": "progress", "done": 100}}
        })));
        assert_eq!(problems, []);
        let methods: Vec<&str> = found.iter().map(|d| d.method.as_str()).collect();
        assert_eq!(methods, ["error", "current_sub"]);
        let (_, problems) = read(&spec(json!({
            "count": {"type": "integer", "x-json-text": {"schema": "#/components/schemas/Err", "method": "error"}},
            "text": {"type": "string", "x-json-text": {"schema": "#/components/schemas/Nope", "method": "error"}},
            "subs": {"type": "array", "items": {"$ref": "#/components/schemas/Sub"},
                     "x-current-element": {"method": "current_sub", "progress": "name", "done": 100}}
        })));
        let said: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(said[0].contains("is not a string"), "{said:?}");
        assert!(
            said.iter()
                .any(|m| m.contains("must name an object schema")),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|m| m.contains("`name` is not an integer member")),
            "{said:?}"
        );
    }
}
