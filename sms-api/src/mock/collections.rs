//! Every operation of the spec that the task state (`task_state.rs`) does not answer, served
//! from what the spec says, so that an operation added to it is served with no Rust written:
//!
//! - a paginated listing ([`LISTINGS`], from `x-pagination`) from its items, filtered as its
//!   parameters' `x-filter-field`s say and paged by its limit and offset, like ListTasks;
//! - a `GET` of one item, its path the listing's with one parameter after it
//!   (`/v3/sources/{source_id}`), the listed item whose `id` is that parameter, or the
//!   operation's documented 404 when there is none; a `DELETE` of that path removes the item;
//! - anything else: its documented success example, or its declared 2xx status with no body
//!   when the spec declares that response without content.
//!
//! How each operation is answered is decided from the spec by the generator
//! ([`FAKE_ANSWERS`]); `cargo xtask validate` warns of an operation it cannot answer, which gets
//! a 501 that says so.
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
use crate::generated::query_parameters::{FAKE_ANSWERS, LISTINGS};
use crate::types::DOCUMENTED_EXAMPLES;

/// How the fake answers one operation (generated into [`FAKE_ANSWERS`] from the spec).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// Which variants the table holds depends on the spec.
#[allow(dead_code)]
pub(crate) enum FakeAnswer {
    /// Pages and filters the listing's items.
    List,
    /// The item of `listing` whose `id` is the one path parameter.
    Show { listing: &'static str },
    /// Removes the item of `listing` whose `id` is the one path parameter, answering `status`.
    Remove { listing: &'static str, status: u16 },
    /// The documented 2xx example.
    Example,
    /// `status`, with no body.
    Empty { status: u16 },
}

/// Where the fake keeps the items of its listings.
pub(crate) trait ItemStore {
    /// The items `listing` serves now.
    fn items(&self, listing: &Listing) -> Vec<Value>;
    /// Serves `items` for `listing` from now on.
    fn replace(&self, listing: &Listing, items: Vec<Value>);
}

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

    /// The answer to `route`, the items of each listing kept in `store`.
    pub(crate) fn answer(
        route: &Route,
        request: &Request,
        store: &dyn ItemStore,
    ) -> (u16, Vec<u8>) {
        let operation_id = route.facts.operation_id;
        let answer = FAKE_ANSWERS
            .iter()
            .find(|(id, _)| *id == operation_id)
            .map(|(_, answer)| *answer);
        let listing_of = |id: &str| LISTINGS.iter().find(|l| l.operation_id == id);
        let id = match route.path_parameters.as_slice() {
            [(_, id)] => Some(id.as_str()),
            _ => None,
        };
        match answer {
            Some(FakeAnswer::List) => match listing_of(operation_id) {
                Some(listing) => list(listing, &store.items(listing), request),
                None => cannot_answer(operation_id),
            },
            Some(FakeAnswer::Show { listing }) => match (listing_of(listing), id) {
                (Some(listing), Some(id)) => {
                    let items = store.items(listing);
                    match items.iter().find(|item| item.get("id") == Some(&json!(id))) {
                        Some(item) => json(200, item),
                        None => not_found(operation_id, id),
                    }
                }
                _ => cannot_answer(operation_id),
            },
            Some(FakeAnswer::Remove { listing, status }) => match (listing_of(listing), id) {
                (Some(listing), Some(id)) => remove(listing, id, status, operation_id, store),
                _ => cannot_answer(operation_id),
            },
            Some(FakeAnswer::Example) => {
                documented(operation_id, |status| (200..300).contains(&status))
                    .unwrap_or_else(|| cannot_answer(operation_id))
            }
            Some(FakeAnswer::Empty { status }) => (status, Vec::new()),
            None => cannot_answer(operation_id),
        }
    }
}

/// Removes the item `id` of `listing`, answering `status` with its documented example (or no
/// body), or the operation's 404 when there is no such item.
fn remove(
    listing: &Listing,
    id: &str,
    status: u16,
    operation_id: &str,
    store: &dyn ItemStore,
) -> (u16, Vec<u8>) {
    let mut items = store.items(listing);
    let before = items.len();
    items.retain(|item| item.get("id") != Some(&json!(id)));
    if items.len() == before {
        return not_found(operation_id, id);
    }
    store.replace(listing, items);
    documented(operation_id, |s| s == status).unwrap_or((status, Vec::new()))
}

/// The operation's documented 404, or the service's usual one, for the item `id`.
fn not_found(operation_id: &str, id: &str) -> (u16, Vec<u8>) {
    documented(operation_id, |status| status == 404).unwrap_or_else(|| {
        json(
            404,
            &json!({"error_code": "SMS.2252", "error_msg": format!("`{id}` does not exist")}),
        )
    })
}

/// The 501 for an operation the spec gives the fake nothing to answer with (validate warns).
fn cannot_answer(operation_id: &str) -> (u16, Vec<u8>) {
    json(
        501,
        &json!({"error_code": "SMS.0007", "error_msg": format!(
            "the fake service cannot answer `{operation_id}`: the spec declares it no pagination, it shows or removes no listed item, and its 2xx response has content but no example (cargo xtask validate says so)"
        )}),
    )
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

/// The operation's documented example of a status `wanted` accepts, as an answer.
fn documented(operation_id: &str, wanted: impl Fn(u16) -> bool) -> Option<(u16, Vec<u8>)> {
    DOCUMENTED_EXAMPLES
        .iter()
        .find(|e| e.operation_id == operation_id && wanted(e.status))
        .map(|e| (e.status, e.json.as_bytes().to_vec()))
}
