//! Reads the service's error code and message from any body shape the official SDKs
//! understand: flat `error_code`/`error_msg` (the documented shape), `errorCode`/`errorMsg`,
//! `code`/`message`, or any of these nested one level down (the API gateway's `{"error": {...}}`).

use serde_json::{Map, Value};

use crate::types::ErrorResponse;

/// Longest piece of a raw body kept in an error, in bytes.
pub const SNIPPET_BYTES: usize = 512;

/// What an error body says.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ParsedBody {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    /// The body in the documented shape, when it is in that shape.
    pub(crate) documented: Option<ErrorResponse>,
}

/// The code and message of an error body, whatever its shape; all `None` when it has none.
pub(crate) fn parse(body: &[u8]) -> ParsedBody {
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
        return ParsedBody::default();
    };
    if let Some(found) = parse_object(&object) {
        return found;
    }
    object
        .values()
        .filter_map(Value::as_object)
        .find_map(parse_object)
        .unwrap_or_default()
}

/// The shapes, in the order the official SDKs try them.
fn parse_object(object: &Map<String, Value>) -> Option<ParsedBody> {
    if object.contains_key("error_code") || object.contains_key("error_msg") {
        let documented: Option<ErrorResponse> =
            serde_json::from_value(Value::Object(object.clone())).ok();
        return Some(ParsedBody {
            code: text(object.get("error_code")),
            message: text(object.get("error_msg")),
            documented,
        });
    }
    for (code, message) in [("errorCode", "errorMsg"), ("code", "message")] {
        if object.contains_key(code) || object.contains_key(message) {
            return Some(ParsedBody {
                code: text(object.get(code)),
                message: text(object.get(message)),
                documented: None,
            });
        }
    }
    None
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The start of a raw body, at most [`SNIPPET_BYTES`], as text (invalid UTF-8 replaced,
/// whitespace runs folded), with `…` when cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    let cut = body.len() > SNIPPET_BYTES;
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_BYTES)]);
    let mut folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if cut {
        folded.push('…');
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(body: &str) -> (Option<String>, Option<String>, bool) {
        let p = parse(body.as_bytes());
        (p.code, p.message, p.documented.is_some())
    }

    #[test]
    fn every_shape() {
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            parsed(
                r#"{"error_code":"SMS.9004","error_msg":"denied","error_param":["x"],"details":[{"error_code":"SMS.9004"}]}"#
            ),
            (some("SMS.9004"), some("denied"), true)
        );
        assert_eq!(
            parsed(r#"{"errorCode":"SMS.2252","errorMsg":"not found"}"#),
            (some("SMS.2252"), some("not found"), false)
        );
        assert_eq!(
            parsed(r#"{"code":"SMS.0007","message":"bad"}"#),
            (some("SMS.0007"), some("bad"), false)
        );
        assert_eq!(
            parsed(
                r#"{"error":{"code":"APIGW.0301","message":"Incorrect IAM authentication information","title":"x"}}"#
            ),
            (
                some("APIGW.0301"),
                some("Incorrect IAM authentication information"),
                false
            )
        );
        assert_eq!(
            parsed(r#"{"error":{"error_code":"SMS.1","error_msg":"m"}}"#),
            (some("SMS.1"), some("m"), true)
        );
        assert_eq!(
            parsed(r#"{"code":404,"message":null}"#),
            (some("404"), None, false)
        );
    }

    #[test]
    fn bodies_without_a_known_shape() {
        for body in [
            "",
            "<html><body>502 Bad Gateway</body></html>",
            "[1,2]",
            r#"{"other":1}"#,
            "{\"error_code\": ",
        ] {
            assert_eq!(parse(body.as_bytes()), ParsedBody::default(), "{body:?}");
        }
    }

    #[test]
    fn snippets_are_bounded_and_folded() {
        assert_eq!(
            snippet(b"<html>\n  <b>502</b>\n</html>"),
            "<html> <b>502</b> </html>"
        );
        let long = "x".repeat(SNIPPET_BYTES + 10);
        let cut = snippet(long.as_bytes());
        assert_eq!(cut.chars().count(), SNIPPET_BYTES + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(snippet(&[0xff, b'a']), "\u{fffd}a");
    }
}
