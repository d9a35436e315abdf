//! What a wait ends with: [`Waited`] on success, [`WaitError`] otherwise.

use std::fmt;
use std::time::Duration;

use super::delay::humanize;
use crate::error::Error;

/// A wait that reached a success state.
#[derive(Debug)]
pub struct Waited<R> {
    pub(crate) response: Option<R>,
    pub(crate) polls: u32,
    pub(crate) requests_sent: u64,
    pub(crate) waited: Duration,
    pub(crate) failed_polls: u32,
    pub(crate) longest_outage: Duration,
}

impl<R> Waited<R> {
    /// The final response (every page of it): the one the success acceptor matched, or the
    /// last one received when an error matched (a waiter for something to disappear).
    pub fn response(&self) -> Option<&R> {
        self.response.as_ref()
    }

    /// The final response, owned.
    pub fn into_response(self) -> Option<R> {
        self.response
    }

    /// Requests the wait sent in all: every attempt of every poll, every page of it and its
    /// re-fetches included (a poll cut short by its deadline counts one).
    ///
    /// ```no_run
    /// # async fn run(client: sms_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use sms_api::prelude::*;
    ///
    /// let waited = client.list_tasks().wait_until_task_migrated().wait(Duration::from_secs(3600)).await?;
    /// println!("{} polls, {} requests", waited.polls(), waited.requests_sent());
    /// # Ok(())
    /// # }
    /// ```
    pub fn requests_sent(&self) -> u64 {
        self.requests_sent
    }

    /// Polls made, the last included.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// Time from the start of the wait to its end.
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// Polls that failed and were ridden out (the service, the network or the credentials
    /// source down for a while).
    pub fn failed_polls(&self) -> u32 {
        self.failed_polls
    }

    /// The longest run of failed polls, from the start of its first poll to its last.
    pub fn longest_outage(&self) -> Duration {
        self.longest_outage
    }
}

/// Why a wait ended without success.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitErrorKind {
    /// An acceptor put the wait in its failure state (a task failed, say).
    FailureState,
    /// The longest wait ran out before any acceptor said success or failure.
    TimedOut,
    /// A poll failed in a way that ends the wait: 401 or 403, an error no poll can mend, or
    /// polls that kept failing for longer than the wait rides out
    /// ([`Waiter::max_outage`](super::Waiter::max_outage)).
    Error,
    /// What the wait is on does not exist: an acceptor the spec marks `"outcome": "notFound"`
    /// matched (for ListTasks, no task is listed: it was deleted, or the filters name none).
    NotFound,
}

/// A wait that ended without success: why, with everything known.
///
/// ```
/// # async fn run(client: sms_api::Client) {
/// use std::time::Duration;
/// use sms_api::prelude::*;
/// use sms_api::wait::WaitErrorKind;
///
/// match client.list_tasks().id("t-1").wait_until_task_migrated().wait(Duration::from_secs(3600)).await {
///     Ok(done) => println!("migrated ({} polls)", done.polls()),
///     Err(e) if e.kind() == WaitErrorKind::FailureState => eprintln!("failed: {e}"),
///     Err(e) if e.kind() == WaitErrorKind::TimedOut => {
///         eprintln!("still going after {:?}; last seen: {:?}", e.waited(), e.last_response().map(|r| &r.tasks))
///     }
///     Err(e) => eprintln!("{e}"),
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct WaitError<R> {
    pub(crate) waiter: &'static str,
    pub(crate) kind: WaitErrorKind,
    pub(crate) message: String,
    pub(crate) polls: u32,
    pub(crate) requests_sent: u64,
    pub(crate) waited: Duration,
    pub(crate) failed_polls: u32,
    pub(crate) longest_outage: Duration,
    pub(crate) last_response: Option<R>,
    pub(crate) error: Option<Error>,
    pub(crate) matched: Vec<serde_json::Value>,
}

impl<R> WaitError<R> {
    /// Why the wait ended.
    pub fn kind(&self) -> WaitErrorKind {
        self.kind
    }

    /// The waiter's name in the spec.
    pub fn waiter(&self) -> &'static str {
        self.waiter
    }

    /// What happened: the acceptor's message with the matched elements' fields, the time
    /// waited, or the poll's error.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Requests the wait sent in all: every attempt of every poll, every page of it and its
    /// re-fetches included (a poll cut short by its deadline counts one). The last poll's own
    /// error, if any, says what its last call took ([`Error::attempts`]).
    ///
    /// ```no_run
    /// # async fn run(client: sms_api::Client) {
    /// use std::time::Duration;
    /// use sms_api::prelude::*;
    ///
    /// if let Err(e) = client.list_tasks().wait_until_task_migrated().wait(Duration::from_secs(3600)).await {
    ///     eprintln!("{e} ({} requests sent in all)", e.requests_sent());
    /// }
    /// # }
    /// ```
    pub fn requests_sent(&self) -> u64 {
        self.requests_sent
    }

    /// Polls made, the last included.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// Time from the start of the wait to its end.
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// Polls that failed (ridden out, or the one that ended the wait).
    pub fn failed_polls(&self) -> u32 {
        self.failed_polls
    }

    /// The longest run of failed polls, from the start of its first poll to its last.
    pub fn longest_outage(&self) -> Duration {
        self.longest_outage
    }

    /// The last response received (every page of it), if any poll got one.
    pub fn last_response(&self) -> Option<&R> {
        self.last_response.as_ref()
    }

    /// The last response, owned.
    pub fn into_last_response(self) -> Option<R> {
        self.last_response
    }

    /// The poll's error, when a poll ended the wait (or an error acceptor matched).
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// The elements that made a failure acceptor match (the failed tasks), as JSON.
    pub fn matched(&self) -> &[serde_json::Value] {
        &self.matched
    }

    /// The elements that made a failure acceptor match, decoded as `T` (the ones that decode).
    ///
    /// ```
    /// # fn f(e: sms_api::wait::WaitError<sms_api::types::ListTasksResponse>) {
    /// for task in e.matched_as::<sms_api::types::TasksResponseBody>() {
    ///     eprintln!("{:?}: {:?}", task.id, task.error_json);
    /// }
    /// # }
    /// ```
    pub fn matched_as<T: serde::de::DeserializeOwned>(&self) -> Vec<T> {
        self.matched
            .iter()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect()
    }
}

impl<R> fmt::Display for WaitError<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == WaitErrorKind::TimedOut {
            // Said once: "TaskMigrated was not reached within the longest wait, 2h (7 polls,
            // 9 requests)".
            return write!(
                f,
                "{} was {} ({} polls, {} requests)",
                self.waiter, self.message, self.polls, self.requests_sent
            );
        }
        let what = match self.kind {
            WaitErrorKind::FailureState => "reached a failure state",
            WaitErrorKind::TimedOut => "timed out",
            WaitErrorKind::Error => "stopped",
            WaitErrorKind::NotFound => "found nothing to wait on",
        };
        write!(
            f,
            "waiter {} {what} after {} ({} polls, {} requests): {}",
            self.waiter,
            humanize(self.waited),
            self.polls,
            self.requests_sent,
            self.message
        )
    }
}

impl<R: fmt::Debug> std::error::Error for WaitError<R> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.as_ref().map(|e| e as _)
    }
}
