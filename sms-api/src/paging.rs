//! Every task across pages, as a stream: the first page sent as the caller built it, the rest
//! fetched concurrently (bounded, in order), each checked against the first page's `count`.

use std::future::ready;

use futures_core::Stream;
use futures_util::future::Either;
use futures_util::stream::{self, StreamExt};

use crate::builder::ListTasks;
use crate::call_record::{self, CallRecord, PagingProbe};
use crate::list_tasks_ext::LIST_TASKS;
use crate::parameter_bounds::bounds_of;
use crate::types::{ListTasksResponse, TasksResponseBody};
use crate::{Error, ListTasksExt};

/// Default number of pages fetched at once after the first.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Pages through every task that matches a [`ListTasks`] request's filters; get one with
/// [`ListTasksExt::paginate`].
///
/// Pages hold `limit` tasks if the request sets one, else the most the service allows (200).
/// After the first page, up to [`concurrency`](Self::concurrency) pages are fetched at once, and
/// still yielded in order; memory holds only those pages. Nothing is lost silently: the stream
/// ends with an error of kind [`Incomplete`](crate::ErrorKind::Incomplete) when tasks lie beyond
/// the service's offset ceiling, or when the number of matching tasks changes while listing.
///
/// ```no_run
/// # async fn run(client: sms_api::Client) -> Result<(), sms_api::Error> {
/// use futures_util::TryStreamExt;
/// use sms_api::{ListTasksExt, types::TaskState};
///
/// let mut tasks = client.list_tasks().state(TaskState::Running).paginate().by_item();
/// while let Some(task) = tasks.try_next().await? {
///     println!("{:?}", task.name);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use]
pub struct Paginator<'a> {
    builder: ListTasks<'a>,
    concurrency: usize,
}

/// What the first page tells about the rest.
#[derive(Clone, Copy, Debug)]
struct Plan {
    limit: i64,
    base: i64,
    count: i64,
    /// The number of pages after the first.
    later_pages: i64,
    max_offset: i64,
}

impl<'a> Paginator<'a> {
    pub(crate) fn new(builder: ListTasks<'a>) -> Self {
        Paginator {
            builder,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }

    /// Pages fetched at once after the first (default [`DEFAULT_CONCURRENCY`]; 1 fetches them
    /// one after the other).
    pub fn concurrency(mut self, pages: usize) -> Self {
        self.concurrency = pages.max(1);
        self
    }

    /// The pages, in order.
    pub fn by_page(
        self,
    ) -> impl Stream<Item = Result<ListTasksResponse, Error>> + Send + Unpin + 'a {
        let Paginator {
            builder,
            concurrency,
        } = self;
        let first = first_page(builder.clone());
        let pages = stream::once(first)
            .flat_map(move |first| match first {
                Err(error) => Either::Left(stream::iter([Err(error)])),
                Ok((page, plan)) => {
                    let builder = builder.clone();
                    let rest = stream::iter(1..=plan.later_pages)
                        .map(move |k| next_page(builder.clone(), plan, plan.base + k * plan.limit))
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

    /// The tasks, in order.
    pub fn by_item(
        self,
    ) -> impl Stream<Item = Result<TasksResponseBody, Error>> + Send + Unpin + 'a {
        self.by_page().flat_map(|page| match page {
            Ok(page) => Either::Left(stream::iter(
                page.tasks.unwrap_or_default().into_iter().map(Ok),
            )),
            Err(error) => Either::Right(stream::iter([Err(error)])),
        })
    }
}

/// The most tasks a page may hold, from the spec (`limit`'s maximum).
fn max_limit() -> i64 {
    bounds_of(LIST_TASKS, "limit")
        .and_then(|b| b.maximum)
        .unwrap_or(100)
}

/// The furthest offset the service pages to, from the spec (`offset`'s maximum).
fn max_offset() -> i64 {
    bounds_of(LIST_TASKS, "offset")
        .and_then(|b| b.maximum)
        .unwrap_or(i64::from(i32::MAX))
}

/// For the first page: adds `limit=<probe's default>` to the query when it has no limit, and
/// records which `(limit, offset)` the page asks for; refuses a limit that cannot page.
pub(crate) fn settle_first_page(
    url: &mut reqwest::Url,
    probe: &mut PagingProbe,
) -> Result<(), String> {
    let number = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<i64>().ok())
    };
    let offset = number("offset").unwrap_or(0);
    let limit = match number("limit") {
        Some(limit) => limit,
        None => {
            url.query_pairs_mut()
                .append_pair("limit", &probe.default_limit.to_string());
            probe.default_limit
        }
    };
    probe.sent = Some((limit, offset));
    if limit <= 0 {
        return Err(format!(
            "parameter `limit` must be at least 1 to page (a limit of {limit} lists no task); set one up to {} or none",
            probe.default_limit
        ));
    }
    Ok(())
}

async fn first_page(builder: ListTasks<'_>) -> Result<(ListTasksResponse, Plan), Error> {
    let probe = PagingProbe {
        default_limit: max_limit(),
        sent: None,
    };
    let record = CallRecord {
        paging: Some(probe),
        ..CallRecord::default()
    };
    let (result, record) = call_record::recorded(record, builder.send()).await;
    let sent = record.paging.as_ref().and_then(|p| p.sent);
    let page = result
        .map_err(|e| Error::from_call(e, record, LIST_TASKS))?
        .into_inner();
    let (limit, base) = sent.unwrap_or((max_limit(), 0));
    let received = page.tasks.as_ref().map_or(0, Vec::len) as i64;
    let count = match page.count {
        Some(count) => i64::from(count),
        None if received < limit => base + received,
        None => {
            return Err(Error::incomplete(
                "the service sent no `count`, so the pages after the first cannot be planned"
                    .to_owned(),
            ));
        }
    };
    let plan = Plan::new(limit, base, count, max_offset());
    plan.check(&page, base)?;
    Ok((page, plan))
}

async fn next_page(
    builder: ListTasks<'_>,
    plan: Plan,
    offset: i64,
) -> Result<ListTasksResponse, Error> {
    // Both fit: the limit came from an i32 parameter and the offset is at most `max_offset`.
    let page = builder
        .limit(i32::try_from(plan.limit).unwrap_or(i32::MAX))
        .offset(i32::try_from(offset).unwrap_or(i32::MAX))
        .fetch()
        .await?
        .into_inner();
    plan.check(&page, offset)?;
    Ok(page)
}

impl Plan {
    /// The plan for pages of `limit` tasks from offset `base`, when `count` tasks match and the
    /// service pages no further than `max_offset`.
    fn new(limit: i64, base: i64, count: i64, max_offset: i64) -> Plan {
        let last_offset = (count - 1).min(max_offset);
        let later_pages = if last_offset < base + limit {
            0
        } else {
            (last_offset - base) / limit
        };
        Plan {
            limit,
            base,
            count,
            later_pages,
            max_offset,
        }
    }

