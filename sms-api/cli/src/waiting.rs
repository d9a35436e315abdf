//! `--wait-until` and `--watch`: waiting on tasks with a waiter of the spec, and watching what
//! changes across the listing.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use sms_api::builder::ListTasks;
use sms_api::prelude::*;
use sms_api::types::{ListTasksResponse, TasksResponseBody};
use sms_api::wait::{WaitErrorKind, WatchEvent, element_of};

use crate::live_view::LiveView;
use crate::output::Output;
use sms_api::wait::TaskGauges;

/// Exit code when a waiter reaches a failure state (a task failed or was stopped).
pub const EXIT_FAILURE_STATE: u8 = 3;
/// Exit code when the longest wait runs out first.
pub const EXIT_TIMED_OUT: u8 = 4;
/// Exit code when there is nothing to wait on (the spec's `notFound` outcome: no task listed).
pub const EXIT_NOT_FOUND: u8 = 5;

/// The spec's waiters of ListTasks, kebab-cased for the command line (`task-migrated`).
pub fn waiter_names() -> Vec<String> {
    <ListTasks<'_> as ListTasksWaiters>::WAITER_NAMES
        .iter()
        .map(|name| kebab(name))
        .collect()
}

/// `TaskMigrated` as `task-migrated`.
fn kebab(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The waiter's name in the spec for a kebab-cased one.
fn spec_name(kebab_name: &str) -> Option<&'static str> {
    <ListTasks<'_> as ListTasksWaiters>::WAITER_NAMES
        .iter()
        .copied()
        .find(|name| kebab(name) == kebab_name)
}

/// Settings of a wait.
pub struct WaitSettings {
    pub waiter: String,
    pub max_wait: Duration,
    pub min_delay: Option<Duration>,
    pub max_delay: Option<Duration>,
    pub max_outage: Duration,
}

