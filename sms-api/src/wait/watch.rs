//! Watching a listing: every item of a paginated operation, polled through the paginator at an
//! interval, and what changed between two looks: an item appeared, disappeared, or one of the
//! fields the spec names (`x-watch`) changed, with the previous and the new values. Memory
//! holds one look: each item's key and watched fields.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use futures_util::{Stream, StreamExt, TryStreamExt, stream};
use serde_json::Value;

use super::outage::Outage;
use super::waiter::DEFAULT_MAX_OUTAGE;
use super::watched_field;
use crate::error::Error;
use crate::paging::{PaginateExt, Paginated};

/// A paginated operation the spec says how to watch (`x-watch`): implemented by the build
/// script.
pub trait Watched: Paginated + Sync {
    /// The item field that identifies an item.
    const KEY: &'static str;
    /// The item fields whose changes a watch reports: a field (`state`), or a member of each
    /// element of a list keyed by another member (`sub_tasks[name].progress`).
    const FIELDS: &'static [&'static str];
}

/// `watch()` for every watched operation: `use sms_api::prelude::*;` brings it.
pub trait WatchExt: Watched {
    /// A watch of every item this request lists, polled every `interval`.
    ///
    /// ```no_run
    /// # async fn run(client: sms_api::Client) -> Result<(), sms_api::Error> {
    /// use std::time::Duration;
    /// use futures_util::TryStreamExt;
    /// use sms_api::prelude::*;
    /// use sms_api::wait::WatchEvent;
    ///
    /// let mut events = client.list_tasks().watch(Duration::from_secs(30)).events();
    /// while let Some(event) = events.try_next().await? {
    ///     if let WatchEvent::Changed { key, changes, .. } = event {
    ///         for change in changes {
    ///             println!("{key}: {} {} -> {}", change.field, change.previous, change.new);
    ///         }
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    fn watch(self, interval: Duration) -> Watch<Self> {
        Watch {
            operation: self,
            interval,
            report_initial: false,
            max_outage: DEFAULT_MAX_OUTAGE,
            max_failed_polls: None,
            look_deadline: None,
        }
    }
}

impl<O: Watched> WatchExt for O {}

/// A watch of a listing; [`events`](Self::events) runs it.
#[must_use]
#[derive(Debug)]
pub struct Watch<O> {
    operation: O,
    interval: Duration,
    report_initial: bool,
    max_outage: Duration,
    max_failed_polls: Option<u32>,
    look_deadline: Option<Duration>,
}

/// One change of a watched field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    /// The field: its name in the spec (`state`), or, for an element of a keyed list, the list,
    /// the element's key and the member (`sub_tasks[MIGRATE_LINUX_FILE].progress`; see
    /// [`element_of`](super::element_of)).
    pub field: String,
    /// Its value at the previous look (`null` when absent).
    pub previous: Value,
    /// Its value now.
    pub new: Value,
}

/// What a watch saw.
#[derive(Debug)]
#[non_exhaustive]
pub enum WatchEvent<I> {
    /// An item that the previous look did not list (every item of the first look, with
    /// [`report_initial`](Watch::report_initial)).
    Appeared {
        /// The item's key (`x-watch`'s `key` field).
        key: String,
        /// The item as listed.
        item: I,
    },
    /// An item the previous look listed and this one does not.
    Disappeared {
        /// The item's key.
        key: String,
        /// Its watched fields at the previous look.
        last: BTreeMap<String, Value>,
    },
    /// An item whose watched fields changed.
    Changed {
        /// The item's key.
        key: String,
        /// The item as listed now.
        item: I,
        /// Every watched field that changed.
        changes: Vec<FieldChange>,
    },
    /// A look is complete.
    Looked {
        /// 1 for the first look.
        number: u64,
        /// Items it listed.
        items: usize,
    },
    /// A look failed; the watch goes on at the next interval.
    LookFailed {
        /// Why.
        error: Error,
        /// Failed looks in a row, this one included.
        failed_in_a_row: u32,
    },
}

