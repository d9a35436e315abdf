//! The inputs of one call, as text, checked against what the spec declares for the operation,
//! and each converted to its setter's type when the call is built.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::info::OperationInfo;
use crate::error::{Error, ErrorKind};

/// The inputs of a call of one operation: each a declared input, with one of its documented
/// values if it has any (a typo is an error, not an empty answer), every required one given.
#[derive(Debug)]
pub(crate) struct Inputs<'a> {
    given: Vec<(&'static str, &'static str, &'a str)>,
}

impl<'a> Inputs<'a> {
    /// `given`, checked against `operation`'s inputs.
    pub(crate) fn of(
        operation: &'static OperationInfo,
        given: &[(&str, &'a str)],
    ) -> Result<Inputs<'a>, Error> {
        let invalid = |message: String| Err(Error::new(ErrorKind::InvalidRequest, message));
        let mut checked = Vec::new();
        for (name, value) in given {
            let Some(input) = operation.inputs.iter().find(|i| i.name == *name) else {
                let declared: Vec<&str> = operation.inputs.iter().map(|i| i.name).collect();
                return invalid(format!(
                    "`{}` has no input `{name}`; it has: {}",
                    operation.id,
                    declared.join(", ")
                ));
            };
            if !input.values.is_empty() && !input.values.contains(value) {
                return invalid(format!(
                    "input `{name}` of `{}`: {value:?} is not one of its documented values: {}",
                    operation.id,
                    input.values.join(", ")
                ));
            }
            checked.push((input.name, input.kind, *value));
        }
        if let Some(missing) = operation
            .inputs
            .iter()
            .find(|i| i.required && !checked.iter().any(|(name, ..)| *name == i.name))
        {
            return invalid(format!(
                "`{}` needs its input `{}`",
                operation.id, missing.name
            ));
        }
        Ok(Inputs { given: checked })
    }

    /// The value given for the input `name`, converted to `T`.
    pub(crate) fn get<T: DeserializeOwned>(&self, name: &str) -> Option<Result<T, Error>> {
        let (name, kind, value) = self.given.iter().find(|(n, ..)| *n == name)?;
        Some(parse(name, kind, value))
    }
}

/// `text`, the value of the input `name` of JSON type `kind`, as `T`: as a JSON string first
/// (text, an enum's value), else as JSON (a number, `true`, an object).
pub(crate) fn parse<T: DeserializeOwned>(name: &str, kind: &str, text: &str) -> Result<T, Error> {
    serde_json::from_value(Value::String(text.to_owned()))
        .or_else(|_| serde_json::from_str(text))
        .map_err(|e| {
            let expected = if kind.is_empty() { "JSON" } else { kind };
            Error::new(
                ErrorKind::InvalidRequest,
                format!("input `{name}`: {text:?} is not a valid {expected}: {e}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_converts_to_each_kind_or_says_why_not() {
        assert_eq!(parse::<String>("id", "string", "123").unwrap(), "123");
        assert_eq!(parse::<i32>("limit", "integer", "12").unwrap(), 12);
        assert!(parse::<bool>("connected", "boolean", "true").unwrap());
        let error = parse::<i32>("limit", "integer", "twelve").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest);
        assert!(
            error
                .to_string()
                .contains("input `limit`: \"twelve\" is not a valid integer"),
            "{error}"
        );
    }
}
