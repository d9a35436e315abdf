//! What the spec says to derive from a task (`x-json-text`, `x-current-element`): its error,
//! decoded from `error_json`, and the subtask under way, on the fake's migrating tasks and on
//! the documented ShowTask body.

use std::time::Duration;

use sms_api::mock::{FakeService, Lifecycle};
use sms_api::prelude::*;
use sms_api::types::{ShowTaskResponse, TaskState, TasksResponseBody};

#[tokio::test(start_paused = true)]
async fn a_failed_task_names_its_subtask_and_its_decoded_error() {
    let tasks: Vec<TasksResponseBody> = (0..2)
        .map(|i| {
            let mut task = TasksResponseBody::default();
            task.id = Some(format!("t{i}"));
            task
        })
        .collect();
    // Every second task fails half-way through copying the files.
    let lifecycle = Lifecycle {
        step: Duration::from_secs(60),
        fail_every: 2,
    };
    let fake = FakeService::start_migrating(tasks, lifecycle).await;
    let client = Client::builder()
        .endpoint(fake.base_url())
        .credentials(Credentials::iam_token("t"))
        .build()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(60 * 4) + Duration::from_secs(20)).await;
    let page = client.list_tasks().fetch().await.unwrap().into_inner();
    let tasks = page.tasks.unwrap();
    let running = &tasks[0];
    assert_eq!(running.state, Some(TaskState::Running));
    let current = running.current_subtask().unwrap();
    assert_eq!(current.name.as_deref(), Some("FORMAT_DISK_LINUX_FILE"));
    assert!(
        running.error().is_none(),
        "no error_json: {:?}",
        running.error_json
    );

    tokio::time::sleep(Duration::from_secs(60 * 4)).await;
    let page = client
        .list_tasks()
        .id("t1")
        .fetch()
        .await
        .unwrap()
        .into_inner();
    let failed = &page.tasks.unwrap()[0];
    assert_eq!(failed.state, Some(TaskState::MigrateFail));
    let at = failed.current_subtask().unwrap();
    assert_eq!(
        (at.name.as_deref(), at.progress),
        (Some("MIGRATE_LINUX_FILE"), Some(50))
    );
    let error = failed.error().unwrap().unwrap();
    assert_eq!(error.error_code.as_deref(), Some("SMS.6801"));

    // Text that is not JSON is kept as it came.
    let mut odd = TasksResponseBody::default();
    odd.error_json = Some("disk full".to_owned());
    assert_eq!(odd.error().unwrap().unwrap_err(), "disk full");
}

#[test]
fn the_documented_show_task_body_is_under_way_in_its_second_subtask() {
    let documented = sms_api::types::DOCUMENTED_EXAMPLES
        .iter()
        .find(|e| e.operation_id == "show_task" && e.status == 200)
        .unwrap();
    let task: ShowTaskResponse = serde_json::from_str(documented.json).unwrap();
    let current = task.current_subtask().unwrap();
    assert_eq!(current.name.as_deref(), Some("MIGRATE_LINUX_FILE"));
    assert!(task.error().is_none(), "an empty error_json is no error");
}
