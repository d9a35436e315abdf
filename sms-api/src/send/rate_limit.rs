//! A client-wide adaptive rate limiter, as aws-sdk-rust's adaptive retry mode has: off until
//! the gateway first throttles, then it paces every request of the client (pages of a
//! paginator and independent calls alike) at a rate that backs off multiplicatively on each
//! throttling answer and recovers along a cubic curve (CUBIC, as TCP uses).
//!
//! - On a throttling answer to a request sent at the current rate, the rate the gateway admits
//!   is estimated as the lower of the current rate and the client's successes in the last
//!   second (the gateway's limits are per second), and the rate drops to `beta` times that. At
//!   the first throttling answer there is no current rate: the estimate is every request sent
//!   in the last second, which the gateway took until its burst ran out.
//!   Answers to requests sent before the last drop do not drop it again: one drop per window,
//!   as TCP does, so a burst of in-flight requests throttled together counts once.
//! - After a drop the rate follows `W(t) = scale·(t − K)³ + W_max`, with
//!   `K = ∛(W_max·(1 − beta)/scale)`: back to `W_max` after `K` seconds, slowly, then probing
//!   beyond it faster.
//! - Requests are spaced `1/rate` apart, in the order they asked; a waiter whose slot was given
//!   at a rate that has since dropped asks again, and one that is cancelled while it waits (a
//!   deadline, a dropped future) gives its slot back, so that cancellations never push every
//!   later turn past a deadline.
//! - Once the gateway has not throttled for [`PACING_ENDS_AFTER`] and the rate is back where it
//!   dropped from, pacing ends: the client is unlimited again (and a paginator may widen)
//!   until the next throttling answer.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::Instant;

/// How long the gateway must have gone without throttling, the rate being back at least where
/// it dropped from, before the limiter stops pacing requests (and a paginator may widen again).
///
/// ```
/// use sms_api::send::PACING_ENDS_AFTER;
///
/// assert_eq!(PACING_ENDS_AFTER.as_secs(), 30);
/// ```
pub const PACING_ENDS_AFTER: Duration = Duration::from_secs(30);

/// How the client adapts its request rate to throttling (on by default).
///
/// ```
/// use sms_api::send::AdaptiveRateLimit;
///
/// let gentle = AdaptiveRateLimit::default().beta(0.5).min_rate(1.0);
/// assert!(gentle.is_enabled());
/// assert!(!AdaptiveRateLimit::disabled().is_enabled());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AdaptiveRateLimit {
    enabled: bool,
    beta: f64,
    scale: f64,
    min_rate: f64,
}

impl Default for AdaptiveRateLimit {
    fn default() -> Self {
        AdaptiveRateLimit {
            enabled: true,
            beta: 0.7,
            scale: 0.4,
            min_rate: 0.5,
        }
    }
}

impl AdaptiveRateLimit {
    /// No client-side rate limit: throttled requests are retried like any transient failure,
    /// within the retry policy's attempts and the retry budget.
    pub fn disabled() -> Self {
        AdaptiveRateLimit {
            enabled: false,
            ..AdaptiveRateLimit::default()
        }
    }

    /// The factor the rate is multiplied by on throttling, between 0.05 and 0.95 (default 0.7).
    #[must_use]
    pub fn beta(mut self, beta: f64) -> Self {
        self.beta = if beta.is_finite() {
            beta.clamp(0.05, 0.95)
        } else {
            0.7
        };
        self
    }

    /// How fast the rate grows back, the cubic's coefficient in requests/s³ (default 0.4).
    #[must_use]
    pub fn scale(mut self, scale: f64) -> Self {
        self.scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            0.4
        };
        self
    }

    /// The lowest rate, in requests per second (default 0.5).
    #[must_use]
    pub fn min_rate(mut self, rate: f64) -> Self {
        self.min_rate = if rate.is_finite() && rate > 0.0 {
            rate
        } else {
            0.5
        };
        self
    }

    /// Whether the limiter is on.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }
}

