//! Unattended runs (issue 24):
//!
//! 1. A watch's pace (requests per second) before and while its credentials source hangs: a
//!    metadata service that accepts connections and never answers, while the cached
//!    credentials are due for a refresh but still valid. Real time, a real fake service.
//! 2. How soon after a 10-minute outage ends a waiting client polls again, at the spec's
//!    delays (10-120 s, jittered), on tokio's paused clock against a loopback server.
//!
//! `cargo bench -p sms-api-benches --bench unattended`

#[path = "support/json_server.rs"]
mod json_server;
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use futures_util::TryStreamExt;
use sms_api::auth::{ProvideCredentials, ProvideFuture, TemporaryCredentials};
use sms_api::mock::FakeService;
use sms_api::prelude::*;
use sms_api::wait::WatchEvent;

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not: then a quick smoke run.
    let full = std::env::args().any(|a| a == "--bench");
    watch_pace(if full { 2_000 } else { 400 }, if full { 5.0 } else { 0.5 });
    polls_after_an_outage(if full { 50 } else { 1 });
}

/// Credentials once, then a source that never answers (a listener that accepts and is
/// silent): what the ECS metadata service looks like when it hangs.
#[derive(Debug)]
struct HangsAfterFirst {
    given: AtomicBool,
    hung_url: String,
    clock: Arc<AtomicU64>,
}

impl ProvideCredentials for HangsAfterFirst {
    fn name(&self) -> &str {
        "a hanging metadata service"
    }

    fn direct(&self) -> bool {
        true
    }

    fn provide<'a>(&'a self, http: &'a sms_api::auth::HttpClient) -> ProvideFuture<'a> {
        Box::pin(async move {
            if !self.given.swap(true, Ordering::SeqCst) {
                let now =
                    SystemTime::now() + Duration::from_secs(self.clock.load(Ordering::SeqCst));
                return Ok(TemporaryCredentials::new(
                    "BENCHAK",
                    "BENCHSK",
                    Some("BENCHST".into()),
                    Some(now + Duration::from_secs(20 * 60)),
                ));
            }
            let request = http::Request::get(&self.hung_url)
                .body(Vec::new())
                .expect("a request");
            let _ = http.send(self.name(), request).await;
            Err(sms_api::CredentialsError::NotFound {
                looked: vec!["the hung source answered".into()],
            })
        })
    }
}

fn watch_pace(total: usize, seconds: f64) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        // Accepts connections and never answers.
        let hung = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let hung_url = format!("http://{}/openstack/latest/securitykey", hung.local_addr().expect("an address"));
        let held = Arc::new(std::sync::Mutex::new(Vec::new()));
        let keep = held.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = hung.accept().await {
                keep.lock().expect("the list").push(stream);
            }
        });
        let fake = FakeService::start((0..total).map(support::realistic_task).collect()).await;
        let offset = Arc::new(AtomicU64::new(0));
        let clock = offset.clone();
        let client = Client::builder()
            .endpoint(fake.base_url())
            .credentials(Credentials::from_provider(HangsAfterFirst {
                given: AtomicBool::new(false),
                hung_url,
                clock: offset.clone(),
            }))
            .clock(move || SystemTime::now() + Duration::from_secs(clock.load(Ordering::SeqCst)))
            .build()
            .expect("a client");
        // Fill the fake's compressed pages.
        let _: Vec<_> = client.list_tasks().paginate().by_item().try_collect().await.expect("a listing");
        let before = pace(&client, seconds).await;
        // 11 minutes on: the 20-minute credentials are due (at half their life), still valid.
        offset.store(11 * 60, Ordering::SeqCst);
        let during = pace(&client, seconds).await;
        let traffic = client.traffic();
        println!(
            "a watch of {total} tasks ({} pages a look): {before:.1} requests/s before, {during:.1} while the credentials source hangs ({:.0}% of its pace); {} refresh(es) failed meanwhile, {} connection(s) left hanging",
            total.div_ceil(200),
            100.0 * during / before,
            traffic.credential_failures,
            held.lock().expect("the list").len(),
        );
    });
}

/// Requests per second a watch with no interval makes over `seconds`.
async fn pace(client: &Client, seconds: f64) -> f64 {
    let sent = client.traffic().requests;
    let started = Instant::now();
    let mut events = client.list_tasks().watch(Duration::ZERO).events();
    while started.elapsed().as_secs_f64() < seconds {
        match events.try_next().await.expect("a look") {
            Some(WatchEvent::Looked { .. }) | Some(_) => {}
            None => break,
        }
    }
    (client.traffic().requests - sent) as f64 / started.elapsed().as_secs_f64()
}

fn polls_after_an_outage(runs: usize) {
    let runtime = json_server::paused_runtime();
    let mut gaps = Vec::new();
    for _ in 0..runs {
        let gap = runtime.block_on(async {
            let start = tokio::time::Instant::now();
            let (from, to) = (
                start + Duration::from_secs(30 * 60),
                start + Duration::from_secs(40 * 60),
            );
            let (base_url, polls) = outage_server(from, to).await;
            let client = Client::builder()
                .endpoint(base_url)
                .credentials(Credentials::iam_token("bench"))
                .build()
                .expect("a client");
            let error = client
                .list_tasks()
                .id("t")
                .wait_until_task_migrated()
                .wait(Duration::from_secs(3600))
                .await
                .expect_err("the task never finishes");
            assert_eq!(
                error.kind(),
                sms_api::wait::WaitErrorKind::TimedOut,
                "{error}"
            );
            let after = polls
                .lock()
                .expect("the polls")
                .iter()
                .copied()
                .find(|at| *at >= to)
                .expect("a poll after the outage");
            after - to
        });
        gaps.push(gap.as_secs_f64());
    }
    gaps.sort_by(f64::total_cmp);
    println!(
        "after a 10-minute outage, at the spec's delays (10-120 s): the next poll came {:.0} s after the service returned (median; {:.0}-{:.0} s over {runs} runs)",
        gaps[gaps.len() / 2],
        gaps[0],
        gaps[gaps.len() - 1]
    );
}

/// A loopback server that lists one running task, and answers 503 from `from` to `to`; the
/// times of the requests it answered with a listing.
async fn outage_server(
    from: tokio::time::Instant,
    to: tokio::time::Instant,
) -> (String, Arc<std::sync::Mutex<Vec<tokio::time::Instant>>>) {
    let polls = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = polls.clone();
    let base_url = json_server::start(move || {
        let now = tokio::time::Instant::now();
        if now >= from && now < to {
            let down = r#"{"error_code": "SMS.0503", "error_msg": "down"}"#;
            return ("503 Service Unavailable", down.to_owned());
        }
        log.lock().expect("the polls").push(now);
        let body = r#"{"count": 1, "tasks": [{"id": "t", "state": "RUNNING"}]}"#;
        ("200 OK", body.to_owned())
    })
    .await;
    (base_url, polls)
}
