//! Unattended for hours: partial failures neither stall the work nor end it, and are seen.
//! Every test runs on tokio's paused clock against loopback fakes on the test's runtime: a
//! credentials source that hangs, fails or flaps; a gateway whose clock is 20 minutes off; a
//! service down for minutes; a listing through random faults; a proxy the metadata service
//! must bypass.

use crate::spec_values;
use crate::support;

use std::sync::atomic::{AtomicU8, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::TryStreamExt;
use serde_json::json;
use sms_api::auth::{ProvideCredentials, ProvideFuture, TemporaryCredentials};
use sms_api::event::Event;
use sms_api::prelude::*;
use sms_api::wait::WaitErrorKind;
use support::{FnServer, query_param, response};
use tokio::time::Instant;

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);
/// 2026-12-01T18:00:00Z: the wall clock at the start of every test.
const BASE: u64 = 1_796_148_000;

/// A wall clock that follows the paused clock from `BASE`.
fn wall(start: Instant) -> impl Fn() -> SystemTime + Send + Sync + Clone + 'static {
    move || UNIX_EPOCH + Duration::from_secs(BASE) + start.elapsed()
}

const GOOD: u8 = 0;
const FAILING: u8 = 1;
const HUNG: u8 = 2;

/// A credentials source the test steers: it answers, fails, or never answers; it counts the
/// times it was asked and how many are in flight.
#[derive(Debug, Clone)]
struct Source {
    mode: Arc<AtomicU8>,
    asked: Arc<AtomicU32>,
    in_flight: Arc<AtomicU32>,
    most_in_flight: Arc<AtomicU32>,
    lifetime: Duration,
    start: Instant,
}

impl Source {
    fn new(lifetime: Duration, start: Instant) -> Source {
        Source {
            mode: Arc::default(),
            asked: Arc::default(),
            in_flight: Arc::default(),
            most_in_flight: Arc::default(),
            lifetime,
            start,
        }
    }

    fn set(&self, mode: u8) {
        self.mode.store(mode, Ordering::SeqCst);
    }

    fn asked(&self) -> u32 {
        self.asked.load(Ordering::SeqCst)
    }
}

struct InFlight(Arc<AtomicU32>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl ProvideCredentials for Source {
    fn name(&self) -> &str {
        "the test's source"
    }

    fn provide<'a>(&'a self, _http: &'a sms_api::auth::HttpClient) -> ProvideFuture<'a> {
        Box::pin(async move {
            let n = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.most_in_flight.fetch_max(now, Ordering::SeqCst);
            let _in_flight = InFlight(self.in_flight.clone());
            match self.mode.load(Ordering::SeqCst) {
                GOOD => Ok(TemporaryCredentials::new(
                    format!("TESTAK{n}"),
                    format!("TESTSK{n}"),
                    Some(format!("TESTST{n}")),
                    Some(wall(self.start)() + self.lifetime),
                )),
                FAILING => Err(sms_api::CredentialsError::Source {
                    source: "the test's source".into(),
                    reason: "it answered HTTP 503".into(),
                    unreachable: false,
                }),
                _ => std::future::pending().await,
            }
        })
    }
}

/// The events a client emitted.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<Event>>>);

impl Seen {
    fn all(&self) -> Vec<Event> {
        self.0.lock().unwrap().clone()
    }
}

fn listing_server() -> impl Fn(usize, &str) -> Vec<u8> + Send + Sync + 'static {
    |_, _| response("200 OK", &[], r#"{"count": 0, "tasks": []}"#)
}

fn keyless_client(base_url: &str, source: &Source, start: Instant, seen: &Seen) -> Client {
    let seen = seen.clone();
    Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::from_provider(source.clone()))
        .clock(wall(start))
        .jitter(|| 0.5)
        .on_event(move |event| seen.0.lock().unwrap().push(event.clone()))
        .build()
        .unwrap()
}

/// A client that signs with an AK/SK pair, the defaults otherwise.
fn aksk_client(base_url: &str) -> Client {
    Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::basic("AK", "SK"))
        .build()
        .unwrap()
}