/// What the client's traffic looks like now: for progress displays and tracing.
///
/// ```
/// # fn f(client: &sms_api::Client) {
/// let traffic = client.traffic();
/// if let Some(rate) = traffic.rate {
///     eprintln!("throttled {} times, now {rate:.1} requests/s", traffic.throttled);
/// }
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Traffic {
    /// The rate the limiter allows, in requests per second; `None` while unlimited.
    pub rate: Option<f64>,
    /// Requests sent (attempts, retries included).
    pub requests: u64,
    /// Throttling answers received.
    pub throttled: u64,
    /// Requests the client sent again by itself after a failed attempt (a throttled attempt
    /// paced by the limiter included).
    pub retries: u64,
    /// Pages a paginator fetched again after their fetch failed (each with its own attempts).
    pub refetches: u64,
    /// Requests on the wire now.
    pub in_flight: usize,
    /// The most requests that were on the wire at once.
    pub max_in_flight: usize,
    /// Temporary credentials fetched from their source.
    pub credential_refreshes: u64,
    /// Refreshes of temporary credentials that failed (the source did not answer in time, or
    /// answered an error).
    pub credential_failures: u64,
    /// The gateway's clock minus this host's, in milliseconds, once the gateway refused a
    /// signature as expired; every signature since is dated by the gateway's time.
    pub clock_skew_millis: Option<i64>,
}

/// The limiter a client and all its clones share.
pub(crate) struct RateLimiter {
    config: AdaptiveRateLimit,
    state: Mutex<State>,
    requests: AtomicU64,
    throttled: AtomicU64,
    retries: AtomicU64,
    refetches: AtomicU64,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

struct State {
    /// `None` until the first throttling answer.
    rate: Option<f64>,
    /// The earliest time the next request may go.
    next_slot: Instant,
    /// Bumped at each drop of the rate.
    epoch: u64,
    /// The rate estimated at the last drop, and when it happened.
    last_max_rate: f64,
    last_throttle: Instant,
    /// When the successes of the last second arrived, and when the requests of the last
    /// second were sent.
    successes: VecDeque<Instant>,
    sent: VecDeque<Instant>,
}

/// The time ran out before the limiter let the request go.
#[derive(Debug)]
pub(crate) struct Expired;

/// Leave to send one request; reports its outcome to the limiter and counts it in flight.
pub(crate) struct Permit<'a> {
    limiter: &'a RateLimiter,
    epoch: u64,
}

impl RateLimiter {
    pub(crate) fn new(config: AdaptiveRateLimit) -> RateLimiter {
        let now = Instant::now();
        RateLimiter {
            config,
            state: Mutex::new(State {
                rate: None,
                next_slot: now,
                epoch: 0,
                last_max_rate: 0.0,
                last_throttle: now,
                successes: VecDeque::new(),
                sent: VecDeque::new(),
            }),
            requests: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
            retries: AtomicU64::new(0),
            refetches: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        }
    }

