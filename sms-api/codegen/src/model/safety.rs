//! Whether an operation is safe to repeat: what the client may send again by itself when an
//! answer was lost. GET, HEAD, PUT, DELETE, OPTIONS and TRACE are, by HTTP's definition
//! (RFC 9110, 9.2.2); POST and PATCH are not, unless the spec says so with
//! `"x-idempotent": true` (an action the service deduplicates, say). `"x-idempotent": false`
//! marks an operation of an idempotent method that is not (the client then treats it as an
//! action). Paging and waiting send an operation again and again, so they need it safe.

use serde_json::Value;

use crate::problem::Problem;

/// The extension that overrides the method's idempotency.
pub const EXTENSION: &str = "x-idempotent";

/// Whether `method` is idempotent by HTTP's definition.
///
/// ```
/// use sms_api_codegen::model::safety::idempotent_method;
/// assert!(idempotent_method("DELETE") && !idempotent_method("POST"));
/// ```
pub fn idempotent_method(method: &str) -> bool {
    matches!(
        method,
        "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
    )
}

/// Whether the operation `op` (of `method`, at `at`) is safe to repeat, and the problems of its
/// declaration: an `x-idempotent` that is not a boolean, and paging or waiting on an operation
/// that is not safe to repeat.
pub fn read(method: &str, op: &Value, at: &str) -> (bool, Vec<Problem>) {
    let mut problems = Vec::new();
    let safe = match op.get(EXTENSION) {
        None => idempotent_method(method),
        Some(Value::Bool(declared)) => *declared,
        Some(other) => {
            problems.push(Problem::error(
                "safety",
                &format!("{at}/{EXTENSION}"),
                format!("`{EXTENSION}` is {other}, not true or false"),
                "write true when the service makes repeating the call harmless, false when it does not",
            ));
            idempotent_method(method)
        }
    };
    if !safe {
        for (extension, what) in [
            (
                "x-pagination",
                "a paginator fetches a page again after a failure",
            ),
            (
                "x-waiters",
                "a waiter sends the operation again at every poll",
            ),
            ("x-watch", "a watch sends the operation again at every look"),
        ] {
            if op.get(extension).is_some() {
                problems.push(Problem::error(
                    "safety",
                    &format!("{at}/{extension}"),
                    format!(
                        "`{extension}` on a {method} that is not safe to repeat: {what}, and an action must never be sent twice by itself"
                    ),
                    format!(
                        "declare it on a safe operation (a GET), or mark this one `\"{EXTENSION}\": true` if the service makes repeating it harmless"
                    ),
                ));
            }
        }
    }
    (safe, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_method_decides_unless_the_spec_says_otherwise() {
        assert!(read("GET", &json!({}), "#").0);
        assert!(read("DELETE", &json!({}), "#").0);
        assert!(!read("POST", &json!({}), "#").0);
        assert!(!read("PATCH", &json!({}), "#").0);
        assert!(read("POST", &json!({"x-idempotent": true}), "#").0);
        assert!(!read("DELETE", &json!({"x-idempotent": false}), "#").0);
        let (_, problems) = read("POST", &json!({"x-idempotent": "yes"}), "#/p");
        assert_eq!(problems[0].pointer, "#/p/x-idempotent");
    }

    #[test]
    fn paging_and_waiting_need_an_operation_safe_to_repeat() {
        let op = json!({"x-pagination": {}, "x-waiters": {}});
        let (safe, problems) = read("POST", &op, "#/p");
        assert!(!safe);
        let at: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(at, ["#/p/x-pagination", "#/p/x-waiters"]);
        assert!(problems[0].message.contains("never be sent twice"));
        assert!(
            read(
                "POST",
                &json!({"x-idempotent": true, "x-pagination": {}}),
                "#"
            )
            .1
            .is_empty()
        );
    }
}
