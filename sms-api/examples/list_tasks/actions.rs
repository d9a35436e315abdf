//! The subcommands that act on tasks: `show ID`, `start ID...`, `stop ID...`, `restart ID...`,
//! `delete ID... --yes`. Each ID gets one line (or, with `--json`, one object); the exit code
//! is the worst outcome: 0 when every action was accepted, 1 when one was refused or failed,
//! [`EXIT_OUTCOME_UNKNOWN`] when one's answer was lost (it may or may not have happened: an
//! action is never sent twice by itself, so look before acting again).

use std::process::ExitCode;

use serde_json::json;
use sms_api::prelude::*;
use sms_api::types::{ShowTaskResponse, TaskOperation};

/// The exit code of an action whose answer was lost.
pub const EXIT_OUTCOME_UNKNOWN: u8 = 6;

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
    },
    /// Stop running tasks (UpdateTaskStatus, operation stop): ABORTING, then ABORT.
    Stop {
        /// The tasks' IDs.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Restart failed or stopped tasks from their first subtask (UpdateTaskStatus, restart).
    Restart {
        /// The tasks' IDs.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Delete tasks (DeleteTask): refused without --yes.
    Delete {
        /// The tasks' IDs.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Yes, delete them.
        #[arg(long)]
        yes: bool,
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
    let (verb, ids, operation) = match action {
        Action::Show { id } => return show(client, &id, json).await,
        Action::Start { ids } => ("start", ids, Some(TaskOperation::Start)),
        Action::Stop { ids } => ("stop", ids, Some(TaskOperation::Stop)),
        Action::Restart { ids } => ("restart", ids, Some(TaskOperation::Restart)),
        Action::Delete { ids, yes: false } => {
            eprintln!(
                "error: delete {} refused: deleting is not undone; add --yes to delete {}",
                ids.join(" "),
                if ids.len() == 1 { "it" } else { "them" }
            );
            return ExitCode::from(2);
        }
        Action::Delete { ids, yes: true } => ("delete", ids, None),
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
    }
    ExitCode::from(worst)
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

    #[test]
    fn each_outcome_has_its_exit_code() {
        assert_eq!(Ended::Accepted.exit_code(), 0);
        assert_eq!(Ended::Gone.exit_code(), 0);
        assert_eq!(Ended::Refused.exit_code(), 1);
        assert_eq!(Ended::Unknown.exit_code(), EXIT_OUTCOME_UNKNOWN);
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
