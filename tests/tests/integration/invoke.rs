//! `sms_api::invoke`: any operation of the spec, by its operationId with text inputs, through
//! its typed builder, against the fake: listings give every item, others one document; inputs
//! the spec does not declare, missing required ones and values that do not convert are refused
//! before anything is sent.

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use sms_api::invoke::{Invoked, invoke, operations};
use sms_api::mock::FakeService;
use sms_api::prelude::*;
use sms_api::types::{SourceServersResponseBody, TaskState, TasksResponseBody};

fn client(base_url: &str) -> Client {
    Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::iam_token("token"))
        .build()
        .unwrap()
}

fn task(id: &str, state: TaskState) -> TasksResponseBody {
    let mut task = TasksResponseBody::default();
    task.id = Some(id.into());
    task.name = Some(format!("name-{id}"));
    task.state = Some(state);
    task
}

async fn items(invoked: Invoked<'_>) -> Vec<Value> {
    match invoked {
        Invoked::Items(items) => items.try_collect().await.unwrap(),
        Invoked::Document(document) => panic!("a document where items were due: {document}"),
    }
}

fn document(invoked: Invoked<'_>) -> Value {
    match invoked {
        Invoked::Document(document) => document,
        Invoked::Items(_) => panic!("items where a document was due"),
    }
}

#[tokio::test]
async fn every_operation_of_the_spec_is_listed_with_its_inputs() {
    let ids: Vec<&str> = operations().iter().map(|o| o.id).collect();
    assert_eq!(
        ids,
        [
            "list_servers",
            "show_server",
            "list_tasks",
            "show_task",
            "delete_task",
            "update_task_status"
        ]
    );
    let list = operations().iter().find(|o| o.id == "list_tasks").unwrap();
    let names: Vec<&str> = list.inputs.iter().map(|i| i.name).collect();
    assert!(
        !names.contains(&"limit") && !names.contains(&"offset"),
        "the paginator's: {names:?}"
    );
    let state = list.inputs.iter().find(|i| i.name == "state").unwrap();
    assert!(state.values.contains(&"MIGRATE_FAIL"), "{state:?}");
}

#[tokio::test]
async fn listings_give_every_item_in_order_and_others_one_document() {
    let tasks: Vec<_> = (0..450)
        .map(|i| task(&format!("t{i:03}"), TaskState::Ready))
        .collect();
    let fake = FakeService::start(tasks).await;
    let servers: Vec<_> = (0..300)
        .map(|i| {
            let mut server = SourceServersResponseBody::default();
            server.id = Some(format!("s{i:03}"));
            server
        })
        .collect();
    fake.set_items::<sms_api::builder::ListServers<'_>>(servers);
    let client = client(&fake.base_url());

    let listed = items(invoke(&client, "list_servers", &[]).await.unwrap()).await;
    let ids: Vec<&str> = listed.iter().filter_map(|s| s["id"].as_str()).collect();
    let expected: Vec<String> = (0..300).map(|i| format!("s{i:03}")).collect();
    assert_eq!(ids, expected);

    let named = items(
        invoke(&client, "list_tasks", &[("name", "name-t007")])
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(named.len(), 1);
    assert_eq!(named[0]["id"], json!("t007"));

    let shown = document(
        invoke(&client, "show_task", &[("task_id", "t001")])
            .await
            .unwrap(),
    );
    assert_eq!(shown["name"], json!("name-t001"));

    let started = invoke(
        &client,
        "update_task_status",
        &[("task_id", "t002"), ("operation", "start")],
    )
    .await
    .unwrap();
    assert_eq!(document(started), Value::Null, "no body");
    let shown = document(
        invoke(&client, "show_task", &[("task_id", "t002")])
            .await
            .unwrap(),
    );
    assert_ne!(shown["state"], json!("READY"), "{shown}");
}

#[tokio::test]
async fn typos_are_refused_before_anything_is_sent() {
    let fake = FakeService::start(vec![task("t1", TaskState::Ready)]).await;
    let client = client(&fake.base_url());
    let refused = |error: sms_api::Error, wanted: &str| {
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error}");
        assert!(error.to_string().contains(wanted), "{error}");
        assert_eq!(error.requests_sent(), 0, "{error}");
    };
    refused(
        invoke(&client, "show_tasks", &[]).await.unwrap_err(),
        "the spec has no operation `show_tasks`",
    );
    refused(
        invoke(&client, "show_task", &[("id", "t1")])
            .await
            .unwrap_err(),
        "`show_task` has no input `id`; it has: task_id",
    );
    refused(
        invoke(&client, "update_task_status", &[("task_id", "t1")])
            .await
            .unwrap_err(),
        "`update_task_status` needs its input `operation`",
    );
    refused(
        invoke(
            &client,
            "update_task_status",
            &[("task_id", "t1"), ("operation", "stpo")],
        )
        .await
        .unwrap_err(),
        "input `operation` of `update_task_status`: \"stpo\" is not one of its documented values: start, stop,",
    );
    refused(
        invoke(&client, "list_tasks", &[("state", "RUNING")])
            .await
            .unwrap_err(),
        "\"RUNING\" is not one of its documented values",
    );
    refused(
        invoke(&client, "show_task", &[("task_id", "..")])
            .await
            .unwrap_err(),
        "path parameter `task_id` is `..`",
    );
}
