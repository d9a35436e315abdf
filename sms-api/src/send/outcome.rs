//! The end of a call: progenitor's error, with what the call's attempts got, made into one
//! [`Error`] that describes the attempt that ended the call.

use reqwest::StatusCode;
use reqwest::header::CONTENT_ENCODING;

use super::call_record::{CallRecord, NotSent};
use super::content_encoding::MAX_BODY_BYTES;
use super::{bounds, facts};
use crate::error::{Error, ErrorKind, chain, is_certificate_error};

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
    // A redirect, whatever progenitor made of it (a documented 3xx or not): never followed.
    let redirect = last.filter(|r| r.status.is_redirection());
    let error = match (&raw, &record.not_sent, redirect) {
        (_, None, Some(received)) => redirected(received.status, &received.headers),
        (_, Some(reason @ (NotSent::OutOfBounds(_) | NotSent::PathEscape { .. })), _) => {
            Error::new(ErrorKind::InvalidRequest, reason.to_string())
        }
        (_, Some(reason @ NotSent::Credentials { .. }), _) => {
            Error::new(ErrorKind::Credentials, reason.to_string())
        }
        (_, Some(NotSent::Input { input, reason }), _) => Error::new(
            ErrorKind::InvalidRequest,
            explain_input(operation_id, input, reason),
        ),
        (_, Some(reason @ NotSent::NoTurn { .. }), _) => {
            Error::new(ErrorKind::Timeout, reason.to_string())
        }
        (Raw::InvalidRequest(reason), None, None) => {
            Error::new(ErrorKind::InvalidRequest, reason.clone())
        }
        // No hook returns another custom error without recording why; should one, it was not
        // sent, and says so.
        (Raw::Custom(reason), None, None) => Error::new(ErrorKind::InvalidRequest, reason.clone()),
        (Raw::CommunicationError(cause), None, None)
        | (Raw::ResponseBodyError(cause), None, None)
        | (Raw::InvalidUpgrade(cause), None, None) => {
            let text = chain(cause);
            let (kind, text) = if cause.is_timeout() {
                (ErrorKind::Timeout, text)
            } else if is_certificate_error(cause) {
                (
                    ErrorKind::Certificate,
                    format!(
                        "{text}; to trust a private CA (or a TLS-inspecting proxy's), set SSL_CERT_FILE to its PEM file, or give it to ClientBuilder::add_root_certificate_pem"
                    ),
                )
            } else {
                (ErrorKind::Transport, text)
            };
            let error = Error::new(kind, text);
            match last {
                // The last attempt got a status, then its body failed.
                Some(received) => error.with_response(received.status, received.headers.clone()),
                None => error,
            }
        }
        (Raw::ErrorResponse(response), None, None) => {
            let body = last.map(|r| &r.body[..]).unwrap_or_default();
            Error::service(response.status(), response.headers().clone(), body)
        }
        (Raw::UnexpectedResponse(response), None, None) => {
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
        (Raw::InvalidResponsePayload(bytes, cause), None, None) => {
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
    // An action whose answer was lost is neither a transport error nor a 5xx to its caller:
    // it may have happened. A request sent again after a lost answer that meets the answer the
    // spec marks `x-gone` (a delete's "not found") found the resource gone.
    let error = if record.outcome_unknown {
        error.into_outcome_unknown()
    } else if record.answer_lost
        && error.status().is_some_and(|status| {
            facts::of(operation_id).and_then(|f| f.gone_status) == Some(status.as_u16())
        })
    {
        error.into_gone()
    } else {
        error
    };
    let error = match &record.not_retried {
        Some(reason) => error.with_note(&format!("not sent again: {reason}")),
        None => error,
    };
    error
        .with_attempts(record.attempts, record.earlier)
        .with_source(raw)
}

/// A redirect the client did not follow, naming the host it pointed to (only the host: the
/// rest of a `Location` may carry a token of its own).
fn redirected(status: StatusCode, headers: &reqwest::header::HeaderMap) -> Error {
    let location = headers
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok());
    let target = match location.map(url::Url::parse) {
        Some(Ok(url)) => match url.host_str() {
            Some(host) => format!("to host `{host}`"),
            None => "to a URL without a host".to_owned(),
        },
        Some(Err(url::ParseError::RelativeUrlWithoutBase)) => {
            "to a path on the same host".to_owned()
        }
        Some(Err(_)) => "to a `Location` that is not a URL".to_owned(),
        None => "with no `Location`".to_owned(),
    };
    Error::new(
        ErrorKind::Redirect,
        format!(
            "the endpoint answered {status} {target}; redirects are never followed, so that credentials reach no other origin and an action is not sent twice: if the target is the service, make it the endpoint"
        ),
    )
    .with_response(status, headers.clone())
}

/// A value the builder of `operation_id` could not convert for `input`, refused for `reason`,
/// said with the parameter's documented bounds when it has some. The request body's reasons
/// name their field already (`codegen/src/passes/body_setters.rs`, `required_fields.rs`).
fn explain_input(operation_id: &str, input: &str, reason: &str) -> String {
    if input == "body" {
        return reason.to_owned();
    }
    match bounds::bounds_of(operation_id, input) {
        Some(bounds) => format!("parameter `{input}` must be {}", bounds.allowed()),
        None => format!("parameter `{input}`: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use bytes::Bytes;
    use reqwest::header::{HeaderMap, HeaderValue};

    use super::*;
    use crate::send::call_record::{Attempt, Received};

    type Raw = progenitor_client::Error<()>;

    fn record(not_sent: Option<NotSent>, last: Option<Attempt>) -> CallRecord {
        CallRecord {
            not_sent,
            attempts: u32::from(last.is_some()),
            last,
            earlier: Vec::new(),
            ..CallRecord::default()
        }
    }

    fn answered(
        headers: &[(&'static str, &'static str)],
        truncated: bool,
        undecodable: Option<&str>,
    ) -> Attempt {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_static(value));
        }
        Attempt::Answered(Received {
            status: StatusCode::OK,
            headers: map,
            body: Bytes::from_static(b"{\"count\": "),
            truncated,
            undecodable: undecodable.map(str::to_owned),
        })
    }

    #[test]
    fn why_a_call_was_not_sent_comes_from_the_record_not_the_text() {
        let no_turn = NotSent::NoTurn {
            throttled: 3,
            rate: 1.5,
            operation_timeout: Duration::from_secs(2),
        };
        let error = into_error(
            Raw::Custom("whatever the text".into()),
            record(Some(no_turn), None),
            "list_tasks",
        );
        assert_eq!(error.kind(), ErrorKind::Timeout);
        assert!(
            error
                .message()
                .starts_with("the gateway throttled this client 3 times")
        );
        // A custom error nothing recorded is not taken for a timeout.
        let error = into_error(
            Raw::Custom("other".into()),
            record(None, None),
            "list_tasks",
        );
        assert_eq!(error.kind(), ErrorKind::InvalidRequest);
        assert_eq!(error.message(), "other");
    }

    #[test]
    fn a_refused_conversion_is_explained() {
        let refused = |input, reason: &str| {
            let reason = NotSent::Input {
                input,
                reason: reason.into(),
            };
            into_error(
                Raw::InvalidRequest(String::new()),
                record(Some(reason), None),
                "list_tasks",
            )
        };
        let error = refused("state", "\"X\" is not a documented TaskState");
        assert_eq!(error.kind(), ErrorKind::InvalidRequest);
        assert_eq!(
            error.message(),
            "parameter `state`: \"X\" is not a documented TaskState"
        );
        let error = refused("limit", "out of range integral type conversion attempted");
        let limit = crate::send::bounds::bounds_of("list_tasks", "limit").unwrap();
        assert_eq!(
            error.message(),
            format!("parameter `limit` must be {}", limit.allowed())
        );
        let error = refused("body", "body field `operation` is required and was not set");
        assert_eq!(
            error.message(),
            "body field `operation` is required and was not set"
        );
    }

    #[test]
    fn an_undecodable_body_says_why() {
        let payload = || {
            let cause = serde_json::from_slice::<serde_json::Value>(b"{").unwrap_err();
            Raw::InvalidResponsePayload(Bytes::from_static(b"{"), cause)
        };
        let bomb = into_error(
            payload(),
            record(
                None,
                Some(answered(&[("content-encoding", "gzip")], true, None)),
            ),
            "list_tasks",
        );
        assert_eq!(bomb.kind(), ErrorKind::Decode);
        assert_eq!(
            bomb.message(),
            "the body is larger than the 64 MiB the client reads once decoded (it came as `gzip`)"
        );
        let plain = into_error(
            payload(),
            record(None, Some(answered(&[], true, None))),
            "list_tasks",
        );
        assert_eq!(
            plain.message(),
            "the body is larger than the 64 MiB the client reads"
        );
        let corrupt = into_error(
            payload(),
            record(
                None,
                Some(answered(&[], false, Some("the body is not valid gzip"))),
            ),
            "list_tasks",
        );
        assert_eq!(corrupt.message(), "the body is not valid gzip");
        assert_eq!(corrupt.status(), Some(StatusCode::OK));
        let json = into_error(
            payload(),
            record(None, Some(answered(&[], false, None))),
            "list_tasks",
        );
        assert!(
            json.message()
                .starts_with("the body is not the documented JSON"),
            "{json}"
        );
    }
}
