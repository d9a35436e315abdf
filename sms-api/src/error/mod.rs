//! The one error type callers see, whatever went wrong: plain data, built where the failure is
//! known (`send/outcome.rs` for a call, `paging/` for a listing, `send/bounds.rs` for a
//! parameter). This module depends on nothing that sends, retries or pages.
//!
//! ```
//! use sms_api::error::{Error, ErrorKind};
//!
//! fn explain(error: &Error) -> String {
//!     match error.kind() {
//!         ErrorKind::Service => format!("{:?} {:?}", error.code(), error.request_id()),
//!         _ => error.to_string(),
//!     }
//! }
//! # let _ = explain;
//! ```

mod body;
mod chain;
mod credentials;
mod retryable;

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::types::ErrorResponse;
pub use body::SNIPPET_BYTES;
pub(crate) use body::{parse as parse_body, snippet};
pub(crate) use chain::chain;
pub use credentials::CredentialsError;
pub(crate) use retryable::{
    is_certificate_error, is_retryable_status, is_retryable_transport, is_throttling,
};

/// The longest error body an [`Error`] keeps for [`Error::error_body`] (64 KiB): an error
/// answer is a short JSON document; a longer one is kept only as a snippet.
pub const ERROR_BODY_BYTES: usize = 64 * 1024;

/// What kind of failure an [`Error`] is.
///
/// ```
/// # async fn run(client: sms_api::Client) {
/// use sms_api::prelude::*;
///
/// match client.list_tasks().fetch().await {
///     Ok(page) => println!("{:?} tasks", page.count),
///     Err(e) if e.kind() == ErrorKind::InvalidRequest => eprintln!("fix the call: {e}"),
///     Err(e) if e.kind() == ErrorKind::Service && e.status().is_some_and(|s| s == 403) => {
///         eprintln!("no permission (request {:?})", e.request_id())
///     }
///     Err(e) => eprintln!("{e}"),
/// }
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request was rejected before it was sent (a parameter out of its documented bounds).
    InvalidRequest,
    /// The connection failed, was reset, or a body could not be read.
    Transport,
    /// An attempt, or the whole operation, ran out of time.
    Timeout,
    /// The service (or its API gateway) answered with an error status.
    Service,
    /// A response arrived but its body could not be decoded.
    Decode,
    /// A listing across pages could not be completed without losing or repeating items (items
    /// beyond the service's offset ceiling, or items added or removed while listing).
    Incomplete,
    /// No credentials could be had for the call (temporary credentials whose source did not
    /// give them, or none in the default chain), so it was not sent; the message says what
    /// each source said.
    Credentials,
    /// The server's TLS certificate is not trusted (a private CA, or a proxy that inspects
    /// TLS): not retried, since another attempt meets the same certificate. The message says
    /// how to trust it (`SSL_CERT_FILE`, or
    /// [`ClientBuilder::add_root_certificate_pem`](crate::ClientBuilder::add_root_certificate_pem)).
    Certificate,
    /// An action's answer was lost (a timeout, a dropped connection, a 5xx) after it may have
    /// reached the service: it **may or may not have happened**. An operation that is not safe
    /// to repeat ([`OperationFacts::safe_to_repeat`](crate::send::OperationFacts::safe_to_repeat))
    /// is never sent twice by the client itself: look at the resource (show the task) before
    /// acting again. The status and code of a 5xx are kept.
    OutcomeUnknown,
    /// The endpoint answered with a redirect (3xx). The client never follows one: the request's
    /// credentials (`X-Auth-Token`, a signature, `X-Security-Token`) would go to whatever origin
    /// the `Location` names, and an action would be sent a second time, there. The status is
    /// kept, and the message names the host the redirect pointed to; if you trust it, make it
    /// the endpoint. An action answered this way was not sent again.
    Redirect,
    /// A delete was sent again after its answer was lost, and the service then said the
    /// resource does not exist: it is gone (most likely the earlier attempt deleted it). Not a
    /// failure of the delete; the status and code of the "not found" answer are kept.
    Gone,
}

/// Everything known about a failed call. Status, headers and request id are those of the
/// attempt that ended the call: a transport failure or timeout has none, even when an earlier
/// attempt got an answer (see [`earlier_attempts`](Self::earlier_attempts)). When a response
/// arrived: the service's error code and message (from any body shape the official SDKs
/// understand), or else a bounded snippet of the raw body.
///
/// ```
/// # async fn run(client: sms_api::Client) {
/// use sms_api::prelude::*;
///
/// match client.list_tasks().fetch().await {
///     Ok(page) => println!("{} tasks", page.count.unwrap_or_default()),
///     Err(e) if e.kind() == ErrorKind::Service => {
///         eprintln!("{e}"); // SMS.9004 (HTTP 403, request 7c0e...): The current account ...
///         eprintln!("{:?} {:?} {:?}", e.status(), e.code(), e.request_id());
///     }
///     Err(e) => eprintln!("{e} (retryable: {})", e.is_retryable()),
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct Error(Box<Inner>);

