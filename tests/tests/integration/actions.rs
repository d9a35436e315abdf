//! Acting on tasks (start, stop, restart, delete) against loopback servers that lose answers:
//! an action is never sent twice by itself, a read is; a delete sent again after a lost answer
//! that meets "not found" finds the task gone; path parameters stay one segment; body fields
//! are checked before anything is sent.

use crate::support;

use serde_json::{Value, json};
use sms_api::prelude::*;
use support::{ScriptedServer, Step, response};

fn client(base_url: &str) -> Client {
    Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::iam_token("token"))
        .jitter(|| 0.0)
        .build()
        .unwrap()
}

fn error_body(code: &str, message: &str) -> String {
    json!({"error_code": code, "error_msg": message}).to_string()
}

/// `operation` on task `t-1`, through a client of `base_url`.
async fn act(
    base_url: &str,
    operation: &str,
) -> Result<sms_api::send::Response<()>, sms_api::Error> {
    client(base_url)
        .update_task_status()
        .task_id("t-1")
        .operation(operation)
        .fetch()
        .await
}

#[tokio::test]
async fn an_action_whose_answer_is_lost_is_sent_once_and_may_have_happened() {
    let server = ScriptedServer::start(vec![Step::CloseAfterReading]).await;
    let error = act(&server.base_url, "start").await.unwrap_err();
    let received = server.received();
    assert_eq!(received.len(), 1, "the action arrived once, and only once");
    assert!(received[0].head.starts_with("POST /v3/tasks/t-1/action "));
    let body: Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(body, json!({"operation": "start"}));
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown);
    assert!(!error.is_retryable());
    assert!(
        error
            .to_string()
            .starts_with("the action may or may not have happened"),
        "{error}"
    );
}

#[tokio::test]
async fn an_action_answered_with_a_5xx_is_not_sent_again() {
    let answer = response(
        "503 Service Unavailable",
        &[("x-request-id", "rid-503")],
        &error_body("SMS.2007", "busy"),
    );
    let server = ScriptedServer::start(vec![Step::Reply(answer)]).await;
    let error = act(&server.base_url, "stop").await.unwrap_err();
    assert_eq!(server.received().len(), 1);
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown);
    // What the service said is kept.
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.code(), Some("SMS.2007"));
    assert_eq!(error.request_id(), Some("rid-503"));
}