/// A client with an IAM token, the defaults otherwise.
fn token_client(base_url: &str) -> Client {
    Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::iam_token("token"))
        .build()
        .unwrap()
}

/// How long `n` calls take, one after the other, on the paused clock.
async fn pace(client: &Client, n: usize) -> Duration {
    let started = Instant::now();
    for _ in 0..n {
        client.list_tasks().fetch().await.unwrap();
    }
    started.elapsed()
}

#[tokio::test(start_paused = true)]
async fn a_hung_source_never_slows_requests_while_the_credentials_are_valid() {
    let start = Instant::now();
    let server = FnServer::start(listing_server()).await;
    let source = Source::new(HOUR, start);
    let seen = Seen::default();
    let client = keyless_client(&server.base_url, &source, start, &seen);
    let before = pace(&client, 20).await;
    assert_eq!(source.asked(), 1);
    // Due for a refresh 45 minutes before expiry (40, and a quarter more at the draw 0.5),
    // the source now hung.
    source.set(HUNG);
    tokio::time::sleep(16 * MINUTE).await;
    let during = pace(&client, 20).await;
    assert_eq!(
        during, before,
        "requests keep their pace: none waits for the hung source"
    );
    assert_eq!(
        source.asked(),
        2,
        "one refresh in flight, not one per request"
    );
    assert_eq!(source.most_in_flight.load(Ordering::SeqCst), 1);
    // The refresh times out after 5 s: seen once, counted, and backed off (10 s, jittered to
    // 7.5 s) rather than asked again at every request.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let events = seen.all();
    assert!(
        matches!(events.last(), Some(Event::CredentialsSourceFailing { still_valid: true, error, .. })
            if error.to_string() == "the test's source did not answer within 5s"),
        "{events:?}"
    );
    assert_eq!(client.traffic().credential_failures, 1);
    pace(&client, 10).await;
    assert_eq!(source.asked(), 2, "backing off");
    tokio::time::sleep(Duration::from_secs(8)).await;
    pace(&client, 10).await;
    assert_eq!(source.asked(), 3, "asked again after the back-off");
    // The source recovers: the next refresh after the (doubled) back-off succeeds.
    source.set(GOOD);
    tokio::time::sleep(Duration::from_secs(5 + 16)).await;
    pace(&client, 1).await;
    tokio::task::yield_now().await;
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(source.asked(), 4);
    let events = seen.all();
    let recovered = events
        .iter()
        .find(|e| matches!(e, Event::CredentialsSourceRecovered { .. }));
    assert!(
        matches!(
            recovered,
            Some(Event::CredentialsSourceRecovered { failures: 2, .. })
        ),
        "{events:?}"
    );
    let failing = events
        .iter()
        .filter(|e| matches!(e, Event::CredentialsSourceFailing { .. }))
        .count();
    assert_eq!(
        failing, 1,
        "one event when it starts failing, not one per failure"
    );
    assert_eq!(client.traffic().credential_refreshes, 2);
    // Every request was signed, all with the credentials of the first refresh or the last.
    assert!(server.received().iter().all(|r| {
        r.header("authorization")
            .is_some_and(|a| a.contains("Access=TESTAK"))
    }));
}

#[tokio::test(start_paused = true)]
async fn credentials_that_expire_while_the_source_is_down_end_calls_typed_with_nothing_sent() {
    let start = Instant::now();
    let server = FnServer::start(listing_server()).await;
    let source = Source::new(10 * MINUTE, start);
    let seen = Seen::default();
    let client = keyless_client(&server.base_url, &source, start, &seen);
    client.list_tasks().fetch().await.unwrap();
    source.set(FAILING);
    tokio::time::sleep(11 * MINUTE).await;
    let sent = server.received().len();
    let error = client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert_eq!(error.attempts(), 0);
    assert!(
        error.to_string().contains("it answered HTTP 503"),
        "{error}"
    );
    // Hung: the call waits for the source at most its load timeout.
    source.set(HUNG);
    let started = Instant::now();
    let error = client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert!(
        error.to_string().contains("did not answer within 5s"),
        "{error}"
    );
    assert_eq!(server.received().len(), sent, "nothing was sent unsigned");
}

