//! Building a [`Client`](crate::Client): endpoint or region, credentials, timeouts, retries.
//!
//! - `builder.rs`: [`ClientBuilder`], [`BuildError`] and the default timeouts;
//! - `network.rs`: the proxy and certificates of the HTTP client it builds;
//! - `region.rs`: [`Region`], from the spec's `servers`;
//! - [`ClientState`], what the generated client carries for the hooks, is `send`'s
//!   (`send/state.rs`, beside the hooks that read it), named here where users meet it.
//!
//! ```
//! use sms_api::client::{ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT};
//!
//! let builder: ClientBuilder = sms_api::Client::builder().attempt_timeout(DEFAULT_ATTEMPT_TIMEOUT);
//! # let _ = builder;
//! ```

mod builder;
pub(crate) mod network;
mod region;

pub use crate::send::state::ClientState;
pub use builder::{
    BuildError, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_OPERATION_TIMEOUT,
};
pub use region::{Region, UnknownRegion};
