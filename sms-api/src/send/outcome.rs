//! The end of a call: progenitor's error, with what the call's attempts got, made into one
//! [`Error`] that describes the attempt that ended the call.

use reqwest::StatusCode;
use reqwest::header::CONTENT_ENCODING;

use super::body_limit::MAX_BODY_BYTES;
use super::bounds;
use super::call_scope::CallRecord;
use crate::error::{Error, ErrorKind};

/// The error for a call of `operation_id` that ended with `raw`, after the attempts in `record`.
pub(crate) fn into_error<E>(
    raw: progenitor_client::Error<E>,
    record: CallRecord,
    operation_id: &str,
) -> Error
where
    E: std::fmt::Debug + Send + Sync + 'static,
{
    use progenitor_client::Error as Raw;
    let last = record.last_response();
    let error = match &raw {
        Raw::InvalidRequest(reason) => Error::new(
            ErrorKind::InvalidRequest,
            explain_conversion(operation_id, reason).unwrap_or_else(|| reason.clone()),
        ),
        // The hooks' one custom error: the rate limiter gave the call no turn in time.
        Raw::Custom(reason) => Error::new(ErrorKind::Timeout, reason.clone()),
        Raw::CommunicationError(cause)
        | Raw::ResponseBodyError(cause)
        | Raw::InvalidUpgrade(cause) => {
            let kind = if cause.is_timeout() {
                ErrorKind::Timeout
            } else {
                ErrorKind::Transport
            };
            let error = Error::new(kind, chain(cause));
            match last {
                // The last attempt got a status, then its body failed.
                Some(received) => error.with_response(received.status, received.headers.clone()),
                None => error,
            }
        }
        Raw::ErrorResponse(response) => {
            let body = last.map(|r| &r.body[..]).unwrap_or_default();
            Error::service(response.status(), response.headers().clone(), body)
        }
        Raw::UnexpectedResponse(response) => {
            let body = last.map(|r| &r.body[..]).unwrap_or_default();
            let (status, headers) = (response.status(), response.headers().clone());
            if status.is_success() {
                Error::new(
                    ErrorKind::Decode,
                    format!(
                        "the service answered {status} to an operation that documents only other statuses"
                    ),
                )
                .with_response(status, headers)
                .with_body_snippet(body)
            } else {
                Error::service(status, headers, body)
            }
        }
        Raw::InvalidResponsePayload(bytes, cause) => {
            let coding = last
                .and_then(|r| r.headers.get(CONTENT_ENCODING))
                .and_then(|v| v.to_str().ok());
            let message = if let Some(reason) = last.and_then(|r| r.undecodable.as_ref()) {
                reason.clone()
            } else if last.is_some_and(|r| r.truncated) {
                let decoded = match coding {
                    Some(coding) => format!(" once decoded (it came as `{coding}`)"),
                    None => String::new(),
                };
                format!(
                    "the body is larger than the {} MiB the client reads{decoded}",
                    MAX_BODY_BYTES >> 20
                )
            } else if bytes.is_empty() {
                "the body is empty".to_owned()
            } else {
                format!("the body is not the documented JSON: {cause}")
            };
            let error = Error::new(ErrorKind::Decode, message).with_body_snippet(bytes);
            match last {
                Some(received) => error.with_response(received.status, received.headers.clone()),
                None => error.with_response(StatusCode::OK, Default::default()),
            }
        }
    };
    error
        .with_attempts(record.attempts, record.earlier)
        .with_source(raw)
}

/// A builder setter's "conversion to `T` for p failed: reason" (`build/send/setters.rs`),
/// said with the parameter's documented bounds, or with the reason (an undocumented enum
/// value names the closest documented one).
fn explain_conversion(operation_id: &str, reason: &str) -> Option<String> {
    let rest = reason.strip_prefix("conversion to `")?;
    let rest = rest.split_once("` for ")?.1;
    let (parameter, detail) = rest.split_once(" failed")?;
    let detail = detail.strip_prefix(": ").unwrap_or_default();
    match bounds::bounds_of(operation_id, parameter) {
        Some(bounds) => Some(format!(
            "parameter `{parameter}` must be {}",
            bounds.allowed()
        )),
        None if !detail.is_empty() => Some(format!("parameter `{parameter}`: {detail}")),
        None => None,
    }
}

/// An error and its causes, joined with `: `.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
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
