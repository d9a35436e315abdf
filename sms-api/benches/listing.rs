//! Listing 20,000 realistic tasks from a loopback server that adds 20 ms to each response:
//! sms-api's stream one page at a time and concurrently, against a hand-written reqwest +
//! serde_json loop doing the same work (the lower bound for sequential paging).
//!
//! `cargo bench -p sms-api-benches --bench listing`

mod support;

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_util::StreamExt;
use sms_api::mock::FakeService;
use sms_api::prelude::*;
use sms_api::types::ListTasksResponse;

const TASKS: usize = 20_000;
const LATENCY: Duration = Duration::from_millis(20);
const PAGE: usize = 200;

fn listing(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let fake = runtime.block_on(FakeService::start_with_latency(
        (0..TASKS).map(support::realistic_task).collect(),
        LATENCY,
    ));
    let base_url = fake.base_url();
    let client = Client::builder()
        .endpoint(&base_url)
        .credentials(Credentials::iam_token("bench-token"))
        .build()
        .expect("a client");
    // After the client above, which installed the rustls provider this reqwest needs.
    let http = reqwest::Client::new();

    let mut group = c.benchmark_group("list_20000_tasks_20ms_latency");
    group.throughput(Throughput::Elements(TASKS as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(25));
    for concurrency in [1, 4, 8] {
        group.bench_function(format!("sms-api stream, concurrency {concurrency}"), |b| {
            b.to_async(&runtime).iter(|| async {
                let mut tasks = client
                    .list_tasks()
                    .paginate()
                    .concurrency(concurrency)
                    .by_item();
                let mut n = 0;
                while let Some(task) = tasks.next().await {
                    task.expect("a task");
                    n += 1;
                }
                assert_eq!(n, TASKS);
            });
        });
    }
    group.bench_function("hand-written reqwest + serde_json loop", |b| {
        b.to_async(&runtime).iter(|| async {
            let mut n = 0;
            let mut offset = 0;
            loop {
                let body = http
                    .get(format!("{base_url}/v3/tasks"))
                    .query(&[("limit", PAGE), ("offset", offset)])
                    .header("x-auth-token", "bench-token")
                    .send()
                    .await
                    .expect("a response")
                    .bytes()
                    .await
                    .expect("a body");
                let page: ListTasksResponse = serde_json::from_slice(&body).expect("a page");
                let got = page.tasks.map_or(0, |t| t.len());
                n += got;
                offset += PAGE;
                if got < PAGE || offset >= page.count.unwrap_or_default() as usize {
                    break;
                }
            }
            assert_eq!(n, TASKS);
        });
    });
    group.finish();
}

criterion_group!(benches, listing);
criterion_main!(benches);
