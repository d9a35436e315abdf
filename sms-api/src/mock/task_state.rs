//! The fake's tasks: one state that every operation reads and acts on, on the tokio clock of
//! the runtime that started the fake. Listing and showing read it; `update_task_status` and
//! `delete_task` move it, as the service does.
//!
//! Which action each state allows, and what follows, is the table of the `mock` module's docs
//! (the reference documents the states a stopped or deleted task passes through, not which
//! states allow which action: that is the fake's choice). An action it does not allow is
//! refused with HTTP 400 `SMS.0007` saying why. A run a user starts never fails; it takes the
//! lifecycle of [`FakeService::start_migrating`](super::FakeService::start_migrating), or steps
//! of one minute when the fake was started without one.

use std::borrow::Cow;
use std::time::Duration;

use tokio::time::Instant;

use super::lifecycle::{Lifecycle, Run};
use crate::types::{ShowTaskResponse, TaskOperation, TaskState, TasksResponseBody};

/// How runs a user starts go when the fake was given no lifecycle.
const ACTION_LIFECYCLE: Lifecycle = Lifecycle {
    step: Duration::from_secs(60),
    fail_every: 0,
};

/// Why the fake refuses a request: the status and the service's error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl Refusal {
    /// The service's "no such task" (404 `SMS.2252`).
    pub(crate) fn no_task(id: &str) -> Refusal {
        Refusal {
            status: 404,
            code: "SMS.2252",
            message: format!("the task {id} does not exist"),
        }
    }

    /// A malformed request (400 `SMS.0007`).
    pub(crate) fn invalid(message: String) -> Refusal {
        Refusal {
            status: 400,
            code: "SMS.0007",
            message,
        }
    }
}

/// Where one task is.
#[derive(Clone, Copy, Debug)]
enum Phase {
    /// As given, unchanging.
    AsGiven,
    /// Migrating on `run` since `since`.
    Migrating { run: Run, since: Instant },
    /// Stopped at `at` (the task frozen as it was then): `ABORTING` for one step, then
    /// `ABORT`. `resume` is the run and how far it got, for a later `start`.
    Stopped {
        at: Instant,
        resume: Option<(Run, Duration)>,
    },
    /// Deleted at `at`: `DELETING` for one step, then gone.
    Deleted { at: Instant },
}

struct Entry {
    /// The task as given, or as frozen when it was stopped or deleted.
    task: TasksResponseBody,
    phase: Phase,
    /// Where a test said its runs fail (an index of `SUBTASKS`): the current one, and every
    /// one a start or restart begins after.
    fails_at: Option<usize>,
}

/// Every task of the fake, and how they move.
pub(crate) struct Tasks {
    entries: Vec<Entry>,
    lifecycle: Option<Lifecycle>,
    /// When the fake began, by tokio's clock and the wall clock (milliseconds since the epoch):
    /// the dates of answers derive from it.
    began: Instant,
    began_ms: i64,
}

impl Tasks {
    /// `tasks`, as given or, with a `lifecycle`, migrating from now.
    pub(crate) fn new(
        tasks: Vec<TasksResponseBody>,
        lifecycle: Option<Lifecycle>,
        began_ms: i64,
    ) -> Tasks {
        let mut state = Tasks {
            entries: Vec::new(),
            lifecycle,
            began: Instant::now(),
            began_ms,
        };
        state.replace(tasks);
        state
    }

    /// Replaces every task (each on its first run, with a lifecycle, as if since the start).
    pub(crate) fn replace(&mut self, tasks: Vec<TasksResponseBody>) {
        let (began, lifecycle) = (self.began, self.lifecycle);
        self.entries = tasks
            .into_iter()
            .enumerate()
            .map(|(index, task)| Entry {
                task,
                fails_at: None,
                phase: match lifecycle {
                    Some(lifecycle) => Phase::Migrating {
                        run: lifecycle.first_run(index),
                        since: began,
                    },
                    None => Phase::AsGiven,
                },
            })
            .collect();
    }

    /// Whether the tasks are the same at any time (answers may then be cached).
    pub(crate) fn unchanging(&self) -> bool {
        self.entries
            .iter()
            .all(|e| matches!(e.phase, Phase::AsGiven))
    }

