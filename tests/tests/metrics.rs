//! The client's metrics through the `metrics` facade, recorded by a test double and compared
//! with what the fake service received. Alone in its binary: the recorder is global.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::TryStreamExt;
use metrics::{
    Counter, CounterFn, Gauge, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder,
    SharedString, Unit,
};
use serde_json::json;
use sms_api::mock::{FakeService, GatewayLimit};
use sms_api::prelude::*;
use sms_api::telemetry;
use sms_api::types::TasksResponseBody;

/// Everything recorded, by metric name and sorted labels: `name{k=v,...}`.
#[derive(Default)]
struct Recorded {
    counters: Mutex<BTreeMap<String, u64>>,
    histograms: Mutex<BTreeMap<String, Vec<f64>>>,
}

impl Recorded {
    fn counter(&self, name: &str, labels: &[(&str, &str)]) -> u64 {
        let key = key_text(
            name,
            labels.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        );
        self.counters
            .lock()
            .unwrap()
            .get(&key)
            .copied()
            .unwrap_or(0)
    }

    /// The samples of `name` whose labels include `labels`, over every other label.
    fn histogram_over(&self, name: &str, labels: &[(&str, &str)]) -> usize {
        let prefix = format!("{name}{{");
        self.histograms
            .lock()
            .unwrap()
            .iter()
            .filter(|(key, _)| {
                key.strip_prefix(&prefix).is_some_and(|rest| {
                    let rest = rest.trim_end_matches('}');
                    labels
                        .iter()
                        .all(|(k, v)| rest.split(',').any(|l| l == format!("{k}={v}")))
                })
            })
            .map(|(_, samples)| samples.len())
            .sum()
    }

    fn histogram(&self, name: &str, labels: &[(&str, &str)]) -> Vec<f64> {
        let key = key_text(
            name,
            labels.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        );
        self.histograms
            .lock()
            .unwrap()
            .get(&key)
            .cloned()
            .unwrap_or_default()
    }
}

fn key_text(name: &str, labels: impl Iterator<Item = (String, String)>) -> String {
    let mut labels: Vec<String> = labels.map(|(k, v)| format!("{k}={v}")).collect();
    labels.sort();
    format!("{name}{{{}}}", labels.join(","))
}

struct Handle {
    key: String,
    recorded: Arc<Recorded>,
}

impl CounterFn for Handle {
    fn increment(&self, value: u64) {
        *self
            .recorded
            .counters
            .lock()
            .unwrap()
            .entry(self.key.clone())
            .or_default() += value;
    }
    fn absolute(&self, value: u64) {
        self.recorded
            .counters
            .lock()
            .unwrap()
            .insert(self.key.clone(), value);
    }
}

impl HistogramFn for Handle {
    fn record(&self, value: f64) {
        self.recorded
            .histograms
            .lock()
            .unwrap()
            .entry(self.key.clone())
            .or_default()
            .push(value);
    }
}

struct TestRecorder(Arc<Recorded>);

impl TestRecorder {
    fn handle(&self, key: &Key) -> Arc<Handle> {
        let labels = key
            .labels()
            .map(|l| (l.key().to_owned(), l.value().to_owned()));
        Arc::new(Handle {
            key: key_text(key.name(), labels),
            recorded: self.0.clone(),
        })
    }
}

impl Recorder for TestRecorder {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(self.handle(key))
    }
    fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::noop()
    }
    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(self.handle(key))
    }
}

fn tasks(n: usize) -> Vec<TasksResponseBody> {
    (0..n)
        .map(|i| {
            let mut task = TasksResponseBody::default();
            task.id = Some(format!("t{i}"));
            task
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn the_metrics_match_what_went_on_the_wire() {
    let recorded = Arc::new(Recorded::default());
    metrics::set_global_recorder(TestRecorder(recorded.clone())).unwrap();
    let list = [("rpc.method", "list_tasks"), ("rpc.service", "sms")];

    // Behind a gateway that throttles, with failures to retry and a page to fetch again.
    let limit = GatewayLimit {
        per_second: 20.0,
        burst: 2,
    };
    let fake = FakeService::start_behind_gateway(tasks(450), Duration::from_millis(5), limit).await;
    let client = Client::builder()
        .endpoint(fake.base_url())
        .credentials(Credentials::iam_token("token"))
        .build()
        .unwrap();
    fake.fail_next(
        4,
        503,
        json!({"error_code": "SMS.2007", "error_msg": "busy"}),
    );
    let listed: Vec<_> = client
        .list_tasks()
        .paginate()
        .page_size(100)
        .concurrency(4)
        .by_item()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 450);
    let error = client
        .show_task()
        .task_id("missing")
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service);

    let traffic = client.traffic();
    let wire = fake.gateway_stats();
    assert_eq!(
        traffic.requests, wire.requests,
        "every request reached the fake"
    );
    // Every attempt, of every call, is an attempt.duration sample labelled with its status;
    // the calls' attempts add up to what the wire saw.
    let show = [("rpc.method", "show_task"), ("rpc.service", "sms")];
    let attempts = recorded.histogram_over(telemetry::ATTEMPT_DURATION, &[("rpc.service", "sms")]);
    assert_eq!(attempts as u64, wire.requests);
    let by_status = |status: &str| {
        recorded.histogram_over(
            telemetry::ATTEMPT_DURATION,
            &[("http.response.status_code", status)],
        ) as u64
    };
    assert_eq!(
        by_status("503"),
        4,
        "the four failures the fake was told to send"
    );
    assert_eq!(by_status("429"), wire.throttled);
    assert_eq!(by_status("404"), 1, "the show of a missing task");
    assert_eq!(
        by_status("200") + by_status("503") + by_status("429") + by_status("404"),
        wire.requests
    );
    assert_eq!(
        recorded.histogram_over(
            telemetry::ATTEMPT_DURATION,
            &[("http.response.status_code", "503"), ("error.type", "503")]
        ),
        4,
        "a 5xx is an error.type"
    );
    let per_call: f64 = recorded
        .histogram(telemetry::CALL_ATTEMPTS, &list)
        .iter()
        .sum::<f64>()
        + recorded
            .histogram(telemetry::CALL_ATTEMPTS, &show)
            .iter()
            .sum::<f64>();
    assert_eq!(per_call as u64, wire.requests);
    assert_eq!(
        recorded.counter(telemetry::THROTTLED, &list),
        wire.throttled
    );
    assert!(wire.throttled > 0, "the gateway throttled: {wire:?}");
    assert_eq!(recorded.counter(telemetry::RETRIES, &list), traffic.retries);
    assert_eq!(
        recorded.counter(telemetry::REFETCHES, &list),
        traffic.refetches
    );
    assert_eq!(
        recorded.counter(
            telemetry::CALL_ERRORS,
            &[
                ("error.type", "Service"),
                ("rpc.method", "show_task"),
                ("rpc.service", "sms")
            ]
        ),
        1
    );
    // One call duration per call: the listing's pages, and the show.
    let pages = recorded.histogram(telemetry::CALL_DURATION, &list).len();
    assert_eq!(pages as u64, 5 + traffic.refetches);
    assert_eq!(
        recorded
            .histogram(telemetry::RESOLVE_IDENTITY_DURATION, &show)
            .len(),
        1
    );
}
