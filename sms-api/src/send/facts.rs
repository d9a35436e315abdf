//! What the spec says of each operation that the send path needs at run time: its method, its
//! path template, and whether it is safe to repeat (`codegen/src/model/safety.rs`). The build
//! script writes the table (`render/operations.rs`); progenitor's hooks are handed only an
//! operation's id, so they look its facts up here.

use crate::generated::client::OPERATION_FACTS;

/// The run-time facts of one operation of the spec.
///
/// ```
/// use sms_api::send::{Operation, OperationFacts};
///
/// let facts: &OperationFacts = <sms_api::builder::ListTasks<'_> as Operation>::FACTS;
/// assert_eq!((facts.method, facts.path), ("GET", "/v3/tasks"));
/// assert!(facts.safe_to_repeat);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationFacts {
    /// The spec's `operationId`.
    pub operation_id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, `/v3/tasks/{task_id}`.
    pub path: &'static str,
    /// Whether the client may send it again by itself when an answer was lost (a timeout, a
    /// dropped connection, a 5xx): GET, HEAD, PUT and DELETE are, POST and PATCH are not,
    /// unless the spec says otherwise with `x-idempotent`. An operation that is not is sent
    /// again only when the first attempt provably never reached the service.
    pub safe_to_repeat: bool,
    /// The status that, answering a request sent again after its first answer was lost, means
    /// the resource is gone (most likely the lost attempt removed it): the spec's `x-gone`.
    /// Such an answer is [`ErrorKind::Gone`](crate::ErrorKind::Gone), not a failure.
    pub gone_status: Option<u16>,
}

impl OperationFacts {
    /// One operation's facts (the build script writes them).
    #[doc(hidden)]
    pub const fn new(
        operation_id: &'static str,
        method: &'static str,
        path: &'static str,
        safe_to_repeat: bool,
    ) -> OperationFacts {
        OperationFacts {
            operation_id,
            method,
            path,
            safe_to_repeat,
            gone_status: None,
        }
    }

    /// The same facts, with `status` meaning "gone" to a request sent again (the build script
    /// writes it where the spec says `x-gone`).
    #[doc(hidden)]
    pub const fn gone_when(mut self, status: u16) -> OperationFacts {
        self.gone_status = Some(status);
        self
    }
}

/// The facts of the operation `operation_id`, if the spec has it.
pub(crate) fn of(operation_id: &str) -> Option<&'static OperationFacts> {
    OPERATION_FACTS
        .iter()
        .find(|f| f.operation_id == operation_id)
}

/// The segments of `path`, when it has as many as `template`: the endpoint has no path of its
/// own (`ClientBuilder::build` refuses one), so nothing may stand before the template's.
fn aligned<'p>(template: &str, path: &'p str) -> Option<Vec<&'p str>> {
    let sent: Vec<&str> = path.split('/').collect();
    (sent.len() == template.split('/').count()).then_some(sent)
}

/// Whether `path` (as sent, percent-encoded) is the template with each parameter one segment,
/// not empty, `.` or `..` (the generated builders refuse those before the URL is built; this is
/// the send path's own check of what leaves). The name of the first parameter whose segment
/// is wrong, or of the template's parameters when the segments no longer line up.
pub(crate) fn escaped_parameter(template: &str, path: &str) -> Option<String> {
    let expected: Vec<&str> = template.split('/').collect();
    let parameter = |segment: &str| {
        segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .map(str::to_owned)
    };
    let all = || {
        let names: Vec<String> = expected.iter().filter_map(|s| parameter(s)).collect();
        Some(names.join("`, `"))
    };
    let Some(sent) = aligned(template, path) else {
        return all();
    };
    for (want, got) in expected.iter().zip(&sent) {
        match parameter(want) {
            Some(name) if got.is_empty() || matches!(*got, "." | "..") => return Some(name),
            Some(_) => {}
            None if want != got => return all(),
            None => {}
        }
    }
    None
}

/// The value of each path parameter of `template` in `path` (as sent), percent-decoded.
pub(crate) fn path_values(template: &str, path: &str) -> Vec<(String, String)> {
    let sent = aligned(template, path).unwrap_or_default();
    template
        .split('/')
        .zip(sent)
        .filter_map(|(want, got)| {
            let name = want.strip_prefix('{')?.strip_suffix('}')?;
            let value = percent_encoding::percent_decode_str(got)
                .decode_utf8_lossy()
                .into_owned();
            Some((name.to_owned(), value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_parameter_cannot_reach_another_resource() {
        let template = "/v3/tasks/{task_id}/action";
        assert_eq!(escaped_parameter(template, "/v3/tasks/t-1/action"), None);
        assert_eq!(
            escaped_parameter(template, "/v3/tasks/a%2Fb%3F/action"),
            None
        );
        // `..` is removed by the URL parser: the path no longer lines up.
        assert_eq!(
            escaped_parameter(template, "/v3/action").as_deref(),
            Some("task_id")
        );
        assert_eq!(
            escaped_parameter(template, "/v3/tasks//action").as_deref(),
            Some("task_id")
        );
        assert_eq!(
            escaped_parameter(template, "/v3/tasks/../action").as_deref(),
            Some("task_id")
        );
        assert_eq!(
            path_values(template, "/v3/tasks/a%2Fb%3F/action"),
            [("task_id".to_owned(), "a/b?".to_owned())]
        );
        // Nothing may stand before the template: `..\..\x\v3\tasks\y` as progenitor
        // encoded it reached `/x/v3/tasks/y`.
        assert_eq!(
            escaped_parameter("/v3/tasks/{task_id}", "/x/v3/tasks/y").as_deref(),
            Some("task_id")
        );
        assert_eq!(
            escaped_parameter(template, "/sms/v3/tasks/t-1/action").as_deref(),
            Some("task_id")
        );
        assert!(path_values(template, "/sms/v3/tasks/t-1/action").is_empty());
    }

    #[test]
    fn every_operation_has_its_facts() {
        let list = of("list_tasks").unwrap();
        assert_eq!((list.method, list.safe_to_repeat), ("GET", true));
        assert!(of("no_such_operation").is_none());
    }
}
