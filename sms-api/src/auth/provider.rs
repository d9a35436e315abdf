//! Credentials that come from somewhere and expire: the source ([`ProvideCredentials`]), and
//! the cache every request of a client and its clones reads, refreshed once for all of them
//! before the credentials expire.

use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use futures_util::FutureExt;
use tokio::sync::watch;
use tokio::time::Instant;

use super::CredentialsError;
use super::http_client::HttpClient;
use super::temporary::TemporaryCredentials;
use crate::clock::{Clock, doubling};
use crate::event::{Event, Events};

/// Refresh temporary credentials when less than this remains before they expire, as the
/// official SDKs do.
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(40 * 60);

/// Never sign with credentials this close to their expiry (the request must arrive in time).
const SIGNING_MARGIN: Duration = Duration::from_secs(30);

/// What a source's `provide` returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<TemporaryCredentials, CredentialsError>> + Send + 'a>>;

/// A source of temporary credentials: the ECS metadata service, CCE pod identity, IAM
/// federation, STS, or one of your own. The client asks it again before what it gave expires.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use sms_api::auth::{HttpClient, ProvideCredentials, ProvideFuture, TemporaryCredentials};
/// use sms_api::Credentials;
///
/// /// Credentials from a vault of your own.
/// #[derive(Debug)]
/// struct Vault;
///
/// impl ProvideCredentials for Vault {
///     fn name(&self) -> &str {
///         "the vault"
///     }
///     fn provide<'a>(&'a self, _http: &'a HttpClient) -> ProvideFuture<'a> {
///         Box::pin(async {
///             Ok(TemporaryCredentials::new("AK", "SK", Some("ST".into()), Some(SystemTime::now() + Duration::from_secs(3600))))
///         })
///     }
/// }
///
/// let credentials = Credentials::from_provider(Vault);
/// # let _ = credentials;
/// ```
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    /// Where the credentials come from, for messages ("the ECS metadata service").
    fn name(&self) -> &str;
    /// Fresh credentials, fetched with the client's HTTP client (see [`direct`](Self::direct)).
    fn provide<'a>(&'a self, http: &'a HttpClient) -> ProvideFuture<'a>;
    /// Whether the source must be reached directly, never through a proxy: `true` for a
    /// host-local service (the ECS metadata service, CCE pod identity), which a corporate proxy
    /// can never reach. `provide` then gets an HTTP client without proxies; otherwise (the
    /// default) the client's own, which honours `HTTP(S)_PROXY`, `NO_PROXY` and the builder's
    /// proxy.
    fn direct(&self) -> bool {
        false
    }
}

/// How long a source may take to give credentials, as the industry's SDKs allow.
pub const DEFAULT_LOAD_TIMEOUT: Duration = Duration::from_secs(5);

/// The least [`refresh_before`](crate::Credentials::refresh_before) may be: the signing margin
/// and room for a refresh to fail and be tried again before the credentials become unusable.
pub const MIN_REFRESH_BEFORE: Duration = Duration::from_secs(60);

/// After a failed refresh, the first back-off; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(10);
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// The credentials of a provider, shared by a client and its clones.
///
/// - While usable credentials exist, no request waits for the source: when they are due for a
///   refresh (a jittered point before `refresh_before`, so that a fleet does not refresh at
///   once), one refresh runs in the background, bounded by the load timeout.
/// - After a failed refresh the source is asked again only after a back-off (10 s doubling to
///   5 minutes, with jitter), not on every request.
/// - Only when no usable credentials remain does a request wait, for one refresh shared by
///   every waiting request, at most the load timeout; then it fails with nothing sent.
/// - Times are compared with the cloud's clock (the client's clock corrected by the gateway's
///   skew), since the source dates expiry by it.
pub(crate) struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    refresh_before: Duration,
    load_timeout: Duration,
    state: Mutex<CacheState>,
    /// Bumped after every refresh, successful or not: what waiting requests wait for.
    done: watch::Sender<u64>,
}

#[derive(Default)]
struct CacheState {
    current: Option<Arc<TemporaryCredentials>>,
    /// When the current credentials are due for a refresh (cloud time).
    refresh_at: Option<SystemTime>,
    in_flight: bool,
    /// Failed refreshes in a row, and when the first of them was.
    failures: u32,
    failing_since: Option<Instant>,
    /// No background refresh before this.
    backoff_until: Option<Instant>,
    last_error: Option<CredentialsError>,
}

/// What a refresh needs besides the cache: the HTTP client to ask the source with, the
/// client's clock and where its events go.
#[derive(Clone)]
pub(crate) struct RefreshContext {
    pub(crate) http: HttpClient,
    pub(crate) clock: Clock,
    pub(crate) events: Events,
}

