//! How a waiter gets one response of an operation: one `fetch()`, or, for an operation the
//! spec pages (`x-pagination`), every page through the paginator merged into one response, so
//! that `tasks[].state` means every task the filters select. The build script implements
//! [`Poll`] for each operation with waiters (`codegen/src/render/waiters.rs`).

use std::future::Future;

use futures_util::TryStreamExt;

use crate::error::Error;
use crate::paging::{PaginateExt, Paginated, RequestTally};
use crate::send::{FetchExt, Operation};

/// An operation a waiter can poll.
pub trait Poll: Operation + Clone {
    /// One poll: the whole response, every page of it; its requests (every attempt, every
    /// page, re-fetches included) counted in `tally` as they are known.
    fn poll(
        self,
        tally: RequestTally,
    ) -> impl Future<Output = Result<Self::Response, Error>> + Send;
}

/// One `fetch()`.
pub async fn poll_once<O: Operation>(
    operation: O,
    tally: RequestTally,
) -> Result<O::Response, Error> {
    let fetched = operation.fetch().await;
    tally.add(match &fetched {
        Ok(response) => u64::from(response.attempts()),
        Err(error) => error.requests_sent(),
    });
    fetched.map(|r| r.into_inner())
}

/// Every page, through the paginator (its concurrency, the client's rate limiter and retries),
/// as one response: the first page's, holding every item.
pub async fn poll_every_page<O>(operation: O, tally: RequestTally) -> Result<O::Response, Error>
where
    O: Paginated + Sync,
    O::Response: Clone + 'static,
    O::Item: 'static,
{
    let mut pages = operation.paginate().tally(tally).by_page();
    let mut first: Option<O::Response> = None;
    let mut items = Vec::new();
    while let Some(page) = pages.try_next().await? {
        if first.is_none() {
            first = Some(page.clone());
        }
        items.extend(O::items(page));
    }
    match first {
        Some(first) => Ok(O::with_items(first, items)),
        // The paginator yields at least the first page, or an error.
        None => Err(Error::new(
            crate::error::ErrorKind::Incomplete,
            "the listing ended before its first page",
        )),
    }
}
