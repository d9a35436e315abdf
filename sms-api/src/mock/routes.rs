//! Which operation of the spec a request to the fake is, by its method and path: the operations'
//! facts (`OPERATION_FACTS`, generated from the spec) are the routing table, so an operation
//! added to the spec is routed with no Rust written (and answered as `collections.rs` says).

use crate::generated::client::OPERATION_FACTS;
use crate::send::OperationFacts;
use crate::send::facts;

/// A request matched to an operation: the operation, and its path parameters, decoded.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Route {
    pub(crate) facts: &'static OperationFacts,
    pub(crate) path_parameters: Vec<(String, String)>,
}

/// The operation `method path` is, if any: each template's literal segments equal, each
/// parameter's segment anything but empty.
pub(crate) fn route(method: &str, path: &str) -> Option<Route> {
    OPERATION_FACTS.iter().find_map(|facts| {
        if !facts.method.eq_ignore_ascii_case(method) {
            return None;
        }
        let (template, sent): (Vec<&str>, Vec<&str>) =
            (facts.path.split('/').collect(), path.split('/').collect());
        if template.len() != sent.len() {
            return None;
        }
        let fits = template.iter().zip(&sent).all(|(want, got)| {
            match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some(_) => !got.is_empty(),
                None => want == got,
            }
        });
        fits.then(|| Route {
            facts,
            path_parameters: facts::path_values(facts.path, path),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_routed_by_method_and_path_template() {
        let id = |method, path| route(method, path).map(|r| r.facts.operation_id);
        assert_eq!(id("GET", "/v3/tasks"), Some("list_tasks"));
        assert_eq!(id("GET", "/v3/tasks/t-1"), Some("show_task"));
        assert_eq!(id("DELETE", "/v3/tasks/t-1"), Some("delete_task"));
        assert_eq!(
            id("POST", "/v3/tasks/t-1/action"),
            Some("update_task_status")
        );
        assert_eq!(id("PUT", "/v3/tasks/t-1"), None);
        assert_eq!(id("GET", "/v3/tasks/"), None);
        assert_eq!(id("GET", "/v3/other"), None);
        let shown = route("GET", "/v3/tasks/a%2Fb").unwrap();
        assert_eq!(
            shown.path_parameters,
            [("task_id".to_owned(), "a/b".to_owned())]
        );
    }
}
