//! The paginator finds how many pages to keep in flight by itself: more over a link whose
//! latency, not its bandwidth, bounds a listing; no more when a gateway throttles; exactly the
//! number a caller fixes. On tokio's paused clock against the fake service, so the times
//! compared are the fake's virtual ones, the same every run.

use std::time::Duration;

use futures_util::TryStreamExt;
use sms_api::mock::{FakeService, GatewayLimit};
use sms_api::paging::{DEFAULT_CONCURRENCY, MAX_CONCURRENCY};
use sms_api::prelude::*;
use sms_api::types::TasksResponseBody;
use tokio::time::Instant;

/// The page size these tests pin, whatever the spec's maximum.
const PAGE: i64 = 100;

fn tasks(n: usize) -> Vec<TasksResponseBody> {
    (0..n)
        .map(|i| {
            let mut task = TasksResponseBody::default();
            task.id = Some(format!("t{i:05}"));
            task
        })
        .collect()
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::iam_token("token"))
        .jitter(|| 0.5)
        .build()
        .unwrap()
}

/// Lists every task through `fake` (pages of [`PAGE`], `concurrency` fixed or not); returns the
/// virtual time it took, after checking every task came, once and in order.
async fn list(client: &Client, concurrency: Option<usize>, total: usize) -> Duration {
    let started = Instant::now();
    let mut paginator = client.list_tasks().paginate().page_size(PAGE);
    if let Some(pages) = concurrency {
        paginator = paginator.concurrency(pages);
    }
    let listed: Vec<_> = paginator.by_item().try_collect().await.unwrap();
    assert_eq!(listed.len(), total);
    assert!(
        listed
            .iter()
            .enumerate()
            .all(|(i, t)| t.id.as_deref() == Some(&*format!("t{i:05}")))
    );
    started.elapsed()
}

#[tokio::test(start_paused = true)]
async fn a_distant_service_gets_more_pages_in_flight_up_to_the_ceiling() {
    const TOTAL: usize = 20_000;
    let fake = FakeService::start_with_latency(tasks(TOTAL), Duration::from_millis(40)).await;

    let fixed = client(&fake.base_url());
    let at_default = list(&fixed, Some(DEFAULT_CONCURRENCY), TOTAL).await;
    assert_eq!(fixed.traffic().max_in_flight, DEFAULT_CONCURRENCY);

    let adaptive = client(&fake.base_url());
    let found = list(&adaptive, None, TOTAL).await;
    assert_eq!(
        adaptive.traffic().max_in_flight,
        MAX_CONCURRENCY,
        "goodput kept rising: the window grew to its ceiling"
    );
    // 200 pages 40 ms away: at 8 in flight, 25 round trips; growing, fewer.
    assert!(
        found < at_default * 2 / 3,
        "adaptive {found:?}, fixed at the default {at_default:?}"
    );
    assert_eq!(adaptive.traffic().throttled, 0);
}

#[tokio::test(start_paused = true)]
async fn a_throttling_gateway_is_not_flooded() {
    const TOTAL: usize = 10_000;
    let limit = GatewayLimit {
        per_second: 10.0,
        burst: 10,
    };
    let fake =
        FakeService::start_behind_gateway(tasks(TOTAL), Duration::from_millis(20), limit).await;
    let client = client(&fake.base_url());
    let took = list(&client, None, TOTAL).await;
    let pages = TOTAL.div_ceil(PAGE as usize);
    // The rate floor: the first burst at once, the rest at 10 a second.
    let floor = Duration::from_secs_f64((pages - 10) as f64 / 10.0);
    let wire = fake.gateway_stats();
    assert!(
        took <= floor.mul_f64(1.1),
        "{took:?} against a floor of {floor:?}"
    );
    assert!(
        wire.throttled * 10 <= wire.requests,
        "{} of {} requests throttled",
        wire.throttled,
        wire.requests
    );
    assert!(
        client.traffic().max_in_flight <= DEFAULT_CONCURRENCY,
        "in flight at most {}",
        client.traffic().max_in_flight
    );
}

#[tokio::test(start_paused = true)]
async fn a_fixed_concurrency_is_kept_exactly() {
    const TOTAL: usize = 5_000;
    let fake = FakeService::start_with_latency(tasks(TOTAL), Duration::from_millis(40)).await;
    // 50 pages: the first alone, so at most 49 later ones at once.
    let later_pages = TOTAL / PAGE as usize - 1;
    for pages in [1, 3, MAX_CONCURRENCY + 8] {
        let client = client(&fake.base_url());
        list(&client, Some(pages), TOTAL).await;
        assert_eq!(
            client.traffic().max_in_flight,
            pages.min(later_pages),
            "{pages}"
        );
    }
}
