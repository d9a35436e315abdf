//! Every operation of the spec that the task state (`task_state.rs`) does not answer, served
//! from what the spec says, so that an operation added to it is served with no Rust written:
//!
//! - a paginated listing ([`LISTINGS`], from `x-pagination`) from its items, filtered as its
//!   parameters' `x-filter-field`s say and paged by its limit and offset, like ListTasks;
//! - a `GET` of one item, its path the listing's with one parameter after it
//!   (`/v3/sources/{source_id}`), the listed item whose `id` is that parameter, or the
//!   operation's documented 404 when there is none;
//! - anything else: its documented success example, or a 501 that says the spec gives the fake
//!   nothing to answer with.
//!
//! A listing's items are its documented 200 example's until a test sets them
//! ([`FakeService::set_items`](super::FakeService::set_items)); the source servers follow the
//! tasks (`linked.rs`) until then.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::answer::json;
use super::listing::{Listing, ListingQuery, matches};
use super::loopback::Request;
use super::routes::Route;
use crate::generated::query_parameters::LISTINGS;
use crate::types::DOCUMENTED_EXAMPLES;

/// The items each listing serves, when a test set them.
#[derive(Debug, Default)]
pub(crate) struct Collections {
    set: HashMap<&'static str, Vec<Value>>,
}

impl Collections {
    /// Serves `items` for the listing `operation_id` from now on.
    pub(crate) fn set(&mut self, operation_id: &'static str, items: Vec<Value>) {
        self.set.insert(operation_id, items);
    }

    /// The items a test set for `operation_id`, if it set them.
    pub(crate) fn items(&self, operation_id: &str) -> Option<&[Value]> {
        self.set.get(operation_id).map(Vec::as_slice)
    }

    /// The answer to `route`, given the items of each listing (`items_of`: a test's, the
    /// tasks', or the documented example's).
    pub(crate) fn answer(
        route: &Route,
        request: &Request,
        items_of: &dyn Fn(&Listing) -> Vec<Value>,
    ) -> (u16, Vec<u8>) {
        let operation_id = route.facts.operation_id;
        if let Some(listing) = LISTINGS.iter().find(|l| l.operation_id == operation_id) {
            return list(listing, &items_of(listing), request);
        }
        if let Some((listing, id)) = shown_item(route) {
            let items = items_of(listing);
            return match items.iter().find(|item| item.get("id") == Some(&json!(id))) {
                Some(item) => json(200, item),
                None => documented(operation_id, |status| status == 404).unwrap_or_else(|| {
                    json(
                        404,
                        &json!({"error_code": "SMS.2252", "error_msg": format!("`{id}` does not exist")}),
                    )
                }),
            };
        }
        documented(operation_id, |status| (200..300).contains(&status)).unwrap_or_else(|| {
            json(
                501,
                &json!({"error_code": "SMS.0007", "error_msg": format!(
                    "the fake service cannot answer `{operation_id}`: the spec declares it no pagination, it shows no listed item, and it documents no success example"
                )}),
            )
        })
    }
}

/// The listing's documented 200 items.
pub(crate) fn documented_items(listing: &Listing) -> Vec<Value> {
    DOCUMENTED_EXAMPLES
        .iter()
        .filter(|e| e.operation_id == listing.operation_id && e.status == 200)
        .find_map(|e| serde_json::from_str::<Value>(e.json).ok())
        .and_then(|page| page.get(listing.items)?.as_array().cloned())
        .unwrap_or_default()
}

/// A page of `items` as `request` asks for it.
fn list(listing: &Listing, items: &[Value], request: &Request) -> (u16, Vec<u8>) {
    let query = match ListingQuery::of(listing, request) {
        Ok(query) => query,
        Err(refused) => return refused,
    };
    let selected: Vec<&Value> = items
        .iter()
        .filter(|item| matches(item, &query.filters))
        .collect();
    let mut page = serde_json::Map::new();
    page.insert(listing.count.to_owned(), json!(selected.len()));
    let on_page: Vec<&Value> = selected
        .into_iter()
        .skip(query.offset)
        .take(query.limit)
        .collect();
    page.insert(listing.items.to_owned(), json!(on_page));
    json(200, &page)
}

/// The listing whose item `route` shows, and the item's id: a `GET` whose path is a listing's
/// and one parameter more.
fn shown_item(route: &Route) -> Option<(&'static Listing, &str)> {
    if !route.facts.method.eq_ignore_ascii_case("GET") {
        return None;
    }
    let (parent, last) = route.facts.path.rsplit_once('/')?;
    if !(last.starts_with('{') && last.ends_with('}')) {
        return None;
    }
    let listing = LISTINGS.iter().find(|l| l.path == parent)?;
    let [(_, id)] = route.path_parameters.as_slice() else {
        return None;
    };
    Some((listing, id.as_str()))
}

/// The operation's documented example of a status `wanted` accepts, as an answer.
fn documented(operation_id: &str, wanted: impl Fn(u16) -> bool) -> Option<(u16, Vec<u8>)> {
    DOCUMENTED_EXAMPLES
        .iter()
        .find(|e| e.operation_id == operation_id && wanted(e.status))
        .map(|e| (e.status, e.json.as_bytes().to_vec()))
}
