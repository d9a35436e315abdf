//! `x-waiters` and `x-watch`, read and checked in one place; `render/waiters.rs` compiles each
//! path into a typed extractor.
//!
//! An operation declares how to wait on it, in smithy's waiter shape:
//!
//! ```json
//! "x-waiters": {
//!   "TaskMigrated": {
//!     "documentation": "...", "minDelay": 10, "maxDelay": 120,
//!     "acceptors": [
//!       {"state": "failure", "matcher": {"output": {"path": "tasks[].state",
//!        "expected": "MIGRATE_FAIL", "comparator": "anyStringEquals"}}, "message": "...",
//!        "show": ["id", "name", "error_json"]},
//!       {"state": "success", "matcher": {"output": {"path": "tasks[].state",
//!        "expected": "MIGRATE_SUCCESS", "comparator": "allStringEquals"}}}
//!     ]
//!   }
//! }
//! ```
//!
//! Paths are a JMESPath subset: `a.b` (a field), `a[].b` (the field of every element of a
//! list), `length(a)` (a list's length), each optionally compared with a literal
//! (`length(tasks) == \`0\``, a boolean). Matchers are `output` (a path, an expected value and a
//! comparator: `stringEquals`, `booleanEquals`, `allStringEquals` (a non-empty list, every
//! element), `anyStringEquals`), `success` (`true`: any success response; `false`: any error)
//! and `errorType` (an error answer with this code). `show` (ours) names fields of the matched
//! elements that a failure's message includes; `"outcome": "notFound"` (ours) marks a failure
//! acceptor that means what the wait is on does not exist (its own outcome for callers).

use serde_json::Value;

pub use super::acceptors::{Acceptor, Comparator, Kind, Matcher, Op, Path, State, parse_path};
use super::waiter_outcomes::{self, Tabulated};
use crate::problem::Problem;

/// The extension's name.
pub const EXTENSION: &str = "x-waiters";
/// smithy's default delays, in seconds.
pub const DEFAULT_MIN_DELAY: u64 = 2;
pub const DEFAULT_MAX_DELAY: u64 = 120;

/// One waiter.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// UpperCamelCase, as declared.
    pub name: String,
    pub documentation: String,
    pub min_delay: u64,
    pub max_delay: u64,
    pub acceptors: Vec<Acceptor>,
    /// The list member its outcomes are tabulated along, with its documented values.
    pub table: Option<Tabulated>,
}

/// A problem of a waiter or watch declaration, at `at`.
fn waiter_problem(at: &str, message: String) -> Problem {
    Problem::error(
        "waiters",
        at,
        message,
        "see the x-waiters shape in sms-api-codegen's model/waiters.rs (smithy's waiters)",
    )
}

/// `schema` with its `$ref`s (pointers into `doc`) and single-`allOf` wrappers followed.
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let mut current = schema;
    for _ in 0..32 {
        if let Some([only]) = current
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            current = only;
            continue;
        }
        match current.get("$ref").and_then(Value::as_str) {
            Some(target) => current = doc.pointer(target.strip_prefix('#')?)?,
            None => return Some(current),
        }
    }
    None
}

/// The schema of the success (2xx) JSON response of `operation`, if it has one.
pub fn success_schema<'a>(doc: &'a Value, operation: &'a Value) -> Option<&'a Value> {
    let responses = operation.get("responses")?.as_object()?;
    let (_, response) = responses
        .iter()
        .find(|(status, _)| status.starts_with('2'))?;
    let response = resolve(doc, response)?;
    let schema = response
        .get("content")?
        .get("application/json")?
        .get("schema")?;
    resolve(doc, schema)
}

