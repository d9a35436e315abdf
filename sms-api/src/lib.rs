//! # sms-api
//!
//! A Rust client for the ListTasks operation (`GET /v3/tasks`) of Huawei Cloud's Server Migration
//! Service (SMS), generated at build time by [progenitor] from the hand-maintained OpenAPI document
//! in `spec/`.
//!
//! - [`Client`] is generated; build one with [`Client::builder`], which attaches your credentials
//!   to every request.
//! - [`types`] holds the response types. Every enum is open: a value the spec does not document
//!   (the service sends some) decodes into `UnknownValue` instead of failing.
//! - Generated code is never edited: change the spec and rebuild.
//!
//! ```no_run
//! use sms_api::{Client, Credentials, ListTasksExt, types::TaskState};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder()
//!     .endpoint("https://sms.cn-north-4.myhuaweicloud.com")
//!     .credentials(Credentials::iam_token(std::env::var("SMS_IAM_TOKEN")?))
//!     .build()?;
//!
//! let page = client.list_tasks().state(TaskState::Running).limit(50).fetch().await?;
//! println!("{} running tasks", page.count.unwrap_or_default());
//! for task in page.into_inner().tasks.unwrap_or_default() {
//!     println!("{:?} {:?}", task.name, task.state);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! [progenitor]: https://github.com/oxidecomputer/progenitor

#![warn(missing_docs)]

mod calendar;
mod call_record;
mod client_builder;
mod client_state;
mod credential_chain;
mod credentials;
mod documented_example;
mod error;
mod error_body;
#[cfg(feature = "mock")]
mod fake_service;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod hooks;
mod list_tasks_ext;
mod open_enum;
mod paging;
mod parameter_bounds;
mod region;
mod retry;
mod retry_after;
mod sdk_date;
mod secret;
mod signer;

/// The code progenitor generates from the spec (see build.rs); re-exported below.
#[allow(missing_docs, clippy::all, clippy::pedantic)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

/// Request builders, one per operation (`client.list_tasks()` returns [`builder::ListTasks`]).
pub mod builder {
    pub use crate::generated::builder::*;
}

/// The types of the API: response bodies, their nested objects and the open enums.
pub mod types {
    pub use crate::generated::types::*;
    pub use crate::open_enum::UnknownValue;

    include!(concat!(env!("OUT_DIR"), "/open_enums.rs"));
}

/// Typed [httpmock] helpers generated from the spec, to mock this API in your own tests.
///
/// ```no_run
/// use sms_api::mock::{MockServerExt, operations::ListTasksThen};
/// use sms_api::types::ListTasksResponse;
///
/// let server = httpmock::MockServer::start();
/// server.list_tasks(|when, then: ListTasksThen| {
///     let _ = when;
///     then.ok(&ListTasksResponse { count: Some(0), tasks: Some(vec![]) });
/// });
/// ```
#[cfg(feature = "mock")]
#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod mock {
    include!(concat!(env!("OUT_DIR"), "/mock.rs"));

    pub use crate::fake_service::FakeService;
}

pub use client_builder::{
    BuildError, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_OPERATION_TIMEOUT,
};
pub use client_state::ClientState;
pub use credential_chain::CredentialsError;
pub use credentials::{BasicCredentials, Credentials, GlobalCredentials};
pub use documented_example::DocumentedExample;
pub use error::{Error, ErrorKind};
pub use error_body::SNIPPET_BYTES;
pub use generated::{Client, ClientInfo, ResponseValue, prelude};
pub use hooks::MAX_BODY_BYTES;
pub use list_tasks_ext::ListTasksExt;
pub use paging::{DEFAULT_CONCURRENCY, Paginator};
pub use retry::{
    DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RETRY_AFTER,
    RetryPolicy,
};

/// progenitor's own error type, which the generated `send()` returns; prefer
/// [`ListTasksExt::fetch`], which returns [`Error`].
pub type RawError = progenitor_client::Error<types::ErrorResponse>;
pub use region::{Region, UnknownRegion};

include!(concat!(env!("OUT_DIR"), "/documented_examples.rs"));

/// The generated source exactly as compiled, so that tests can pin it in snapshots that a
/// reviewer reads in a pull request's diff. Not part of the API.
#[doc(hidden)]
pub mod generated_source {
    /// progenitor's client, builders and types (`client.rs`).
    pub const CLIENT: &str = include_str!(concat!(env!("OUT_DIR"), "/client.rs"));
    /// The open enums derived from the spec (`open_enums.rs`).
    pub const OPEN_ENUMS: &str = include_str!(concat!(env!("OUT_DIR"), "/open_enums.rs"));
    /// The regions derived from the spec's `servers` (`regions.rs`).
    pub const REGIONS: &str = include_str!(concat!(env!("OUT_DIR"), "/regions.rs"));
    /// progenitor's httpmock helpers (`mock.rs`).
    pub const MOCK: &str = include_str!(concat!(env!("OUT_DIR"), "/mock.rs"));
}
