//! The client against httpmock: the request it sends and what it makes of the responses.

use httpmock::{Method::GET, MockServer};
use serde_json::json;
use sms_api::mock::MockServerExt;
use sms_api::prelude::*;
use sms_api::types::{ListTasksResponse, SourceServerState, TaskPriority, TaskState};

use crate::spec_values;

use spec_values::FICTIONAL_STATE;

const TOKEN: &str = "MIIZ-test-token";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .endpoint(server.base_url())
        .credentials(Credentials::iam_token(TOKEN))
        .build()
        .unwrap()
}

/// ListTasks' documented example for `status`.
fn documented(status: u16) -> &'static str {
    let list_tasks = <sms_api::builder::ListTasks<'_> as sms_api::send::Operation>::OPERATION_ID;
    sms_api::types::DOCUMENTED_EXAMPLES
        .iter()
        .find(|e| e.operation_id == list_tasks && e.status == status)
        .unwrap()
        .json
}

#[tokio::test]
async fn sends_every_filter_encoded_and_the_token() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v3/tasks")
                .header("x-auth-token", TOKEN)
                .header("accept", "application/json")
                .is_true(|req| {
                    req.uri().query()
                        == Some(
                            "enterprise_project_id=0&id=task%2F1%26x&limit=50&name=web+server+%C3%A9\
                             &offset=100&source_server_id=src-1&state=MIGRATE_FAIL",
                        )
                });
            then.status(200).json_body(json!({"count": 0, "tasks": []}));
        })
        .await;

    let page = client(&server)
        .list_tasks()
        .state(TaskState::MigrateFail)
        .name("web server é")
        .id("task/1&x")
        .source_server_id("src-1")
        .limit(50)
        .offset(100)
        .enterprise_project_id("0")
        .fetch()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.count, Some(0));
    assert_eq!(page.tasks.as_deref().map(<[_]>::len), Some(0));
}

#[tokio::test]
async fn sends_no_query_for_unset_parameters() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v3/tasks")
                .is_true(|req| req.uri().query().is_none());
            then.status(200).json_body(json!({"count": 0, "tasks": []}));
        })
        .await;
    client(&server).list_tasks().fetch().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn an_unknown_state_filter_is_sent_verbatim() {
    let server = MockServer::start_async().await;
    let mock = server.list_tasks(|when, then| {
        let state = TaskState::from_wire(FICTIONAL_STATE);
        when.state(&state);
        let mut empty = ListTasksResponse::default();
        empty.count = Some(0);
        empty.tasks = Some(vec![]);
        then.ok(&empty);
    });
    client(&server)
        .list_tasks()
        .state(TaskState::from_wire(FICTIONAL_STATE))
        .fetch()
        .await
        .unwrap();
    mock.assert();
}

#[tokio::test]
async fn decodes_the_documented_200() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(200)
            .header("content-type", "application/json")
            .header("x-request-id", "req-200")
            .body(documented(200));
    });
    let page = client(&server).list_tasks().fetch().await.unwrap();
    assert_eq!(page.headers()["x-request-id"], "req-200");
    let page = page.into_inner();
    assert_eq!(page.count, Some(3));
    let tasks = page.tasks.unwrap();
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[0].total_time, Some(3_878_000));
    assert_eq!(tasks[1].priority, Some(TaskPriority::Standard));
}

