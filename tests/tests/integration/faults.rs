//! Fault injection on loopback: every failure ends in one typed error with what is known, every
//! transient one is retried, and nothing panics or hangs.

use crate::support;

use std::time::{Duration, SystemTime};

use httpmock::MockServer;
use sms_api::RetryPolicy;
use sms_api::prelude::*;
use support::{ScriptedServer, Step, response};
// The paused clock's: these tests measure what the client waits, not how fast the machine is.
use tokio::time::Instant;

const OK_BODY: &str = r#"{"count": 1, "tasks": [{"id": "t-1", "state": "RUNNING"}]}"#;

/// A client with quick retries, so that the suite runs fast.
fn client(base_url: &str) -> Client {
    Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::iam_token("token"))
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(20))
                .max_backoff(Duration::from_millis(50)),
        )
        .attempt_timeout(Duration::from_secs(2))
        .operation_timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn unavailable(request_id: &str) -> Step {
    Step::Reply(response(
        "503 Service Unavailable",
        &[("x-request-id", request_id)],
        r#"{"error_code":"SMS.2007","error_msg":"busy"}"#,
    ))
}

#[tokio::test]
async fn two_503s_then_a_200_succeeds_on_the_third_attempt() {
    let server = ScriptedServer::start(vec![
        unavailable("r1"),
        unavailable("r2"),
        Step::Reply(response("200 OK", &[("x-request-id", "r3")], OK_BODY)),
    ])
    .await;
    let page = client(&server.base_url).list_tasks().fetch().await.unwrap();
    assert_eq!(page.count, Some(1));
    assert_eq!(page.headers()["x-request-id"], "r3");
    assert_eq!(server.received().len(), 3);
}

// On tokio's paused clock (the scripted server runs on the test's runtime): the waits are
// skipped, and measured exactly.
#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_1_waits_a_second_and_the_limiters_turn() {
    let server = ScriptedServer::start(vec![
        Step::Reply(response(
            "429 Too Many Requests",
            &[("retry-after", "1")],
            r#"{"error_code":"APIGW.0308","error_msg":"throttled"}"#,
        )),
        Step::Reply(response("200 OK", &[], OK_BODY)),
    ])
    .await;
    let page = client(&server.base_url).list_tasks().fetch().await.unwrap();
    assert_eq!(page.count, Some(1));
    let received = server.received();
    assert_eq!(received.len(), 2);
    // The Retry-After's second, and the adaptive limiter's turn: throttled after one request
    // in the last second, it allows 0.7 requests/s, so the retry leaves 1/0.7 s after the first.
    let waited = received[1].at - received[0].at;
    assert!(
        waited >= Duration::from_secs(1) && (waited.as_secs_f64() - 1.0 / 0.7).abs() < 0.01,
        "waited {waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_cap_is_not_waited_for() {
    let server = ScriptedServer::start(vec![Step::Reply(response(
        "429 Too Many Requests",
        &[("retry-after", "3600")],
        "{}",
    ))])
    .await;
    let started = Instant::now();
    let error = client(&server.base_url)
        .list_tasks()
        .fetch()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.attempts(), 1);
    assert!(error.is_retryable());
}

