//! The response examples of the spec, read into a table the crate exposes, so that the tests
//! decode every documented example and the mock serves them, with no second copy.

use serde_json::Value;

use crate::document::Document;
use crate::problem::Problem;

/// One documented response example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The operation it answers.
    pub operation_id: String,
    /// Its HTTP status.
    pub status: u16,
    /// Its name in `examples`.
    pub name: String,
    /// Its `summary` ("" without one).
    pub summary: String,
    /// Its `value`, as pretty-printed JSON.
    pub json: String,
}

/// Every `examples` entry under every response of every operation, in document order, and the
/// problems of those that cannot be read.
pub fn collect(doc: &Document) -> (Vec<Example>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (_, _, operation, at) in doc.operations() {
        let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
            continue;
        };
        let operation_id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        for (status, response) in responses {
            let Some(media) = response.get("content").and_then(Value::as_object) else {
                continue;
            };
            for content in media.values() {
                let Some(examples) = content.get("examples").and_then(Value::as_object) else {
                    continue;
                };
                let r_at = format!("{at}/responses/{status}");
                let Ok(code) = status.parse::<u16>() else {
                    problems.push(Problem::error(
                        "examples",
                        &r_at,
                        format!("examples under `{status}` need a numeric status"),
                        "document examples under a status code such as 200",
                    ));
                    continue;
                };
                for (name, example) in examples {
                    let Some(value) = example.get("value") else {
                        problems.push(Problem::error(
                            "examples",
                            &format!("{r_at}/examples/{name}"),
                            format!("the example `{name}` has no `value`"),
                            "give the example's JSON as its `value`",
                        ));
                        continue;
                    };
                    found.push(Example {
                        operation_id: operation_id.to_owned(),
                        status: code,
                        name: name.clone(),
                        summary: example
                            .get("summary")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        json: serde_json::to_string_pretty(value).unwrap_or_default(),
                    });
                }
            }
        }
    }
    (found, problems)
}