impl CredentialsCache {
    /// `refresh_before` is raised to [`MIN_REFRESH_BEFORE`] when below it.
    pub(crate) fn new(
        provider: Arc<dyn ProvideCredentials>,
        refresh_before: Duration,
        load_timeout: Duration,
    ) -> Self {
        CredentialsCache {
            provider,
            refresh_before: refresh_before.max(MIN_REFRESH_BEFORE),
            load_timeout: load_timeout.max(Duration::from_millis(1)),
            state: Mutex::new(CacheState::default()),
            done: watch::channel(0).0,
        }
    }

    pub(crate) fn source(&self) -> &str {
        self.provider.name()
    }

    /// Whether the source must be reached directly, never through a proxy.
    pub(crate) fn direct(&self) -> bool {
        self.provider.direct()
    }

    /// Credentials to sign a request with: the cached ones while usable (starting a background
    /// refresh when due); else the outcome of one refresh, waited for at most the load timeout.
    pub(crate) async fn get(
        self: &Arc<Self>,
        context: &RefreshContext,
    ) -> Result<Arc<TemporaryCredentials>, CredentialsError> {
        let mut done = self.done.subscribe();
        {
            let Ok(mut state) = self.state.lock() else {
                return Err(self.poisoned());
            };
            let now = context.clock.cloud();
            if let Some(usable) = state.current.clone().filter(|c| usable(c, now)) {
                let due = state.refresh_at.is_some_and(|at| now >= at);
                let backed_off = state
                    .backoff_until
                    .is_some_and(|until| context.clock.instant() < until);
                if due && !backed_off && !state.in_flight {
                    state.in_flight = true;
                    self.spawn_refresh(context);
                }
                return Ok(usable);
            }
            if !state.in_flight {
                state.in_flight = true;
                self.spawn_refresh(context);
            }
            done.mark_unchanged();
        }
        let waited = tokio::time::timeout(self.load_timeout, done.changed()).await;
        let now = context.clock.cloud();
        let Ok(state) = self.state.lock() else {
            return Err(self.poisoned());
        };
        if let Some(usable) = state.current.clone().filter(|c| usable(c, now)) {
            return Ok(usable);
        }
        Err(match (waited, &state.last_error) {
            (Ok(_), Some(error)) => error.clone(),
            _ => self.timed_out(),
        })
    }

    /// The cached credentials, if they can sign a request sent at `now` (cloud time).
    pub(crate) fn usable(&self, now: SystemTime) -> Option<Arc<TemporaryCredentials>> {
        let state = self.state.lock().ok()?;
        state.current.clone().filter(|c| usable(c, now))
    }

    /// Runs one refresh on its own task, bounded by the load timeout, and records its outcome.
    /// A source that panics, or a task that is dropped before it ends (its runtime shut
    /// down), records a failure too: the next call is always free to try again.
    fn spawn_refresh(self: &Arc<Self>, context: &RefreshContext) {
        let mut refresh = Refresh {
            cache: self.clone(),
            context: context.clone(),
            recorded: false,
        };
        tokio::spawn(async move {
            let cache = refresh.cache.clone();
            let started = Instant::now();
            let provide = AssertUnwindSafe(cache.provider.provide(&refresh.context.http));
            let outcome =
                match tokio::time::timeout(cache.load_timeout, provide.catch_unwind()).await {
                    Ok(Ok(outcome)) => outcome,
                    Ok(Err(_panic)) => Err(cache.failed("the source panicked")),
                    Err(_) => Err(cache.timed_out()),
                };
            crate::telemetry::credentials(cache.source(), started.elapsed(), outcome.is_err());
            refresh.finish(outcome);
        });
    }

