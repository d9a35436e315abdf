//! What the spec says of each operation and its inputs, for a command line to offer (generated
//! into `OPERATIONS` by the build script from the spec).

/// One operation of the spec.
///
/// ```
/// let show = sms_api::invoke::operations().iter().find(|o| o.id == "show_task").unwrap();
/// assert_eq!((show.method, show.path, show.paginated), ("GET", "/v3/tasks/{task_id}", false));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationInfo {
    /// Its operationId (`list_servers`).
    pub id: &'static str,
    /// Its method (`GET`).
    pub method: &'static str,
    /// Its path template (`/v3/sources`).
    pub path: &'static str,
    /// Its summary ("" without one).
    pub summary: &'static str,
    /// Its description ("" without one).
    pub description: &'static str,
    /// Whether it pages: its page size and offset are the paginator's, not inputs, and it
    /// answers [`Invoked::Items`](super::Invoked::Items).
    pub paginated: bool,
    /// Its inputs: path parameters first, in path order, then query parameters, then the
    /// JSON body's top-level fields.
    pub inputs: &'static [InputInfo],
}

/// One input of an operation.
///
/// ```
/// use sms_api::invoke::{operations, Location};
/// let action = operations().iter().find(|o| o.id == "update_task_status").unwrap();
/// let operation = action.inputs.iter().find(|i| i.name == "operation").unwrap();
/// assert_eq!(operation.location, Location::Body);
/// assert!(operation.required && operation.values.contains(&"stop"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InputInfo {
    /// Its name in the spec (`source_id`).
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// Whether the spec requires it.
    pub required: bool,
    /// Its description ("" without one).
    pub description: &'static str,
    /// Its JSON type in the spec (`string`, `integer`, `boolean`, `object`...; "" when unsaid).
    pub kind: &'static str,
    /// Its documented values, for an enum.
    pub values: &'static [&'static str],
}

/// Where an input goes.
///
/// ```
/// use sms_api::invoke::{operations, Location};
/// let show = operations().iter().find(|o| o.id == "show_server").unwrap();
/// assert_eq!(show.inputs[0].location, Location::Path);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A segment of the path.
    Path,
    /// A query parameter.
    Query,
    /// A top-level field of the JSON request body.
    Body,
}
