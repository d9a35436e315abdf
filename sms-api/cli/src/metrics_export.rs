//! `--metrics ADDR`: Prometheus text at `http://ADDR/metrics` while the command runs, through
//! `metrics-exporter-prometheus`: the client's metrics (`sms_api::telemetry`, dots become
//! underscores) and, during `--watch`, each task's state and progress as gauges
//! (`sms_api::wait::TaskGauges`), a task's series gone once it left the listing.

use std::net::SocketAddr;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use metrics_util::MetricKindMask;
use sms_api::telemetry::{ATTEMPT_BUCKETS, DURATION_BUCKETS};
use sms_api::wait::gauge_idle_timeout;

/// Installs the exporter as the process's recorder, serving on `address`, with the library's
/// histogram buckets and gauges that expire once nobody sets them for three looks of
/// `look_interval` (a task's series go once it leaves the watch); says where on stderr.
pub fn serve(address: SocketAddr, look_interval: Duration) -> Result<(), String> {
    exporter(look_interval)?
        .with_http_listener(address)
        .install()
        .map_err(|e| format!("--metrics {address}: {e}"))?;
    eprintln!("metrics: Prometheus text at http://{address}/metrics");
    Ok(())
}

/// The exporter, before it is given a listener.
fn exporter(look_interval: Duration) -> Result<PrometheusBuilder, String> {
    PrometheusBuilder::new()
        .idle_timeout(
            MetricKindMask::GAUGE,
            Some(gauge_idle_timeout(look_interval)),
        )
        .set_buckets_for_metric(Matcher::Suffix("duration".into()), &DURATION_BUCKETS)
        .and_then(|b| {
            b.set_buckets_for_metric(Matcher::Suffix("attempts".into()), &ATTEMPT_BUCKETS)
        })
        .map_err(|e| format!("--metrics: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sms_api::prelude::*;
    use sms_api::types::{TaskState, TasksResponseBody};
    use sms_api::wait::{TaskGauges, WatchEvent};

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

    #[test]
    fn renders_the_client_metrics_as_prometheus_text() {
        let recorder = exporter(Duration::from_secs(30)).unwrap().build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, || {
            // On this thread, so that the local recorder sees the client's metrics.
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let fake = sms_api::mock::FakeService::start(crate::sample_data::tasks()).await;
                let client = sms_api::Client::builder()
                    .endpoint(fake.base_url())
                    .credentials(sms_api::Credentials::iam_token("t"))
                    .build()
                    .unwrap();
                let missing = client.show_task().task_id("no-such-task").fetch().await;
                assert!(missing.is_err());
            });
        });
        let text = handle.render();
        let attempt = text.lines().find(|l| {
            l.starts_with("sms_api_client_call_attempt_duration_bucket{")
                && l.contains(r#"rpc_method="show_task""#)
                && l.contains(r#"http_response_status_code="404""#)
                && l.contains(r#"le="0.005""#)
        });
        assert!(
            attempt.is_some(),
            "the 404's attempt, in the library's buckets, in\n{text}"
        );
        assert!(
            text.contains(r#"sms_api_client_call_errors{rpc_service="sms",rpc_method="show_task",error_type="Service"} 1"#),
            "{text}"
        );
    }

    #[test]
    fn gauges_follow_a_task_through_its_states() {
        let recorder = exporter(Duration::from_secs(30)).unwrap().build_recorder();
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