/// Reads and checks every waiter of an operation of the spec `doc`; `at` is the operation's
/// JSON pointer.
pub fn collect(doc: &Value, operation: &Value, at: &str) -> (Vec<Waiter>, Vec<Problem>) {
    let mut waiters = Vec::new();
    let mut problems = Vec::new();
    let Some(declared) = operation.get(EXTENSION) else {
        return (waiters, problems);
    };
    let w_at = format!("{at}/{EXTENSION}");
    let mut problem = |at: String, message: String| problems.push(waiter_problem(&at, message));
    let Some(declared) = declared.as_object() else {
        problem(w_at, "x-waiters must map waiter names to waiters".into());
        return (waiters, problems);
    };
    let Some(response) = success_schema(doc, operation) else {
        problem(
            w_at,
            "the operation has no JSON success response to wait on".into(),
        );
        return (waiters, problems);
    };
    for (name, waiter) in declared {
        let at = format!("{w_at}/{name}");
        if !is_upper_camel(name) {
            problem(
                at.clone(),
                format!("the waiter name `{name}` is not UpperCamelCase"),
            );
        }
        let delay = |key: &str, default: u64| match waiter.get(key) {
            None => Ok(default),
            Some(v) => v.as_u64().filter(|d| *d > 0).ok_or(()),
        };
        let min_delay = delay("minDelay", DEFAULT_MIN_DELAY);
        let max_delay = delay("maxDelay", DEFAULT_MAX_DELAY);
        let (Ok(min_delay), Ok(max_delay)) = (min_delay, max_delay) else {
            problem(
                at.clone(),
                "minDelay and maxDelay must be whole seconds above 0".into(),
            );
            continue;
        };
        if min_delay > max_delay {
            problem(
                at.clone(),
                format!("minDelay {min_delay} is above maxDelay {max_delay}"),
            );
        }
        let documentation = match waiter.get("documentation").and_then(Value::as_str) {
            Some(text) if !text.trim().is_empty() => text.to_owned(),
            _ => {
                problem(at.clone(), "the waiter has no `documentation`".into());
                String::new()
            }
        };
        let Some(list) = waiter.get("acceptors").and_then(Value::as_array) else {
            problem(at.clone(), "the waiter has no `acceptors` list".into());
            continue;
        };
        let mut acceptors = Vec::new();
        for (index, acceptor) in list.iter().enumerate() {
            let a_at = format!("{at}/acceptors/{index}");
            match read_acceptor(acceptor, &a_at, doc, response) {
                Ok(acceptor) => acceptors.push(acceptor),
                Err((where_, message)) => problem(where_, message),
            }
        }
        if !acceptors.iter().any(|a| a.state == State::Success) {
            problem(
                format!("{at}/acceptors"),
                "the waiter has no `success` acceptor: it could never succeed".into(),
            );
        }
        let table =
            waiter_outcomes::tabulated(&acceptors, |path| documented_values(doc, path, response));
        waiters.push(Waiter {
            name: name.clone(),
            documentation,
            min_delay,
            max_delay,
            acceptors,
            table,
        });
    }
    (waiters, problems)
}

