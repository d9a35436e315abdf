//! What happens to every request: its parameters checked against the spec's bounds before it
//! leaves, then each attempt signed afresh, bounded in time, its body read in full and
//! recorded, and transient failures retried with full jitter.
//!
//! - `operation.rs`: [`Operation`] (implemented by the build script for every operation) and
//!   [`FetchExt::fetch`]; `response.rs`: [`Response`], what `fetch()` returns; `facts.rs`: [`OperationFacts`], each operation's method, path and
//!   whether it is safe to repeat;
//! - `state.rs`: [`ClientState`], what the generated client carries for the hooks;
//! - `hooks.rs`: progenitor's hooks; `attempt.rs`: the attempts of one operation, carrying out
//!   `decision.rs`, what to do after each one (a plain function);
//! - `retry.rs`: [`RetryPolicy`]; `retry_after.rs`: the `Retry-After` header;
//! - `rate_limit.rs`: [`AdaptiveRateLimit`], the client-wide limiter that paces requests once
//!   the gateway throttles; `retry_budget.rs`: [`RetryBudget`], the client-wide retry tokens;
//! - `path_segment.rs`: a path parameter as one URL segment; `bounds.rs`: the parameter check; `body_limit.rs`: reading a body, at most
//!   [`MAX_BODY_BYTES`] of it; `content_encoding.rs`: compressed bodies, decoded as they arrive;
//! - `clock_skew.rs`: a gateway refusing a signature as expired, and its time;
//! - `call_record.rs`: what a call's attempts got, passed to them by reference, for its error;
//!   `outcome.rs`: that error.
//!
//! ```
//! use sms_api::send::RetryPolicy;
//!
//! assert_eq!(RetryPolicy::default().attempts(), sms_api::send::DEFAULT_MAX_ATTEMPTS);
//! ```

mod attempt;
mod body_limit;
pub(crate) mod bounds;
pub(crate) mod call_record;
mod clock_skew;
pub(crate) mod content_encoding;
mod decision;
pub(crate) mod facts;
mod hooks;
mod operation;
mod outcome;
pub(crate) mod path_segment;
pub(crate) mod rate_limit;
mod response;
pub(crate) mod retry;
pub(crate) mod retry_after;
pub(crate) mod retry_budget;
pub(crate) mod state;

pub use content_encoding::MAX_BODY_BYTES;
pub use facts::OperationFacts;
pub(crate) use operation::sealed;
pub use operation::{FetchExt, Operation};
pub use rate_limit::{AdaptiveRateLimit, PACING_ENDS_AFTER, Traffic};
pub use response::Response;
pub use retry::{
    DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RETRY_AFTER,
    RetryPolicy,
};
pub use retry_budget::RetryBudget;
pub(crate) use state::ClientState;
