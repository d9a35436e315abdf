//! Temporary credentials, as production runs keyless: from the ECS metadata service (a fake of
//! it), refreshed before they expire, once for all concurrent requests, kept while a refresh
//! fails and they are still valid, never used expired. The client's clock is the test's, so
//! that time moves when the test says.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use sms_api::mock::FakeCredentialsService;
use sms_api::prelude::*;
use support::{FnServer, response};

const MINUTE: u64 = 60;

/// A listing server that records every request's head (and so its signature).
async fn service() -> FnServer {
    FnServer::start(|_, _| response("200 OK", &[], r#"{"count": 0, "tasks": []}"#)).await
}

/// A client whose clock is `offset` seconds ahead of the real one.
fn client(endpoint: &str, credentials: Credentials, offset: Arc<AtomicU64>) -> Client {
    Client::builder()
        .endpoint(endpoint)
        .credentials(credentials)
        .clock(move || SystemTime::now() + Duration::from_secs(offset.load(Ordering::Relaxed)))
        // Refreshed exactly 40 minutes before expiry; back-off at its shortest.
        .jitter(|| 0.0)
        .build()
        .unwrap()
}

/// Waits (a little real time) until a background refresh has done what `done` checks: read it
/// from the client's counts, which move only once the cache holds the outcome (the fake's own
/// count moves when it answers, before the client has read the answer).
async fn settle(done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the background refresh did not finish within 2 s");
}

fn signed_with(head: &str) -> (String, String) {
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let access = header("authorization")
        .split("Access=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap_or_default()
        .to_owned();
    (access, header("x-security-token"))
}

#[tokio::test]
async fn requests_are_signed_with_the_metadata_services_credentials_and_its_token() {
    let credentials = FakeCredentialsService::start(Duration::from_secs(60 * MINUTE)).await;
    let sms = service().await;
    let client = client(&sms.base_url, credentials.ecs_metadata(), Arc::default());
    client.list_tasks().fetch().await.unwrap();
    client.list_tasks().fetch().await.unwrap();
    assert_eq!(credentials.issued(), 1, "fresh credentials are reused");
    for received in sms.received() {
        assert_eq!(
            signed_with(&received.head),
            ("FAKEAK1".to_owned(), "FAKEST1".to_owned())
        );
    }
    // No secret in what prints.
    let shown = format!("{client:?} {:?}", credentials.ecs_metadata());
    assert!(
        !shown.contains("FAKESK") && !shown.contains("FAKEST"),
        "{shown}"
    );
}

#[tokio::test]
async fn credentials_are_refreshed_when_less_than_40_minutes_remain() {
    let credentials = FakeCredentialsService::start(Duration::from_secs(60 * MINUTE)).await;
    let sms = service().await;
    let offset = Arc::new(AtomicU64::new(0));
    let client = client(&sms.base_url, credentials.ecs_metadata(), offset.clone());
    client.list_tasks().fetch().await.unwrap();
    // 45 minutes left: still fresh.
    offset.store(15 * MINUTE, Ordering::Relaxed);
    client.list_tasks().fetch().await.unwrap();
    assert_eq!(credentials.issued(), 1);
    // 35 minutes left: this request signs with the current pair, which are still valid, and
    // starts a refresh in the background; the next signs with the new pair and its own token.
    offset.store(25 * MINUTE, Ordering::Relaxed);
    client.list_tasks().fetch().await.unwrap();
    settle(|| client.traffic().credential_refreshes == 2).await;
    client.list_tasks().fetch().await.unwrap();
    let heads = sms.received();
    assert_eq!(signed_with(&heads[2].head).0, "FAKEAK1");
    assert_eq!(
        signed_with(&heads[3].head),
        ("FAKEAK2".to_owned(), "FAKEST2".to_owned())
    );
}

#[tokio::test]
async fn fifty_concurrent_requests_share_one_refresh() {
    let credentials = FakeCredentialsService::start(Duration::from_secs(60 * MINUTE)).await;
    let sms = service().await;
    let client = client(&sms.base_url, credentials.ecs_metadata(), Arc::default());
    let calls = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list_tasks().fetch().await })
    });
    for call in futures_util::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    assert_eq!(
        credentials.issued(),
        1,
        "one refresh for 50 requests of a client and its clones"
    );
    assert_eq!(sms.received().len(), 50);
}

