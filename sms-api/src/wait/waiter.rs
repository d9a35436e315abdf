//! [`Waiter`]: polls an operation until one of its waiter's acceptors says success or
//! failure, or the longest wait runs out. What to do after each poll is
//! [`decision::decide`](super::decision::decide)'s; this carries it out.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::acceptor::{Matcher, State, WaiterSpec, first_match};
use super::decision::{Failure, Next, PollFacts, decide};
use super::delay::{humanize, next_delay};
use super::error::{WaitError, WaitErrorKind, Waited};
use super::outage::Outage;
use super::poll::Poll;
use crate::error::Error;
use crate::paging::RequestTally;
use crate::send::sealed::Sealed;

/// Failed polls in a row that ended a wait before outages were measured in time; a wait now
/// rides out failures for [`DEFAULT_MAX_OUTAGE`] whatever their number.
#[deprecated(
    since = "0.3.0",
    note = "a wait tolerates failed polls for a stretch of time: see Waiter::max_outage"
)]
pub const DEFAULT_MAX_FAILED_POLLS: u32 = 5;

/// How long a wait rides out polls that fail (the service or the network down, throttling,
/// the credentials source down), by default: 15 minutes. Past it, the wait ends with the last
/// error.
pub const DEFAULT_MAX_OUTAGE: Duration = Duration::from_secs(15 * 60);

/// What one poll got, for [`Waiter::on_poll`].
#[non_exhaustive]
pub struct PollReport<'a, R> {
    /// 1 for the first poll.
    pub number: u32,
    /// Time since the wait began.
    pub elapsed: Duration,
    /// The response (every page of it), or why the poll failed.
    pub outcome: Result<&'a R, &'a Error>,
    /// The state an acceptor put the wait in, if one matched.
    pub state: Option<State>,
    /// Failed polls in a row, this one included.
    pub failed_in_a_row: u32,
    /// How long the current run of failed polls has lasted (zero after a poll that worked).
    pub outage: Duration,
}