#[tokio::test]
async fn exhausted_retries_give_the_last_error_with_its_status_and_request_id() {
    let server = ScriptedServer::start(vec![
        unavailable("r1"),
        unavailable("r2"),
        unavailable("r3"),
    ])
    .await;
    let error = client(&server.base_url)
        .list_tasks()
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.request_id(), Some("r3"));
    assert_eq!(error.code(), Some("SMS.2007"));
    assert_eq!(error.attempts(), 3);
    assert!(error.is_retryable());
    assert_eq!(
        error.to_string(),
        "SMS.2007 (HTTP 503, request r3, 3 attempts): busy"
    );
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = ScriptedServer::start(vec![
        unavailable("r1"),
        Step::Reply(response("200 OK", &[], OK_BODY)),
    ])
    .await;
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::iam_token("token"))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(
        (error.status().map(|s| s.as_u16()), error.attempts()),
        (Some(503), 1)
    );
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error_after_retries() {
    let head = "HTTP/1.1 200 OK\r\ncontent-length: 5000\r\nx-request-id: reset\r\n\r\n{\"count\": 1, \"tas";
    let server = ScriptedServer::start(vec![Step::ReplyThenReset(head.as_bytes().to_vec())]).await;
    let error = client(&server.base_url)
        .list_tasks()
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert_eq!(error.attempts(), 3);
    assert_eq!(
        error.status().map(|s| s.as_u16()),
        Some(200),
        "the head had arrived"
    );
    assert_eq!(error.request_id(), Some("reset"));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_503_then_no_response_is_a_transport_error_with_no_status() {
    // Attempt 1 gets an answer; attempts 2 and 3 get a connection closed with nothing sent.
    let server =
        ScriptedServer::start(vec![unavailable("heldout-rid-1"), Step::Reply(Vec::new())]).await;
    let error = client(&server.base_url)
        .list_tasks()
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert_eq!(error.attempts(), 3);
    assert_eq!(
        error.status(),
        None,
        "the last attempt got no answer: {error}"
    );
    assert_eq!(error.request_id(), None);
    assert!(error.http_headers().is_none());
    assert!(!error.to_string().contains("HTTP 503"), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("transport error (3 attempts): "),
        "{error}"
    );
    assert_eq!(error.earlier_attempts().len(), 2);
    assert_eq!(
        error.earlier_attempts()[0],
        "attempt 1: HTTP 503 (request heldout-rid-1)"
    );
    assert!(
        error.earlier_attempts()[1].starts_with("attempt 2: "),
        "{:?}",
        error.earlier_attempts()
    );
}

#[tokio::test]
async fn no_response_then_a_503_reports_the_503() {
    let server = ScriptedServer::start(vec![Step::Reply(Vec::new()), unavailable("last")]).await;
    let error = client(&server.base_url)
        .list_tasks()
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.request_id(), Some("last"));
    assert_eq!(error.code(), Some("SMS.2007"));
    assert!(error.earlier_attempts()[0].starts_with("attempt 1: "));
}

#[tokio::test]
async fn a_reset_then_a_good_answer_succeeds() {
    let head = "HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n{";
    let server = ScriptedServer::start(vec![
        Step::ReplyThenReset(head.as_bytes().to_vec()),
        Step::Reply(response("200 OK", &[], OK_BODY)),
    ])
    .await;
    let page = client(&server.base_url).list_tasks().fetch().await.unwrap();
    assert_eq!(page.tasks.as_ref().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_truncated_json_body_is_a_decode_error() {
    let server = ScriptedServer::start(vec![Step::Reply(response(
        "200 OK",
        &[("x-request-id", "trunc")],
        r#"{"count": 3, "tasks": [{"id": "#,
    ))])
    .await;
    let error = client(&server.base_url)
        .list_tasks()
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.request_id(), Some("trunc"));
    assert!(error.message().contains("EOF"), "{error}");
    assert_eq!(
        error.body_snippet(),
        Some(r#"{"count": 3, "tasks": [{"id":"#)
    );
    assert_eq!(error.attempts(), 1, "a decode error is not retried");
}

#[tokio::test(start_paused = true)]
async fn a_body_slower_than_the_timeout_times_out_within_the_operation_bound() {
    let head = b"HTTP/1.1 200 OK\r\ncontent-length: 60\r\nx-request-id: slow\r\n\r\n".to_vec();
    let body = format!("{:<60}", r#"{"count": 0}"#).into_bytes();
    let server = ScriptedServer::start(vec![Step::SlowBody {
        head,
        delay: Duration::from_secs(5),
        body,
    }])
    .await;
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::iam_token("token"))
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .attempt_timeout(Duration::from_millis(300))
        .operation_timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.list_tasks().fetch().await.unwrap_err();
    let took = started.elapsed();
    assert!(error.is_timeout(), "{error}");
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(took <= Duration::from_millis(800), "took {took:?}");
    assert!(
        (2..=3).contains(&error.attempts()),
        "attempts: {}",
        error.attempts()
    );
    assert_eq!(error.request_id(), Some("slow"));
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let (_reserved, address) = support::refusing_address();
    let url = format!("http://{address}");
    let error = client(&url).list_tasks().fetch().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert_eq!(error.status(), None);
    assert_eq!(error.attempts(), 3);
    assert!(
        error
            .to_string()
            .starts_with("transport error (3 attempts): error sending request"),
        "{error}"
    );
}

/// Serves one canned answer to ListTasks; returns the client's error and how many requests the
/// server saw.
async fn error_for(status: u16, headers: &[(&str, &str)], body: &str) -> (sms_api::Error, usize) {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.path("/v3/tasks");
        let then = headers
            .iter()
            .fold(then.status(status), |then, (name, value)| {
                then.header(*name, *value)
            });
        then.body(body);
    });
    let error = client(&server.base_url())
        .list_tasks()
        .fetch()
        .await
        .unwrap_err();
    (error, mock.calls())
}

