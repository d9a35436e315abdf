//! The one error type callers see, whatever went wrong.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::call_record::CallRecord;
use crate::error_body::{self, ParsedBody};
use crate::retry::is_retryable_status;
use crate::types::ErrorResponse;

/// What kind of failure an [`Error`] is.
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
    /// A listing across pages could not be completed without losing or repeating tasks (tasks
    /// beyond the service's offset ceiling, or tasks added or removed while listing).
    Incomplete,
}

/// Everything known about a failed call: what kind of failure, and whenever a response arrived,
/// its status, `X-Request-Id`, headers, the service's error code and message (from any body
/// shape the official SDKs understand) or else a bounded snippet of the raw body.
///
/// ```
/// # async fn run(client: sms_api::Client) {
/// use sms_api::{ErrorKind, ListTasksExt};
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
    body_snippet: Option<String>,
    attempts: u32,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        self.0.status
    }

    /// The response headers, when a response arrived.
    pub fn http_headers(&self) -> Option<&HeaderMap> {
        self.0.headers.as_ref()
    }

    /// The service's `X-Request-Id`, when a response carried one: quote it in a support case.
    pub fn request_id(&self) -> Option<&str> {
        self.0.headers.as_ref().and_then(crate::hooks::request_id)
    }

    /// The service's error code, e.g. `SMS.9004` or `APIGW.0301`.
    pub fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    /// What went wrong, in words: the service's message, or a description of the failure.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The error body, when it came in the documented shape (with `error_param`, `details`,
    /// `encoded_authorization_message`).
    pub fn error_response(&self) -> Option<&ErrorResponse> {
        self.0.documented.as_ref()
    }

    /// The start of the raw body (at most 512 bytes), when a body arrived that was not an error
    /// the service explained (an HTML page from a gateway, an empty or undecodable body).
    pub fn body_snippet(&self) -> Option<&str> {
        self.0.body_snippet.as_deref()
    }

    /// How many attempts were made (0 when the request was never sent).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// Whether this is a timeout (of an attempt or of the whole operation).
    pub fn is_timeout(&self) -> bool {
        self.0.kind == ErrorKind::Timeout
    }

    /// Whether trying again later might succeed: a transport failure, a timeout, or HTTP 429,
    /// 500, 502, 503 or 504. (The client already retried as its policy allows.)
    pub fn is_retryable(&self) -> bool {
        match self.0.kind {
            ErrorKind::Transport | ErrorKind::Timeout => true,
            ErrorKind::Service => self
                .0
                .status
                .is_some_and(|s| is_retryable_status(s.as_u16())),
            ErrorKind::InvalidRequest | ErrorKind::Decode | ErrorKind::Incomplete => false,
        }
    }

    /// An error of `kind` with only a message.
    fn bare(kind: ErrorKind, message: String) -> Error {
        Error(Box::new(Inner::new(kind, message)))
    }

    /// A listing that could not be completed.
    pub(crate) fn incomplete(message: String) -> Error {
        Error::bare(ErrorKind::Incomplete, message)
    }

    /// Builds the error from progenitor's and what the hooks recorded during the call.
    pub(crate) fn from_call(
        error: progenitor_client::Error<ErrorResponse>,
        record: CallRecord,
        operation_id: &str,
    ) -> Error {
        use progenitor_client::Error as Raw;
        let received = record.last_response;
        let mut e = Inner::new(ErrorKind::Transport, String::new());
        e.status = received.as_ref().map(|r| r.status);
        e.headers = received.as_ref().map(|r| r.headers.clone());
        e.attempts = record.attempts;
        match &error {
            Raw::InvalidRequest(reason) => {
                e.kind = ErrorKind::InvalidRequest;
                e.message =
                    explain_conversion(operation_id, reason).unwrap_or_else(|| reason.clone());
            }
            Raw::CommunicationError(cause)
            | Raw::ResponseBodyError(cause)
            | Raw::InvalidUpgrade(cause) => {
                e.kind = if cause.is_timeout() {
                    ErrorKind::Timeout
                } else {
                    ErrorKind::Transport
                };
                e.message = chain(cause);
            }
            Raw::ErrorResponse(response) => {
                e.kind = ErrorKind::Service;
                e.status = Some(response.status());
                e.headers = Some(response.headers().clone());
                let body = received
                    .as_ref()
                    .map(|r| error_body::parse(&r.body))
                    .unwrap_or_default();
                e.explain(body, received.as_ref().map(|r| &r.body[..]));
                if e.documented.is_none() {
                    e.documented = Some(response.as_ref().clone());
                }
            }
            Raw::UnexpectedResponse(response) => {
                e.status = Some(response.status());
                e.headers = Some(response.headers().clone());
                let body = received.as_ref().map(|r| &r.body[..]).unwrap_or_default();
                if response.status().is_success() {
                    e.kind = ErrorKind::Decode;
                    e.message = format!(
                        "the service answered {} to an operation that documents only other statuses",
                        response.status()
                    );
                    e.body_snippet = Some(error_body::snippet(body));
                } else {
                    e.kind = ErrorKind::Service;
                    e.explain(error_body::parse(body), Some(body));
                }
            }
            Raw::InvalidResponsePayload(bytes, cause) => {
                e.kind = ErrorKind::Decode;
                e.status = e.status.or(Some(StatusCode::OK));
                let truncated = received.as_ref().is_some_and(|r| r.truncated);
                e.message = if truncated {
                    format!(
                        "the body is larger than the {} MiB the client reads",
                        crate::hooks::MAX_BODY_BYTES >> 20
                    )
                } else if bytes.is_empty() {
                    "the body is empty".to_owned()
                } else {
                    format!("the body is not the documented JSON: {cause}")
                };
                e.body_snippet = Some(error_body::snippet(bytes));
            }
            Raw::Custom(reason) => {
                e.message = reason.clone();
            }
        }
        e.source = Some(Box::new(error));
        Error(Box::new(e))
    }
}

impl Inner {
    /// An error of `kind` that knows nothing else yet.
    fn new(kind: ErrorKind, message: String) -> Inner {
        Inner {
            kind,
            message,
            status: None,
            headers: None,
            code: None,
            documented: None,
            body_snippet: None,
            attempts: 0,
            source: None,
        }
    }

    /// Fills code and message from an error body, or the status and a snippet when it has none.
    fn explain(&mut self, parsed: ParsedBody, raw: Option<&[u8]>) {
        self.code = parsed.code;
        self.documented = parsed.documented;
        match parsed.message {
            Some(message) => self.message = message,
            None => {
                self.message = self
                    .status
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("error")
                    .to_owned();
                self.body_snippet = raw.map(error_body::snippet);
            }
        }
    }
}

/// typify's "conversion to `ListTasksName` for name failed", said with the documented bounds.
fn explain_conversion(operation_id: &str, reason: &str) -> Option<String> {
    let rest = reason.strip_prefix("conversion to `")?;
    let parameter = rest.split_once("` for ")?.1.strip_suffix(" failed")?;
    let bounds = crate::parameter_bounds::bounds_of(operation_id, parameter)?;
    Some(format!(
        "parameter `{parameter}` must be {}",
        bounds.allowed()
    ))
}

/// An error and its causes, joined with `: `.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
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
            ErrorKind::Decode => write!(
                f,
                "could not decode the response{context}: {}",
                self.0.message
            )?,
        }
        if let Some(snippet) = &self.0.body_snippet {
            if snippet.is_empty() {
                write!(f, " (empty body)")?;
            } else {
                write!(f, " (body: {snippet:?})")?;
            }
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