#[tokio::test(start_paused = true)]
async fn an_action_the_gateway_throttled_was_not_processed_and_is_sent_again() {
    let throttled = response(
        "429 Too Many Requests",
        &[],
        &error_body("APIG.0308", "The throttling threshold has been reached"),
    );
    let accepted = response("200 OK", &[("x-request-id", "rid-ok")], "");
    let server = ScriptedServer::start(vec![Step::Reply(throttled), Step::Reply(accepted)]).await;
    let done = act(&server.base_url, "restart").await.unwrap();
    assert_eq!(done.status().as_u16(), 200);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn an_action_that_never_reached_the_service_is_sent_again() {
    // Nothing listens on this port: every attempt is refused before a byte is sent.
    let (_reserved, address) = support::refusing_address();
    let base_url = format!("http://{address}");
    let error = act(&base_url, "start").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert_eq!(
        error.attempts(),
        3,
        "refused connections are retried: {error}"
    );
}

#[tokio::test]
async fn a_read_whose_answer_is_lost_is_sent_again() {
    let task = json!({"id": "t-1", "name": "web-1", "state": "RUNNING"}).to_string();
    let server = ScriptedServer::start(vec![
        Step::CloseAfterReading,
        Step::Reply(response("200 OK", &[], &task)),
    ])
    .await;
    let shown = client(&server.base_url)
        .show_task()
        .task_id("t-1")
        .fetch()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(shown.name.as_deref(), Some("web-1"));
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_delete_sent_again_after_a_lost_answer_that_meets_not_found_finds_the_task_gone() {
    let not_found = response(
        "404 Not Found",
        &[("x-request-id", "rid-404")],
        &error_body("SMS.2252", "The task does not exist."),
    );
    let server = ScriptedServer::start(vec![
        Step::CloseAfterReading,
        Step::Reply(not_found.clone()),
    ])
    .await;
    let error = client(&server.base_url)
        .delete_task()
        .task_id("t-1")
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 2);
    assert!(
        server.received()[1]
            .head
            .starts_with("DELETE /v3/tasks/t-1 ")
    );
    assert_eq!(error.kind(), ErrorKind::Gone, "{error}");
    assert_eq!(error.code(), Some("SMS.2252"));
    assert!(error.to_string().starts_with("gone: "), "{error}");

    // Without a lost answer first, "not found" is what it says.
    let server = ScriptedServer::start(vec![Step::Reply(not_found)]).await;
    let error = client(&server.base_url)
        .delete_task()
        .task_id("t-1")
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn a_path_parameter_is_one_segment_and_cannot_reach_another_resource() {
    let task = json!({"id": "a/b?c"}).to_string();
    let server = ScriptedServer::start(vec![Step::Reply(response("200 OK", &[], &task))]).await;
    let client = client(&server.base_url);
    client.show_task().task_id("a/b?c").fetch().await.unwrap();
    let received = server.received();
    assert!(
        received[0].head.starts_with("GET /v3/tasks/a%2Fb%3Fc "),
        "{}",
        received[0].head
    );
    // `\` is escaped (the URL parser would make it `/`), and so is every byte outside the
    // unreserved set: the service receives one segment that decodes back to the value.
    let task = json!({"id": "x"}).to_string();
    let server = ScriptedServer::start(vec![Step::Reply(response("200 OK", &[], &task))]).await;
    self::client(&server.base_url)
        .show_task()
        .task_id(r"..\..\x\v3\tasks\y #%é")
        .fetch()
        .await
        .unwrap();
    let head = &server.received()[0].head;
    assert!(
        head.starts_with("GET /v3/tasks/..%5C..%5Cx%5Cv3%5Ctasks%5Cy%20%23%25%C3%A9 "),
        "{head}"
    );
    for (escaping, said) in [("..", "is `..`"), (".", "is `.`"), ("", "is empty")] {
        let error = client
            .update_task_status()
            .task_id(escaping)
            .operation("stop")
            .fetch()
            .await
            .unwrap_err();
        assert_eq!(
            error.kind(),
            ErrorKind::InvalidRequest,
            "{escaping:?}: {error}"
        );
        assert!(
            error
                .message()
                .starts_with(&format!("path parameter `task_id` {said}:")),
            "{error}"
        );
        assert_eq!(error.attempts(), 0);
    }
    let too_long = client
        .delete_task()
        .task_id("t".repeat(256))
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(too_long.kind(), ErrorKind::InvalidRequest);
    assert!(
        too_long
            .message()
            .starts_with("parameter `task_id` must be 1 to 255 characters"),
        "{too_long}"
    );
    assert_eq!(server.received().len(), 1, "nothing else was sent");
}

#[tokio::test]
async fn body_fields_are_checked_before_anything_is_sent() {
    let server = ScriptedServer::start(vec![Step::Reply(response("200 OK", &[], ""))]).await;
    let client = client(&server.base_url);
    let typo = client
        .update_task_status()
        .task_id("t-1")
        .operation("strat")
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(typo.kind(), ErrorKind::InvalidRequest);
    assert!(
        typo.message().starts_with("body field `operation`: \"strat\" is not a documented TaskOperation (did you mean start?)"),
        "{typo}"
    );
    let missing = client
        .update_task_status()
        .task_id("t-1")
        .switch_hce(true)
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::InvalidRequest);
    assert_eq!(
        missing.message(),
        "body field `operation` is required and was not set"
    );
    let long = client
        .update_task_status()
        .task_id("t-1")
        .operation("start")
        .template_id("x".repeat(256))
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(long.kind(), ErrorKind::InvalidRequest);
    assert!(
        long.message().starts_with("body field `template_id`"),
        "{long}"
    );
    assert!(server.received().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn an_error_answer_decodes_into_the_operation_s_own_error_body() {
    use sms_api::send::Operation;
    let not_found = response(
        "404 Not Found",
        &[],
        &error_body("SMS.2252", "The task does not exist."),
    );
    let server = ScriptedServer::start(vec![Step::Reply(not_found)]).await;
    let error = client(&server.base_url)
        .show_task()
        .task_id("missing")
        .fetch()
        .await
        .unwrap_err();
    type ShowTaskError = <sms_api::builder::ShowTask<'static> as Operation>::ErrorBody;
    let body: ShowTaskError = error.error_body().unwrap();
    assert_eq!(body.error_code.as_deref(), Some("SMS.2252"));
    assert_eq!(error.error_body::<Vec<u8>>(), None, "not that shape");
}

/// A first origin that redirects every request to a second one, which would answer `ok`.
async fn redirecting(status: &str, path: &str, ok: &str) -> (ScriptedServer, ScriptedServer) {
    let other = ScriptedServer::start(vec![Step::Reply(response("200 OK", &[], ok))]).await;
    let location = format!("{}{path}", other.base_url);
    let first = ScriptedServer::start(vec![Step::Reply(response(
        status,
        &[("location", location.as_str())],
        "",
    ))])
    .await;
    (first, other)
}

#[tokio::test]
async fn a_redirected_listing_is_not_followed_and_its_token_goes_nowhere_else() {
    let listing = json!({"count": 0, "tasks": []}).to_string();
    let (first, other) = redirecting("302 Found", "/v3/tasks", &listing).await;
    let error = client(&first.base_url)
        .list_tasks()
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(302));
    assert!(error.message().contains("to host `127.0.0.1`"), "{error}");
    assert!(!error.is_retryable());
    assert_eq!(first.received().len(), 1);
    assert!(
        other.received().is_empty(),
        "the token went to the redirect's origin"
    );
}

#[tokio::test]
async fn a_redirected_action_is_sent_once_and_not_again_there() {
    let (first, other) = redirecting("307 Temporary Redirect", "/v3/tasks/t-1/action", "").await;
    let error = act(&first.base_url, "stop").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(307));
    assert_eq!(first.received().len(), 1, "sent once");
    assert!(
        other.received().is_empty(),
        "and never to the redirect's origin"
    );
    assert!(
        error
            .to_string()
            .starts_with("redirected, not followed (HTTP 307)"),
        "{error}"
    );
}

#[tokio::test]
async fn a_redirect_says_where_it_pointed_without_quoting_the_rest_of_the_location() {
    for (location, said) in [
        (
            "https://evil.example/v3/tasks?token=SECRET",
            "to host `evil.example`",
        ),
        ("/elsewhere?token=SECRET", "to a path on the same host"),
    ] {
        let server = ScriptedServer::start(vec![Step::Reply(response(
            "301 Moved Permanently",
            &[("location", location)],
            "",
        ))])
        .await;
        let error = client(&server.base_url)
            .list_tasks()
            .fetch()
            .await
            .unwrap_err();
        assert!(error.message().contains(said), "{error}");
        assert!(!error.to_string().contains("SECRET"), "{error}");
    }
}
