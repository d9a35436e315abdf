//! Mocking this API in your own tests (feature `mock`): progenitor's typed httpmock helpers,
//! one per operation of the spec, and [`FakeService`] (alone, without httpmock: feature
//! `fake`), a loopback service that lists, shows,
//! starts, stops, restarts and deletes tasks the way SMS does, and serves every other operation
//! of the spec from what the spec says (listings, an item by its id), optionally behind a gateway that
//! throttles like Huawei Cloud's ([`GatewayLimit`]), compressing its answers when asked as a
//! gateway does.
//!
//! How the fake's actions move a task (where the reference does not say which states allow an
//! action, the fake's choice):
//!
//! | action | allowed from | then |
//! |---|---|---|
//! | `start` | `READY`, `ABORT` | `RUNNING` at once, through the subtasks (a stopped task resumes where it stopped) |
//! | `stop` | `READY`, `RUNNING`, `SYNCING` | `ABORTING` for one step, then `ABORT`, its subtasks as they were |
//! | `restart` | `MIGRATE_FAIL`, `ABORT` | `RUNNING` at once, its subtasks from the start |
//! | delete | any state but `RUNNING`, `SYNCING`, `ABORTING`, `DELETING` | `DELETING` for one step, then gone from every answer (ShowTask: 404 `SMS.2252`) |
//! | any other action | any state | accepted, nothing changes |
//!
//! A refused action gets 400 `SMS.0007` saying why. A step is the [`Lifecycle`]'s
//! (`FakeService::start_migrating`), or one minute; runs that a user starts fail only where a
//! test says ([`FakeService::fail_runs_at`]).
//!
//! Everything stands on this crate alone: [`httpmock`] is re-exported at the version the
//! typed helpers were built for, so a test needs no httpmock dependency of its own.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use sms_api::mock::httpmock::MockServer;
//! use sms_api::mock::MockServerExt;
//! use sms_api::prelude::*;
//! use sms_api::types::{ErrorResponse, TaskState};
//!
//! let server = MockServer::start_async().await;
//! let mut denied = ErrorResponse::default();
//! denied.error_code = Some("SMS.9004".into());
//! server.list_tasks(|when, then| {
//!     when.state(Some(&TaskState::MigrateFail));
//!     then.forbidden(&denied).request_id("rid-403");
//! });
//! let client = Client::builder()
//!     .endpoint(server.base_url())
//!     .credentials(Credentials::iam_token("t"))
//!     .build()?;
//! let error = client.list_tasks().state(TaskState::MigrateFail).fetch().await.unwrap_err();
//! assert_eq!(error.code(), Some("SMS.9004"));
//! assert_eq!(error.request_id(), Some("rid-403"));
//! # Ok(())
//! # }
//! ```

mod answer;
mod collections;
mod compression;
mod credentials;
mod fake_service;
mod gateway;
mod lifecycle;
mod linked;
mod listing;
mod loopback;
mod routes;
mod task_state;

#[cfg(feature = "mock")]
pub use crate::generated::mock::*;
pub(crate) use collections::FakeAnswer;

/// What seals [`MockServerExt`]: nameable in this crate only.
#[cfg(feature = "mock")]
pub(crate) mod sealed {
    /// Implemented by httpmock's `MockServer` alone.
    pub trait Sealed {}

    impl Sealed for httpmock::MockServer {}
}
pub use credentials::FakeCredentialsService;
pub use fake_service::FakeService;
pub use gateway::{GatewayLimit, GatewayStats};
/// The httpmock these helpers were built with: use it from here, so that its version always
/// matches.
#[cfg(feature = "mock")]
pub use httpmock;
pub use lifecycle::{Lifecycle, SUBTASKS};
pub(crate) use listing::{Listing, ParameterRole, QueryParameter};
