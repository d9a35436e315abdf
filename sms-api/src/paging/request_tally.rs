//! The requests a listing or a wait sent in all: every attempt of every fetch, re-fetches
//! included, shared between the place that sends and the one that reports.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A running count of requests sent, shared by clones. Not part of the API: the waiters and
/// the paginator hand it to each other.
///
/// ```
/// let tally = sms_api::paging::RequestTally::default();
/// assert_eq!(tally.get(), 0);
/// ```
#[doc(hidden)]
#[derive(Clone, Debug, Default)]
pub struct RequestTally(Arc<AtomicU64>);

impl RequestTally {
    /// Counts `requests` more.
    pub(crate) fn add(&self, requests: u64) {
        self.0.fetch_add(requests, Ordering::Relaxed);
    }

    /// The requests counted so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}
