//! The attempts of one operation: each one authorized afresh, bounded in time, its body read
//! in full and recorded; transient failures retried per the client's [`RetryPolicy`].
//!
//! [`RetryPolicy`]: super::RetryPolicy

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, HeaderMap, RETRY_AFTER};
use tracing::Instrument;
use tracing::field::Empty;

use super::body_limit;
use super::call_scope::{self, Attempt, Received};
use super::decision::{Decision, Observed, Situation, Tally, Verdict, Why, decide};
use super::outcome::chain;
use super::rate_limit::Expired;
use super::retry::random_unit;
use super::retry_after;
use crate::Client;
use crate::error::{is_retryable_status, is_throttling, parse_body, request_id};
use progenitor_client::ClientInfo;

/// Sends `request` as many times as the retry policy, the retry budget and the rate limiter
/// allow, and returns what the last attempt got.
///
/// - Every attempt waits for its turn from the client's adaptive rate limiter; a retry whose
///   turn would come after the operation's deadline leaves the last answer standing.
/// - After each attempt, [`decide`] says whether to return it or try again after how long
///   (`decision.rs` has the rules: throttling paced by the limiter, transient failures retried
///   with full jitter or `Retry-After` within the attempts and the budget, 401 and 403 never).
pub(crate) async fn run(
    client: &Client,
    request: reqwest::Request,
    started: Instant,
) -> reqwest::Result<reqwest::Response> {
    let state = client.inner();
    let deadline =
        tokio::time::Instant::now() + state.operation_timeout.saturating_sub(started.elapsed());
    // A request whose body cannot be cloned gets one attempt.
    let Some(mut this) = request.try_clone() else {
        return once(client, request, 1, state.attempt_timeout).await;
    };
    let mut number = 0;
    let mut tally = Tally::default();
    let mut last: Option<reqwest::Result<reqwest::Response>> = None;
    loop {
        // The first attempt's turn was checked against the deadline before the call (the
        // `pre` hook), so it waits for its turn.
        let turn_by = last.as_ref().map(|_| deadline);
        let permit = match (state.limiter.acquire(turn_by).await, last.take()) {
            (Ok(permit), _) => permit,
            (Err(Expired), Some(result)) => return result,
            // Without a deadline there is always a turn: ask again.
            (Err(Expired), None) => continue,
        };
        number += 1;
        let timeout = state
            .attempt_timeout
            .min(state.operation_timeout.saturating_sub(started.elapsed()))
            .max(Duration::from_millis(1));
        let result = once(client, this, number, timeout).await;
        let observed = Observed {
            verdict: verdict_of(&result),
            retry_after: result
                .as_ref()
                .ok()
                .and_then(|r| retry_after_of(r.headers())),
        };
        match observed.verdict {
            Verdict::Throttled => {
                let dropped = permit.throttled();
                let traffic = state.limiter.traffic();
                tracing::warn!(
                    attempt = number,
                    throttled = traffic.throttled,
                    rate = dropped.or(traffic.rate),
                    "sms_api: throttled by the gateway"
                );
            }
            // No answer says nothing about the rate.
            _ if result.is_err() => drop(permit),
            _ => permit.succeeded(),
        }
        let situation = Situation {
            policy: &state.retry,
            limiter_on: state.limiter.is_enabled(),
            time_left: state.operation_timeout.saturating_sub(started.elapsed()),
            jitter: random_unit(),
        };
        let wait = match decide(observed, &mut tally, &situation, |timed_out| {
            state.retry_tokens.withdraw(timed_out)
        }) {
            Decision::Return(Why::Succeeded) => {
                state.retry_tokens.deposit(tally.spent);
                return result;
            }
            Decision::Return(Why::BudgetEmpty) => {
                tracing::warn!(
                    attempt = number,
                    "sms_api: retry budget exhausted, not retrying"
                );
                return result;
            }
            Decision::Return(_) => return result,
            Decision::Retry(wait) => wait,
        };
        let status = result.as_ref().ok().map(|r| r.status().as_u16());
        tracing::warn!(
            attempt = number,
            wait_ms = wait.as_millis() as u64,
            status,
            "sms_api: retrying"
        );
        tokio::time::sleep(wait).await;
        this = match request.try_clone() {
            Some(copy) => copy,
            None => return result,
        };
        last = Some(result);
    }
}

