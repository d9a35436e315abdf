//! When and how long to wait before trying a request again.

use std::time::Duration;

/// How the client retries a failed read: on transport errors, timeouts, and HTTP 429, 500, 502,
/// 503 and 504, with exponential backoff and full jitter, honouring `Retry-After` up to a cap.
///
/// ```
/// use std::time::Duration;
/// use sms_api::send::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(200))
///     .max_backoff(Duration::from_secs(10));
/// assert_eq!(policy.attempts(), 5);
/// assert_eq!(RetryPolicy::disabled().attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

/// Default number of attempts, the first included.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Default upper bound of the first backoff.
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(100);
/// Default upper bound of any backoff.
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Default longest `Retry-After` honoured; a longer one ends the retries.
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retry.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, the first included (at least 1; default [`DEFAULT_MAX_ATTEMPTS`]).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Upper bound of the first backoff; it doubles on each retry (default
    /// [`DEFAULT_INITIAL_BACKOFF`]).
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Upper bound of any backoff (default [`DEFAULT_MAX_BACKOFF`]).
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Longest `Retry-After` honoured (default [`DEFAULT_MAX_RETRY_AFTER`]); when the service
    /// asks for longer, the client stops retrying and returns the response.
    #[must_use]
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Attempts in all, the first included.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before retry number `retry` (1 for the first retry): the service's
    /// `Retry-After` when it gave one (or `None` if that exceeds the cap), else full jitter,
    /// `jitter` (a draw from [0, 1)) times `min(max_backoff, initial_backoff * 2^(retry-1))`.
    pub(crate) fn wait_with(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Option<Duration> {
        if let Some(asked) = retry_after {
            return (asked <= self.max_retry_after).then_some(asked);
        }
        let ceiling = crate::clock::doubling(self.initial_backoff, retry, self.max_backoff);
        Some(ceiling.mul_f64(jitter.clamp(0.0, 1.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_jitter_stays_under_the_exponential_ceiling() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(1));
        let mut seen_below_half = false;
        for _ in 0..200 {
            let first = policy
                .wait_with(1, None, crate::clock::random_unit())
                .unwrap();
            assert!(first < Duration::from_millis(100), "{first:?}");
            seen_below_half |= first < Duration::from_millis(50);
            assert!(
                policy
                    .wait_with(3, None, crate::clock::random_unit())
                    .unwrap()
                    < Duration::from_millis(400)
            );
            assert!(
                policy
                    .wait_with(30, None, crate::clock::random_unit())
                    .unwrap()
                    < Duration::from_secs(1)
            );
        }
        assert!(seen_below_half, "the waits are spread, not fixed");
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
        assert_eq!(
            policy.wait_with(1, Some(Duration::from_secs(3)), 0.5),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            policy.wait_with(1, Some(Duration::from_secs(11)), 0.5),
            None
        );
    }
}
