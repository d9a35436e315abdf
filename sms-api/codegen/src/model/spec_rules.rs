//! The service's rules that the client applies to every call, read from the spec so that Rust
//! keeps no second copy: the IAM token's header and its longest length (the `iam_token`
//! security scheme, `x-max-length`), the header that carries the service's request id
//! (`x-request-id-header`), and which answer to a request sent again means its resource is gone
//! (`x-gone` on a response, read per operation by [`gone_status`]).

use serde_json::Value;

use crate::document::Document;
use crate::problem::Problem;

/// The spec's rules for every call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecRules {
    /// The IAM token's header, as the spec spells it (`X-Auth-Token`).
    pub token_header: String,
    /// The longest IAM token the service takes.
    pub token_max_length: u64,
    /// The header of the service's request id (`X-Request-Id`).
    pub request_id_header: String,
}

/// The scheme that carries an IAM token.
const TOKEN_SCHEME: &str = "#/components/securitySchemes/iam_token";

/// The rules, or the problems that stop generation without them.
///
/// ```
/// use sms_api_codegen::document::Document;
/// use sms_api_codegen::model::spec_rules::read;
/// let doc = Document::parse(r#"{"x-request-id-header": "X-Request-Id", "components": {"securitySchemes": {"iam_token":
///     {"type": "apiKey", "in": "header", "name": "X-Auth-Token", "x-max-length": 16384}}}}"#, "spec.json").unwrap();
/// let (rules, problems) = read(&doc);
/// assert!(problems.is_empty());
/// assert_eq!(rules.unwrap().token_max_length, 16384);
/// ```
pub fn read(doc: &Document) -> (Option<SpecRules>, Vec<Problem>) {
    let mut problems = Vec::new();
    let scheme = doc.at(TOKEN_SCHEME);
    let token_header = scheme.and_then(header_of);
    if token_header.is_none() {
        problems.push(Problem::error(
            "spec-rules",
            TOKEN_SCHEME,
            "the spec must declare the IAM token's scheme `iam_token`: an apiKey in a header, with the header's name",
            r#"add "iam_token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token", "x-max-length": 16384}"#,
        ));
    }
    let token_max_length = scheme
        .and_then(|s| s.get("x-max-length"))
        .and_then(Value::as_u64)
        .filter(|n| *n > 0);
    if scheme.is_some() && token_max_length.is_none() {
        problems.push(Problem::error(
            "spec-rules",
            &format!("{TOKEN_SCHEME}/x-max-length"),
            "the IAM token's scheme must say the longest token the service takes (`x-max-length`, a positive integer)",
            r#"add "x-max-length": 16384"#,
        ));
    }
    let request_id_header = doc
        .raw
        .get("x-request-id-header")
        .and_then(Value::as_str)
        .filter(|n| is_header_name(n));
    if request_id_header.is_none() {
        problems.push(Problem::error(
            "spec-rules",
            "#/x-request-id-header",
            "the spec must name the header that carries the service's request id (`x-request-id-header`)",
            r#"add "x-request-id-header": "X-Request-Id" at the document's root"#,
        ));
    }
    let rules = match (token_header, token_max_length, request_id_header) {
        (Some(token), Some(max), Some(request_id)) => Some(SpecRules {
            token_header: token.to_owned(),
            token_max_length: max,
            request_id_header: request_id.to_owned(),
        }),
        _ => None,
    };
    (rules, problems)
}

/// The status of the operation's response marked `x-gone: true` (an answer that, to a request
/// sent again after a lost answer, means the resource is gone), and a problem when the mark is
/// on anything but a 4xx.
pub fn gone_status(op: &Value, at: &str) -> (Option<u16>, Vec<Problem>) {
    let responses = op.get("responses").and_then(Value::as_object);
    let marked = responses
        .into_iter()
        .flatten()
        .find(|(_, response)| response.get("x-gone").and_then(Value::as_bool) == Some(true));
    let Some((status, _)) = marked else {
        return (None, Vec::new());
    };
    match status.parse::<u16>() {
        Ok(code) if (400..500).contains(&code) => (Some(code), Vec::new()),
        _ => (
            None,
            vec![Problem::error(
                "spec-rules",
                &format!("{at}/responses/{status}/x-gone"),
                format!("`x-gone` marks `{status}`, which is not a 4xx status"),
                "mark the client error that says the resource does not exist (404)",
            )],
        ),
    }
}

/// The header an apiKey-in-header scheme names.
fn header_of(scheme: &Value) -> Option<&str> {
    let in_header = scheme.get("type")? == "apiKey" && scheme.get("in")? == "header";
    let name = scheme.get("name")?.as_str()?;
    (in_header && is_header_name(name)).then_some(name)
}

/// Whether `name` is a header name: visible ASCII letters, digits and `-`.
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}
