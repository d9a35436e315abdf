//! A waiter as the spec declares it (`x-waiters`), compiled by the build script into a
//! [`WaiterSpec`], and the rule that applies its acceptors to one poll.

use super::extract::{Extracted, Scalar};
use crate::error::Error;

/// One waiter of an operation whose response is `R`.
pub struct WaiterSpec<R: 'static> {
    /// The waiter's name in the spec (UpperCamelCase).
    pub name: &'static str,
    /// The spec's `minDelay`, in seconds.
    pub min_delay: u64,
    /// The spec's `maxDelay`, in seconds.
    pub max_delay: u64,
    /// Applied in order; the first that matches decides.
    pub acceptors: &'static [Acceptor<R>],
}

/// One acceptor: the state a match puts the waiter in.
pub struct Acceptor<R: 'static> {
    /// The state a match puts the wait in.
    pub state: State,
    /// What it matches.
    pub matcher: Matcher<R>,
    /// The spec's message for this acceptor.
    pub message: Option<&'static str>,
    /// Fields of each matched element that an error shows.
    pub show: &'static [&'static str],
    /// A failure that means what the wait is on does not exist (`"outcome": "notFound"`).
    pub not_found: bool,
}

/// What a match means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// The wait is over: it returns the response.
    Success,
    /// The wait is over: it returns an error.
    Failure,
    /// Poll again.
    Retry,
}

/// What an acceptor matches.
pub enum Matcher<R: 'static> {
    /// A value of the response, read by the path the build script compiled.
    Output {
        /// The path as written in the spec.
        path: &'static str,
        /// The compiled path.
        extract: for<'r> fn(&'r R) -> Extracted<'r>,
        /// Every element of the projected list, as JSON: what a failure carries.
        elements: Option<fn(&R) -> Vec<serde_json::Value>>,
        /// How the value is compared.
        comparator: Comparator,
        /// The value compared with.
        expected: &'static str,
    },
    /// `true`: any success response; `false`: any error.
    Success(bool),
    /// An error answer with this code.
    ErrorType(&'static str),
}

/// How a path's value is compared with the expected one (smithy's comparators).
// smithy's comparator names.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    /// A string equal to the expected one.
    StringEquals,
    /// A boolean equal to the expected `true` or `false`.
    BooleanEquals,
    /// A non-empty list whose every element equals the expected value.
    AllStringEquals,
    /// A list with at least one element equal to the expected value.
    AnyStringEquals,
}

/// The acceptor that matched a poll: its index, and the indices of the elements that made it
/// match (for a projection).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matched {
    /// The acceptor's index.
    pub acceptor: usize,
    /// The indices of the matching elements.
    pub elements: Vec<usize>,
}

/// The first acceptor of `spec` that matches `poll`, if any.
pub fn first_match<R>(spec: &WaiterSpec<R>, poll: Result<&R, &Error>) -> Option<Matched> {
    spec.acceptors
        .iter()
        .enumerate()
        .find_map(|(index, acceptor)| {
            matches(&acceptor.matcher, poll).map(|elements| Matched {
                acceptor: index,
                elements,
            })
        })
}

/// Whether `matcher` matches `poll`, and which elements did.
fn matches<R>(matcher: &Matcher<R>, poll: Result<&R, &Error>) -> Option<Vec<usize>> {
    match (matcher, poll) {
        (Matcher::Success(expected), poll) => (poll.is_ok() == *expected).then(Vec::new),
        (Matcher::ErrorType(code), Err(error)) => (error.code() == Some(code)).then(Vec::new),
        (Matcher::ErrorType(_), Ok(_)) | (Matcher::Output { .. }, Err(_)) => None,
        (
            Matcher::Output {
                extract,
                comparator,
                expected,
                ..
            },
            Ok(response),
        ) => compare(extract(response), *comparator, expected),
    }
}

