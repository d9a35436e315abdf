//! How a task migrates, for [`FakeService::start_migrating`](super::FakeService::start_migrating):
//! the states, subtasks, progress, speed and completion estimate the service reports as a
//! Linux file-level migration goes on, and a failure at a subtask.

use std::time::Duration;

use crate::types::{SubTaskAssociatedWithTask, TaskState, TasksResponseBody};

/// The subtasks of a Linux file-level migration, in the order SMS runs them. The names are the
/// values of `subtask_name` that the official Huawei Cloud SDKs document for reporting a
/// subtask's progress (`UpdateTaskSpeedReq` in huaweicloudsdksms v3): create the target server,
/// secure the channel, attach the agent image, format the target's partitions, copy the files,
/// configure the target's OS, detach the agent image.
///
/// ```
/// assert_eq!(sms_api::mock::SUBTASKS[4], "MIGRATE_LINUX_FILE");
/// ```
pub const SUBTASKS: [&str; 7] = [
    "CREATE_CLOUD_SERVER",
    "SSL_CONFIG",
    "ATTACH_AGENT_IMAGE",
    "FORMAT_DISK_LINUX_FILE",
    "MIGRATE_LINUX_FILE",
    "CONFIGURE_LINUX_FILE",
    "DETTACH_AGENT_IMAGE",
];

/// The subtask that copies the files (its speed is reported), where a failing task of the
/// lifecycle fails; and how far a failing subtask gets.
const COPY: usize = 4;
const FAILS_AT_PERCENT: i32 = 50;

/// Tasks that migrate as time passes, as the service reports them, for tests and demos of
/// waiting and watching ([`FakeService::start_migrating`](super::FakeService::start_migrating)).
///
/// Task `i` waits `i % 5` steps, is `READY` for one step, then `RUNNING` through the seven
/// [`SUBTASKS`], one step each: `sub_tasks` lists those started, each with its `progress`
/// (0-100), `start_date` and, once done, `end_date`; `subtask_info` names the current one
/// (`MIGRATE_LINUX_FILE:40%`); `migrate_speed` (MB/s) is reported while files are copied, and
/// `estimate_complete_time` all along. Then `MIGRATE_SUCCESS`; or, for every `fail_every`-th
/// task, `MIGRATE_FAIL` half-way through `MIGRATE_LINUX_FILE`, with an `error_json` that names
/// the subtask.
///
/// ```
/// use std::time::Duration;
/// use sms_api::mock::Lifecycle;
///
/// let lifecycle = Lifecycle { step: Duration::from_secs(2), fail_every: 4 };
/// assert_eq!(lifecycle.total(0), Duration::from_secs(16));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifecycle {
    /// The time each stage (`READY`, then each subtask) takes.
    pub step: Duration,
    /// Every `fail_every`-th task fails (the 4th, 8th... with 4); 0 for none.
    pub fail_every: usize,
}

impl Lifecycle {
    /// How long task `index` takes from the start to its end state.
    pub fn total(&self, index: usize) -> Duration {
        self.step * (lateness(index) + 1 + SUBTASKS.len() as u32)
    }

    /// Task `index`'s first run: it waits `index % 5` steps, is READY for one, and fails if it
    /// is one of every `fail_every`.
    pub(crate) fn first_run(&self, index: usize) -> Run {
        Run {
            index,
            before_running: lateness(index) + 1,
            fails_at: (self.fail_every > 0 && index % self.fail_every == self.fail_every - 1)
                .then_some(COPY),
        }
    }

    /// How long a run takes from its start to its end state.
    pub(crate) fn run_total(&self, run: Run) -> Duration {
        self.step * (run.before_running + SUBTASKS.len() as u32)
    }

    /// A task on `run`, as it is `elapsed` after the run began at `began_ms` (milliseconds
    /// since the epoch).
    pub(crate) fn apply_run(
        &self,
        run: Run,
        elapsed: Duration,
        began_ms: i64,
        task: &mut TasksResponseBody,
    ) {
        let index = run.index;
        let step_ms = self.step.as_secs_f64() * 1000.0;
        let steps = elapsed.as_secs_f64() * 1000.0 / step_ms.max(1.0);
        // Steps since the task left READY.
        let waiting = f64::from(run.before_running);
        let at = steps - waiting;
        let started_ms = |k: usize| began_ms + ((waiting + k as f64) * step_ms) as i64;
        let failed_at = run
            .fails_at
            .filter(|k| at >= *k as f64 + f64::from(FAILS_AT_PERCENT) / 100.0);
        let failed = failed_at.is_some();
        let (current, percent) = if at < 0.0 {
            (None, 0)
        } else if let Some(k) = failed_at {
            (Some(k), FAILS_AT_PERCENT)
        } else if at >= SUBTASKS.len() as f64 {
            (None, 100)
        } else {
            (Some(at as usize), (at.fract() * 100.0) as i32)
        };
        let state = match (at, current) {
            (at, _) if at < 0.0 => TaskState::Ready,
            _ if failed => TaskState::MigrateFail,
            (_, Some(_)) => TaskState::Running,
            (_, None) => TaskState::MigrateSuccess,
        };
        let started = match current {
            _ if at < 0.0 => 0,
            Some(k) => k + 1,
            None => SUBTASKS.len(),
        };
        task.sub_tasks = Some(
            (0..started)
                .map(|k| {
                    let done = current != Some(k);
                    SubTaskAssociatedWithTask {
                        id: Some(index as i64 * 10 + k as i64),
                        name: Some(SUBTASKS[k].to_owned()),
                        progress: Some(if done { 100 } else { percent }),
                        start_date: Some(started_ms(k)),
                        end_date: done.then(|| started_ms(k + 1)),
                        ..Default::default()
                    }
                })
                .collect(),
        );
        let running = state == TaskState::Running;
        let estimating = matches!(state, TaskState::Ready | TaskState::Running);
        task.state = Some(state);
        task.subtask_info = current
            .filter(|_| running)
            .map(|k| format!("{}:{percent}%", SUBTASKS[k]));
        task.migrate_speed = (running && current == Some(COPY))
            .then(|| (400.0 + 2.0 * f64::from(percent)).round() / 10.0);
        task.estimate_complete_time =
            estimating.then(|| began_ms + self.run_total(run).as_millis() as i64);
        task.error_json = failed_at.map(|k| {
            format!(
                r#"{{"error_code":"SMS.6801","error_msg":"{} failed at {FAILS_AT_PERCENT}%: the target disk is full"}}"#,
                SUBTASKS[k]
            )
        });
    }
}

