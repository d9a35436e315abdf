//! The subcommands that act on tasks: `show ID`, `start ID...`, `stop ID...`, `restart ID...`,
//! `delete ID... --yes`. Each ID gets one line (or, with `--json`, one object); the exit code
//! is the worst outcome: 0 when every action was accepted, 1 when one was refused or failed,
//! [`EXIT_OUTCOME_UNKNOWN`] when one's answer was lost (it may or may not have happened: an
//! action is never sent twice by itself, so look before acting again).

use std::process::ExitCode;

use serde_json::json;
use sms_api::prelude::*;
use sms_api::types::{ShowTaskResponse, TaskOperation};
use sms_api::wait::WaitErrorKind;

/// The exit code of an action whose answer was lost.
pub const EXIT_OUTCOME_UNKNOWN: u8 = 6;

/// `--wait [MAX]`: after an accepted action, wait until the task got where the action takes it,
/// by the spec's waiter on ShowTask (start and restart: running; stop: stopped; delete: gone).
#[derive(clap::Args, Debug, Clone, PartialEq, Eq, Default)]
pub struct WaitFor {
    /// Wait until the task got there (at most this long: 200ms, 30s, 5m, 1h30m; default 1h);
    /// exit 3 when it ended elsewhere (failed, stopped), 4 when the time ran out, 5 when the
    /// task does not exist.
    #[arg(long, value_parser = crate::waiting::parse_duration, num_args = 0..=1, default_missing_value = "1h")]
    pub wait: Option<std::time::Duration>,
}

/// An action on tasks, from the command line.
#[derive(clap::Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Show one task in full (ShowTask): its servers, disks, subtasks and progress.
    Show {
        /// The task's ID.
        id: String,
    },
    /// Start tasks that are READY or stopped (UpdateTaskStatus, operation start).
    Start {
        /// The tasks' IDs.
        #[arg(required = true)]
        ids: Vec<String>,
        #[command(flatten)]
        wait: WaitFor,
    },
    /// Stop running tasks (UpdateTaskStatus, operation stop): ABORTING, then ABORT.
    Stop {
        /// The tasks' IDs.
        #[arg(required = true)]
        ids: Vec<String>,
        #[command(flatten)]
        wait: WaitFor,
    },
    /// Restart failed or stopped tasks from their first subtask (UpdateTaskStatus, restart).
    Restart {
        /// The tasks' IDs.
        #[arg(required = true)]
        ids: Vec<String>,
        #[command(flatten)]
        wait: WaitFor,
    },
    /// Delete tasks (DeleteTask): refused without --yes.
    Delete {
        /// The tasks' IDs.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Yes, delete them.
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        wait: WaitFor,
    },
}

/// How one action on one task ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ended {
    Accepted,
    /// A delete that found the task already gone after a lost answer.
    Gone,
    Refused,
    /// The answer was lost: it may or may not have happened.
    Unknown,
}

impl Ended {
    fn word(self) -> &'static str {
        match self {
            Ended::Accepted => "accepted",
            Ended::Gone => "gone",
            Ended::Refused => "refused",
            Ended::Unknown => "unknown",
        }
    }

    fn of(error: &Error) -> Ended {
        match error.kind() {
            ErrorKind::Gone => Ended::Gone,
            ErrorKind::OutcomeUnknown => Ended::Unknown,
            _ => Ended::Refused,
        }
    }

    fn exit_code(self) -> u8 {
        match self {
            Ended::Accepted | Ended::Gone => 0,
            Ended::Refused => 1,
            Ended::Unknown => EXIT_OUTCOME_UNKNOWN,
        }
    }
}

/// Carries out `action`; the exit code. A delete without `--yes` is refused before anything
/// is sent (exit 2).
pub async fn run(client: &Client, action: Action, json: bool) -> ExitCode {
    let (verb, ids, operation, wait) = match action {
        Action::Show { id } => return show(client, &id, json).await,
        Action::Start { ids, wait } => ("start", ids, Some(TaskOperation::Start), wait),
        Action::Stop { ids, wait } => ("stop", ids, Some(TaskOperation::Stop), wait),
        Action::Restart { ids, wait } => ("restart", ids, Some(TaskOperation::Restart), wait),
        Action::Delete {
            ids, yes: false, ..
        } => {
            eprintln!(
                "error: delete {} refused: deleting is not undone; add --yes to delete {}",
                ids.join(" "),
                if ids.len() == 1 { "it" } else { "them" }
            );
            return ExitCode::from(2);
        }
        Action::Delete {
            ids,
            yes: true,
            wait,
        } => ("delete", ids, None, wait),
    };
    let mut worst = 0;
    for id in &ids {
        let result = match &operation {
            Some(operation) => client
                .update_task_status()
                .task_id(id.as_str())
                .operation(operation.clone())
                .fetch()
                .await
                .map(|r| r.request_id().map(str::to_owned)),
            None => client
                .delete_task()
                .task_id(id.as_str())
                .fetch()
                .await
                .map(|r| r.request_id().map(str::to_owned)),
        };
        let (ended, request_id, error) = match result {
            Ok(request_id) => (Ended::Accepted, request_id, None),
            Err(error) => (
                Ended::of(&error),
                error.request_id().map(str::to_owned),
                Some(error),
            ),
        };
        // What the task is now, as the service shows it (the action visibly took).
        let now = match ended {
            Ended::Accepted => client
                .show_task()
                .task_id(id.as_str())
                .fetch()
                .await
                .ok()
                .and_then(|t| t.into_inner().state)
                .map(|s| s.as_str().to_owned()),
            _ => None,
        };
        report(
            id,
            verb,
            ended,
            request_id.as_deref(),
            now.as_deref(),
            error.as_ref(),
            json,
        );
        worst = worst.max(ended.exit_code());
        if let (Ended::Accepted, Some(max_wait)) = (ended, wait.wait) {
            worst = worst.max(wait_for(client, id, verb, max_wait, json).await);
        }
    }
    ExitCode::from(worst)
}

