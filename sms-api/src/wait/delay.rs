//! How long to wait before the next poll: smithy's waiter delays. Exponential from `min` to
//! `max` with jitter (a random delay between `min` and the exponential ceiling), and a last
//! poll placed at the deadline rather than a sleep past it.

use std::time::Duration;

/// The delay before poll number `attempt + 1`, after `attempt` polls, or `None` when no time
/// is left. `jitter` is a draw from [0, 1); `remaining` is what is left of the longest wait.
pub(crate) fn next_delay(
    attempt: u32,
    min: Duration,
    max: Duration,
    jitter: f64,
    remaining: Duration,
) -> Option<Duration> {
    if remaining.is_zero() {
        return None;
    }
    let max = max.max(min);
    // smithy: past ceil(log2(max / min)) + 1 attempts, the ceiling is max.
    let ceiling = crate::clock::doubling(min, attempt, max);
    let delay = min + (ceiling - min).mul_f64(jitter.clamp(0.0, 1.0));
    Some(delay.min(remaining))
}

/// `6h`, `90s`, `1m30s`.
pub(crate) fn humanize(duration: Duration) -> String {
    let secs = duration.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut text = String::new();
    if h > 0 {
        text.push_str(&format!("{h}h"));
    }
    if m > 0 {
        text.push_str(&format!("{m}m"));
    }
    if s > 0 || text.is_empty() {
        if secs == 0 {
            text.push_str(&format!("{}ms", duration.as_millis()));
        } else {
            text.push_str(&format!("{s}s"));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);
    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn delays_grow_from_min_to_max_within_the_jitter() {
        let (min, max) = (2 * S, 120 * S);
        // The ceiling doubles: 2, 4, 8, 16, 32, 64, then 120.
        let ceilings: Vec<u64> = (1..=8)
            .map(|a| next_delay(a, min, max, 1.0, HOUR).unwrap().as_secs())
            .collect();
        assert_eq!(ceilings, [2, 4, 8, 16, 32, 64, 120, 120]);
        // The floor is always min.
        for attempt in 1..=10 {
            assert_eq!(next_delay(attempt, min, max, 0.0, HOUR), Some(min));
        }
        assert_eq!(next_delay(3, min, max, 0.5, HOUR), Some(5 * S));
        // Huge attempt numbers do not overflow.
        assert_eq!(next_delay(u32::MAX, min, max, 1.0, HOUR), Some(max));
    }

    #[test]
    fn the_last_poll_is_placed_at_the_deadline() {
        assert_eq!(next_delay(7, 2 * S, 120 * S, 1.0, 30 * S), Some(30 * S));
        assert_eq!(next_delay(1, 2 * S, 120 * S, 0.0, S / 2), Some(S / 2));
        assert_eq!(next_delay(1, 2 * S, 120 * S, 0.0, Duration::ZERO), None);
    }
}
