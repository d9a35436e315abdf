//! The spec, read once into one typed model.
//!
//! [`Model::read`] parses the document and reads each part of it once, checking it as it goes:
//! operations with their pagination, waiters and watch; parameter bounds; enums and their
//! meanings; regions; filters; documented examples. When nothing found an error, that is the
//! model the renderers use; else every problem comes back as a [`Problem`] at a JSON pointer
//! ([`check`] gives them alone). A spec it accepts renders.

pub mod acceptors;
pub mod bound_kinds;
pub mod bounds;
pub mod commands;
pub mod derived;
pub mod enum_names;
pub mod enums;
pub mod examples;
pub mod fake_answers;
pub mod filter_field;
pub mod pagination;
pub mod query_parameters;
pub mod region_ids;
pub mod regions;
pub mod safety;
pub mod spec_rules;
pub mod structure;
pub mod waiter_outcomes;
pub mod waiters;

#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::document::Document;
use crate::problem::Problem;

/// The spec, checked and read.
#[derive(Clone, Debug)]
pub struct Model {
    /// The document as JSON (the checks and the waiters' type checks walk it).
    pub document: Document,
    /// The document as progenitor reads it.
    pub openapi: openapiv3::OpenAPI,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// Every enum schema.
    pub enums: Vec<enums::OpenEnum>,
    /// The bounds of every bounded query parameter.
    pub bounds: Vec<bounds::Bounds>,
    /// The query parameters of every paginated operation, with what the fake does with each.
    pub query_parameters: Vec<query_parameters::QueryParameter>,
    /// The regions of `servers`.
    pub regions: Vec<regions::Region>,
    /// The documented response examples.
    pub examples: Vec<examples::Example>,
    /// What `FakeService` answers each operation with, where the spec says.
    pub fake_answers: Vec<fake_answers::FakeAnswer>,
    /// Every operation as a command line sees it.
    pub commands: Vec<commands::Command>,
    /// The rules the client applies to every call (token header, request-id header).
    pub rules: spec_rules::SpecRules,
    /// The methods the spec says to derive from response fields (`x-json-text`,
    /// `x-current-element`).
    pub derived: Vec<derived::Derived>,
    /// What the checks found that does not stop generation.
    pub warnings: Vec<Problem>,
}

/// One operation of the spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// Its `operationId`.
    pub id: String,
    /// `GET`
    pub method: String,
    /// `/v3/tasks`
    pub path: String,
    /// Its JSON pointer: `#/paths/~1v3~1tasks/get`.
    pub pointer: String,
    /// The names of its parameters, in order.
    pub parameters: Vec<String>,
    /// `x-pagination`, if it pages.
    pub pagination: Option<pagination::Declared>,
    /// The page size and offset ceiling of its pagination.
    pub page_limits: Option<pagination::PageLimits>,
    /// `x-waiters`, in declaration order.
    pub waiters: Vec<waiters::Waiter>,
    /// `x-watch`, if it declares one.
    pub watch: Option<waiters::Watch>,
    /// Whether the client may send it again by itself after a lost answer (`safety.rs`).
    pub safe_to_repeat: bool,
    /// The status that, to a request sent again, means its resource is gone (`x-gone`).
    pub gone_status: Option<u16>,
}

impl Model {
    /// Reads the spec `text` into a model, or every problem that stops generation (with the
    /// warnings found beside them).
    ///
    /// ```
    /// use sms_api_codegen::model::Model;
    /// let problems = Model::read(r#"{"openapi": "3.1.0"}"#).unwrap_err();
    /// assert!(problems.iter().any(|p| p.rule == "openapi-version" && p.pointer == "#/openapi"));
    /// ```
    pub fn read(text: &str) -> Result<Model, Vec<Problem>> {
        let document = Document::parse(text, "the spec").map_err(|message| {
            vec![Problem::error(
                "json",
                "#",
                message,
                "fix the JSON at that line and column",
            )]
        })?;
        Model::from_document(document)
    }

    /// [`read`](Self::read), from a parsed document.
    pub fn from_document(document: Document) -> Result<Model, Vec<Problem>> {
        let read = read_document(&document);
        match read.openapi {
            Some(openapi) if !read.problems.iter().any(Problem::is_error) => {
                let Some(rules) = read.rules else {
                    return Err(read.problems);
                };
                Ok(Model {
                    document,
                    openapi,
                    operations: read.operations,
                    enums: read.enums,
                    bounds: read.bounds,
                    query_parameters: read.query_parameters,
                    regions: read.regions,
                    examples: read.examples,
                    fake_answers: read.fake_answers,
                    commands: read.commands,
                    rules,
                    derived: read.derived,
                    warnings: read.problems,
                })
            }
            // Without the typed document, `structure` reported why.
            _ => Err(read.problems),
        }
    }