/// Waits, by the spec's waiter for `verb`'s outcome, until task `id` got there; its exit code.
async fn wait_for(
    client: &Client,
    id: &str,
    verb: &str,
    max_wait: std::time::Duration,
    json: bool,
) -> u8 {
    let show = client.show_task().task_id(id);
    let waiter = match verb {
        "start" | "restart" => show.wait_until_task_running(),
        "stop" => show.wait_until_task_stopped(),
        _ => show.wait_until_task_deleted(),
    };
    let (code, outcome) = match waiter.wait(max_wait).await {
        // A delete's wait ends on ShowTask's "not found": its last response is from before.
        Ok(_) if verb == "delete" => (0, Ok("gone".to_owned())),
        Ok(done) => {
            let state = done.response().and_then(|t| t.state.as_ref());
            (0, Ok(state.map_or("unknown", |s| s.as_str()).to_owned()))
        }
        Err(error) => {
            let code = match error.kind() {
                WaitErrorKind::FailureState => crate::waiting::EXIT_FAILURE_STATE,
                WaitErrorKind::TimedOut => crate::waiting::EXIT_TIMED_OUT,
                WaitErrorKind::NotFound => crate::waiting::EXIT_NOT_FOUND,
                _ => 1,
            };
            (code, Err(error.to_string()))
        }
    };
    match (json, outcome) {
        (true, outcome) => println!(
            "{}",
            json!({"id": id, "waited_for": verb, "state": outcome.as_ref().ok(), "error": outcome.as_ref().err()})
        ),
        (false, Ok(state)) => println!("{id}: {verb} done: {state}"),
        (false, Err(error)) => eprintln!("{id}: waiting after {verb}: {error}"),
    }
    code
}

/// One line, or one JSON object, for one action on one task.
fn report(
    id: &str,
    verb: &str,
    ended: Ended,
    request_id: Option<&str>,
    now: Option<&str>,
    error: Option<&Error>,
    json: bool,
) {
    if json {
        let line = json!({
            "id": id,
            "action": verb,
            "outcome": ended.word(),
            "state": now,
            "request_id": request_id,
            "code": error.and_then(Error::code),
            "error": error.map(ToString::to_string),
        });
        println!("{line}");
        return;
    }
    let request = request_id
        .map(|r| format!(" (request {r})"))
        .unwrap_or_default();
    match (ended, error) {
        (Ended::Accepted, _) => {
            let now = now.map(|s| format!("; now {s}")).unwrap_or_default();
            println!("{id}: {verb} accepted{request}{now}");
        }
        (Ended::Gone, _) => println!("{id}: already gone{request}"),
        (Ended::Unknown, Some(error)) => {
            eprintln!("{id}: {verb}: {error}");
            eprintln!(
                "{id}: the {verb} may or may not have happened: run `show {id}` before trying again"
            );
        }
        (_, Some(error)) => eprintln!("{id}: {verb} refused: {error}"),
        (_, None) => eprintln!("{id}: {verb} {}", ended.word()),
    }
}

