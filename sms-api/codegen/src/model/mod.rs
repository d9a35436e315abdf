//! The spec, read once into one typed model.
//!
//! [`Model::read`] parses the document, runs every check ([`check`]) and, when none found an
//! error, reads what the renderers need: operations with their pagination, waiters and watch;
//! parameter bounds; enums and their meanings; regions; filters; documented examples. A spec it
//! accepts renders, and what it refuses comes back as [`Problem`]s, each at a JSON pointer.

pub mod bound_kinds;
pub mod bounds;
pub mod enum_names;
pub mod enums;
pub mod examples;
pub mod filter_field;
pub mod pagination;
pub mod query_parameters;
pub mod region_ids;
pub mod regions;
pub mod structure;
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
    /// `x-waiters`, in declaration order.
    pub waiters: Vec<waiters::Waiter>,
    /// `x-watch`, if it declares one.
    pub watch: Option<waiters::Watch>,
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
        let problems = check(&document);
        if problems.iter().any(Problem::is_error) {
            return Err(problems);
        }
        // The checks passed, so each reading below succeeds; a failure is still reported, at the
        // document's root, rather than trusted away.
        let unread = |rule: &'static str| {
            move |message: String| {
                vec![Problem::error(
                    rule,
                    "#",
                    message,
                    "report this: the check for this rule let it through",
                )]
            }
        };
        let openapi: openapiv3::OpenAPI = serde_json::from_value(document.raw.clone())
            .map_err(|e| unread("openapi-structure")(e.to_string()))?;
        let enums = enums::collect(&openapi).map_err(unread("enum-names"))?;
        let bounds = bounds::collect(&openapi).map_err(unread("bounds-order"))?;
        let query_parameters =
            query_parameters::collect(&openapi).map_err(unread("filter-field"))?;
        let regions = regions::collect(&openapi).map_err(unread("region-id"))?;
        let (examples, _) = examples::collect(&document);
        let operations = operations(&document);
        Ok(Model {
            document,
            openapi,
            operations,
            enums,
            bounds,
            query_parameters,
            regions,
            examples,
            warnings: problems,
        })
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
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
    let mut problems = structure::check(doc);
    problems.extend(enums::check(doc));
    problems.extend(bounds::check(doc));
    problems.extend(pagination::check(doc));
    problems.extend(query_parameters::check(doc));
    problems.extend(waiters::check(doc));
    problems.extend(regions::check(doc));
    problems.extend(examples::check(doc));
    problems
}

/// The operations of a document whose checks passed.
fn operations(doc: &Document) -> Vec<Operation> {
    doc.operations()
        .into_iter()
        .map(|(method, path, op, pointer)| Operation {
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
            pagination: op
                .get("x-pagination")
                .and_then(|p| pagination::parse(p).ok()),
            waiters: waiters::collect(&doc.raw, op, &pointer).0,
            watch: waiters::watch(&doc.raw, op, &pointer).ok().flatten(),
            pointer,
        })
        .collect()
}