#[tokio::test(start_paused = true)]
async fn a_refresh_margin_under_the_signing_margin_is_raised_and_nothing_goes_unsigned() {
    let start = Instant::now();
    let server = FnServer::start(listing_server()).await;
    let source = Source::new(Duration::from_secs(90), start);
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(
            Credentials::from_provider(source.clone()).refresh_before(Duration::from_secs(1)),
        )
        .clock(wall(start))
        .jitter(|| 0.5)
        .build()
        .unwrap();
    for _ in 0..30 {
        client.list_tasks().fetch().await.unwrap();
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
    let received = server.received();
    assert_eq!(received.len(), 30);
    assert!(received.iter().all(|r| r.header("authorization").is_some()));
    // Raised to a minute (75 s at the draw 0.5): each 90 s pair is due 15 s after it came, and
    // refreshed in the background at a request after that (10 in 300 s here); a margin of 1 s
    // would have left pairs in their last 30 s, which the client never signs with.
    let asked = source.asked();
    assert!((8..=16).contains(&asked), "{asked} refreshes in 300 s");
}

/// A gateway whose clock is `skew` from the test's wall clock: it refuses a signature dated
/// more than 15 minutes from its own time, as Huawei Cloud's gateway does.
fn skewed_gateway(start: Instant, ahead: bool) -> impl Fn(usize, &support::Received) -> Vec<u8> {
    move |_, received| {
        let here = wall(start)();
        let gateway = if ahead {
            here + 20 * MINUTE
        } else {
            here - 20 * MINUTE
        };
        let signed = received.header("x-sdk-date").unwrap_or_default();
        let format = |t: SystemTime| {
            let secs = t.duration_since(UNIX_EPOCH).unwrap().as_secs();
            // 2026-12-01: minutes within the day are enough for these tests.
            let in_day = secs % 86_400;
            format!(
                "20261201T{:02}{:02}{:02}Z",
                in_day / 3600,
                in_day / 60 % 60,
                in_day % 60
            )
        };
        let minutes = |text: &str| {
            let t = &text[9..15];
            t[0..2].parse::<i64>().unwrap() * 60 + t[2..4].parse::<i64>().unwrap()
        };
        let gateway_text = format(gateway);
        if (minutes(&signed) - minutes(&gateway_text)).abs() > 15 {
            let body = json!({
                "error_code": "APIGW.0301",
                "error_msg": format!("Incorrect IAM authentication information: calc ak sk signature fail:signature expired, signature time:{signed},server time:{gateway_text}"),
            });
            return response(
                "401 Unauthorized",
                &[
                    ("content-type", "application/json"),
                    ("x-request-id", "rid-skew"),
                ],
                &body.to_string(),
            );
        }
        response("200 OK", &[], r#"{"count": 0, "tasks": []}"#)
    }
}

#[tokio::test(start_paused = true)]
async fn a_gateway_20_minutes_off_is_followed_after_one_refusal() {
    for ahead in [false, true] {
        let start = Instant::now();
        let server = FnServer::start_with_head(skewed_gateway(start, ahead)).await;
        let seen = Seen::default();
        let events = seen.clone();
        let client = Client::builder()
            .endpoint(&server.base_url)
            .credentials(Credentials::basic("HPUAEXAMPLEAK", "secret-key"))
            .clock(wall(start))
            .on_event(move |event| events.0.lock().unwrap().push(event.clone()))
            .build()
            .unwrap();
        client.list_tasks().fetch().await.unwrap();
        assert_eq!(
            server.received().len(),
            2,
            "refused once, signed again, accepted"
        );
        let clone = client.clone();
        clone.list_tasks().fetch().await.unwrap();
        client.list_tasks().fetch().await.unwrap();
        assert_eq!(
            server.received().len(),
            4,
            "later requests are signed right the first time"
        );
        let skew = client.traffic().clock_skew_millis.unwrap();
        let expected: i64 = if ahead { 1_200_000 } else { -1_200_000 };
        assert!((skew - expected).abs() <= 1000, "{skew}");
        assert_eq!(
            seen.all(),
            [Event::ClockSkewCorrected { skew_millis: skew }],
            "seen once"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_signature_refused_again_after_the_correction_is_not_retried_twice() {
    let server = FnServer::start(|_, _| {
        let body = json!({"error_code": "APIGW.0301", "error_msg": "calc ak sk signature fail:signature expired, signature time:20261201T180000Z,server time:20261201T190000Z"});
        response("401 Unauthorized", &[], &body.to_string())
    })
    .await;
    let client = aksk_client(&server.base_url);
    let error = client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.code(), Some("APIGW.0301"));
    assert_eq!(server.received().len(), 2);
    // Any other 401 is never retried.
    let other = FnServer::start(|_, _| {
        response("401 Unauthorized", &[], r#"{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: verify aksk signature fail"}"#)
    })
    .await;
    let client = aksk_client(&other.base_url);
    client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(other.received().len(), 1);
}

/// A listing of one task in `state` (`id` t0), or a 503 while `down`.
fn task_service(
    state: Arc<Mutex<&'static str>>,
    down: Arc<Mutex<Option<(Instant, Instant)>>>,
) -> impl Fn(usize, &str) -> Vec<u8> + Send + Sync + 'static {
    move |_, _| {
        let now = Instant::now();
        if down
            .lock()
            .unwrap()
            .is_some_and(|(from, to)| now >= from && now < to)
        {
            return response(
                "503 Service Unavailable",
                &[],
                r#"{"error_code": "SMS.0503", "error_msg": "down"}"#,
            );
        }
        let state = *state.lock().unwrap();
        let body = json!({"count": 1, "tasks": [{"id": "t0", "name": "web-0", "state": state}]});
        response(
            "200 OK",
            &[("content-type", "application/json")],
            &body.to_string(),
        )
    }
}

#[tokio::test(start_paused = true)]
async fn a_12_minute_outage_is_ridden_out_at_the_specs_delays() {
    let start = Instant::now();
    let state = Arc::new(Mutex::new("RUNNING"));
    let down = Arc::new(Mutex::new(Some((start + 30 * MINUTE, start + 42 * MINUTE))));
    let server = FnServer::start(task_service(state.clone(), down.clone())).await;
    // Every delay at its ceiling: the longest the spec allows.
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::iam_token("token"))
        .jitter(|| 1.0)
        .build()
        .unwrap();
    let finisher = {
        let state = state.clone();
        tokio::spawn(async move {
            tokio::time::sleep(HOUR).await;
            *state.lock().unwrap() = "MIGRATE_SUCCESS";
        })
    };
    let done = client
        .list_tasks()
        .id("t0")
        .wait_until_task_migrated()
        .wait(6 * HOUR)
        .await
        .unwrap();
    finisher.await.unwrap();
    // At the ceiling, polls are the spec's maxDelay apart, plus the client's own retries of
    // each failed poll: a 12-minute outage sees one at least every twice maxDelay, and its first
    // and last failures lie within that of its ends.
    let (_, max) = spec_values::waiter_delays("list_tasks", "TaskMigrated");
    let down_for = 12 * MINUTE;
    let expected_failures = down_for.as_secs() / (2 * max.as_secs());
    assert!(
        u64::from(done.failed_polls()) >= expected_failures,
        "{} failed polls, at least {expected_failures} expected",
        done.failed_polls()
    );
    let outage = done.longest_outage();
    assert!(
        outage >= down_for.saturating_sub(2 * max) && outage <= down_for,
        "{outage:?}"
    );
    // Polled again within the spec's longest delay (maxDelay) of the service's return.
    let back = start + 42 * MINUTE;
    let first_after = server
        .received()
        .iter()
        .map(|r| r.at)
        .find(|at| *at >= back)
        .unwrap();
    assert!(first_after - back <= max, "{:?}", first_after - back);
}

#[tokio::test(start_paused = true)]
async fn an_outage_past_the_tolerance_ends_the_wait_with_its_length() {
    let start = Instant::now();
    let state = Arc::new(Mutex::new("RUNNING"));
    let down = Arc::new(Mutex::new(Some((start + 10 * MINUTE, start + 10 * HOUR))));
    let server = FnServer::start(task_service(state, down)).await;
    let client = token_client(&server.base_url);
    let error = client
        .list_tasks()
        .id("t0")
        .wait_until_task_migrated()
        .max_outage(20 * MINUTE)
        .wait(6 * HOUR)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), WaitErrorKind::Error);
    assert!(error.longest_outage() >= 20 * MINUTE && error.longest_outage() < 23 * MINUTE);
    assert!(error.waited() < 34 * MINUTE, "{:?}", error.waited());
    assert!(
        error.message().starts_with("polls failed for "),
        "{}",
        error.message()
    );
    assert_eq!(
        error.error().map(|e| e.status().map(|s| s.as_u16())),
        Some(Some(503))
    );
}

#[tokio::test(start_paused = true)]
async fn a_task_that_does_not_exist_is_not_found_not_a_failed_migration() {
    let server =
        FnServer::start(|_, _| response("200 OK", &[], r#"{"count": 0, "tasks": []}"#)).await;
    let client = token_client(&server.base_url);
    let error = client
        .list_tasks()
        .id("no-such-task")
        .wait_until_task_migrated()
        .wait(HOUR)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), WaitErrorKind::NotFound);
    assert_eq!(error.polls(), 1);
    assert!(
        error.to_string().contains("found nothing to wait on"),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_listing_through_20_percent_random_faults_fetches_every_page_once_in_order() {
    const TOTAL: usize = 20_000;
    // A fixed sequence of draws: the same faults every run.
    let seed = Arc::new(Mutex::new(0x2545_f491_4f6c_dd1d_u64));
    let served = Arc::new(Mutex::new(Vec::new()));
    let log = served.clone();
    let server = FnServer::start(move |_, target| {
        let draw = {
            let mut s = seed.lock().unwrap();
            *s ^= *s << 13;
            *s ^= *s >> 7;
            *s ^= *s << 17;
            *s % 100
        };
        if draw < 20 {
            return match draw % 3 {
                0 => response("503 Service Unavailable", &[], "{}"),
                1 => response(
                    "502 Bad Gateway",
                    &[("content-type", "text/html")],
                    "<html>bad gateway</html>",
                ),
                _ => b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n{\"count\"".to_vec(),
            };
        }
        let offset: usize = query_param(target, "offset").unwrap().parse().unwrap();
        let limit: usize = query_param(target, "limit").unwrap().parse().unwrap();
        log.lock().unwrap().push(offset);
        let tasks: Vec<_> = (offset..(offset + limit).min(TOTAL))
            .map(|i| json!({"id": format!("t{i}")}))
            .collect();
        response(
            "200 OK",
            &[("content-type", "application/json")],
            &json!({"count": TOTAL, "tasks": tasks}).to_string(),
        )
    })
    .await;
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::iam_token("token"))
        .jitter(|| 0.5)
        .build()
        .unwrap();
    let tasks: Vec<_> = client
        .list_tasks()
        .paginate()
        .by_item()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tasks.len(), TOTAL);
    assert!(
        tasks
            .iter()
            .enumerate()
            .all(|(i, t)| t.id.as_deref() == Some(&*format!("t{i}")))
    );
    let mut offsets = served.lock().unwrap().clone();
    offsets.sort_unstable();
    offsets.dedup();
    let page = <sms_api::builder::ListTasks<'_> as sms_api::paging::Paginated>::MAX_PAGE_SIZE;
    assert_eq!(
        offsets.len(),
        TOTAL.div_ceil(usize::try_from(page).unwrap()),
        "every page served, at the default page size (the spec's maximum)"
    );
}

#[tokio::test(start_paused = true)]
async fn a_listing_that_must_give_up_says_how_far_it_got() {
    // Pages of 100 (pinned: the test is about the report, not the spec's maximum); the fourth
    // page and after always fail.
    let server = FnServer::start(|_, target| {
        let offset: usize = query_param(target, "offset").unwrap().parse().unwrap();
        let limit: usize = query_param(target, "limit").unwrap().parse().unwrap();
        if offset >= 3 * limit {
            return response("503 Service Unavailable", &[], "{}");
        }
        let tasks: Vec<_> = (offset..offset + limit)
            .map(|i| json!({"id": format!("t{i}")}))
            .collect();
        response(
            "200 OK",
            &[],
            &json!({"count": 1000, "tasks": tasks}).to_string(),
        )
    })
    .await;
    let client = token_client(&server.base_url);
    let error = client
        .list_tasks()
        .paginate()
        .page_size(100)
        .concurrency(1)
        .listing_retries(2)
        .by_page()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(
        error.progress(),
        Some("pages 1 to 3 of 10 (300 of 1000 items) were listed before the next page failed")
    );
    assert!(error.to_string().ends_with(error.progress().unwrap()));
}

#[tokio::test]
async fn the_metadata_service_is_reached_directly_while_listtasks_goes_through_the_proxy() {
    let credentials = sms_api::mock::FakeCredentialsService::start(HOUR).await;
    // A plain HTTP proxy: it answers every request it is asked to forward, and logs them.
    let proxy = FnServer::start(listing_server()).await;
    let client = Client::builder()
        // Nothing listens here: only the proxy can answer for it.
        .endpoint("http://127.0.0.1:9")
        .proxy(format!(
            "http://me:proxy-pass@{}",
            proxy.base_url.trim_start_matches("http://")
        ))
        .credentials(credentials.ecs_metadata())
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("proxy-pass"));
    client.list_tasks().fetch().await.unwrap();
    client.list_tasks().fetch().await.unwrap();
    assert_eq!(
        credentials.issued(),
        1,
        "the metadata service answered directly"
    );
    let targets: Vec<String> = proxy
        .received()
        .iter()
        .map(|r| {
            r.head
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(targets.len(), 2, "{targets:?}");
    assert!(
        targets
            .iter()
            .all(|t| t.starts_with("http://127.0.0.1:9/v3/tasks")),
        "only ListTasks went through the proxy: {targets:?}"
    );
    // With the proxy's credentials, as basic authentication.
    let authorization = proxy.received()[0].header("proxy-authorization").unwrap();
    assert_eq!(authorization, "Basic bWU6cHJveHktcGFzcw==");
}

#[tokio::test(start_paused = true)]
async fn a_flapping_source_is_seen_each_time_it_fails_and_recovers() {
    let start = Instant::now();
    let server = FnServer::start(listing_server()).await;
    let source = Source::new(HOUR, start);
    let seen = Seen::default();
    let client = keyless_client(&server.base_url, &source, start, &seen);
    client.list_tasks().fetch().await.unwrap();
    for _ in 0..2 {
        // Due (45 minutes before expiry at the draw 0.5), and the source fails.
        source.set(FAILING);
        tokio::time::sleep(16 * MINUTE).await;
        assert_eq!(pace(&client, 5).await, Duration::ZERO);
        tokio::time::sleep(Duration::from_millis(1)).await;
        // Back after the back-off (7.5 s at the draw 0.5).
        source.set(GOOD);
        tokio::time::sleep(Duration::from_secs(8)).await;
        assert_eq!(pace(&client, 5).await, Duration::ZERO);
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let kinds: Vec<&str> = seen
        .all()
        .iter()
        .map(|event| match event {
            Event::CredentialsRefreshed { .. } => "refreshed",
            Event::CredentialsSourceFailing { .. } => "failing",
            Event::CredentialsSourceRecovered { failures: 1, .. } => "recovered",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "refreshed",
            "failing",
            "recovered",
            "refreshed",
            "failing",
            "recovered",
            "refreshed"
        ]
    );
    let traffic = client.traffic();
    assert_eq!(
        (traffic.credential_refreshes, traffic.credential_failures),
        (3, 2)
    );
}

#[tokio::test(start_paused = true)]
async fn a_listing_against_a_dead_endpoint_fails_after_the_calls_own_retries() {
    // A port nothing listens on: every connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = token_client(&format!("http://127.0.0.1:{port}"));
    let start = Instant::now();
    let error = client
        .list_tasks()
        .paginate()
        .by_item()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert_eq!(
        error.requests_sent(),
        u64::from(sms_api::send::DEFAULT_MAX_ATTEMPTS),
        "the call's own attempts, and no re-fetch: {error}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(client.traffic().refetches, 0);
}