#[tokio::test]
async fn a_failed_refresh_keeps_valid_credentials_and_never_uses_expired_ones() {
    let credentials = FakeCredentialsService::start(Duration::from_secs(60 * MINUTE)).await;
    let sms = service().await;
    let offset = Arc::new(AtomicU64::new(0));
    let client = client(&sms.base_url, credentials.ecs_metadata(), offset.clone());
    client.list_tasks().fetch().await.unwrap();
    // Due for a refresh, which fails in the background: the old credentials are still valid
    // and sign, and the source is not asked again at once (it is backed off).
    credentials.set_failing(true);
    offset.store(30 * MINUTE, Ordering::Relaxed);
    client.list_tasks().fetch().await.unwrap();
    settle(|| client.traffic().credential_failures == 1).await;
    credentials.set_failing(false);
    client.list_tasks().fetch().await.unwrap();
    assert_eq!(credentials.issued(), 1);
    assert_eq!(signed_with(&sms.received()[1].head).0, "FAKEAK1");
    assert_eq!(signed_with(&sms.received()[2].head).0, "FAKEAK1");
    // Past their expiry with the source down: an error, and nothing sent.
    credentials.set_failing(true);
    offset.store(200 * MINUTE, Ordering::Relaxed);
    let error = client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials, "{error}");
    let text = error.to_string();
    assert!(
        text.contains("the ECS metadata service at http://127.0.0.1"),
        "{text}"
    );
    assert!(text.contains("HTTP 503"), "{text}");
    assert!(!text.contains("FAKESK"), "{text}");
    assert_eq!(sms.received().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_wait_survives_its_credentials_source_going_down_for_a_while() {
    use std::sync::atomic::AtomicBool;

    // A credentials source that is down for the second and third polls.
    #[derive(Debug)]
    struct Flaky(
        Arc<AtomicU64>,
        Arc<AtomicBool>,
        SystemTime,
        tokio::time::Instant,
    );
    impl sms_api::auth::ProvideCredentials for Flaky {
        fn name(&self) -> &str {
            "a flaky source"
        }
        fn provide<'a>(
            &'a self,
            _: &'a sms_api::auth::HttpClient,
        ) -> sms_api::auth::ProvideFuture<'a> {
            Box::pin(async move {
                if self.1.load(Ordering::Relaxed) {
                    return Err(sms_api::CredentialsError::NotFound {
                        looked: vec!["down".into()],
                    });
                }
                let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
                // Each lasts 35 s, so can sign for 5 s: every poll after the first (10 s or more
                // later) needs a new one. Dated by the client's clock.
                let expires = self.2 + self.3.elapsed() + Duration::from_secs(35);
                Ok(sms_api::auth::TemporaryCredentials::new(
                    format!("AK{n}"),
                    "SK",
                    None,
                    Some(expires),
                ))
            })
        }
    }
    let down = Arc::new(AtomicBool::new(false));
    let (wall, start) = (SystemTime::now(), tokio::time::Instant::now());
    let source = Flaky(Arc::default(), down.clone(), wall, start);
    let polls = Arc::new(AtomicU64::new(0));
    let counter = polls.clone();
    let sms = FnServer::start(move |_, _| {
        let n = counter.fetch_add(1, Ordering::Relaxed) + 1;
        let state = if n < 2 { "RUNNING" } else { "MIGRATE_SUCCESS" };
        let body = format!(r#"{{"count": 1, "tasks": [{{"id": "t", "state": "{state}"}}]}}"#);
        response("200 OK", &[], &body)
    })
    .await;
    // The client's clock follows tokio's paused one, so that the credentials age as the wait
    // goes on.
    let client = Client::builder()
        .endpoint(&sms.base_url)
        .credentials(Credentials::from_provider(source).refresh_before(Duration::from_secs(10)))
        .clock(move || wall + start.elapsed())
        .build()
        .unwrap();
    let flip = down.clone();
    let done = client
        .list_tasks()
        .wait_until_task_migrated()
        .on_poll(move |poll| {
            // Down after the first poll, back after the third.
            flip.store(poll.number == 1 || poll.number == 2, Ordering::Relaxed);
        })
        .wait(Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(
        done.polls(),
        4,
        "two polls without credentials, then the task had migrated"
    );
    assert_eq!(sms.received().len(), 2);
}

/// A source that takes its time: 1.5 s on tokio's clock.
#[derive(Debug)]
struct SlowSource;

impl sms_api::auth::ProvideCredentials for SlowSource {
    fn name(&self) -> &str {
        "a slow source"
    }
    fn provide<'a>(
        &'a self,
        _http: &'a sms_api::auth::HttpClient,
    ) -> sms_api::auth::ProvideFuture<'a> {
        Box::pin(async {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            Ok(sms_api::auth::TemporaryCredentials::new(
                "SLOWAK",
                "SLOWSK",
                Some("ST".into()),
                Some(SystemTime::now() + Duration::from_secs(3600)),
            ))
        })
    }
}