    /// The page at `offset` must agree with the first page's count.
    fn check(&self, page: &ListTasksResponse, offset: i64) -> Result<(), Error> {
        let count = page.count.map(i64::from).unwrap_or(self.count);
        if count != self.count {
            return Err(Error::incomplete(format!(
                "the number of matching tasks changed from {} to {count} while listing (at offset {offset}), \
                 so tasks may have been missed or repeated: list again",
                self.count
            )));
        }
        let received = page.tasks.as_ref().map_or(0, Vec::len) as i64;
        let expected = self.limit.min(self.count - offset).max(0);
        if received != expected {
            return Err(Error::incomplete(format!(
                "the page at offset {offset} has {received} tasks where a count of {} implies {expected}, \
                 so tasks may have been missed or repeated: list again",
                self.count
            )));
        }
        Ok(())
    }

    /// The error that ends the stream when tasks lie beyond the offset ceiling.
    fn unreachable(&self) -> Option<Error> {
        let reachable_end = (self.base + (self.later_pages + 1) * self.limit).min(self.count);
        let unreachable = self.count - reachable_end;
        (unreachable > 0).then(|| {
            Error::incomplete(format!(
                "{unreachable} of the {} matching tasks lie beyond offset {}, the furthest the service pages to, \
                 and were not listed: narrow the filters (state, name, source server) to reach them",
                self.count, self.max_offset
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settled(query: &str) -> (Result<(), String>, Option<(i64, i64)>, String) {
        let mut url: reqwest::Url = format!("https://h/v3/tasks?{query}").parse().unwrap();
        let mut probe = PagingProbe {
            default_limit: 200,
            sent: None,
        };
        let result = settle_first_page(&mut url, &mut probe);
        (
            result,
            probe.sent,
            url.query().unwrap_or_default().to_owned(),
        )
    }

    #[test]
    fn the_first_page_gets_the_largest_limit_unless_it_has_one() {
        assert_eq!(
            settled("state=READY"),
            (Ok(()), Some((200, 0)), "state=READY&limit=200".to_owned())
        );
        assert_eq!(
            settled("limit=50&offset=10"),
            (Ok(()), Some((50, 10)), "limit=50&offset=10".to_owned())
        );
        let (refused, _, _) = settled("limit=0");
        assert!(
            refused
                .unwrap_err()
                .starts_with("parameter `limit` must be at least 1 to page")
        );
    }

    #[test]
    fn plans_count_the_pages_and_the_unreachable_tasks() {
        assert_eq!(Plan::new(200, 0, 1000, 65_535).later_pages, 4);
        assert_eq!(Plan::new(200, 0, 1001, 65_535).later_pages, 5);
        assert_eq!(Plan::new(200, 0, 200, 65_535).later_pages, 0);
        assert_eq!(Plan::new(200, 0, 0, 65_535).later_pages, 0);
        assert_eq!(
            Plan::new(7, 3, 20, 65_535).later_pages,
            2,
            "offsets 3, 10, 17"
        );
        // Pages of 200: the last offset is 65400, whose page ends at 65599.
        assert!(Plan::new(200, 0, 65_600, 65_535).unreachable().is_none());
        let one_over = Plan::new(200, 0, 65_601, 65_535).unreachable().unwrap();
        assert!(
            one_over
                .to_string()
                .contains("1 of the 65601 matching tasks lie beyond offset 65535"),
            "{one_over}"
        );
        let far = Plan::new(100, 0, 70_000, 65_535);
        assert_eq!(far.later_pages, 655, "the last offset is 65500");
        let error = far.unreachable().unwrap();
        assert!(
            error
                .to_string()
                .contains("4400 of the 70000 matching tasks lie beyond offset 65535"),
            "{error}"
        );
    }
}
