//! Paging through every task: all of them in order at any page size and concurrency, nothing
//! lost or repeated silently, nothing sent for a parameter out of bounds.

use futures_util::{StreamExt, TryStreamExt};
use httpmock::MockServer;
use serde_json::json;
use sms_api::mock::FakeService;
use sms_api::prelude::*;
use sms_api::types::{SourceServerAssociatedWithTask, TaskState, TasksResponseBody};

fn task(i: usize) -> TasksResponseBody {
    let mut source = SourceServerAssociatedWithTask::default();
    source.id = Some(format!("src-{}", i % 7));
    let mut task = TasksResponseBody::default();
    task.id = Some(format!("task-{i:04}"));
    task.name = Some(format!("server-{i:04}"));
    task.state = Some(if i.is_multiple_of(3) {
        TaskState::Running
    } else {
        TaskState::MigrateSuccess
    });
    task.source_server = Some(source);
    task
}

fn tasks(n: usize) -> Vec<TasksResponseBody> {
    (0..n).map(task).collect()
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::iam_token("t"))
        .build()
        .unwrap()
}

fn ids(tasks: &[TasksResponseBody]) -> Vec<String> {
    tasks.iter().map(|t| t.id.clone().unwrap()).collect()
}

#[tokio::test]
async fn all_1000_tasks_in_order_at_every_page_size_and_concurrency() {
    let fake = FakeService::start(tasks(1000)).await;
    let client = client(&fake.base_url());
    let expected = ids(&tasks(1000));
    for limit in [None, Some(1), Some(7), Some(100), Some(200)] {
        for concurrency in [1, 3, 8] {
            let mut paginator = client.list_tasks().paginate();
            if let Some(limit) = limit {
                paginator = paginator.page_size(limit);
            }
            let listed: Vec<TasksResponseBody> = paginator
                .concurrency(concurrency)
                .by_item()
                .try_collect()
                .await
                .unwrap();
            assert_eq!(
                ids(&listed),
                expected,
                "limit {limit:?}, concurrency {concurrency}"
            );
        }
    }
}

#[tokio::test]
async fn pages_are_200_tasks_unless_the_paginator_sets_a_page_size() {
    let fake = FakeService::start(tasks(1000)).await;
    let client = client(&fake.base_url());
    // The paginator owns `limit` and `offset`: whatever the builder had is replaced.
    let pages: Vec<_> = client
        .list_tasks()
        .limit(7)
        .offset(900)
        .paginate()
        .by_page()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.tasks.as_ref().unwrap().len())
        .collect();
    assert_eq!(sizes, [200; 5]);
    let pages: Vec<_> = client
        .list_tasks()
        .paginate()
        .page_size(150)
        .by_page()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 7);
    assert_eq!(pages.last().unwrap().tasks.as_ref().unwrap().len(), 100);
}

#[tokio::test]
async fn filters_and_a_starting_offset_apply_to_every_page() {
    let fake = FakeService::start(tasks(1000)).await;
    let client = client(&fake.base_url());
    let running: Vec<_> = client
        .list_tasks()
        .state(TaskState::Running)
        .source_server_id("src-2")
        .paginate()
        .page_size(5)
        .start(3)
        .by_item()
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<String> = tasks(1000)
        .into_iter()
        .filter(|t| {
            t.state == Some(TaskState::Running)
                && t.source_server.as_ref().unwrap().id.as_deref() == Some("src-2")
        })
        .skip(3)
        .map(|t| t.id.unwrap())
        .collect();
    assert!(expected.len() > 20);
    assert_eq!(ids(&running), expected);
}

#[tokio::test]
async fn no_tasks_is_one_empty_page() {
    let fake = FakeService::start(vec![]).await;
    let pages: Vec<_> = client(&fake.base_url())
        .list_tasks()
        .paginate()
        .by_page()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].count, Some(0));
}

#[tokio::test]
async fn tasks_beyond_the_offset_ceiling_end_the_stream_with_an_error() {
    // The service pages up to offset 65535: with pages of 200 the last page starts at 65400,
    // so tasks from 65600 on cannot be reached by paging.
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v3/tasks");
        then.respond_with(|req| {
            let param = |name: &str| {
                req.query_params()
                    .into_iter()
                    .find(|(k, _)| k == name)
                    .and_then(|(_, v)| v.parse::<usize>().ok())
            };
            let (offset, limit) = (param("offset").unwrap_or(0), param("limit").unwrap_or(100));
            let page: Vec<_> = (offset..(offset + limit).min(70_000))
                .map(|i| json!({"id": format!("t{i}")}))
                .collect();
            httpmock::HttpMockResponse::builder()
                .status(200)
                .body(json!({"count": 70_000, "tasks": page}).to_string())
                .build()
        });
    });
    let client = client(&server.base_url());
    let mut stream = client.list_tasks().paginate().concurrency(8).by_item();
    let mut listed = 0;
    let error = loop {
        match stream.next().await {
            Some(Ok(_)) => listed += 1,
            Some(Err(error)) => break error,
            None => panic!("the stream ended without saying tasks were unreachable"),
        }
    };
    assert_eq!(listed, 65_600);
    assert_eq!(error.kind(), ErrorKind::Incomplete);
    assert_eq!(
        error.to_string(),
        "incomplete listing: 4400 of the 70000 matching items lie beyond offset 65535, the furthest the service \
         pages to, and were not listed: narrow the filters to reach them"
    );
    assert!(stream.next().await.is_none(), "nothing after the error");
}