    fn record(
        &self,
        outcome: Result<TemporaryCredentials, CredentialsError>,
        context: &RefreshContext,
    ) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        state.in_flight = false;
        let source = self.source().to_owned();
        match outcome {
            Ok(new) => {
                let now = context.clock.cloud();
                state.refresh_at = new
                    .expires_at
                    .map(|at| self.refresh_point(now, at, context.clock.jitter()));
                let event = Event::CredentialsRefreshed {
                    source: source.clone(),
                    access_key: new.ak.clone(),
                    expires_at: new.expires_at,
                };
                tracing::debug!(source, ak = %new.ak, "sms_api: credentials refreshed");
                state.current = Some(Arc::new(new));
                let recovered = (state.failures > 0).then(|| Event::CredentialsSourceRecovered {
                    source: source.clone(),
                    failures: state.failures,
                    outage: state
                        .failing_since
                        .map(|since| context.clock.instant().saturating_duration_since(since))
                        .unwrap_or_default(),
                });
                state.failures = 0;
                state.failing_since = None;
                state.backoff_until = None;
                state.last_error = None;
                drop(state);
                if let Some(recovered) = recovered {
                    tracing::warn!(source, "sms_api: the credentials source answers again");
                    context.events.emit(recovered);
                }
                context.events.emit(event);
            }
            Err(error) => {
                state.failures += 1;
                let now = context.clock.instant();
                let backoff = backoff(state.failures, context.clock.jitter());
                state.backoff_until = Some(now + backoff);
                let first = state.failing_since.is_none();
                state.failing_since.get_or_insert(now);
                state.last_error = Some(error.clone());
                let still_valid = state
                    .current
                    .as_ref()
                    .is_some_and(|c| usable(c, context.clock.cloud()));
                drop(state);
                context.events.count_failure();
                tracing::warn!(source, %error, still_valid, backoff_ms = backoff.as_millis() as u64, "sms_api: refreshing credentials failed");
                if first {
                    context.events.emit(Event::CredentialsSourceFailing {
                        source,
                        error,
                        still_valid,
                    });
                }
            }
        }
    }

    /// When credentials obtained at `now` that expire `at` are due for a refresh: when
    /// `refresh_before` remains, as the official SDKs do, moved earlier by `jitter` (up to a
    /// quarter of `refresh_before`, so that a fleet does not refresh at once) only within the
    /// time there is before that point: never before `now`, never past the margin. Credentials
    /// that live less than `refresh_before` altogether are refreshed at half their life (the
    /// official SDKs would refresh them at every request).
    fn refresh_point(&self, now: SystemTime, at: SystemTime, jitter: f64) -> SystemTime {
        match at.checked_sub(self.refresh_before) {
            Some(margin) if margin > now => {
                let room = margin.duration_since(now).unwrap_or_default();
                let earlier = (self.refresh_before / 4)
                    .min(room)
                    .mul_f64(jitter.clamp(0.0, 1.0));
                margin - earlier
            }
            _ => at
                .duration_since(now)
                .map(|left| now + left / 2)
                .unwrap_or(now),
        }
    }

    /// The source failed in a way it could not say itself.
    fn failed(&self, reason: &str) -> CredentialsError {
        super::sources::failed(self.source(), reason.to_owned())
    }

    /// The source did not answer within the load timeout.
    fn timed_out(&self) -> CredentialsError {
        CredentialsError::TimedOut {
            source: self.source().to_owned(),
            after: self.load_timeout,
        }
    }

    fn poisoned(&self) -> CredentialsError {
        self.failed("the credentials cache was poisoned by a panic")
    }
}

/// One refresh under way: its outcome is recorded exactly once, and waiting calls woken,
/// however it ends (dropped unfinished, it records a failure).
struct Refresh {
    cache: Arc<CredentialsCache>,
    context: RefreshContext,
    recorded: bool,
}

impl Refresh {
    fn finish(&mut self, outcome: Result<TemporaryCredentials, CredentialsError>) {
        self.recorded = true;
        self.cache.record(outcome, &self.context);
        self.cache.done.send_modify(|n| *n += 1);
    }
}

impl Drop for Refresh {
    fn drop(&mut self) {
        if !self.recorded {
            let error = self
                .cache
                .failed("the refresh was cancelled before it ended");
            self.finish(Err(error));
        }
    }
}

/// The back-off after `failures` failed refreshes in a row: 10 s doubling to 5 minutes, the
/// second half of it by `jitter`.
fn backoff(failures: u32, jitter: f64) -> Duration {
    let ceiling = doubling(FIRST_BACKOFF, failures, MAX_BACKOFF);
    ceiling / 2 + (ceiling / 2).mul_f64(jitter)
}