    /// Every task as it is at `now`, in order, the deleted ones gone: a task as given is
    /// borrowed (a listing of a large fake copies only its page), one that moves is made anew.
    pub(crate) fn list(&self, now: Instant) -> Vec<Cow<'_, TasksResponseBody>> {
        self.entries
            .iter()
            .filter_map(|e| match e.phase {
                Phase::AsGiven => Some(Cow::Borrowed(&e.task)),
                _ => self.view(e, now).map(Cow::Owned),
            })
            .collect()
    }

    /// The task `id` as ShowTask answers it at `now`.
    pub(crate) fn show(&self, id: &str, now: Instant) -> Result<ShowTaskResponse, Refusal> {
        let (_, task) = self.current(id, now)?;
        Ok(show_task(&task, self.wall_ms(now)))
    }

    /// `operation` on the task `id` at `now`.
    pub(crate) fn act(
        &mut self,
        id: &str,
        operation: &TaskOperation,
        now: Instant,
    ) -> Result<(), Refusal> {
        let (index, current) = self.current(id, now)?;
        let state = current.state.clone().unwrap_or(TaskState::Ready);
        let refuse = |allowed: &str| {
            Err(Refusal::invalid(format!(
                "the task {id} is {}: `{}` is allowed only from {allowed}",
                state.as_str(),
                operation.as_str()
            )))
        };
        let phase = self.entries[index].phase;
        let fails_at = self.entries[index].fails_at;
        let new_phase = match operation {
            TaskOperation::Start => match state {
                TaskState::Ready => Phase::Migrating {
                    run: Run::started(index, fails_at),
                    since: now,
                },
                TaskState::Abort => match phase {
                    // A stopped task resumes where it stopped.
                    Phase::Stopped {
                        resume: Some((run, done)),
                        ..
                    } => Phase::Migrating {
                        run: Run {
                            fails_at: fails_at.or(run.fails_at),
                            ..run
                        },
                        since: now.checked_sub(done).unwrap_or(now),
                    },
                    _ => Phase::Migrating {
                        run: Run::started(index, fails_at),
                        since: now,
                    },
                },
                _ => return refuse("READY or ABORT"),
            },
            TaskOperation::Stop => match state {
                TaskState::Ready | TaskState::Running | TaskState::Syncing => {
                    self.entries[index].task = current;
                    Phase::Stopped {
                        at: now,
                        resume: match phase {
                            Phase::Migrating { run, since } => Some((run, now - since)),
                            _ => None,
                        },
                    }
                }
                _ => return refuse("READY, RUNNING or SYNCING"),
            },
            TaskOperation::Restart => match state {
                TaskState::MigrateFail | TaskState::Abort => {
                    let mut fresh = current;
                    fresh.sub_tasks = None;
                    fresh.error_json = None;
                    self.entries[index].task = fresh;
                    Phase::Migrating {
                        run: Run::started(index, fails_at),
                        since: now,
                    }
                }
                _ => return refuse("MIGRATE_FAIL or ABORT"),
            },
            TaskOperation::UnknownValue(unknown) => {
                return Err(Refusal::invalid(format!(
                    "`{}` is not an operation of UpdateTaskStatus",
                    unknown.value()
                )));
            }
            // Tests, cutovers, checks... are accepted and change nothing here.
            _ => phase,
        };
        self.entries[index].phase = new_phase;
        Ok(())
    }

    /// Makes the task `id`'s runs fail half-way through subtask `subtask` (an index of
    /// `SUBTASKS`): the one under way, if it has not got past it, and every one begun later.
    pub(crate) fn fail_runs_at(
        &mut self,
        id: &str,
        subtask: usize,
        now: Instant,
    ) -> Result<(), Refusal> {
        let index = self.position(id, now).ok_or_else(|| Refusal::no_task(id))?;
        let entry = &mut self.entries[index];
        entry.fails_at = Some(subtask);
        if let Phase::Migrating { run, .. } = &mut entry.phase {
            run.fails_at = Some(subtask);
        }
        Ok(())
    }

    /// Deletes the task `id` at `now`.
    pub(crate) fn delete(&mut self, id: &str, now: Instant) -> Result<(), Refusal> {
        let (index, current) = self.current(id, now)?;
        let state = current.state.clone().unwrap_or(TaskState::Ready);
        if matches!(
            state,
            TaskState::Running | TaskState::Syncing | TaskState::Aborting | TaskState::Deleting
        ) {
            return Err(Refusal::invalid(format!(
                "the task {id} is {}: stop it before deleting it",
                state.as_str()
            )));
        }
        self.entries[index] = Entry {
            task: current,
            phase: Phase::Deleted { at: now },
            fails_at: None,
        };
        Ok(())
    }

    /// The task `id` as it is at `now`, and its entry; the service's 404 when there is none.
    fn current(&self, id: &str, now: Instant) -> Result<(usize, TasksResponseBody), Refusal> {
        let index = self.position(id, now).ok_or_else(|| Refusal::no_task(id))?;
        let task = self
            .view(&self.entries[index], now)
            .ok_or_else(|| Refusal::no_task(id))?;
        Ok((index, task))
    }

    /// The entry of the task `id` still there at `now`.
    fn position(&self, id: &str, now: Instant) -> Option<usize> {
        self.entries.iter().position(|e| {
            e.task.id.as_deref() == Some(id)
                && !matches!(e.phase, Phase::Deleted { at } if now >= at + self.step())
        })
    }

    /// One step of the lifecycle that moves the tasks users act on.
    fn step(&self) -> Duration {
        self.lifecycle.unwrap_or(ACTION_LIFECYCLE).step
    }

    /// `at` on the wall clock, in milliseconds since the epoch.
    fn wall_ms(&self, at: Instant) -> i64 {
        self.began_ms + i64::try_from((at - self.began).as_millis()).unwrap_or(i64::MAX)
    }

    /// The task of `entry` at `now`; `None` once a deleted task is gone.
    fn view(&self, entry: &Entry, now: Instant) -> Option<TasksResponseBody> {
        let mut task = entry.task.clone();
        match entry.phase {
            Phase::AsGiven => {}
            Phase::Migrating { run, since } => {
                let lifecycle = self.lifecycle.unwrap_or(ACTION_LIFECYCLE);
                lifecycle.apply_run(run, now - since, self.wall_ms(since), &mut task);
            }
            Phase::Stopped { at, .. } => {
                task.state = Some(if now < at + self.step() {
                    TaskState::Aborting
                } else {
                    TaskState::Abort
                });
                task.subtask_info = None;
                task.migrate_speed = None;
                task.estimate_complete_time = None;
            }
            Phase::Deleted { at } if now < at + self.step() => {
                task.state = Some(TaskState::Deleting);
            }
            Phase::Deleted { .. } => return None,
        }
        Some(task)
    }
}

