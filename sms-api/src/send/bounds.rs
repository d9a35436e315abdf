//! Checks query and path parameters against their documented bounds before a request is sent:
//! the one place every bound is checked (the hooks, the paginator and the fake service all call
//! it), with one message shape, [`Violation`].

use std::fmt::Write as _;

use crate::generated::parameter_bounds::PARAMETER_BOUNDS;

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    Query,
    Path,
}

/// The documented range or length of one query or path parameter (generated from the spec).
pub(crate) struct ParameterBounds {
    pub(crate) operation_id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) location: Location,
    pub(crate) minimum: Option<i64>,
    pub(crate) maximum: Option<i64>,
    pub(crate) max_length: Option<usize>,
    pub(crate) min_length: Option<usize>,
    /// The value the service assumes when the parameter is not sent.
    #[cfg_attr(not(feature = "fake"), allow(dead_code))]
    pub(crate) default: Option<i64>,
}

impl ParameterBounds {
    /// What the documentation allows, e.g. `0 to 200` or `at most 255 characters`.
    pub(crate) fn allowed(&self) -> String {
        let mut text = String::new();
        match (self.minimum, self.maximum) {
            (Some(min), Some(max)) => {
                let _ = write!(text, "an integer from {min} to {max}");
            }
            (Some(min), None) => {
                let _ = write!(text, "an integer of at least {min}");
            }
            (None, Some(max)) => {
                let _ = write!(text, "an integer of at most {max}");
            }
            (None, None) => {}
        }
        match (self.min_length, self.max_length) {
            (Some(min), Some(max)) => {
                let _ = write!(text, "{min} to {max} characters");
            }
            (Some(min), None) => {
                let _ = write!(text, "at least {min} characters");
            }
            (None, Some(max)) => {
                let _ = write!(text, "at most {max} characters");
            }
            (None, None) => {}
        }
        text
    }

    /// Whether `value`, as sent in the query, is allowed.
    fn admits(&self, value: &str) -> bool {
        if self.minimum.is_some() || self.maximum.is_some() {
            let Ok(number) = value.parse::<i64>() else {
                return false;
            };
            if self.minimum.is_some_and(|min| number < min)
                || self.maximum.is_some_and(|max| number > max)
            {
                return false;
            }
        }
        let length = value.chars().count();
        self.max_length.is_none_or(|max| length <= max)
            && self.min_length.is_none_or(|min| length >= min)
    }
}

/// The bounds of `operation_id`'s parameter `name`, if documented.
pub(crate) fn bounds_of(operation_id: &str, name: &str) -> Option<&'static ParameterBounds> {
    PARAMETER_BOUNDS
        .iter()
        .find(|b| b.operation_id == operation_id && b.name == name)
}

/// A parameter outside its bounds: its name, what is allowed, and what was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Violation {
    parameter: String,
    allowed: String,
    given: String,
}

impl Violation {
    /// `value` for `parameter`, which must be `allowed` (`an integer from 1 to 200`).
    pub(crate) fn new(parameter: &str, allowed: String, value: &str) -> Violation {
        Violation {
            parameter: parameter.to_owned(),
            allowed,
            given: value.to_owned(),
        }
    }

    /// `value` for the parameter of `bounds`.
    fn of(bounds: &ParameterBounds, value: &str) -> Violation {
        let count = value.chars().count();
        let given = match bounds.max_length.or(bounds.min_length) {
            // A string is described by its length: it may be long, or hold a secret.
            Some(_) => format!("{count} characters"),
            None if count > 40 => format!("{:?}…", value.chars().take(40).collect::<String>()),
            None => value.to_owned(),
        };
        Violation {
            parameter: bounds.name.to_owned(),
            allowed: bounds.allowed(),
            given,
        }
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "parameter `{}` must be {}, got {}",
            self.parameter, self.allowed, self.given
        )
    }
}

/// The first parameter of `url` outside its documented bounds: its path parameters (read
/// against the operation's path template), then its query.
pub(crate) fn check(operation_id: &str, url: &reqwest::Url) -> Result<(), Violation> {
    let path = super::facts::of(operation_id)
        .map(|facts| super::facts::path_values(facts.path, url.path()))
        .unwrap_or_default();
    let query = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()));
    for (location, (name, value)) in path
        .into_iter()
        .map(|p| (Location::Path, p))
        .chain(query.map(|q| (Location::Query, q)))
    {
        if let Some(bounds) = bounds_of(operation_id, &name)
            && bounds.location == location
            && !bounds.admits(&value)
        {
            return Err(Violation::of(bounds, &value));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(query: &str) -> reqwest::Url {
        format!("https://h/v3/tasks?{query}").parse().unwrap()
    }

    #[test]
    fn the_spec_bounds_are_enforced() {
        // Every figure comes from the spec's bounds: a spec change moves the test with it.
        let bounds = |name| bounds_of("list_tasks", name).unwrap();
        let (limit, offset, name) = (bounds("limit"), bounds("offset"), bounds("name"));
        let (max_limit, max_offset) = (limit.maximum.unwrap(), offset.maximum.unwrap());
        let longest = "n".repeat(name.max_length.unwrap());
        assert_eq!(
            check(
                "list_tasks",
                &url(&format!(
                    "limit={max_limit}&offset={max_offset}&name={longest}"
                ))
            ),
            Ok(())
        );
        let too_big = max_limit + 1;
        assert_eq!(
            check("list_tasks", &url(&format!("limit={too_big}")))
                .unwrap_err()
                .to_string(),
            format!(
                "parameter `limit` must be an integer from {} to {max_limit}, got {too_big}",
                limit.minimum.unwrap()
            )
        );
        let below = offset.minimum.unwrap() - 1;
        assert_eq!(
            check("list_tasks", &url(&format!("offset={below}")))
                .unwrap_err()
                .to_string(),
            format!(
                "parameter `offset` must be an integer from {} to {max_offset}, got {below}",
                offset.minimum.unwrap()
            )
        );
        let long = format!("{longest}nn");
        let error = check("list_tasks", &url(&format!("name={long}"))).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "parameter `name` must be at most {} characters, got {} characters",
                longest.len(),
                long.len()
            )
        );
        let word = "x".repeat(50);
        let error = check("list_tasks", &url(&format!("limit={word}"))).unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with(&format!("got {:?}…", &word[..40])),
            "{error}"
        );
        assert_eq!(check("other_operation", &url("limit=9999")), Ok(()));
    }
}