#[tokio::test(start_paused = true)]
async fn waiting_for_credentials_counts_against_the_operation_timeout() {
    use support::{ScriptedServer, Step};
    // The answer's body comes a second after its head.
    let server = ScriptedServer::start(vec![Step::SlowBody {
        head: b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 25\r\nconnection: close\r\n\r\n".to_vec(),
        delay: Duration::from_secs(1),
        body: br#"{"count": 0, "tasks": []}"#.to_vec(),
    }])
    .await;
    let client = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::from_provider(SlowSource))
        .operation_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let error = client.list_tasks().fetch().await.unwrap_err();
    // 1.5 s for the credentials, then half a second left for an answer that needs one.
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(
        started.elapsed() <= Duration::from_millis(2100),
        "the call took {:?}: the credentials' wait was not counted",
        started.elapsed()
    );
    // With room for both, the same call succeeds.
    let roomy = Client::builder()
        .endpoint(&server.base_url)
        .credentials(Credentials::from_provider(SlowSource))
        .operation_timeout(Duration::from_secs(4))
        .build()
        .unwrap();
    assert_eq!(roomy.list_tasks().fetch().await.unwrap().count, Some(0));
}

/// Credentials that expire 45 s after they are given, by a wall clock the test moves; from the
/// `fail_from`th call on, the source fails.
#[derive(Debug)]
struct ShortLived {
    wall: Arc<AtomicU64>,
    calls: AtomicU64,
    fail_from: u64,
}

impl ShortLived {
    fn credentials(wall: &Arc<AtomicU64>, fail_from: u64) -> Credentials {
        Credentials::from_provider(ShortLived {
            wall: wall.clone(),
            calls: AtomicU64::default(),
            fail_from,
        })
    }
}

impl sms_api::auth::ProvideCredentials for ShortLived {
    fn name(&self) -> &str {
        "a short-lived source"
    }
    fn provide<'a>(&'a self, _: &'a sms_api::auth::HttpClient) -> sms_api::auth::ProvideFuture<'a> {
        let call = self.calls.fetch_add(1, Ordering::Relaxed) + 1;
        let now = self.wall.load(Ordering::Relaxed);
        Box::pin(async move {
            if call >= self.fail_from {
                return Err(sms_api::CredentialsError::Source {
                    source: "a short-lived source".into(),
                    reason: "it is down".into(),
                    unreachable: true,
                });
            }
            let expires = SystemTime::UNIX_EPOCH + Duration::from_secs(now + 45);
            Ok(sms_api::auth::TemporaryCredentials::new(
                format!("AK{call}"),
                "SK",
                Some(format!("ST{call}")),
                Some(expires),
            ))
        })
    }
}

