//! Decoding one page of 200 realistic tasks (every field filled) into the typed response,
//! against `serde_json::Value` on the same bytes.
//!
//! `cargo bench -p sms-api-benches --bench decode`

mod support;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sms_api::types::ListTasksResponse;

fn decode(c: &mut Criterion) {
    let tasks = (0..200).map(support::realistic_task).collect();
    let mut page = ListTasksResponse::default();
    page.count = Some(200);
    page.tasks = Some(tasks);
    let body = serde_json::to_vec(&page).expect("a page serializes");
    let mut group = c.benchmark_group("decode_page_of_200");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("typed ListTasksResponse", |b| {
        b.iter(|| serde_json::from_slice::<ListTasksResponse>(black_box(&body)).expect("decodes"));
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).expect("decodes"));
    });
    group.finish();
    eprintln!("page size: {} bytes", body.len());
}

criterion_group!(benches, decode);
criterion_main!(benches);
