//! `cargo xtask diff`: classifies every spec change by what it means for users of sms-api.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use sms_api_codegen::document::{Document, description, escape, nullable, type_of};
use sms_api_codegen::model::Model;
use sms_api_codegen::model::enums::WireValue;
use sms_api_codegen::model::waiter_outcomes::Case;
use sms_api_codegen::model::waiters::{Acceptor, Comparator, Matcher, State, Waiter, Watch};
use sms_api_codegen::names::{type_name, waiter_method};

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
    /// What a running program notices, beside the wire and the Rust API: a default that
    /// follows the spec, a value that now decodes as a variant, a waiter that ends otherwise.
    pub noticed: Option<Noticed>,
}

impl Change {
    /// Its effect on the Rust API, as the differ set it (the words do not decide: an "added"
    /// that breaks the Rust API is major).
    pub fn semver(&self) -> Semver {
        self.effect.rust
    }
}

/// What a program built against the new spec does differently at run time, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Noticed {
    pub kind: Notice,
    /// What it does now, and what to do about it.
    pub says: String,
}

/// The kinds of run-time change a program notices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// A default the client takes from the spec (page size, offset ceiling, waiter delays).
    DefaultChanged,
    /// A value that decoded as `UnknownValue` now decodes as a variant (or a filter value that
    /// was refused is now sent).
    NowDocumented,
    /// A waiter now ends otherwise for some state.
    WaiterOutcome,
}

impl Notice {
    /// `default changed`, `now documented`, `waiter outcome`.
    pub fn as_str(self) -> &'static str {
        match self {
            Notice::DefaultChanged => "default changed",
            Notice::NowDocumented => "now documented",
            Notice::WaiterOutcome => "waiter outcome",
        }
    }
}

impl Change {
    /// Says what a running program notices of this change.
    fn notice(&mut self, kind: Notice, says: String) {
        self.noticed = Some(Noticed { kind, says });
    }

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
    /// The enum values (request side or not, schema, value) already noticed: an enum used in
    /// several places is noticed once for requests and once for responses.
    documented: BTreeSet<(bool, String, String)>,
}

