//! A path parameter as one segment of the URL. Every byte outside RFC 3986's unreserved set
//! (`A-Z a-z 0-9 - . _ ~`) is percent-encoded, so that nothing in a value can end its segment or
//! be rewritten by the URL parser: progenitor's own `encode_path` leaves `\` as it is, which the
//! `url` crate turns into `/` in http(s) URLs. A value the parser would still remove or merge
//! (empty, `.`, `..`) is refused. The generated builders call [`encode`] for every path
//! parameter (`codegen/src/passes/path_segments.rs`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Every byte but RFC 3986's unreserved characters.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `value` of path parameter `name`, percent-encoded as one segment; why not, when no
/// encoding can keep it one (the message names the parameter and what is wrong).
pub(crate) fn encode(name: &str, value: &str) -> Result<String, String> {
    let what = match value {
        "" => "empty",
        "." => "`.`",
        ".." => "`..`",
        _ => return Ok(utf8_percent_encode(value, NOT_UNRESERVED).to_string()),
    };
    Err(format!(
        "path parameter `{name}` is {what}: as a URL segment it would address another resource"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reserved_and_non_ascii_bytes_are_escaped_and_unreserved_ones_kept() {
        let cases = [
            ("t-1.a_b~C9", "t-1.a_b~C9"),
            (r"..\..\x\v3\tasks\y", "..%5C..%5Cx%5Cv3%5Ctasks%5Cy"),
            ("a/b?c#d%e f", "a%2Fb%3Fc%23d%25e%20f"),
            ("é", "%C3%A9"),
            ("...", "..."),
            ("%2e%2E", "%252e%252E"),
            (";=&+@:", "%3B%3D%26%2B%40%3A"),
        ];
        for (value, encoded) in cases {
            assert_eq!(encode("task_id", value).as_deref(), Ok(encoded), "{value}");
        }
    }

    #[test]
    fn values_no_segment_can_hold_are_refused_with_their_reason() {
        for (value, said) in [("", "is empty"), (".", "is `.`"), ("..", "is `..`")] {
            let reason = encode("task_id", value).unwrap_err();
            assert!(
                reason.starts_with(&format!("path parameter `task_id` {said}:")),
                "{reason}"
            );
        }
    }

    proptest! {
        /// Whatever the value: refused, or one segment that the URL parser keeps as it is and
        /// that decodes back to the value.
        #[test]
        fn any_value_is_refused_or_stays_one_segment(value in any::<String>()) {
            let Ok(segment) = encode("p", &value) else {
                prop_assert!(matches!(value.as_str(), "" | "." | ".."));
                return Ok(());
            };
            let url = url::Url::parse(&format!("https://h/v3/tasks/{segment}/action")).unwrap();
            let segments: Vec<&str> = url.path_segments().unwrap().collect();
            prop_assert_eq!(segments.len(), 4, "{}", url);
            prop_assert_eq!(segments[2], segment.as_str());
            let decoded = percent_encoding::percent_decode_str(segments[2]).decode_utf8().unwrap();
            prop_assert_eq!(decoded, value);
        }
    }
}
