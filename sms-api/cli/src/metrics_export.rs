//! `--metrics ADDR`: Prometheus text at `http://ADDR/metrics` while the command runs, through
//! `metrics-exporter-prometheus`: the client's metrics (`sms_api::telemetry`, dots become
//! underscores) and, during `--watch`, each task's state and progress as gauges.

use std::collections::HashMap;
use std::net::SocketAddr;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use sms_api::types::TasksResponseBody;
use sms_api::wait::WatchEvent;

/// Buckets for the client's durations, in seconds: from a loopback answer to a call that waited
/// out a throttled gateway or a slow credentials source.
const DURATION_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Buckets for the attempts a call took (the default retry policy tries 3 times).
const ATTEMPT_BUCKETS: [f64; 5] = [1.0, 2.0, 3.0, 5.0, 10.0];

/// A task's state, one series per state: 1 for the state it is in, 0 for the states it left.
pub const TASK_STATE: &str = "sms_task_state";
/// A subtask's progress, in percent (`sub_tasks[].progress`).
pub const SUBTASK_PROGRESS: &str = "sms_task_subtask_progress_percent";
/// A task's migration rate, in MB/s (`migrate_speed`).
pub const MIGRATE_SPEED: &str = "sms_task_migrate_speed_megabytes_per_second";
/// Tasks the last look listed.
pub const WATCHED_TASKS: &str = "sms_watch_tasks";
/// Looks the watch made, and looks that failed.
pub const LOOKS: &str = "sms_watch_looks_total";
/// Looks that failed (the watch goes on).
pub const LOOK_FAILURES: &str = "sms_watch_look_failures_total";

/// Installs the exporter as the process's recorder, serving on `address`; says where on stderr.
pub fn serve(address: SocketAddr) -> Result<(), String> {
    let builder = PrometheusBuilder::new()
        .with_http_listener(address)
        .set_buckets_for_metric(Matcher::Suffix("duration".into()), &DURATION_BUCKETS)
        .and_then(|b| {
            b.set_buckets_for_metric(Matcher::Suffix("attempts".into()), &ATTEMPT_BUCKETS)
        })
        .map_err(|e| format!("--metrics: {e}"))?;
    builder
        .install()
        .map_err(|e| format!("--metrics {address}: {e}"))?;
    eprintln!("metrics: Prometheus text at http://{address}/metrics");
    Ok(())
}

/// Keeps the watch's gauges: what each task was last seen as.
#[derive(Default)]
pub struct TaskGauges {
    /// Each task's name and state at the last look, to zero the state it leaves.
    seen: HashMap<String, (String, String)>,
}

impl TaskGauges {
    /// Records what `event` says.
    pub fn record(&mut self, event: &WatchEvent<TasksResponseBody>) {
        match event {
            WatchEvent::Appeared { key, item } | WatchEvent::Changed { key, item, .. } => {
                self.task(key, item)
            }
            WatchEvent::Disappeared { key, .. } => {
                if let Some((name, state)) = self.seen.remove(key) {
                    state_gauge(key, &name, &state).set(0.0);
                }
            }
            WatchEvent::Looked { items, .. } => {
                metrics::counter!(LOOKS).increment(1);
                metrics::gauge!(WATCHED_TASKS).set(*items as f64);
            }
            WatchEvent::LookFailed { .. } => {
                metrics::counter!(LOOKS).increment(1);
                metrics::counter!(LOOK_FAILURES).increment(1);
            }
            _ => {}
        }
    }