/// What an attempt's result calls for.
fn verdict_of(result: &reqwest::Result<reqwest::Response>) -> Verdict {
    match result {
        Ok(response) => {
            let status = response.status();
            if status.is_success() {
                return Verdict::Success;
            }
            // An authentication or permission failure is never retried, whatever its code.
            if matches!(status.as_u16(), 401 | 403) {
                return Verdict::Final;
            }
            let code = response
                .extensions()
                .get::<ErrorCode>()
                .map(|c| c.0.as_str());
            if is_throttling(Some(status), code) {
                Verdict::Throttled
            } else if is_retryable_status(status) {
                Verdict::Transient { timeout: false }
            } else {
                Verdict::Final
            }
        }
        Err(error) if is_retryable_error(error) => Verdict::Transient {
            timeout: error.is_timeout(),
        },
        Err(_) => Verdict::Final,
    }
}

/// The service's error code of an error answer, parsed once when its body is read.
#[derive(Clone, Debug)]
struct ErrorCode(String);

/// Attempt number `number`: authorized (signed afresh), bounded by `timeout` (what is left of
/// the operation's time, at most the attempt timeout), recorded and traced.
async fn once(
    client: &Client,
    mut request: reqwest::Request,
    number: u32,
    timeout: Duration,
) -> reqwest::Result<reqwest::Response> {
    let state = client.inner();
    state.authorize(&mut request);
    *request.timeout_mut() = Some(timeout);
    let span = tracing::debug_span!(
        "sms_api.attempt",
        attempt = number,
        status = Empty,
        request_id = Empty,
        duration_ms = Empty
    );
    let attempt_started = Instant::now();
    let result = send(client, request, number, &span)
        .instrument(span.clone())
        .await;
    span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
    tracing::Span::current().record("attempts", number);
    result
}

/// One attempt: send, then read the whole body (within the attempt's timeout), recording what
/// arrived.
async fn send(
    client: &Client,
    request: reqwest::Request,
    number: u32,
    span: &tracing::Span,
) -> reqwest::Result<reqwest::Response> {
    let mut response = match client.client().execute(request).await {
        Ok(response) => response,
        Err(error) => {
            call_scope::record_attempt(number, Attempt::Failed(chain(&error)));
            return Err(error);
        }
    };
    let status = response.status();
    let headers = response.headers().clone();
    span.record("status", status.as_u16());
    if let Some(id) = request_id(&headers) {
        span.record("request_id", id);
    }
    let read = body_limit::read(&mut response).await;
    call_scope::record_attempt(
        number,
        Attempt::Answered(Received {
            status,
            headers: headers.clone(),
            body: read.bytes.clone(),
            truncated: read.truncated,
            undecodable: read.undecodable.clone(),
        }),
    );
    if let Some(error) = read.error {
        return Err(error);
    }
    let code = (!status.is_success())
        .then(|| parse_body(&read.bytes).code)
        .flatten();
    // A body that could not be decoded is given as empty, so that nothing reads what it
    // happened to hold; the error says why (`outcome.rs`).
    let body = match read.undecodable {
        Some(_) => bytes::Bytes::new(),
        None => read.bytes,
    };
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = response.version();
    *rebuilt.headers_mut() = headers;
    // The body is decoded: its length and coding on the wire no longer describe it.
    rebuilt.headers_mut().remove(CONTENT_ENCODING);
    rebuilt.headers_mut().remove(CONTENT_LENGTH);
    if let Some(code) = code {
        rebuilt.extensions_mut().insert(ErrorCode(code));
    }
    Ok(reqwest::Response::from(rebuilt))
}

fn retry_after_of(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    retry_after::parse(value, SystemTime::now())
}

/// A read is safe to repeat after any transport failure but a malformed request or redirect.
fn is_retryable_error(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect() || error.is_status())
}