/// One run of a task through the lifecycle: the steps before it runs (waiting, then READY), and
/// the subtask it fails half-way through, if it fails. A task's first run waits `index % 5`
/// steps, then is READY for one; a run that a user's `start` or `restart` begins runs at once
/// and fails only where a test said so ([`FakeService::fail_runs_at`](super::FakeService::fail_runs_at)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Run {
    /// The task's position: its subtasks' ids derive from it.
    pub(crate) index: usize,
    pub(crate) before_running: u32,
    /// The subtask it fails half-way through (an index of [`SUBTASKS`]), if it fails.
    pub(crate) fails_at: Option<usize>,
}

impl Run {
    /// A run a user began: RUNNING at once, failing at `fails_at` if a test said so.
    pub(crate) fn started(index: usize, fails_at: Option<usize>) -> Run {
        Run {
            index,
            before_running: 0,
            fails_at,
        }
    }
}

/// How many steps task `index` waits before it is listed as READY.
fn lateness(index: usize) -> u32 {
    (index % 5) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEP: Duration = Duration::from_secs(10);

    fn at(index: usize, elapsed: Duration, fail_every: usize) -> TasksResponseBody {
        let mut task = TasksResponseBody::default();
        let lifecycle = Lifecycle {
            step: STEP,
            fail_every,
        };
        lifecycle.apply_run(
            lifecycle.first_run(index),
            elapsed,
            1_764_000_000_000,
            &mut task,
        );
        task
    }

    fn progress(task: &TasksResponseBody) -> Vec<(String, i32)> {
        task.sub_tasks
            .iter()
            .flatten()
            .map(|s| (s.name.clone().unwrap(), s.progress.unwrap()))
            .collect()
    }

    #[test]
    fn a_task_runs_through_the_subtasks_in_order_to_success() {
        assert_eq!(at(0, Duration::ZERO, 0).state, Some(TaskState::Ready));
        let copying = at(0, STEP * 5 + STEP * 2 / 5, 0);
        assert_eq!(copying.state, Some(TaskState::Running));
        assert_eq!(
            copying.subtask_info.as_deref(),
            Some("MIGRATE_LINUX_FILE:40%")
        );
        assert_eq!(progress(&copying).len(), 5);
        assert_eq!(
            progress(&copying)[3],
            ("FORMAT_DISK_LINUX_FILE".into(), 100)
        );
        assert_eq!(progress(&copying)[4], ("MIGRATE_LINUX_FILE".into(), 40));
        assert!(copying.migrate_speed.is_some());
        let subtasks = copying.sub_tasks.as_ref().unwrap();
        assert!(subtasks[3].end_date.is_some() && subtasks[4].end_date.is_none());
        assert_eq!(subtasks[4].start_date, subtasks[3].end_date);
        let done = at(0, STEP * 9, 0);
        assert_eq!(done.state, Some(TaskState::MigrateSuccess));
        assert_eq!(done.subtask_info, None);
        assert!(progress(&done).iter().all(|(_, p)| *p == 100));
        assert_eq!(progress(&done).len(), SUBTASKS.len());
    }

    #[test]
    fn progress_never_goes_back() {
        let mut last: Vec<(String, i32)> = Vec::new();
        for tenth in 0..100 {
            let now = progress(&at(2, STEP * tenth / 10, 0));
            assert!(now.len() >= last.len());
            for ((name, before), (again, after)) in last.iter().zip(&now) {
                assert_eq!(name, again);
                assert!(after >= before, "{name}: {before} -> {after}");
            }
            last = now;
        }
    }

    #[test]
    fn a_failing_task_fails_half_way_through_the_copy_and_stays_failed() {
        for elapsed in [STEP * 6, STEP * 20] {
            let failed = at(3, elapsed + STEP * 3, 4);
            assert_eq!(failed.state, Some(TaskState::MigrateFail));
            assert_eq!(
                progress(&failed).last().unwrap(),
                &("MIGRATE_LINUX_FILE".into(), 50)
            );
            assert!(
                failed
                    .error_json
                    .as_deref()
                    .unwrap()
                    .contains("MIGRATE_LINUX_FILE failed at 50%")
            );
            assert_eq!(failed.subtask_info, None);
        }
        // Before the failure it runs like any other.
        assert_eq!(at(3, STEP * 5, 4).state, Some(TaskState::Running));
    }
}
