//! Whether a failure is worth another try: the one home of it. The client's retries
//! (`send/attempt.rs`, on a raw answer before any [`Error`] exists) ask the functions here;
//! callers, the paginator's refetch and the waits ask [`Error::is_retryable`] and
//! [`Error::is_transient`], which are built on them.

use reqwest::StatusCode;

use super::{Error, ErrorKind, chain};

impl Error {
    /// Whether the API gateway throttled the call: HTTP 429, or a gateway throttling code
    /// (`APIG.0308`, `APIGW.0308`), whatever the status.
    ///
    /// ```
    /// # fn f(e: sms_api::Error) -> bool {
    /// e.is_throttling()
    /// # }
    /// ```
    pub fn is_throttling(&self) -> bool {
        self.0.kind == ErrorKind::Service && is_throttling(self.0.status, self.0.code.as_deref())
    }

    /// Whether trying again later might succeed: a transport failure, a timeout, throttling, or
    /// HTTP 500, 502, 503 or 504. (The client already retried as its policy allows.)
    ///
    /// ```
    /// # fn f(e: sms_api::Error) -> bool {
    /// e.is_retryable()
    /// # }
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self.0.kind {
            ErrorKind::Transport | ErrorKind::Timeout => true,
            ErrorKind::Service => {
                self.0.status.is_some_and(is_retryable_status) || self.is_throttling()
            }
            ErrorKind::InvalidRequest
            | ErrorKind::Decode
            | ErrorKind::Incomplete
            | ErrorKind::Credentials
            | ErrorKind::Certificate
            // Trying an action again is the caller's choice, once it has looked.
            | ErrorKind::OutcomeUnknown
            | ErrorKind::Gone
            | ErrorKind::Redirect => false,
        }
    }

    /// Whether a later, separate attempt may not meet it: [`is_retryable`](Self::is_retryable),
    /// or a listing that changed while it was paged ([`ErrorKind::Incomplete`]), or credentials
    /// whose source did not answer ([`ErrorKind::Credentials`]: the metadata service restarting
    /// during an hours-long wait). What a wait or a watch rides out, for as long as its outage
    /// limit; the client's own retries follow [`is_retryable`](Self::is_retryable).
    ///
    /// ```
    /// # fn f(e: sms_api::Error) -> bool {
    /// e.is_transient()
    /// # }
    /// ```
    pub fn is_transient(&self) -> bool {
        self.is_retryable() || matches!(self.0.kind, ErrorKind::Incomplete | ErrorKind::Credentials)
    }
}

/// Whether a response with this status is worth another attempt: 429 (throttled; see
/// [`is_throttling`], which also knows the gateway's codes) and 500, 502, 503, 504.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// Whether an answer is the API gateway throttling: HTTP 429, or the gateway's throttling code
/// (`APIG.0308`, or its older spelling `APIGW.0308`) in whatever status it came.
pub(crate) fn is_throttling(status: Option<StatusCode>, code: Option<&str>) -> bool {
    status.is_some_and(|s| s == StatusCode::TOO_MANY_REQUESTS)
        || code.is_some_and(|code| {
            let (prefix, number) = code.split_once('.').unwrap_or((code, ""));
            matches!(prefix, "APIG" | "APIGW") && number == "0308"
        })
}

/// A read is safe to repeat after any transport failure but a malformed request or redirect.
pub(crate) fn is_retryable_transport(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect() || error.is_status())
}

/// Whether a transport failure is the server's certificate not being trusted. reqwest does
/// not type it and the crate does not link rustls itself, so this reads the causes' words:
/// rustls's "invalid peer certificate" and OpenSSL's "certificate verify failed".
pub(crate) fn is_certificate_error(error: &reqwest::Error) -> bool {
    let text = chain(error).to_ascii_lowercase();
    text.contains("invalid peer certificate") || text.contains("certificate verify failed")
}
