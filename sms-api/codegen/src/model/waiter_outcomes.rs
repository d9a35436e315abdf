//! What a waiter ends with for each state its items can be in, worked out from its acceptors:
//! the table its rustdoc shows (so no prose in the spec lists states by hand) and what
//! `cargo xtask diff` compares when acceptors or the documented states change.
//!
//! A waiter is tabulated along its first string comparison over a list's members
//! (`tasks[].state`): each documented value of that member, one value the spec does not
//! document, and an empty list, each as a response whose list holds one item in that state
//! (none for the empty list), run through the acceptors in order as the runtime runs them.

use serde_json::{Map, Value};

use super::acceptors::{Acceptor, Comparator, Matcher, Path, State};

/// The list member a waiter is tabulated along, and the values the spec documents for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tabulated {
    /// The path as written in the spec: `tasks[].state`.
    pub text: String,
    /// The list: `["tasks"]`.
    pub list: Vec<String>,
    /// The member of each item: `["state"]`.
    pub field: Vec<String>,
    /// The member's documented (enum) values, in the spec's order; empty when it has none.
    pub values: Vec<String>,
}

/// One row of the table: what the listing holds.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Case {
    /// Every listed item has this value.
    Value(String),
    /// Every listed item has a value the spec does not document.
    Undocumented,
    /// Nothing is listed.
    Empty,
}

impl Case {
    /// `` `READY` ``, `a state the spec does not document`, `nothing listed`.
    pub fn words(&self) -> String {
        match self {
            Case::Value(value) => format!("`{value}`"),
            Case::Undocumented => "a value the spec does not document".to_owned(),
            Case::Empty => "nothing listed".to_owned(),
        }
    }
}

/// How a wait ends for a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Succeeds,
    Fails,
    /// A failure marked `"outcome": "notFound"`.
    NotFound,
    /// No acceptor matched, or a `retry` one did.
    PollsAgain,
}

impl Outcome {
    /// `succeeds`, `fails`, `ends as not found`, `polls again`.
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Succeeds => "succeeds",
            Outcome::Fails => "fails",
            Outcome::NotFound => "ends as not found",
            Outcome::PollsAgain => "polls again",
        }
    }
}

/// The member the acceptors are tabulated along: the first string comparison over a list's
/// members. `values` are that member's documented values.
pub fn tabulated(
    acceptors: &[Acceptor],
    values: impl Fn(&Path) -> Vec<String>,
) -> Option<Tabulated> {
    acceptors
        .iter()
        .find_map(|acceptor| match &acceptor.matcher {
            Matcher::Output {
                path: path @ Path::Projection { list, field },
                text,
                comparator: Comparator::AllStringEquals | Comparator::AnyStringEquals,
                ..
            } => Some(Tabulated {
                text: text.clone(),
                list: list.clone(),
                field: field.clone(),
                values: values(path),
            }),
            _ => None,
        })
}

impl Tabulated {
    /// Every case, in order: each documented value, an undocumented one, an empty listing.
    pub fn cases(&self) -> Vec<Case> {
        self.values
            .iter()
            .cloned()
            .map(Case::Value)
            .chain([Case::Undocumented, Case::Empty])
            .collect()
    }

    /// The outcome of `acceptors` for `case`.
    pub fn outcome(&self, acceptors: &[Acceptor], case: &Case) -> Outcome {
        let response = self.response(acceptors, case);
        for acceptor in acceptors {
            if matches(&acceptor.matcher, &response) {
                return match acceptor.state {
                    State::Success => Outcome::Succeeds,
                    State::Failure if acceptor.not_found => Outcome::NotFound,
                    State::Failure => Outcome::Fails,
                    State::Retry => Outcome::PollsAgain,
                };
            }
        }
        Outcome::PollsAgain
    }

