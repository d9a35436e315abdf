//! Waiters declared in the spec (`x-waiters`), on tokio's paused clock against a server on the
//! test's runtime: the delays, the acceptors' order, failed polls, 401, the longest wait, and a
//! paginated listing read whole.

use crate::spec_values;
use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use sms_api::prelude::*;
use sms_api::types::TasksResponseBody;
use sms_api::wait::WaitErrorKind;
use support::{FnServer, query_param, response};

const HOUR: Duration = Duration::from_secs(3600);

fn client(base_url: &str) -> Client {
    Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::iam_token("token"))
        .build()
        .unwrap()
}

/// A 200 listing of tasks in these states (ids `t0`, `t1`...), paged as the service pages.
fn listing(states: &[&str], target: &str) -> Vec<u8> {
    let offset: usize = query_param(target, "offset")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let limit: usize = query_param(target, "limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let tasks: Vec<_> = states
        .iter()
        .enumerate()
        .skip(offset)
        .take(limit)
        .map(|(i, state)| {
            let error = if *state == "MIGRATE_FAIL" { "SMS.6801 disk full on the target" } else { "" };
            json!({"id": format!("t{i}"), "name": format!("web-{i}"), "state": state, "error_json": error})
        })
        .collect();
    let body = json!({"count": states.len(), "tasks": tasks}).to_string();
    response("200 OK", &[("content-type", "application/json")], &body)
}

#[tokio::test(start_paused = true)]
async fn success_returns_the_final_response() {
    let server = FnServer::start(|n, target| {
        let state = if n < 3 { "RUNNING" } else { "MIGRATE_SUCCESS" };
        listing(&[state], target)
    })
    .await;
    let done = client(&server.base_url)
        .list_tasks()
        .id("t0")
        .wait_until_task_migrated()
        .wait(HOUR)
        .await
        .unwrap();
    assert_eq!(done.polls(), 3);
    let tasks = done.response().unwrap().tasks.clone().unwrap();
    assert_eq!(tasks[0].state.as_ref().unwrap().as_str(), "MIGRATE_SUCCESS");
    // The first poll goes at once; the two waits are the spec's delays with jitter: the first
    // at minDelay, the second up to twice it (smithy's ceiling doubles), within maxDelay.
    let (min, max) = spec_values::waiter_delays("list_tasks", "TaskMigrated");
    assert!(
        done.waited() >= 2 * min && done.waited() <= min + (2 * min).min(max),
        "{:?}",
        done.waited()
    );
}

#[tokio::test(start_paused = true)]
async fn the_delays_grow_within_smithys_bounds_and_the_last_poll_is_at_the_deadline() {
    let server = FnServer::start(|_, target| listing(&["RUNNING"], target)).await;
    let error = client(&server.base_url)
        .list_tasks()
        .wait_until_task_migrated()
        .min_delay(Duration::from_secs(2))
        .max_delay(Duration::from_secs(16))
        .wait(Duration::from_secs(60))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), WaitErrorKind::TimedOut);
    let times: Vec<_> = server.received().iter().map(|r| r.at).collect();
    assert_eq!(error.polls() as usize, times.len());
    for (k, pair) in times.windows(2).enumerate() {
        let gap = pair[1] - pair[0];
        let ceiling = Duration::from_secs((2u64 << k).min(16));
        let last = k + 2 == times.len();
        // Each wait lies between min and the doubling ceiling; the last is cut at the deadline.
        if last {
            assert!(
                gap <= ceiling,
                "last wait {k}: {gap:?} (ceiling {ceiling:?})"
            );
        } else {
            assert!(
                gap >= Duration::from_secs(2) && gap <= ceiling,
                "wait {k}: {gap:?} (ceiling {ceiling:?})"
            );
        }
    }
    // The last poll is at the deadline, not past it.
    assert_eq!(times[times.len() - 1] - times[0], Duration::from_secs(60));
    assert!(error.waited() >= Duration::from_secs(60) && error.waited() < Duration::from_secs(61));
    // What was last seen is kept.
    let last = error.last_response().unwrap();
    assert_eq!(
        last.tasks.as_ref().unwrap()[0]
            .state
            .as_ref()
            .unwrap()
            .as_str(),
        "RUNNING"
    );
    let text = error.to_string();
    assert!(
        text == format!(
            "TaskMigrated was not reached within the longest wait, 1m ({} polls, {} requests)",
            error.polls(),
            error.requests_sent()
        ),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn acceptors_apply_in_order_and_a_failure_carries_the_failed_tasks() {
    // One task migrated, one failed: the failure acceptor comes first in the spec.
    let server = FnServer::start(|n, target| {
        let states: &[&str] = if n == 1 {
            &["RUNNING", "RUNNING"]
        } else {
            &["MIGRATE_SUCCESS", "MIGRATE_FAIL"]
        };
        listing(states, target)
    })
    .await;
    let error = client(&server.base_url)
        .list_tasks()
        .wait_until_task_migrated()
        .wait(HOUR)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), WaitErrorKind::FailureState);
    assert_eq!(error.polls(), 2);
    assert_eq!(
        error.message(),
        "a task failed to migrate; id t1, name web-1, state MIGRATE_FAIL, error_json SMS.6801 disk full on the target"
    );
    let failed: Vec<TasksResponseBody> = error.matched_as();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].id.as_deref(), Some("t1"));
    assert_eq!(
        error.last_response().unwrap().tasks.as_ref().unwrap().len(),
        2
    );
}