/// Every change from the model `old` to the model `new`, in document order: schemas and
/// parameters from the models' documents, waiters and watches as the models read them.
pub fn compare(old: &Model, new: &Model) -> Vec<Change> {
    let mut differ = Differ {
        old,
        new,
        changes: Vec::new(),
        visited: BTreeSet::new(),
        documented: BTreeSet::new(),
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
        self.record(effect, path, what, old, new);
    }

    /// [`push`](Self::push), giving the change back to say what programs notice of it.
    fn record(
        &mut self,
        effect: Effect,
        path: &str,
        what: &str,
        old: Option<String>,
        new: Option<String>,
    ) -> &mut Change {
        self.changes.push(Change {
            effect,
            path: path.to_owned(),
            what: what.to_owned(),
            old,
            new,
            noticed: None,
        });
        self.changes.last_mut().expect("a change was just pushed")
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
        let old_schemas: BTreeSet<String> = self
            .old
            .document
            .component_schemas()
            .map(|(name, _)| name.clone())
            .collect();
        for (name, (op, _)) in new_ops.iter().filter(|(n, _)| !old_ops.contains_key(*n)) {
            let what = match op.get("operationId").and_then(Value::as_str) {
                Some(id) => format!(
                    "operation added: `client.{id}()`; it brings: {}",
                    crate::brings::brings(self.new, id, &old_schemas).join("; ")
                ),
                None => "operation added".to_owned(),
            };
            self.push(
                Effect::new(Wire::Compatible, Semver::Minor),
                name,
                &what,
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
        self.request_body(name, old, new);
        self.responses(name, old, new);
        self.safety(name, old_at, new_at);
        self.page_defaults(name, old_at, new_at);
        self.waiters(name, old_at, new_at);
    }

    /// The paginator's defaults, which follow the spec: its page size is the `limit`
    /// parameter's maximum and its reach the `offset` parameter's. A change of either changes
    /// what every listing sends, though no code changes.
    fn page_defaults(&mut self, name: &str, old_at: &str, new_at: &str) {
        let limits = |model: &Model, at: &str| model.operation_at(at).and_then(|o| o.page_limits);
        let (Some(was), Some(now)) = (limits(self.old, old_at), limits(self.new, new_at)) else {
            return;
        };
        let path = format!("{name} x-pagination");
        if was.max_page_size != now.max_page_size {
            let (from, to) = (was.max_page_size, now.max_page_size);
            let consequence = if to > from {
                format!(
                    "fewer, larger requests; a service that still caps the page size at {from} refuses them: pin `.page_size({from})` to keep today's requests"
                )
            } else {
                "more requests for the same listing".to_owned()
            };
            self.record(
                Effect::new(Wire::Compatible, Semver::Patch),
                &path,
                "the paginator's default page size (the spec's maximum) changed",
                Some(from.to_string()),
                Some(to.to_string()),
            )
            .notice(
                Notice::DefaultChanged,
                format!(
                    "every listing that keeps the default page size now asks for {to} items a page instead of {from}: {consequence}"
                ),
            );
        }
        if was.max_offset != now.max_offset {
            let (from, to) = (was.max_offset, now.max_offset);
            self.record(
                Effect::new(Wire::Compatible, Semver::Patch),
                &path,
                "the paginator's reach (the spec's largest offset) changed",
                Some(from.to_string()),
                Some(to.to_string()),
            )
            .notice(
                Notice::DefaultChanged,
                format!(
                    "listings now page up to offset {to} instead of {from}: {} items are reachable before a listing ends with its `Incomplete` error (narrow the filters to reach the rest)",
                    if to > from { "more" } else { "fewer" }
                ),
            );
        }
    }

    /// For every state either side documents (and one neither does, and an empty listing),
    /// whether the waiter's outcome changed: said per state, as a program would see it.
    fn waiter_outcomes(&mut self, path: &str, was: &Waiter, now: &Waiter) {
        let (Some(old_table), Some(new_table)) = (&was.table, &now.table) else {
            return;
        };
        if old_table.text != new_table.text {
            return;
        }
        let mut cases = old_table.cases();
        for case in new_table.cases() {
            if !cases.contains(&case) {
                cases.push(case);
            }
        }
        cases.sort_by_key(|case| !matches!(case, Case::Value(_)));
        for case in cases {
            let (before, after) = (
                old_table.outcome(&was.acceptors, &case),
                new_table.outcome(&now.acceptors, &case),
            );
            if before == after {
                continue;
            }
            let listing = match &case {
                Case::Empty => "when nothing is listed".to_owned(),
                other => format!("when every `{}` is {}", old_table.text, other.words()),
            };
            self.record(
                Effect::new(Wire::Unchanged, Semver::Patch),
                path,
                &format!("{} {listing}: {}", was.name, after.words()),
                Some(before.words().to_owned()),
                Some(after.words().to_owned()),
            )
            .notice(
                Notice::WaiterOutcome,
                format!(
                    "`{}()` {listing} now {} (it {})",
                    waiter_method(&was.name),
                    after.words(),
                    before.words()
                ),
            );
        }
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
            self.waiter_outcomes(&path, waiter, now);
            let mut delays_noticed = false;
            for (key, was, is) in [
                ("minDelay", waiter.min_delay, now.min_delay),
                ("maxDelay", waiter.max_delay, now.max_delay),
            ] {
                if was != is {
                    let change = self.record(
                        Effect::new(Wire::Unchanged, Semver::Patch),
                        &path,
                        &format!("{key} changed (seconds)"),
                        Some(was.to_string()),
                        Some(is.to_string()),
                    );
                    // Both delays in one notice, on the first that changed.
                    if std::mem::replace(&mut delays_noticed, true) {
                        continue;
                    }
                    change.notice(
                        Notice::DefaultChanged,
                        format!(
                            "`{}()` now polls every {}-{} s unless told otherwise (it polled every {}-{} s)",
                            waiter_method(&waiter.name),
                            now.min_delay,
                            now.max_delay,
                            waiter.min_delay,
                            waiter.max_delay
                        ),
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
            self.requiredness(&path, "parameter", required(old_p), required(new_p));
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
            self.added(
                &path,
                param,
                required(new_p),
                "new required parameter: every call must now set it",
                "optional parameter added",
            );
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
            let (old_part, new_part) = differing_parts(old_desc, new_desc);
            self.push(
                Effect::new(Wire::Unchanged, Semver::Patch),
                &path,
                "description changed",
                Some(old_part),
                Some(new_part),
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
        self.enum_values(side, &path, &new_at, old, new);
        if side == Side::Request {
            self.bounds(&path, old, new);
        }
        let (old, new) = (Located::new(old, old_at), Located::new(new, new_at));
        self.properties(side, base, field, old.clone(), new.clone());
        if let (Some(o), Some(n)) = (old.child("items"), new.child("items")) {
            self.schema(side, base, &format!("{field}[]"), o, n);
        }
    }

    fn enum_values(&mut self, side: Side, path: &str, new_at: &str, old: &Value, new: &Value) {
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
            let noticed = self.now_documented(side, new_at, added);
            let change = self.record(
                Effect::new(Wire::Compatible, Semver::Minor),
                path,
                what,
                None,
                Some(shown(added)),
            );
            if let Some(says) = noticed {
                change.notice(Notice::NowDocumented, says);
            }
        }
    }

    /// What code built against the old spec notices when `value` of the enum schema at
    /// `schema_at` becomes documented: once per schema and value, for responses and requests.
    fn now_documented(&mut self, side: Side, schema_at: &str, value: &Value) -> Option<String> {
        let schema = schema_at.strip_prefix("#/components/schemas/")?;
        let open = self.new.enums.iter().find(|e| e.name == schema)?;
        let text = shown(value);
        let variant = &open
            .values
            .iter()
            .find(|v| match &v.wire {
                WireValue::Text(t) => *t == text,
                WireValue::Integer(i) => Some(*i) == value.as_i64(),
            })?
            .variant;
        let key = (side == Side::Request, schema.to_owned(), text.clone());
        if !self.documented.insert(key) {
            return None;
        }
        let ty = type_name(schema);
        let literal = if value.is_string() {
            format!("\"{text}\"")
        } else {
            format!("&{text}")
        };
        Some(match side {
            Side::Response => format!(
                "`{text}` now decodes as `{ty}::{variant}`; it decoded as `{ty}::UnknownValue`: code that matched the unknown value's text (`{ty}::UnknownValue(v) if v.value() == {literal}`, or `as_str()` in a catch-all arm) no longer sees it there"
            ),
            Side::Request => format!(
                "`{text}` is now accepted where a `{ty}` is sent; it was refused before sending as undocumented (strict filters): a call that passed it as text now sends it"
            ),
        })
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
        let required = |s: &Located| -> Vec<String> {
            s.value
                .get("required")
                .and_then(Value::as_array)
                .map(|names| {
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let (old_required, new_required) = (required(&old), required(&new));
        for name in new_p.keys().filter(|n| !old_p.contains_key(*n)) {
            let path = format!("{base} `{}`", child(name));
            let required = side == Side::Request && new_required.contains(name);
            self.added(
                &path,
                name,
                required,
                "new required request field: every call must now set it",
                "field added (optional)",
            );
        }
        // A request field that existed and became required (or optional).
        if side == Side::Request {
            for name in old_p.keys().filter(|n| new_p.contains_key(*n)) {
                let path = format!("{base} `{}`", child(name));
                self.requiredness(
                    &path,
                    "request field",
                    old_required.contains(name),
                    new_required.contains(name),
                );
            }
        }
    }

    /// A parameter or request field `name` added: breaking when `required` (every call must
    /// now send it), else minor.
    fn added(
        &mut self,
        path: &str,
        name: &str,
        required: bool,
        if_required: &str,
        if_optional: &str,
    ) {
        let (effect, what) = if required {
            (Effect::new(Wire::Breaking, Semver::Major), if_required)
        } else {
            (Effect::new(Wire::Compatible, Semver::Minor), if_optional)
        };
        self.push(effect, path, what, None, Some(name.to_owned()));
    }

    /// A parameter or request field (`what`) that became required (breaking: calls that left it
    /// out are refused) or optional.
    fn requiredness(&mut self, path: &str, what: &str, was: bool, now: bool) {
        let (effect, became) = match (was, now) {
            (false, true) => (Effect::new(Wire::Breaking, Semver::Major), "required"),
            (true, false) => (Effect::new(Wire::Compatible, Semver::Patch), "optional"),
            _ => return,
        };
        let before = if was { "required" } else { "optional" };
        self.push(
            effect,
            path,
            &format!("{what} became {became}"),
            Some(before.into()),
            Some(became.into()),
        );
    }

    /// The JSON request body: added (a required one breaks every call), removed, or its schema
    /// changed (compared as a request: a new required field breaks, an optional one is minor).
    fn request_body(&mut self, name: &str, old: &Value, new: &Value) {
        let body = |model: &Model, op: &Value| -> Option<(Value, bool)> {
            let (resolved, _) = model
                .document
                .resolve(op.get("requestBody")?, "#")
                .map(|(v, at)| (v.clone(), at))?;
            let schema = resolved
                .pointer("/content/application~1json/schema")?
                .clone();
            let required = resolved
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            Some((schema, required))
        };
        let path = format!("{name} request body");
        match (body(self.old, old), body(self.new, new)) {
            (None, None) => {}
            (None, Some((_, required))) => self.push(
                if required {
                    Effect::new(Wire::Breaking, Semver::Major)
                } else {
                    Effect::new(Wire::Compatible, Semver::Minor)
                },
                &path,
                if required {
                    "request body added, required: every call must now send it"
                } else {
                    "optional request body added"
                },
                None,
                Some("application/json".into()),
            ),
            (Some(_), None) => self.push(
                Effect::new(Wire::Breaking, Semver::Major),
                &path,
                "request body removed: calls that set its fields no longer compile",
                Some("application/json".into()),
                None,
            ),
            (Some((o, _)), Some((n, _))) => {
                let (o, n) = (Located::new(&o, "#"), Located::new(&n, "#"));
                self.schema(Side::Request, &path, "", o, n);
            }
        }
    }

    /// Whether the client may send the operation again by itself: a change of method or of
    /// `x-idempotent` that changes it changes what a lost answer leads to.
    fn safety(&mut self, name: &str, old_at: &str, new_at: &str) {
        let safe = |model: &Model, at: &str| model.operation_at(at).map(|o| o.safe_to_repeat);
        let (Some(was), Some(now)) = (safe(self.old, old_at), safe(self.new, new_at)) else {
            return;
        };
        if was == now {
            return;
        }
        let says = if now {
            "a call whose answer is lost is now sent again by the client (it was reported as OutcomeUnknown)"
        } else {
            "a call whose answer is lost is no longer sent again: it ends as OutcomeUnknown (may or may not have happened)"
        };
        self.record(
            Effect::new(Wire::Unchanged, Semver::Patch),
            &format!("{name} x-idempotent"),
            "whether the operation is safe to repeat changed",
            Some(was.to_string()),
            Some(now.to_string()),
        )
        .notice(Notice::DefaultChanged, says.to_owned());
    }
}

/// What a text change says: the sentences only the old text has and those only the new one
/// has, each whole (a reviewer reads sentences, not clipped words). Texts that share no
/// sentence are shown whole.
fn differing_parts(old: &str, new: &str) -> (String, String) {
    let (was, now) = (sentences(old), sentences(new));
    let only = |these: &[&str], others: &[&str]| {
        these
            .iter()
            .filter(|s| !others.contains(s))
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (removed, added) = (only(&was, &now), only(&now, &was));
    if removed.is_empty() && added.is_empty() {
        // The same sentences, moved or re-spaced: show the texts.
        return (old.to_owned(), new.to_owned());
    }
    (removed, added)
}

/// The sentences of a text: split after `.`, `!`, `?` or `:` followed by a space, and at line
/// ends (list items), each trimmed.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (at, byte) in bytes.iter().enumerate() {
        let ends = match byte {
            b'\n' => Some(at),
            b'.' | b'!' | b'?' if bytes.get(at + 1).is_none_or(|b| *b == b' ') => Some(at + 1),
            _ => None,
        };
        if let Some(end) = ends {
            let sentence = text[start..end].trim();
            if !sentence.is_empty() {
                out.push(sentence);
            }
            start = end;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
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
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/sms.json"))
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
                "TaskMigrated when every `tasks[].state` is `SYNC_F_ROLLBACKING`: fails",
                "minDelay changed (seconds)",
            ]
        );
        assert!(changes.iter().all(|c| c.semver() == Semver::Patch));
        let noticed: Vec<(Notice, &str)> = changes
            .iter()
            .filter_map(|c| c.noticed.as_ref().map(|n| (n.kind, n.says.as_str())))
            .collect();
        assert_eq!(
            noticed,
            [
                (
                    Notice::WaiterOutcome,
                    "`wait_until_task_migrated()` when every `tasks[].state` is `SYNC_F_ROLLBACKING` now fails (it polls again)"
                ),
                (
                    Notice::DefaultChanged,
                    "`wait_until_task_migrated()` now polls every 5-120 s unless told otherwise (it polled every 10-120 s)"
                ),
            ]
        );

        let mut not_found = base.clone();
        not_found["TaskMigrated"]["acceptors"][0]["outcome"] = json!("notFound");
        let changes = compare(&old, &spec_with(not_found));
        let whats: Vec<&str> = changes.iter().map(|c| c.what.as_str()).collect();
        assert_eq!(
            whats,
            [
                "TaskMigrated now also ends as not found (WaitErrorKind::NotFound) when any tasks[].state is MIGRATE_FAIL",
                "TaskMigrated no longer fails when any tasks[].state is MIGRATE_FAIL",
                "TaskMigrated when every `tasks[].state` is `MIGRATE_FAIL`: ends as not found",
            ]
        );

        let mut added = base.clone();
        added["TasksDone"] = base["TaskMigrated"].clone();
        let changes = compare(&old, &spec_with(added));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].what, "waiter added: `wait_until_tasks_done()`");
        assert_eq!(changes[0].semver(), Semver::Minor);

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
        assert_eq!(removed.semver(), Semver::Major);
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
            "x-request-id-header": "X-Request-Id",
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
            "components": {
                "securitySchemes": {"iam_token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token", "x-max-length": 16384}},"schemas": {
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
    fn text_changes_show_whole_sentences() {
        let old = "Waits until every task has migrated. Fails as soon as one has failed. Use it with `id`.";
        let new = "Waits until every task has migrated. Fails as soon as one has failed or was stopped. Use it with `id`.";
        assert_eq!(
            differing_parts(old, new),
            (
                "Fails as soon as one has failed.".to_owned(),
                "Fails as soon as one has failed or was stopped.".to_owned()
            )
        );
        let list = "States:\n- `READY`: ready\n- `RUNNING`: migrating";
        assert_eq!(
            differing_parts(list, &format!("{list}\n- `PAUSED`: paused")),
            (String::new(), "- `PAUSED`: paused".to_owned())
        );
        assert_eq!(
            differing_parts("Name.", "The name."),
            ("Name.".to_owned(), "The name.".to_owned())
        );
        // A version number is not a sentence's end.
        assert_eq!(
            sentences("Since v3.1 it pages. Done"),
            ["Since v3.1 it pages.", "Done"]
        );
    }

    #[test]
    fn everyday_changes_say_what_running_programs_notice() {
        let changes = diff(|s| {
            s["components"]["schemas"]["State"]["enum"] = json!(["READY", "RUNNING", "PAUSED"]);
        });
        let noticed: Vec<(&str, Notice, &str)> = changes
            .iter()
            .filter_map(|c| {
                c.noticed
                    .as_ref()
                    .map(|n| (c.path.as_str(), n.kind, n.says.as_str()))
            })
            .collect();
        assert_eq!(
            noticed,
            [
                (
                    "GET /v3/tasks query parameter `state`",
                    Notice::NowDocumented,
                    "`PAUSED` is now accepted where a `State` is sent; it was refused before sending as undocumented (strict filters): a call that passed it as text now sends it"
                ),
                (
                    "GET /v3/tasks response 200 `tasks[].state`",
                    Notice::NowDocumented,
                    "`PAUSED` now decodes as `State::Paused`; it decoded as `State::UnknownValue`: code that matched the unknown value's text (`State::UnknownValue(v) if v.value() == \"PAUSED\"`, or `as_str()` in a catch-all arm) no longer sees it there"
                ),
            ]
        );
    }

    #[test]
    fn a_new_maximum_page_size_is_a_default_every_listing_notices() {
        let paged = |s: &mut Value| {
            let op = &mut s["paths"]["/v3/tasks"]["get"];
            op["x-pagination"] =
                json!({"limit": "limit", "offset": "offset", "count": "count", "items": "tasks"});
            op["parameters"].as_array_mut().unwrap().push(
                json!({"name": "offset", "in": "query", "description": "Offset.",
                "schema": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 65535}}),
            );
            op["parameters"][0]["schema"]["minimum"] = json!(1);
        };
        let mut old = base();
        paged(&mut old);
        let mut new = old.clone();
        new["paths"]["/v3/tasks"]["get"]["parameters"][0]["schema"]["maximum"] = json!(500);
        let changes = compare(&model(old), &model(new));
        let page = changes
            .iter()
            .find(|c| c.path == "GET /v3/tasks x-pagination")
            .unwrap();
        assert_eq!(
            (page.old.as_deref(), page.new.as_deref()),
            (Some("200"), Some("500"))
        );
        let noticed = page.noticed.as_ref().unwrap();
        assert_eq!(noticed.kind, Notice::DefaultChanged);
        assert!(
            noticed.says.starts_with("every listing that keeps the default page size now asks for 500 items a page instead of 200"),
            "{}",
            noticed.says
        );
        assert!(!page.breaking());
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
    fn an_added_operation_says_what_it_brings() {
        let c = one(|s| {
            s["paths"]["/v3/tasks/{task_id}"] = json!({"delete": {
                "operationId": "delete_task",
                "parameters": [{"name": "task_id", "in": "path", "required": true,
                    "description": "The task.", "schema": {"type": "string", "maxLength": 64}}],
                "responses": {"204": {"description": "Deleted."}}}});
        });
        assert!(!c.breaking() && c.semver() == Semver::Minor, "{c:?}");
        for part in [
            "operation added: `client.delete_task()`; it brings: `DELETE /v3/tasks/{task_id}`, retried when an answer is lost",
            "path parameter `task_id` (required), 1-64 characters",
            "typed mock: `server.delete_task(|when, then| ..)`",
            "FakeService: answers 204 with no body",
            "command: `sms delete-task`",
        ] {
            assert!(c.what.contains(part), "{part} in {}", c.what);
        }
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

#[cfg(test)]
mod request_body_tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/sms.json"))
                .unwrap(),
        )
        .unwrap()
    }

    fn changes(edit: impl FnOnce(&mut Value)) -> Vec<Change> {
        let mut new = spec();
        edit(&mut new);
        compare(&model(spec()), &model(new))
    }

    fn body(spec: &mut Value) -> &mut Value {
        &mut spec["components"]["schemas"]["UpdateTaskStatusReq"]
    }

    #[test]
    fn a_new_required_body_field_breaks_and_an_optional_one_is_minor() {
        let field = json!({"type": "string", "maxLength": 64, "description": "A reason."});
        let optional = changes(|s| body(s)["properties"]["reason"] = field.clone());
        assert_eq!(optional.len(), 1, "{optional:#?}");
        assert_eq!(
            optional[0].path,
            "POST /v3/tasks/{task_id}/action request body `reason`"
        );
        assert_eq!(optional[0].semver(), Semver::Minor);
        let required = changes(|s| {
            body(s)["properties"]["reason"] = field.clone();
            body(s)["required"]
                .as_array_mut()
                .unwrap()
                .push(json!("reason"));
        });
        assert_eq!(required.len(), 1, "{required:#?}");
        assert!(required[0].breaking());
        assert_eq!(
            required[0].what,
            "new required request field: every call must now set it"
        );
        let narrowed = changes(|s| body(s)["properties"]["template_id"]["maxLength"] = json!(64));
        assert!(
            narrowed
                .iter()
                .any(|c| c.what == "request range narrowed (maxLength)" && c.breaking())
        );
    }

    #[test]
    fn a_path_parameter_and_safety_changes_are_reported() {
        let path = changes(|s| {
            s["paths"]["/v3/tasks/{task_id}"]["parameters"][0]["schema"]["maxLength"] = json!(64)
        });
        assert!(
            path.iter().any(
                |c| c.path == "GET /v3/tasks/{task_id} path parameter `task_id`" && c.breaking()
            ),
            "{path:#?}"
        );
        let safety = changes(|s| {
            s["paths"]["/v3/tasks/{task_id}/action"]["post"]["x-idempotent"] = json!(true)
        });
        assert_eq!(safety.len(), 1, "{safety:#?}");
        let noticed = safety[0].noticed.as_ref().unwrap();
        assert!(
            noticed
                .says
                .starts_with("a call whose answer is lost is now sent again")
        );
    }
}