    /// The table: every case and its outcome.
    pub fn table(&self, acceptors: &[Acceptor]) -> Vec<(Case, Outcome)> {
        self.cases()
            .into_iter()
            .map(|case| {
                let outcome = self.outcome(acceptors, &case);
                (case, outcome)
            })
            .collect()
    }

    /// The table as Markdown, for rustdoc.
    pub fn markdown(&self, acceptors: &[Acceptor]) -> String {
        let mut out = format!(
            "How the wait ends when every listed item's `{}` has the same value, worked out from the spec's acceptors (in a mixed listing the acceptors decide in their order, the first that matches winning):\n\n| `{}` | the wait |\n|---|---|\n",
            self.text, self.text
        );
        for (case, outcome) in self.table(acceptors) {
            out.push_str(&format!("| {} | {} |\n", case.words(), outcome.words()));
        }
        out
    }

    /// A response whose list holds one item in the case's state (none for [`Case::Empty`]).
    fn response(&self, acceptors: &[Acceptor], case: &Case) -> Value {
        let items = match case {
            Case::Empty => Vec::new(),
            Case::Value(value) => vec![nest(&self.field, Value::String(value.clone()))],
            Case::Undocumented => {
                let mut value = "UNDOCUMENTED".to_owned();
                while self.values.contains(&value) || expects(acceptors, &value) {
                    value.push('_');
                }
                vec![nest(&self.field, Value::String(value))]
            }
        };
        nest(&self.list, Value::Array(items))
    }
}

/// Whether some acceptor compares with `value`.
fn expects(acceptors: &[Acceptor], value: &str) -> bool {
    acceptors
        .iter()
        .any(|a| matches!(&a.matcher, Matcher::Output { expected, .. } if expected == value))
}

/// `value` under the fields `path` (the value itself for an empty path).
fn nest(path: &[String], value: Value) -> Value {
    path.iter().rev().fold(value, |inner, name| {
        Value::Object(Map::from_iter([(name.clone(), inner)]))
    })
}

/// What a path gives on a JSON response, as the runtime's extractors read the typed one.
enum Got {
    One(Option<Value>),
    Many(Vec<Option<Value>>),
}

fn walk<'v>(value: &'v Value, fields: &[String]) -> Option<&'v Value> {
    fields
        .iter()
        .try_fold(value, |current, name| current.get(name))
        .filter(|v| !v.is_null())
}

fn eval(path: &Path, response: &Value) -> Got {
    match path {
        Path::Field(fields) => Got::One(walk(response, fields).cloned()),
        Path::Length(fields) => Got::One(Some(Value::from(
            walk(response, fields)
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
        ))),
        Path::Projection { list, field } => Got::Many(
            walk(response, list)
                .and_then(Value::as_array)
                .map(|items| items.iter().map(|e| walk(e, field).cloned()).collect())
                .unwrap_or_default(),
        ),
        Path::Compare { left, op, right } => {
            let Got::One(Some(left)) = eval(left, response) else {
                return Got::One(None);
            };
            let ordering = match (&left, right) {
                (Value::Number(l), Value::Number(r)) => l
                    .as_f64()
                    .zip(r.as_f64())
                    .and_then(|(l, r)| l.partial_cmp(&r)),
                (l, r) if l == r => Some(std::cmp::Ordering::Equal),
                _ => None,
            };
            use super::acceptors::Op;
            use std::cmp::Ordering::*;
            let holds = match (op, ordering) {
                (Op::Eq, Some(Equal)) | (Op::Le, Some(Less | Equal)) => true,
                (Op::Ge, Some(Greater | Equal)) | (Op::Lt, Some(Less)) => true,
                (Op::Gt, Some(Greater)) => true,
                (Op::Ne, ordering) => ordering != Some(Equal),
                _ => false,
            };
            Got::One(Some(Value::Bool(holds)))
        }
    }
}

