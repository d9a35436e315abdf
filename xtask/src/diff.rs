//! `cargo xtask diff`: classifies every spec change by what it means for users of sms-api.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use sms_api_codegen::document::{Document, description, escape, nullable, type_of};
use sms_api_codegen::model::Model;
use sms_api_codegen::model::waiters::{Acceptor, Comparator, Matcher, State, Watch};
use sms_api_codegen::names::waiter_method;

use crate::semver::{Effect, Semver, Wire};

/// One change between two versions of the spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What it does on the wire and to the Rust API.
    pub effect: Effect,
    /// Where, e.g. ``GET /v3/tasks response 200 `tasks[].state` ``.
    pub path: String,
    /// What changed and what it means for the client.
    pub what: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Change {
    /// Breaking for users: on the wire, or for code that compiles today.
    pub fn breaking(&self) -> bool {
        self.effect.is_breaking()
    }
}

/// Whether a schema is read from requests (parameters) or responses: the same edit means
/// different things for each.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// A schema and the JSON pointer it was found at.
#[derive(Clone)]
struct Located<'v> {
    value: &'v Value,
    at: String,
}

impl<'v> Located<'v> {
    fn new(value: &'v Value, at: impl Into<String>) -> Self {
        Located {
            value,
            at: at.into(),
        }
    }

    /// The schema under `key` (e.g. `items`), if there is one.
    fn child(&self, key: &str) -> Option<Located<'v>> {
        Some(Located::new(
            self.value.get(key)?,
            format!("{}/{key}", self.at),
        ))
    }
}

struct Differ<'a> {
    old: &'a Model,
    new: &'a Model,
    changes: Vec<Change>,
    visited: BTreeSet<(String, String, String)>,
}

/// Every change from the model `old` to the model `new`, in document order: schemas and
/// parameters from the models' documents, waiters and watches as the models read them.
pub fn compare(old: &Model, new: &Model) -> Vec<Change> {
    let mut differ = Differ {
        old,
        new,
        changes: Vec::new(),
        visited: BTreeSet::new(),
    };
    differ.operations();
    differ.changes
}

