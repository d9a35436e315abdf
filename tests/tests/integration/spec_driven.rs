//! The spec drives behaviour, not only types: an operation added to the spec gets `fetch()`,
//! typed errors, the hooks, typed mocks, its waiters and the fake's answers with no Rust
//! written for it. Proved by building the crate, unchanged, from a spec with two more
//! operations (one that declares two waiters, and a removal of a listed source server), and
//! calling them from a downstream crate.
//!
//! The first run builds the scratch workspace's dependencies (about a minute here); later runs
//! rebuild only what the spec changes. `#[ignore]`d in the default test run; CI runs it.

use crate::scratch;

use scratch::Scratch;
use serde_json::json;

/// The workspace's spec plus `GET /v3/task-summaries/{task_id}` (`show_task_summary`, an
/// operation the spec does not have), answering one task or a 404, with a waiter on its state
/// and one for its disappearance; and `DELETE /v3/sources/{source_id}` (`delete_server`, no
/// content), which the fake serves by removing the listed server.
fn spec_with_a_new_operation() -> serde_json::Value {
    let mut spec = scratch::spec();
    spec["paths"]["/v3/task-summaries/{task_id}"] = json!({
        "get": {
            "operationId": "show_task_summary",
            "summary": "Show one migration task",
            "description": "Shows the migration task with this ID.",
            "parameters": [{
                "name": "task_id",
                "in": "path",
                "required": true,
                "description": "The task's ID.",
                "schema": {"type": "string", "maxLength": 255}
            }],
            "responses": {
                "200": {
                    "description": "The task.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TasksResponseBody"}}}
                },
                "404": {
                    "description": "No task has this ID.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
                }
            },
            "x-waiters": {
                "TaskRunning": {
                    "documentation": "Waits until the task runs.",
                    "minDelay": 1,
                    "maxDelay": 2,
                    "acceptors": [
                        {"state": "failure", "matcher": {"output": {"path": "state", "expected": "MIGRATE_FAIL", "comparator": "stringEquals"}}},
                        {"state": "success", "matcher": {"output": {"path": "state", "expected": "RUNNING", "comparator": "stringEquals"}}}
                    ]
                },
                "TaskGone": {
                    "documentation": "Waits until no task has this ID.",
                    "acceptors": [
                        {"state": "success", "matcher": {"errorType": "SMS.2252"}},
                        {"state": "retry", "matcher": {"success": true}}
                    ]
                }
            }
        }
    });
    spec["paths"]["/v3/sources/{source_id}"]["delete"] = json!({
        "operationId": "delete_server",
        "summary": "Delete a source server",
        "description": "Deletes the source server with this ID.",
        "parameters": [{
            "name": "source_id",
            "in": "path",
            "required": true,
            "description": "The source server's ID.",
            "schema": {"type": "string", "maxLength": 255}
        }],
        "responses": {
            "200": {"description": "Deleted."},
            "404": {
                "description": "No source server has this ID.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
            }
        }
    });
    spec
}

const DOWNSTREAM: &str = r#"
use std::time::Duration;

