//! Mocking this API in your own tests (feature `mock`): progenitor's typed httpmock helpers,
//! one per operation of the spec, and [`FakeService`], a loopback service that lists tasks the
//! way SMS does, optionally behind a gateway that throttles like Huawei Cloud's
//! ([`GatewayLimit`]), compressing its answers when asked as a gateway does.
//!
//! ```no_run
//! use sms_api::mock::{MockServerExt, operations::ListTasksThen};
//! use sms_api::types::ListTasksResponse;
//!
//! let server = httpmock::MockServer::start();
//! server.list_tasks(|when, then: ListTasksThen| {
//!     let _ = when;
//!     let mut empty = ListTasksResponse::default();
//!     empty.count = Some(0);
//!     then.ok(&empty);
//! });
//! ```

mod compression;
mod fake_service;
mod gateway;

pub use crate::generated::mock::*;
pub use fake_service::FakeService;
pub use gateway::{GatewayLimit, GatewayStats};