/// The contents of an [`Error`], boxed so that a `Result` stays small.
#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<StatusCode>,
    headers: Option<HeaderMap>,
    code: Option<String>,
    documented: Option<ErrorResponse>,
    /// An error answer's body, when it is at most [`ERROR_BODY_BYTES`].
    error_body: Option<Vec<u8>>,
    body_snippet: Option<String>,
    attempts: u32,
    earlier_attempts: Vec<String>,
    /// How far a listing got before this error ended it.
    progress: Option<String>,
    /// The requests sent in all by the listing or wait this error ended (every page's
    /// attempts, re-fetches included), when more than this call's.
    requests_sent: Option<u64>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// The kind of failure.
    ///
    /// ```
    /// # fn f(e: sms_api::Error) -> bool {
    /// e.kind() == sms_api::ErrorKind::Timeout
    /// # }
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The HTTP status of the attempt that ended the call, when it got a response.
    ///
    /// ```
    /// # fn f(e: sms_api::Error) -> bool {
    /// e.status().is_some_and(|s| s.as_u16() == 404)
    /// # }
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        self.0.status
    }

    /// The response headers of the attempt that ended the call, when it got a response.
    ///
    /// ```
    /// # fn f(e: sms_api::Error) -> Option<String> {
    /// e.http_headers()?.get("x-request-id")?.to_str().ok().map(str::to_owned)
    /// # }
    /// ```
    pub fn http_headers(&self) -> Option<&HeaderMap> {
        self.0.headers.as_ref()
    }

    /// The service's `X-Request-Id`, when the response carried one: quote it in a support case.
    ///
    /// ```
    /// # fn f(e: sms_api::Error) {
    /// if let Some(id) = e.request_id() { eprintln!("request id: {id}") }
    /// # }
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        self.0.headers.as_ref().and_then(request_id)
    }

    /// The service's error code, e.g. `SMS.9004`, `APIGW.0301` or `APIG.0308`.
    ///
    /// ```
    /// # fn f(e: sms_api::Error) -> bool {
    /// e.code() == Some("SMS.9004")
    /// # }
    /// ```
    pub fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    /// What went wrong, in words: the service's message, or a description of the failure.
    ///
    /// ```
    /// # fn f(e: sms_api::Error) {
    /// eprintln!("{}", e.message());
    /// # }
    /// ```
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The error body, when it came in the documented shape (with `error_param`, `details`,
    /// `encoded_authorization_message`).
    ///
    /// ```
    /// # fn f(e: sms_api::Error) -> Option<usize> {
    /// e.error_response()?.details.as_ref().map(Vec::len)
    /// # }
    /// ```
    pub fn error_response(&self) -> Option<&ErrorResponse> {
        self.0.documented.as_ref()
    }

    /// The error answer's body decoded into `T`: the operation's own documented error body,
    /// [`Operation::ErrorBody`](crate::send::Operation::ErrorBody), or any shape a caller
    /// expects. `None` when no error answer arrived, its body was longer than
    /// [`ERROR_BODY_BYTES`], or it is not a `T`.
    ///
    /// ```
    /// # fn f(e: sms_api::Error) -> Option<String> {
    /// use sms_api::send::Operation;
    ///
    /// type ShowTaskError = <sms_api::builder::ShowTask<'static> as Operation>::ErrorBody;
    /// e.error_body::<ShowTaskError>()?.error_code
    /// # }
    /// ```
    pub fn error_body<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(self.0.error_body.as_deref()?).ok()
    }

    /// The start of the raw body (at most [`SNIPPET_BYTES`]), when a body arrived that was not
    /// an error the service explained (an HTML page from a gateway, an empty or undecodable body).
    ///
    /// ```
    /// # fn f(e: sms_api::Error) {
    /// if let Some(snippet) = e.body_snippet() {
    ///     eprintln!("the service answered: {snippet}");
    /// }
    /// # }
    /// ```
    pub fn body_snippet(&self) -> Option<&str> {
        self.0.body_snippet.as_deref()
    }

    /// How many attempts were made (0 when the request was never sent).
    ///
    /// ```
    /// # fn f(e: sms_api::Error) -> bool {
    /// e.attempts() > 1 // it was retried
    /// # }
    /// ```
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// What each attempt before the last one got, oldest first, e.g.
    /// `attempt 1: HTTP 503 (request 4f1c...)` or `attempt 2: connection closed`.
    ///
    /// ```
    /// # fn f(e: sms_api::Error) {
    /// for line in e.earlier_attempts() {
    ///     eprintln!("  {line}"); // attempt 1: HTTP 503 (request ...)
    /// }
    /// # }
    /// ```
    pub fn earlier_attempts(&self) -> &[String] {
        &self.0.earlier_attempts
    }

    /// Whether this is a timeout (of an attempt or of the whole operation).
    ///
    /// ```
    /// # fn f(e: sms_api::Error) -> bool {
    /// e.is_timeout()
    /// # }
    /// ```
    pub fn is_timeout(&self) -> bool {
        self.0.kind == ErrorKind::Timeout
    }

    /// An error of `kind` that knows only its message.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            status: None,
            headers: None,
            code: None,
            documented: None,
            error_body: None,
            body_snippet: None,
            attempts: 0,
            earlier_attempts: Vec::new(),
            progress: None,
            requests_sent: None,
            source: None,
        }))
    }

    /// The service's error answer: code and message from the body in any shape the official
    /// SDKs read, else the status's reason and a snippet of the body.
    pub(crate) fn service(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Error {
        let parsed = parse_body(body);
        let mut error =
            Error::new(ErrorKind::Service, String::new()).with_response(status, headers);
        let inner = &mut error.0;
        inner.code = parsed.code;
        inner.documented = parsed.documented;
        inner.error_body = (body.len() <= ERROR_BODY_BYTES).then(|| body.to_vec());
        match parsed.message {
            Some(message) => inner.message = message,
            None => {
                inner.message = status.canonical_reason().unwrap_or("error").to_owned();
                inner.body_snippet = Some(snippet(body));
            }
        }
        error
    }

    /// Adds the status and headers of the response that ended the call.
    pub(crate) fn with_response(mut self, status: StatusCode, headers: HeaderMap) -> Error {
        self.0.status = Some(status);
        self.0.headers = Some(headers);
        self
    }

    /// Adds a snippet of the raw body.
    /// The message with `note` added after it.
    pub(crate) fn with_note(mut self, note: &str) -> Error {
        let message = &mut self.0.message;
        if !message.is_empty() {
            message.push_str("; ");
        }
        message.push_str(note);
        self
    }

    pub(crate) fn with_body_snippet(mut self, body: &[u8]) -> Error {
        self.0.body_snippet = Some(snippet(body));
        self
    }

    /// The same error, said as the outcome of an action that may or may not have happened.
    pub(crate) fn into_outcome_unknown(mut self) -> Error {
        let said = self.to_string();
        let inner = &mut self.0;
        inner.kind = ErrorKind::OutcomeUnknown;
        inner.message = said;
        inner.body_snippet = None;
        self
    }

    /// The same "not found" answer, said as a resource that is gone after a delete whose
    /// earlier answer was lost.
    pub(crate) fn into_gone(mut self) -> Error {
        let said = self.to_string();
        let inner = &mut self.0;
        inner.kind = ErrorKind::Gone;
        inner.message = format!(
            "the resource no longer exists: an earlier attempt whose answer was lost most likely deleted it (the service answered {said})"
        );
        inner.body_snippet = None;
        self
    }

    /// Adds the requests a listing or wait sent in all before this error ended it.
    pub(crate) fn with_requests_sent(mut self, requests: u64) -> Error {
        self.0.requests_sent = Some(requests);
        self
    }

    /// The requests sent in all by what this error ended: for a listing or a wait, every
    /// page's and every poll's attempts, re-fetches included; for one call, its
    /// [`attempts`](Self::attempts). What went on the wire, where `attempts()` counts only the
    /// last call's.
    ///
    /// ```
    /// # fn f(e: sms_api::Error) {
    /// eprintln!("{e} ({} requests sent in all)", e.requests_sent());
    /// # }
    /// ```
    pub fn requests_sent(&self) -> u64 {
        self.0.requests_sent.unwrap_or(u64::from(self.0.attempts))
    }

    /// Adds the number of attempts and what the attempts before the last one got.
    pub(crate) fn with_attempts(mut self, attempts: u32, earlier: Vec<String>) -> Error {
        self.0.attempts = attempts;
        self.0.earlier_attempts = earlier;
        self
    }

    /// Says how far a listing got before this error ended it.
    pub(crate) fn with_progress(mut self, progress: String) -> Error {
        self.0.progress = Some(progress);
        self
    }

    /// For an error that ended a listing across pages: how far the listing got ("pages 1 to
    /// 12 of 100 (2,400 of 20,000 items) were listed; page 13 failed after 2 re-fetches").
    ///
    /// ```
    /// # fn f(e: sms_api::Error) {
    /// if let Some(progress) = e.progress() { eprintln!("{progress}") }
    /// # }
    /// ```
    pub fn progress(&self) -> Option<&str> {
        self.0.progress.as_deref()
    }

    /// Adds the underlying error, returned by [`source`](std::error::Error::source).
    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        self.0.source = Some(Box::new(source));
        self
    }
}