#[tokio::test(start_paused = true)]
async fn an_empty_listing_means_the_task_is_gone() {
    let server = FnServer::start(|_, target| listing(&[], target)).await;
    let error = client(&server.base_url)
        .list_tasks()
        .id("deleted")
        .wait_until_task_migrated()
        .wait(HOUR)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), WaitErrorKind::NotFound);
    assert!(error.message().starts_with("no task is listed"), "{error}");
    assert_eq!(error.polls(), 1);
}

#[tokio::test(start_paused = true)]
async fn failed_polls_do_not_end_the_wait_until_too_many_in_a_row() {
    // Every request is a 503 until the second poll has failed (each failed poll spent its
    // attempts and the listing's re-fetches); then the task has migrated.
    let healthy = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let up = healthy.clone();
    let server = FnServer::start(move |_, target| {
        if !up.load(std::sync::atomic::Ordering::SeqCst) {
            response(
                "503 Service Unavailable",
                &[],
                r#"{"error_code":"SMS.2007","error_msg":"busy"}"#,
            )
        } else {
            listing(&["MIGRATE_SUCCESS"], target)
        }
    })
    .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let done = client(&server.base_url)
        .list_tasks()
        .wait_until_task_migrated()
        .on_poll(move |poll| {
            log.lock()
                .unwrap()
                .push((poll.number, poll.outcome.is_ok(), poll.failed_in_a_row));
            if poll.number == 2 {
                healthy.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        })
        .wait(HOUR)
        .await
        .unwrap();
    assert_eq!(done.polls(), 3);
    assert_eq!(
        *seen.lock().unwrap(),
        [(1, false, 1), (2, false, 2), (3, true, 0)]
    );
    // Every request of every poll, the client's retries and the listing's re-fetches
    // included, is counted: as many as the server received.
    assert_eq!(done.requests_sent(), server.received().len() as u64);
    assert!(done.requests_sent() > 3, "{}", done.requests_sent());

    // Always failing: the wait ends after the allowed run of failed polls, with the last error.
    let failing = FnServer::start(|_, _| {
        response(
            "503 Service Unavailable",
            &[("x-request-id", "busy")],
            r#"{"error_code":"SMS.2007","error_msg":"busy"}"#,
        )
    })
    .await;
    let error = client(&failing.base_url)
        .list_tasks()
        .wait_until_task_migrated()
        .max_failed_polls(3)
        .wait(HOUR)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), WaitErrorKind::Error);
    assert_eq!(error.polls(), 3);
    assert_eq!(error.error().unwrap().request_id(), Some("busy"));
    // The requests in all, beside what the last poll's error says of its own.
    assert_eq!(error.requests_sent(), failing.received().len() as u64);
    assert!(error.requests_sent() > error.error().unwrap().requests_sent());
    assert!(
        error
            .to_string()
            .contains(&format!("(3 polls, {} requests)", failing.received().len())),
        "{error}"
    );
    assert!(
        error.message().starts_with("polls failed for ") && error.message().contains("(3 in a row"),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_401_ends_the_wait_at_once() {
    let server = FnServer::start(|_, _| {
        response(
            "401 Unauthorized",
            &[],
            r#"{"error":{"code":"APIGW.0301","message":"Incorrect IAM authentication information"}}"#,
        )
    })
    .await;
    let error = client(&server.base_url)
        .list_tasks()
        .wait_until_task_migrated()
        .wait(HOUR)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), WaitErrorKind::Error);
    assert_eq!(error.polls(), 1);
    assert_eq!(
        server.received().len(),
        1,
        "not retried: the gateway locks AK/SKs"
    );
    assert_eq!(
        error.error().unwrap().status().map(|s| s.as_u16()),
        Some(401)
    );
}

