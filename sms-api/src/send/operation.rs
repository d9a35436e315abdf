//! Every operation of the spec as an [`Operation`], and [`FetchExt::fetch`] for all of them.
//!
//! The build script implements [`Operation`] for each request builder progenitor generates
//! (`codegen/src/render/operations.rs`), so an operation added to the spec gets `fetch()`, the hooks
//! (bounds, signing, retries) and typed errors with no Rust written for it.

use std::future::Future;

use super::{call_scope, outcome};
use crate::{Error, ResponseValue};

/// A request builder of one operation of the spec; implemented by the build script for every
/// builder progenitor generates. Call it through [`FetchExt::fetch`].
///
/// ```
/// use sms_api::send::Operation;
///
/// assert_eq!(<sms_api::builder::ListTasks<'_> as Operation>::OPERATION_ID, "list_tasks");
/// ```
pub trait Operation: Sized + Send {
    /// The body of a successful response.
    type Response: Send;
    /// The error body the spec documents (`()` when it documents none).
    type ErrorBody: std::fmt::Debug + Send + Sync + 'static;
    /// The spec's `operationId`.
    const OPERATION_ID: &'static str;
    /// Its method, path template and whether the client may send it again by itself.
    const FACTS: &'static super::OperationFacts;

    /// The client the request goes through: the paginator and the waiters draw their jitter
    /// and retry budget from it.
    #[doc(hidden)]
    fn client(&self) -> &crate::Client;

    /// progenitor's `send()`: the request through the client's hooks, with progenitor's error.
    fn send_raw(
        self,
    ) -> impl Future<
        Output = Result<ResponseValue<Self::Response>, progenitor_client::Error<Self::ErrorBody>>,
    > + Send;
}

/// `fetch()` for every operation's builder: `use sms_api::prelude::*;` brings it.
///
/// ```no_run
/// # async fn run(client: sms_api::Client) -> Result<(), sms_api::Error> {
/// use sms_api::prelude::*;
///
/// let page = client.list_tasks().limit(50).fetch().await?;
/// println!("{} tasks in all", page.count.unwrap_or_default());
/// # Ok(())
/// # }
/// ```
pub trait FetchExt: Operation {
    /// Sends the request (signed, with its parameters checked against the spec's bounds, and
    /// transient failures retried per the client's policy) and returns the response, or one
    /// [`Error`] that says everything known about the attempt that failed.
    fn fetch(self) -> impl Future<Output = Result<ResponseValue<Self::Response>, Error>> + Send;
}

impl<O: Operation> FetchExt for O {
    async fn fetch(self) -> Result<ResponseValue<Self::Response>, Error> {
        let (result, record) = call_scope::recorded(self.send_raw()).await;
        result.map_err(|raw| outcome::into_error(raw, record, Self::OPERATION_ID))
    }
}
