//! How `sms_api::mock::FakeService` answers each operation, decided from the spec alone, so
//! that an operation added to it is served with no Rust; and a warning for one the spec gives
//! the fake nothing to answer with (it would answer 501).
//!
//! In order: an operation with `x-pagination` is a listing; a `GET` or `DELETE` whose path is a
//! listing's and one parameter more shows or removes the listed item with that `id`; anything
//! else answers its documented 2xx example, or its declared 2xx status with no body when that
//! response has no content.

use serde_json::Value;

use super::Operation;
use super::examples::Example;
use crate::document::Document;
use crate::problem::Problem;

/// What the fake does with one operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Pages and filters the listing's items.
    List,
    /// Answers the item of `listing` whose `id` is the one path parameter.
    Show {
        /// The listing's operationId.
        listing: String,
    },
    /// Removes the item of `listing` whose `id` is the one path parameter, answering `status`.
    Remove {
        /// The listing's operationId.
        listing: String,
        /// The declared 2xx status.
        status: u16,
    },
    /// Answers its documented 2xx example.
    Example,
    /// Answers `status` with no body: the spec declares that 2xx response without content.
    Empty {
        /// The declared 2xx status.
        status: u16,
    },
}

/// One operation and what the fake answers it with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeAnswer {
    /// Its operationId.
    pub operation_id: String,
    /// What the fake does.
    pub answer: Answer,
}

/// What the fake does with each operation it can answer, and a warning for each it cannot.
///
/// ```
/// use sms_api_codegen::model::fake_answers::Answer;
/// use sms_api_codegen::model::Model;
/// let spec = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "x-request-id-header": "X-Request-Id",
///   "components": {"securitySchemes": {"iam_token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token", "x-max-length": 16384}}},
///   "paths": {"/v3/things/{id}/action": {"post": {"operationId": "act",
///     "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
///     "responses": {"204": {"description": "Done."}}}}}}"#;
/// let model = Model::read(spec).unwrap();
/// assert_eq!(model.fake_answers[0].answer, Answer::Empty { status: 204 });
/// ```
pub fn read(
    doc: &Document,
    operations: &[Operation],
    examples: &[Example],
) -> (Vec<FakeAnswer>, Vec<Problem>) {
    let mut answers = Vec::new();
    let mut problems = Vec::new();
    for operation in operations {
        let Some(op) = doc.at(&operation.pointer) else {
            continue;
        };
        match answer_of(doc, operation, op, operations, examples) {
            Some(answer) => answers.push(FakeAnswer {
                operation_id: operation.id.clone(),
                answer,
            }),
            None => problems.push(Problem::warning(
                "fake-answer",
                &format!("{}/responses", operation.pointer),
                format!(
                    "sms_api::mock::FakeService answers 501 to `{}`: it has no x-pagination, it does not show or remove an item of a listing (a GET or DELETE of the listing's path and one parameter more), and its 2xx response has content but no example",
                    operation.id
                ),
                "document a 2xx example (the fake answers it), or declare the 2xx response without content if the service sends none",
            )),
        }
    }
    (answers, problems)
}

/// What the fake does with `operation` (`op` in the document), if the spec says.
fn answer_of(
    doc: &Document,
    operation: &Operation,
    op: &Value,
    operations: &[Operation],
    examples: &[Example],
) -> Option<Answer> {
    if operation.pagination.is_some() {
        return Some(Answer::List);
    }
    let success = success_status(doc, op, &operation.pointer);
    if let Some(listing) = item_listing(operation, operations) {
        match (operation.method.as_str(), success) {
            ("GET", _) => return Some(Answer::Show { listing }),
            ("DELETE", Some((status, _))) => return Some(Answer::Remove { listing, status }),
            _ => {}
        }
    }
    let documented = examples
        .iter()
        .any(|e| e.operation_id == operation.id && (200..300).contains(&e.status));
    match success {
        _ if documented => Some(Answer::Example),
        Some((status, false)) => Some(Answer::Empty { status }),
        _ => None,
    }
}

/// The listing whose item `operation`'s path names: the listing's path and one parameter more.
fn item_listing(operation: &Operation, operations: &[Operation]) -> Option<String> {
    let (parent, last) = operation.path.rsplit_once('/')?;
    if !(last.starts_with('{') && last.ends_with('}')) {
        return None;
    }
    operations
        .iter()
        .find(|o| o.pagination.is_some() && o.path == parent)
        .map(|o| o.id.clone())
}

/// The operation's first declared 2xx status, and whether that response has content.
fn success_status(doc: &Document, op: &Value, at: &str) -> Option<(u16, bool)> {
    let responses = op.get("responses").and_then(Value::as_object)?;
    responses.iter().find_map(|(status, response)| {
        let code = status
            .parse::<u16>()
            .ok()
            .filter(|c| (200..300).contains(c))?;
        let (response, _) = doc.resolve(response, &format!("{at}/responses/{status}"))?;
        let has_content = response
            .get("content")
            .and_then(Value::as_object)
            .is_some_and(|c| !c.is_empty());
        Some((code, has_content))
    })
}