    /// Counts a request sent again by the client after a failed attempt.
    pub(crate) fn count_retry(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a page fetched again by a paginator.
    pub(crate) fn count_refetch(&self) {
        self.refetches.fetch_add(1, Ordering::Relaxed);
    }

    /// Throttling answers the client has met so far (what a paginator's pacer backs off on).
    pub(crate) fn throttled_count(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    /// Whether the limiter paces the client's requests (it has met throttling): then the
    /// request rate is its to set, and a paginator does not add pages in flight.
    pub(crate) fn is_pacing(&self) -> bool {
        let mut state = self.lock();
        self.pacing_rate(&mut state, Instant::now()).is_some()
    }

    /// Whether throttled requests are paced by the limiter rather than retried as failures.
    pub(crate) fn is_enabled(&self) -> bool {
        self.config.enabled
    }

    /// Waits for this request's turn; `Expired` if it would come after `deadline` (with no
    /// deadline, it waits for the turn whenever it comes). Dropped while it waits, it gives
    /// its turn back.
    pub(crate) async fn acquire(&self, deadline: Option<Instant>) -> Result<Permit<'_>, Expired> {
        loop {
            let reserved = {
                let mut state = self.lock();
                let now = Instant::now();
                match self.pacing_rate(&mut state, now) {
                    Some(rate) => {
                        let slot = state.next_slot.max(now);
                        if deadline.is_some_and(|deadline| slot > deadline) {
                            return Err(Expired);
                        }
                        state.next_slot = slot + interval(rate);
                        Reservation {
                            limiter: self,
                            slot,
                            epoch: state.epoch,
                            spacing: interval(rate),
                            waiting: true,
                        }
                    }
                    None => return Ok(self.permit(&mut state, now)),
                }
            };
            let mut reserved = reserved;
            tokio::time::sleep_until(reserved.slot).await;
            reserved.waiting = false;
            let mut state = self.lock();
            if state.epoch == reserved.epoch {
                return Ok(self.permit(&mut state, Instant::now()));
            }
            // The rate dropped while this request waited: ask again at the new rate.
        }
    }

    /// The rate requests are paced at, `None` while unlimited; ends pacing once the gateway
    /// has not throttled for [`PACING_ENDS_AFTER`] and the cubic is back at the rate it
    /// dropped from (`t ≥ K`).
    fn pacing_rate(&self, state: &mut State, now: Instant) -> Option<f64> {
        let rate = state.rate.filter(|_| self.config.enabled)?;
        let quiet = now.saturating_duration_since(state.last_throttle);
        if quiet >= PACING_ENDS_AFTER && quiet.as_secs_f64() >= self.recovery_time(state) {
            state.rate = None;
            state.sent.clear();
            return None;
        }
        Some(rate)
    }

    /// `K`: how long the cubic takes to climb back to the rate it dropped from.
    fn recovery_time(&self, state: &State) -> f64 {
        (state.last_max_rate * (1.0 - self.config.beta) / self.config.scale).cbrt()
    }

    /// When the next request may go, if the limiter is pacing requests.
    pub(crate) fn next_turn(&self) -> Option<Instant> {
        let mut state = self.lock();
        let now = Instant::now();
        self.pacing_rate(&mut state, now)
            .map(|_| state.next_slot.max(now))
    }

    /// What the client's traffic looks like now.
    pub(crate) fn traffic(&self) -> Traffic {
        Traffic {
            rate: self.pacing_rate(&mut self.lock(), Instant::now()),
            requests: self.requests.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            refetches: self.refetches.load(Ordering::Relaxed),
            in_flight: self.in_flight.load(Ordering::Relaxed),
            max_in_flight: self.max_in_flight.load(Ordering::Relaxed),
            ..Traffic::default()
        }
    }

    fn permit(&self, state: &mut State, now: Instant) -> Permit<'_> {
        if self.config.enabled && state.rate.is_none() {
            state.sent.push_back(now);
            prune(&mut state.sent, now);
        }
        let epoch = state.epoch;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let now = self.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        self.max_in_flight.fetch_max(now, Ordering::Relaxed);
        Permit {
            limiter: self,
            epoch,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state stays consistent whatever panicked while holding it: every update is a
        // handful of assignments.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn on_success(&self) {
        let now = Instant::now();
        let mut state = self.lock();
        state.successes.push_back(now);
        prune(&mut state.successes, now);
        if let Some(rate) = self.pacing_rate(&mut state, now) {
            let t = (now - state.last_throttle).as_secs_f64();
            let k = self.recovery_time(&state);
            let cubic = self.config.scale * (t - k).powi(3) + state.last_max_rate;
            state.rate = Some(cubic.max(rate));
        }
    }

    /// A throttling answer to a request sent under `epoch`; returns the new rate if it dropped.
    fn on_throttle(&self, epoch: u64) -> Option<f64> {
        self.throttled.fetch_add(1, Ordering::Relaxed);
        if !self.config.enabled {
            return None;
        }
        let now = Instant::now();
        let mut state = self.lock();
        if state.rate.is_some() && epoch < state.epoch {
            return None;
        }
        prune(&mut state.successes, now);
        prune(&mut state.sent, now);
        let max_rate = match state.rate {
            None => state.sent.len() as f64,
            Some(rate) => rate.min(state.successes.len() as f64),
        }
        .max(self.config.min_rate);
        state.sent = VecDeque::new();
        let rate = (max_rate * self.config.beta).max(self.config.min_rate);
        state.rate = Some(rate);
        state.last_max_rate = max_rate;
        state.last_throttle = now;
        state.epoch += 1;
        state.next_slot = now + interval(rate);
        Some(rate)
    }
}

/// A turn reserved by a request that waits for it.
struct Reservation<'a> {
    limiter: &'a RateLimiter,
    /// When its turn comes.
    slot: Instant,
    epoch: u64,
    spacing: Duration,
    waiting: bool,
}

