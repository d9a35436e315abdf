//! The types of the API, generated from the spec: response bodies, their nested objects, the
//! open enums, and the spec's documented response examples.
//!
//! ```
//! use sms_api::types::{ListTasksResponse, TaskState};
//!
//! let page: ListTasksResponse = serde_json::from_str(r#"{"count":1,"tasks":[{"state":"RUNNING"}]}"#).unwrap();
//! assert_eq!(page.tasks.unwrap()[0].state, Some(TaskState::Running));
//! ```

mod documented_example;
pub(crate) mod open_enum;
mod scalar;

pub use crate::generated::client::types::*;
pub use crate::generated::documented_examples::DOCUMENTED_EXAMPLES;
pub use crate::generated::open_enums::*;
pub use documented_example::DocumentedExample;

/// A string field that holds JSON, decoded (the generated `x-json-text` methods): `None` when
/// absent or empty, the text itself when it is not a `T`.
pub(crate) fn json_text<T: serde::de::DeserializeOwned>(
    text: Option<&str>,
) -> Option<Result<T, &str>> {
    let text = text.filter(|t| !t.trim().is_empty())?;
    Some(serde_json::from_str(text).map_err(|_| text))
}
pub use open_enum::{UndocumentedValue, UnknownValue};
pub use scalar::{Number, Text};
