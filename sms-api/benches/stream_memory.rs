//! Peak memory (RSS) of the client while it streams 65,000 realistic tasks, at several
//! concurrencies, against collecting them all: streaming must stay proportional to the pages in
//! flight, not to the total.
//!
//! `cargo bench -p sms-api-benches --bench stream_memory`
//!
//! The server runs in a child process (this program, re-executed), so that only the client's
//! memory is measured. Linux only: it reads and resets the peak through `/proc/self`.

#[path = "support/memory.rs"]
mod memory;
mod support;

use memory::{peak_rss_kib, reset_peak};

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use futures_util::{StreamExt, TryStreamExt};
use sms_api::prelude::*;
use sms_api::types::ListTasksResponse;

/// Set in the child process that serves.
const SERVE: &str = "SMS_API_BENCH_SERVE";

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not: then a quick smoke run.
    let full = std::env::args().any(|a| a == "--bench");
    let total = if full { 65_000 } else { 2_000 };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    if let Ok(count) = std::env::var(SERVE) {
        runtime.block_on(serve(count.parse().expect("a count")));
        return;
    }
    let mut child = Command::new(std::env::current_exe().expect("this program"))
        .env(SERVE, total.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server process");
    let mut base_url = String::new();
    BufReader::new(child.stdout.take().expect("its stdout"))
        .read_line(&mut base_url)
        .expect("its URL");
    let client = Client::builder()
        .endpoint(base_url.trim())
        .credentials(Credentials::iam_token("bench-token"))
        .build()
        .expect("a client");

    println!(
        "streaming {total} realistic tasks (~1.5 KB each), pages of 200; peak RSS of the client:"
    );
    let baseline = peak_rss_kib();
    println!("  {:<34} {:>8} KiB", "before listing", baseline);
    for concurrency in [1, 4, 16] {
        reset_peak();
        let n = runtime.block_on(async {
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
            n
        });
        assert_eq!(n, total);
        println!(
            "  {:<34} {:>8} KiB",
            format!("stream, concurrency {concurrency}"),
            peak_rss_kib()
        );
    }
    reset_peak();
    let pages: Vec<ListTasksResponse> = runtime
        .block_on(
            client
                .list_tasks()
                .paginate()
                .concurrency(4)
                .by_page()
                .try_collect(),
        )
        .expect("pages");
    let held: usize = pages
        .iter()
        .map(|p| p.tasks.as_ref().map_or(0, Vec::len))
        .sum();
    assert_eq!(held, total);
    println!(
        "  {:<34} {:>8} KiB",
        "collect every page (for contrast)",
        peak_rss_kib()
    );
    drop(pages);
    drop(child.stdin.take());
    let _ = child.wait();
}

/// The child: answers ListTasks with realistic tasks made on the fly (nothing stored).
async fn serve(count: usize) {
    let server = httpmock::MockServer::start_async().await;
    server
        .mock_async(move |when, then| {
            when.path("/v3/tasks");
            then.respond_with(move |req| {
                let param = |name: &str| {
                    req.query_params()
                        .into_iter()
                        .find(|(k, _)| k == name)
                        .and_then(|(_, v)| v.parse::<usize>().ok())
                };
                let (offset, limit) = (param("offset").unwrap_or(0), param("limit").unwrap_or(100));
                let tasks = (offset..(offset + limit).min(count))
                    .map(support::realistic_task)
                    .collect();
                let mut page = ListTasksResponse::default();
                page.count = Some(count as i32);
                page.tasks = Some(tasks);
                httpmock::HttpMockResponse::builder()
                    .status(200)
                    .body(serde_json::to_vec(&page).expect("a page"))
                    .build()
            });
        })
        .await;
    println!("{}", server.base_url());
    // Serve until the parent closes our stdin.
    let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
}