/// Whether credentials can still sign a request sent at `now`.
fn usable(credentials: &TemporaryCredentials, now: SystemTime) -> bool {
    credentials
        .expires_at
        .is_none_or(|at| now + SIGNING_MARGIN < at)
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("source", &self.provider.name())
            .field("refresh_before", &self.refresh_before)
            .field("load_timeout", &self.load_timeout)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);
    const MIN: Duration = Duration::from_secs(60);

    #[derive(Debug)]
    struct Never;

    impl ProvideCredentials for Never {
        fn name(&self) -> &str {
            "never"
        }
        fn provide<'a>(&'a self, _: &'a HttpClient) -> ProvideFuture<'a> {
            Box::pin(std::future::pending())
        }
    }

    /// Panics at its first call, gives credentials for an hour after.
    #[derive(Debug, Default)]
    struct PanicsOnce(std::sync::atomic::AtomicU32);

    impl ProvideCredentials for PanicsOnce {
        fn name(&self) -> &str {
            "panics once"
        }
        fn provide<'a>(&'a self, _: &'a HttpClient) -> ProvideFuture<'a> {
            let call = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Box::pin(async move {
                assert!(call > 0, "a source with a bug");
                let expires = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_003_600);
                Ok(TemporaryCredentials::new("AK", "SK", None, Some(expires)))
            })
        }
    }

    fn context() -> RefreshContext {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        RefreshContext {
            http: HttpClient::for_tests(),
            clock: Clock::new(Some(Arc::new(move || now)), Some(Arc::new(|| 0.0))),
            events: Events::new(None),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_source_that_panics_fails_the_call_at_once_and_the_next_call_tries_again() {
        let cache = Arc::new(CredentialsCache::new(
            Arc::new(PanicsOnce::default()),
            DEFAULT_REFRESH_BEFORE,
            DEFAULT_LOAD_TIMEOUT,
        ));
        let context = context();
        let started = Instant::now();
        let error = cache.get(&context).await.unwrap_err();
        assert_eq!(
            error,
            CredentialsError::Source {
                source: "panics once".into(),
                reason: "the source panicked".into(),
                unreachable: false,
            }
        );
        assert!(started.elapsed() < DEFAULT_LOAD_TIMEOUT, "not waited out");
        let credentials = cache.get(&context).await.unwrap();
        assert_eq!(credentials.ak, "AK");
    }

    #[tokio::test(start_paused = true)]
    async fn a_refresh_dropped_unfinished_frees_the_cache() {
        let cache = Arc::new(cache(DEFAULT_REFRESH_BEFORE));
        let context = context();
        let refresh = Refresh {
            cache: cache.clone(),
            context: context.clone(),
            recorded: false,
        };
        cache.state.lock().unwrap().in_flight = true;
        drop(refresh);
        let state = cache.state.lock().unwrap();
        assert!(!state.in_flight);
        assert!(matches!(
            &state.last_error,
            Some(CredentialsError::Source { reason, .. }) if reason.contains("cancelled")
        ));
    }

    fn cache(refresh_before: Duration) -> CredentialsCache {
        CredentialsCache::new(Arc::new(Never), refresh_before, DEFAULT_LOAD_TIMEOUT)
    }

    #[test]
    fn the_back_off_doubles_from_10_s_to_5_minutes_with_jitter_in_its_second_half() {
        assert_eq!(backoff(1, 0.0), 5 * S);
        assert_eq!(backoff(1, 1.0), 10 * S);
        assert_eq!(backoff(2, 0.5), 15 * S);
        assert_eq!(backoff(6, 1.0), 300 * S);
        assert_eq!(backoff(u32::MAX, 1.0), 300 * S);
    }

    #[test]
    fn refresh_points_come_before_the_margin_jittered_earlier_or_at_half_life() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let default = cache(DEFAULT_REFRESH_BEFORE);
        // 60-minute credentials: 40 minutes before expiry, up to 10 minutes earlier.
        assert_eq!(
            default.refresh_point(now, now + 60 * MIN, 0.0),
            now + 20 * MIN
        );
        assert_eq!(
            default.refresh_point(now, now + 60 * MIN, 1.0),
            now + 10 * MIN
        );
        // 24-hour credentials (the metadata service's).
        assert_eq!(
            default.refresh_point(now, now + 24 * 60 * MIN, 0.0),
            now + (24 * 60 - 40) * MIN
        );
        // Credentials that live less than the margin: at half their life, not at once.
        assert_eq!(
            default.refresh_point(now, now + 30 * MIN, 0.0),
            now + 15 * MIN
        );
        // 40 to 50 minutes of life: refreshed when 40 minutes remain, the jitter moving it
        // earlier only within the time before that point, never past it nor before now.
        for minutes in 41..=50 {
            let at = now + minutes * MIN;
            for jitter in [0.0, 0.3, 0.5, 0.99, 1.0] {
                let point = default.refresh_point(now, at, jitter);
                assert!(
                    point >= now && point <= at - 40 * MIN,
                    "{minutes} min, jitter {jitter}: refreshed {:?} after now",
                    point.duration_since(now)
                );
            }
            assert_eq!(default.refresh_point(now, at, 0.0), at - 40 * MIN);
        }
        assert_eq!(
            default.refresh_point(now, now + 45 * MIN, 1.0),
            now,
            "five minutes of room, all of it taken by the jitter"
        );
        // A margin under a minute is raised to one.
        let short = cache(S);
        assert_eq!(short.refresh_before, MIN_REFRESH_BEFORE);
        assert_eq!(short.refresh_point(now, now + 10 * MIN, 0.0), now + 9 * MIN);
    }
}