type OnPoll<R> = Box<dyn FnMut(&PollReport<'_, R>) + Send>;

/// A wait on an operation, declared in the spec (`x-waiters`). Built by the generated
/// `wait_until_<waiter>()` methods (the prelude brings them), then run with
/// [`wait`](Self::wait).
///
/// ```no_run
/// # async fn run(client: sms_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use sms_api::prelude::*;
///
/// let done = client
///     .list_tasks()
///     .id("a3f1c2d4-0b5e-4c1f-9e2a-7d6b8c9e0f12")
///     .wait_until_task_migrated()
///     .min_delay(Duration::from_secs(5))
///     .on_poll(|poll| eprintln!("poll {} after {:?}", poll.number, poll.elapsed))
///     .wait(Duration::from_secs(6 * 3600))
///     .await?;
/// println!("migrated after {} polls", done.polls());
/// # Ok(())
/// # }
/// ```
#[must_use]
pub struct Waiter<O: Poll>
where
    O::Response: 'static,
{
    operation: O,
    rule: Rule<O::Response>,
    min_delay: Duration,
    max_delay: Duration,
    initial_delay: Duration,
    max_outage: Duration,
    max_failed_polls: Option<u32>,
    poll_deadline: Option<Duration>,
    on_poll: Option<OnPoll<O::Response>>,
}

impl<O: Poll> Waiter<O>
where
    O::Response: 'static,
{
    /// A wait on `operation` by the waiter `spec` (used by the generated methods).
    #[doc(hidden)]
    pub fn new(operation: O, spec: &'static WaiterSpec<O::Response>) -> Self {
        Waiter::with_rule(operation, Rule::Spec(spec), spec.min_delay, spec.max_delay)
    }

    /// A wait on `operation` until `condition` says so: given each poll's response, or its
    /// error when it failed, it answers [`State::Success`] or [`State::Failure`] to end the wait,
    /// [`State::Retry`] or `None` to poll again. Everything else is a declared waiter's: the
    /// first poll at once, then smithy's delays (2 s doubling to 120 s by default, with jitter;
    /// [`min_delay`](Self::min_delay) and [`max_delay`](Self::max_delay) change them), failed
    /// polls ridden out for [`max_outage`](Self::max_outage), a 401 or 403 ending it, and the
    /// `max_wait` of [`wait`](Self::wait). Any operation of the spec can be waited on so.
    ///
    /// ```no_run
    /// # async fn run(client: sms_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use sms_api::prelude::*;
    /// use sms_api::wait::{State, Waiter};
    ///
    /// // Until the source server's agent is connected again.
    /// let connected = Waiter::until(client.show_server().source_id("5f2b3c4d"), |poll| {
    ///     let server = poll.ok()?;
    ///     (server.connected == Some(true)).then_some(State::Success)
    /// })
    /// .wait(Duration::from_secs(3600))
    /// .await?;
    /// println!("connected after {} polls", connected.polls());
    /// # Ok(())
    /// # }
    /// ```
    pub fn until(
        operation: O,
        condition: impl Fn(Result<&O::Response, &Error>) -> Option<State> + Send + Sync + 'static,
    ) -> Self {
        Waiter::with_rule(
            operation,
            Rule::Condition(Arc::new(condition)),
            DEFAULT_MIN_DELAY_SECONDS,
            DEFAULT_MAX_DELAY_SECONDS,
        )
    }

    fn with_rule(operation: O, rule: Rule<O::Response>, min_delay: u64, max_delay: u64) -> Self {
        Waiter {
            operation,
            rule,
            min_delay: Duration::from_secs(min_delay),
            max_delay: Duration::from_secs(max_delay),
            initial_delay: Duration::ZERO,
            max_outage: DEFAULT_MAX_OUTAGE,
            max_failed_polls: None,
            poll_deadline: None,
            on_poll: None,
        }
    }

    /// The longest one poll (every page, for a paginated operation) may take: a poll past it
    /// fails with an error of kind [`Timeout`](crate::ErrorKind::Timeout), which the wait rides
    /// out like any failed poll (by default a poll is bounded only by each call's operation
    /// timeout and its re-fetches).
    ///
    /// ```no_run
    /// # fn f(client: sms_api::Client) {
    /// use std::time::Duration;
    /// use sms_api::prelude::*;
    ///
    /// let wait = client.list_tasks().wait_until_task_migrated().poll_deadline(Duration::from_secs(10));
    /// # let _ = wait;
    /// # }
    /// ```
    pub fn poll_deadline(mut self, deadline: Duration) -> Self {
        self.poll_deadline = Some(deadline);
        self
    }

    /// The shortest delay between polls (default: the spec's `minDelay`).
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self
    }

    /// The longest delay between polls (default: the spec's `maxDelay`).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// A delay before the first poll (default: none, the first poll goes at once).
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// How long polls may keep failing before the wait ends (default [`DEFAULT_MAX_OUTAGE`],
    /// 15 minutes), measured from the start of the first failed poll of a run; a poll that
    /// works ends the run. A failed poll is one whose call failed after the client's own
    /// retries: a transport error, a timeout, throttling, a 5xx, or no credentials from their
    /// source. 401 and 403 end the wait at once, as does an error no poll can mend.
    ///
    /// ```no_run
    /// # async fn run(client: sms_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use sms_api::prelude::*;
    ///
    /// let done = client.list_tasks().id("t-1").wait_until_task_migrated()
    ///     .max_outage(Duration::from_secs(30 * 60))
    ///     .wait(Duration::from_secs(8 * 3600))
    ///     .await?;
    /// eprintln!("{} failed polls, the longest outage {:?}", done.failed_polls(), done.longest_outage());
    /// # Ok(())
    /// # }
    /// ```
    pub fn max_outage(mut self, outage: Duration) -> Self {
        self.max_outage = outage;
        self
    }

    /// Also end the wait after this many failed polls in a row, however short the outage (by
    /// default there is no such count: see [`max_outage`](Self::max_outage)).
    pub fn max_failed_polls(mut self, polls: u32) -> Self {
        self.max_failed_polls = Some(polls.max(1));
        self
    }

    /// Called after every poll, with what it got: to show progress.
    pub fn on_poll(
        mut self,
        callback: impl FnMut(&PollReport<'_, O::Response>) + Send + 'static,
    ) -> Self {
        self.on_poll = Some(Box::new(callback));
        self
    }

    /// Polls until an acceptor says success (the final response) or failure (an error with
    /// the final response, the acceptor's message and the elements that matched), or until
    /// `max_wait` runs out (an error with the time waited, the polls and the last response).
    pub async fn wait(
        mut self,
        max_wait: Duration,
    ) -> Result<Waited<O::Response>, WaitError<O::Response>> {
        let started = Instant::now();
        let name = self.rule.name();
        if !self.initial_delay.is_zero() {
            tokio::time::sleep(self.initial_delay.min(max_wait)).await;
        }
        let mut polls = 0;
        let mut outage = Outage::new(self.max_outage, self.max_failed_polls);
        let mut last_response: Option<O::Response> = None;
        let tally = RequestTally::default();
        loop {
            polls += 1;
            let poll_started = Instant::now();
            let poll = self.operation.clone().poll(tally.clone());
            let outcome = match self.poll_deadline {
                None => poll.await,
                Some(deadline) => tokio::time::timeout(deadline, poll)
                    .await
                    .unwrap_or_else(|_| {
                        // The request cut short was on the wire, or about to be.
                        tally.add(1);
                        Err(crate::error::Error::new(
                            crate::error::ErrorKind::Timeout,
                            format!("the poll's deadline of {deadline:?} passed"),
                        ))
                    }),
            };
            let (state, matched) = match &self.rule {
                Rule::Spec(spec) => {
                    let matched = first_match(spec, outcome.as_ref());
                    (
                        matched.as_ref().map(|m| spec.acceptors[m.acceptor].state),
                        matched,
                    )
                }
                Rule::Condition(condition) => (condition(outcome.as_ref()), None),
            };
            match &outcome {
                Ok(_) => outage.recovered(),
                Err(_) if state.is_none() => outage.failed(poll_started),
                Err(_) => {}
            }
            if let Some(callback) = &mut self.on_poll {
                callback(&PollReport {
                    number: polls,
                    elapsed: started.elapsed(),
                    outcome: outcome.as_ref(),
                    state,
                    failed_in_a_row: outage.in_a_row,
                    outage: outage.length(),
                });
            }
            let waited = started.elapsed();
            let end = |kind, message: String, last_response, error, matched| WaitError {
                waiter: name,
                kind,
                message,
                polls,
                requests_sent: tally.get(),
                waited,
                failed_polls: outage.failed,
                longest_outage: outage.longest,
                last_response,
                error,
                matched,
            };
            let facts = PollFacts {
                state,
                failure: outcome.as_ref().err().map(|error| Failure {
                    refused: matches!(error.status().map(|s| s.as_u16()), Some(401 | 403)),
                    transient: error.is_transient(),
                }),
                outage_exceeded: outage.exceeded(),
            };
            let (response, error) = match outcome {
                Ok(response) => (Some(response), None),
                Err(error) => (None, Some(error)),
            };
            match (decide(facts), matched, &self.rule) {
                (Next::Succeed, _, _) => {
                    return Ok(Waited {
                        response: response.or(last_response),
                        polls,
                        requests_sent: tally.get(),
                        waited,
                        failed_polls: outage.failed,
                        longest_outage: outage.longest,
                    });
                }
                (Next::Fail, Some(matched), Rule::Spec(spec)) => {
                    let acceptor = &spec.acceptors[matched.acceptor];
                    let elements = match (&acceptor.matcher, &response) {
                        (
                            Matcher::Output {
                                elements: Some(all),
                                ..
                            },
                            Some(response),
                        ) => {
                            let all = all(response);
                            matched
                                .elements
                                .iter()
                                .filter_map(|i| all.get(*i).cloned())
                                .collect()
                        }
                        _ => Vec::new(),
                    };
                    let message =
                        failure_message(acceptor.message, acceptor.show, &elements, error.as_ref());
                    let kind = if acceptor.not_found {
                        WaitErrorKind::NotFound
                    } else {
                        WaitErrorKind::FailureState
                    };
                    return Err(end(
                        kind,
                        message,
                        response.or(last_response),
                        error,
                        elements,
                    ));
                }
                (Next::GiveUp { outage: too_long }, _, _) => {
                    let message = match &error {
                        Some(error) if too_long => format!(
                            "polls failed for {} ({} in a row, longer than the {} a wait rides out); the last: {error}",
                            humanize(outage.length()),
                            outage.in_a_row,
                            humanize(outage.limit())
                        ),
                        Some(error) => format!("a poll failed: {error}"),
                        None => "a poll failed".to_owned(),
                    };
                    return Err(end(
                        WaitErrorKind::Error,
                        message,
                        last_response,
                        error,
                        Vec::new(),
                    ));
                }
                // A caller's condition said failure: no acceptor, no elements.
                (Next::Fail, _, _) => {
                    let message = failure_message(None, &[], &[], error.as_ref());
                    return Err(end(
                        WaitErrorKind::FailureState,
                        message,
                        response.or(last_response),
                        error,
                        Vec::new(),
                    ));
                }
                (Next::PollAgain, _, _) => {}
            }
            if let Some(response) = response {
                last_response = Some(response);
            }
            let remaining = max_wait.saturating_sub(started.elapsed());
            // The client's draws: injectable with `ClientBuilder::jitter`.
            let jitter = Sealed::client(&self.operation).inner().clock.jitter();
            let Some(delay) = next_delay(polls, self.min_delay, self.max_delay, jitter, remaining)
            else {
                let message = format!(
                    "not reached within the longest wait, {}",
                    humanize(max_wait)
                );
                return Err(end(
                    WaitErrorKind::TimedOut,
                    message,
                    last_response,
                    None,
                    Vec::new(),
                ));
            };
            tokio::time::sleep(delay).await;
        }
    }
}

/// What decides a wait: a waiter the spec declares, or a caller's condition.
enum Rule<R: 'static> {
    Spec(&'static WaiterSpec<R>),
    Condition(Arc<Condition<R>>),
}

/// A caller's condition over each poll ([`Waiter::until`]).
type Condition<R> = dyn Fn(Result<&R, &Error>) -> Option<State> + Send + Sync;

impl<R> Rule<R> {
    /// The waiter's name, for errors: the spec's, or `condition`.
    fn name(&self) -> &'static str {
        match self {
            Rule::Spec(spec) => spec.name,
            Rule::Condition(_) => "condition",
        }
    }
}

