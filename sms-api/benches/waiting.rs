//! Waiting and watching (issue 17):
//!
//! 1. How many polls a 6-hour `TaskMigrated` wait makes at the spec's delays (10-120 s, smithy's
//!    jittered exponential backoff), on tokio's paused clock against a task that never
//!    finishes: the waits are skipped, the polls are real requests to a loopback server.
//! 2. A watch of 20,000 realistic tasks: the time of one look (every page, through the
//!    paginator, and the comparison with the previous look), and the memory it holds.
//!
//! `cargo bench -p sms-api-benches --bench waiting`

#[path = "support/heap.rs"]
mod heap;
#[path = "support/json_server.rs"]
mod json_server;
#[path = "support/memory.rs"]
mod memory;
mod support;

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use memory::{current_rss_kib, peak_rss_kib, reset_peak};
use sms_api::mock::FakeService;
use sms_api::prelude::*;
use sms_api::wait::WatchEvent;

#[global_allocator]
static HEAP: heap::Counting = heap::Counting;

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not: then a quick smoke run.
    let full = std::env::args().any(|a| a == "--bench");
    polls_in_a_long_wait(if full { 20 } else { 1 });
    watch_cycles(if full { 20_000 } else { 1_000 }, if full { 5 } else { 2 });
}

fn polls_in_a_long_wait(runs: usize) {
    let runtime = json_server::paused_runtime();
    let mut polls = Vec::new();
    for _ in 0..runs {
        let n = runtime.block_on(async {
            let base_url = running_task_server().await;
            let client = Client::builder()
                .endpoint(base_url)
                .credentials(Credentials::iam_token("bench"))
                .build()
                .expect("a client");
            let error = client
                .list_tasks()
                .wait_until_task_migrated()
                .wait(Duration::from_secs(6 * 3600))
                .await
                .expect_err("the task never finishes");
            assert_eq!(
                error.kind(),
                sms_api::wait::WaitErrorKind::TimedOut,
                "{error}"
            );
            error.polls()
        });
        polls.push(n as f64);
    }
    let mean = polls.iter().sum::<f64>() / polls.len() as f64;
    let (min, max) = polls
        .iter()
        .fold((f64::MAX, 0f64), |(a, b), p| (a.min(*p), b.max(*p)));
    println!(
        "a 6 h TaskMigrated wait at the spec's delays (10-120 s): {mean:.0} polls on average ({min:.0}-{max:.0} over {runs} runs), {:.1} per hour",
        mean / 6.0
    );
}

/// A loopback server that always lists one running task.
async fn running_task_server() -> String {
    json_server::start(|| {
        let body = r#"{"count": 1, "tasks": [{"id": "t", "state": "RUNNING"}]}"#;
        ("200 OK", body.to_owned())
    })
    .await
}

fn watch_cycles(total: usize, looks: u64) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let fake = FakeService::start((0..total).map(support::realistic_task).collect()).await;
        let client = Client::builder()
            .endpoint(fake.base_url())
            .credentials(Credentials::iam_token("bench"))
            .build()
            .expect("a client");
        // Fill the fake's compressed pages, so that the looks below measure the client.
        let _: Vec<_> = client.list_tasks().paginate().by_item().try_collect().await.expect("a listing");
        let baseline = peak_rss_kib();
        reset_peak();
        // What the process holds as the watch begins: the peak of setting up (the warm-up
        // listing) may lie above it.
        let holding = current_rss_kib();
        let heap_before = heap::live();
        heap::reset_peak();
        let mut events = client.list_tasks().watch(Duration::ZERO).events();
        let mut started = Instant::now();
        let mut times = Vec::new();
        // The heap the watch keeps between looks (measured as each look ends), and its peak.
        let mut kept = Vec::new();
        while let Some(event) = events.try_next().await.expect("a look") {
            if let WatchEvent::Looked { number, items } = event {
                assert_eq!(items, total);
                times.push(started.elapsed());
                kept.push(heap::live().saturating_sub(heap_before));
                started = Instant::now();
                if number == looks {
                    break;
                }
            }
        }
        let heap_peak = heap::peak().saturating_sub(heap_before);
        let peak = peak_rss_kib();
        let ms: Vec<String> = times.iter().map(|t| format!("{:.0}", t.as_secs_f64() * 1000.0)).collect();
        let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
        let kept_most = kept.iter().copied().max().unwrap_or_default();
        println!(
            "a watch of {total} tasks: looks of {} ms; heap kept between looks {:.1} MiB ({} bytes a task), heap peak during the looks {:.1} MiB above the {:.1} MiB in use before ({} bytes a task); peak RSS {} MiB above the {} MiB before watching, {} MiB above the {} MiB held as the watch began (the fake service and its tasks included in all)",
            ms.join(", "),
            mib(kept_most),
            kept_most / total,
            mib(heap_peak),
            mib(heap_before),
            heap_peak / total,
            peak.saturating_sub(baseline) / 1024,
            baseline / 1024,
            peak.saturating_sub(holding) / 1024,
            holding / 1024
        );
    });
}
