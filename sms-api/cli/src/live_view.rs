//! `--watch` on a terminal: one row per task (name, state, current subtask, a progress bar with
//! its percentage, speed, time left as the service estimates it), redrawn in place after every
//! look; on Ctrl-C, a summary. Rendering is a plain function of the tasks and the time, so one
//! frame is tested as text.

use std::collections::BTreeMap;

use sms_api::types::{TaskState, TasksResponseBody};

/// Rows drawn at most; the rest are counted in the last line.
pub const MAX_ROWS: usize = 40;
/// Width of the progress bar, in cells.
const BAR: usize = 20;

/// The tasks a live view shows, by key, as the last look listed them.
#[derive(Default)]
pub struct LiveView {
    tasks: BTreeMap<String, TasksResponseBody>,
}

impl LiveView {
    /// A task listed (new, or changed).
    pub fn listed(&mut self, key: String, task: TasksResponseBody) {
        self.tasks.insert(key, task);
    }

    /// A task no longer listed.
    pub fn gone(&mut self, key: &str) {
        self.tasks.remove(key);
    }

    /// The frame to draw at `now_ms` (milliseconds since the epoch), without control codes.
    pub fn frame(&self, look: u64, now_ms: i64) -> String {
        let mut rows = vec![format!(
            "{:<28} {:<16} {:<24} {:<27} {:>10} {:>9}",
            "TASK", "STATE", "SUBTASK", "PROGRESS", "SPEED", "LEFT"
        )];
        for task in self.tasks.values().take(MAX_ROWS) {
            rows.push(row(task, now_ms));
        }
        if self.tasks.len() > MAX_ROWS {
            rows.push(format!(
                "... and {} more tasks",
                self.tasks.len() - MAX_ROWS
            ));
        }
        rows.push(format!("look {look}: {}", self.summary()));
        rows.join("\n")
    }

    /// `3 succeeded, 1 failed, 8 still running` (and any others by state).
    pub fn summary(&self) -> String {
        let (mut succeeded, mut failed, mut running) = (0, 0, 0);
        for task in self.tasks.values() {
            match &task.state {
                Some(TaskState::MigrateSuccess) => succeeded += 1,
                Some(TaskState::MigrateFail | TaskState::Abort) => failed += 1,
                _ => running += 1,
            }
        }
        format!("{succeeded} succeeded, {failed} failed, {running} still running")
    }
}

/// One task's row.
fn row(task: &TasksResponseBody, now_ms: i64) -> String {
    let name = task.name.as_deref().or(task.id.as_deref()).unwrap_or("?");
    let state = task
        .state
        .as_ref()
        .map_or("?".to_owned(), |s| s.to_string());
    // The subtask running now: the one `subtask_info` names, else the last one started.
    let current = task
        .sub_tasks
        .iter()
        .flatten()
        .rev()
        .find(|s| s.end_date.is_none())
        .or_else(|| task.sub_tasks.iter().flatten().last());
    let (subtask, percent) = match current {
        Some(s) => (s.name.clone().unwrap_or_default(), s.progress.unwrap_or(0)),
        None => (String::new(), 0),
    };
    let percent = match task.state {
        Some(TaskState::MigrateSuccess) => 100,
        _ => percent.clamp(0, 100),
    };
    let filled = (percent as usize * BAR) / 100;
    let bar = format!(
        "[{}{}] {percent:>3}%",
        "#".repeat(filled),
        ".".repeat(BAR - filled)
    );
    let speed = task
        .migrate_speed
        .map_or(String::new(), |s| format!("{s:.1} MB/s"));
    let left = task
        .estimate_complete_time
        .filter(|_| {
            !matches!(
                task.state,
                Some(TaskState::MigrateSuccess | TaskState::MigrateFail)
            )
        })
        .map_or(String::new(), |eta| duration((eta - now_ms).max(0) / 1000));
    format!(
        "{:<28} {:<16} {:<24} {:<27} {:>10} {:>9}",
        clip(name, 28),
        clip(&state, 16),
        clip(&subtask, 24),
        bar,
        speed,
        left
    )
}

/// `1h05m`, `4m30s`, `12s`.
fn duration(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}h{m:02}m")
    } else if m > 0 {
        format!("{m}m{s:02}s")
    } else {
        format!("{s}s")
    }
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(width - 1).collect();
        format!("{kept}~")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(name: &str, state: TaskState, subtasks: &[(&str, i32, bool)]) -> TasksResponseBody {
        let mut task = TasksResponseBody::default();
        task.name = Some(name.to_owned());
        task.state = Some(state);
        task.sub_tasks = Some(
            subtasks
                .iter()
                .map(|(name, progress, done)| {
                    let mut s = sms_api::types::SubTaskAssociatedWithTask::default();
                    s.name = Some((*name).to_owned());
                    s.progress = Some(*progress);
                    s.end_date = done.then_some(1);
                    s
                })
                .collect(),
        );
        task
    }

    #[test]
    fn one_frame_shows_each_task_its_subtask_progress_and_time_left() {
        let mut view = LiveView::default();
        let mut copying = task(
            "web-01",
            TaskState::Running,
            &[("SSL_CONFIG", 100, true), ("MIGRATE_LINUX_FILE", 55, false)],
        );
        copying.migrate_speed = Some(48.5);
        copying.estimate_complete_time = Some(1_000_000 + 3_930_000);
        view.listed("t1".into(), copying);
        view.listed(
            "t2".into(),
            task(
                "db-01",
                TaskState::MigrateSuccess,
                &[("DETTACH_AGENT_IMAGE", 100, true)],
            ),
        );
        view.listed(
            "t3".into(),
            task(
                "app-01",
                TaskState::MigrateFail,
                &[("MIGRATE_LINUX_FILE", 50, false)],
            ),
        );
        let frame = view.frame(7, 1_000_000);
        let lines: Vec<&str> = frame.lines().collect();
        assert_eq!(lines.len(), 5, "{frame}");
        assert!(lines[0].starts_with("TASK"));
        assert_eq!(
            lines[1].split_whitespace().collect::<Vec<_>>(),
            [
                "web-01",
                "RUNNING",
                "MIGRATE_LINUX_FILE",
                "[###########.........]",
                "55%",
                "48.5",
                "MB/s",
                "1h05m"
            ]
        );
        assert!(lines[2].contains("MIGRATE_SUCCESS") && lines[2].contains("100%"));
        assert!(lines[3].contains("MIGRATE_FAIL") && lines[3].contains(" 50%"));
        assert_eq!(lines[4], "look 7: 1 succeeded, 1 failed, 1 still running");
        view.gone("t3");
        assert_eq!(view.summary(), "1 succeeded, 0 failed, 1 still running");
    }

    #[test]
    fn many_tasks_are_counted_past_the_rows_drawn() {
        let mut view = LiveView::default();
        for i in 0..MAX_ROWS + 5 {
            view.listed(
                format!("t{i:03}"),
                task(&format!("n{i}"), TaskState::Ready, &[]),
            );
        }
        let frame = view.frame(1, 0);
        assert!(frame.contains("... and 5 more tasks"), "{frame}");
        assert_eq!(frame.lines().count(), MAX_ROWS + 3);
    }
}
