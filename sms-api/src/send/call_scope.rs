//! The one piece of per-call state that cannot be passed explicitly, and why.
//!
//! progenitor's generated `send()` hands its hooks only the request and the operation's id,
//! and its error keeps neither the status and headers of an undecodable body nor the raw body
//! of an error answer. So [`FetchExt::fetch`](super::FetchExt::fetch) opens a scope around
//! `send()`, the hooks write into it, and the error is built from it (`outcome.rs`).
//!
//! Every channel between the hooks and `fetch()`, all typed:
//! - this scope's [`CallRecord`]: what each attempt got ([`Attempt`], written by `attempt.rs`),
//!   and why the call was not sent at all ([`NotSent`], written by the `pre` hook);
//! - temporary credentials are refreshed by the `pre` hook in the client's shared cache, which
//!   each attempt's signature then reads;
//! - progenitor's error, which carries only strings: `outcome.rs` reads its meaning from the
//!   record, never from the string, except for a builder setter's conversion failure, whose
//!   text the build script writes (`codegen/src/passes/setters.rs`) and `outcome.rs` reads back;
//! - within the attempts, the error code of an error answer rides on the rebuilt response as a
//!   typed extension (`attempt.rs`'s `ErrorCode`), parsed once where the body is read.
//!
//! Nothing else passes through this scope: the paginator sets its own parameters on each
//! request.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::bounds::Violation;
use crate::error::request_id;

/// A response as received by one attempt.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// The body as far as it was read (all of it unless `truncated` or the read failed).
    pub(crate) body: Bytes,
    /// The body was longer than the client reads (once decoded); the rest was dropped.
    pub(crate) truncated: bool,
    /// Why the body could not be decoded per its `Content-Encoding`, if it could not.
    pub(crate) undecodable: Option<String>,
}

/// What one attempt got.
#[derive(Clone, Debug)]
pub(crate) enum Attempt {
    /// A response (its body perhaps cut short).
    Answered(Received),
    /// No response: the connection failed or the attempt timed out.
    Failed(String),
}

/// Why a call was not sent at all.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NotSent {
    /// A parameter is outside its documented bounds.
    OutOfBounds(Violation),
    /// A path parameter is empty, `.` or `..`: the request would reach another resource.
    PathEscape {
        /// The parameter (or parameters) of the path template.
        parameter: String,
        /// The path template.
        template: &'static str,
    },
    /// Temporary credentials could not be had.
    Credentials {
        /// Where they were to come from.
        source: String,
        error: crate::error::CredentialsError,
    },
    /// The rate limiter gives the call no turn before its operation timeout.
    NoTurn {
        throttled: u64,
        rate: f64,
        operation_timeout: Duration,
    },
}

impl std::fmt::Display for NotSent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotSent::OutOfBounds(violation) => violation.fmt(f),
            NotSent::PathEscape {
                parameter,
                template,
            } => write!(
                f,
                "path parameter `{parameter}` of `{template}` is empty, `.` or `..`: the request would address another resource"
            ),
            NotSent::Credentials { source, error } => {
                write!(f, "no credentials from {source}: {error}")
            }
            NotSent::NoTurn {
                throttled,
                rate,
                operation_timeout,
            } => write!(
                f,
                "the gateway throttled this client {throttled} times and it now sends {rate:.1} requests/s: \
                 this call's turn comes after its operation timeout of {operation_timeout:?}, so it was not sent"
            ),
        }
    }
}

/// What happened during one call.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallRecord {
    /// Why the call was not sent, if it was not.
    pub(crate) not_sent: Option<NotSent>,
    /// Attempts made, the last included.
    pub(crate) attempts: u32,
    /// What the last attempt got.
    pub(crate) last: Option<Attempt>,
    /// What each earlier attempt got, in one line each.
    pub(crate) earlier: Vec<String>,
    /// The last attempt's answer was lost and the operation is not safe to repeat: it may or
    /// may not have happened (`decision.rs`, `Why::NotRepeatable`).
    pub(crate) outcome_unknown: bool,
    /// An earlier attempt's answer was lost (a timeout, a dropped connection, a 5xx) before the
    /// operation was sent again: what the last attempt met may be that attempt's doing.
    pub(crate) answer_lost: bool,
    /// When the call began (its `fetch()`): its operation timeout runs from then.
    pub(crate) started: Option<tokio::time::Instant>,
}