/// Waits with the waiter named on the command line; prints the final tasks on success.
pub async fn wait_until(
    request: ListTasks<'_>,
    settings: WaitSettings,
    mut output: Output,
) -> ExitCode {
    let Some(waiter) = spec_name(&settings.waiter).and_then(|name| request.waiter_named(name))
    else {
        eprintln!(
            "error: no waiter {:?}; the spec's: {}",
            settings.waiter,
            waiter_names().join(", ")
        );
        return ExitCode::from(2);
    };
    let mut waiter = waiter.max_outage(settings.max_outage);
    if let Some(delay) = settings.min_delay {
        waiter = waiter.min_delay(delay);
    }
    if let Some(delay) = settings.max_delay {
        waiter = waiter.max_delay(delay);
    }
    let live = live_line();
    let line = live.clone();
    let result = waiter
        .on_poll(move |poll| {
            let text = match poll.outcome {
                Ok(response) => summary(response),
                Err(error) => format!(
                    "poll failed ({} in a row, for {}s; riding it out): {error}",
                    poll.failed_in_a_row,
                    poll.outage.as_secs()
                ),
            };
            line.set_message(format!(
                "poll {} after {}s: {text}",
                poll.number,
                poll.elapsed.as_secs()
            ));
        })
        .wait(settings.max_wait)
        .await;
    live.finish_and_clear();
    match result {
        Ok(done) => {
            let tasks = done
                .response()
                .and_then(|r| r.tasks.clone())
                .unwrap_or_default();
            output.tasks(&tasks);
            eprintln!(
                "{}: done after {} polls ({} requests), {}s",
                settings.waiter,
                done.polls(),
                done.requests_sent(),
                done.waited().as_secs()
            );
            if done.failed_polls() > 0 {
                eprintln!(
                    "  {} polls failed on the way, the longest outage {}s",
                    done.failed_polls(),
                    done.longest_outage().as_secs()
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            if let Some(last) = error.last_response() {
                eprintln!("  last seen: {}", summary(last));
            }
            match error.kind() {
                WaitErrorKind::FailureState => ExitCode::from(EXIT_FAILURE_STATE),
                WaitErrorKind::TimedOut => ExitCode::from(EXIT_TIMED_OUT),
                WaitErrorKind::NotFound => ExitCode::from(EXIT_NOT_FOUND),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

/// A line on stderr that a terminal redraws; nothing elsewhere.
fn live_line() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let line = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    line.enable_steady_tick(Duration::from_millis(200));
    line
}

/// The tasks by state; each task's progress, speed and expected completion when there are few.
fn summary(response: &ListTasksResponse) -> String {
    let tasks = response.tasks.as_deref().unwrap_or_default();
    if tasks.len() <= 3 {
        let each: Vec<String> = tasks.iter().map(task_line).collect();
        return if each.is_empty() {
            "no task listed".into()
        } else {
            each.join("; ")
        };
    }
    let mut states: Vec<(String, usize)> = Vec::new();
    for task in tasks {
        let state = task
            .state
            .as_ref()
            .map_or("?".to_owned(), |s| s.to_string());
        match states.iter_mut().find(|(s, _)| *s == state) {
            Some((_, n)) => *n += 1,
            None => states.push((state, 1)),
        }
    }
    let states: Vec<String> = states.iter().map(|(s, n)| format!("{n} {s}")).collect();
    format!("{} tasks: {}", tasks.len(), states.join(", "))
}

fn task_line(task: &TasksResponseBody) -> String {
    let mut text = format!(
        "{} {}",
        task.name.as_deref().or(task.id.as_deref()).unwrap_or("?"),
        task.state
            .as_ref()
            .map_or("?".to_owned(), |s| s.to_string())
    );
    if let Some(progress) = &task.subtask_info {
        text.push_str(&format!(" {progress}"));
    }
    if let Some(speed) = task.migrate_speed {
        text.push_str(&format!(" {speed:.1} Mbit/s"));
    }
    if let Some(eta) = task.estimate_complete_time {
        text.push_str(&format!(" done ~{}", crate::output::date(eta)));
    }
    text
}

/// Watches the listing until Ctrl-C: on a terminal (and without `--json`) a live view redrawn
/// after every look, with a summary at the end; otherwise one line (or JSON object) per change,
/// flushed as it happens.
pub async fn watch(request: ListTasks<'_>, settings: WatchSettings) -> ExitCode {
    watch_until(request, settings, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// How `--watch` runs.
pub struct WatchSettings {
    /// The time between looks (`--interval`).
    pub interval: Duration,
    /// The longest a look may take (`--deadline`).
    pub look_deadline: Option<Duration>,
    /// One JSON object per change (`--json`).
    pub json: bool,
    /// Keep each task's gauges (`--metrics`): every task of the first look is recorded too,
    /// though only a live view prints them.
    pub gauges: bool,
}

/// [`watch`], until `stop` completes. `stop` is made once, before the loop, and polled first
/// at every turn: a signal that arrives while an event is being printed is seen at the next
/// turn (a new `ctrl_c()` made inside the loop each turn lost it, and a busy watch went on).
async fn watch_until(
    request: ListTasks<'_>,
    settings: WatchSettings,
    stop: impl std::future::Future<Output = ()>,
) -> ExitCode {
    let json = settings.json;
    let live = !json && std::io::stdout().is_terminal();
    let mut view = LiveView::default();
    let mut gauges = settings.gauges.then(TaskGauges::default);
    // Tasks of the first look are printed only by the live view; the gauges need them all.
    let mut print_appeared = live || !settings.gauges;
    let mut watch = request
        .watch(settings.interval)
        .report_initial(live || settings.gauges);
    if let Some(deadline) = settings.look_deadline {
        watch = watch.look_deadline(deadline);
    }
    let mut events = watch.events();
    let stdout = std::io::stdout();
    let mut stop = std::pin::pin!(stop);
    loop {
        let event = tokio::select! {
            biased;
            () = &mut stop => {
                if live {
                    println!("\nstopped: {}", view.summary());
                } else {
                    eprintln!("stopped");
                }
                return ExitCode::SUCCESS;
            }
            event = events.next() => event,
        };
        let event = match event {
            None => return ExitCode::SUCCESS,
            Some(Ok(event)) => event,
            Some(Err(error)) => {
                eprintln!("error: the watch ended: {error}");
                return ExitCode::FAILURE;
            }
        };
        if let Some(gauges) = &mut gauges {
            gauges.record(&event);
        }
        if live {
            match event {
                WatchEvent::Appeared { key, item } | WatchEvent::Changed { key, item, .. } => {
                    view.listed(key, item)
                }
                WatchEvent::Disappeared { key, .. } => view.gone(&key),
                WatchEvent::Looked { number, .. } => {
                    let now_ms = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_millis() as i64);
                    // Home, clear, then the frame: redrawn in place.
                    let mut out = stdout.lock();
                    let _ = writeln!(out, "\x1b[H\x1b[2J{}", view.frame(number, now_ms));
                    let _ = out.flush();
                }
                WatchEvent::LookFailed {
                    error,
                    failed_in_a_row,
                } => eprintln!("a look failed ({failed_in_a_row} in a row), trying again: {error}"),
                _ => {}
            }
            continue;
        }
        let line = match event {
            WatchEvent::Appeared { key, item } => print_appeared
                .then(|| describe(json, &key, "appeared", Some(&item), &[]))
                .flatten(),
            WatchEvent::Disappeared { key, last } => {
                let state = last.get("state").cloned().unwrap_or(Value::Null);
                if json {
                    Some(json!({"id": key, "event": "disappeared", "state": Value::Null, "previous_state": state}).to_string())
                } else {
                    Some(format!("{key}: disappeared (was {})", text(&state)))
                }
            }
            WatchEvent::Changed { key, item, changes } => {
                let changes: Vec<(String, Value, Value)> = changes
                    .into_iter()
                    .map(|c| (c.field, c.previous, c.new))
                    .collect();
                describe(json, &key, "changed", Some(&item), &changes)
            }
            WatchEvent::Looked { number, items } => {
                print_appeared = true;
                if !json {
                    eprintln!("look {number}: {items} tasks");
                }
                None
            }
            WatchEvent::LookFailed {
                error,
                failed_in_a_row,
            } => {
                eprintln!("a look failed ({failed_in_a_row} in a row), trying again: {error}");
                None
            }
            _ => None,
        };
        if let Some(line) = line {
            let mut out = stdout.lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
    }
}

/// One change, as a line or a JSON object with at least `id`, `state` and `previous_state`.
fn describe(
    json: bool,
    key: &str,
    event: &str,
    item: Option<&TasksResponseBody>,
    changes: &[(String, Value, Value)],
) -> Option<String> {
    let state = item.and_then(|t| t.state.as_ref()).map(|s| s.to_string());
    let previous_state = changes
        .iter()
        .find(|(field, _, _)| field == "state")
        .map(|(_, previous, _)| previous.clone())
        .unwrap_or_else(|| json!(state));
    // A subtask's progress (`sub_tasks[MIGRATE_LINUX_FILE].progress`), the last one that moved.
    let subtask = changes
        .iter()
        .rev()
        .find_map(|(field, previous, new)| match element_of(field) {
            Some((name, "progress")) if !new.is_null() => Some((name, previous, new)),
            _ => None,
        });
    if json {
        let mut object =
            json!({"id": key, "event": event, "state": state, "previous_state": previous_state});
        if let Some((name, previous, new)) = subtask {
            object["subtask"] = json!(name);
            object["progress"] = new.clone();
            object["previous_progress"] = previous.clone();
        }
        for (field, previous, new) in changes {
            if field != "state" && element_of(field).is_none() {
                object[field.as_str()] = new.clone();
                object[format!("previous_{field}")] = previous.clone();
            }
        }
        return Some(object.to_string());
    }
    let name = item.and_then(|t| t.name.as_deref()).unwrap_or(key);
    if changes.is_empty() {
        return Some(format!("{name}: {event}, {}", state.unwrap_or_default()));
    }
    // "MIGRATE_LINUX_FILE 40% -> 55%"; the other subtasks' changes and `subtask_info` (which
    // says the same) are left out of the line.
    let mut what: Vec<String> = Vec::new();
    if let Some((name, previous, new)) = subtask {
        let percent = |v: &Value| match v {
            Value::Null => "-".to_owned(),
            other => format!("{}%", text(other)),
        };
        what.push(match previous {
            Value::Null => format!("{name} started, {}", percent(new)),
            _ => format!("{name} {} -> {}", percent(previous), percent(new)),
        });
    }
    what.extend(
        changes
            .iter()
            .filter(|(field, _, _)| {
                element_of(field).is_none() && !(subtask.is_some() && field == "subtask_info")
            })
            .map(|(field, previous, new)| format!("{field} {} -> {}", text(previous), text(new))),
    );
    Some(format!("{name}: {}", what.join(", ")))
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

/// A duration on the command line: `200ms`, `30s`, `5m`, `6h`, `1h30m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let mut total = Duration::ZERO;
    let mut number = String::new();
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err("an empty duration".into());
    }
    while !rest.is_empty() {
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err(format!(
                "{text:?} is not a duration such as 200ms, 30s, 5m, 6h or 1h30m"
            ));
        }
        number.clear();
        number.push_str(&rest[..digits]);
        rest = &rest[digits..];
        let unit_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let n: u64 = number
            .parse()
            .map_err(|_| format!("{text:?}: the number is too large"))?;
        total += match unit {
            "ms" => Duration::from_millis(n),
            "s" => Duration::from_secs(n),
            "m" => Duration::from_secs(n * 60),
            "h" => Duration::from_secs(n * 3600),
            _ => return Err(format!("{text:?}: the unit must be ms, s, m or h")),
        };
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A busy watch (tasks migrating, a look every 200 ms, JSON printed for every change) that
    /// is told to stop mid-stream ends at its next turn.
    #[tokio::test(start_paused = true)]
    async fn a_stop_signal_mid_stream_ends_a_busy_watch() {
        use sms_api::mock::FakeService;
        use sms_api::prelude::*;
        let fake =
            FakeService::start_migrating(crate::sample_data::tasks(), crate::MOCK_LIFECYCLE).await;
        let client = Client::builder()
            .endpoint(fake.base_url())
            .credentials(Credentials::iam_token("t"))
            .build()
            .unwrap();
        let (signal, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(3)).await;
            let _ = signal.send(());
        });
        let started = tokio::time::Instant::now();
        let settings = WatchSettings {
            interval: Duration::from_millis(200),
            look_deadline: None,
            json: true,
            gauges: false,
        };
        let watched = watch_until(client.list_tasks(), settings, async {
            let _ = stopped.await;
        });
        let code = tokio::time::timeout(Duration::from_secs(60), watched)
            .await
            .expect("the watch stopped when told to");
        assert_eq!(code, ExitCode::SUCCESS);
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn durations_parse_as_people_write_them() {
        assert_eq!(parse_duration("200ms"), Ok(Duration::from_millis(200)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("6h"), Ok(Duration::from_secs(6 * 3600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert!(parse_duration("30").is_err());
        assert!(parse_duration("5 days").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn waiter_names_come_from_the_spec_in_kebab_case() {
        assert_eq!(kebab("TaskMigrated"), "task-migrated");
        let names = waiter_names();
        assert!(!names.is_empty());
        for name in &names {
            let spec = spec_name(name).unwrap();
            assert_eq!(&kebab(spec), name);
        }
        assert_eq!(spec_name("nope"), None);
    }
}