fn matches(matcher: &Matcher, response: &Value) -> bool {
    let Matcher::Output {
        path,
        expected,
        comparator,
        ..
    } = matcher
    else {
        // A listing is a success response: `success: true` matches it, error matchers do not.
        return matches!(matcher, Matcher::Success(true));
    };
    let is = |v: &Option<Value>| match v {
        Some(Value::String(s)) => s == expected,
        Some(Value::Bool(b)) => b.to_string() == *expected,
        _ => false,
    };
    match (comparator, eval(path, response)) {
        (Comparator::StringEquals | Comparator::BooleanEquals, Got::One(v)) => is(&v),
        (Comparator::AllStringEquals, Got::Many(list)) => !list.is_empty() && list.iter().all(is),
        (Comparator::AnyStringEquals, Got::Many(list)) => list.iter().any(is),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::acceptors::parse_path;

    fn output(state: State, comparator: Comparator, path: &str, expected: &str) -> Acceptor {
        Acceptor {
            state,
            matcher: Matcher::Output {
                path: parse_path(path).unwrap(),
                text: path.to_owned(),
                expected: expected.to_owned(),
                comparator,
            },
            message: None,
            show: Vec::new(),
            not_found: false,
        }
    }

    #[test]
    fn every_state_an_undocumented_one_and_an_empty_listing_get_an_outcome() {
        let mut gone = output(
            State::Failure,
            Comparator::BooleanEquals,
            "length(tasks) == `0`",
            "true",
        );
        gone.not_found = true;
        let acceptors = vec![
            gone,
            output(
                State::Failure,
                Comparator::AnyStringEquals,
                "tasks[].state",
                "FAIL",
            ),
            output(
                State::Retry,
                Comparator::AnyStringEquals,
                "tasks[].state",
                "UNDOCUMENTED",
            ),
            output(
                State::Success,
                Comparator::AllStringEquals,
                "tasks[].state",
                "DONE",
            ),
        ];
        let values = |_: &Path| vec!["RUNNING".to_owned(), "FAIL".to_owned(), "DONE".to_owned()];
        let table = tabulated(&acceptors, values).unwrap();
        assert_eq!(table.text, "tasks[].state");
        let outcomes: Vec<(String, &str)> = table
            .table(&acceptors)
            .into_iter()
            .map(|(case, outcome)| (case.words(), outcome.words()))
            .collect();
        assert_eq!(
            outcomes,
            [
                ("`RUNNING`".to_owned(), "polls again"),
                ("`FAIL`".to_owned(), "fails"),
                ("`DONE`".to_owned(), "succeeds"),
                // The acceptors name UNDOCUMENTED: the undocumented case is another value.
                (
                    "a value the spec does not document".to_owned(),
                    "polls again"
                ),
                ("nothing listed".to_owned(), "ends as not found"),
            ]
        );
        let markdown = table.markdown(&acceptors);
        assert!(markdown.contains("| `DONE` | succeeds |\n"), "{markdown}");
    }

    #[test]
    fn a_success_matcher_settles_whatever_is_listed_and_no_projection_no_table() {
        let acceptors = vec![
            output(
                State::Retry,
                Comparator::AnyStringEquals,
                "tasks[].state",
                "RUNNING",
            ),
            Acceptor {
                state: State::Success,
                matcher: Matcher::Success(true),
                message: None,
                show: Vec::new(),
                not_found: false,
            },
        ];
        let table = tabulated(&acceptors, |_| vec!["RUNNING".into(), "ABORT".into()]).unwrap();
        let outcomes: Vec<Outcome> = table
            .table(&acceptors)
            .into_iter()
            .map(|(_, o)| o)
            .collect();
        assert_eq!(
            outcomes,
            [
                Outcome::PollsAgain,
                Outcome::Succeeds,
                Outcome::Succeeds,
                Outcome::Succeeds
            ]
        );
        let scalar = vec![output(
            State::Success,
            Comparator::StringEquals,
            "status",
            "ok",
        )];
        assert_eq!(tabulated(&scalar, |_| Vec::new()), None);
    }
}