    fn task(&mut self, key: &str, task: &TasksResponseBody) {
        let name = task.name.clone().unwrap_or_default();
        let state = task
            .state
            .as_ref()
            .map(|s| s.to_string())
            .unwrap_or_default();
        if let Some((old_name, old_state)) = self.seen.get(key)
            && (old_state != &state || old_name != &name)
        {
            state_gauge(key, old_name, old_state).set(0.0);
        }
        state_gauge(key, &name, &state).set(1.0);
        for subtask in task.sub_tasks.iter().flatten() {
            if let (Some(subtask), Some(progress)) = (&subtask.name, subtask.progress) {
                metrics::gauge!(SUBTASK_PROGRESS, "task_id" => key.to_owned(), "task_name" => name.clone(), "subtask" => subtask.clone())
                    .set(f64::from(progress));
            }
        }
        if let Some(speed) = task.migrate_speed {
            metrics::gauge!(MIGRATE_SPEED, "task_id" => key.to_owned(), "task_name" => name.clone())
                .set(speed);
        }
        self.seen.insert(key.to_owned(), (name, state));
    }
}

fn state_gauge(key: &str, name: &str, state: &str) -> metrics::Gauge {
    metrics::gauge!(TASK_STATE, "task_id" => key.to_owned(), "task_name" => name.to_owned(), "state" => state.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use metrics_exporter_prometheus::PrometheusRecorder;
    use sms_api::prelude::*;
    use sms_api::types::TaskState;

    fn task(state: TaskState, progress: i32) -> TasksResponseBody {
        let mut task = TasksResponseBody::default();
        task.name = Some("web-01".into());
        task.state = Some(state);
        task.migrate_speed = Some(12.5);
        let mut subtask = sms_api::types::SubTaskAssociatedWithTask::default();
        subtask.name = Some("MIGRATE_LINUX_FILE".into());
        subtask.progress = Some(progress);
        task.sub_tasks = Some(vec![subtask]);
        task
    }

    /// `GET /metrics` from `address`, as Prometheus would scrape it.
    async fn scrape(address: SocketAddr) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        stream
            .write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).await.unwrap();
        text
    }

    #[tokio::test]
    async fn serves_the_client_metrics_as_prometheus_text() {
        // A free port: bound, then let go for the exporter.
        let address = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        serve(address).unwrap();
        let fake = sms_api::mock::FakeService::start(crate::sample_data::tasks()).await;
        let client = sms_api::Client::builder()
            .endpoint(fake.base_url())
            .credentials(sms_api::Credentials::iam_token("t"))
            .build()
            .unwrap();
        let missing = client.show_task().task_id("no-such-task").fetch().await;
        assert!(missing.is_err());
        let text = scrape(address).await;
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        let attempt = text.lines().find(|l| {
            l.starts_with("sms_api_client_call_attempt_duration_count{")
                && l.contains(r#"rpc_method="show_task""#)
                && l.contains(r#"http_response_status_code="404""#)
                && l.contains(r#"error_type="404""#)
        });
        assert!(attempt.is_some(), "the 404's attempt in\n{text}");
        assert!(
            text.contains(r#"sms_api_client_call_errors{rpc_service="sms",rpc_method="show_task",error_type="Service"}"#),
            "{text}"
        );
    }

    #[test]
    fn gauges_follow_a_task_through_its_states() {
        let recorder: PrometheusRecorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, || {
            let mut gauges = TaskGauges::default();
            let key = "t-1".to_owned();
            gauges.record(&WatchEvent::Appeared {
                key: key.clone(),
                item: task(TaskState::Running, 40),
            });
            gauges.record(&WatchEvent::Looked {
                number: 1,
                items: 1,
            });
            gauges.record(&WatchEvent::Changed {
                key: key.clone(),
                item: task(TaskState::MigrateSuccess, 100),
                changes: Vec::new(),
            });
        });
        let text = handle.render();
        for line in [
            r#"sms_task_state{task_id="t-1",task_name="web-01",state="RUNNING"} 0"#,
            r#"sms_task_state{task_id="t-1",task_name="web-01",state="MIGRATE_SUCCESS"} 1"#,
            r#"sms_task_subtask_progress_percent{task_id="t-1",task_name="web-01",subtask="MIGRATE_LINUX_FILE"} 100"#,
            r#"sms_task_migrate_speed_megabytes_per_second{task_id="t-1",task_name="web-01"} 12.5"#,
            "sms_watch_tasks 1",
            "sms_watch_looks_total 1",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        }
    }
}
