//! Paging through every task: all of them in order at any page size and concurrency, nothing
//! lost or repeated silently, nothing sent for a parameter out of bounds.

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use httpmock::MockServer;
use serde_json::json;
use sms_api::mock::FakeService;
use sms_api::paging::Paginated;
use sms_api::prelude::*;
use sms_api::types::{SourceServerAssociatedWithTask, TaskState, TasksResponseBody};

/// The default page size: the spec's maximum for `limit`.
const MAX_PAGE: i64 = <sms_api::builder::ListTasks<'_> as Paginated>::MAX_PAGE_SIZE;
/// The furthest offset the service pages to, from the spec.
const MAX_OFFSET: i64 = <sms_api::builder::ListTasks<'_> as Paginated>::MAX_OFFSET;
/// The page size the tests of paging mechanics pin, whatever the spec's maximum.
const PAGE: i64 = 100;

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

/// Page size 1 goes through 150 tasks (150 pages, many times the widest fan-out), the others
/// through 1,000: all 1,000 one by one would take 3,000 requests.
#[tokio::test]
async fn all_tasks_in_order_at_every_page_size_and_concurrency() {
    let one_by_one = FakeService::start(tasks(150)).await;
    let thousand = FakeService::start(tasks(1000)).await;
    for limit in [None, Some(1), Some(7), Some(PAGE), Some(MAX_PAGE)] {
        let (fake, total) = match limit {
            Some(1) => (&one_by_one, 150),
            _ => (&thousand, 1000),
        };
        let client = client(&fake.base_url());
        let expected = ids(&tasks(total));
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
async fn pages_are_the_spec_maximum_unless_the_paginator_sets_a_page_size() {
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
    let max = usize::try_from(MAX_PAGE).unwrap();
    let expected: Vec<usize> = (0..1000)
        .step_by(max)
        .map(|s| (1000 - s).min(max))
        .collect();
    assert_eq!(sizes, expected);
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
    // The service pages up to the spec's largest offset: the last page starts at the last
    // multiple of the page size below it, so the tasks after that page cannot be reached.
    let reachable = usize::try_from((MAX_OFFSET / MAX_PAGE + 1) * MAX_PAGE).unwrap();
    let total = reachable + 4400;
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v3/tasks");
        then.respond_with(move |req| {
            let param = |name: &str| {
                req.query_params()
                    .into_iter()
                    .find(|(k, _)| k == name)
                    .and_then(|(_, v)| v.parse::<usize>().ok())
            };
            let (offset, limit) = (param("offset").unwrap_or(0), param("limit").unwrap_or(100));
            let page: Vec<_> = (offset..(offset + limit).min(total))
                .map(|i| json!({"id": format!("t{i}")}))
                .collect();
            httpmock::HttpMockResponse::builder()
                .status(200)
                .body(json!({"count": total, "tasks": page}).to_string())
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
    assert_eq!(listed, reachable);
    assert_eq!(error.kind(), ErrorKind::Incomplete);
    assert_eq!(
        error.to_string(),
        format!(
            "incomplete listing: 4400 of the {total} matching items lie beyond offset {MAX_OFFSET}, the furthest the service \
             pages to, and were not listed: narrow the filters to reach them"
        )
    );
    assert!(stream.next().await.is_none(), "nothing after the error");
}

#[tokio::test]
async fn a_count_that_changes_while_listing_is_reported() {
    let fake = FakeService::start(tasks(1000)).await;
    let client = client(&fake.base_url());
    let mut pages = client.list_tasks().paginate().page_size(PAGE).by_page();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.count, Some(1000));
    fake.set_tasks(tasks(999));
    let error = pages.next().await.unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Incomplete);
    assert!(
        error.message().starts_with(&format!(
            "the number of matching items changed from 1000 to 999 while listing (at offset {PAGE})"
        )),
        "{error}"
    );
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn a_page_shorter_than_count_implies_is_reported() {
    let server = MockServer::start_async().await;
    let ids = |n: i64| {
        (0..n)
            .map(|i| json!({"id": i.to_string()}))
            .collect::<Vec<_>>()
    };
    server.mock(|when, then| {
        when.path("/v3/tasks")
            .query_param("offset", (2 * PAGE).to_string());
        then.status(200)
            .json_body(json!({"count": 450, "tasks": ids(PAGE - 50)}));
    });
    server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(200)
            .json_body(json!({"count": 450, "tasks": ids(PAGE)}));
    });
    let result: Result<Vec<_>, _> = client(&server.base_url())
        .list_tasks()
        .paginate()
        .page_size(PAGE)
        .concurrency(1)
        .by_page()
        .try_collect()
        .await;
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Incomplete);
    assert!(
        error.message().starts_with(&format!(
            "the page at offset {} has {} items where a count of 450 implies {PAGE}",
            2 * PAGE,
            PAGE - 50
        )),
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
    let page_sizes = format!("parameter `limit` must be an integer from 1 to {MAX_PAGE} to page");
    for (paginator, expected) in [
        (
            client.list_tasks().paginate().page_size(MAX_PAGE + 1),
            format!("{page_sizes}, got {}", MAX_PAGE + 1),
        ),
        (
            client.list_tasks().paginate().page_size(-1),
            format!("{page_sizes}, got -1"),
        ),
        (
            client.list_tasks().paginate().page_size(0),
            format!("{page_sizes}, got 0"),
        ),
        (
            client.list_tasks().paginate().start(MAX_OFFSET + 1),
            format!(
                "parameter `offset` must be an integer from 0 to {MAX_OFFSET}, got {}",
                MAX_OFFSET + 1
            ),
        ),
    ] {
        let mut pages = paginator.by_page();
        let error = pages.next().await.unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error}");
        assert_eq!(error.message(), expected);
        assert!(pages.next().await.is_none(), "nothing after the error");
    }
    let beyond = i32::try_from(MAX_OFFSET + 1).unwrap();
    let error = client
        .list_tasks()
        .offset(beyond)
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(
        error.message(),
        format!("parameter `offset` must be an integer from 0 to {MAX_OFFSET}, got {beyond}")
    );
    assert_eq!(mock.calls(), 0);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v3/tasks")
            .query_param("offset", PAGE.to_string());
        then.status(403)
            .body(r#"{"error_code": "SMS.9004", "error_msg": "denied"}"#);
    });
    server.mock(|when, then| {
        when.path("/v3/tasks");
        then.status(200).json_body(json!({"count": 2 * PAGE, "tasks": (0..PAGE).map(|i| json!({"id": i.to_string()})).collect::<Vec<_>>()}));
    });
    let items: Vec<_> = client(&server.base_url())
        .list_tasks()
        .paginate()
        .page_size(PAGE)
        .by_item()
        .collect()
        .await;
    let page = usize::try_from(PAGE).unwrap();
    assert_eq!(items.len(), page + 1);
    assert!(items[..page].iter().all(Result::is_ok));
    assert_eq!(items[page].as_ref().unwrap_err().code(), Some("SMS.9004"));
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
    let response = crate::support::plain_http()
        .get(format!("{}/v3/tasks?stat=RUNNING", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["error_code"], "SMS.0007");
    assert_eq!(body["error_msg"], "unknown query parameter `stat`");
}