#[tokio::test(start_paused = true)]
async fn a_paginated_waiter_reads_every_page() {
    // 450 tasks, at the default page size (the spec's maximum). Every task migrated but the
    // one on the last page, until the first poll's requests are all served.
    let max = <sms_api::builder::ListTasks<'_> as sms_api::paging::Paginated>::MAX_PAGE_SIZE;
    let pages = 450_usize.div_ceil(usize::try_from(max).unwrap());
    let states = move |n: usize| -> Vec<&'static str> {
        (0..450)
            .map(|i| {
                if i == 449 && n <= pages {
                    "RUNNING"
                } else {
                    "MIGRATE_SUCCESS"
                }
            })
            .collect()
    };
    let server = FnServer::start(move |n, target| listing(&states(n), target)).await;
    let done = client(&server.base_url)
        .list_tasks()
        .wait_until_task_migrated()
        .wait(HOUR)
        .await
        .unwrap();
    // The first poll (one request a page) saw task 449 still running on the last page; the
    // second saw it done.
    assert_eq!(done.polls(), 2);
    assert_eq!(server.received().len(), 2 * pages);
    assert_eq!(done.requests_sent(), (2 * pages) as u64);
    let tasks = done.response().unwrap().tasks.as_ref().unwrap();
    assert_eq!(tasks.len(), 450);
    assert_eq!(tasks[449].id.as_deref(), Some("t449"));
}

