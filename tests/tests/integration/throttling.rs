//! Listing through a gateway that throttles like Huawei Cloud's (429 `APIG.0308`, no
//! Retry-After): the client-wide adaptive rate limiter paces every call, throttled pages are
//! retried until they pass, nothing is lost or repeated; authentication failures are never
//! retried; the retry budget stops retry storms. Nothing here asserts a duration: the speed
//! targets are in `sms-api/benches/throttled_listing.rs`.

use crate::support;

use std::time::Duration;

use futures_util::TryStreamExt;
use sms_api::RetryPolicy;
use sms_api::mock::{FakeService, GatewayLimit};
use sms_api::prelude::*;
use sms_api::send::{AdaptiveRateLimit, RetryBudget};
use sms_api::types::TasksResponseBody;
use support::{ScriptedServer, Step, response};

fn tasks(n: usize) -> Vec<TasksResponseBody> {
    (0..n)
        .map(|i| {
            let mut task = TasksResponseBody::default();
            task.id = Some(format!("task-{i:05}"));
            task
        })
        .collect()
}

fn ids(tasks: &[TasksResponseBody]) -> Vec<String> {
    tasks.iter().map(|t| t.id.clone().unwrap()).collect()
}

fn throttled() -> Step {
    Step::Reply(response(
        "429 Too Many Requests",
        &[("x-request-id", "throttled")],
        r#"{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second"}"#,
    ))
}

fn ok() -> Step {
    Step::Reply(response("200 OK", &[], r#"{"count": 0, "tasks": []}"#))
}

#[tokio::test(start_paused = true)]
async fn a_throttling_gateway_loses_and_repeats_no_task() {
    let limit = GatewayLimit {
        per_second: 40.0,
        burst: 5,
    };
    let fake =
        FakeService::start_behind_gateway(tasks(3_000), Duration::from_millis(5), limit).await;
    let client = Client::builder()
        .endpoint(fake.base_url())
        .credentials(Credentials::iam_token("token"))
        .build()
        .unwrap();
    // A listing of 60 pages, 8 at a time, and independent calls of the same client meanwhile.
    let listing = client
        .list_tasks()
        .paginate()
        .page_size(50)
        .concurrency(8)
        .by_item()
        .try_collect::<Vec<_>>();
    let others = futures_util::future::try_join_all(
        (0..6).map(|i| client.list_tasks().limit(10).offset(i * 10).fetch()),
    );
    let (listed, others) = futures_util::future::try_join(listing, others)
        .await
        .unwrap();
    assert_eq!(
        ids(&listed),
        ids(&tasks(3_000)),
        "every task, once, in order"
    );
    assert_eq!(others.len(), 6);
    let gateway = fake.gateway_stats();
    let traffic = client.traffic();
    assert!(gateway.throttled > 0, "the gateway throttled: {gateway:?}");
    assert_eq!(
        traffic.throttled, gateway.throttled,
        "every throttling answer was seen"
    );
    assert_eq!(traffic.requests, gateway.requests);
    assert_eq!(
        gateway.requests - gateway.throttled,
        66,
        "each page and call passed once"
    );
    assert!(traffic.rate.is_some(), "the limiter is on: {traffic:?}");
}

#[tokio::test]
async fn a_throttled_call_is_retried_past_the_attempt_limit_while_the_limiter_paces_it() {
    let mut script = vec![throttled(); 6];
    script.push(ok());
    let server = ScriptedServer::start(script).await;
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::iam_token("token"))
        .retry_policy(RetryPolicy::default().max_attempts(3))
        .adaptive_rate_limit(AdaptiveRateLimit::default().min_rate(50.0))
        .build()
        .unwrap();
    let page = client.list_tasks().fetch().await.unwrap();
    assert_eq!(page.count, Some(0));
    assert_eq!(server.received().len(), 7);
    assert_eq!(client.traffic().throttled, 6);
}

#[tokio::test]
async fn with_the_limiter_off_throttling_is_retried_within_the_attempts() {
    let server = ScriptedServer::start(vec![throttled()]).await;
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::iam_token("token"))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(10)),
        )
        .adaptive_rate_limit(AdaptiveRateLimit::disabled())
        .build()
        .unwrap();
    let error = client.list_tasks().fetch().await.unwrap_err();
    assert!(error.is_throttling(), "{error}");
    assert_eq!(error.code(), Some("APIG.0308"));
    assert_eq!(error.attempts(), 3);
    assert_eq!(server.received().len(), 3);
    assert_eq!(client.traffic().rate, None);
}

#[tokio::test]
async fn authentication_and_permission_failures_are_never_retried() {
    for (status, body) in [
        (
            "401 Unauthorized",
            r#"{"error":{"code":"APIGW.0301","message":"Incorrect IAM authentication information"}}"#,
        ),
        (
            "403 Forbidden",
            r#"{"error_code":"SMS.9004","error_msg":"denied"}"#,
        ),
        // Even with a throttling code, a 403 is not retried.
        (
            "403 Forbidden",
            r#"{"error_code":"APIGW.0308","error_msg":"throttled?"}"#,
        ),
    ] {
        let server = ScriptedServer::start(vec![Step::Reply(response(status, &[], body))]).await;
        let client = Client::builder()
            .endpoint(&server.base_url)
            .credentials(Credentials::basic("AK", "SK"))
            .build()
            .unwrap();
        let error = client.list_tasks().fetch().await.unwrap_err();
        assert_eq!(error.attempts(), 1, "{status}: {error}");
        assert_eq!(server.received().len(), 1, "{status}");
    }
}

#[tokio::test]
async fn the_retry_budget_stops_retries_while_the_service_keeps_failing() {
    let server = ScriptedServer::start(vec![Step::Reply(response(
        "503 Service Unavailable",
        &[],
        r#"{"error_code":"SMS.2007","error_msg":"busy"}"#,
    ))])
    .await;
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::iam_token("token"))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(5)),
        )
        .retry_budget(RetryBudget::default().capacity(10))
        .build()
        .unwrap();
    // The first call spends the whole budget on its two retries...
    let first = client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(first.attempts(), 3);
    // ...so the next ones, from any clone of the client, fail at once.
    let clone = client.clone();
    let second = clone.list_tasks().fetch().await.unwrap_err();
    assert_eq!(second.attempts(), 1, "{second}");
    assert_eq!(second.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received().len(), 4);
}

// On tokio's paused clock: the scripted server runs on the test's runtime, and the limiter's
// one-second turn against the call's 300 ms is arithmetic, not a race with the machine.
#[tokio::test(start_paused = true)]
async fn a_turn_beyond_the_deadline_times_out_without_sending() {
    let server = ScriptedServer::start(vec![throttled(), ok()]).await;
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::iam_token("token"))
        .adaptive_rate_limit(AdaptiveRateLimit::default().min_rate(1.0))
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    // Throttled with nothing sent before: the limiter drops to its floor, one request a second.
    let first = client.list_tasks().fetch().await.unwrap_err();
    assert!(first.is_throttling(), "{first}");
    let sent = server.received().len();
    // The next turn is about a second away, past this call's 300 ms.
    let second = client.list_tasks().fetch().await.unwrap_err();
    assert!(second.is_timeout(), "{second}");
    assert_eq!(second.status(), None);
    assert_eq!(server.received().len(), sent, "nothing more was sent");
}
