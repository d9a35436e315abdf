//! `x-pagination`'s rules, in one place: the build script (`pagination.rs`) and
//! `cargo xtask validate` (`xtask/src/validate_gate.rs`, which includes this file) both apply
//! them, each to the facts it reads its own way (typed OpenAPI and generated Rust here, raw JSON
//! there), so they cannot disagree on what a spec may declare. Plain std and serde_json.
//!
//! ```json
//! "x-pagination": { "limit": "limit", "offset": "offset", "count": "count", "items": "tasks" }
//! ```

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

/// The fix for a malformed declaration.
pub const SHAPE_FIX: &str =
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
pub struct Parameter {
    /// An integer query parameter.
    pub integer_query: bool,
    /// Its `maximum`, if it has one.
    pub maximum: Option<i64>,
}

/// The fix for a parameter that cannot page.
pub const PARAMETER_FIX: &str =
    "name a query parameter with \"type\": \"integer\" and a \"maximum\"";

/// The `maximum` of the `role` ("limit" or "offset") parameter `name`: the page size or the
/// offset ceiling. A limit's must be at least 1, or no page holds an item.
pub fn parameter_maximum(
    role: &str,
    name: &str,
    parameter: Option<Parameter>,
) -> Result<i64, String> {
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
