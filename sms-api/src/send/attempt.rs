//! The attempts of one operation, each pass in named phases (turn, sign, transmit, observe,
//! decide, back off): every attempt signed afresh with credentials resolved for it, bounded in
//! time, its body read in full and recorded; transient failures retried per the client's
//! [`RetryPolicy`].
//!
//! [`RetryPolicy`]: super::RetryPolicy

use std::time::{Duration, SystemTime};

use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, HeaderMap, RETRY_AFTER};
use tracing::Instrument;
use tracing::field::Empty;

use super::body_limit;
use super::call_record::{Attempt, Call, NotSent, Received};
use super::clock_skew;
use super::decision::{Decision, Observed, Situation, Tally, Verdict, Why, decide};
use super::rate_limit::{Expired, Permit};
use super::retry_after;
use super::state::ClientState;
use crate::error::{
    chain, is_certificate_error, is_retryable_status, is_retryable_transport, is_throttling,
    parse_body, request_id,
};
use crate::event::Event;
use crate::generated::client::Client;

/// What an attempt got: a response (its body read in full), or why none came.
type Answer = reqwest::Result<reqwest::Response>;

/// Sends `request` as many times as the retry policy, the retry budget and the rate limiter
/// allow, recording each attempt in `call`, and returns what the last attempt got, or why the
/// request could not be sent at all (it could not be signed). Each pass runs named phases, as
/// smithy's orchestrator does:
///
/// 1. **turn**: the client's adaptive rate limiter gives the attempt its turn; a retry whose
///    turn would come after the operation's deadline leaves the last answer standing;
/// 2. **sign**: credentials are resolved (temporary ones refreshed if they expired during a
///    back-off) and the request signed afresh; nothing is ever sent unsigned, and a retry that
///    cannot be signed leaves the last answer standing, said to be why it was not sent again
///    ([`not_signed_again`]);
/// 3. **transmit**: one attempt, bounded by the attempt and operation timeouts ([`once`]);
/// 4. **observe**: what the answer says of the rate, of the gateway's clock, and whether to
///    retry ([`observe`]);
/// 5. **decide**: return it or try again after how long ([`decide`], `decision.rs`: throttling
///    paced by the limiter, transient failures with full jitter or `Retry-After` within the
///    attempts and the budget, 401 and 403 never but for a signature refused as expired);
/// 6. **back off**: wait, then the next pass.
///
/// An operation that is not safe to repeat (`repeatable` false: an action) is sent again only
/// when the request provably never reached the service or the gateway says it did not process
/// it; after a lost answer the call ends, recorded as "may or may not have happened".
pub(crate) async fn run(
    client: &Client,
    request: reqwest::Request,
    call: &Call,
    repeatable: bool,
    operation_id: &'static str,
) -> Result<Answer, NotSent> {
    let state = client.inner();
    // The operation's time runs from the call's start: waiting for credentials counts.
    let started = call.started();
    let deadline =
        state.clock.instant() + state.operation_timeout.saturating_sub(started.elapsed());
    let attempt_timeout = || {
        state
            .attempt_timeout
            .min(state.operation_timeout.saturating_sub(started.elapsed()))
            .max(Duration::from_millis(1))
    };
    // A request whose body cannot be cloned gets one attempt.
    let Some(mut this) = request.try_clone() else {
        let mut request = request;
        sign(client, &mut request).await?;
        let timeout = attempt_timeout();
        return Ok(once(client, request, call, 1, timeout, operation_id).await);
    };
    let mut number = 0;
    let mut tally = Tally::default();
    let mut last: Option<Answer> = None;
    loop {
        // 1. turn: the first attempt's was checked against the deadline before the call (the
        //    `pre` hook), so it waits for it; without a deadline there is always one.
        let permit = match state.limiter.acquire(last.as_ref().map(|_| deadline)).await {
            Ok(permit) => permit,
            Err(Expired) => match last {
                Some(answer) => return Ok(answer),
                None => continue,
            },
        };
        // 2. sign
        if let Err(reason) = sign(client, &mut this).await {
            drop(permit);
            return match last {
                Some(answer) => Ok(not_signed_again(call, answer, reason, operation_id)),
                None => Err(reason),
            };
        }
        // 3. transmit
        number += 1;
        let answer = once(client, this, call, number, attempt_timeout(), operation_id).await;
        // 4. observe
        let observed = observe(client, &answer, permit, number, operation_id);
        // 5. decide
        let situation = Situation {
            policy: &state.retry,
            limiter_on: state.limiter.is_enabled(),
            time_left: state.operation_timeout.saturating_sub(started.elapsed()),
            jitter: state.clock.jitter(),
            repeatable,
        };
        let decision = decide(observed, &mut tally, &situation, |timed_out| {
            state.retry_tokens.withdraw(timed_out)
        });
        let Some(wait) = carry_out(decision, state, call, &tally, number) else {
            return Ok(answer);
        };
        // 6. back off
        back_off(
            state,
            call,
            observed.verdict,
            &answer,
            wait,
            number,
            operation_id,
        )
        .await;
        this = match request.try_clone() {
            Some(copy) => copy,
            None => return Ok(answer),
        };
        last = Some(answer);
    }
}