/// `task` as ShowTask answers it at `now_ms`: the ListTasks item's fields (the nested objects
/// have the same JSON shape), with the task's start and end dates and the time it has left.
fn show_task(task: &TasksResponseBody, now_ms: i64) -> ShowTaskResponse {
    let mut shown: ShowTaskResponse = serde_json::to_value(task)
        .and_then(serde_json::from_value)
        .unwrap_or_default();
    let subtasks = task.sub_tasks.as_deref().unwrap_or_default();
    shown.start_date = subtasks.first().and_then(|s| s.start_date);
    let finished = matches!(
        task.state,
        Some(TaskState::MigrateSuccess | TaskState::MigrateFail)
    );
    shown.finish_date = finished
        .then(|| subtasks.last().and_then(|s| s.end_date.or(s.start_date)))
        .flatten();
    shown.remain_seconds = task
        .estimate_complete_time
        .map(|end| ((end - now_ms) / 1000).max(0));
    shown.connected = Some(true);
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, state: TaskState) -> TasksResponseBody {
        TasksResponseBody {
            id: Some(id.to_owned()),
            state: Some(state),
            ..Default::default()
        }
    }

    fn state(tasks: &Tasks, id: &str, now: Instant) -> Option<TaskState> {
        tasks
            .list(now)
            .into_iter()
            .find(|t| t.id.as_deref() == Some(id))
            .and_then(|t| t.state.clone())
    }

    #[tokio::test(start_paused = true)]
    async fn actions_move_tasks_as_the_service_does() {
        let mut tasks = Tasks::new(
            vec![
                task("ready", TaskState::Ready),
                task("failed", TaskState::MigrateFail),
                task("done", TaskState::MigrateSuccess),
            ],
            None,
            1_764_000_000_000,
        );
        let t0 = Instant::now();
        let minute = Duration::from_secs(60);
        tasks.act("ready", &TaskOperation::Start, t0).unwrap();
        assert_eq!(state(&tasks, "ready", t0), Some(TaskState::Running));
        assert!(!tasks.unchanging());
        tasks
            .act("ready", &TaskOperation::Stop, t0 + minute * 2)
            .unwrap();
        assert_eq!(
            state(&tasks, "ready", t0 + minute * 2),
            Some(TaskState::Aborting)
        );
        assert_eq!(
            state(&tasks, "ready", t0 + minute * 3),
            Some(TaskState::Abort)
        );
        // Resumed where it stopped: two subtasks done, the third under way.
        tasks
            .act("ready", &TaskOperation::Start, t0 + minute * 10)
            .unwrap();
        let resumed = tasks.show("ready", t0 + minute * 10).unwrap();
        assert_eq!(resumed.state, Some(TaskState::Running));
        assert_eq!(resumed.sub_tasks.as_ref().map(Vec::len), Some(3));
        assert_eq!(resumed.connected, Some(true));

        let refused = tasks.act("done", &TaskOperation::Restart, t0).unwrap_err();
        assert_eq!((refused.status, refused.code), (400, "SMS.0007"));
        assert!(
            refused.message.contains("MIGRATE_SUCCESS"),
            "{}",
            refused.message
        );
        tasks.act("failed", &TaskOperation::Restart, t0).unwrap();
        assert_eq!(state(&tasks, "failed", t0), Some(TaskState::Running));

        tasks.delete("done", t0).unwrap();
        assert_eq!(state(&tasks, "done", t0), Some(TaskState::Deleting));
        assert_eq!(
            state(&tasks, "done", t0 + minute),
            None,
            "gone from the listing"
        );
        assert_eq!(
            tasks.show("done", t0 + minute).unwrap_err().code,
            "SMS.2252"
        );
        let running = tasks.delete("failed", t0).unwrap_err();
        assert!(
            running.message.contains("stop it before"),
            "{}",
            running.message
        );
        assert_eq!(
            tasks
                .act("nobody", &TaskOperation::Stop, t0)
                .unwrap_err()
                .status,
            404
        );
    }
}
