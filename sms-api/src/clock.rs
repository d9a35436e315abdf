//! The one place a client takes time and chance from: tokio's clock for every wait and
//! deadline, a wall clock for dates (the signature's `X-Sdk-Date`, credential expiry,
//! `Retry-After` dates) corrected by what the gateway says of its own time, and a source of
//! jitter. All three can be injected, so every time-based behaviour is tested on tokio's paused
//! clock with fixed draws.
//!
//! This module depends on nothing else of the crate.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

/// A wall clock: what time it is here.
pub(crate) type WallClock = Arc<dyn Fn() -> SystemTime + Send + Sync>;
/// A source of draws in [0, 1), for jitter.
pub(crate) type Jitter = Arc<dyn Fn() -> f64 + Send + Sync>;

/// Time and chance for a client and its clones: the skew offset, once learnt, is shared.
#[derive(Clone)]
pub(crate) struct Clock {
    wall: WallClock,
    jitter: Jitter,
    skew: Arc<Skew>,
}

/// What the gateway's clock says minus ours, in milliseconds, once a refusal told us.
#[derive(Default)]
struct Skew {
    known: AtomicBool,
    millis: AtomicI64,
}

impl Clock {
    /// A clock from a wall clock and a jitter source (`None`: the defaults).
    pub(crate) fn new(wall: Option<WallClock>, jitter: Option<Jitter>) -> Self {
        Clock {
            wall: wall.unwrap_or_else(following_tokio),
            jitter: jitter.unwrap_or_else(|| Arc::new(random_unit)),
            skew: Arc::default(),
        }
    }

    /// Now, on tokio's clock: for deadlines and waits.
    pub(crate) fn instant(&self) -> Instant {
        Instant::now()
    }

    /// What time it is here, by the wall clock.
    pub(crate) fn local(&self) -> SystemTime {
        (self.wall)()
    }

    /// What time it is in the cloud: the wall clock corrected by the skew the gateway reported.
    /// Signatures are dated with it, and credential expiry (a cloud time) is compared with it.
    pub(crate) fn cloud(&self) -> SystemTime {
        shift(self.local(), self.skew_millis().unwrap_or(0))
    }

    /// A draw in [0, 1).
    pub(crate) fn jitter(&self) -> f64 {
        (self.jitter)().clamp(0.0, 1.0 - f64::EPSILON)
    }

    /// The gateway's clock minus ours, once a refusal told it.
    pub(crate) fn skew_millis(&self) -> Option<i64> {
        self.skew
            .known
            .load(Ordering::Acquire)
            .then(|| self.skew.millis.load(Ordering::Acquire))
    }

    /// Learns that the gateway's time is `server` now. Returns the new offset when it differs
    /// from the one known by more than a second (the caller logs it), `None` otherwise.
    pub(crate) fn learn_skew(&self, server: SystemTime) -> Option<i64> {
        let local = self.local();
        let millis = match server.duration_since(local) {
            Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
            Err(behind) => -i64::try_from(behind.duration().as_millis()).unwrap_or(i64::MAX),
        };
        let previous = self.skew_millis();
        self.skew.millis.store(millis, Ordering::Release);
        self.skew.known.store(true, Ordering::Release);
        match previous {
            Some(previous) if (previous - millis).abs() <= 1000 => None,
            _ => Some(millis),
        }
    }
}

/// `time` moved by `millis` (either way).
pub(crate) fn shift(time: SystemTime, millis: i64) -> SystemTime {
    let by = Duration::from_millis(millis.unsigned_abs());
    if millis >= 0 {
        time.checked_add(by).unwrap_or(time)
    } else {
        time.checked_sub(by).unwrap_or(SystemTime::UNIX_EPOCH)
    }
}

/// The default wall clock: the system time, read afresh every time (a laptop or VM that was
/// suspended, or a clock that NTP stepped, is seen at once: tokio's clock stops during a
/// suspend, so a time carried forward on it would date every signature late by the suspend's
/// length), plus however far tokio's clock has run ahead of the monotonic one. In production
/// the two run together and that is nothing; under `#[tokio::test(start_paused = true)]` it is
/// the time the test skipped, so that credential expiry and signature dates advance with it.
fn following_tokio() -> WallClock {
    let anchor = std::sync::OnceLock::<(Instant, std::time::Instant)>::new();
    Arc::new(move || {
        let (tokio_then, real_then) =
            *anchor.get_or_init(|| (Instant::now(), std::time::Instant::now()));
        skipped_ahead(
            SystemTime::now(),
            Instant::now().saturating_duration_since(tokio_then),
            real_then.elapsed(),
        )
    })
}