/// Phase 2: credentials resolved (temporary ones made usable again if they expired, waiting
/// for their source only when none are usable), then the request signed afresh.
async fn sign(client: &Client, request: &mut reqwest::Request) -> Result<(), NotSent> {
    credentials_ready(client).await?;
    let state = client.inner();
    state
        .authorize(request)
        .map_err(|error| no_credentials(state, error))
}

/// A retry that could not be signed: the last real answer stands, with why the request was
/// not sent again. When that answer was lost after the request may have reached the service,
/// and the operation changes something (not a GET or HEAD), the call may or may not have
/// happened: never "not sent".
fn not_signed_again(call: &Call, answer: Answer, reason: NotSent, operation_id: &str) -> Answer {
    tracing::warn!(%reason, "sms_api: not retrying: the retry could not be signed");
    let changes_something =
        super::facts::of(operation_id).is_none_or(|facts| !matches!(facts.method, "GET" | "HEAD"));
    let lost = answer.is_err() || call.answer_lost();
    if changes_something && lost {
        call.record_outcome_unknown();
    }
    call.record_not_retried(reason);
    answer
}

/// Phase 4: what the answer says: its verdict and `Retry-After`, fed back to the rate limiter
/// (a throttling answer slows it, a success lets it recover) and to the clock (a signature
/// refused as expired teaches the gateway's time).
fn observe(
    client: &Client,
    answer: &Answer,
    permit: Permit<'_>,
    number: u32,
    operation_id: &'static str,
) -> Observed {
    let state = client.inner();
    let observed = Observed {
        verdict: verdict_of(answer),
        retry_after: answer
            .as_ref()
            .ok()
            .and_then(|r| retry_after_of(r.headers(), &state.clock)),
    };
    match observed.verdict {
        Verdict::ClockSkew => {
            drop(permit);
            if let Some(at) = answer.as_ref().ok().and_then(gateway_time) {
                learn_skew(client, at);
            }
        }
        Verdict::Throttled => {
            crate::telemetry::throttled(operation_id);
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
        _ if answer.is_err() => drop(permit),
        _ => permit.succeeded(),
    }
    observed
}

/// Phase 6: the retry recorded (a lost answer as such) and counted, then its wait.
async fn back_off(
    state: &ClientState,
    call: &Call,
    verdict: Verdict,
    answer: &Answer,
    wait: Duration,
    number: u32,
    operation_id: &'static str,
) {
    if matches!(verdict, Verdict::Transient { unsent: false, .. }) {
        call.record_answer_lost();
    }
    state.limiter.count_retry();
    crate::telemetry::retry(operation_id);
    let status = answer.as_ref().ok().map(|r| r.status().as_u16());
    tracing::warn!(
        attempt = number,
        wait_ms = wait.as_millis() as u64,
        status,
        "sms_api: retrying"
    );
    tokio::time::sleep(wait).await;
}

/// Phase 5's outcome carried out: the wait before the next attempt, or `None` when the answer
/// is the call's (retry tokens given back on success, a lost action recorded as such).
fn carry_out(
    decision: Decision,
    state: &ClientState,
    call: &Call,
    tally: &Tally,
    number: u32,
) -> Option<Duration> {
    match decision {
        Decision::Retry(wait) => return Some(wait),
        Decision::Return(Why::Succeeded) => state.retry_tokens.deposit(tally.spent),
        Decision::Return(Why::BudgetEmpty) => tracing::warn!(
            attempt = number,
            "sms_api: retry budget exhausted, not retrying"
        ),
        Decision::Return(Why::NotRepeatable) => {
            tracing::warn!(
                attempt = number,
                "sms_api: the answer was lost and the operation is not safe to repeat: not sent again; it may or may not have happened"
            );
            call.record_outcome_unknown();
        }
        Decision::Return(_) => {}
    }
    None
}

/// What an attempt's result calls for.
fn verdict_of(result: &reqwest::Result<reqwest::Response>) -> Verdict {
    match result {
        Ok(response) => {
            let status = response.status();
            if status.is_success() {
                return Verdict::Success;
            }
            // An authentication or permission failure is never retried, whatever its code,
            // but for an expired signature: the clocks differ, and the client corrects its own.
            if matches!(status.as_u16(), 401 | 403) {
                return match gateway_time(response) {
                    Some(_) => Verdict::ClockSkew,
                    None => Verdict::Final,
                };
            }
            let code = response
                .extensions()
                .get::<ErrorCode>()
                .map(|c| c.code.as_str());
            if is_throttling(Some(status), code) {
                Verdict::Throttled
            } else if is_retryable_status(status) {
                Verdict::Transient {
                    timeout: false,
                    unsent: false,
                }
            } else {
                Verdict::Final
            }
        }
        // Another handshake meets the same certificate.
        Err(error) if is_certificate_error(error) => Verdict::Final,
        // A connection, name resolution or TLS handshake that failed sent nothing.
        Err(error) if is_retryable_transport(error) => Verdict::Transient {
            timeout: error.is_timeout(),
            unsent: error.is_connect(),
        },
        Err(_) => Verdict::Final,
    }
}

/// The service's error code of an error answer, parsed once when its body is read, and the
/// gateway's time when the answer refuses the signature as expired.
#[derive(Clone, Debug)]
struct ErrorCode {
    code: String,
    gateway_time: Option<SystemTime>,
}

/// The gateway's time, when `response` refuses the request's signature as expired.
fn gateway_time(response: &reqwest::Response) -> Option<SystemTime> {
    response.extensions().get::<ErrorCode>()?.gateway_time
}

/// Corrects the client's clock (shared by its clones) by the gateway's time `at`; a new
/// offset is logged once at WARN and reported as an event.
fn learn_skew(client: &Client, at: SystemTime) {
    let state = client.inner();
    if let Some(skew_millis) = state.clock.learn_skew(at) {
        tracing::warn!(
            skew_ms = skew_millis,
            "sms_api: the gateway refused a signature as expired; its clock differs from this host's, so signatures are now dated by the gateway's time"
        );
        state.events.emit(Event::ClockSkewCorrected { skew_millis });
    }
}

/// Makes sure temporary credentials are usable before a request is signed (waiting for their
/// source only when none are); why not, if they cannot be had. Nothing to do for others.
pub(super) async fn credentials_ready(client: &Client) -> Result<(), NotSent> {
    let state = client.inner();
    match state.temporary_credentials(client.client()).await {
        Some(Err(error)) => Err(no_credentials(state, error)),
        Some(Ok(())) | None => Ok(()),
    }
}

/// Not sent for want of credentials, naming their source.
fn no_credentials(state: &ClientState, error: crate::error::CredentialsError) -> NotSent {
    NotSent::Credentials {
        source: state.credentials_source().unwrap_or_default().to_owned(),
        error,
    }
}

/// Attempt number `number`: authorized (signed afresh), bounded by `timeout` (what is left of
/// the operation's time, at most the attempt timeout), recorded and traced.
async fn once(
    client: &Client,
    mut request: reqwest::Request,
    call: &Call,
    number: u32,
    timeout: Duration,
    operation_id: &'static str,
) -> reqwest::Result<reqwest::Response> {
    *request.timeout_mut() = Some(timeout);
    // OpenTelemetry's HTTP client names; the URL without userinfo (the query holds no secret:
    // credentials travel in headers).
    let url = request.url();
    let mut full = url.clone();
    let _ = full.set_username("");
    let _ = full.set_password(None);
    let span = tracing::debug_span!(
        "sms_api.attempt",
        otel.name = request.method().as_str(),
        http.request.method = request.method().as_str(),
        server.address = url.host_str().unwrap_or_default(),
        server.port = url.port_or_known_default(),
        url.full = full.as_str(),
        http.request.resend_count = (number > 1).then(|| number - 1),
        attempt = number,
        http.response.status_code = Empty,
        error.type = Empty,
        status = Empty,
        request_id = Empty,
        duration_ms = Empty
    );
    let attempt_started = client.inner().clock.instant();
    let result = send(client, request, call, number, &span)
        .instrument(span.clone())
        .await;
    span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
    let (status, error_type) = match &result {
        Ok(response)
            if response.status().is_client_error() || response.status().is_server_error() =>
        {
            (
                Some(response.status()),
                Some(response.status().as_str().to_owned()),
            )
        }
        Ok(response) => (Some(response.status()), None),
        Err(error) => (None, Some(transport_error_type(error).to_owned())),
    };
    if let Some(error_type) = &error_type {
        span.record("error.type", error_type.as_str());
    }
    crate::telemetry::attempt(
        operation_id,
        attempt_started.elapsed(),
        status.map(|s| s.as_u16()),
        error_type,
    );
    tracing::Span::current().record("attempts", number);
    result
}

/// OpenTelemetry's `error.type` for an attempt that got no answer: what kind of failure.
fn transport_error_type(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else if error.is_body() || error.is_decode() {
        "body"
    } else {
        "transport"
    }
}

/// One attempt: send, then read the whole body (within the attempt's timeout), recording what
/// arrived.
async fn send(
    client: &Client,
    request: reqwest::Request,
    call: &Call,
    number: u32,
    span: &tracing::Span,
) -> reqwest::Result<reqwest::Response> {
    let mut response = match client.client().execute(request).await {
        Ok(response) => response,
        Err(error) => {
            call.record_attempt(number, Attempt::Failed(chain(&error)));
            return Err(error);
        }
    };
    let status = response.status();
    let headers = response.headers().clone();
    span.record("status", status.as_u16());
    span.record("http.response.status_code", status.as_u16());
    if let Some(id) = request_id(&headers) {
        span.record("request_id", id);
    }
    let read = body_limit::read(&mut response).await;
    call.record_attempt(
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
        .then(|| parse_body(&read.bytes))
        .and_then(|parsed| {
            let gateway_time = clock_skew::gateway_time(
                status,
                parsed.code.as_deref(),
                parsed.message.as_deref(),
                &headers,
            );
            parsed.code.map(|code| ErrorCode { code, gateway_time })
        });
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
        rebuilt.extensions_mut().insert(code);
    }
    Ok(reqwest::Response::from(rebuilt))
}

/// `Retry-After` as a wait; a date in it is the gateway's, so it is compared with the cloud's
/// time.
fn retry_after_of(headers: &HeaderMap, clock: &crate::clock::Clock) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    retry_after::parse(value, clock.cloud())
}
