//! `FakeService` acts as the service does, from one state every operation sees: stop, start,
//! restart and delete, each seen through `list_tasks`, `show_task` and a watch, on tokio's
//! paused clock (an afternoon of migration in no real time, the same every run).

use std::time::Duration;

use futures_util::TryStreamExt;
use serde_json::Value;
use sms_api::mock::{FakeService, Lifecycle};
use sms_api::prelude::*;
use sms_api::types::{TaskState, TasksResponseBody};
use sms_api::wait::WatchEvent;

const MINUTE: Duration = Duration::from_secs(60);

fn client(base_url: &str) -> Client {
    Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::iam_token("token"))
        .build()
        .unwrap()
}

async fn listed_state(client: &Client, id: &str) -> Option<TaskState> {
    let page = client
        .list_tasks()
        .id(id)
        .fetch()
        .await
        .unwrap()
        .into_inner();
    page.tasks
        .unwrap_or_default()
        .into_iter()
        .next()
        .and_then(|t| t.state)
}

async fn shown(client: &Client, id: &str) -> sms_api::types::ShowTaskResponse {
    client
        .show_task()
        .task_id(id)
        .fetch()
        .await
        .unwrap()
        .into_inner()
}

async fn shown_state(client: &Client, id: &str) -> Option<TaskState> {
    shown(client, id).await.state
}

/// Task `t0`, and nothing else.
fn task_t0() -> TasksResponseBody {
    let mut task = TasksResponseBody::default();
    task.id = Some("t0".into());
    task
}

/// A fake where `task` migrates, a step of ten minutes each stage, never failing by itself.
async fn migrating(task: TasksResponseBody) -> FakeService {
    let lifecycle = Lifecycle {
        step: MINUTE * 10,
        fail_every: 0,
    };
    FakeService::start_migrating(vec![task], lifecycle).await
}

/// Sleeps until `minutes` after `start` on the paused clock.
async fn at(start: tokio::time::Instant, minutes: u32) {
    tokio::time::sleep_until(start + MINUTE * minutes).await;
}

