//! A watch of tasks that migrate, on tokio's paused clock against `FakeService`: each subtask's
//! progress is reported as it moves, in order and never backwards, then the end state; hours of
//! migration in no real time, the same every run.

use std::time::Duration;

use futures_util::TryStreamExt;
use serde_json::Value;
use sms_api::mock::{FakeService, Lifecycle, SUBTASKS};
use sms_api::prelude::*;
use sms_api::types::TasksResponseBody;
use sms_api::wait::{WatchEvent, element_of};

#[tokio::test(start_paused = true)]
async fn a_watch_reports_each_subtasks_progress_then_the_end_state() {
    let mut task = TasksResponseBody::default();
    task.id = Some("t0".into());
    let lifecycle = Lifecycle {
        step: Duration::from_secs(600),
        fail_every: 0,
    };
    let fake = FakeService::start_migrating(vec![task], lifecycle).await;
    let client = Client::builder()
        .endpoint(fake.base_url())
        .credentials(Credentials::iam_token("token"))
        .build()
        .unwrap();
    let mut events = client.list_tasks().watch(Duration::from_secs(120)).events();
    let mut progress: Vec<(String, i64)> = Vec::new();
    let mut states = Vec::new();
    while let Some(event) = events.try_next().await.unwrap() {
        let WatchEvent::Changed { changes, .. } = event else {
            continue;
        };
        for change in changes {
            match (element_of(&change.field), &change.new) {
                (Some((name, "progress")), Value::Number(n)) => {
                    progress.push((name.to_owned(), n.as_i64().unwrap()))
                }
                _ if change.field == "state" => states.push(change.new.clone()),
                _ => {}
            }
        }
        if states.last() == Some(&Value::from("MIGRATE_SUCCESS")) {
            break;
        }
    }
    assert_eq!(
        states,
        [Value::from("RUNNING"), Value::from("MIGRATE_SUCCESS")]
    );
    // Every subtask was seen, in the order SMS runs them, each ending at 100, never going back.
    let mut order: Vec<&str> = Vec::new();
    for (name, _) in &progress {
        if !order.contains(&name.as_str()) {
            order.push(name);
        }
    }
    assert_eq!(order, SUBTASKS, "{progress:?}");
    for subtask in SUBTASKS {
        let values: Vec<i64> = progress
            .iter()
            .filter(|(name, _)| name == subtask)
            .map(|(_, p)| *p)
            .collect();
        assert!(
            values.windows(2).all(|w| w[0] <= w[1]),
            "{subtask}: {values:?}"
        );
        assert_eq!(values.last(), Some(&100), "{subtask}: {values:?}");
        assert!(values.len() >= 3, "{subtask}: seen moving, {values:?}");
    }
}
