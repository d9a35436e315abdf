//! How many pages a listing keeps in flight: fixed when the caller says so, otherwise found by
//! measuring goodput (items yielded per second) round after round, as TCP's slow start finds
//! a window.
//!
//! A round is the next `window` pages admitted after a change; it starts when the page before
//! it is yielded and ends when its last page is, so it measures the window it was admitted
//! under. While goodput still rises by [`RISE`] or more from one round to the next, the window
//! doubles, up to [`MAX_CONCURRENCY`], one page more for each page yielded (so a gateway's
//! quota meets a ramp, not a burst, and its first throttling answer stops it); when goodput
//! stops rising, the window goes back to the best one seen and holds there, probing upward
//! again after [`PROBE_AFTER`] rounds. When the gateway throttles, the window halves, down to
//! [`MIN_WINDOW`], and the measuring starts afresh; once the client's rate limiter paces its
//! requests (it met throttling), the window no longer grows: the request rate is the
//! limiter's to set, and more pages in flight would only wait for their turn.

use std::time::Duration;

use tokio::time::Instant;

use super::{DEFAULT_CONCURRENCY, MAX_CONCURRENCY};

/// The rise in goodput, from one round to the next, that is worth more pages in flight (10%:
/// on loopback, where more pages bring nothing, rounds differ by a few percent by chance).
const RISE: f64 = 1.10;
/// Rounds held at the best window before probing upward again.
const PROBE_AFTER: u32 = 4;
/// The fewest pages in flight the pacer backs off to when throttled.
const MIN_WINDOW: usize = 2;

/// The pages in flight, and what decides them.
#[derive(Debug)]
pub(crate) struct Pacer {
    window: usize,
    /// Where the window is growing to, a page per page yielded.
    target: usize,
    adaptive: bool,
    /// Pages admitted and yielded so far (pages after the first).
    admitted: u64,
    yielded: u64,
    round: Round,
    /// The best goodput seen since the last throttle or probe, and its window.
    best: Option<(f64, usize)>,
    growing: bool,
    held: u32,
    throttled_seen: u64,
}

/// The pages `first..first + len` (in admission order), measured from the yield of the page
/// before them.
#[derive(Debug)]
struct Round {
    first: u64,
    len: u64,
    started: Option<Instant>,
    items: u64,
}

impl Pacer {
    /// `pages` in flight, always.
    pub(crate) fn fixed(pages: usize) -> Pacer {
        let mut pacer = Pacer::adaptive(0);
        pacer.window = pages.max(1);
        pacer.target = pacer.window;
        pacer.adaptive = false;
        pacer
    }

    /// A window found by measuring, from [`DEFAULT_CONCURRENCY`], when the client has met
    /// `throttled` throttling answers so far.
    pub(crate) fn adaptive(throttled: u64) -> Pacer {
        Pacer {
            window: DEFAULT_CONCURRENCY,
            target: DEFAULT_CONCURRENCY,
            adaptive: true,
            admitted: 0,
            yielded: 0,
            // The first round begins when the first page is yielded: what comes before it is
            // the round trip every listing pays once, not the pace of the window.
            round: Round {
                first: 1,
                len: DEFAULT_CONCURRENCY as u64,
                started: None,
                items: 0,
            },
            best: None,
            growing: true,
            held: 0,
            throttled_seen: throttled,
        }
    }

    /// How many pages may be in flight now.
    pub(crate) fn window(&self) -> usize {
        self.window
    }

    /// A page was admitted (its fetch began).
    pub(crate) fn admitted(&mut self) {
        self.admitted += 1;
    }

    /// The next page, in order, was yielded at `now` with `items`, when the client had met
    /// `throttled` throttling answers in all and its rate limiter was `pacing` or not.
    pub(crate) fn yielded(&mut self, items: u64, now: Instant, throttled: u64, pacing: bool) {
        let index = self.yielded;
        self.yielded += 1;
        if !self.adaptive {
            return;
        }
        if throttled > self.throttled_seen {
            self.throttled_seen = throttled;
            self.best = None;
            self.hold();
            let halved = (self.window / 2).max(MIN_WINDOW);
            self.change_round(halved, halved, now);
            return;
        }
        if self.window < self.target {
            self.window += 1;
        }
        let round = &mut self.round;
        if index + 1 == round.first {
            round.started = Some(now);
            return;
        }
        if index < round.first {
            return;
        }
        round.items += items;
        if index + 1 < round.first + round.len {
            return;
        }
        let elapsed = round.started.map_or(Duration::ZERO, |s| now - s);
        if elapsed.is_zero() {
            // Nothing to measure by (the clock did not move): the window stays.
            self.change_round(self.window, self.target, now);
            return;
        }
        let goodput = round.items as f64 / elapsed.as_secs_f64();
        let next = self.decide(goodput, pacing);
        // Growing, a page at a time from here; shrinking, at once.
        self.change_round(next.min(self.window), next, now);
    }

    /// The window after a round that measured `goodput` at the current window, when the
    /// client's rate limiter is `pacing` requests or not.
    fn decide(&mut self, goodput: f64, pacing: bool) -> usize {
        let window = self.target;
        if pacing {
            // The limiter sets the pace: no more pages in flight.
            self.hold();
            return window;
        }
        if !self.growing {
            self.held += 1;
            if self.held >= PROBE_AFTER && window < MAX_CONCURRENCY {
                // Probe: conditions may have changed since the window settled.
                self.best = Some((goodput, window));
                self.growing = true;
                return (window * 2).min(MAX_CONCURRENCY);
            }
            return window;
        }
        match self.best {
            Some((best, best_window)) if goodput < best * RISE => {
                // No longer rising: back to the best window, and hold.
                self.hold();
                best_window
            }
            _ => {
                self.best = Some((goodput, window));
                if window >= MAX_CONCURRENCY {
                    self.hold();
                    window
                } else {
                    (window * 2).min(MAX_CONCURRENCY)
                }
            }
        }
    }

