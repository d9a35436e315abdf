//! Every item of a paginated operation, as a stream: the paginator sets `limit` and `offset`
//! on every page itself, fetches the pages after the first concurrently (bounded, in order;
//! how many at once it finds by measuring goodput: `pace.rs`, `paced.rs`), and checks each
//! against the first page's `count`.
//!
//! An operation is paginated when the spec says so with `x-pagination` (see
//! [`Paginated`]); the build script does the rest.
//!
//! ```no_run
//! # async fn run(client: sms_api::Client) -> Result<(), sms_api::Error> {
//! use futures_util::TryStreamExt;
//! use sms_api::prelude::*;
//!
//! let tasks: Vec<_> = client.list_tasks().paginate().page_size(100).by_item().try_collect().await?;
//! # Ok(())
//! # }
//! ```

mod pace;
mod paced;
mod paginated;
mod plan;
mod request_tally;

use std::future::ready;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use futures_core::Stream;
use futures_util::future::Either;
use futures_util::stream::{self, StreamExt};

use pace::Pacer;
use paced::Paced;
pub use paginated::Paginated;
use plan::Plan;
#[doc(hidden)]
pub use request_tally::RequestTally;

use crate::clock::{Clock, doubling};
use crate::error::{Error, ErrorKind};
use crate::send::FetchExt;
use crate::send::bounds::Violation;
use crate::send::rate_limit::RateLimiter;
use crate::send::retry_budget::RetryTokens;
use crate::send::sealed::Sealed;

/// The pages a listing keeps in flight after the first when it begins; unless
/// [`Paginator::concurrency`] fixes the number, the listing then finds its own, up to
/// [`MAX_CONCURRENCY`].
///
/// Eight to begin with: enough for a link 100 ms away to carry 1 MB/s of compressed pages of
/// ListTasks' largest size, and few enough that a gateway admitting 10 requests a second
/// throttles fewer than one in ten (BENCHMARKS.md). From there the listing measures goodput
/// (items per second) round after round: while it rises by 10% or more the pages in flight
/// double, one page more for each page that arrives (a ramp, not a burst, for a gateway's
/// quota); when it stops rising they go back to the best number seen; when the gateway
/// throttles they halve, and once the client's adaptive rate limiter paces its requests they
/// no longer grow (the limiter sets the request rate).
///
/// ```
/// # async fn run(client: sms_api::Client) {
/// use sms_api::paging::DEFAULT_CONCURRENCY;
/// use sms_api::prelude::*;
///
/// // Half the starting number, and fixed: for a gateway you share with others.
/// let pages = client.list_tasks().paginate().concurrency(DEFAULT_CONCURRENCY / 2).by_page();
/// # let _ = pages;
/// # }
/// ```
pub const DEFAULT_CONCURRENCY: usize = 8;

/// The most pages a listing keeps in flight when it finds the number itself.
///
/// Thirty-two: on a link of 4 MB/s 40 ms away, 32 pages in flight list within about 1.2× of
/// the link's floor (16 about the same, 8 1.4×: BENCHMARKS.md), and more would bring little there while
/// holding more pages in memory (at most this many decoded pages at once) and opening more
/// connections to the gateway (one per page in flight, over HTTP/1.1). A link that needs more
/// can have it with [`Paginator::concurrency`].
///
/// ```
/// assert!(sms_api::paging::MAX_CONCURRENCY >= sms_api::paging::DEFAULT_CONCURRENCY);
/// ```
pub const MAX_CONCURRENCY: usize = 32;

/// Re-fetches a listing may spend, by default, on pages whose fetch failed after the client's
/// own retries (a page that met several faults in a row): at least this many, and one more for
/// every ten pages beyond a hundred, each also paid from the client's retry budget. One budget
/// for the whole listing, not a number per page, so that through a gateway failing one request
/// in five every page is still fetched, once and in order.
///
/// ```
/// # async fn run(client: sms_api::Client) {
/// use sms_api::prelude::*;
/// let pages = client.list_tasks().paginate().listing_retries(sms_api::paging::DEFAULT_LISTING_RETRIES * 2).by_page();
/// # let _ = pages;
/// # }
/// ```
pub const DEFAULT_LISTING_RETRIES: u32 = 10;

