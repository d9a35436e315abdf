//! Waiting on an operation until what it reports reaches a state: declared in the spec
//! (`x-waiters`, smithy's waiter shape), compiled by the build script, and run here.
//!
//! Every waiter of the spec becomes a `wait_until_<name>()` method on its operation's builder
//! (the prelude brings them), and any operation can be waited on until a condition of your own
//! ([`Waiter::until`]): set its delays if the spec's do not suit, then
//! [`wait(max_wait)`](Waiter::wait). Polls follow smithy's delays: the first at once, then
//! exponential from `minDelay` to `maxDelay` with jitter, the last at the deadline. A
//! paginated operation's waiter reads every page: `tasks[].state` is every task the filters
//! select. Polls go through the client's retries, rate limiter and retry budget; a poll that
//! still fails does not end the wait, unless it is a 401 or 403 or polls keep failing for
//! longer than the wait rides out.
//!
//! ```no_run
//! # async fn run(client: sms_api::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use sms_api::prelude::*;
//!
//! // Every task of the enterprise project, settled (migrated, failed or stopped).
//! let settled = client
//!     .list_tasks()
//!     .enterprise_project_id("0")
//!     .wait_until_tasks_settled()
//!     .wait(Duration::from_secs(6 * 3600))
//!     .await?;
//! for task in settled.response().and_then(|r| r.tasks.as_ref()).into_iter().flatten() {
//!     println!("{:?}: {:?}", task.name, task.state);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! - `acceptor.rs`: a waiter as compiled from the spec, and the first acceptor that matches;
//! - `extract.rs`: what a compiled path reads from a response; `delay.rs`: the delays;
//! - `poll.rs`: one poll, every page of it; `waiter.rs`: the wait; `outage.rs`: the run of
//!   failed polls a wait or a watch rides out; `error.rs`: its ends;
//! - `watch.rs`: [`WatchExt::watch`], the changes across a whole listing, look after look;
//!   `watched_field.rs`: the fields it follows, keyed list members (subtask progress) included;
//!   `kept_values.rs`: what it keeps of each item between looks, compactly.

mod acceptor;
mod decision;
mod delay;
mod error;
mod extract;
mod kept_values;
mod outage;
mod poll;
#[cfg(feature = "metrics")]
mod task_gauges;
mod waiter;
mod watch;
mod watched_field;

pub use crate::generated::waiters::*;
pub use acceptor::State;
#[doc(hidden)]
pub use acceptor::{Acceptor, Comparator, Matcher, WaiterSpec};
pub use error::{WaitError, WaitErrorKind, Waited};
#[doc(hidden)]
pub use extract::{Extracted, Op, Scalar, compare};
#[doc(hidden)]
pub use poll::{Poll, poll_every_page, poll_once};
#[cfg(feature = "metrics")]
pub use task_gauges::{
    LOOK_FAILURES, LOOKS, MIGRATE_SPEED, SUBTASK_PROGRESS, TASK_STATE, TaskGauges, WATCHED_TASKS,
    gauge_idle_timeout,
};
#[allow(deprecated)]
pub use waiter::DEFAULT_MAX_FAILED_POLLS;
pub use waiter::{DEFAULT_MAX_OUTAGE, PollReport, Waiter};
pub use watch::{FieldChange, Watch, WatchEvent, WatchExt, Watched};
pub use watched_field::element_of;