#[tokio::test(start_paused = true)]
async fn stop_start_restart_and_delete_are_seen_by_every_operation() {
    let start = tokio::time::Instant::now();
    // READY for one step of ten minutes, then RUNNING through seven subtasks.
    let fake = migrating(task_t0()).await;
    let watcher = client(&fake.base_url());
    let actor = client(&fake.base_url());
    let acting = tokio::spawn(async move {
        let act = |operation: &'static str| {
            let actor = actor.clone();
            async move {
                actor
                    .update_task_status()
                    .task_id("t0")
                    .operation(operation)
                    .fetch()
                    .await
            }
        };
        at(start, 35).await;
        assert_eq!(shown_state(&actor, "t0").await, Some(TaskState::Running));
        act("stop").await.unwrap();
        assert_eq!(listed_state(&actor, "t0").await, Some(TaskState::Aborting));
        // An action the state does not allow is the service's 400.
        let refused = act("start").await.unwrap_err();
        assert_eq!(refused.status().map(|s| s.as_u16()), Some(400));
        assert_eq!(refused.code(), Some("SMS.0007"));
        at(start, 45).await;
        assert_eq!(shown_state(&actor, "t0").await, Some(TaskState::Abort));
        at(start, 50).await;
        act("start").await.unwrap();
        // Resumed where it stopped: two subtasks done, the third under way.
        let resumed = shown(&actor, "t0").await;
        assert_eq!(resumed.state, Some(TaskState::Running));
        assert_eq!(resumed.sub_tasks.as_ref().map(Vec::len), Some(3));
        at(start, 55).await;
        act("stop").await.unwrap();
        at(start, 70).await;
        act("restart").await.unwrap();
        // Restarted: its subtasks from the start.
        let restarted = shown(&actor, "t0").await;
        assert_eq!(restarted.state, Some(TaskState::Running));
        assert_eq!(restarted.sub_tasks.as_ref().map(Vec::len), Some(1));
        at(start, 75).await;
        act("stop").await.unwrap();
        at(start, 90).await;
        actor.delete_task().task_id("t0").fetch().await.unwrap();
        assert_eq!(listed_state(&actor, "t0").await, Some(TaskState::Deleting));
        at(start, 101).await;
        assert_eq!(
            listed_state(&actor, "t0").await,
            None,
            "gone from the listing"
        );
        let gone = actor.show_task().task_id("t0").fetch().await.unwrap_err();
        assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
        assert_eq!(gone.code(), Some("SMS.2252"));
    });

    let mut events = watcher.list_tasks().watch(MINUTE).events();
    let mut states = Vec::new();
    while let Some(event) = events.try_next().await.unwrap() {
        match event {
            WatchEvent::Changed { changes, .. } => states.extend(
                changes
                    .into_iter()
                    .filter(|c| c.field == "state")
                    .filter_map(|c| c.new.as_str().map(str::to_owned)),
            ),
            WatchEvent::Disappeared { key, .. } => {
                assert_eq!(key, "t0");
                break;
            }
            _ => {}
        }
    }
    acting.await.unwrap();
    assert_eq!(
        states,
        [
            "RUNNING", "ABORTING", "ABORT", "RUNNING", "ABORTING", "ABORT", "RUNNING", "ABORTING",
            "ABORT", "DELETING"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn unknown_routes_and_malformed_bodies_are_answered_as_the_service_does() {
    let mut task = TasksResponseBody::default();
    task.id = Some("t0".into());
    task.state = Some(TaskState::Ready);
    let fake = FakeService::start(vec![task]).await;
    let http = crate::support::plain_http();
    let unknown = http
        .put(format!("{}/v3/tasks/t0", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error_code"], "APIG.0101");
    let malformed = http
        .post(format!("{}/v3/tasks/t0/action", fake.base_url()))
        .body("{\"operation\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    let body: Value = malformed.json().await.unwrap();
    assert_eq!(body["error_code"], "SMS.0007");
    assert!(
        body["error_msg"]
            .as_str()
            .unwrap()
            .starts_with("the body is not an UpdateTaskStatusReq"),
        "{body}"
    );
    // A task the fake started without a lifecycle runs in steps of a minute.
    let client = client(&fake.base_url());
    client
        .update_task_status()
        .task_id("t0")
        .operation("start")
        .fetch()
        .await
        .unwrap();
    assert_eq!(listed_state(&client, "t0").await, Some(TaskState::Running));
    tokio::time::sleep(MINUTE * 8).await;
    assert_eq!(
        listed_state(&client, "t0").await,
        Some(TaskState::MigrateSuccess)
    );
}

#[tokio::test(start_paused = true)]
async fn each_action_has_a_wait_for_its_outcome_declared_in_the_spec() {
    let start = tokio::time::Instant::now();
    let mut task = task_t0();
    task.state = Some(TaskState::Ready);
    let fake = migrating(task).await;
    let client = client(&fake.base_url());
    let act = |operation: &'static str| {
        let client = client.clone();
        async move {
            client
                .update_task_status()
                .task_id("t0")
                .operation(operation)
                .fetch()
                .await
                .unwrap();
        }
    };
    let show = || client.show_task().task_id("t0");
    at(start, 35).await;
    // Running: the wait after a start ends at its first poll.
    let running = show()
        .wait_until_task_running()
        .wait(MINUTE * 30)
        .await
        .unwrap();
    assert_eq!(running.response().unwrap().state, Some(TaskState::Running));
    // Stopped: ABORTING for a step, then ABORT; the wait polls until then.
    act("stop").await;
    let stopped = show()
        .wait_until_task_stopped()
        .wait(MINUTE * 30)
        .await
        .unwrap();
    assert_eq!(stopped.response().unwrap().state, Some(TaskState::Abort));
    assert!(stopped.polls() > 1, "it polled through ABORTING");
    assert!(tokio::time::Instant::now() >= start + MINUTE * 45);
    // Restarted, it runs again.
    act("restart").await;
    let again = show()
        .wait_until_task_running()
        .wait(MINUTE * 30)
        .await
        .unwrap();
    assert_eq!(again.response().unwrap().state, Some(TaskState::Running));
    // A wait for a stop that never comes ends at its deadline, saying so.
    let timed_out = show()
        .wait_until_task_stopped()
        .wait(MINUTE * 5)
        .await
        .unwrap_err();
    assert_eq!(timed_out.kind(), sms_api::wait::WaitErrorKind::TimedOut);
    // Deleted: DELETING for a step, then ShowTask's 404, the wait's success.
    act("stop").await;
    show()
        .wait_until_task_stopped()
        .wait(MINUTE * 30)
        .await
        .unwrap();
    client.delete_task().task_id("t0").fetch().await.unwrap();
    let deleted = show()
        .wait_until_task_deleted()
        .wait(MINUTE * 30)
        .await
        .unwrap();
    assert!(deleted.polls() > 1, "it polled through DELETING");
    let gone = show().fetch().await.unwrap_err();
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
    // Waiting for a task that does not exist to run ends at once, as not found.
    let missing = client
        .show_task()
        .task_id("t0")
        .wait_until_task_running()
        .wait(MINUTE * 30)
        .await
        .unwrap_err();
    assert_eq!(
        missing.kind(),
        sms_api::wait::WaitErrorKind::NotFound,
        "{missing}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_run_fails_where_the_test_says_a_restarted_one_included() {
    let start = tokio::time::Instant::now();
    let fake = migrating(task_t0()).await;
    let client = client(&fake.base_url());
    // The first run fails half-way through SSL_CONFIG: READY at 0, running from 10 minutes,
    // SSL_CONFIG from 20, failed at 25.
    fake.fail_runs_at("t0", "SSL_CONFIG").unwrap();
    let running = client
        .show_task()
        .task_id("t0")
        .wait_until_task_running()
        .wait(MINUTE * 30)
        .await;
    assert!(running.is_ok(), "it runs first");
    at(start, 26).await;
    let failed = shown(&client, "t0").await;
    assert_eq!(failed.state, Some(TaskState::MigrateFail));
    assert!(
        failed
            .error_json
            .as_deref()
            .unwrap()
            .contains("SSL_CONFIG failed at 50%")
    );
    // Restarted, it fails there again; the wait after the restart says so.
    client
        .update_task_status()
        .task_id("t0")
        .operation("restart")
        .fetch()
        .await
        .unwrap();
    at(start, 45).await;
    let again = client
        .list_tasks()
        .id("t0")
        .wait_until_task_migrated()
        .wait(MINUTE * 60)
        .await
        .unwrap_err();
    assert_eq!(
        again.kind(),
        sms_api::wait::WaitErrorKind::FailureState,
        "{again}"
    );
    assert!(
        again.to_string().contains("SSL_CONFIG failed at 50%"),
        "{again}"
    );
    assert!(tokio::time::Instant::now() < start + MINUTE * 60);
    // A subtask that no migration has, or a task that does not exist, is refused.
    assert!(
        fake.fail_runs_at("t0", "NOPE")
            .unwrap_err()
            .contains("MIGRATE_LINUX_FILE")
    );
    assert!(fake.fail_runs_at("t9", "SSL_CONFIG").is_err());
}

#[tokio::test(start_paused = true)]
async fn any_operation_can_be_waited_on_until_a_condition_of_its_response() {
    use sms_api::wait::{State, WaitErrorKind, Waiter};
    let start = tokio::time::Instant::now();
    let mut task = task_t0();
    let mut source = sms_api::types::SourceServerAssociatedWithTask::default();
    source.id = Some("s0".into());
    task.source_server = Some(source);
    let fake = migrating(task).await;
    let client = client(&fake.base_url());
    // ShowServer declares no waiter: its source server's current task, running.
    let running = Waiter::until(client.show_server().source_id("s0"), |poll| {
        let task = poll.ok()?.current_task.as_ref()?;
        (task.state == Some(TaskState::Running)).then_some(State::Success)
    })
    .wait(MINUTE * 60)
    .await
    .unwrap();
    assert!(running.polls() > 1);
    assert!(
        tokio::time::Instant::now() >= start + MINUTE * 10,
        "READY for ten minutes first"
    );
    // A condition that says failure ends the wait with the response it saw.
    let failed = Waiter::until(client.show_server().source_id("s0"), |_| {
        Some(State::Failure)
    })
    .wait(MINUTE)
    .await
    .unwrap_err();
    assert_eq!(failed.kind(), WaitErrorKind::FailureState);
    assert!(failed.last_response().is_some());
    // One that is never met runs out at the deadline; a missing server's error is the poll's.
    let never = Waiter::until(client.show_server().source_id("s0"), |_| None)
        .wait(MINUTE * 5)
        .await
        .unwrap_err();
    assert_eq!(never.kind(), WaitErrorKind::TimedOut, "{never}");
    let missing = Waiter::until(client.show_server().source_id("nowhere"), |poll| {
        poll.err()
            .filter(|e| e.status().is_some_and(|s| s == 404))
            .map(|_| State::Failure)
    })
    .wait(MINUTE)
    .await
    .unwrap_err();
    assert_eq!(missing.kind(), WaitErrorKind::FailureState);
    assert!(missing.to_string().contains("SMS.2252"), "{missing}");
}
