//! `x-pagination`: how an operation pages, declared in the spec, checked against the
//! operation's parameters and success response.
//!
//! ```json
//! "x-pagination": { "limit": "limit", "offset": "offset", "count": "count", "items": "tasks" }
//! ```
//!
//! `limit` and `offset` name integer query parameters (the page size and the offset ceiling
//! are their maximums), `count` and `items` name the fields of the success response that hold
//! the number of matching items and the items of the page.

use serde_json::Value;

use crate::document::Document;
use crate::problem::Problem;

/// The four names `x-pagination` declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    /// The query parameter that sets the page size.
    pub limit: String,
    /// The query parameter that sets the offset of the first item.
    pub offset: String,
    /// The response field that holds the number of matching items.
    pub count: String,
    /// The response field that holds the page's items.
    pub items: String,
}

/// How far an operation pages: the maximums of the parameters `x-pagination` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLimits {
    /// The limit parameter's `maximum`: the largest page.
    pub max_page_size: i64,
    /// The offset parameter's `maximum`: the offset ceiling.
    pub max_offset: i64,
}

/// The fix for a malformed declaration.
const SHAPE_FIX: &str =
    "write {\"limit\": <param>, \"offset\": <param>, \"count\": <field>, \"items\": <field>}";

/// Reads the declaration: exactly the four names, each a string.
pub fn parse(value: &serde_json::Value) -> Result<Declared, String> {
    let shape =
        || "x-pagination must name exactly `limit`, `offset`, `count` and `items`".to_owned();
    let object = value.as_object().ok_or_else(shape)?;
    if object.len() != 4 {
        return Err(shape());
    }
    let name = |key: &str| {
        object
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .ok_or_else(shape)
    };
    Ok(Declared {
        limit: name("limit")?,
        offset: name("offset")?,
        count: name("count")?,
        items: name("items")?,
    })
}

/// What the rules need to know of the parameter a role names, if the operation has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Parameter {
    /// An integer query parameter.
    integer_query: bool,
    /// Its `maximum`, if it has one.
    maximum: Option<i64>,
}

/// The fix for a parameter that cannot page.
const PARAMETER_FIX: &str = "name a query parameter with \"type\": \"integer\" and a \"maximum\"";

/// The `maximum` of the `role` ("limit" or "offset") parameter `name`: the page size or the
/// offset ceiling. A limit's must be at least 1, or no page holds an item.
fn parameter_maximum(role: &str, name: &str, parameter: Option<Parameter>) -> Result<i64, String> {
    let at_least = if role == "limit" { 1 } else { i64::MIN };
    match parameter {
        Some(Parameter {
            integer_query: true,
            maximum: Some(maximum),
        }) if maximum >= at_least => Ok(maximum),
        _ => Err(format!(
            "the {role} parameter `{name}` is not an integer query parameter of this operation with a `maximum`{}",
            if role == "limit" {
                " of at least 1"
            } else {
                ""
            }
        )),
    }
}

/// What a response field is, as far as paging goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Integer,
    Array,
    Other,
}

/// The count field must be an integer, the items field an array; `None` is a missing field.
pub fn fields(
    declared: &Declared,
    count: Option<Field>,
    items: Option<Field>,
) -> Vec<(String, &'static str)> {
    let mut problems = Vec::new();
    if count != Some(Field::Integer) {
        problems.push((
            format!(
                "the count field `{}` is not an integer property of the success response",
                declared.count
            ),
            "name the integer property that holds the number of matching items",
        ));
    }
    if items != Some(Field::Array) {
        problems.push((
            format!(
                "the items field `{}` is not an array property of the success response",
                declared.items
            ),
            "name the array property that holds the page's items",
        ));
    }
    problems
}