#[tokio::test]
async fn a_count_that_changes_while_listing_is_reported() {
    let fake = FakeService::start(tasks(1000)).await;
    let client = client(&fake.base_url());
    let mut pages = client.list_tasks().paginate().by_page();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.count, Some(1000));
    fake.set_tasks(tasks(999));
    let error = pages.next().await.unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Incomplete);
    assert!(
        error.message().starts_with(
            "the number of matching items changed from 1000 to 999 while listing (at offset 200)"
        ),
        "{error}"
    );
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn a_page_shorter_than_count_implies_is_reported() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v3/tasks").query_param("offset", "200");
        then.status(200).json_body(json!({"count": 450, "tasks": (0..150).map(|i| json!({"id": i.to_string()})).collect::<Vec<_>>()}));
    });
    server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(200).json_body(json!({"count": 450, "tasks": (0..200).map(|i| json!({"id": i.to_string()})).collect::<Vec<_>>()}));
    });
    let result: Result<Vec<_>, _> = client(&server.base_url())
        .list_tasks()
        .paginate()
        .concurrency(1)
        .by_page()
        .try_collect()
        .await;
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Incomplete);
    assert!(
        error
            .message()
            .starts_with("the page at offset 200 has 150 items where a count of 450 implies 200"),
        "{error}"
    );
}

#[tokio::test]
async fn out_of_range_page_sizes_and_offsets_send_nothing() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(200).json_body(json!({"count": 0}));
    });
    let client = client(&server.base_url());
    for (paginator, expected) in [
        (
            client.list_tasks().paginate().page_size(201),
            "parameter `limit` must be an integer from 1 to 200 to page, got 201",
        ),
        (
            client.list_tasks().paginate().page_size(-1),
            "parameter `limit` must be an integer from 1 to 200 to page, got -1",
        ),
        (
            client.list_tasks().paginate().page_size(0),
            "parameter `limit` must be an integer from 1 to 200 to page, got 0",
        ),
        (
            client.list_tasks().paginate().start(65_536),
            "parameter `offset` must be an integer from 0 to 65535, got 65536",
        ),
    ] {
        let mut pages = paginator.by_page();
        let error = pages.next().await.unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error}");
        assert_eq!(error.message(), expected);
        assert!(pages.next().await.is_none(), "nothing after the error");
    }
    let error = client
        .list_tasks()
        .offset(70_000)
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(
        error.message(),
        "parameter `offset` must be an integer from 0 to 65535, got 70000"
    );
    assert_eq!(mock.calls(), 0);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v3/tasks").query_param("offset", "200");
        then.status(403)
            .body(r#"{"error_code": "SMS.9004", "error_msg": "denied"}"#);
    });
    server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(200).json_body(json!({"count": 400, "tasks": (0..200).map(|i| json!({"id": i.to_string()})).collect::<Vec<_>>()}));
    });
    let items: Vec<_> = client(&server.base_url())
        .list_tasks()
        .paginate()
        .by_item()
        .collect()
        .await;
    assert_eq!(items.len(), 201);
    assert!(items[..200].iter().all(Result::is_ok));
    assert_eq!(items[200].as_ref().unwrap_err().code(), Some("SMS.9004"));
}

#[tokio::test]
async fn the_fake_filters_as_the_spec_declares_and_refuses_unknown_parameters() {
    let tasks: Vec<TasksResponseBody> = (0..6)
        .map(|i| {
            serde_json::from_value(json!({
                "id": format!("t{i}"),
                "state": if i % 2 == 0 { "RUNNING" } else { "READY" },
                "source_server": {"id": format!("server-{}", i % 3)},
            }))
            .unwrap()
        })
        .collect();
    let fake = FakeService::start(tasks).await;
    let client = client(&fake.base_url());
    // `source_server_id` selects on `source_server.id`, as its x-filter-field says.
    let page = client
        .list_tasks()
        .source_server_id("server-1")
        .state(TaskState::Running)
        .fetch()
        .await
        .unwrap();
    assert_eq!(page.count, Some(1));
    assert_eq!(page.tasks.as_ref().unwrap()[0].id.as_deref(), Some("t4"));
    // A parameter the spec does not declare gets the service's 400.
    let response = reqwest::Client::new()
        .get(format!("{}/v3/tasks?stat=RUNNING", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["error_code"], "SMS.0007");
    assert_eq!(body["error_msg"], "unknown query parameter `stat`");
}
