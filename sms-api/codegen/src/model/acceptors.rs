//! The language of `x-waiters` acceptors: the state a match puts a waiter in, the matchers
//! and comparators, and the JMESPath subset of their paths (`a.b`, `a[].b`, `length(a)`, and a
//! comparison with a literal), parsed. `waiters.rs` reads declarations into them and
//! `waiter_outcomes.rs` works out how each waiter ends; both import this, neither the other.

use serde_json::Value;

/// One acceptor: the state a match puts the waiter in.
#[derive(Clone, Debug, PartialEq)]
pub struct Acceptor {
    pub state: State,
    pub matcher: Matcher,
    pub message: Option<String>,
    /// Fields of each matched element that the message shows.
    pub show: Vec<String>,
    /// `"outcome": "notFound"`: a failure that means what the wait is on does not exist.
    pub not_found: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Success,
    Failure,
    Retry,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    Output {
        path: Path,
        /// The path as written in the spec.
        text: String,
        expected: String,
        comparator: Comparator,
    },
    Success(bool),
    ErrorType(String),
}

// smithy's comparator names.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    StringEquals,
    BooleanEquals,
    AllStringEquals,
    AnyStringEquals,
}

impl Comparator {
    pub fn name(self) -> &'static str {
        match self {
            Comparator::StringEquals => "stringEquals",
            Comparator::BooleanEquals => "booleanEquals",
            Comparator::AllStringEquals => "allStringEquals",
            Comparator::AnyStringEquals => "anyStringEquals",
        }
    }
}

/// A parsed path.
#[derive(Clone, Debug, PartialEq)]
pub enum Path {
    /// `a.b.c`
    Field(Vec<String>),
    /// `a[].b`: `list` leads to a list, `field` into each element (empty: the element itself).
    Projection {
        list: Vec<String>,
        field: Vec<String>,
    },
    /// `length(a.b)`
    Length(Vec<String>),
    /// `<path> <op> \`literal\``
    Compare {
        left: Box<Path>,
        op: Op,
        right: Value,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// What a schema or a path's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    String,
    Boolean,
    Number,
    Array,
    Object,
    /// A list of strings, from a projection.
    Strings,
    /// A projection of something other than strings.
    OtherList,
}

/// Parses a path of the subset.
pub fn parse_path(text: &str) -> Result<Path, String> {
    let text = text.trim();
    for op in [Op::Eq, Op::Ne, Op::Le, Op::Ge, Op::Lt, Op::Gt] {
        if let Some((left, right)) = text.split_once(op.symbol()) {
            let literal = right
                .trim()
                .strip_prefix('`')
                .and_then(|r| r.strip_suffix('`'))
                .ok_or_else(|| {
                    format!(
                        "the right side of `{}` must be a literal in backticks, such as `0`",
                        op.symbol()
                    )
                })?;
            let right: Value = serde_json::from_str(literal)
                .map_err(|e| format!("the literal `{literal}` is not JSON: {e}"))?;
            let left = parse_path(left)?;
            if matches!(left, Path::Compare { .. }) {
                return Err("only one comparison per path".into());
            }
            return Ok(Path::Compare {
                left: Box::new(left),
                op,
                right,
            });
        }
    }
    if let Some(inner) = text
        .strip_prefix("length(")
        .and_then(|t| t.strip_suffix(')'))
    {
        return Ok(Path::Length(fields(inner)?));
    }
    if let Some((list, rest)) = text.split_once("[]") {
        let field = match rest {
            "" => Vec::new(),
            rest => fields(
                rest.strip_prefix('.')
                    .ok_or_else(|| format!("`{text}`: a `.field` or nothing may follow `[]`"))?,
            )?,
        };
        if rest.contains("[]") {
            return Err(format!("`{text}`: one `[]` projection per path"));
        }
        return Ok(Path::Projection {
            list: fields(list)?,
            field,
        });
    }
    Ok(Path::Field(fields(text)?))
}

fn fields(text: &str) -> Result<Vec<String>, String> {
    let parts: Vec<String> = text.split('.').map(|p| p.trim().to_owned()).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return Err(format!(
            "`{text}` is not a path of field names (the subset: `a.b`, `a[].b`, `length(a)`, and a comparison with a `literal`)"
        ));
    }
    Ok(parts)
}