use futures_util::TryStreamExt;
use sms_api::mock::httpmock::MockServer;
use sms_api::mock::{FakeService, MockServerExt};
use sms_api::prelude::*;
use sms_api::types::{ErrorResponse, SourceServersResponseBody, TaskState, TasksResponseBody};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let server = MockServer::start_async().await;
    let mut one = TasksResponseBody::default();
    one.id = Some("t-1".into());
    one.name = Some("one".into());
    one.state = Some(TaskState::Running);
    server.show_task_summary(|when, then| {
        when.task_id("t-1");
        then.ok(&one);
    });
    server.show_task_summary(|when, then| {
        when.task_id("missing");
        let mut not_found = ErrorResponse::default();
        not_found.error_code = Some("SMS.2252".into());
        not_found.error_msg = Some("No task has this ID.".into());
        then.not_found(&not_found).into_inner().header("x-request-id", "rid-404");
    });
    let client = Client::builder()
        .endpoint(server.base_url())
        .credentials(Credentials::iam_token("token"))
        .build()
        .unwrap();

    let task = client.show_task_summary().task_id("t-1").fetch().await.unwrap().into_inner();
    println!("task {} {}", task.id.unwrap(), task.name.unwrap());

    // The spec's waiters, as methods of the new operation's builder.
    let running = client.show_task_summary().task_id("t-1").wait_until_task_running().wait(Duration::from_secs(5)).await.unwrap();
    println!("running after {} poll", running.polls());
    let gone = client.show_task_summary().task_id("missing").wait_until_task_gone().wait(Duration::from_secs(5)).await.unwrap();
    println!("gone: {}", gone.response().is_none());

    let error: sms_api::Error = client.show_task_summary().task_id("missing").fetch().await.unwrap_err();
    println!(
        "error {:?} {} {} {}",
        error.kind(),
        error.status().unwrap().as_u16(),
        error.code().unwrap(),
        error.request_id().unwrap()
    );

    let tasks = (0..450)
        .map(|i| {
            let mut task = TasksResponseBody::default();
            task.id = Some(format!("t{i}"));
            task
        })
        .collect();
    let fake = FakeService::start(tasks).await;
    let client = Client::builder()
        .endpoint(fake.base_url())
        .credentials(Credentials::iam_token("token"))
        .build()
        .unwrap();
    let pages: Vec<_> = client.list_tasks().paginate().by_page().try_collect().await.unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.tasks.as_ref().map_or(0, Vec::len)).collect();
    println!("pages {sizes:?}");

    // The fake serves the removal from the spec alone: the server leaves the listing.
    let servers = ["s-1", "s-2", "s-3"]
        .map(|id| {
            let mut server = SourceServersResponseBody::default();
            server.id = Some(id.into());
            server
        })
        .to_vec();
    fake.set_items::<sms_api::builder::ListServers<'_>>(servers);
    client.delete_server().source_id("s-2").fetch().await.unwrap();
    let again = client.delete_server().source_id("s-2").fetch().await.unwrap_err();
    let shown = client.show_server().source_id("s-2").fetch().await.unwrap_err();
    let left: Vec<String> = client
        .list_servers()
        .paginate()
        .by_item()
        .map_ok(|s| s.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    println!(
        "deleted: again {} shown {} left {left:?}",
        again.status().unwrap().as_u16(),
        shown.status().unwrap().as_u16()
    );
}
"#;

#[test]
#[ignore = "builds and runs a scratch workspace with cargo (about a minute): `cargo test -p sms-api-tests --test spec_driven -- --ignored`; CI runs it"]
fn an_operation_added_to_the_spec_gets_fetch_errors_and_mocks_with_no_rust_written() {
    let _clean_up = scratch::CleanUp::hold();
    let scratch = Scratch::new(
        "show-task",
        &spec_with_a_new_operation(),
        r#"sms-api = { path = "../sms-api", default-features = false, features = ["mock"] }
tokio = { version = "1", features = ["macros", "rt"] }
futures-util = { version = "0.3", default-features = false }"#,
        DOWNSTREAM,
    );
    let stdout = scratch.run_downstream();
    // 450 tasks at the default page size, the spec's maximum.
    let max = <sms_api::builder::ListTasks<'_> as sms_api::paging::Paginated>::MAX_PAGE_SIZE;
    let max = usize::try_from(max).unwrap();
    let pages: Vec<usize> = (0..450).step_by(max).map(|s| (450 - s).min(max)).collect();
    assert_eq!(
        stdout,
        format!(
            "task t-1 one\nrunning after 1 poll\ngone: true\nerror Service 404 SMS.2252 rid-404\npages {pages:?}\n\
             deleted: again 404 shown 404 left [\"s-1\", \"s-3\"]\n"
        )
    );
}