/// `system` moved on by what tokio's clock (`tokio_elapsed`) ran past the monotonic clock
/// (`real_elapsed`) since both were first read.
fn skipped_ahead(
    system: SystemTime,
    tokio_elapsed: Duration,
    real_elapsed: Duration,
) -> SystemTime {
    let skipped = tokio_elapsed.saturating_sub(real_elapsed);
    system.checked_add(skipped).unwrap_or(system)
}

/// `first` doubled for each attempt after the first, at most `cap`: the ceiling of an
/// exponential back-off (retries, credential refreshes, page re-fetches, waiter delays).
pub(crate) fn doubling(first: Duration, attempt: u32, cap: Duration) -> Duration {
    first
        .saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        )
        .min(cap)
}

/// A random number in [0, 1), from the standard library's randomly seeded hasher.
pub(crate) fn random_unit() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clock")
            .field("skew_millis", &self.skew_millis())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(at: SystemTime) -> Clock {
        Clock::new(Some(Arc::new(move || at)), Some(Arc::new(|| 0.5)))
    }

    #[test]
    fn the_cloud_time_is_ours_until_a_skew_is_learnt() {
        let here = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let clock = fixed(here);
        assert_eq!(clock.cloud(), here);
        assert_eq!(clock.skew_millis(), None);
        // The gateway is 20 minutes behind.
        let learnt = clock.learn_skew(here - Duration::from_secs(1200));
        assert_eq!(learnt, Some(-1_200_000));
        assert_eq!(clock.cloud(), here - Duration::from_secs(1200));
        // The same again (within a second) is not news; clones share it.
        let clone = clock.clone();
        assert_eq!(
            clone.learn_skew(here - Duration::from_millis(1_199_500)),
            None
        );
        assert_eq!(clock.skew_millis(), Some(-1_199_500));
        // Ahead now.
        assert_eq!(
            clock.learn_skew(here + Duration::from_secs(1200)),
            Some(1_200_000)
        );
        assert_eq!(clone.cloud(), here + Duration::from_secs(1200));
    }

    #[test]
    fn doubling_grows_from_first_to_the_cap_without_overflow() {
        let s = Duration::from_secs(1);
        let ceilings: Vec<Duration> = (0..=5).map(|n| doubling(s, n, 10 * s)).collect();
        assert_eq!(ceilings, [s, s, 2 * s, 4 * s, 8 * s, 10 * s]);
        assert_eq!(doubling(s, u32::MAX, 10 * s), 10 * s);
        assert_eq!(doubling(Duration::MAX, 3, 10 * s), 10 * s);
    }

    #[test]
    fn draws_stay_below_one() {
        let clock = Clock::new(None, Some(Arc::new(|| 1.0)));
        assert!(clock.jitter() < 1.0);
        for _ in 0..100 {
            let draw = random_unit();
            assert!((0.0..1.0).contains(&draw));
        }
    }

    #[test]
    fn the_default_wall_clock_follows_the_system_time_when_it_jumps() {
        let here = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let hour = Duration::from_secs(3600);
        // Tokio's clock and the monotonic one run together: the system time as it is, after
        // a suspend of an hour (neither monotonic clock moved) and after a step back.
        assert_eq!(skipped_ahead(here, hour, hour), here);
        assert_eq!(skipped_ahead(here + hour, hour, hour), here + hour);
        assert_eq!(skipped_ahead(here - hour, hour, hour), here - hour);
        // Tokio read a moment before the monotonic clock: still the system time.
        assert_eq!(
            skipped_ahead(here, hour, hour + Duration::from_millis(1)),
            here
        );
        // A paused test skipped an hour in no real time.
        assert_eq!(skipped_ahead(here, hour, Duration::ZERO), here + hour);
        assert_eq!(
            skipped_ahead(
                SystemTime::UNIX_EPOCH + Duration::MAX / 2,
                Duration::MAX,
                Duration::ZERO
            ),
            SystemTime::UNIX_EPOCH + Duration::MAX / 2,
            "an overflow keeps the system time"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_default_wall_clock_follows_tokio() {
        let clock = Clock::new(None, None);
        let before = clock.local();
        tokio::time::sleep(Duration::from_secs(3600)).await;
        let after = clock.local();
        let moved = after.duration_since(before).unwrap();
        // The system time is read at both ends, each beside its monotonic reading: they
        // agree to well within a millisecond.
        assert!(
            moved.abs_diff(Duration::from_secs(3600)) < Duration::from_millis(1),
            "{moved:?}"
        );
    }
}