#[tokio::test(start_paused = true)]
async fn tasks_settled_waits_until_nothing_moves() {
    let server = FnServer::start(|n, target| {
        let states: &[&str] = match n {
            1 => &["READY", "MIGRATE_SUCCESS"],
            2 => &["SYNCING", "MIGRATE_SUCCESS"],
            _ => &["MIGRATE_FAIL", "MIGRATE_SUCCESS"],
        };
        listing(states, target)
    })
    .await;
    let done = client(&server.base_url)
        .list_tasks()
        .wait_until_tasks_settled()
        .wait(HOUR)
        .await
        .unwrap();
    assert_eq!(done.polls(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_watch_reports_what_changed_between_looks_and_survives_a_failed_look() {
    // Look 1: t0 RUNNING, t1 READY. Look 2 fails: with retries off, its one fetch and the
    // listing's 10 re-fetches. Look 3: t0 done, t1 gone, t2 new.
    let server = FnServer::start(|n, target| match n {
        1 => listing(&["RUNNING", "READY"], target),
        2..=12 => response(
            "503 Service Unavailable",
            &[],
            r#"{"error_code":"SMS.2007","error_msg":"busy"}"#,
        ),
        _ => {
            let body = json!({"count": 2, "tasks": [
                {"id": "t0", "state": "MIGRATE_SUCCESS", "error_json": ""},
                {"id": "t2", "state": "READY", "error_json": ""},
            ]})
            .to_string();
            response("200 OK", &[], &body)
        }
    })
    .await;
    let seen = watch_until_look(&server.base_url, 3).await;
    assert_eq!(
        seen,
        [
            "look 1: 2",
            "look failed (1)",
            "changed t0: state \"RUNNING\" -> \"MIGRATE_SUCCESS\"",
            "appeared t2",
            "disappeared t1 (was \"READY\")",
            "look 3: 2",
        ]
    );
    // The looks were 30 s apart on the paused clock, plus the failed look's re-fetches (their
    // back-off ceilings, 0.2 s doubling to 10 s, add up to 52.6 s).
    let times: Vec<_> = server.received().iter().map(|r| r.at).collect();
    let span = times[12] - times[0];
    assert!(
        span >= Duration::from_secs(60) && span < Duration::from_millis(112_600),
        "{span:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_change_seen_before_a_look_failed_is_reported_once() {
    use std::sync::atomic::{AtomicUsize, Ordering};

    // Two pages at the default page size (the spec's maximum, whatever it is): a page and a
    // half of tasks. Look 1: all READY. Look 2: t0 RUNNING on the first page, then the second
    // page fails (retries off, so its fetch and the listing's re-fetches). Look 3: t0 still
    // RUNNING, and a task of the second page RUNNING too.
    let max = <sms_api::builder::ListTasks<'_> as sms_api::paging::Paginated>::MAX_PAGE_SIZE;
    let max = usize::try_from(max).unwrap();
    let total = max + max / 2;
    let second = max + max / 4;
    let looks = Arc::new(AtomicUsize::new(0));
    let server = FnServer::start(move |_, target| {
        let offset = query_param(target, "offset").unwrap_or_default();
        if offset == "0" {
            looks.fetch_add(1, Ordering::SeqCst);
        }
        let look = looks.load(Ordering::SeqCst);
        if look == 2 && offset != "0" {
            return response(
                "503 Service Unavailable",
                &[],
                r#"{"error_code":"SMS.2007","error_msg":"busy"}"#,
            );
        }
        let states: Vec<&str> = (0..total)
            .map(|i| match look {
                2.. if i == 0 => "RUNNING",
                3.. if i == second => "RUNNING",
                _ => "READY",
            })
            .collect();
        listing(&states, target)
    })
    .await;
    let seen = watch_until_look(&server.base_url, 3).await;
    assert_eq!(
        seen,
        [
            format!("look 1: {total}"),
            // Yielded as its page arrived, before the look failed.
            "changed t0: state \"READY\" -> \"RUNNING\"".to_owned(),
            "look failed (1)".to_owned(),
            // t0's change was reported: the baseline has it, so only the second page's is new.
            format!("changed t{second}: state \"READY\" -> \"RUNNING\""),
            format!("look 3: {total}"),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_watch_ends_after_too_many_failed_looks_in_a_row() {
    use futures_util::StreamExt;

    let server = FnServer::start(|_, _| {
        response(
            "503 Service Unavailable",
            &[],
            r#"{"error_code":"SMS.2007","error_msg":"busy"}"#,
        )
    })
    .await;
    let client = client(&server.base_url);
    let events: Vec<_> = client
        .list_tasks()
        .watch(Duration::from_secs(10))
        .max_failed_polls(2)
        .events()
        .collect()
        .await;
    assert_eq!(events.len(), 2);
    assert!(
        events[0].is_ok(),
        "the first failure is reported and the watch goes on"
    );
    let error = events[1].as_ref().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test(start_paused = true)]
async fn a_look_or_a_poll_past_its_deadline_fails_and_says_so() {
    use futures_util::StreamExt;
    use sms_api::mock::FakeService;
    use sms_api::wait::WatchEvent;
    // Every answer takes ten seconds.
    let fake = FakeService::start_with_latency(Vec::new(), Duration::from_secs(10)).await;
    let client = client(&fake.base_url());
    let mut events = client
        .list_tasks()
        .watch(Duration::from_secs(30))
        .look_deadline(Duration::from_secs(2))
        .events();
    let Some(Ok(WatchEvent::LookFailed { error, .. })) = events.next().await else {
        panic!("the first look, past its deadline, failed");
    };
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(
        error
            .to_string()
            .contains("the listing's deadline of 2s passed"),
        "{error}"
    );

    let started = tokio::time::Instant::now();
    let error = client
        .list_tasks()
        .wait_until_tasks_settled()
        .poll_deadline(Duration::from_secs(2))
        .max_failed_polls(2)
        .wait(HOUR)
        .await
        .unwrap_err();
    let last = error.error().expect("the polls' error");
    assert_eq!(last.kind(), ErrorKind::Timeout);
    assert!(
        last.to_string()
            .contains("the poll's deadline of 2s passed"),
        "{last}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

/// The events of a watch of `base_url` (retries off, looks 30 s apart) as lines, until look
/// number `last` is complete.
async fn watch_until_look(base_url: &str, last: u64) -> Vec<String> {
    use futures_util::TryStreamExt;
    use sms_api::wait::WatchEvent;

    let client = Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::iam_token("token"))
        .retry_policy(sms_api::RetryPolicy::disabled())
        .build()
        .unwrap();
    let mut events = client.list_tasks().watch(Duration::from_secs(30)).events();
    let mut seen = Vec::new();
    while let Some(event) = events.try_next().await.unwrap() {
        let (line, done) = match event {
            WatchEvent::Appeared { key, .. } => (format!("appeared {key}"), false),
            WatchEvent::Disappeared { key, last } => {
                (format!("disappeared {key} (was {})", last["state"]), false)
            }
            WatchEvent::Changed { key, changes, .. } => {
                let what: Vec<String> = changes
                    .iter()
                    .map(|c| format!("{} {} -> {}", c.field, c.previous, c.new))
                    .collect();
                (format!("changed {key}: {}", what.join(", ")), false)
            }
            WatchEvent::Looked { number, items } => {
                (format!("look {number}: {items}"), number == last)
            }
            WatchEvent::LookFailed {
                failed_in_a_row, ..
            } => (format!("look failed ({failed_in_a_row})"), false),
            _ => ("other".into(), false),
        };
        seen.push(line);
        if done {
            break;
        }
    }
    seen
}
