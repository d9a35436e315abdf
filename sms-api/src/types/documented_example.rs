//! A response example documented in the spec.

/// One response example from the spec (the build script collects them into
/// [`DOCUMENTED_EXAMPLES`](crate::types::DOCUMENTED_EXAMPLES)).
///
/// ```
/// let ok = sms_api::types::DOCUMENTED_EXAMPLES
///     .iter()
///     .find(|e| e.operation_id == "list_tasks" && e.status == 200)
///     .unwrap();
/// let page: sms_api::types::ListTasksResponse = serde_json::from_str(ok.json).unwrap();
/// assert_eq!(page.count, Some(3));
/// // Or decoded into its operation's type, whichever operation it is:
/// assert!((ok.decoded)(ok.json).unwrap().starts_with("ListTasksResponse {"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct DocumentedExample {
    /// The operation whose response this is, e.g. `list_tasks`.
    pub operation_id: &'static str,
    /// The HTTP status of the response.
    pub status: u16,
    /// The example's key in the spec.
    pub name: &'static str,
    /// The example's summary in the spec.
    pub summary: &'static str,
    /// The body, as pretty-printed JSON.
    pub json: &'static str,
    /// Decodes a body into the example's type (its operation's success response for a 2xx,
    /// its error body otherwise), shown with `{:#?}`: what the contract tests pin.
    pub decoded: fn(&str) -> Result<String, String>,
}

/// Two examples are the same when they are the same text for the same operation and status
/// (their decoders follow from those).
impl PartialEq for DocumentedExample {
    fn eq(&self, other: &Self) -> bool {
        (
            self.operation_id,
            self.status,
            self.name,
            self.summary,
            self.json,
        ) == (
            other.operation_id,
            other.status,
            other.name,
            other.summary,
            other.json,
        )
    }
}

impl Eq for DocumentedExample {}