/// The first wait before a page is fetched again; it doubles up to [`MAX_REFETCH_WAIT`], with
/// full jitter.
const FIRST_REFETCH_WAIT: Duration = Duration::from_millis(200);
const MAX_REFETCH_WAIT: Duration = Duration::from_secs(10);

/// `paginate()` for every paginated operation's builder: `use sms_api::prelude::*;` brings it.
///
/// ```no_run
/// # async fn run(client: sms_api::Client) -> Result<(), sms_api::Error> {
/// use futures_util::TryStreamExt;
/// use sms_api::prelude::*;
///
/// let pages: Vec<_> = client.list_tasks().paginate().page_size(100).concurrency(2).by_page().try_collect().await?;
/// # Ok(())
/// # }
/// ```
pub trait PaginateExt: Paginated {
    /// Pages through every item that matches the request's filters; see [`Paginator`].
    fn paginate(self) -> Paginator<Self>;
}

impl<O: Paginated> PaginateExt for O {
    fn paginate(self) -> Paginator<Self> {
        Paginator {
            builder: self,
            page_size: None,
            start: 0,
            concurrency: None,
            listing_retries: None,
            deadline: None,
            tally: None,
        }
    }
}

/// Pages through every item that matches a request's filters; get one with
/// [`PaginateExt::paginate`].
///
/// The paginator owns the paging parameters: whatever `limit` and `offset` the builder had,
/// each page is requested with [`page_size`](Self::page_size) items (default: the most the
/// spec allows, [`Paginated::MAX_PAGE_SIZE`]) from [`start`](Self::start) on. After the first
/// page, several pages are fetched at once (from [`DEFAULT_CONCURRENCY`] up to
/// [`MAX_CONCURRENCY`], as goodput and throttling say, or the number
/// [`concurrency`](Self::concurrency) fixes), and still yielded in order; memory holds only
/// those pages. Nothing is lost silently: the stream ends with an error of
/// kind [`Incomplete`](crate::ErrorKind::Incomplete) when items lie beyond the service's
/// offset ceiling, or when the number of matching items changes while listing.
///
/// ```no_run
/// # async fn run(client: sms_api::Client) -> Result<(), sms_api::Error> {
/// use futures_util::TryStreamExt;
/// use sms_api::prelude::*;
/// use sms_api::types::TaskState;
///
/// let mut tasks = client.list_tasks().state(TaskState::Running).paginate().by_item();
/// while let Some(task) = tasks.try_next().await? {
///     println!("{:?}", task.name);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use]
pub struct Paginator<O> {
    builder: O,
    page_size: Option<i64>,
    start: i64,
    /// Fixed by the caller; `None`: found by measuring.
    concurrency: Option<usize>,
    listing_retries: Option<u32>,
    deadline: Option<Duration>,
    tally: Option<RequestTally>,
}

impl<O: Paginated> Paginator<O> {
    /// Counts the listing's requests in `tally` too (a wait's poll: the wait reports them).
    pub(crate) fn tally(mut self, tally: RequestTally) -> Self {
        self.tally = Some(tally);
        self
    }

    /// The longest the whole listing may take, from the stream's first poll: past it, the
    /// stream ends with an error of kind [`Timeout`](crate::ErrorKind::Timeout) that says how
    /// far the listing got (pages and items) and how many requests it sent (by default a
    /// listing is bounded only by each call's operation timeout and its re-fetches).
    ///
    /// ```no_run
    /// # async fn run(client: sms_api::Client) {
    /// use std::time::Duration;
    /// use futures_util::TryStreamExt;
    /// use sms_api::prelude::*;
    ///
    /// let listed: Result<Vec<_>, _> =
    ///     client.list_tasks().paginate().deadline(Duration::from_secs(3)).by_item().try_collect().await;
    /// if let Err(e) = listed {
    ///     eprintln!("{e} ({} requests sent)", e.requests_sent());
    /// }
    /// # }
    /// ```
    pub fn deadline(mut self, whole_listing: Duration) -> Self {
        self.deadline = Some(whole_listing);
        self
    }

