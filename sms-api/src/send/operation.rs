//! Every operation of the spec as an [`Operation`], and [`FetchExt::fetch`] for all of them.
//!
//! The build script implements [`Operation`] for each request builder progenitor generates
//! (`codegen/src/render/operations.rs`), so an operation added to the spec gets `fetch()`, the hooks
//! (bounds, signing, retries) and typed errors with no Rust written for it.

use std::future::Future;

use super::call_record::Call;
use super::outcome;
use super::response::Response;
use crate::error::Error;

/// A request builder of one operation of the spec; implemented by the build script for every
/// builder progenitor generates, and by nothing else (the trait is sealed: a method added to it
/// is not a breaking change). Send one with [`FetchExt::fetch`].
///
/// ```
/// use sms_api::send::Operation;
///
/// assert_eq!(<sms_api::builder::ListTasks<'_> as Operation>::OPERATION_ID, "list_tasks");
/// ```
pub trait Operation: sealed::Sealed + Sized + Send {
    /// The body of a successful response.
    type Response: Send;
    /// The error body the spec documents for the operation (`()` when it documents none):
    /// [`Error::error_body`](crate::Error::error_body) decodes an error answer into it.
    type ErrorBody: std::fmt::Debug + serde::de::DeserializeOwned + Send + Sync + 'static;
    /// The spec's `operationId`.
    const OPERATION_ID: &'static str;
    /// Its method, path template and whether the client may send it again by itself.
    const FACTS: &'static super::OperationFacts;
}

/// What the build script implements beside [`Operation`], which callers cannot name: the
/// generated builder's `send_in()`, whose types are progenitor's, and the client it holds.
pub(crate) mod sealed {
    use std::future::Future;
    use std::pin::Pin;

    /// What the builder's `send_in()` of the operation `O` gives, in the crate's types.
    pub type RawSend<'f, O> = Pin<
        Box<
            dyn Future<
                    Output = Result<
                        crate::send::Response<<O as super::Operation>::Response>,
                        RawFailure<<O as super::Operation>::ErrorBody>,
                    >,
                > + Send
                + 'f,
        >,
    >;

    /// progenitor's error for a call, kept whole until `fetch()` reads it with the call's
    /// record (`outcome.rs`); its field is crate-visible, so that progenitor's type is not in
    /// the public API.
    #[derive(Debug)]
    pub struct RawFailure<E>(pub(crate) progenitor_client::Error<E>);

    /// Sealed: only the build script's impls exist.
    pub trait Sealed {
        /// The builder's `send_in()`: progenitor's `send()` through the client's hooks, which
        /// record what the attempts met in `call`; progenitor's error wrapped.
        fn send_in<'f>(self, call: &'f crate::send::call_record::Call) -> RawSend<'f, Self>
        where
            Self: super::Operation + 'f;

        /// The client the request goes through: the paginator and the waiters draw their
        /// jitter and retry budget from it.
        fn client(&self) -> &crate::generated::client::Client;
    }
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
    /// transient failures retried per the client's policy: an operation that is not safe to
    /// repeat only when it provably never reached the service) and returns the response, or
    /// one [`Error`] that says everything known about the attempt that failed.
    fn fetch(self) -> impl Future<Output = Result<Response<Self::Response>, Error>> + Send;
}

impl<O: Operation> FetchExt for O {
    /// The call's span (`sms_api.operation`) covers all of it: the parameter checks, the wait
    /// for credentials and for the rate limiter's turn, and every attempt. Its fields are
    /// OpenTelemetry's RPC names (`rpc.system`, `rpc.service`, `rpc.method`), the request id,
    /// the attempts, the status and the outcome (`ok`, or the error's kind as `error.type`).
    async fn fetch(self) -> Result<Response<Self::Response>, Error> {
        use tracing::Instrument;
        let call = Call::new();
        let started = call.started();
        let span = call_span(Self::OPERATION_ID);
        let result = sealed::Sealed::send_in(self, &call)
            .instrument(span.clone())
            .await;
        let record = call.into_record();
        let attempts = record.attempts;
        let result = result
            .map(|value| value.with_attempts(attempts))
            .map_err(|raw| outcome::into_error(raw.0, record, Self::OPERATION_ID));
        crate::telemetry::call(
            Self::OPERATION_ID,
            started.elapsed(),
            attempts,
            result.as_ref().err().map(|e| format!("{:?}", e.kind())),
        );
        match &result {
            Ok(response) => {
                span.record("outcome", "ok");
                if let Some(id) = response.request_id() {
                    span.record("request_id", id);
                }
            }
            Err(error) => {
                span.record("outcome", "error");
                span.record("error.type", format!("{:?}", error.kind()));
                if let Some(id) = error.request_id() {
                    span.record("request_id", id);
                }
            }
        }
        result
    }
}

/// The span of one call of `operation_id`, opened by `fetch()`; the hooks record into it.
pub(super) fn call_span(operation_id: &'static str) -> tracing::Span {
    use tracing::field::Empty;
    tracing::info_span!(
        "sms_api.operation",
        otel.name = operation_id,
        rpc.system = "http",
        rpc.service = "sms",
        rpc.method = operation_id,
        operation = operation_id,
        attempts = Empty,
        status = Empty,
        request_id = Empty,
        duration_ms = Empty,
        outcome = Empty,
        error.type = Empty,
    )
}