/// `show ID`: the task in full.
async fn show(client: &Client, id: &str, json: bool) -> ExitCode {
    match client.show_task().task_id(id).fetch().await {
        Ok(task) => {
            let task = task.into_inner();
            if json {
                println!("{}", serde_json::to_string(&task).unwrap_or_default());
            } else {
                print!("{}", describe(&task));
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A task as lines of `field: value`, then its subtasks.
fn describe(task: &ShowTaskResponse) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let mut out = String::new();
    let mut line = |name: &str, value: String| out.push_str(&format!("{name:<12} {value}\n"));
    line("id", text(&task.id));
    line("name", text(&task.name));
    line(
        "state",
        task.state
            .as_ref()
            .map_or("-".into(), |s| s.as_str().to_owned()),
    );
    line("subtask", text(&task.subtask_info));
    line(
        "source",
        task.source_server.as_ref().map_or("-".into(), |s| {
            format!("{} ({})", text(&s.name), text(&s.ip))
        }),
    );
    line(
        "target",
        task.target_server.as_ref().map_or("-".into(), |s| {
            format!("{} ({})", text(&s.name), text(&s.ip))
        }),
    );
    line(
        "time left",
        task.remain_seconds
            .map_or("-".into(), |s| format!("{}m{:02}s", s / 60, s % 60)),
    );
    if let Some(error) = task.error_json.as_deref().filter(|e| !e.is_empty()) {
        line("error", error.to_owned());
    }
    for subtask in task.sub_tasks.iter().flatten() {
        line(
            "  subtask",
            format!(
                "{} {}%",
                text(&subtask.name),
                subtask.progress.unwrap_or_default()
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_exit_code_is_the_worst_outcome_of_the_ids_given() {
        use sms_api::mock::FakeService;
        use sms_api::types::{TaskState, TasksResponseBody};
        let task = |id: &str, state| {
            let mut task = TasksResponseBody::default();
            task.id = Some(id.into());
            task.state = Some(state);
            task
        };
        let fake = FakeService::start(vec![
            task("ready", TaskState::Ready),
            task("stopped", TaskState::Abort),
            task("done", TaskState::MigrateSuccess),
        ])
        .await;
        let client = Client::builder()
            .endpoint(fake.base_url())
            .credentials(Credentials::iam_token("t"))
            .build()
            .unwrap();
        let start = |ids: &[&str]| Action::Start {
            ids: ids.iter().map(|id| (*id).to_owned()).collect(),
            wait: WaitFor::default(),
        };
        assert_eq!(
            run(&client, start(&["ready"]), true).await,
            ExitCode::SUCCESS
        );
        // Refused (a finished task cannot start), beside one accepted: 1.
        assert_eq!(
            run(&client, start(&["done", "stopped"]), true).await,
            ExitCode::from(1)
        );
        // An answer lost (a 503 on the action), beside one refused: the worst, 6.
        fake.fail_next(
            1,
            503,
            serde_json::json!({"error_code": "SMS.9999", "error_msg": "busy"}),
        );
        assert_eq!(
            run(&client, start(&["ready", "done"]), true).await,
            ExitCode::from(EXIT_OUTCOME_UNKNOWN)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn wait_ends_where_the_action_took_the_task_with_the_waits_exit_codes() {
        use sms_api::mock::{FakeService, Lifecycle};
        use sms_api::types::{TaskState, TasksResponseBody};
        const MINUTE: std::time::Duration = std::time::Duration::from_secs(60);
        let mut task = TasksResponseBody::default();
        task.id = Some("t0".into());
        task.state = Some(TaskState::Running);
        let lifecycle = Lifecycle {
            step: MINUTE * 10,
            fail_every: 0,
        };
        let fake = FakeService::start_migrating(vec![task], lifecycle).await;
        let client = Client::builder()
            .endpoint(fake.base_url())
            .credentials(Credentials::iam_token("t"))
            .build()
            .unwrap();
        // Running, never stopped: a wait for "stopped" runs out (4).
        assert_eq!(wait_for(&client, "t0", "stop", MINUTE, false).await, 4);
        client
            .update_task_status()
            .task_id("t0")
            .operation(TaskOperation::Stop)
            .fetch()
            .await
            .unwrap();
        assert_eq!(wait_for(&client, "t0", "stop", MINUTE * 30, false).await, 0);
        // Stopped, a wait for "running" ends at once on the failure state (3).
        assert_eq!(
            wait_for(&client, "t0", "start", MINUTE * 30, false).await,
            3
        );
        // No such task: not found (5).
        assert_eq!(wait_for(&client, "t9", "start", MINUTE * 30, true).await, 5);
        let parsed = <crate::args::Args as clap::Parser>::try_parse_from([
            "list_tasks",
            "stop",
            "t0",
            "--wait",
        ])
        .unwrap();
        assert_eq!(
            parsed.action,
            Some(Action::Stop {
                ids: vec!["t0".into()],
                wait: WaitFor {
                    wait: Some(MINUTE * 60)
                }
            })
        );
    }

    #[test]
    fn a_task_is_described_field_by_field_then_its_subtasks() {
        let documented = sms_api::types::DOCUMENTED_EXAMPLES
            .iter()
            .find(|e| e.operation_id == "show_task" && e.status == 200)
            .unwrap();
        let task: ShowTaskResponse = serde_json::from_str(documented.json).unwrap();
        let text = describe(&task);
        assert!(text.starts_with("id           "), "{text}");
        assert!(text.contains("\nstate        RUNNING\n"), "{text}");
        assert!(
            text.contains("  subtask    MIGRATE_LINUX_FILE 40%"),
            "{text}"
        );
    }
}