#[tokio::test]
async fn a_502_html_page_keeps_the_status_and_a_snippet() {
    let page = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body>\n</html>";
    let (error, calls) = error_for(
        502,
        &[("content-type", "text/html"), ("x-request-id", "gw-1")],
        page,
    )
    .await;
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(error.code(), None);
    assert_eq!(error.message(), "Bad Gateway");
    assert_eq!(
        error.body_snippet(),
        Some("<html> <head><title>502 Bad Gateway</title></head> <body>nginx</body> </html>")
    );
    assert_eq!(calls, 3, "502 is retried");
    assert!(error.to_string().starts_with(
        "service error (HTTP 502, request gw-1, 3 attempts): Bad Gateway (body: \"<html>"
    ));
}

#[tokio::test]
async fn a_200_with_invalid_json_is_a_decode_error() {
    let (error, calls) = error_for(
        200,
        &[("x-request-id", "bad-json")],
        r#"{"count": "three"}"#,
    )
    .await;
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.request_id(), Some("bad-json"));
    assert!(
        error
            .message()
            .starts_with("the body is not the documented JSON: invalid type: string \"three\""),
        "{error}"
    );
    assert!(!error.is_retryable());
    assert_eq!(calls, 1);
    assert!(
        std::error::Error::source(&error).is_some(),
        "the raw progenitor error stays reachable"
    );
}

#[tokio::test]
async fn a_200_with_an_empty_body_is_a_decode_error() {
    let (error, _) = error_for(200, &[], "").await;
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.message(), "the body is empty");
    assert_eq!(
        error.to_string(),
        "could not decode the response (HTTP 200): the body is empty (empty body)"
    );
}

#[tokio::test]
async fn a_401_in_the_gateway_nested_shape() {
    let body = r#"{"error": {"code": "APIGW.0301", "message": "Incorrect IAM authentication information: verify aksk signature fail", "title": "Unauthorized"}}"#;
    let (error, calls) = error_for(401, &[("x-request-id", "7c0e1d")], body).await;
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.code(), Some("APIGW.0301"));
    assert_eq!(
        error.to_string(),
        "APIGW.0301 (HTTP 401, request 7c0e1d): Incorrect IAM authentication information: verify aksk signature fail"
    );
    assert!(!error.is_retryable());
    assert_eq!(calls, 1, "401 is not retried");
}

#[tokio::test]
async fn a_404_in_the_camel_case_shape() {
    let body = r#"{"errorCode": "SMS.2252", "errorMsg": "The task does not exist."}"#;
    let (error, _) = error_for(404, &[], body).await;
    assert_eq!(
        (error.code(), error.message()),
        (Some("SMS.2252"), "The task does not exist.")
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.error_response(), None, "not the documented shape");
}

#[tokio::test]
async fn the_documented_403_fills_the_typed_body() {
    let list_tasks = <sms_api::builder::ListTasks<'_> as sms_api::send::Operation>::OPERATION_ID;
    let documented = sms_api::types::DOCUMENTED_EXAMPLES
        .iter()
        .find(|e| e.operation_id == list_tasks && e.status == 403)
        .unwrap()
        .json;
    let (error, _) = error_for(403, &[("x-request-id", "7c0e")], documented).await;
    assert!(error.to_string().starts_with(
        "SMS.9004 (HTTP 403, request 7c0e): The current account does not have the permission"
    ));
    let body = error.error_response().unwrap();
    assert_eq!(
        body.encoded_authorization_message.as_deref(),
        Some("XXXXXX")
    );
    assert_eq!(body.details.as_ref().map(Vec::len), Some(1));
}

#[tokio::test]
async fn each_attempt_is_signed_afresh() {
    let server = ScriptedServer::start(vec![
        unavailable("r1"),
        Step::Reply(response("200 OK", &[], OK_BODY)),
    ])
    .await;
    let tick = std::sync::atomic::AtomicU64::new(1_705_307_400);
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::basic("AK", "SK"))
        .clock(move || {
            SystemTime::UNIX_EPOCH
                + Duration::from_secs(tick.fetch_add(1, std::sync::atomic::Ordering::SeqCst))
        })
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    client.list_tasks().fetch().await.unwrap();
    let received = server.received();
    let dates: Vec<_> = received
        .iter()
        .map(|r| r.header("x-sdk-date").unwrap())
        .collect();
    assert_eq!(dates, ["20240115T083000Z", "20240115T083001Z"]);
    let signatures: Vec<_> = received
        .iter()
        .map(|r| r.header("authorization").unwrap())
        .collect();
    assert_ne!(signatures[0], signatures[1]);
}
