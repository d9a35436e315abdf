//! progenitor's hooks for the generated [`Client`]: parameter checks before a request leaves,
//! then credentials, signing, retries, timeouts and tracing around each send.

use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use tracing::Instrument;
use tracing::field::Empty;

use crate::call_record::{self, ReceivedResponse};
use crate::retry::is_retryable_status;
use crate::{Client, paging, parameter_bounds, retry_after};

/// Largest response body the client reads; the rest is dropped and decoding fails clearly.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

impl ClientHooks<crate::ClientState> for Client {
    /// Rejects a parameter outside its documented bounds before anything is sent; for the first
    /// page of a [`Paginator`](crate::Paginator), fills in the page size.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let mut refused = Ok(());
        call_record::update(|record| {
            if let Some(probe) = &mut record.paging {
                refused = paging::settle_first_page(request.url_mut(), probe);
            }
        });
        refused.map_err(Error::InvalidRequest)?;
        parameter_bounds::check(info.operation_id, request.url()).map_err(Error::InvalidRequest)
    }

    /// Sends the request: each attempt authorized (signed afresh), bounded by the per-attempt
    /// and whole-operation timeouts, its body read in full; transient failures retried per the
    /// retry policy.
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::info_span!(
            "sms_api.operation",
            operation = info.operation_id,
            attempts = Empty,
            status = Empty,
            request_id = Empty,
            duration_ms = Empty,
        );
        let started = Instant::now();
        let result = self
            .attempts(request, started)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = &result {
            span.record("status", response.status().as_u16());
            if let Some(id) = request_id(response.headers()) {
                span.record("request_id", id);
            }
        }
        result
    }
}

impl Client {
    async fn attempts(
        &self,
        request: reqwest::Request,
        started: Instant,
    ) -> reqwest::Result<reqwest::Response> {
        let state = self.inner();
        let policy = &state.retry;
        // A request whose body cannot be cloned gets one attempt.
        let Some(mut next) = request.try_clone() else {
            return self.attempt(request, 1, started).await;
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.attempt(next, attempt, started).await;
            let wait = match &result {
                Ok(response) if is_retryable_status(response.status().as_u16()) => {
                    policy.wait(attempt, retry_after_of(response.headers()))
                }
                Err(error) if is_retryable_error(error) => policy.wait(attempt, None),
                _ => None,
            };
            let Some(wait) = wait else { return result };
            if attempt >= policy.attempts() || started.elapsed() + wait >= state.operation_timeout {
                return result;
            }
            let status = result.as_ref().ok().map(|r| r.status().as_u16());
            tracing::warn!(
                attempt,
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

    /// Attempt number `attempt`: authorized (signed afresh), bounded by what is left of the
    /// operation's time, and traced.
    async fn attempt(
        &self,
        mut request: reqwest::Request,
        attempt: u32,
        started: Instant,
    ) -> reqwest::Result<reqwest::Response> {
        let state = self.inner();
        let remaining = state
            .operation_timeout
            .saturating_sub(started.elapsed())
            .max(Duration::from_millis(1));
        state.authorize(&mut request);
        *request.timeout_mut() = Some(state.attempt_timeout.min(remaining));
        let span = tracing::debug_span!(
            "sms_api.attempt",
            attempt,
            status = Empty,
            request_id = Empty,
            duration_ms = Empty
        );
        let attempt_started = Instant::now();
        let result = self
            .send_once(request, &span)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
        call_record::update(|r| r.attempts = attempt);
        tracing::Span::current().record("attempts", attempt);
        result
    }

    /// One attempt: send, then read the whole body (within the attempt's timeout), recording
    /// what arrived.
    async fn send_once(
        &self,
        request: reqwest::Request,
        span: &tracing::Span,
    ) -> reqwest::Result<reqwest::Response> {
        let mut response = self.client().execute(request).await?;
        let status = response.status();
        let headers = response.headers().clone();
        span.record("status", status.as_u16());
        if let Some(id) = request_id(&headers) {
            span.record("request_id", id);
        }
        let mut body = BytesMut::new();
        let mut truncated = false;
        let read = loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY_BYTES {
                        body.extend_from_slice(&chunk[..MAX_BODY_BYTES - body.len()]);
                        truncated = true;
                        break Ok(());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break Ok(()),
                Err(error) => break Err(error),
            }
        };
        let body: Bytes = body.freeze();
        call_record::update(|r| {
            r.last_response = Some(ReceivedResponse {
                status,
                headers: headers.clone(),
                body: body.clone(),
                truncated,
            });
        });
        read?;
        let mut rebuilt = http::Response::new(body);
        *rebuilt.status_mut() = status;
        *rebuilt.version_mut() = response.version();
        *rebuilt.headers_mut() = headers;
        Ok(reqwest::Response::from(rebuilt))
    }
}

/// `X-Request-Id`, the service's id for a request.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok())
}

fn retry_after_of(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    retry_after::parse(value, SystemTime::now())
}

/// A read is safe to repeat after any transport failure but a malformed request or redirect.
fn is_retryable_error(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect() || error.is_status())
}
