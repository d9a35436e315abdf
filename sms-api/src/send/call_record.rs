//! What one call's attempts met, passed by reference from `fetch()` through the hooks to every
//! attempt, and read back when the call ends.
//!
//! progenitor's generated `send()` hands its hooks only the request and the operation's id, and
//! its error keeps neither the status and headers of an undecodable body nor the raw body of an
//! error answer. So the build script replaces every builder's `send()` with a crate-visible
//! `send_in(call)` (`send()` with the [`Call`] passed to the client's `pre_in` and `exec_in`:
//! `codegen/src/passes/call_record.rs`), the attempts record into the call, and `fetch()`
//! builds its error from the record (`outcome.rs`). Every channel between the hooks and `fetch()`, all typed:
//! - the [`Call`]: what each attempt got ([`Attempt`], written by `attempt.rs`), why the call
//!   was not sent at all ([`NotSent`]), whether an answer was lost, and when the call began;
//! - temporary credentials are refreshed by `pre_in` in the client's shared cache, which each
//!   attempt's signature then reads;
//! - progenitor's error, which carries only strings: `outcome.rs` reads its meaning from the
//!   record, never from the string, except for a builder setter's conversion failure, whose
//!   text the build script writes (`codegen/src/passes/setters.rs`) and `outcome.rs` reads back;
//! - within the attempts, the error code of an error answer rides on the rebuilt response as a
//!   typed extension (`attempt.rs`'s `ErrorCode`), parsed once where the body is read.

use std::sync::Mutex;
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
    /// The request's path is not its template's with each parameter one segment: it would
    /// reach another resource.
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
    /// A value given to the builder did not convert to its parameter's type (`input` names the
    /// parameter, or `body` for the request body; `reason` is the conversion's).
    Input { input: &'static str, reason: String },
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
                "the request's path does not have the shape of `{template}` (path parameter `{parameter}`): it would address another resource"
            ),
            NotSent::Credentials { source, error } => {
                write!(f, "no credentials from {source}: {error}")
            }
            NotSent::Input { input, reason } => write!(f, "`{input}`: {reason}"),
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
    /// Why the call was not sent again after its last attempt, when a retry was due but could
    /// not be signed (the last answer stands).
    pub(crate) not_retried: Option<NotSent>,
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

/// One call under way: what its attempts met, shared by reference with the hooks and the
/// attempts of the call (one task: the lock is never contended).
#[derive(Debug)]
pub struct Call {
    record: Mutex<CallRecord>,
    /// When the call began (its `fetch()`): its operation timeout runs from then.
    started: tokio::time::Instant,
}

impl Call {
    /// A call that begins now, made by `fetch()`.
    pub(crate) fn new() -> Call {
        Call {
            record: Mutex::new(CallRecord::default()),
            started: tokio::time::Instant::now(),
        }
    }

    fn with(&self, change: impl FnOnce(&mut CallRecord)) {
        if let Ok(mut record) = self.record.lock() {
            change(&mut record);
        }
    }

    /// Records what attempt number `number` got.
    pub(crate) fn record_attempt(&self, number: u32, attempt: Attempt) {
        self.with(|record| {
            if let Some(previous) = record.last.take() {
                let line = summary(record.attempts, &previous);
                record.earlier.push(line);
            }
            record.attempts = number;
            record.last = Some(attempt);
        });
    }

    /// Records that the call is not sent, and why; progenitor's error for it (its text only:
    /// `fetch()` reads the reason from the record).
    pub(crate) fn refuse<E>(&self, reason: NotSent) -> progenitor_client::Error<E> {
        let text = reason.to_string();
        let invalid = matches!(
            reason,
            NotSent::OutOfBounds(_) | NotSent::PathEscape { .. } | NotSent::Input { .. }
        );
        self.with(|record| record.not_sent = Some(reason));
        if invalid {
            progenitor_client::Error::InvalidRequest(text)
        } else {
            progenitor_client::Error::Custom(text)
        }
    }

    /// Records why a retry that was due was not sent.
    pub(crate) fn record_not_retried(&self, reason: NotSent) {
        self.with(|record| record.not_retried = Some(reason));
    }

    /// Whether an earlier attempt's answer was lost before the call was sent again.
    pub(crate) fn answer_lost(&self) -> bool {
        self.record.lock().is_ok_and(|record| record.answer_lost)
    }

    /// Records that the call's last answer was lost and it is not sent again: it may or may
    /// not have happened.
    pub(crate) fn record_outcome_unknown(&self) {
        self.with(|record| record.outcome_unknown = true);
    }

    /// Records that an attempt's answer was lost and the call is sent again.
    pub(crate) fn record_answer_lost(&self) {
        self.with(|record| record.answer_lost = true);
    }

    /// When the call began: its operation timeout runs from then.
    pub(crate) fn started(&self) -> tokio::time::Instant {
        self.started
    }

    /// What the call's attempts met.
    pub(crate) fn into_record(self) -> CallRecord {
        self.record.into_inner().unwrap_or_default()
    }
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
        let call = Call::new();
        call.record_attempt(1, answered(503));
        call.record_attempt(2, Attempt::Failed("connection closed".into()));
        let record = call.into_record();
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

    #[tokio::test(start_paused = true)]
    async fn a_call_begins_when_it_is_made() {
        let made = tokio::time::Instant::now();
        let call = Call::new();
        // Time passes before its first attempt (credentials, a rate limiter's turn): the call
        // still began when it was made, which its operation timeout counts from.
        tokio::time::sleep(std::time::Duration::from_secs(7)).await;
        let later = Call::new();
        assert_eq!(call.started(), made);
        assert_eq!(
            later.started() - call.started(),
            std::time::Duration::from_secs(7)
        );
        assert_eq!(call.into_record().attempts, 0);
    }
}