/// An acceptor in words: "fails when any tasks[].state is MIGRATE_FAIL".
fn describe(acceptor: &Acceptor) -> String {
    let verb = match acceptor.state {
        State::Success => "succeeds",
        State::Failure if acceptor.not_found => "ends as not found (WaitErrorKind::NotFound)",
        State::Failure => "fails",
        State::Retry => "polls again",
    };
    let condition = match &acceptor.matcher {
        Matcher::Output {
            text,
            expected,
            comparator,
            ..
        } => match comparator {
            Comparator::StringEquals | Comparator::BooleanEquals => {
                format!("when {text} is {expected}")
            }
            Comparator::AllStringEquals => format!("when every {text} is {expected}"),
            Comparator::AnyStringEquals => format!("when any {text} is {expected}"),
        },
        Matcher::Success(true) => "on any success response".to_owned(),
        Matcher::Success(false) => "on any error".to_owned(),
        Matcher::ErrorType(code) => format!("on error {code}"),
    };
    format!("{verb} {condition}")
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Differ<'_> {
    /// Records a change with its effect, decided here, where the change is found.
    fn push(
        &mut self,
        effect: Effect,
        path: &str,
        what: &str,
        old: Option<String>,
        new: Option<String>,
    ) {
        self.changes.push(Change {
            effect,
            path: path.to_owned(),
            what: what.to_owned(),
            old,
            new,
        });
    }

    fn operations(&mut self) {
        let index = |spec: &Document| -> BTreeMap<String, (Value, String)> {
            spec.operations()
                .into_iter()
                .map(|(method, path, op, at)| (format!("{method} {path}"), (op.clone(), at)))
                .collect()
        };
        let (old_ops, new_ops) = (index(&self.old.document), index(&self.new.document));
        for (name, (old_op, old_at)) in &old_ops {
            match new_ops.get(name) {
                None => self.push(
                    Effect::new(Wire::Breaking, Semver::Major),
                    name,
                    "operation removed",
                    Some(name.clone()),
                    None,
                ),
                Some((new_op, new_at)) => self.operation(name, old_op, old_at, new_op, new_at),
            }
        }
        for name in new_ops.keys().filter(|n| !old_ops.contains_key(*n)) {
            self.push(
                Effect::new(Wire::Compatible, Semver::Minor),
                name,
                "operation added",
                None,
                Some(name.clone()),
            );
        }
    }

    fn operation(&mut self, name: &str, old: &Value, old_at: &str, new: &Value, new_at: &str) {
        self.text(name, "summary", old.get("summary"), new.get("summary"));
        self.text(
            name,
            "description",
            old.get("description"),
            new.get("description"),
        );
        self.parameters(name, old, old_at, new, new_at);
        self.responses(name, old, new);
        self.waiters(name, old_at, new_at);
    }

    /// Waiters (`x-waiters`) and the watch (`x-watch`): an added waiter is a new method
    /// (minor), a removed or renamed one a method gone (major), a changed acceptor, delay or
    /// watched field a change of behaviour, said in words: "TaskMigrated now also fails when
    /// any tasks[].state is SYNC_F_ROLLBACKING".
    fn waiters(&mut self, name: &str, old_at: &str, new_at: &str) {
        let (old_op, new_op) = (
            self.old.operations.iter().find(|o| o.pointer == old_at),
            self.new.operations.iter().find(|o| o.pointer == new_at),
        );
        let (old_waiters, new_waiters) = (
            old_op.map(|o| o.waiters.as_slice()).unwrap_or_default(),
            new_op.map(|o| o.waiters.as_slice()).unwrap_or_default(),
        );
        for waiter in old_waiters {
            let path = format!("{name} waiter `{}`", waiter.name);
            let Some(now) = new_waiters.iter().find(|w| w.name == waiter.name) else {
                self.push(
                    Effect::new(Wire::Unchanged, Semver::Major),
                    &path,
                    &format!(
                        "waiter removed: `{}()` is gone",
                        waiter_method(&waiter.name)
                    ),
                    Some(waiter.name.clone()),
                    None,
                );
                continue;
            };
            let (before, after): (Vec<String>, Vec<String>) = (
                waiter.acceptors.iter().map(describe).collect(),
                now.acceptors.iter().map(describe).collect(),
            );
            for gained in after.iter().filter(|a| !before.contains(a)) {
                self.push(
                    Effect::new(Wire::Unchanged, Semver::Patch),
                    &path,
                    &format!("{} now also {gained}", waiter.name),
                    None,
                    Some(gained.clone()),
                );
            }
            for lost in before.iter().filter(|b| !after.contains(b)) {
                self.push(
                    Effect::new(Wire::Unchanged, Semver::Patch),
                    &path,
                    &format!("{} no longer {lost}", waiter.name),
                    Some(lost.clone()),
                    None,
                );
            }
            let same_set = before.len() == after.len() && before.iter().all(|b| after.contains(b));
            if same_set && before != after {
                self.push(
                    Effect::new(Wire::Unchanged, Semver::Patch),
                    &path,
                    "acceptor order changed: the first that matches decides",
                    Some(before.join("; ")),
                    Some(after.join("; ")),
                );
            }
            for (key, was, is) in [
                ("minDelay", waiter.min_delay, now.min_delay),
                ("maxDelay", waiter.max_delay, now.max_delay),
            ] {
                if was != is {
                    self.push(
                        Effect::new(Wire::Unchanged, Semver::Patch),
                        &path,
                        &format!("{key} changed (seconds)"),
                        Some(was.to_string()),
                        Some(is.to_string()),
                    );
                }
            }
            if waiter.documentation != now.documentation {
                let (old_part, new_part) =
                    differing_parts(&waiter.documentation, &now.documentation);
                self.push(
                    Effect::new(Wire::Unchanged, Semver::Patch),
                    &path,
                    "documentation changed",
                    Some(old_part),
                    Some(new_part),
                );
            }
        }
        for waiter in new_waiters
            .iter()
            .filter(|w| !old_waiters.iter().any(|o| o.name == w.name))
        {
            self.push(
                Effect::new(Wire::Unchanged, Semver::Minor),
                &format!("{name} waiter `{}`", waiter.name),
                &format!("waiter added: `{}()`", waiter_method(&waiter.name)),
                None,
                Some(
                    waiter
                        .acceptors
                        .iter()
                        .map(describe)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            );
        }
        let (old_watch, new_watch) = (
            old_op.and_then(|o| o.watch.clone()),
            new_op.and_then(|o| o.watch.clone()),
        );
        let shown = |w: &Option<Watch>| {
            w.as_ref()
                .map(|w| format!("key {}, fields {}", w.key, w.fields.join(", ")))
        };
        if old_watch != new_watch {
            let path = format!("{name} x-watch");
            match (&old_watch, &new_watch) {
                (Some(_), None) => self.push(
                    Effect::new(Wire::Unchanged, Semver::Major),
                    &path,
                    "watch removed: `watch()` is gone",
                    shown(&old_watch),
                    None,
                ),
                (None, Some(_)) => self.push(
                    Effect::new(Wire::Unchanged, Semver::Minor),
                    &path,
                    "watch added: `watch()`",
                    None,
                    shown(&new_watch),
                ),
                _ => self.push(
                    Effect::new(Wire::Unchanged, Semver::Patch),
                    &path,
                    "watched fields changed",
                    shown(&old_watch),
                    shown(&new_watch),
                ),
            }
        }
    }

    fn text(&mut self, path: &str, key: &str, old: Option<&Value>, new: Option<&Value>) {
        if old != new {
            let what = format!("{key} changed");
            let (old, new) = (
                old.map(shown).unwrap_or_default(),
                new.map(shown).unwrap_or_default(),
            );
            let (old_part, new_part) = differing_parts(&old, &new);
            self.push(
                Effect::new(Wire::Unchanged, Semver::Patch),
                path,
                &what,
                Some(old_part),
                Some(new_part),
            );
        }
    }

    fn parameters(&mut self, name: &str, old: &Value, old_at: &str, new: &Value, new_at: &str) {
        let index = |spec: &Document, op: &Value, at: &str| -> BTreeMap<(String, String), Value> {
            spec.parameters(op, at)
                .into_iter()
                .map(|(p, _)| {
                    let key = |k: &str| {
                        p.get(k)
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned()
                    };
                    ((key("in"), key("name")), p.clone())
                })
                .collect()
        };
        let old_params = index(&self.old.document, old, old_at);
        let new_params = index(&self.new.document, new, new_at);
        let required = |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
        for ((location, param), old_p) in &old_params {
            let path = format!("{name} {location} parameter `{param}`");
            let Some(new_p) = new_params.get(&(location.clone(), param.clone())) else {
                self.push(
                    Effect::new(Wire::Breaking, Semver::Major),
                    &path,
                    "parameter removed: calls that set it no longer compile",
                    Some(param.clone()),
                    None,
                );
                continue;
            };
            match (required(old_p), required(new_p)) {
                (false, true) => self.push(
                    Effect::new(Wire::Breaking, Semver::Major),
                    &path,
                    "parameter became required",
                    Some("optional".into()),
                    Some("required".into()),
                ),
                (true, false) => self.push(
                    Effect::new(Wire::Compatible, Semver::Patch),
                    &path,
                    "parameter became optional",
                    Some("required".into()),
                    Some("optional".into()),
                ),
                _ => {}
            }
            self.text(
                &path,
                "description",
                old_p.get("description"),
                new_p.get("description"),
            );
            if let (Some(old_s), Some(new_s)) = (old_p.get("schema"), new_p.get("schema")) {
                let (o, n) = (Located::new(old_s, "#"), Located::new(new_s, "#"));
                self.schema(Side::Request, &path, "", o, n);
            }
        }
        for ((location, param), new_p) in &new_params {
            if old_params.contains_key(&(location.clone(), param.clone())) {
                continue;
            }
            let path = format!("{name} {location} parameter `{param}`");
            if required(new_p) {
                self.push(
                    Effect::new(Wire::Breaking, Semver::Major),
                    &path,
                    "new required parameter: every call must now set it",
                    None,
                    Some(param.clone()),
                );
            } else {
                self.push(
                    Effect::new(Wire::Compatible, Semver::Minor),
                    &path,
                    "optional parameter added",
                    None,
                    Some(param.clone()),
                );
            }
        }
    }

    fn responses(&mut self, name: &str, old: &Value, new: &Value) {
        let statuses = |op: &Value| -> BTreeMap<String, Value> {
            op.get("responses")
                .and_then(Value::as_object)
                .map(|r| r.clone().into_iter().collect())
                .unwrap_or_default()
        };
        let (old_r, new_r) = (statuses(old), statuses(new));
        for (status, old_resp) in &old_r {
            let path = format!("{name} response {status}");
            let Some(new_resp) = new_r.get(status) else {
                self.push(
                    Effect::new(Wire::Breaking, Semver::Major),
                    &path,
                    "response status removed",
                    Some(status.clone()),
                    None,
                );
                continue;
            };
            let (Some((old_resp, _)), Some((new_resp, _))) = (
                self.old.document.resolve(old_resp, "#"),
                self.new.document.resolve(new_resp, "#"),
            ) else {
                continue;
            };
            self.text(
                &path,
                "description",
                old_resp.get("description"),
                new_resp.get("description"),
            );
            let schema = |r: &Value| r.pointer("/content/application~1json/schema").cloned();
            match (schema(old_resp), schema(new_resp)) {
                (Some(o), Some(n)) => {
                    let (o, n) = (Located::new(&o, "#"), Located::new(&n, "#"));
                    self.schema(Side::Response, &path, "", o, n);
                }
                (Some(_), None) => self.push(
                    Effect::new(Wire::Breaking, Semver::Major),
                    &path,
                    "response body removed",
                    Some("application/json".into()),
                    None,
                ),
                (None, Some(_)) => self.push(
                    Effect::new(Wire::Compatible, Semver::Minor),
                    &path,
                    "response body added",
                    None,
                    Some("application/json".into()),
                ),
                (None, None) => {}
            }
        }
        for status in new_r.keys().filter(|s| !old_r.contains_key(*s)) {
            let path = format!("{name} response {status}");
            self.push(
                Effect::new(Wire::Compatible, Semver::Minor),
                &path,
                "response status added",
                None,
                Some(status.clone()),
            );
        }
    }

    /// Resolves `$ref`s and single-`allOf` wrappers; the wrapper's nullability and description
    /// count for the property.
    fn unwrap<'s>(
        spec: &'s Document,
        schema: &'s Value,
        at: &str,
    ) -> Option<(&'s Value, String, bool, &'s str)> {
        let wrapper_nullable = nullable(schema);
        let wrapper_description = description(schema);
        let (resolved, resolved_at) = spec.resolve_wrapped(schema, at)?;
        let text = if wrapper_description.is_empty() {
            description(resolved)
        } else {
            wrapper_description
        };
        Some((
            resolved,
            resolved_at,
            wrapper_nullable || nullable(resolved),
            text,
        ))
    }

    fn schema(&mut self, side: Side, base: &str, field: &str, old: Located, new: Located) {
        let (Some((old, old_at, old_null, old_desc)), Some((new, new_at, new_null, new_desc))) = (
            Self::unwrap(&self.old.document, old.value, &old.at),
            Self::unwrap(&self.new.document, new.value, &new.at),
        ) else {
            return;
        };
        let path = if field.is_empty() {
            base.to_owned()
        } else {
            format!("{base} `{field}`")
        };
        if !self
            .visited
            .insert((path.clone(), old_at.clone(), new_at.clone()))
        {
            return;
        }
        if old_desc != new_desc {
            self.push(
                Effect::new(Wire::Unchanged, Semver::Patch),
                &path,
                "description changed",
                Some(old_desc.to_owned()),
                Some(new_desc.to_owned()),
            );
        }
        let kind = |s: &Value| {
            type_of(s)
                .map(str::to_owned)
                .or_else(|| s.get("properties").map(|_| "object".to_owned()))
        };
        let (old_type, new_type) = (kind(old), kind(new));
        if old_type != new_type {
            self.push(
                Effect::new(Wire::Breaking, Semver::Major),
                &path,
                "type changed",
                old_type,
                new_type,
            );
            return;
        }
        let format = |s: &Value| s.get("format").map(shown);
        if format(old) != format(new) {
            self.push(
                Effect::new(Wire::Breaking, Semver::Major),
                &path,
                "format changed: the Rust type changes",
                format(old),
                format(new),
            );
        }
        if old_null != new_null && old_type.as_deref() == Some("array") && side == Side::Response {
            self.push(
                Effect::new(Wire::Breaking, Semver::Major),
                &path,
                "nullability changed: the field changes between Vec and Option<Vec>",
                Some(old_null.to_string()),
                Some(new_null.to_string()),
            );
        }
        self.enum_values(side, &path, old, new);
        if side == Side::Request {
            self.bounds(&path, old, new);
        }
        let (old, new) = (Located::new(old, old_at), Located::new(new, new_at));
        self.properties(side, base, field, old.clone(), new.clone());
        if let (Some(o), Some(n)) = (old.child("items"), new.child("items")) {
            self.schema(side, base, &format!("{field}[]"), o, n);
        }
    }

    fn enum_values(&mut self, side: Side, path: &str, old: &Value, new: &Value) {
        let values = |s: &Value| -> Vec<Value> {
            s.get("enum")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let (old_v, new_v) = (values(old), values(new));
        for removed in old_v.iter().filter(|v| !new_v.contains(v)) {
            let what = match side {
                Side::Request => "request enum value removed: calls that send it no longer compile",
                Side::Response => {
                    "enum value removed: its Rust variant disappears (the value still decodes, as UnknownValue)"
                }
            };
            // Removed from a request, the service now refuses it; removed from a response, the
            // service no longer sends it: either way the Rust variant disappears.
            let wire = match side {
                Side::Request => Wire::Breaking,
                Side::Response => Wire::Compatible,
            };
            self.push(
                Effect::new(wire, Semver::Major),
                path,
                what,
                Some(shown(removed)),
                None,
            );
        }
        for added in new_v.iter().filter(|v| !old_v.contains(v)) {
            let what = match side {
                Side::Request => "request enum value added",
                Side::Response => {
                    "response enum value added: sms-api enums are open, so older clients already decode it (as UnknownValue)"
                }
            };
            self.push(
                Effect::new(Wire::Compatible, Semver::Minor),
                path,
                what,
                None,
                Some(shown(added)),
            );
        }
    }

    /// A lower bound that rises or an upper bound that falls narrows what callers may send.
    fn bounds(&mut self, path: &str, old: &Value, new: &Value) {
        for (key, lower) in [
            ("minimum", true),
            ("maximum", false),
            ("minLength", true),
            ("maxLength", false),
        ] {
            let (o, n) = (
                old.get(key).and_then(Value::as_f64),
                new.get(key).and_then(Value::as_f64),
            );
            let narrowed = match (o, n) {
                (Some(o), Some(n)) if o == n => continue,
                (None, None) => continue,
                (Some(o), Some(n)) => (n > o) == lower,
                (None, Some(_)) => true,
                (Some(_), None) => false,
            };
            let what = if narrowed {
                format!("request range narrowed ({key})")
            } else {
                format!("request range widened ({key})")
            };
            let effect = if narrowed {
                Effect::new(Wire::Breaking, Semver::Major)
            } else {
                Effect::new(Wire::Compatible, Semver::Patch)
            };
            self.push(
                effect,
                path,
                &what,
                old.get(key).map(shown),
                new.get(key).map(shown),
            );
        }
    }

    fn properties(&mut self, side: Side, base: &str, field: &str, old: Located, new: Located) {
        let props = |s: &Located| {
            s.value
                .get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (old_p, new_p) = (props(&old), props(&new));
        let child = |name: &str| {
            if field.is_empty() {
                name.to_owned()
            } else {
                format!("{field}.{name}")
            }
        };
        for (name, old_s) in &old_p {
            let path = format!("{base} `{}`", child(name));
            match new_p.get(name) {
                None => {
                    let what = match side {
                        Side::Response => {
                            "response field removed: code that reads it no longer compiles"
                        }
                        Side::Request => "request field removed",
                    };
                    // A response field gone is one the service no longer sends (code reading it
                    // breaks); a request field gone is one the service no longer reads.
                    let wire = match side {
                        Side::Response => Wire::Compatible,
                        Side::Request => Wire::Breaking,
                    };
                    self.push(
                        Effect::new(wire, Semver::Major),
                        &path,
                        what,
                        Some(name.clone()),
                        None,
                    );
                }
                Some(new_s) => {
                    let at = |side: &Located| format!("{}/properties/{}", side.at, escape(name));
                    let (o, n) = (Located::new(old_s, at(&old)), Located::new(new_s, at(&new)));
                    self.schema(side, base, &child(name), o, n);
                }
            }
        }
        for name in new_p.keys().filter(|n| !old_p.contains_key(*n)) {
            let path = format!("{base} `{}`", child(name));
            self.push(
                Effect::new(Wire::Compatible, Semver::Minor),
                &path,
                "field added (optional)",
                None,
                Some(name.clone()),
            );
        }
    }
}

/// Longest text of a changed description shown whole; longer ones show only what differs.
const SHOWN_WHOLE: usize = 80;

/// The parts of two texts that differ, with `…` for a common prefix or suffix left out.
fn differing_parts(old: &str, new: &str) -> (String, String) {
    if old.chars().count() <= SHOWN_WHOLE && new.chars().count() <= SHOWN_WHOLE {
        return (old.to_owned(), new.to_owned());
    }
    let (o, n): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    let prefix = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
    let max_suffix = o.len().min(n.len()) - prefix;
    let suffix = o
        .iter()
        .rev()
        .zip(n.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let part = |chars: &[char]| {
        let middle: String = chars[prefix..chars.len() - suffix].iter().collect();
        format!(
            "{}{middle}{}",
            if prefix > 0 { "…" } else { "" },
            if suffix > 0 { "…" } else { "" }
        )
    };
    (part(&o), part(&n))
}

/// A spec, read into a model, for the tests.
#[cfg(test)]
fn model(raw: Value) -> Model {
    Model::from_document(Document { raw }).unwrap_or_else(|problems| {
        let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
        panic!("the test spec does not read:\n{}", said.join("\n"))
    })
}

#[cfg(test)]
mod waiter_tests {
    use super::*;
    use crate::semver::Semver;

    fn spec_with(waiters: Value) -> Model {
        let mut raw: Value = serde_json::from_str(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../spec/sms-list-tasks.json"
            ))
            .unwrap(),
        )
        .unwrap();
        raw["paths"]["/v3/tasks"]["get"]["x-waiters"] = waiters;
        model(raw)
    }

    fn acceptor(state: &str, comparator: &str, expected: &str) -> Value {
        json!({"state": state, "matcher": {"output": {"path": "tasks[].state", "expected": expected, "comparator": comparator}}})
    }

    use serde_json::json;

    #[test]
    fn waiter_changes_say_what_they_do_and_their_semver() {
        let base = json!({"TaskMigrated": {"documentation": "Waits.", "minDelay": 10, "acceptors": [
            acceptor("failure", "anyStringEquals", "MIGRATE_FAIL"),
            acceptor("success", "allStringEquals", "MIGRATE_SUCCESS"),
        ]}});
        let old = spec_with(base.clone());
        let mut changed = base.clone();
        changed["TaskMigrated"]["acceptors"]
            .as_array_mut()
            .unwrap()
            .insert(
                1,
                acceptor("failure", "anyStringEquals", "SYNC_F_ROLLBACKING"),
            );
        changed["TaskMigrated"]["minDelay"] = json!(5);
        let changes = compare(&old, &spec_with(changed));
        let whats: Vec<&str> = changes.iter().map(|c| c.what.as_str()).collect();
        assert_eq!(
            whats,
            [
                "TaskMigrated now also fails when any tasks[].state is SYNC_F_ROLLBACKING",
                "minDelay changed (seconds)",
            ]
        );
        assert!(changes.iter().all(|c| Semver::of(c) == Semver::Patch));

        let mut not_found = base.clone();
        not_found["TaskMigrated"]["acceptors"][0]["outcome"] = json!("notFound");
        let changes = compare(&old, &spec_with(not_found));
        let whats: Vec<&str> = changes.iter().map(|c| c.what.as_str()).collect();
        assert_eq!(
            whats,
            [
                "TaskMigrated now also ends as not found (WaitErrorKind::NotFound) when any tasks[].state is MIGRATE_FAIL",
                "TaskMigrated no longer fails when any tasks[].state is MIGRATE_FAIL",
            ]
        );

        let mut added = base.clone();
        added["TasksDone"] = base["TaskMigrated"].clone();
        let changes = compare(&old, &spec_with(added));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].what, "waiter added: `wait_until_tasks_done()`");
        assert_eq!(Semver::of(&changes[0]), Semver::Minor);

        let mut renamed = json!({});
        renamed["TaskDone"] = base["TaskMigrated"].clone();
        let changes = compare(&old, &spec_with(renamed));
        let removed = changes
            .iter()
            .find(|c| c.what.starts_with("waiter removed"))
            .unwrap();
        assert_eq!(
            removed.what,
            "waiter removed: `wait_until_task_migrated()` is gone"
        );
        assert_eq!(Semver::of(removed), Semver::Major);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/v3/tasks": {"get": {
                "operationId": "list_tasks",
                "parameters": [
                    {"name": "limit", "in": "query", "description": "Page size.",
                     "schema": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 200}},
                    {"name": "state", "in": "query", "description": "State.",
                     "schema": {"$ref": "#/components/schemas/State"}}],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}},
                    "403": {"description": "denied"}}
            }}},
            "components": {"schemas": {
                "Page": {"type": "object", "description": "A page.", "properties": {
                    "count": {"type": "integer", "format": "int32", "description": "Total."},
                    "tasks": {"type": "array", "nullable": true, "description": "Tasks.",
                              "items": {"$ref": "#/components/schemas/Task"}}}},
                "Task": {"type": "object", "description": "A task.", "properties": {
                    "name": {"type": "string", "description": "Name."},
                    "state": {"allOf": [{"$ref": "#/components/schemas/State"}], "nullable": true, "description": "State."}}},
                "State": {"type": "string", "description": "States.", "enum": ["READY", "RUNNING"]}
            }}
        })
    }

    fn diff(edit: impl FnOnce(&mut Value)) -> Vec<Change> {
        let mut new = base();
        edit(&mut new);
        compare(&model(base()), &model(new))
    }

    fn one(edit: impl FnOnce(&mut Value)) -> Change {
        let changes = diff(edit);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        changes.into_iter().next().unwrap()
    }

    #[test]
    fn long_descriptions_show_only_what_differs() {
        let old = format!("{}\n- `READY`: ready", "x".repeat(90));
        let new = format!("{old}\n- `PAUSED`: paused");
        assert_eq!(
            differing_parts(&old, &new),
            ("…".to_owned(), "…\n- `PAUSED`: paused".to_owned())
        );
        assert_eq!(
            differing_parts("Name.", "The name."),
            ("Name.".to_owned(), "The name.".to_owned())
        );
    }

    #[test]
    fn no_edit_no_change() {
        assert_eq!(diff(|_| {}), vec![]);
    }

    #[test]
    fn a_removed_response_field_is_breaking() {
        let c = one(|s| {
            s["components"]["schemas"]["Task"]["properties"]
                .as_object_mut()
                .unwrap()
                .remove("name");
        });
        assert!(c.breaking());
        assert_eq!(c.path, "GET /v3/tasks response 200 `tasks[].name`");
        assert_eq!(c.old.as_deref(), Some("name"));
    }

    #[test]
    fn a_changed_field_type_is_breaking() {
        let c = one(|s| {
            s["components"]["schemas"]["Page"]["properties"]["count"] =
                json!({"type": "string", "description": "Total."})
        });
        assert!(c.breaking());
        assert_eq!(
            (c.what.as_str(), c.old.as_deref(), c.new.as_deref()),
            ("type changed", Some("integer"), Some("string"))
        );
        let c = one(|s| {
            s["components"]["schemas"]["Page"]["properties"]["count"]["format"] = json!("int64")
        });
        assert!(
            c.breaking() && c.what.starts_with("format changed"),
            "{c:?}"
        );
    }

    #[test]
    fn a_new_required_parameter_is_breaking_and_an_optional_one_is_not() {
        let c = one(|s| {
            s["paths"]["/v3/tasks"]["get"]["parameters"].as_array_mut().unwrap().push(
                json!({"name": "region", "in": "query", "required": true, "description": "r", "schema": {"type": "string", "maxLength": 9}}),
            );
        });
        assert!(c.breaking());
        assert_eq!(c.path, "GET /v3/tasks query parameter `region`");
        let c = one(|s| {
            s["paths"]["/v3/tasks"]["get"]["parameters"].as_array_mut().unwrap().push(
                json!({"name": "region", "in": "query", "description": "r", "schema": {"type": "string", "maxLength": 9}}),
            );
        });
        assert!(!c.breaking());
    }

    #[test]
    fn a_removed_request_enum_value_is_breaking_and_an_added_response_value_is_not() {
        let changes = diff(|s| s["components"]["schemas"]["State"]["enum"] = json!(["READY"]));
        let request = changes
            .iter()
            .find(|c| c.path == "GET /v3/tasks query parameter `state`")
            .unwrap();
        assert!(request.breaking() && request.what.starts_with("request enum value removed"));
        assert_eq!(request.old.as_deref(), Some("RUNNING"));

        let changes = diff(|s| {
            s["components"]["schemas"]["State"]["enum"] = json!(["READY", "RUNNING", "PAUSED"])
        });
        let response = changes
            .iter()
            .find(|c| c.path == "GET /v3/tasks response 200 `tasks[].state`")
            .unwrap();
        assert!(!response.breaking());
        assert!(response.what.contains("open"), "{}", response.what);
        assert!(changes.iter().all(|c| !c.breaking()));
    }

    #[test]
    fn a_narrowed_request_range_is_breaking_and_a_widened_one_is_not() {
        let c = one(|s| {
            s["paths"]["/v3/tasks"]["get"]["parameters"][0]["schema"]["maximum"] = json!(100)
        });
        assert!(c.breaking());
        assert_eq!(
            (c.old.as_deref(), c.new.as_deref()),
            (Some("200"), Some("100"))
        );
        let c = one(|s| {
            s["paths"]["/v3/tasks"]["get"]["parameters"][0]["schema"]["maximum"] = json!(500)
        });
        assert!(!c.breaking());
        assert!(c.what.contains("widened"));
    }

    #[test]
    fn a_removed_operation_or_status_is_breaking() {
        let c = one(|s| {
            s["paths"]["/v3/tasks"]["get"]["responses"]
                .as_object_mut()
                .unwrap()
                .remove("403");
        });
        assert!(c.breaking() && c.what == "response status removed");
        let c = one(|s| s["paths"] = json!({}));
        assert!(c.breaking() && c.what == "operation removed");
    }

    #[test]
    fn an_added_field_and_a_changed_description_are_not_breaking() {
        let c = one(|s| {
            s["components"]["schemas"]["Task"]["properties"]["speed"] =
                json!({"type": "number", "format": "double", "description": "s"})
        });
        assert!(!c.breaking());
        assert_eq!(c.path, "GET /v3/tasks response 200 `tasks[].speed`");
        let c = one(|s| {
            s["components"]["schemas"]["Task"]["properties"]["name"]["description"] =
                json!("The name.")
        });
        assert!(!c.breaking());
        assert_eq!(
            (c.old.as_deref(), c.new.as_deref()),
            (Some("Name."), Some("The name."))
        );
    }
}