#[tokio::test(start_paused = true)]
async fn counts_tell_what_went_on_the_wire_retries_and_refetches_included() {
    let fake = FakeService::start(tasks(450)).await;
    let client = client(&fake.base_url());
    let busy = json!({"error_code": "SMS.2007", "error_msg": "busy"});
    // Ten failures: the first page's fetch (3 attempts), two re-fetches (3 each), and the
    // first attempt of a third, whose retry succeeds.
    fake.fail_next(10, 500, &busy);
    let listed: Vec<_> = client
        .list_tasks()
        .paginate()
        .page_size(PAGE)
        .by_item()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 450);
    let traffic = client.traffic();
    assert_eq!(traffic.refetches, 3);
    assert_eq!(traffic.retries, 7);
    let pages = 450_u64.div_ceil(u64::try_from(PAGE).unwrap());
    assert_eq!(traffic.requests, 10 + pages);

    // A listing that must give up says how many requests it sent in all, not only the last
    // call's attempts.
    fake.fail_next(100, 500, &busy);
    let error = client
        .list_tasks()
        .paginate()
        .page_size(PAGE)
        .listing_retries(2)
        .by_page()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.requests_sent(), 9, "three fetches of three attempts");
    assert!(error.to_string().contains("9 requests in all"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn a_listing_past_its_deadline_says_how_far_it_got_and_what_it_sent() {
    // Two seconds an answer: pages end at 2 s, 4 s, 6 s; the fourth would end at 8 s.
    let fake = FakeService::start_with_latency(tasks(1000), Duration::from_secs(2)).await;
    let client = client(&fake.base_url());
    let started = tokio::time::Instant::now();
    let error = client
        .list_tasks()
        .paginate()
        .page_size(PAGE)
        .concurrency(1)
        .deadline(Duration::from_secs(7))
        .by_page()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_secs(7));
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(
        error.progress(),
        Some("pages 1 to 3 of 10 (300 of 1000 items) were listed before the next page failed")
    );
    assert_eq!(
        error.requests_sent(),
        4,
        "three pages, and the one cut short"
    );
    assert!(
        error
            .to_string()
            .starts_with("timed out (4 requests in all): the listing's deadline of 7s passed"),
        "{error}"
    );
}

/// `n` source servers, every third connected.
fn servers(n: usize) -> Vec<sms_api::types::SourceServersResponseBody> {
    (0..n)
        .map(|i| {
            let mut server = sms_api::types::SourceServersResponseBody::default();
            server.id = Some(format!("server-{i:04}"));
            server.connected = Some(i.is_multiple_of(3));
            server
        })
        .collect()
}

#[tokio::test]
async fn a_listing_the_spec_declares_is_served_by_the_fake_with_no_code_of_its_own() {
    use sms_api::builder::ListServers;
    let fake = FakeService::start(vec![]).await;
    fake.set_items::<ListServers<'_>>(servers(450));
    let client = client(&fake.base_url());
    let listed: Vec<_> = client
        .list_servers()
        .paginate()
        .page_size(PAGE)
        .by_item()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = listed.iter().map(|s| s.id.clone().unwrap()).collect();
    let expected: Vec<_> = (0..450).map(|i| format!("server-{i:04}")).collect();
    assert_eq!(ids, expected, "every server, in order");
    // Filtered on the field its x-filter-field names, a boolean as its JSON text.
    let page = client.list_servers().connected(true).fetch().await.unwrap();
    assert_eq!(page.count, Some(150));
    // Shown by its id; one that is not listed gets the operation's documented 404.
    let shown = client
        .show_server()
        .source_id("server-0007")
        .fetch()
        .await
        .unwrap();
    assert_eq!(shown.id.as_deref(), Some("server-0007"));
    let missing = client
        .show_server()
        .source_id("nowhere")
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(missing.code(), Some("SMS.2252"));
    // A parameter the spec gives no x-filter-field is refused, saying so.
    let refused = client.list_servers().ipv6("::1").fetch().await.unwrap_err();
    assert!(refused.message().contains("no x-filter-field"), "{refused}");
}

#[tokio::test]
async fn the_demo_tasks_source_servers_are_listed_and_shown() {
    let fake = FakeService::start(tasks(20)).await;
    let client = client(&fake.base_url());
    let listed = client.list_servers().fetch().await.unwrap();
    let servers = listed.source_servers.as_ref().unwrap();
    // `task` gives seven source servers, src-0 to src-6.
    assert_eq!(listed.count, Some(7));
    let task = client
        .show_task()
        .task_id("task-0003")
        .fetch()
        .await
        .unwrap();
    let server_id = task.source_server.as_ref().unwrap().id.clone().unwrap();
    assert!(
        servers
            .iter()
            .any(|s| s.id.as_deref() == Some(server_id.as_str()))
    );
    let shown = client
        .show_server()
        .source_id(&server_id)
        .fetch()
        .await
        .unwrap();
    let current = shown.current_task.as_ref().unwrap();
    assert_eq!(shown.connected, Some(true));
    assert!(current.id.is_some() && current.state.is_some());
}