/// The `x-pagination` of the operation `op` (at `at`), read once: it names integer limit and
/// offset query parameters with a maximum (the page size and the offset ceiling), and the count
/// and items fields of the success response. The declaration, if it reads, its page limits, if
/// its parameters give them, and the problems.
pub fn read(
    doc: &Document,
    op: &Value,
    at: &str,
) -> (Option<Declared>, Option<PageLimits>, Vec<Problem>) {
    let mut findings = Vec::new();
    let Some(value) = op.get("x-pagination") else {
        return (None, None, findings);
    };
    let p_at = format!("{at}/x-pagination");
    let mut error = |message: String, fix: &str| {
        findings.push(Problem::error("pagination", &p_at, message, fix));
    };
    let declared = match parse(value) {
        Ok(declared) => declared,
        Err(message) => {
            error(message, SHAPE_FIX);
            return (None, None, findings);
        }
    };
    let parameters = doc.parameters(op, at);
    let mut maximums = [None, None];
    for (slot, (role, name)) in [("limit", &declared.limit), ("offset", &declared.offset)]
        .into_iter()
        .enumerate()
    {
        let facts = parameters
            .iter()
            .find(|(p, _)| p.get("name").and_then(Value::as_str) == Some(name))
            .map(|(p, p_at)| {
                let schema = doc
                    .resolve(
                        p.get("schema").unwrap_or(&Value::Null),
                        &format!("{p_at}/schema"),
                    )
                    .map(|(s, _)| s);
                Parameter {
                    integer_query: p.get("in").and_then(Value::as_str) == Some("query")
                        && schema.and_then(|s| s.get("type")).and_then(Value::as_str)
                            == Some("integer"),
                    maximum: schema
                        .and_then(|s| s.get("maximum"))
                        .and_then(Value::as_i64),
                }
            });
        match parameter_maximum(role, name, facts) {
            Ok(maximum) => maximums[slot] = Some(maximum),
            Err(message) => error(message, PARAMETER_FIX),
        }
    }
    let limits = match maximums {
        [Some(max_page_size), Some(max_offset)] => Some(PageLimits {
            max_page_size,
            max_offset,
        }),
        _ => None,
    };
    let Some((schema, _)) = doc.success_schema(op, at) else {
        error(
            "the operation has no JSON success response to page through".into(),
            "add a 2xx response with an object schema",
        );
        return (Some(declared), limits, findings);
    };
    let field = |name: &str| {
        let property = schema
            .pointer(&format!("/properties/{name}"))
            .and_then(|p| doc.resolve(p, "").map(|(s, _)| s))?;
        Some(match property.get("type").and_then(Value::as_str) {
            Some("integer") => Field::Integer,
            Some("array") if property.get("items").is_some() => Field::Array,
            _ => Field::Other,
        })
    };
    for (message, fix) in fields(&declared, field(&declared.count), field(&declared.items)) {
        error(message, fix);
    }
    (Some(declared), limits, findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_declaration_names_exactly_four_strings() {
        let declared = parse(&json!({"limit": "l", "offset": "o", "count": "c", "items": "i"}));
        assert_eq!(declared.unwrap().items, "i");
        for bad in [
            json!({"limit": "l", "offset": "o", "count": "c"}),
            json!({"limit": "l", "offset": "o", "count": "c", "items": 1}),
            json!(["limit"]),
        ] {
            assert!(parse(&bad).unwrap_err().contains("exactly"), "{bad}");
        }
    }

    #[test]
    fn a_limit_needs_an_integer_query_parameter_with_a_positive_maximum() {
        let good = Parameter {
            integer_query: true,
            maximum: Some(200),
        };
        assert_eq!(parameter_maximum("limit", "limit", Some(good)), Ok(200));
        let zero = Parameter {
            maximum: Some(0),
            ..good
        };
        assert!(parameter_maximum("limit", "limit", Some(zero)).is_err());
        assert_eq!(parameter_maximum("offset", "offset", Some(zero)), Ok(0));
        assert!(
            parameter_maximum("limit", "page_size", None)
                .unwrap_err()
                .contains("`page_size`")
        );
    }

    #[test]
    fn count_must_be_an_integer_and_items_an_array() {
        let declared =
            parse(&json!({"limit": "l", "offset": "o", "count": "c", "items": "i"})).unwrap();
        assert!(fields(&declared, Some(Field::Integer), Some(Field::Array)).is_empty());
        let problems = fields(&declared, Some(Field::Array), None);
        assert_eq!(problems.len(), 2);
        assert!(problems[0].0.contains("`c`") && problems[1].0.contains("`i`"));
    }
}