impl Drop for Reservation<'_> {
    /// A request cancelled while it waited gives its turn back: every later turn moves one
    /// spacing earlier for requests that ask from now on. Not after a drop of the rate, which
    /// set the turns anew.
    fn drop(&mut self) {
        if !self.waiting {
            return;
        }
        let mut state = self.limiter.lock();
        if state.epoch == self.epoch {
            state.next_slot = state
                .next_slot
                .checked_sub(self.spacing)
                .unwrap_or(state.next_slot);
        }
    }
}

impl Permit<'_> {
    /// The request got an answer that was not throttling.
    pub(crate) fn succeeded(self) {
        self.limiter.on_success();
    }

    /// The request was throttled; returns the new rate if the limiter slowed down.
    pub(crate) fn throttled(self) -> Option<f64> {
        self.limiter.on_throttle(self.epoch)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.limiter.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("config", &self.config)
            .field("traffic", &self.traffic())
            .finish()
    }
}

fn interval(rate: f64) -> Duration {
    Duration::from_secs_f64(1.0 / rate)
}

/// Keeps the successes of the last second.
fn prune(successes: &mut VecDeque<Instant>, now: Instant) {
    while successes
        .front()
        .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
    {
        successes.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No deadline: wait for the turn.
    fn far() -> Option<Instant> {
        None
    }

    /// `n` requests that succeed, one after the other, as fast as the limiter lets them.
    async fn succeed(limiter: &RateLimiter, n: usize) {
        for _ in 0..n {
            limiter.acquire(far()).await.unwrap().succeeded();
        }
    }

    #[tokio::test(start_paused = true)]
    async fn unlimited_until_the_first_throttle() {
        let limiter = RateLimiter::new(AdaptiveRateLimit::default());
        let start = Instant::now();
        succeed(&limiter, 100).await;
        assert_eq!(Instant::now(), start, "no wait before any throttling");
        assert_eq!(limiter.traffic().rate, None);
        assert_eq!(limiter.traffic().requests, 100);
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_throttle_sets_the_rate_from_what_was_sent_in_the_last_second() {
        let limiter = RateLimiter::new(AdaptiveRateLimit::default());
        succeed(&limiter, 10).await;
        let dropped = limiter.acquire(far()).await.unwrap().throttled().unwrap();
        assert!(
            close(dropped, 0.7 * 11.0),
            "11 sent in the last second: {dropped}"
        );
        // The next request waits 1/7.7 s; the rate then recovers with each success.
        let start = Instant::now();
        succeed(&limiter, 1).await;
        let waited = Instant::now() - start;
        assert!(
            waited.abs_diff(interval(7.7)) <= Duration::from_millis(1),
            "{waited:?}"
        );
        let start = Instant::now();
        succeed(&limiter, 7).await;
        let took = Instant::now() - start;
        assert!(
            took > Duration::from_millis(600) && took < interval(7.7) * 7,
            "{took:?}"
        );
        // Later drops start from the lower of the rate and the successes of the last second.
        let again = limiter.acquire(far()).await.unwrap().throttled().unwrap();
        assert!(
            close(again, 0.7 * 8.0),
            "8 successes in the last second: {again}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn throttles_of_requests_sent_before_a_drop_count_once() {
        let limiter = RateLimiter::new(AdaptiveRateLimit::default());
        succeed(&limiter, 10).await;
        // Four requests in flight together, all throttled.
        let permits: Vec<_> =
            futures_util::future::join_all((0..4).map(|_| limiter.acquire(far()))).await;
        let drops: Vec<_> = permits
            .into_iter()
            .map(|p| p.unwrap().throttled())
            .collect();
        assert!(drops[0].is_some_and(|r| close(r, 0.7 * 14.0)), "{drops:?}");
        assert_eq!(drops[1..], [None, None, None]);
        assert_eq!(limiter.traffic().throttled, 4);
        // A request sent at the new rate and throttled drops it again.
        let again = limiter.acquire(far()).await.unwrap().throttled().unwrap();
        assert!(again <= 0.7 * 0.7 * 14.0 + 1e-9, "{again}");
    }

    #[tokio::test(start_paused = true)]
    async fn the_rate_recovers_along_the_cubic_and_probes_beyond() {
        let limiter = RateLimiter::new(AdaptiveRateLimit::default());
        succeed(&limiter, 10).await;
        limiter.acquire(far()).await.unwrap().throttled();
        // 11 sent, so W_max = 11 and K = ∛(11 × 0.3 / 0.4) ≈ 2.02 s: the rate is back near 11
        // then, and above it later.
        let mut seen = Vec::new();
        let start = Instant::now();
        while Instant::now() - start < Duration::from_secs(4) {
            limiter.acquire(far()).await.unwrap().succeeded();
            seen.push((
                (Instant::now() - start).as_secs_f64(),
                limiter.traffic().rate.unwrap(),
            ));
        }
        let at = |t: f64| seen.iter().find(|(s, _)| *s >= t).unwrap().1;
        assert!(at(0.5) > 7.7 && at(0.5) < 10.0, "{}", at(0.5));
        assert!((at(2.0) - 11.0).abs() < 0.3, "{}", at(2.0));
        assert!(at(3.9) > 11.5, "{}", at(3.9));
        assert!(
            seen.windows(2).all(|w| w[1].1 >= w[0].1 - 1e-9),
            "never drops without a throttle"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn waiters_ask_again_when_the_rate_drops() {
        let limiter = std::sync::Arc::new(RateLimiter::new(AdaptiveRateLimit::default()));
        succeed(&limiter, 10).await;
        limiter.acquire(far()).await.unwrap().throttled(); // 7.7/s
        // A request sent at 7.7/s, whose answer comes after six others have queued.
        let in_flight = limiter.acquire(far()).await.unwrap();
        let start = Instant::now();
        let waiters: Vec<_> = (0..6)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    limiter.acquire(far()).await.unwrap().succeeded();
                    Instant::now()
                })
            })
            .collect();
        // It is throttled: the waiters, queued 1/7.7 s apart, are re-spaced at 5.39/s.
        tokio::time::sleep(Duration::from_millis(1)).await;
        let dropped = in_flight.throttled().unwrap();
        assert!(close(dropped, 0.7 * 7.7), "{dropped}");
        let mut times = Vec::new();
        for waiter in waiters {
            times.push(waiter.await.unwrap() - start);
        }
        times.sort();
        let gaps: Vec<_> = times.windows(2).map(|w| w[1] - w[0]).collect();
        // 1/5.39 s first, then shorter as the rate recovers, but never the old 1/7.7 s.
        assert!(gaps[0] >= Duration::from_millis(185), "{gaps:?}");
        assert!(gaps.iter().all(|g| *g > interval(7.7)), "{gaps:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_beyond_the_deadline_is_refused_and_the_floor_holds() {
        let limiter = RateLimiter::new(AdaptiveRateLimit::default().min_rate(0.5));
        for _ in 0..20 {
            limiter.acquire(far()).await.unwrap().throttled();
        }
        assert_eq!(limiter.traffic().rate, Some(0.5), "never below the floor");
        assert!(
            limiter
                .acquire(Some(Instant::now() + Duration::from_millis(100)))
                .await
                .is_err()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn disabled_never_waits() {
        let limiter = RateLimiter::new(AdaptiveRateLimit::disabled());
        for _ in 0..5 {
            limiter.acquire(far()).await.unwrap().throttled();
        }
        let start = Instant::now();
        succeed(&limiter, 50).await;
        assert_eq!(Instant::now(), start);
        assert_eq!(limiter.traffic().rate, None);
    }

    /// A limiter pacing at 2 requests/s (throttled once after 3 sent in a second, then again
    /// at its new rate; min rate 2).
    async fn pacing_at_two_per_second() -> RateLimiter {
        let limiter = RateLimiter::new(AdaptiveRateLimit::default().beta(0.05).min_rate(2.0));
        succeed(&limiter, 2).await;
        limiter.acquire(far()).await.unwrap().throttled();
        assert_eq!(limiter.traffic().rate, Some(2.0));
        limiter
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_cancelled_gives_its_turn_back() {
        let limiter = pacing_at_two_per_second().await;
        // Forty calls, each given 100 ms (as a watch's looks are): most are cut short while
        // they wait for a turn 500 ms apart.
        let (mut cut, mut sent) = (0, 0);
        for _ in 0..40 {
            let deadline = Instant::now() + Duration::from_millis(100);
            match tokio::time::timeout_at(deadline, limiter.acquire(None)).await {
                Ok(permit) => {
                    permit.unwrap().succeeded();
                    sent += 1;
                }
                Err(_) => cut += 1,
            }
            // Without giving turns back, each cut call would push the next turn 500 ms
            // further while only 100 ms pass: 15 s ahead after forty.
            let ahead = limiter.next_turn().unwrap() - Instant::now();
            assert!(ahead <= interval(2.0), "{ahead:?} ahead after {cut} cut");
        }
        assert!(cut >= 30 && sent >= 5, "{cut} cut, {sent} sent");
    }

    #[tokio::test(start_paused = true)]
    async fn waits_cancelled_in_any_order_give_every_turn_back() {
        let limiter = std::sync::Arc::new(pacing_at_two_per_second().await);
        let start = Instant::now();
        let waiters: Vec<_> = (0..6)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move { limiter.acquire(None).await.map(|_| ()) })
            })
            .collect();
        tokio::task::yield_now().await;
        for index in [3, 0, 5, 1, 4, 2] {
            waiters[index].abort();
        }
        for waiter in waiters {
            assert!(waiter.await.unwrap_err().is_cancelled());
        }
        limiter.acquire(None).await.unwrap().succeeded();
        assert!(
            Instant::now() - start <= interval(2.0),
            "{:?}",
            Instant::now() - start
        );
    }

    #[tokio::test(start_paused = true)]
    async fn pacing_ends_once_the_gateway_has_been_quiet_and_the_rate_is_back() {
        let limiter = RateLimiter::new(AdaptiveRateLimit::default());
        succeed(&limiter, 10).await;
        limiter.acquire(far()).await.unwrap().throttled();
        assert!(limiter.is_pacing());
        // Still pacing just before the quiet period ends, though the rate is long back.
        tokio::time::advance(PACING_ENDS_AFTER - Duration::from_millis(10)).await;
        succeed(&limiter, 1).await;
        assert!(limiter.is_pacing());
        tokio::time::advance(Duration::from_millis(10)).await;
        assert!(!limiter.is_pacing());
        assert_eq!(limiter.traffic().rate, None);
        let start = Instant::now();
        succeed(&limiter, 50).await;
        assert_eq!(Instant::now(), start, "unlimited again");
        // The next throttling paces again, from what was sent in the last second.
        let dropped = limiter.acquire(far()).await.unwrap().throttled().unwrap();
        assert!(close(dropped, 0.7 * 51.0), "{dropped}");
        assert!(limiter.is_pacing());
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_that_goes_on_keeps_pacing() {
        let limiter = RateLimiter::new(AdaptiveRateLimit::default());
        succeed(&limiter, 10).await;
        for _ in 0..10 {
            limiter.acquire(far()).await.unwrap().throttled();
            tokio::time::advance(PACING_ENDS_AFTER / 2).await;
            assert!(limiter.is_pacing());
        }
    }

    #[tokio::test]
    async fn in_flight_requests_are_counted() {
        let limiter = RateLimiter::new(AdaptiveRateLimit::default());
        let a = limiter.acquire(far()).await.unwrap();
        let b = limiter.acquire(far()).await.unwrap();
        assert_eq!(limiter.traffic().in_flight, 2);
        drop(a);
        b.succeeded();
        let traffic = limiter.traffic();
        assert_eq!((traffic.in_flight, traffic.max_in_flight), (0, 2));
    }
}
