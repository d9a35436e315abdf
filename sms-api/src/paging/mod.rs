//! Every item of a paginated operation, as a stream: the paginator sets `limit` and `offset`
//! on every page itself, fetches the pages after the first concurrently (bounded, in order),
//! and checks each against the first page's `count`.
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

mod paginated;
mod plan;

use std::future::ready;

use futures_core::Stream;
use futures_util::future::Either;
use futures_util::stream::{self, StreamExt};

pub use paginated::Paginated;
use plan::Plan;

use crate::error::{Error, ErrorKind};
use crate::send::FetchExt;
use crate::send::bounds::Violation;

/// Default number of pages fetched at once after the first.
///
/// Eight, because a listing is bound by latency: over a link with 100 ms of round trip, eight
/// pages of 200 tasks in flight keep 1 MB/s of compressed pages busy, where four left it idle
/// a third of the time (BENCHMARKS.md, wide-area listing). If the gateway throttles, the
/// client's adaptive rate limiter slows every page down, however many are in flight.
///
/// ```
/// # async fn run(client: sms_api::Client) {
/// use sms_api::paging::DEFAULT_CONCURRENCY;
/// use sms_api::prelude::*;
///
/// // Half the default, for a gateway you share with others.
/// let pages = client.list_tasks().paginate().concurrency(DEFAULT_CONCURRENCY / 2).by_page();
/// # let _ = pages;
/// # }
/// ```
pub const DEFAULT_CONCURRENCY: usize = 8;

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
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

/// Pages through every item that matches a request's filters; get one with
/// [`PaginateExt::paginate`].
///
/// The paginator owns the paging parameters: whatever `limit` and `offset` the builder had,
/// each page is requested with [`page_size`](Self::page_size) items (default: the most the
/// spec allows, 200 for ListTasks) from [`start`](Self::start) on. After the first page, up to
/// [`concurrency`](Self::concurrency) pages are fetched at once, and still yielded in order;
/// memory holds only those pages. Nothing is lost silently: the stream ends with an error of
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
    concurrency: usize,
}

impl<O: Paginated> Paginator<O> {
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

    /// Pages fetched at once after the first (default [`DEFAULT_CONCURRENCY`]; 1 fetches them
    /// one after the other).
    pub fn concurrency(mut self, pages: usize) -> Self {
        self.concurrency = pages.max(1);
        self
    }

    /// The pages, in order.
    pub fn by_page(self) -> impl Stream<Item = Result<O::Response, Error>> + Send + Unpin {
        let Paginator {
            builder,
            page_size,
            start,
            concurrency,
        } = self;
        let limit = page_size.unwrap_or(O::MAX_PAGE_SIZE);
        let first = first_page(builder.clone(), limit, start);
        let pages = stream::once(first)
            .flat_map(move |first| match first {
                Err(error) => Either::Left(stream::iter([Err(error)])),
                Ok((page, plan)) => {
                    let builder = builder.clone();
                    let rest = stream::iter(1..=plan.later_pages)
                        .map(move |k| next_page(builder.clone(), plan, plan.offset_of(k)))
                        .buffered(concurrency);
                    let end = stream::iter(plan.unreachable().map(Err));
                    Either::Right(stream::iter([Ok(page)]).chain(rest).chain(end))
                }
            })
            .scan(false, |failed, item| {
                if *failed {
                    return ready(None);
                }
                *failed = item.is_err();
                ready(Some(item))
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

/// The first page, and the plan it implies for the rest.
async fn first_page<O: Paginated>(
    builder: O,
    limit: i64,
    start: i64,
) -> Result<(O::Response, Plan), Error> {
    // The paginator's own bounds: a page size of 0 is a valid `limit`, but cannot page.
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
    let page = builder.page(limit, start).fetch().await?.into_inner();
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
    Ok((page, plan))
}

/// The page at `offset`, checked against the plan.
async fn next_page<O: Paginated>(
    builder: O,
    plan: Plan,
    offset: i64,
) -> Result<O::Response, Error> {
    let page = builder.page(plan.limit, offset).fetch().await?.into_inner();
    plan.check(O::count(&page), O::len(&page) as i64, offset)?;
    Ok(page)
}