    /// Re-fetches the whole listing may spend on pages that failed after the client's own
    /// retries (default: [`DEFAULT_LISTING_RETRIES`], one more per ten pages beyond a
    /// hundred); 0 ends the listing at the first page that fails. Until the endpoint has
    /// answered at all (an HTTP status, even an error's), a failure after the call's own
    /// retries ends the listing, so that a dead endpoint fails in seconds. Only failures worth another
    /// try are fetched again (transport, timeouts, throttling, 5xx); each waits a back-off
    /// with full jitter first.
    pub fn listing_retries(mut self, retries: u32) -> Self {
        self.listing_retries = Some(retries);
        self
    }

    /// Items on each page, from 1 to [`Paginated::MAX_PAGE_SIZE`] (default: that maximum).
    /// Out of range, the stream yields one error of kind
    /// [`InvalidRequest`](crate::ErrorKind::InvalidRequest) and sends nothing.
    pub fn page_size(mut self, items: i64) -> Self {
        self.page_size = Some(items);
        self
    }

    /// The offset of the first item listed (default 0).
    pub fn start(mut self, offset: i64) -> Self {
        self.start = offset;
        self
    }

    /// Pages fetched at once after the first, fixed (1 fetches them one after the other).
    /// Without it, the listing begins with [`DEFAULT_CONCURRENCY`] and finds the number that
    /// suits the network by itself, up to [`MAX_CONCURRENCY`]: more while goodput still rises
    /// and nothing is throttled, fewer when the gateway throttles.
    ///
    /// ```no_run
    /// # async fn run(client: sms_api::Client) {
    /// use sms_api::prelude::*;
    /// let one_at_a_time = client.list_tasks().paginate().concurrency(1).by_page();
    /// # let _ = one_at_a_time;
    /// # }
    /// ```
    pub fn concurrency(mut self, pages: usize) -> Self {
        self.concurrency = Some(pages.max(1));
        self
    }

    /// The pages, in order.
    pub fn by_page(self) -> impl Stream<Item = Result<O::Response, Error>> + Send + Unpin {
        let Paginator {
            builder,
            page_size,
            start,
            concurrency,
            listing_retries,
            deadline,
            tally,
        } = self;
        // Set at the first poll of the stream, where the listing begins.
        let due: Arc<std::sync::OnceLock<tokio::time::Instant>> =
            Arc::new(std::sync::OnceLock::new());
        let limit = page_size.unwrap_or(O::MAX_PAGE_SIZE);
        let state = Sealed::client(&builder).inner();
        let budget = Arc::new(Refetches {
            left: AtomicU32::new(listing_retries.unwrap_or(DEFAULT_LISTING_RETRIES)),
            clock: state.clock.clone(),
            tokens: state.retry_tokens.clone(),
            limiter: state.limiter.clone(),
            requests: RequestTally::default(),
            also_counted_in: tally,
            operation_id: O::OPERATION_ID,
        });
        let sent = budget.clone();
        let first = {
            let (builder, budget, due) = (builder.clone(), budget.clone(), due.clone());
            async move {
                let checked = check_bounds::<O>(limit, start);
                let at = *due.get_or_init(tokio::time::Instant::now);
                match checked {
                    Err(error) => Err(error),
                    Ok(()) => {
                        // Until the endpoint has answered at all, a failure ends the listing
                        // after the call's own retries: a dead endpoint fails in seconds, not
                        // after the listing's re-fetches too.
                        let answered = |error: &Error| error.status().is_some();
                        let fetched = refetching(&budget, answered, move || {
                            first_page(builder.clone(), limit, start)
                        });
                        within(&budget, deadline.map(|d| (at + d, d)), fetched).await
                    }
                }
            }
        };
        let pages = stream::once(first)
            .flat_map(move |first| match first {
                Err(error) => Either::Left(stream::iter([(Err(error), None)])),
                Ok((page, plan)) => {
                    let builder = builder.clone();
                    if listing_retries.is_none() {
                        budget.grow(
                            u32::try_from(plan.later_pages.saturating_sub(100) / 10)
                                .unwrap_or(u32::MAX),
                        );
                    }
                    let limiter = budget.limiter.clone();
                    let pacer = match concurrency {
                        Some(pages) => Pacer::fixed(pages),
                        None => Pacer::adaptive(limiter.throttled_count()),
                    };
                    let budget = budget.clone();
                    let at = due.get().copied();
                    let pending = stream::iter(1..=plan.later_pages).map(move |k| {
                        let (builder, budget) = (builder.clone(), budget.clone());
                        async move {
                            let fetched = refetching(
                                &budget,
                                |_| true,
                                move || next_page(builder.clone(), plan, plan.offset_of(k)),
                            );
                            let due = deadline.zip(at).map(|(d, at)| (at + d, d));
                            within(&budget, due, fetched).await
                        }
                    });
                    let rest = Paced::new(pending, pacer, limiter, |page: &Result<_, _>| {
                        page.as_ref().map_or(0, |page| O::len(page) as u64)
                    });
                    let end = stream::iter(plan.unreachable().map(Err));
                    let planned = Some((plan.later_pages as u64 + 1, plan.count));
                    Either::Right(
                        stream::iter([Ok(page)])
                            .chain(rest)
                            .chain(end)
                            .map(move |item| (item, planned)),
                    )
                }
            })
            .scan(Progress::default(), move |progress, (item, planned)| {
                if progress.failed {
                    return ready(None);
                }
                let noted = progress
                    .note::<O>(item, planned)
                    .map_err(|e| e.with_requests_sent(sent.requests.get()));
                ready(Some(noted))
            });
        Box::pin(pages)
    }

