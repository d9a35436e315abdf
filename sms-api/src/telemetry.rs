//! Client metrics, through the [`metrics`](https://docs.rs/metrics) facade (feature `metrics`):
//! install any recorder (a Prometheus exporter, OpenTelemetry's bridge...) and the client
//! reports what it does, in the style of smithy's client metrics. Without a recorder they cost
//! a check of an atomic; without the feature, nothing.
//!
//! | name | kind | unit | attributes | what |
//! |---|---|---|---|---|
//! | `sms_api.client.call.duration` | histogram | s | `rpc.service`, `rpc.method` | a call, from `fetch()` to its result: checks, credentials, every attempt and wait |
//! | `sms_api.client.call.attempts` | histogram | {attempt} | `rpc.service`, `rpc.method` | attempts a call took |
//! | `sms_api.client.call.errors` | counter | {error} | `rpc.service`, `rpc.method`, `error.type` | calls that failed, by [`ErrorKind`](crate::ErrorKind) |
//! | `sms_api.client.call.attempt.duration` | histogram | s | `rpc.service`, `rpc.method`, `http.response.status_code` (when answered), `error.type` (a 4xx or 5xx status, or `timeout`, `connect`, `body`, `transport`) | one attempt: sending, and reading the whole answer; its count is the requests sent, by status |
//! | `sms_api.client.call.resolve_identity.duration` | histogram | s | `rpc.service`, `rpc.method` | readying credentials before the first attempt |
//! | `sms_api.client.call.throttled` | counter | {response} | `rpc.service`, `rpc.method` | answers the gateway throttled (429, `APIG.0308`) |
//! | `sms_api.client.call.retries` | counter | {request} | `rpc.service`, `rpc.method` | requests the client sent again by itself |
//! | `sms_api.client.page.refetches` | counter | {page} | `rpc.service`, `rpc.method` | pages a paginator fetched again |
//! | `sms_api.client.credentials.refreshes` | counter | {refresh} | `source` | temporary credentials fetched from their source |
//! | `sms_api.client.credentials.failures` | counter | {refresh} | `source` | refreshes that failed |
//! | `sms_api.client.credentials.duration` | histogram | s | `source` | one refresh, until its source answered or timed out |
//!
//! `rpc.service` is `sms`; `rpc.method` the spec's `operationId` (`list_tasks`).
//!
//! ```
//! // With the feature on, a recorder installed once makes every client report to it:
//! // metrics_exporter_prometheus::PrometheusBuilder::new().install()?;
//! assert_eq!(sms_api::telemetry::CALL_DURATION, "sms_api.client.call.duration");
//! ```

use std::time::Duration;

/// A call's duration.
pub const CALL_DURATION: &str = "sms_api.client.call.duration";
/// The attempts a call took.
pub const CALL_ATTEMPTS: &str = "sms_api.client.call.attempts";
/// Calls that failed.
pub const CALL_ERRORS: &str = "sms_api.client.call.errors";
/// One attempt's duration.
pub const ATTEMPT_DURATION: &str = "sms_api.client.call.attempt.duration";
/// Readying credentials before a call's first attempt.
pub const RESOLVE_IDENTITY_DURATION: &str = "sms_api.client.call.resolve_identity.duration";
/// Answers the gateway throttled.
pub const THROTTLED: &str = "sms_api.client.call.throttled";
/// Requests the client sent again by itself.
pub const RETRIES: &str = "sms_api.client.call.retries";
/// Pages a paginator fetched again.
pub const REFETCHES: &str = "sms_api.client.page.refetches";
/// Temporary credentials fetched from their source.
pub const CREDENTIAL_REFRESHES: &str = "sms_api.client.credentials.refreshes";
/// Refreshes of temporary credentials that failed.
pub const CREDENTIAL_FAILURES: &str = "sms_api.client.credentials.failures";
/// One refresh of temporary credentials.
pub const CREDENTIAL_DURATION: &str = "sms_api.client.credentials.duration";