fn compare(value: Extracted<'_>, comparator: Comparator, expected: &str) -> Option<Vec<usize>> {
    let is = |scalar: &Option<Scalar<'_>>| matches!(scalar, Some(Scalar::Str(s)) if *s == expected);
    match (comparator, value) {
        (Comparator::StringEquals, Extracted::One(one)) => is(&one).then(Vec::new),
        (Comparator::BooleanEquals, Extracted::One(Some(Scalar::Bool(b)))) => {
            (expected.parse::<bool>() == Ok(b)).then(Vec::new)
        }
        (Comparator::AllStringEquals, Extracted::Many(all)) => (!all.is_empty()
            && all.iter().all(|(_, v)| is(v)))
        .then(|| all.iter().map(|(i, _)| *i).collect()),
        (Comparator::AnyStringEquals, Extracted::Many(all)) => {
            let hits: Vec<usize> = all.iter().filter(|(_, v)| is(v)).map(|(i, _)| *i).collect();
            (!hits.is_empty()).then_some(hits)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    /// A response of states, for the tests.
    struct States(Vec<&'static str>);

    fn states(r: &States) -> Extracted<'_> {
        Extracted::Many(
            r.0.iter()
                .enumerate()
                .map(|(i, s)| (i, Some(Scalar::Str(s))))
                .collect(),
        )
    }

    fn empty(r: &States) -> Extracted<'_> {
        Extracted::One(Some(Scalar::Bool(r.0.is_empty())))
    }

    fn output(
        extract: for<'r> fn(&'r States) -> Extracted<'r>,
        comparator: Comparator,
        expected: &'static str,
    ) -> Matcher<States> {
        Matcher::Output {
            path: "p",
            extract,
            elements: None,
            comparator,
            expected,
        }
    }

    static ACCEPTORS: [Acceptor<States>; 4] = [
        Acceptor {
            state: State::Failure,
            matcher: Matcher::Output {
                path: "length(x) == `0`",
                extract: empty,
                elements: None,
                comparator: Comparator::BooleanEquals,
                expected: "true",
            },
            message: None,
            show: &[],
            not_found: false,
        },
        Acceptor {
            state: State::Failure,
            matcher: Matcher::Output {
                path: "x[]",
                extract: states,
                elements: None,
                comparator: Comparator::AnyStringEquals,
                expected: "FAIL",
            },
            message: Some("failed"),
            show: &[],
            not_found: false,
        },
        Acceptor {
            state: State::Success,
            matcher: Matcher::Output {
                path: "x[]",
                extract: states,
                elements: None,
                comparator: Comparator::AllStringEquals,
                expected: "DONE",
            },
            message: None,
            show: &[],
            not_found: false,
        },
        Acceptor {
            state: State::Retry,
            matcher: Matcher::ErrorType("SMS.2007"),
            message: None,
            show: &[],
            not_found: false,
        },
    ];

    static SPEC: WaiterSpec<States> = WaiterSpec {
        name: "Test",
        min_delay: 1,
        max_delay: 10,
        acceptors: &ACCEPTORS,
    };

    fn first(response: Vec<&'static str>) -> Option<Matched> {
        first_match(&SPEC, Ok(&States(response)))
    }

    #[test]
    fn the_first_acceptor_that_matches_decides() {
        assert_eq!(
            first(vec![]),
            Some(Matched {
                acceptor: 0,
                elements: vec![]
            })
        );
        // A failure listed before the success wins even when both could match.
        assert_eq!(
            first(vec!["DONE", "FAIL", "FAIL"]),
            Some(Matched {
                acceptor: 1,
                elements: vec![1, 2]
            })
        );
        assert_eq!(
            first(vec!["DONE", "DONE"]),
            Some(Matched {
                acceptor: 2,
                elements: vec![0, 1]
            })
        );
        // Nothing matches: poll again.
        assert_eq!(first(vec!["DONE", "RUNNING"]), None);
    }

    #[test]
    fn comparators_and_error_matchers() {
        let error = Error::new(ErrorKind::Service, "busy");
        assert_eq!(
            first_match(&SPEC, Err(&error)),
            None,
            "no code: no errorType match"
        );
        let r = States(vec!["A"]);
        assert_eq!(
            matches(&output(states, Comparator::AllStringEquals, "A"), Ok(&r)),
            Some(vec![0])
        );
        assert_eq!(
            matches(
                &output(states, Comparator::AllStringEquals, "A"),
                Ok(&States(vec![]))
            ),
            None
        );
        assert_eq!(
            matches(&output(empty, Comparator::BooleanEquals, "false"), Ok(&r)),
            Some(vec![])
        );
        assert_eq!(
            matches(&Matcher::<States>::Success(true), Ok(&r)),
            Some(vec![])
        );
        assert_eq!(
            matches(&Matcher::<States>::Success(false), Err(&error)),
            Some(vec![])
        );
        assert_eq!(
            matches(&Matcher::<States>::Success(true), Err(&error)),
            None
        );
    }
}