    /// The items, in order.
    pub fn by_item(self) -> impl Stream<Item = Result<O::Item, Error>> + Send + Unpin {
        self.by_page().flat_map(|page| match page {
            Ok(page) => Either::Left(stream::iter(O::items(page).into_iter().map(Ok))),
            Err(error) => Either::Right(stream::iter([Err(error)])),
        })
    }
}

/// The re-fetches a listing has left, shared by its pages, and what else bounds them: the
/// client's retry budget (a re-fetch costs a retry's tokens, given back when it succeeds) and
/// its clock (the back-off's jitter).
struct Refetches {
    left: AtomicU32,
    clock: Clock,
    tokens: Arc<RetryTokens>,
    /// Where the client counts re-fetches (`Traffic::refetches`).
    limiter: Arc<RateLimiter>,
    /// Requests the listing sent in all: every fetch's attempts.
    requests: RequestTally,
    /// Where else they are counted (a wait's, when the listing is one of its polls).
    also_counted_in: Option<RequestTally>,
    /// The operation listed, for the metrics.
    operation_id: &'static str,
}

impl Refetches {
    /// Counts `requests` sent.
    fn count(&self, requests: u64) {
        self.requests.add(requests);
        if let Some(tally) = &self.also_counted_in {
            tally.add(requests);
        }
    }

    fn grow(&self, more: u32) {
        self.left.fetch_add(more, Ordering::Relaxed);
    }

    /// Takes one re-fetch, and its tokens from the client's retry budget, if both are left.
    fn take(&self) -> Option<u32> {
        let cost = self.tokens.withdraw(false)?;
        let taken = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok();
        if taken {
            Some(cost)
        } else {
            self.tokens.deposit(cost);
            None
        }
    }
}

/// `fetch()` (which gives what it fetched and the attempts it took), fetched again after a
/// back-off while it fails in a way worth another try (that `worth` agrees to) and the
/// listing's budget lasts. Every attempt of every fetch is counted in the listing's requests.
async fn refetching<T, F, Fut>(
    budget: &Refetches,
    worth: impl Fn(&Error) -> bool,
    fetch: F,
) -> Result<T, Error>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(T, u32), Error>>,
{
    let mut tries = 0u32;
    let mut spent = 0;
    loop {
        let attempts = |outcome: &Result<(T, u32), Error>| match outcome {
            Ok((_, attempts)) => u64::from(*attempts),
            Err(error) => u64::from(error.attempts()),
        };
        let outcome = fetch().await;
        budget.count(attempts(&outcome));
        let outcome = outcome.map(|(fetched, _)| fetched);
        let cost = match &outcome {
            Err(error) if error.is_retryable() && worth(error) => budget.take(),
            _ => None,
        };
        match (outcome, cost) {
            (Err(error), Some(cost)) => {
                spent += cost;
                tries += 1;
                budget.limiter.count_refetch();
                crate::telemetry::refetch(budget.operation_id);
                let wait = doubling(FIRST_REFETCH_WAIT, tries, MAX_REFETCH_WAIT)
                    .mul_f64(budget.clock.jitter());
                tracing::warn!(
                    tries,
                    wait_ms = wait.as_millis() as u64,
                    %error,
                    "sms_api: fetching a page again"
                );
                tokio::time::sleep(wait).await;
            }
            (outcome, _) => {
                if outcome.is_ok() {
                    budget.tokens.deposit(spent);
                }
                return outcome;
            }
        }
    }
}