    /// Stops growing, and counts the rounds held from now.
    fn hold(&mut self) {
        self.growing = false;
        self.held = 0;
    }

    /// Sets the window, growing to `target`, and begins a round of `target` pages with the
    /// next page admitted.
    fn change_round(&mut self, window: usize, target: usize, now: Instant) {
        if target != self.window {
            tracing::debug!(
                from = self.window,
                to = target,
                "sms_api: pages in flight changing"
            );
        }
        self.window = window;
        self.target = target;
        self.round = Round {
            first: self.admitted,
            len: target.max(1) as u64,
            // Every page admitted before it has been yielded: it starts now.
            started: (self.admitted == self.yielded).then_some(now),
            items: 0,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `pages` pages of 200 items through `pacer`, each taking `latency(window)` from its
    /// admission, over a link that carries one page per `per_page` at most; returns the windows
    /// seen at each yield and the time it took.
    fn simulate(
        pacer: &mut Pacer,
        pages: u64,
        latency: Duration,
        per_page: Duration,
        throttle_at: Option<u64>,
    ) -> (Vec<usize>, Duration) {
        let start = Instant::now();
        let mut now = start;
        let mut link_free = start;
        let mut in_flight: std::collections::VecDeque<Instant> = Default::default();
        let mut next = 0;
        let mut windows = Vec::new();
        let mut throttled = 0;
        while next < pages || !in_flight.is_empty() {
            while next < pages && in_flight.len() < pacer.window() {
                pacer.admitted();
                // Its answer leaves after the latency, then crosses the shared link.
                let arrives = (now + latency).max(link_free) + per_page;
                link_free = arrives;
                in_flight.push_back(arrives);
                next += 1;
            }
            let done = in_flight.pop_front().unwrap();
            now = now.max(done);
            if throttle_at == Some(pacer.yielded) {
                throttled += 1;
            }
            pacer.yielded(200, now, throttled, throttled > 0);
            windows.push(pacer.window());
        }
        (windows, now - start)
    }

    #[tokio::test(start_paused = true)]
    async fn a_latency_bound_link_grows_the_window_to_the_ceiling() {
        // 40 ms away, 2 ms a page on the wire: 21 pages fill the pipe.
        let mut pacer = Pacer::adaptive(0);
        let (windows, took) = simulate(
            &mut pacer,
            100,
            Duration::from_millis(40),
            Duration::from_millis(2),
            None,
        );
        assert_eq!(windows[0], DEFAULT_CONCURRENCY);
        assert_eq!(*windows.iter().max().unwrap(), MAX_CONCURRENCY);
        let mut fixed = Pacer::fixed(DEFAULT_CONCURRENCY);
        let (_, fixed_took) = simulate(
            &mut fixed,
            100,
            Duration::from_millis(40),
            Duration::from_millis(2),
            None,
        );
        assert!(took < fixed_took * 3 / 4, "{took:?} vs {fixed_took:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_bandwidth_bound_link_keeps_the_window_that_fills_it() {
        // 10 ms away, 20 ms a page on the wire: one or two pages fill the pipe; doubling
        // brings nothing, so the window goes back and holds.
        let mut pacer = Pacer::adaptive(0);
        let (windows, _) = simulate(
            &mut pacer,
            100,
            Duration::from_millis(10),
            Duration::from_millis(20),
            None,
        );
        assert!(
            windows.iter().all(|w| *w <= 2 * DEFAULT_CONCURRENCY),
            "{windows:?}"
        );
        // Back to the starting window once doubling brought nothing, and held there (a probe
        // upward every few rounds).
        let held = windows
            .iter()
            .filter(|w| **w == DEFAULT_CONCURRENCY)
            .count();
        assert!(held > windows.len() / 2, "{windows:?}");
        assert_eq!(windows[50], DEFAULT_CONCURRENCY, "{windows:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_halves_the_window() {
        let mut pacer = Pacer::adaptive(0);
        let (windows, _) = simulate(
            &mut pacer,
            40,
            Duration::from_millis(40),
            Duration::from_millis(2),
            Some(3),
        );
        assert_eq!(windows[3], DEFAULT_CONCURRENCY / 2, "{windows:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn the_window_grows_a_page_at_a_time_and_not_while_the_limiter_paces() {
        let mut pacer = Pacer::adaptive(0);
        let (windows, _) = simulate(
            &mut pacer,
            60,
            Duration::from_millis(40),
            Duration::from_millis(2),
            None,
        );
        assert!(
            windows.windows(2).all(|w| w[1] <= w[0] + 1),
            "one page more at a time: {windows:?}"
        );
        let mut paced = Pacer::adaptive(0);
        let start = Instant::now();
        for k in 0..60u64 {
            paced.admitted();
            paced.yielded(200, start + Duration::from_millis(10 * k), 0, true);
        }
        assert_eq!(
            paced.window(),
            DEFAULT_CONCURRENCY,
            "the limiter sets the pace"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_fixed_window_never_moves_and_a_still_clock_moves_nothing() {
        let mut fixed = Pacer::fixed(3);
        let (windows, _) = simulate(
            &mut fixed,
            50,
            Duration::from_millis(40),
            Duration::from_millis(1),
            Some(2),
        );
        assert!(windows.iter().all(|w| *w == 3));
        let mut still = Pacer::adaptive(0);
        for _ in 0..50 {
            still.admitted();
            still.yielded(200, Instant::now(), 0, false);
        }
        assert_eq!(still.window(), DEFAULT_CONCURRENCY);
    }
}