/// `X-Request-Id`, the service's id for a request.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(crate::generated::client::REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut context = Vec::new();
        if let Some(status) = self.0.status {
            context.push(format!("HTTP {}", status.as_u16()));
        }
        if let Some(id) = self.request_id() {
            context.push(format!("request {id}"));
        }
        if self.0.attempts > 1 {
            context.push(format!("{} attempts", self.0.attempts));
        }
        if let Some(all) = self
            .0
            .requests_sent
            .filter(|n| *n > u64::from(self.0.attempts))
        {
            context.push(format!(
                "{all} request{} in all",
                if all == 1 { "" } else { "s" }
            ));
        }
        let context = if context.is_empty() {
            String::new()
        } else {
            format!(" ({})", context.join(", "))
        };
        match self.0.kind {
            ErrorKind::Service => {
                let code = self.0.code.as_deref().unwrap_or("service error");
                write!(f, "{code}{context}: {}", self.0.message)?;
            }
            ErrorKind::InvalidRequest => {
                write!(f, "invalid request, not sent: {}", self.0.message)?
            }
            ErrorKind::Transport => write!(f, "transport error{context}: {}", self.0.message)?,
            ErrorKind::Timeout => write!(f, "timed out{context}: {}", self.0.message)?,
            ErrorKind::Incomplete => write!(f, "incomplete listing: {}", self.0.message)?,
            ErrorKind::Credentials => write!(f, "not sent: {}", self.0.message)?,
            ErrorKind::Certificate => {
                write!(f, "untrusted certificate{context}: {}", self.0.message)?
            }
            ErrorKind::Decode => write!(
                f,
                "could not decode the response{context}: {}",
                self.0.message
            )?,
            // The message is the lost answer as it was said, its context included.
            ErrorKind::OutcomeUnknown => write!(
                f,
                "the action may or may not have happened (its answer was lost, and an action is never sent twice by itself: look before acting again): {}",
                self.0.message
            )?,
            ErrorKind::Gone => write!(f, "gone: {}", self.0.message)?,
            ErrorKind::Redirect => {
                write!(f, "redirected, not followed{context}: {}", self.0.message)?
            }
        }
        if let Some(snippet) = &self.0.body_snippet {
            if snippet.is_empty() {
                write!(f, " (empty body)")?;
            } else {
                write!(f, " (body: {snippet:?})")?;
            }
        }
        if let Some(progress) = &self.0.progress {
            write!(f, "; {progress}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_is_429_or_a_gateway_throttling_code() {
        let status = |s: u16| Some(StatusCode::from_u16(s).unwrap());
        assert!(is_throttling(status(429), None));
        assert!(is_throttling(status(429), Some("SMS.0001")));
        assert!(is_throttling(status(400), Some("APIG.0308")));
        assert!(is_throttling(status(403), Some("APIGW.0308")));
        assert!(!is_throttling(status(403), Some("SMS.9004")));
        assert!(!is_throttling(status(401), Some("APIGW.0301")));
        assert!(!is_throttling(None, Some("APIG0308")));
    }

    #[test]
    fn a_service_error_reads_any_body_shape() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "rid-7".parse().unwrap());
        let e = Error::service(
            StatusCode::TOO_MANY_REQUESTS,
            headers,
            br#"{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached"}"#,
        );
        assert!(e.is_throttling() && e.is_retryable());
        assert_eq!(
            e.to_string(),
            "APIG.0308 (HTTP 429, request rid-7): The throttling threshold has been reached"
        );
        let html = Error::service(
            StatusCode::BAD_GATEWAY,
            HeaderMap::new(),
            b"<html>502</html>",
        );
        assert_eq!(html.code(), None);
        assert_eq!(
            html.to_string(),
            "service error (HTTP 502): Bad Gateway (body: \"<html>502</html>\")"
        );
    }
}