fn is_upper_camel(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn read_acceptor(
    acceptor: &Value,
    at: &str,
    doc: &Value,
    response: &Value,
) -> Result<Acceptor, (String, String)> {
    let state = match acceptor.get("state").and_then(Value::as_str) {
        Some("success") => State::Success,
        Some("failure") => State::Failure,
        Some("retry") => State::Retry,
        other => {
            return Err((
                format!("{at}/state"),
                format!("the state {other:?} is not `success`, `failure` or `retry`"),
            ));
        }
    };
    let message = acceptor
        .get("message")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let show: Vec<String> = strings(acceptor.get("show")).unwrap_or_default();
    let not_found = match acceptor.get("outcome") {
        None => false,
        Some(Value::String(outcome)) if outcome == "notFound" && state == State::Failure => true,
        Some(Value::String(outcome)) if outcome == "notFound" => {
            return Err((
                format!("{at}/outcome"),
                "`\"outcome\": \"notFound\"` marks a failure: the acceptor's state must be `failure`".into(),
            ));
        }
        Some(other) => {
            return Err((
                format!("{at}/outcome"),
                format!(
                    "the outcome {other} is not `notFound` (the only outcome a failure can name)"
                ),
            ));
        }
    };
    let m_at = format!("{at}/matcher");
    let matcher = acceptor
        .get("matcher")
        .and_then(Value::as_object)
        .filter(|m| m.len() == 1)
        .ok_or_else(|| {
            (
                m_at.clone(),
                "the matcher must be one of `output`, `success` or `errorType`".to_owned(),
            )
        })?;
    let matcher = if let Some(output) = matcher.get("output") {
        let o_at = format!("{m_at}/output");
        let text = output
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| (o_at.clone(), "the output matcher has no `path`".to_owned()))?;
        let path = parse_path(text).map_err(|e| (format!("{o_at}/path"), e))?;
        let kind = kind_of(doc, &path, response).map_err(|e| (format!("{o_at}/path"), e))?;
        let comparator = match output.get("comparator").and_then(Value::as_str) {
            Some("stringEquals") => Comparator::StringEquals,
            Some("booleanEquals") => Comparator::BooleanEquals,
            Some("allStringEquals") => Comparator::AllStringEquals,
            Some("anyStringEquals") => Comparator::AnyStringEquals,
            other => {
                return Err((
                    format!("{o_at}/comparator"),
                    format!(
                        "the comparator {other:?} is not stringEquals, booleanEquals, allStringEquals or anyStringEquals"
                    ),
                ));
            }
        };
        let wanted = match comparator {
            Comparator::StringEquals => Kind::String,
            Comparator::BooleanEquals => Kind::Boolean,
            Comparator::AllStringEquals | Comparator::AnyStringEquals => Kind::Strings,
        };
        if kind != wanted {
            return Err((
                format!("{o_at}/comparator"),
                format!(
                    "{} needs a path to {wanted:?}, but `{text}` gives {kind:?}",
                    comparator.name()
                ),
            ));
        }
        let expected = output
            .get("expected")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                (
                    o_at.clone(),
                    "the output matcher has no string `expected`".to_owned(),
                )
            })?
            .to_owned();
        if comparator == Comparator::BooleanEquals && !matches!(expected.as_str(), "true" | "false")
        {
            return Err((
                format!("{o_at}/expected"),
                "booleanEquals expects \"true\" or \"false\"".into(),
            ));
        }
        if !show.is_empty() {
            let Path::Projection { list, .. } = &path else {
                return Err((
                    format!("{at}/show"),
                    "`show` needs a path with a `[]` projection".into(),
                ));
            };
            let element = list_element(doc, list, response)
                .ok_or_else(|| (format!("{at}/show"), "no list".to_owned()))?;
            for field in &show {
                if property(doc, element, field).is_none() {
                    return Err((
                        format!("{at}/show"),
                        format!(
                            "`{field}` is not a field of the elements of `{}`",
                            list.join(".")
                        ),
                    ));
                }
            }
        }
        Matcher::Output {
            path,
            text: text.to_owned(),
            expected,
            comparator,
        }
    } else if let Some(success) = matcher.get("success") {
        Matcher::Success(success.as_bool().ok_or_else(|| {
            (
                format!("{m_at}/success"),
                "`success` must be true or false".to_owned(),
            )
        })?)
    } else if let Some(code) = matcher.get("errorType") {
        Matcher::ErrorType(
            code.as_str()
                .ok_or_else(|| {
                    (
                        format!("{m_at}/errorType"),
                        "`errorType` must be an error code".to_owned(),
                    )
                })?
                .to_owned(),
        )
    } else {
        return Err((
            m_at,
            "the matcher must be one of `output`, `success` or `errorType`".into(),
        ));
    };
    if !show.is_empty() && !matches!(matcher, Matcher::Output { .. }) {
        return Err((
            format!("{at}/show"),
            "`show` needs an output matcher".into(),
        ));
    }
    Ok(Acceptor {
        state,
        matcher,
        message,
        show,
        not_found,
    })
}

