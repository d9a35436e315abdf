//! The embedded mock's tasks: the spec's documented examples, then a generated data set large
//! enough that `--all` pages for real.

use sms_api::types::DOCUMENTED_EXAMPLES;
use sms_api::types::{
    ListTasksResponse, OsType, SourceServerAssociatedWithTask, SubTaskAssociatedWithTask,
    TaskState, TaskType, TasksResponseBody,
};

/// How many tasks are generated after the documented ones.
pub const GENERATED: usize = 1_200;

/// Tasks to act on, one in each state an action starts from, with IDs the README's examples
/// use: `start demo-ready`, `stop demo-running`, `restart demo-failed`, `delete demo-done`.
pub const DEMO: [(&str, TaskState); 5] = [
    ("demo-ready", TaskState::Ready),
    ("demo-running", TaskState::Running),
    ("demo-failed", TaskState::MigrateFail),
    ("demo-stopped", TaskState::Abort),
    ("demo-done", TaskState::MigrateSuccess),
];

/// The documented tasks, the demo tasks, then the generated ones.
pub fn tasks() -> Vec<TasksResponseBody> {
    let documented = DOCUMENTED_EXAMPLES
        .iter()
        .filter(|e| e.operation_id == "list_tasks" && e.status == 200)
        .filter_map(|e| serde_json::from_str::<ListTasksResponse>(e.json).ok())
        .flat_map(|page| page.tasks.unwrap_or_default());
    let demo = DEMO.iter().enumerate().map(|(i, (id, state))| {
        let mut task = generated(GENERATED + i);
        task.id = Some((*id).to_owned());
        task.name = Some(format!("{id}-server"));
        task.state = Some(state.clone());
        task
    });
    documented
        .chain(demo)
        .chain((0..GENERATED).map(generated))
        .collect()
}

/// A plausible task, the same every run.
fn generated(i: usize) -> TasksResponseBody {
    let states = TaskState::DOCUMENTED;
    let state = states[(i * 7 + i / 13) % states.len()].clone();
    let linux = !i.is_multiple_of(4);
    let created = 1_700_000_000_000 + (i as i64) * 3_600_000 * 7;
    let running = matches!(state, TaskState::Running | TaskState::Syncing);
    let progress = ((i * 37) % 100) as i32;
    let mut source = SourceServerAssociatedWithTask::default();
    source.id = Some(format!("src-{:04}", i % 300));
    source.name = Some(format!("host-{:04}", i % 300));
    let subtask = |name: &str, progress: i32, start: i64, end: Option<i64>| {
        let mut subtask = SubTaskAssociatedWithTask::default();
        subtask.name = Some(name.to_owned());
        subtask.progress = Some(progress);
        subtask.start_date = Some(start);
        subtask.end_date = end;
        subtask
    };
    // Generated types are `#[non_exhaustive]`: built from `Default`, field by field.
    let mut task = TasksResponseBody::default();
    task.id = Some(format!(
        "{:08x}-4d1c-4e7a-9b2f-{:012x}",
        0x5a5a_0000 + i,
        i * 7919
    ));
    task.name = Some(format!(
        "{}-{:04}",
        if linux { "web-prod" } else { "win-app" },
        i
    ));
    task.type_ = Some(if i.is_multiple_of(5) {
        TaskType::MigrateFile
    } else {
        TaskType::MigrateBlock
    });
    task.os_type = Some(if linux {
        OsType::Linux
    } else {
        OsType::Windows
    });
    task.state = Some(state);
    task.create_date = Some(created);
    task.migrate_speed = Some(if running { 20.0 + (i % 90) as f64 } else { 0.0 });
    task.source_server = Some(source);
    task.sub_tasks = Some(vec![
        subtask("CREATE_CLOUD_SERVER", 100, created, Some(created + 600_000)),
        subtask(
            "SSL_CONFIG",
            if running { progress } else { 100 },
            created + 600_000,
            (!running).then_some(created + 7_200_000),
        ),
    ]);
    task
}
