//! A watch's tasks as gauges, through the `metrics` facade (feature `metrics`): what an
//! operations dashboard shows of a migration fleet, bounded by the tasks the last look listed.
//!
//! | name (Prometheus) | labels | value |
//! |---|---|---|
//! | `sms.task.state` (`sms_task_state`) | `task_id`, `task_name`, `state` | 1 for the state the task is in; 0 for the state it just left |
//! | `sms.task.subtask_progress_percent` | `task_id`, `task_name`, `subtask` | a subtask's progress |
//! | `sms.task.migrate_speed_megabytes_per_second` | `task_id`, `task_name` | the migration rate |
//! | `sms.watch.tasks` | | tasks the last look listed |
//! | `sms.watch.looks_total`, `sms.watch.look_failures_total` | | looks made, and looks that failed |
//!
//! One series per task and state it is in (not kube-state-metrics' every state of every task:
//! a dozen documented states would make a fleet of 1,000 tasks 12,000 series). The facade cannot
//! delete a series, so every look sets again the gauges of each task still listed and no longer
//! those of a task that left (or a state it left): give your exporter an idle timeout for
//! gauges of [`gauge_idle_timeout`] of the look interval, and those series go.

use std::collections::HashMap;
use std::time::Duration;

use super::watch::WatchEvent;
use crate::types::TasksResponseBody;

/// A task's state.
pub const TASK_STATE: &str = "sms.task.state";
/// A subtask's progress, in percent (`sub_tasks[].progress`).
pub const SUBTASK_PROGRESS: &str = "sms.task.subtask_progress_percent";
/// A task's migration rate, in MB/s (`migrate_speed`).
pub const MIGRATE_SPEED: &str = "sms.task.migrate_speed_megabytes_per_second";
/// Tasks the last look listed.
pub const WATCHED_TASKS: &str = "sms.watch.tasks";
/// Looks the watch made.
pub const LOOKS: &str = "sms.watch.looks_total";
/// Looks that failed (the watch goes on).
pub const LOOK_FAILURES: &str = "sms.watch.look_failures_total";

/// How long an exporter should keep a gauge nobody sets, for a watch that looks every
/// `look_interval`: three looks, so that a failed look or a slow one expires nothing.
///
/// ```
/// use std::time::Duration;
/// let idle = sms_api::wait::gauge_idle_timeout(Duration::from_secs(30));
/// assert_eq!(idle, Duration::from_secs(90));
/// // metrics_exporter_prometheus::PrometheusBuilder::new()
/// //     .idle_timeout(metrics_util::MetricKindMask::GAUGE, Some(idle))
/// ```
pub fn gauge_idle_timeout(look_interval: Duration) -> Duration {
    look_interval.saturating_mul(3)
}

/// The gauges of a watch's tasks: feed it every [`WatchEvent`] of a watch over ListTasks.
///
/// ```
/// # async fn run(client: sms_api::Client) -> Result<(), sms_api::Error> {
/// use std::time::Duration;
///
/// use futures_util::StreamExt;
/// use sms_api::prelude::*;
/// use sms_api::wait::TaskGauges;
///
/// let mut gauges = TaskGauges::default();
/// let watch = client.list_tasks().watch(Duration::from_secs(30)).report_initial(true);
/// let mut events = watch.events();
/// while let Some(event) = events.next().await {
///     gauges.record(&event?);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Default)]
pub struct TaskGauges {
    /// Each listed task's gauges, by key, as last set.
    tasks: HashMap<String, Seen>,
}

/// What a task's gauges were last set to.
#[derive(Debug)]
struct Seen {
    name: String,
    state: String,
    subtasks: Vec<(String, f64)>,
    speed: Option<f64>,
}

impl TaskGauges {
    /// Records what `event` says: a task's gauges when it appears or changes, every listed
    /// task's again when a look completes, none of a task once it left.
    pub fn record(&mut self, event: &WatchEvent<TasksResponseBody>) {
        match event {
            WatchEvent::Appeared { key, item } | WatchEvent::Changed { key, item, .. } => {
                self.task(key, item)
            }
            WatchEvent::Disappeared { key, .. } => {
                if let Some(left) = self.tasks.remove(key) {
                    state_gauge(key, &left.name, &left.state).set(0.0);
                }
            }
            WatchEvent::Looked { items, .. } => {
                metrics::counter!(LOOKS).increment(1);
                metrics::gauge!(WATCHED_TASKS).set(*items as f64);
                self.set_all();
            }
            WatchEvent::LookFailed { .. } => {
                metrics::counter!(LOOKS).increment(1);
                metrics::counter!(LOOK_FAILURES).increment(1);
                // Nothing left: the tasks are as the last look saw them.
                self.set_all();
            }
        }
    }

    /// The tasks whose gauges are kept: those the last look listed.
    ///
    /// ```
    /// assert_eq!(sms_api::wait::TaskGauges::default().tasks(), 0);
    /// ```
    pub fn tasks(&self) -> usize {
        self.tasks.len()
    }

    /// Sets `task`'s gauges, zeroing the state series it left.
    fn task(&mut self, key: &str, task: &TasksResponseBody) {
        let seen = Seen {
            name: task.name.clone().unwrap_or_default(),
            state: task
                .state
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
            subtasks: task
                .sub_tasks
                .iter()
                .flatten()
                .filter_map(|s| Some((s.name.clone()?, f64::from(s.progress?))))
                .collect(),
            speed: task.migrate_speed,
        };
        if let Some(old) = self.tasks.get(key)
            && (old.state != seen.state || old.name != seen.name)
        {
            state_gauge(key, &old.name, &old.state).set(0.0);
        }
        set(key, &seen);
        self.tasks.insert(key.to_owned(), seen);
    }

    /// Sets every listed task's gauges again, so that an exporter's idle timeout expires only
    /// the series of tasks that left.
    fn set_all(&self) {
        for (key, seen) in &self.tasks {
            set(key, seen);
        }
    }
}

/// Sets the gauges of the task `key` as `seen`.
fn set(key: &str, seen: &Seen) {
    state_gauge(key, &seen.name, &seen.state).set(1.0);
    for (subtask, progress) in &seen.subtasks {
        metrics::gauge!(SUBTASK_PROGRESS, "task_id" => key.to_owned(), "task_name" => seen.name.clone(), "subtask" => subtask.clone())
            .set(*progress);
    }
    if let Some(speed) = seen.speed {
        metrics::gauge!(MIGRATE_SPEED, "task_id" => key.to_owned(), "task_name" => seen.name.clone())
            .set(speed);
    }
}

/// The state series of the task `key`.
fn state_gauge(key: &str, name: &str, state: &str) -> metrics::Gauge {
    metrics::gauge!(TASK_STATE, "task_id" => key.to_owned(), "task_name" => name.to_owned(), "state" => state.to_owned())
}

#[cfg(test)]
mod tests;