/// A client whose wall clock is `wall` (seconds since the epoch), with no jitter.
fn client_at(endpoint: &str, credentials: Credentials, wall: &Arc<AtomicU64>) -> Client {
    let wall = wall.clone();
    Client::builder()
        .endpoint(endpoint)
        .credentials(credentials)
        .clock(move || SystemTime::UNIX_EPOCH + Duration::from_secs(wall.load(Ordering::Relaxed)))
        .jitter(|| 0.0)
        .operation_timeout(Duration::from_secs(300))
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_a_long_back_off_is_signed_with_fresh_credentials() {
    let wall = Arc::new(AtomicU64::new(1_800_000_000));
    let moved = wall.clone();
    // The first attempt is asked to come back in 20 s, during which its credentials (45 s,
    // never used within 30 s of expiry) stop being usable.
    let server = FnServer::start(move |number, _| {
        if number == 1 {
            moved.fetch_add(20, Ordering::Relaxed);
            response("503 Service Unavailable", &[("retry-after", "20")], "")
        } else {
            response("200 OK", &[], r#"{"count": 0, "tasks": []}"#)
        }
    })
    .await;
    let client = client_at(
        &server.base_url,
        ShortLived::credentials(&wall, u64::MAX),
        &wall,
    );
    client.list_tasks().fetch().await.unwrap();
    let signed: Vec<_> = server
        .received()
        .iter()
        .map(|r| signed_with(&r.head))
        .collect();
    assert_eq!(
        signed,
        [
            ("AK1".to_owned(), "ST1".to_owned()),
            ("AK2".to_owned(), "ST2".to_owned())
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_delete_whose_retry_cannot_be_signed_may_have_happened_and_says_why() {
    let wall = Arc::new(AtomicU64::new(1_800_000_000));
    let moved = wall.clone();
    // The delete's answer is lost (a 503), and meanwhile its credentials expire; their source
    // is down when the retry needs new ones.
    let server = FnServer::start(move |_, _| {
        moved.fetch_add(60, Ordering::Relaxed);
        response("503 Service Unavailable", &[], "")
    })
    .await;
    let client = client_at(&server.base_url, ShortLived::credentials(&wall, 2), &wall);
    let error = client
        .delete_task()
        .task_id("t-1")
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 1);
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(
        error
            .message()
            .contains("not sent again: no credentials from a short-lived source"),
        "{error}"
    );
    // The next call, with no credentials to be had, is not sent at all.
    let read = client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(read.kind(), ErrorKind::Credentials, "{read}");
}

#[tokio::test(start_paused = true)]
async fn the_fake_credentials_service_follows_the_tests_clock() {
    // An hour's credentials, refreshed when 40 minutes remain (no jitter): at 20 minutes of
    // the paused clock, though no real time passes.
    let credentials = FakeCredentialsService::start(Duration::from_secs(60 * MINUTE)).await;
    let sms = service().await;
    let client = Client::builder()
        .endpoint(&sms.base_url)
        .credentials(credentials.ecs_metadata())
        .jitter(|| 0.0)
        .build()
        .unwrap();
    client.list_tasks().fetch().await.unwrap();
    assert_eq!(credentials.issued(), 1);
    tokio::time::sleep(Duration::from_secs(19 * MINUTE)).await;
    client.list_tasks().fetch().await.unwrap();
    assert_eq!(credentials.issued(), 1, "not due yet");
    tokio::time::sleep(Duration::from_secs(2 * MINUTE)).await;
    client.list_tasks().fetch().await.unwrap();
    settle(|| client.traffic().credential_refreshes == 2).await;
    assert_eq!(
        credentials.issued(),
        2,
        "due at 20 minutes of the test's clock"
    );
    // Two hours on, with the service down, the credentials are expired: nothing is sent.
    credentials.set_failing(true);
    tokio::time::sleep(Duration::from_secs(120 * MINUTE)).await;
    let error = client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials, "{error}");
}