/// Histogram buckets for the client's durations (`*.duration`), in seconds: from a loopback
/// answer to a call that waited out a throttled gateway or a slow credentials source.
///
/// ```
/// // metrics_exporter_prometheus::PrometheusBuilder::new()
/// //     .set_buckets_for_metric(Matcher::Suffix("duration".into()), &sms_api::telemetry::DURATION_BUCKETS)?
/// assert!(sms_api::telemetry::DURATION_BUCKETS.is_sorted());
/// ```
pub const DURATION_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Histogram buckets for the attempts a call took (`*.attempts`; the default retry policy
/// tries 3 times).
///
/// ```
/// assert_eq!(sms_api::telemetry::ATTEMPT_BUCKETS[0], 1.0);
/// ```
pub const ATTEMPT_BUCKETS: [f64; 5] = [1.0, 2.0, 3.0, 5.0, 10.0];

/// The service, as `rpc.service`.
#[cfg(feature = "metrics")]
const SERVICE: &str = "sms";

/// A call of `operation` ended after `elapsed` and `attempts`: `error` names its kind when it
/// failed.
#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn call(
    operation: &'static str,
    elapsed: Duration,
    attempts: u32,
    error: Option<String>,
) {
    #[cfg(feature = "metrics")]
    {
        let labels = [("rpc.service", SERVICE), ("rpc.method", operation)];
        metrics::histogram!(CALL_DURATION, &labels).record(elapsed.as_secs_f64());
        metrics::histogram!(CALL_ATTEMPTS, &labels).record(f64::from(attempts));
        if let Some(kind) = error {
            metrics::counter!(CALL_ERRORS, "rpc.service" => SERVICE, "rpc.method" => operation, "error.type" => kind)
                .increment(1);
        }
    }
}

/// One attempt of `operation` took `elapsed`, and got an answer with `status`, or failed as
/// `error_type` says (OpenTelemetry's `error.type`: the status of a 4xx or 5xx, or what kind of
/// transport failure).
#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn attempt(
    operation: &'static str,
    elapsed: Duration,
    status: Option<u16>,
    error_type: Option<String>,
) {
    #[cfg(feature = "metrics")]
    {
        let mut labels = vec![
            metrics::Label::from_static_parts("rpc.service", SERVICE),
            metrics::Label::from_static_parts("rpc.method", operation),
        ];
        if let Some(status) = status {
            labels.push(metrics::Label::new(
                "http.response.status_code",
                status.to_string(),
            ));
        }
        if let Some(error_type) = error_type {
            labels.push(metrics::Label::new("error.type", error_type));
        }
        metrics::histogram!(ATTEMPT_DURATION, labels).record(elapsed.as_secs_f64());
    }
}

/// Readying credentials for a call of `operation` took `elapsed`.
#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn resolve_identity(operation: &'static str, elapsed: Duration) {
    #[cfg(feature = "metrics")]
    metrics::histogram!(RESOLVE_IDENTITY_DURATION, "rpc.service" => SERVICE, "rpc.method" => operation)
        .record(elapsed.as_secs_f64());
}

/// The gateway throttled an attempt of `operation`.
#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn throttled(operation: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!(THROTTLED, "rpc.service" => SERVICE, "rpc.method" => operation).increment(1);
}

/// The client sent `operation` again by itself.
#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn retry(operation: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!(RETRIES, "rpc.service" => SERVICE, "rpc.method" => operation).increment(1);
}

/// A paginator fetched a page of `operation` again.
#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn refetch(operation: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!(REFETCHES, "rpc.service" => SERVICE, "rpc.method" => operation).increment(1);
}

/// A refresh of temporary credentials from `source` took `elapsed`, and failed or not.
#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn credentials(source: &str, elapsed: Duration, failed: bool) {
    #[cfg(feature = "metrics")]
    {
        let source = source.to_owned();
        metrics::histogram!(CREDENTIAL_DURATION, "source" => source.clone())
            .record(elapsed.as_secs_f64());
        let name = if failed {
            CREDENTIAL_FAILURES
        } else {
            CREDENTIAL_REFRESHES
        };
        metrics::counter!(name, "source" => source).increment(1);
    }
}
