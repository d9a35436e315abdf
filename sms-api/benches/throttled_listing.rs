//! Listing 20,000 realistic tasks through an API gateway that throttles like Huawei Cloud's: a
//! token bucket of 10 requests/s (bursts of 10) answering the rest with HTTP 429 `APIG.0308`
//! and no Retry-After, 20 ms added to every response. 100 pages of 200, so the rate floor is
//! about 9 s (the first 10 pages pass at once, then 90 at 10/s).
//!
//! Targets (issue 14): all tasks, in order; wall time at most 1.3× the floor; throttled answers
//! at most 15% of requests; at the default (pages in flight found by the paginator, issue 34:
//! at most 1.1× the floor and 10% throttled), at a fixed 8 and at 4. The limiter turned off
//! shows what happened before it.
//!
//! `cargo bench -p sms-api-benches --bench throttled_listing` (about a minute)

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use sms_api::mock::{FakeService, GatewayLimit};
use sms_api::prelude::*;
use sms_api::send::AdaptiveRateLimit;

const LATENCY: Duration = Duration::from_millis(20);
const PAGE: i64 = 200;

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not: then a quick smoke run.
    let full = std::env::args().any(|a| a == "--bench");
    let (total, limit) = if full {
        (
            20_000,
            GatewayLimit {
                per_second: 10.0,
                burst: 10,
            },
        )
    } else {
        (
            1_000,
            GatewayLimit {
                per_second: 20.0,
                burst: 1,
            },
        )
    };
    let pages = (total as i64 + PAGE - 1) / PAGE;
    let floor = (pages - i64::from(limit.burst)).max(0) as f64 / limit.per_second;
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    println!(
        "{total} tasks, pages of {PAGE}, gateway {} requests/s (burst {}), {} ms latency; rate floor {floor:.1} s",
        limit.per_second,
        limit.burst,
        LATENCY.as_millis()
    );
    println!(
        "{:<34} {:>8} {:>9} {:>10} {:>9} {:>10} {:>18}",
        "client", "tasks", "wall", "vs floor", "requests", "throttled", "in flight mean/max"
    );
    // Every target with the limiter on; `complete`: every task listed, in order.
    let (mut met, mut complete) = (true, true);
    for (name, concurrency, limiter) in [
        (
            "limiter on, default (adaptive)",
            None,
            AdaptiveRateLimit::default(),
        ),
        (
            "limiter on, concurrency 8",
            Some(8),
            AdaptiveRateLimit::default(),
        ),
        (
            "limiter on, concurrency 4",
            Some(4),
            AdaptiveRateLimit::default(),
        ),
        (
            "limiter off, concurrency 8 (before)",
            Some(8),
            AdaptiveRateLimit::disabled(),
        ),
    ] {
        let run = runtime.block_on(list(total, limit, concurrency, limiter.clone()));
        let share = run.throttled as f64 / run.requests.max(1) as f64;
        let outcome = match &run.error {
            None => format!(
                "{:>8.2}s {:>9.2}x",
                run.wall.as_secs_f64(),
                run.wall.as_secs_f64() / floor
            ),
            Some(_) => format!("{:>9} {:>10}", "failed", "-"),
        };
        println!(
            "{name:<34} {:>8} {outcome} {:>9} {:>9.1}% {:>13.2} / {}",
            run.listed,
            run.requests,
            share * 100.0,
            run.mean_in_flight,
            run.max_in_flight
        );
        if let Some(error) = &run.error {
            println!("    ended with: {error}");
        }
        if limiter.is_enabled() {
            complete &= run.error.is_none() && run.listed == total;
            met &= run.error.is_none()
                && run.listed == total
                && run.wall.as_secs_f64() <= 1.3 * floor.max(0.1)
                && share <= 0.15;
        }
    }
    if full {
        println!(
            "targets (all tasks in order, wall <= 1.3x floor, throttled <= 15%) with the limiter on: {}",
            if met { "met" } else { "MISSED" }
        );
    } else {
        // A debug build's timings say nothing: the smoke run checks that nothing was lost.
        assert!(
            complete,
            "the smoke run listed every task with the limiter on"
        );
    }
}

struct Run {
    listed: usize,
    wall: Duration,
    requests: u64,
    throttled: u64,
    mean_in_flight: f64,
    max_in_flight: usize,
    error: Option<sms_api::Error>,
}

async fn list(
    total: usize,
    limit: GatewayLimit,
    concurrency: Option<usize>,
    limiter: AdaptiveRateLimit,
) -> Run {
    let tasks: Vec<_> = (0..total).map(support::realistic_task).collect();
    let expected: Vec<_> = tasks.iter().map(|t| t.id.clone()).collect();
    let fake = FakeService::start_behind_gateway(tasks, LATENCY, limit).await;
    let client = Client::builder()
        .endpoint(fake.base_url())
        .credentials(Credentials::iam_token("bench-token"))
        .adaptive_rate_limit(limiter)
        .build()
        .expect("a client");
    // Requests on the wire, sampled every 5 ms while listing.
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (client, stop) = (client.clone(), stop.clone());
        tokio::spawn(async move {
            let mut samples = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                samples.push(client.traffic().in_flight);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            samples
        })
    };
    let started = Instant::now();
    let mut paginator = client.list_tasks().paginate();
    if let Some(pages) = concurrency {
        paginator = paginator.concurrency(pages);
    }
    let mut stream = paginator.by_item();
    let (mut listed, mut error) = (0, None);
    while let Some(task) = stream.next().await {
        match task {
            Ok(task) => {
                assert_eq!(task.id, expected[listed], "task {listed} out of order");
                listed += 1;
            }
            Err(e) => error = Some(e),
        }
    }
    let wall = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let samples = sampler.await.expect("the sampler");
    let gateway = fake.gateway_stats();
    let traffic = client.traffic();
    if error.is_none() {
        // (A listing that failed dropped the requests it had in flight.)
        assert_eq!(
            traffic.requests, gateway.requests,
            "every request reached the gateway"
        );
    }
    Run {
        listed,
        wall,
        requests: gateway.requests,
        throttled: gateway.throttled,
        mean_in_flight: samples.iter().sum::<usize>() as f64 / samples.len().max(1) as f64,
        max_in_flight: traffic.max_in_flight,
        error,
    }
}