    /// The operation at this JSON pointer (`#/paths/~1v3~1tasks/get`).
    pub fn operation_at(&self, pointer: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.pointer == pointer)
    }

    /// The typify newtypes of length-limited string parameters (`ListTasksName`), which the
    /// generated client replaces by plain strings.
    pub fn string_newtypes(&self) -> Vec<String> {
        self.bounds
            .iter()
            .filter_map(|b| b.string_newtype())
            .collect()
    }

    /// Whether any operation takes a parameter.
    pub fn has_parameters(&self) -> bool {
        self.operations.iter().any(|o| !o.parameters.is_empty())
    }

    /// Whether any operation takes a JSON request body (progenitor gives its builder `body()`).
    pub fn has_request_bodies(&self) -> bool {
        self.document.operations().iter().any(|(_, _, op, _)| {
            op.pointer("/requestBody/content/application~1json")
                .is_some()
                || op.pointer("/requestBody/$ref").is_some()
        })
    }

    /// Whether any schema has named properties (progenitor makes a struct of it).
    pub fn has_structs(&self) -> bool {
        self.document
            .every_schema()
            .iter()
            .any(|(schema, _)| schema.get("properties").is_some())
    }
}

/// Every check of the model: errors stop generation, warnings do not.
pub fn check(doc: &Document) -> Vec<Problem> {
    read_document(doc).problems
}

/// What one pass over the document read, and every problem found on the way.
struct Read {
    openapi: Option<openapiv3::OpenAPI>,
    operations: Vec<Operation>,
    enums: Vec<enums::OpenEnum>,
    bounds: Vec<bounds::Bounds>,
    query_parameters: Vec<query_parameters::QueryParameter>,
    regions: Vec<regions::Region>,
    examples: Vec<examples::Example>,
    fake_answers: Vec<fake_answers::FakeAnswer>,
    commands: Vec<commands::Command>,
    rules: Option<spec_rules::SpecRules>,
    derived: Vec<derived::Derived>,
    problems: Vec<Problem>,
}

/// Reads each part of the document once, checking it as it goes. The problems come in a fixed
/// order of concerns: structure, enums, bounds, pagination, filters, waiters, regions, examples,
/// the fake's answers.
fn read_document(doc: &Document) -> Read {
    let (openapi, mut problems) = structure::read(doc);
    let (enums, found) = enums::read(doc);
    problems.extend(found);
    let (bounds, found) = bounds::read(doc);
    problems.extend(found);
    let (operations, paging, waiting) = operations(doc);
    problems.extend(paging);
    let (query_parameters, found) = query_parameters::read(doc, &operations);
    problems.extend(found);
    problems.extend(waiting);
    let (regions, found) = regions::read(doc);
    problems.extend(found);
    let (examples, found) = examples::collect(doc);
    problems.extend(found);
    let (fake_answers, found) = fake_answers::read(doc, &operations, &examples);
    problems.extend(found);
    let commands = commands::read(doc, &operations);
    let (rules, found) = spec_rules::read(doc);
    problems.extend(found);
    let (derived, found) = derived::read(doc);
    problems.extend(found);
    Read {
        openapi,
        operations,
        enums,
        bounds,
        query_parameters,
        regions,
        examples,
        fake_answers,
        commands,
        rules,
        derived,
        problems,
    }
}

/// The operations of the document, with the problems of their pagination and of their waiters
/// and watch.
fn operations(doc: &Document) -> (Vec<Operation>, Vec<Problem>, Vec<Problem>) {
    let (mut paging, mut waiting) = (Vec::new(), Vec::new());
    let mut operations = Vec::new();
    for (method, path, op, pointer) in doc.operations() {
        let (pagination, page_limits, found) = pagination::read(doc, op, &pointer);
        paging.extend(found);
        let (waiters, found) = waiters::collect(&doc.raw, op, &pointer);
        waiting.extend(found);
        let watch = waiters::watch(&doc.raw, op, &pointer).unwrap_or_else(|problem| {
            waiting.push(problem);
            None
        });
        let (safe_to_repeat, found) = safety::read(&method, op, &pointer);
        paging.extend(found);
        let (gone_status, found) = spec_rules::gone_status(op, &pointer);
        paging.extend(found);
        operations.push(Operation {
            id: op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            method,
            path: path.to_owned(),
            parameters: doc
                .parameters(op, &pointer)
                .iter()
                .filter_map(|(p, _)| p.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect(),
            pagination,
            page_limits,
            waiters,
            watch,
            safe_to_repeat,
            gone_status,
            pointer,
        });
    }
    (operations, paging, waiting)
}