impl<O: Watched> Watch<O>
where
    O::Item: serde::Serialize + 'static,
    O::Response: 'static,
{
    /// Report every item of the first look as [`WatchEvent::Appeared`] (default: the first
    /// look is the baseline, and only changes after it are reported).
    pub fn report_initial(mut self, report: bool) -> Self {
        self.report_initial = report;
        self
    }

    /// How long looks may keep failing before the watch ends with the last error (default
    /// [`DEFAULT_MAX_OUTAGE`](super::DEFAULT_MAX_OUTAGE), 15 minutes), from the start of the
    /// first failed look of a run; each failed look is reported as
    /// [`WatchEvent::LookFailed`] meanwhile.
    pub fn max_outage(mut self, outage: Duration) -> Self {
        self.max_outage = outage;
        self
    }

    /// The longest one look (a whole listing) may take: a look past it fails with an error of
    /// kind [`Timeout`](crate::ErrorKind::Timeout) that says how far it got, reported as
    /// [`WatchEvent::LookFailed`], and the watch goes on (by default a look is bounded only by
    /// each call's operation timeout and its re-fetches).
    ///
    /// ```no_run
    /// # fn f(client: sms_api::Client) {
    /// use std::time::Duration;
    /// use sms_api::prelude::*;
    ///
    /// let watch = client.list_tasks().watch(Duration::from_secs(30)).look_deadline(Duration::from_secs(10));
    /// # let _ = watch;
    /// # }
    /// ```
    pub fn look_deadline(mut self, deadline: Duration) -> Self {
        self.look_deadline = Some(deadline);
        self
    }

    /// Also end the watch after this many failed looks in a row, however short the outage (by
    /// default there is no such count).
    pub fn max_failed_polls(mut self, looks: u32) -> Self {
        self.max_failed_polls = Some(looks.max(1));
        self
    }

    /// The events, forever (until dropped, or looks that keep failing for longer than
    /// [`max_outage`](Self::max_outage) end it with their error).
    pub fn events(self) -> impl Stream<Item = Result<WatchEvent<O::Item>, Error>> + Send + Unpin {
        let outage = Outage::new(self.max_outage, self.max_failed_polls);
        let state = State {
            watch: self,
            previous: None,
            labels: HashSet::new(),
            number: 0,
            outage,
            done: false,
        };
        Box::pin(
            stream::unfold(state, |mut state| async move {
                if state.done {
                    return None;
                }
                if state.number > 0 {
                    tokio::time::sleep(state.watch.interval).await;
                }
                state.number += 1;
                let events = state.look().await;
                Some((stream::iter(events), state))
            })
            .flatten(),
        )
    }
}

/// One look: each item's key, and its watched fields, labelled (each label one shared string,
/// interned across looks: 20,000 tasks share the seven of their subtasks' names), in the order
/// of `Watched::FIELDS`.
type Look = HashMap<Box<str>, Vec<(Arc<str>, Value)>>;

struct State<O> {
    watch: Watch<O>,
    previous: Option<Look>,
    /// Every label seen, once.
    labels: HashSet<Arc<str>>,
    number: u64,
    /// The current run of failed looks.
    outage: Outage,
    done: bool,
}

impl<O: Watched> State<O>
where
    O::Item: serde::Serialize + 'static,
    O::Response: 'static,
{
    /// One look, and what it saw.
    async fn look(&mut self) -> Vec<Result<WatchEvent<O::Item>, Error>> {
        let started = tokio::time::Instant::now();
        let mut paginator = self.watch.operation.clone().paginate();
        if let Some(deadline) = self.watch.look_deadline {
            paginator = paginator.deadline(deadline);
        }
        // Compared as the items arrive: memory holds the pages in flight and this look's
        // labelled fields, not the whole listing.
        let mut items = paginator.by_item();
        let mut count = 0;
        let mut events = Vec::new();
        let mut now: Look = HashMap::new();
        let mut before = self.previous.take();
        loop {
            let item = match items.try_next().await {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(error) => {
                    // The look failed: the previous one stays the baseline.
                    self.previous = before;
                    self.outage.failed(started);
                    if self.outage.exceeded() {
                        self.done = true;
                        return vec![Err(error)];
                    }
                    return vec![Ok(WatchEvent::LookFailed {
                        error,
                        failed_in_a_row: self.outage.in_a_row,
                    })];
                }
            };
            count += 1;
            let json = serde_json::to_value(&item).unwrap_or_default();
            let mut key = match json.get(O::KEY) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => continue,
                Some(other) => other.to_string(),
            };
            // A key listed twice (the service should not, but its documented example does):
            // the second is `key#2`, and so on, so that neither looks new at every look.
            if now.contains_key(key.as_str()) {
                let base = key.clone();
                let mut n = 2;
                while now.contains_key(key.as_str()) {
                    key = format!("{base}#{n}");
                    n += 1;
                }
            }
            let fields: Vec<(Arc<str>, Value)> = watched_field::values(&json, O::FIELDS)
                .into_iter()
                .map(|(label, value)| (intern(&mut self.labels, label), value))
                .collect();
            match before.as_mut().map(|p| p.remove(key.as_str())) {
                // The first look: the baseline.
                None if self.watch.report_initial => events.push(Ok(WatchEvent::Appeared {
                    key: key.clone(),
                    item,
                })),
                None => {}
                Some(None) => events.push(Ok(WatchEvent::Appeared {
                    key: key.clone(),
                    item,
                })),
                Some(Some(before)) => {
                    let changes = changes(before, &fields);
                    if !changes.is_empty() {
                        events.push(Ok(WatchEvent::Changed {
                            key: key.clone(),
                            item,
                            changes,
                        }));
                    }
                }
            }
            now.insert(key.into_boxed_str(), fields);
        }
        self.outage.recovered();
        if let Some(gone) = before {
            let mut gone: Vec<_> = gone.into_iter().collect();
            gone.sort_by(|a, b| a.0.cmp(&b.0));
            for (key, fields) in gone {
                events.push(Ok(WatchEvent::Disappeared {
                    key: key.into_string(),
                    last: fields
                        .into_iter()
                        .map(|(label, value)| (label.to_string(), value))
                        .collect(),
                }));
            }
        }
        events.push(Ok(WatchEvent::Looked {
            number: self.number,
            items: count,
        }));
        self.previous = Some(now);
        events
    }
}

