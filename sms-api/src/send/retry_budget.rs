//! A client-wide retry budget (a token bucket, as aws-sdk-rust's standard retry mode has), so
//! that concurrent calls cannot hammer a failing service with retries: each retry of a failure
//! withdraws tokens, each success puts some back, and with the bucket empty failures are
//! returned at once instead of retried.
//!
//! Throttled requests are not charged while the adaptive rate limiter paces them
//! (`rate_limit.rs`): the limiter is what slows them down.

use std::fmt;
use std::sync::Mutex;

/// How many retries a client may spend (default: 500 tokens; a retry costs 5, one after a
/// timeout 10; a success puts back 1, or what its own retries cost).
///
/// ```
/// use sms_api::send::RetryBudget;
///
/// let strict = RetryBudget::default().capacity(50);
/// assert_eq!(strict.retries_allowed(), 10);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryBudget {
    capacity: u32,
    retry_cost: u32,
    timeout_cost: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget {
            capacity: 500,
            retry_cost: 5,
            timeout_cost: 10,
        }
    }
}

impl RetryBudget {
    /// No limit: every retry the retry policy allows is made.
    pub fn unlimited() -> Self {
        RetryBudget {
            capacity: u32::MAX,
            retry_cost: 0,
            timeout_cost: 0,
        }
    }

    /// Tokens in a full bucket (default 500).
    #[must_use]
    pub fn capacity(mut self, tokens: u32) -> Self {
        self.capacity = tokens;
        self
    }

    /// Tokens a retry costs, and a retry after a timeout (defaults 5 and 10).
    #[must_use]
    pub fn costs(mut self, retry: u32, after_timeout: u32) -> Self {
        self.retry_cost = retry;
        self.timeout_cost = after_timeout;
        self
    }

    /// Retries a full bucket pays for in a row, with no success in between.
    pub fn retries_allowed(&self) -> u32 {
        self.capacity
            .checked_div(self.retry_cost)
            .unwrap_or(u32::MAX)
    }
}

/// The bucket a client and all its clones share.
pub(crate) struct RetryTokens {
    config: RetryBudget,
    tokens: Mutex<u32>,
}

impl RetryTokens {
    pub(crate) fn new(config: RetryBudget) -> RetryTokens {
        let tokens = Mutex::new(config.capacity);
        RetryTokens { config, tokens }
    }

    /// Takes the cost of one retry (after a timeout when `timeout`); `None` when the bucket
    /// cannot pay it, else what was taken.
    pub(crate) fn withdraw(&self, timeout: bool) -> Option<u32> {
        let cost = if timeout {
            self.config.timeout_cost
        } else {
            self.config.retry_cost
        };
        let mut tokens = self.lock();
        let left = tokens.checked_sub(cost)?;
        *tokens = left;
        Some(cost)
    }

    /// A call succeeded after retries that cost `spent` (1 is put back when it needed none).
    pub(crate) fn deposit(&self, spent: u32) {
        let mut tokens = self.lock();
        *tokens = tokens
            .saturating_add(spent.max(1))
            .min(self.config.capacity);
    }

    /// Tokens left.
    pub(crate) fn available(&self) -> u32 {
        *self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        self.tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for RetryTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryTokens")
            .field("config", &self.config)
            .field("available", &self.available())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_stop_when_the_bucket_is_empty_and_successes_refill_it() {
        let tokens = RetryTokens::new(RetryBudget::default().capacity(20));
        assert_eq!(tokens.withdraw(false), Some(5));
        assert_eq!(tokens.withdraw(true), Some(10));
        assert_eq!(tokens.withdraw(false), Some(5));
        assert_eq!(tokens.withdraw(false), None, "empty");
        tokens.deposit(0);
        assert_eq!(tokens.available(), 1);
        tokens.deposit(15);
        assert_eq!(tokens.available(), 16);
        tokens.deposit(500);
        assert_eq!(tokens.available(), 20, "never above capacity");
    }

    #[test]
    fn unlimited_never_refuses() {
        let tokens = RetryTokens::new(RetryBudget::unlimited());
        for _ in 0..10_000 {
            assert!(tokens.withdraw(true).is_some());
        }
    }
}
