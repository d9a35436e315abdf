//! What the paginator needs to know of an operation, declared in the spec with
//! `x-pagination` and implemented by the build script (`codegen/src/render/pagination.rs`).

use crate::send::Operation;

/// An operation the spec marks as paginated with `x-pagination`: it names the limit and offset
/// query parameters and the count and items fields of the response. Implemented by the build
/// script; page through one with [`PaginateExt::paginate`](super::PaginateExt::paginate).
///
/// Its limits come from the spec (the `limit` and `offset` parameters' maximums), so a
/// program that plans requests reads them here rather than writing the numbers down:
///
/// ```
/// use sms_api::paging::Paginated;
///
/// type ListTasks<'a> = sms_api::builder::ListTasks<'a>;
/// // Requests a listing of 10,000 tasks takes at the default page size (the spec's maximum).
/// let page = <ListTasks<'_> as Paginated>::MAX_PAGE_SIZE;
/// let pages = (10_000 + page - 1) / page;
/// // The furthest page starts at the offset ceiling, so this many items can be reached.
/// let reach = <ListTasks<'_> as Paginated>::MAX_OFFSET + page;
/// println!("{pages} requests; at most {reach} tasks reachable");
/// ```
pub trait Paginated: Operation + Clone {
    /// One item of a page (`tasks` holds these for ListTasks).
    type Item: Send;
    /// The name of the limit (page size) query parameter.
    const LIMIT: &'static str;
    /// The name of the offset query parameter.
    const OFFSET: &'static str;
    /// The most items a page may hold: the limit parameter's maximum in the spec.
    const MAX_PAGE_SIZE: i64;
    /// The furthest offset the service pages to: the offset parameter's maximum in the spec.
    const MAX_OFFSET: i64;
    /// The same request for the page of `limit` items from `offset`.
    fn page(self, limit: i64, offset: i64) -> Self;
    /// The number of matching items the page reports, if it reports one.
    fn count(page: &Self::Response) -> Option<i64>;
    /// The number of items on the page.
    fn len(page: &Self::Response) -> usize;
    /// The items on the page.
    fn items(page: Self::Response) -> Vec<Self::Item>;
    /// The page with `items` in place of its own: a whole listing as one response.
    fn with_items(page: Self::Response, items: Vec<Self::Item>) -> Self::Response;
}
