//! The tracing output: a span per operation and per attempt, with their fields, and no secret.
//! Alone in its binary: tracing caches, per call site, whether anyone listens, and tests running
//! in parallel without a subscriber would make it cache "no".

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod support;

use httpmock::MockServer;
use sms_api::RetryPolicy;
use sms_api::prelude::*;
use support::{ScriptedServer, Step, response};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

const SK: &str = "SK-SECRET-0123456789";
const SECURITY_TOKEN: &str = "ST-SECRET-abcdef";

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn spans_carry_attempts_status_and_request_id_but_no_secret() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(503).header("x-request-id", "busy-1").body("{}");
    });
    let client = Client::builder()
        .endpoint(server.base_url())
        .credentials(
            Credentials::basic("HPUAAK", SK)
                .security_token(SECURITY_TOKEN)
                .project_id("p"),
        )
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(10)),
        )
        .build()
        .unwrap();
    let error = client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(error.attempts(), 2);

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let closes = |l: &&str| l.contains(": close ");
    let operation = output
        .lines()
        .filter(closes)
        .find(|l| l.contains("sms_api.operation{") && !l.contains("sms_api.attempt{"))
        .expect(&output);
    for field in [
        "operation=\"list_tasks\"",
        "rpc.service=\"sms\"",
        "rpc.method=\"list_tasks\"",
        "attempts=2",
        "status=503",
        "request_id=\"busy-1\"",
        "duration_ms=",
        "outcome=\"error\"",
        "error.type=\"Service\"",
    ] {
        assert!(operation.contains(field), "{field} missing in {operation}");
    }
    let attempts: Vec<&str> = output
        .lines()
        .filter(closes)
        .filter(|l| l.contains("sms_api.attempt{"))
        .collect();
    assert_eq!(attempts.len(), 2, "{output}");
    assert!(
        attempts[0].contains("attempt=1")
            && attempts[0].contains("status=503")
            && attempts[0].contains("request_id=\"busy-1\""),
        "{}",
        attempts[0]
    );
    // OpenTelemetry's HTTP client names on each attempt.
    let port = server.port().to_string();
    for field in [
        "http.request.method=\"GET\"",
        "server.address=\"127.0.0.1\"",
        &format!("server.port={port}"),
        &format!("url.full=\"{}/v3/tasks\"", server.base_url()),
        "http.response.status_code=503",
        "error.type=\"503\"",
    ] {
        assert!(
            attempts[0].contains(field),
            "{field} missing in {}",
            attempts[0]
        );
    }
    assert!(
        !attempts[0].contains("http.request.resend_count"),
        "{}",
        attempts[0]
    );
    assert!(
        attempts[1].contains("http.request.resend_count=1"),
        "{}",
        attempts[1]
    );
    assert!(output.contains("sms_api: retrying"), "{output}");
    for secret in [SK, SECURITY_TOKEN, "Signature="] {
        assert!(
            !output.contains(secret),
            "{secret} leaked into tracing output:\n{output}"
        );
    }
}

// On tokio's paused clock, against a scripted server on the test's runtime: the limiter paces
// the throttled retries until the one-second deadline without a real second passing.
#[tokio::test(start_paused = true)]
async fn throttling_events_carry_the_throttled_count_and_the_rate() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = ScriptedServer::start(vec![Step::Reply(response(
        "429 Too Many Requests",
        &[],
        r#"{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached"}"#,
    ))])
    .await;
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::iam_token("token"))
        .adaptive_rate_limit(sms_api::send::AdaptiveRateLimit::default().min_rate(20.0))
        .operation_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let error = client.list_tasks().fetch().await.unwrap_err();
    assert!(error.is_throttling(), "{error}");

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let events: Vec<&str> = output
        .lines()
        .filter(|l| l.contains("sms_api: throttled by the gateway"))
        .collect();
    // At the limiter's floor of 20 requests/s, throttled until the one-second deadline.
    assert!(
        events.len() >= 10,
        "throttled until the deadline:\n{output}"
    );
    assert_eq!(events.len(), server.received().len());
    assert!(
        events[0].contains("throttled=1") && events[0].contains("rate=20"),
        "{}",
        events[0]
    );
    assert!(events[1].contains("throttled=2"), "{}", events[1]);
}
