//! The attempts of one operation: each one authorized afresh, bounded in time, its body read
//! in full and recorded; transient failures retried per the client's [`RetryPolicy`].
//!
//! [`RetryPolicy`]: super::RetryPolicy

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use tracing::Instrument;
use tracing::field::Empty;

use super::body_limit;
use super::call_scope::{self, Attempt, Received};
use super::outcome::chain;
use super::retry_after;
use crate::Client;
use crate::error::{is_retryable_status, is_throttling, parse_body, request_id};
use progenitor_client::ClientInfo;

/// Sends `request` as many times as the retry policy allows, and returns what the last
/// attempt got.
pub(crate) async fn run(
    client: &Client,
    request: reqwest::Request,
    started: Instant,
) -> reqwest::Result<reqwest::Response> {
    let state = client.inner();
    let policy = &state.retry;
    // A request whose body cannot be cloned gets one attempt.
    let Some(mut next) = request.try_clone() else {
        return once(client, request, 1, started).await;
    };
    let mut number = 0;
    loop {
        number += 1;
        let result = once(client, next, number, started).await;
        let wait = match &result {
            Ok(response) => match retry_reason(response) {
                Some(_) => policy.wait(number, retry_after_of(response.headers())),
                None => None,
            },
            Err(error) if is_retryable_error(error) => policy.wait(number, None),
            Err(_) => None,
        };
        let Some(wait) = wait else { return result };
        if number >= policy.attempts() || started.elapsed() + wait >= state.operation_timeout {
            return result;
        }
        let status = result.as_ref().ok().map(|r| r.status().as_u16());
        tracing::warn!(
            attempt = number,
            wait_ms = wait.as_millis() as u64,
            status,
            "sms_api: retrying"
        );
        tokio::time::sleep(wait).await;
        next = match request.try_clone() {
            Some(copy) => copy,
            None => return result,
        };
    }
}

/// Why an answer is worth another attempt: throttling, or a transient server error. An
/// authentication or permission failure (401, 403) never is, whatever its code: the gateway
/// locks an AK/SK pair after repeated failures.
fn retry_reason(response: &reqwest::Response) -> Option<RetryReason> {
    let status = response.status();
    if status.is_success() || matches!(status.as_u16(), 401 | 403) {
        return None;
    }
    let code = response
        .extensions()
        .get::<ErrorCode>()
        .map(|c| c.0.as_str());
    if is_throttling(Some(status), code) {
        Some(RetryReason::Throttled)
    } else if is_retryable_status(status) {
        Some(RetryReason::ServerError)
    } else {
        None
    }
}

/// Why an attempt is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RetryReason {
    Throttled,
    ServerError,
}

/// The service's error code of an error answer, parsed once when its body is read.
#[derive(Clone, Debug)]
struct ErrorCode(String);

/// Attempt number `number`: authorized (signed afresh), bounded by what is left of the
/// operation's time, recorded and traced.
async fn once(
    client: &Client,
    mut request: reqwest::Request,
    number: u32,
    started: Instant,
) -> reqwest::Result<reqwest::Response> {
    let state = client.inner();
    let remaining = state
        .operation_timeout
        .saturating_sub(started.elapsed())
        .max(Duration::from_millis(1));
    state.authorize(&mut request);
    *request.timeout_mut() = Some(state.attempt_timeout.min(remaining));
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
        }),
    );
    if let Some(error) = read.error {
        return Err(error);
    }
    let code = (!status.is_success())
        .then(|| parse_body(&read.bytes).code)
        .flatten();
    let mut rebuilt = http::Response::new(read.bytes);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = response.version();
    *rebuilt.headers_mut() = headers;
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