/// `fetched`, unless the listing's deadline (`due`: when, and how long it was) passes first;
/// a fetch cut short counts as one request sent (it was on the wire, or about to be).
async fn within<T>(
    budget: &Refetches,
    due: Option<(tokio::time::Instant, Duration)>,
    fetched: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let Some((at, deadline)) = due else {
        return fetched.await;
    };
    tokio::time::timeout_at(at, fetched)
        .await
        .unwrap_or_else(|_| {
            budget.count(1);
            Err(Error::new(
                ErrorKind::Timeout,
                format!("the listing's deadline of {deadline:?} passed"),
            ))
        })
}

/// How far a listing got, to say so when it fails.
#[derive(Default)]
struct Progress {
    pages: u64,
    items: u64,
    failed: bool,
}

impl Progress {
    /// Counts a page, or says how far the listing got in the error that ends it.
    fn note<O: Paginated>(
        &mut self,
        item: Result<O::Response, Error>,
        planned: Option<(u64, i64)>,
    ) -> Result<O::Response, Error> {
        match item {
            Ok(page) => {
                self.pages += 1;
                self.items += O::len(&page) as u64;
                Ok(page)
            }
            Err(error) => {
                self.failed = true;
                // Every planned page was listed: the error says what lies beyond them.
                if planned.is_some_and(|(pages, _)| self.pages >= pages) {
                    return Err(error);
                }
                let of = match planned {
                    Some((pages, count)) => {
                        format!(" of {pages} ({} of {count} items)", self.items)
                    }
                    None => format!(" ({} items)", self.items),
                };
                let progress = match self.pages {
                    0 => "the listing stopped at its first page".to_owned(),
                    1 => format!("page 1{of} was listed before the next page failed"),
                    n => format!("pages 1 to {n}{of} were listed before the next page failed"),
                };
                Err(error.with_progress(progress))
            }
        }
    }
}

/// The paginator's own bounds: a page size of 0 is a valid `limit`, but cannot page.
fn check_bounds<O: Paginated>(limit: i64, start: i64) -> Result<(), Error> {
    let checks = [
        (O::LIMIT, limit, 1, O::MAX_PAGE_SIZE, " to page"),
        (O::OFFSET, start, 0, O::MAX_OFFSET, ""),
    ];
    for (parameter, value, min, max, purpose) in checks {
        if !(min..=max).contains(&value) {
            let violation = Violation::new(
                parameter,
                format!("an integer from {min} to {max}{purpose}"),
                &value.to_string(),
            );
            return Err(Error::new(ErrorKind::InvalidRequest, violation.to_string()));
        }
    }
    Ok(())
}

/// The first page, and the plan it implies for the rest.
async fn first_page<O: Paginated>(
    builder: O,
    limit: i64,
    start: i64,
) -> Result<((O::Response, Plan), u32), Error> {
    let response = builder.page(limit, start).fetch().await?;
    let attempts = response.attempts();
    let page = response.into_inner();
    let received = O::len(&page) as i64;
    let count = match O::count(&page) {
        Some(count) => count,
        None if received < limit => start + received,
        None => {
            return Err(Error::new(
                ErrorKind::Incomplete,
                "the service sent no count, so the pages after the first cannot be planned",
            ));
        }
    };
    let plan = Plan::new(limit, start, count, O::MAX_OFFSET);
    plan.check(O::count(&page), received, start)?;
    Ok(((page, plan), attempts))
}

/// The page at `offset`, checked against the plan.
async fn next_page<O: Paginated>(
    builder: O,
    plan: Plan,
    offset: i64,
) -> Result<(O::Response, u32), Error> {
    let response = builder.page(plan.limit, offset).fetch().await?;
    let attempts = response.attempts();
    let page = response.into_inner();
    plan.check(O::count(&page), O::len(&page) as i64, offset)?;
    Ok((page, attempts))
}