/// smithy's default delays, for a wait the spec does not declare.
const DEFAULT_MIN_DELAY_SECONDS: u64 = 2;
const DEFAULT_MAX_DELAY_SECONDS: u64 = 120;

/// The acceptor's message, each matched element's `show` fields, and the error it matched.
fn failure_message(
    message: Option<&str>,
    show: &[&str],
    elements: &[serde_json::Value],
    error: Option<&Error>,
) -> String {
    let mut text = message.unwrap_or("a failure state was reached").to_owned();
    for element in elements.iter().take(SHOWN) {
        let fields: Vec<String> = show
            .iter()
            .filter_map(|field| {
                let value = element.get(*field)?;
                match value {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(s) if s.is_empty() => None,
                    serde_json::Value::String(s) => Some(format!("{field} {s}")),
                    other => Some(format!("{field} {other}")),
                }
            })
            .collect();
        if !fields.is_empty() {
            text.push_str("; ");
            text.push_str(&fields.join(", "));
        }
    }
    if elements.len() > SHOWN && !show.is_empty() {
        text.push_str(&format!("; and {} more", elements.len() - SHOWN));
    }
    if let Some(error) = error {
        text.push_str(&format!(" ({error})"));
    }
    text
}

/// Matched elements a failure's message shows; [`WaitError::matched`] has them all.
const SHOWN: usize = 3;

impl<O: Poll> fmt::Debug for Waiter<O>
where
    O::Response: 'static,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("waiter", &self.rule.name())
            .field("min_delay", &self.min_delay)
            .field("max_delay", &self.max_delay)
            .field("initial_delay", &self.initial_delay)
            .field("max_outage", &self.max_outage)
            .field("max_failed_polls", &self.max_failed_polls)
            .finish_non_exhaustive()
    }
}