impl CallRecord {
    /// The response of the attempt that ended the call, if it got one.
    pub(crate) fn last_response(&self) -> Option<&Received> {
        match &self.last {
            Some(Attempt::Answered(received)) => Some(received),
            _ => None,
        }
    }
}

tokio::task_local! {
    static CALL: Arc<Mutex<CallRecord>>;
}

/// Records what attempt number `number` of the current call got (nothing outside a call).
pub(crate) fn record_attempt(number: u32, attempt: Attempt) {
    let _ = CALL.try_with(|record| {
        if let Ok(mut record) = record.lock() {
            if let Some(previous) = record.last.take() {
                let line = summary(record.attempts, &previous);
                record.earlier.push(line);
            }
            record.attempts = number;
            record.last = Some(attempt);
        }
    });
}

/// Records that the current call is not sent, and why (nothing outside a call).
pub(crate) fn record_not_sent(reason: NotSent) {
    let _ = CALL.try_with(|record| {
        if let Ok(mut record) = record.lock() {
            record.not_sent = Some(reason);
        }
    });
}

/// Records that the current call's last answer was lost and it is not sent again: it may or
/// may not have happened.
pub(crate) fn record_outcome_unknown() {
    let _ = CALL.try_with(|record| {
        if let Ok(mut record) = record.lock() {
            record.outcome_unknown = true;
        }
    });
}

/// Records that an attempt's answer was lost and the call is sent again.
pub(crate) fn record_answer_lost() {
    let _ = CALL.try_with(|record| {
        if let Ok(mut record) = record.lock() {
            record.answer_lost = true;
        }
    });
}

/// When the current call began (its `fetch()`), if the current task is in one.
pub(crate) fn started() -> Option<tokio::time::Instant> {
    CALL.try_with(|record| record.lock().ok().and_then(|r| r.started))
        .ok()
        .flatten()
}

/// Runs `call` in a scope of its own, then returns what its attempts got.
pub(crate) async fn recorded<T>(call: impl Future<Output = T>) -> (T, CallRecord) {
    let shared = Arc::new(Mutex::new(CallRecord {
        started: Some(tokio::time::Instant::now()),
        ..CallRecord::default()
    }));
    let output = CALL.scope(shared.clone(), call).await;
    let record = shared
        .lock()
        .map(|mut r| std::mem::take(&mut *r))
        .unwrap_or_default();
    (output, record)
}

/// `attempt 1: HTTP 503 (request rid-1)` or `attempt 2: connection closed`.
fn summary(number: u32, attempt: &Attempt) -> String {
    match attempt {
        Attempt::Answered(received) => match request_id(&received.headers) {
            Some(id) => format!(
                "attempt {number}: HTTP {} (request {id})",
                received.status.as_u16()
            ),
            None => format!("attempt {number}: HTTP {}", received.status.as_u16()),
        },
        Attempt::Failed(reason) => format!("attempt {number}: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(status: u16) -> Attempt {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", format!("rid-{status}").parse().unwrap());
        Attempt::Answered(Received {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: Bytes::new(),
            truncated: false,
            undecodable: None,
        })
    }

    #[tokio::test]
    async fn the_last_attempt_replaces_what_earlier_ones_got() {
        let ((), record) = recorded(async {
            record_attempt(1, answered(503));
            record_attempt(2, Attempt::Failed("connection closed".into()));
        })
        .await;
        assert_eq!(record.attempts, 2);
        assert!(
            record.last_response().is_none(),
            "the last attempt got no answer"
        );
        assert_eq!(
            record.earlier,
            ["attempt 1: HTTP 503 (request rid-503)".to_owned()]
        );
    }

    #[tokio::test]
    async fn outside_a_call_nothing_is_recorded() {
        record_attempt(1, answered(200));
        let ((), record) = recorded(async {}).await;
        assert_eq!(record.attempts, 0);
    }
}
