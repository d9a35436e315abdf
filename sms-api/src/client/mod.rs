//! Building a [`Client`](crate::Client): endpoint or region, credentials, timeouts, retries;
//! and the state its hooks use on every request.
//!
//! - `builder.rs`: [`ClientBuilder`], [`BuildError`] and the default timeouts;
//! - `state.rs`: [`ClientState`], what the generated client carries for the hooks;
//! - `region.rs`: [`Region`], from the spec's `servers`.
//!
//! ```
//! use sms_api::client::{ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT};
//!
//! let builder: ClientBuilder = sms_api::Client::builder().attempt_timeout(DEFAULT_ATTEMPT_TIMEOUT);
//! # let _ = builder;
//! ```

mod builder;
mod network;
mod region;
mod state;

pub use builder::{
    BuildError, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_OPERATION_TIMEOUT,
};
pub use progenitor_client::ClientInfo;
pub use region::{Region, UnknownRegion};
pub use state::ClientState;