#[tokio::test]
async fn decodes_the_documented_403_into_its_typed_error() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(403)
            .header("x-request-id", "req-403")
            .body(documented(403));
    });
    let error = client(&server).list_tasks().fetch().await.unwrap_err();
    let response = error
        .error_response()
        .unwrap_or_else(|| panic!("expected the documented error body, got {error:?}"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(error.request_id(), Some("req-403"));
    assert_eq!(response.error_code.as_deref(), Some("SMS.9004"));
    assert!(
        response
            .error_msg
            .as_deref()
            .unwrap()
            .starts_with("The current account")
    );
}

#[tokio::test]
async fn tolerates_unknown_fields_nulls_and_unknown_enum_values() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(200).json_body(json!({
            "count": 1,
            "next_marker": "ignored",
            "tasks": [{
                "id": "t-1",
                "state": FICTIONAL_STATE,
                "brand_new_field": {"nested": [1, 2, 3]},
                "sub_tasks": null,
                "special_config": null,
                "source_server": {"state": "made-up-lower-case", "extra": true},
                "target_server": null,
                "network_check_info": null,
                "clone_server": null,
                "priority": 99
            }]
        }));
    });
    let page = client(&server)
        .list_tasks()
        .fetch()
        .await
        .unwrap()
        .into_inner();
    let task = &page.tasks.unwrap()[0];
    assert_eq!(task.id.as_deref(), Some("t-1"));
    assert_eq!(
        task.state.as_ref().map(TaskState::as_str),
        Some(FICTIONAL_STATE)
    );
    assert!(matches!(task.state, Some(TaskState::UnknownValue(_))));
    assert_eq!(task.sub_tasks, None);
    assert_eq!(task.special_config, None);
    assert_eq!(task.target_server, None);
    assert_eq!(task.priority.as_ref().map(TaskPriority::value), Some(99));
    let source_state = task.source_server.as_ref().unwrap().state.as_ref().unwrap();
    assert_eq!(
        source_state,
        &SourceServerState::from_wire("made-up-lower-case")
    );
    assert_eq!(
        serde_json::to_value(task).unwrap()["state"],
        json!(FICTIONAL_STATE),
        "an unknown value serializes back to the text received"
    );
}

#[tokio::test]
async fn a_null_tasks_array_decodes_as_none() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(200)
            .json_body(json!({"count": 0, "tasks": null}));
    });
    let page = client(&server)
        .list_tasks()
        .fetch()
        .await
        .unwrap()
        .into_inner();
    assert_eq!((page.count, page.tasks), (Some(0), None));
}

#[tokio::test]
async fn out_of_bounds_parameters_are_rejected_before_sending() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(200).json_body(json!({"count": 0}));
    });
    let client = client(&server);
    let longest = spec_values::bounds("list_tasks", "name")
        .max_length
        .unwrap();
    let long_name = client
        .list_tasks()
        .name("n".repeat(longest + 1))
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(long_name.kind(), ErrorKind::InvalidRequest);
    assert_eq!(
        long_name.to_string(),
        format!(
            "invalid request, not sent: parameter `name` must be at most {longest} characters, got {} characters",
            longest + 1
        )
    );
    let limit_bounds = spec_values::bounds("list_tasks", "limit");
    let (least, most) = (limit_bounds.minimum.unwrap(), limit_bounds.maximum.unwrap());
    let too_big = i32::try_from(most + 1).unwrap();
    let limit = client
        .list_tasks()
        .limit(too_big)
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(limit.kind(), ErrorKind::InvalidRequest);
    assert_eq!(
        limit.message(),
        format!("parameter `limit` must be an integer from {least} to {most}, got {too_big}")
    );
    let offset = client.list_tasks().offset(-1).fetch().await.unwrap_err();
    assert_eq!(offset.kind(), ErrorKind::InvalidRequest);
    assert!(
        offset.message().starts_with("parameter `offset`"),
        "{offset:?}"
    );
    assert_eq!(limit.attempts(), 0);
    assert_eq!(mock.calls(), 0);
}

#[tokio::test]
async fn a_typo_in_an_enum_filter_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(200).json_body(json!({"count": 0}));
    });
    let client = client(&server);
    let typo = client
        .list_tasks()
        .state("MIGRATE_FAILED")
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(typo.kind(), ErrorKind::InvalidRequest);
    let message = typo.message();
    assert!(
        message.starts_with(
            "parameter `state`: \"MIGRATE_FAILED\" is not a documented TaskState (did you mean MIGRATE_FAIL?); documented values: READY,"
        ),
        "{message}"
    );
    assert!(message.contains("TaskState::from_wire"), "{message}");
    assert_eq!(typo.attempts(), 0);
    assert_eq!(mock.calls(), 0);
    // A documented value given as a string is accepted, as before.
    client
        .list_tasks()
        .state("MIGRATE_FAIL")
        .fetch()
        .await
        .unwrap();
    assert_eq!(mock.calls(), 1);
}