/// `label`, as the one shared string for it.
fn intern(labels: &mut HashSet<Arc<str>>, label: String) -> Arc<str> {
    if let Some(known) = labels.get(label.as_str()) {
        return known.clone();
    }
    let label: Arc<str> = Arc::from(label);
    labels.insert(label.clone());
    label
}

/// What changed from `before` to `now`: each label whose value differs, in the order of `now`,
/// then the labels that are gone (an element no longer listed), to `null`.
fn changes(before: Vec<(Arc<str>, Value)>, now: &[(Arc<str>, Value)]) -> Vec<FieldChange> {
    let mut before: Vec<Option<(Arc<str>, Value)>> = before.into_iter().map(Some).collect();
    let mut changes = Vec::new();
    for (label, new) in now {
        let previous = before
            .iter_mut()
            .find(|entry| entry.as_ref().is_some_and(|(l, _)| l == label))
            .and_then(Option::take)
            .map_or(Value::Null, |(_, value)| value);
        if &previous != new {
            changes.push(FieldChange {
                field: label.to_string(),
                previous,
                new: new.clone(),
            });
        }
    }
    for (label, previous) in before.into_iter().flatten() {
        if previous != Value::Null {
            changes.push(FieldChange {
                field: label.to_string(),
                previous,
                new: Value::Null,
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labelled(entries: &[(&str, Value)]) -> Vec<(Arc<str>, Value)> {
        entries
            .iter()
            .map(|(l, v)| (Arc::from(*l), v.clone()))
            .collect()
    }

    #[test]
    fn labels_are_interned_once() {
        let mut labels = HashSet::new();
        let a = intern(&mut labels, "sub_tasks[SSL_CONFIG].progress".to_owned());
        let b = intern(&mut labels, "sub_tasks[SSL_CONFIG].progress".to_owned());
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(labels.len(), 1);
    }

    #[test]
    fn changes_follow_labels_new_ones_and_gone_ones() {
        let before = labelled(&[
            ("state", json!("RUNNING")),
            ("sub_tasks[SSL_CONFIG].progress", json!(60)),
        ]);
        let now = labelled(&[
            ("state", json!("RUNNING")),
            ("sub_tasks[SSL_CONFIG].progress", json!(100)),
            ("sub_tasks[ATTACH_AGENT_IMAGE].progress", json!(5)),
        ]);
        let found: Vec<(String, Value, Value)> = changes(before, &now)
            .into_iter()
            .map(|c| (c.field, c.previous, c.new))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "sub_tasks[SSL_CONFIG].progress".into(),
                    json!(60),
                    json!(100)
                ),
                (
                    "sub_tasks[ATTACH_AGENT_IMAGE].progress".into(),
                    Value::Null,
                    json!(5)
                ),
            ]
        );
        let gone = changes(now.clone(), &now[..1]);
        assert_eq!(gone.len(), 2);
        assert!(gone.iter().all(|c| c.new == Value::Null));
    }
}
