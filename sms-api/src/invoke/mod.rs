//! Any operation of the spec, called by its operationId with its inputs as text, as a command
//! line calls it: the `sms` command has one subcommand per entry of [`operations()`], so that
//! an operation added to the spec is a command with no Rust written. The call goes through the
//! operation's typed builder (its bounds, signing, retries and typed errors); a paginated
//! operation gives every item of every page.
//!
//! ```
//! # async fn run(client: sms_api::Client) -> Result<(), sms_api::Error> {
//! use futures_util::StreamExt;
//! use sms_api::invoke::{self, Invoked};
//!
//! let inputs = [("source_id", "s-1")];
//! match invoke::invoke(&client, "show_server", &inputs).await? {
//!     Invoked::Document(server) => println!("{server}"),
//!     Invoked::Items(mut items) => {
//!         while let Some(item) = items.next().await {
//!             println!("{}", item?);
//!         }
//!     }
//! }
//! # Ok(())
//! # }
//! ```

mod info;
mod input;

use std::pin::Pin;

use futures_core::Stream;
use futures_util::StreamExt;
use serde_json::Value;

pub use info::{InputInfo, Location, OperationInfo};
pub(crate) use input::Inputs;

use crate::error::{Error, ErrorKind};
use crate::paging::{Paginated, Paginator};
use crate::send::Response;

/// Every operation of the spec, in the spec's order.
///
/// ```
/// let ids: Vec<&str> = sms_api::invoke::operations().iter().map(|o| o.id).collect();
/// assert!(ids.contains(&"list_tasks") && ids.contains(&"show_server"));
/// ```
pub fn operations() -> &'static [OperationInfo] {
    crate::generated::invoke::OPERATIONS
}

/// What an operation answered: every item of every page, or one JSON document (`null` for an
/// answer with no body).
pub enum Invoked<'a> {
    /// The items of a paginated operation, page after page, as they arrive.
    Items(Pin<Box<dyn Stream<Item = Result<Value, Error>> + Send + 'a>>),
    /// The answer of any other.
    Document(Value),
}

impl std::fmt::Debug for Invoked<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Invoked::Items(_) => f.write_str("Items(..)"),
            Invoked::Document(value) => f.debug_tuple("Document").field(value).finish(),
        }
    }
}

impl<'a> Invoked<'a> {
    /// Every item of `paginator`'s pages, as JSON.
    pub(crate) fn items<O>(paginator: Paginator<O>) -> Invoked<'a>
    where
        O: Paginated + 'a,
        O::Item: serde::Serialize,
    {
        let items = paginator
            .by_item()
            .map(|item| item.and_then(|item| to_json(&item)));
        Invoked::Items(Box::pin(items))
    }

    /// The body of `response`, as JSON.
    pub(crate) fn document<T: serde::Serialize>(
        response: Response<T>,
    ) -> Result<Invoked<'a>, Error> {
        to_json(&response.into_inner()).map(Invoked::Document)
    }
}

/// Calls the operation `operation_id` with `inputs` (each input's name in the spec, and its
/// value as text: a number, `true`, an enum's value, or JSON for an object), through its typed
/// builder.
///
/// An operationId the spec does not have, an input it does not declare for the operation, or
/// a value that does not convert is an [`ErrorKind::InvalidRequest`] naming it, and nothing is
/// sent.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let client = sms_api::Client::builder()
///     .endpoint("https://sms.example.com")
///     .credentials(sms_api::Credentials::iam_token("t"))
///     .build()
///     .unwrap();
/// let error = sms_api::invoke::invoke(&client, "show_task", &[("taks_id", "t-1")]).await.unwrap_err();
/// assert!(error.to_string().contains("`show_task` has no input `taks_id`"), "{error}");
/// # }
/// ```
pub async fn invoke<'a>(
    client: &'a crate::generated::client::Client,
    operation_id: &str,
    inputs: &[(&str, &str)],
) -> Result<Invoked<'a>, Error> {
    let Some(operation) = operations().iter().find(|o| o.id == operation_id) else {
        return Err(Error::new(
            ErrorKind::InvalidRequest,
            format!("the spec has no operation `{operation_id}`"),
        ));
    };
    let inputs = Inputs::of(operation, inputs)?;
    crate::generated::invoke::call(client, operation_id, &inputs).await
}

/// `value` as JSON.
fn to_json(value: &impl serde::Serialize) -> Result<Value, Error> {
    serde_json::to_value(value)
        .map_err(|e| Error::new(ErrorKind::Decode, format!("the answer is not JSON: {e}")))
}
