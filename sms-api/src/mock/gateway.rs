//! The API gateway in front of the fake service, at its worst: a token bucket per second that
//! answers every request over the limit with HTTP 429 and `APIG.0308`, and no `Retry-After`,
//! as Huawei Cloud's gateway does.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
// tokio's clock, so that a test on a paused clock sees the rate it asked for.
use tokio::time::Instant;

/// The gateway's throttling policy: `per_second` requests a second, in bursts of at most
/// `burst`.
///
/// ```
/// use sms_api::mock::GatewayLimit;
///
/// let limit = GatewayLimit { per_second: 10.0, burst: 10 };
/// assert_eq!(limit.burst, 10);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GatewayLimit {
    /// Requests admitted per second, on average.
    pub per_second: f64,
    /// Requests admitted at once after a quiet spell.
    pub burst: u32,
}

/// What the gateway has seen.
///
/// ```
/// let stats = sms_api::mock::GatewayStats::default();
/// assert_eq!(stats.throttled_share(), 0.0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GatewayStats {
    /// Requests received.
    pub requests: u64,
    /// Requests answered with 429 `APIG.0308`.
    pub throttled: u64,
}

impl GatewayStats {
    /// The share of requests that were throttled, from 0 to 1.
    pub fn throttled_share(&self) -> f64 {
        if self.requests == 0 {
            0.0
        } else {
            self.throttled as f64 / self.requests as f64
        }
    }
}

/// The gateway's state.
pub(crate) struct Gateway {
    limit: Option<GatewayLimit>,
    bucket: Mutex<(f64, Instant)>,
    requests: AtomicU64,
    throttled: AtomicU64,
}

impl Gateway {
    pub(crate) fn new(limit: Option<GatewayLimit>) -> Gateway {
        let burst = limit.map_or(0.0, |l| f64::from(l.burst));
        Gateway {
            limit,
            bucket: Mutex::new((burst, Instant::now())),
            requests: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
        }
    }

    /// Whether the request that arrives now passes; the throttling body if it does not.
    pub(crate) fn admit(&self) -> Result<(), serde_json::Value> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let Some(limit) = self.limit else {
            return Ok(());
        };
        let mut bucket = self.bucket.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let (tokens, last) = *bucket;
        let tokens = (tokens + now.duration_since(last).as_secs_f64() * limit.per_second)
            .min(f64::from(limit.burst));
        if tokens >= 1.0 {
            *bucket = (tokens - 1.0, now);
            return Ok(());
        }
        *bucket = (tokens, now);
        self.throttled.fetch_add(1, Ordering::Relaxed);
        Err(serde_json::json!({
            "error_code": "APIG.0308",
            "error_msg": format!(
                "The throttling threshold has been reached: policy user over ratelimit,limit:{},time:1 second",
                limit.per_second
            )
        }))
    }

    pub(crate) fn stats(&self) -> GatewayStats {
        GatewayStats {
            requests: self.requests.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burst_passes_then_the_rest_is_throttled() {
        let gateway = Gateway::new(Some(GatewayLimit {
            per_second: 1.0,
            burst: 3,
        }));
        let passed = (0..10).filter(|_| gateway.admit().is_ok()).count();
        assert_eq!(passed, 3);
        let body = gateway.admit().unwrap_err();
        assert_eq!(body["error_code"], "APIG.0308");
        assert_eq!(
            gateway.stats(),
            GatewayStats {
                requests: 11,
                throttled: 8
            }
        );
        assert!(Gateway::new(None).admit().is_ok());
    }
}