/// The documented (enum) values of the member a projection `path` reads, in the spec's order.
fn documented_values(doc: &Value, path: &Path, response: &Value) -> Vec<String> {
    let Path::Projection { list, field } = path else {
        return Vec::new();
    };
    list_element(doc, list, response)
        .and_then(|element| walk(doc, element, field).ok())
        .and_then(|leaf| leaf.get("enum"))
        .and_then(Value::as_array)
        .map(|values| {
            values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The schema of property `name` of `schema`.
fn property<'a>(doc: &'a Value, schema: &'a Value, name: &str) -> Option<&'a Value> {
    let property = resolve(doc, schema)?.get("properties")?.get(name)?;
    resolve(doc, property)
}

fn schema_kind(schema: &Value) -> Kind {
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => Kind::String,
        Some("boolean") => Kind::Boolean,
        Some("integer" | "number") => Kind::Number,
        Some("array") => Kind::Array,
        _ => Kind::Object,
    }
}

/// The schema at `fields` from `schema`.
fn walk<'a>(doc: &'a Value, schema: &'a Value, fields: &[String]) -> Result<&'a Value, String> {
    let mut current = resolve(doc, schema).ok_or("an unresolvable $ref")?;
    for field in fields {
        current = property(doc, current, field)
            .ok_or_else(|| format!("`{field}` is not a field of the response here"))?;
    }
    Ok(current)
}

/// The element schema of the list at `list`.
fn list_element<'a>(doc: &'a Value, list: &[String], response: &'a Value) -> Option<&'a Value> {
    let array = walk(doc, response, list).ok()?;
    resolve(doc, array.get("items")?)
}

/// What `path` gives on the response `schema` of the spec `doc`, or why it names nothing.
pub fn kind_of(doc: &Value, path: &Path, schema: &Value) -> Result<Kind, String> {
    match path {
        Path::Field(fields) => Ok(schema_kind(walk(doc, schema, fields)?)),
        Path::Length(fields) => match schema_kind(walk(doc, schema, fields)?) {
            Kind::Array => Ok(Kind::Number),
            other => Err(format!(
                "length() needs a list, but `{}` is {other:?}",
                fields.join(".")
            )),
        },
        Path::Projection { list, field } => {
            let array = walk(doc, schema, list)?;
            if schema_kind(array) != Kind::Array {
                return Err(format!(
                    "`{}[]` projects something that is not a list",
                    list.join(".")
                ));
            }
            let element = list_element(doc, list, schema).ok_or("the list has no `items`")?;
            let leaf = walk(doc, element, field)?;
            Ok(if schema_kind(leaf) == Kind::String {
                Kind::Strings
            } else {
                Kind::OtherList
            })
        }
        Path::Compare { left, right, op } => {
            let left_kind = kind_of(doc, left, schema)?;
            let fits = match (left_kind, right) {
                (Kind::Number, Value::Number(_)) => true,
                (Kind::String, Value::String(_)) | (Kind::Boolean, Value::Bool(_)) => {
                    matches!(op, Op::Eq | Op::Ne)
                }
                _ => false,
            };
            if !fits {
                return Err(format!(
                    "cannot compare {left_kind:?} with `{right}` by `{}`",
                    op.symbol()
                ));
            }
            Ok(Kind::Boolean)
        }
    }
}

/// The extension that says how to watch a paginated operation's items.
pub const WATCH_EXTENSION: &str = "x-watch";

/// `x-watch`: the item field that identifies an item, and the fields whose changes a watch
/// reports: a field of the item, or `list[key].member`, a member of each element of a list
/// field keyed by another member (each subtask's progress, keyed by its name).
///
/// ```json
/// "x-watch": { "key": "id", "fields": ["state", "sub_tasks[name].progress", "migrate_speed"] }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watch {
    pub key: String,
    pub fields: Vec<String>,
}

/// Reads and checks an operation's `x-watch`: it needs `x-pagination`, and its key and fields
/// must be fields of the items.
pub fn watch(doc: &Value, operation: &Value, at: &str) -> Result<Option<Watch>, Problem> {
    let Some(declared) = operation.get(WATCH_EXTENSION) else {
        return Ok(None);
    };
    let at = format!("{at}/{WATCH_EXTENSION}");
    let problem = |message: String| waiter_problem(&at, message);
    let items = operation
        .get("x-pagination")
        .and_then(|p| p.get("items"))
        .and_then(Value::as_str)
        .ok_or_else(|| problem("x-watch needs x-pagination: a watch lists every item".into()))?;
    let key = declared
        .get("key")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            problem("x-watch needs a `key`: the item field that identifies an item".into())
        })?
        .to_owned();
    let fields: Vec<String> = strings(declared.get("fields"))
        .filter(|l: &Vec<String>| !l.is_empty())
        .ok_or_else(|| {
            problem("x-watch needs `fields`: the item fields whose changes it reports".into())
        })?;
    let response =
        success_schema(doc, operation).ok_or_else(|| problem("no JSON success response".into()))?;
    let element = list_element(doc, &[items.to_owned()], response)
        .ok_or_else(|| problem(format!("`{items}` is not a list of the response")))?;
    for name in std::iter::once(&key).chain(&fields) {
        let keyed = name
            .split_once('[')
            .and_then(|(list, rest)| Some((list, rest.split_once("].")?)));
        match keyed {
            // `sub_tasks[name].progress`: a member of each element of a list, keyed by another.
            Some((list, (by, member))) if name != &key => {
                let Some(inner) = list_element(doc, &[list.to_owned()], element) else {
                    return Err(problem(format!(
                        "`{name}`: `{list}` is not a list field of the items of `{items}`"
                    )));
                };
                for part in [by, member] {
                    if property(doc, inner, part).is_none() {
                        return Err(problem(format!(
                            "`{name}`: `{part}` is not a field of the elements of `{list}`"
                        )));
                    }
                }
            }
            _ if name.contains(['[', ']']) => {
                return Err(problem(format!(
                    "`{name}` is neither a field nor `list[key].member` (a member of each element of a list, keyed by another)"
                )));
            }
            _ if property(doc, element, name).is_none() => {
                return Err(problem(format!(
                    "`{name}` is not a field of the items of `{items}`"
                )));
            }
            _ => {}
        }
    }
    Ok(Some(Watch { key, fields }))
}

/// The strings of a JSON array, if `value` is one.
fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    value.and_then(Value::as_array).map(|list| {
        list.iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
}
