//! Watching a listing: every item of a paginated operation, polled through the paginator at an
//! interval, and what changed between two looks: an item appeared, disappeared, or one of the
//! fields the spec names (`x-watch`) changed, with the previous and the new values. Memory
//! holds one look: each item's key and watched fields, compactly (`kept_values.rs`), and the
//! pages in flight ([`DEFAULT_CONCURRENCY`](crate::paging::DEFAULT_CONCURRENCY) of them); each
//! change is yielded as its item arrives.

use std::collections::{BTreeMap, HashMap};
use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt, TryStreamExt, stream};
use serde_json::Value;

use super::kept_values::{Fields, Interned, Kept};
use super::outage::Outage;
use super::waiter::DEFAULT_MAX_OUTAGE;
use super::watched_field;
use crate::error::Error;
use crate::paging::{DEFAULT_CONCURRENCY, PaginateExt, Paginated};

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
    /// [`max_outage`](Self::max_outage) end it with their error). Each change is yielded as
    /// soon as its item arrives, not when the look ends: memory holds the pages in flight
    /// and what the watch keeps of each item, not the changed items of a whole look.
    pub fn events<'w>(
        self,
    ) -> impl Stream<Item = Result<WatchEvent<O::Item>, Error>> + Send + Unpin + 'w
    where
        O: 'w,
    {
        let outage = Outage::new(self.max_outage, self.max_failed_polls);
        let state: State<'w, O> = State {
            watch: self,
            previous: None,
            interned: Interned::default(),
            number: 0,
            outage,
            done: false,
            looking: None,
        };
        Box::pin(
            stream::unfold(state, |mut state| async move {
                let events = state.next_events().await?;
                Some((stream::iter(events), state))
            })
            .flatten(),
        )
    }
}

/// What a watch keeps of a look: each item's key, and its watched fields.
type Look = HashMap<Box<str>, Fields>;

/// The items of a look, as they arrive.
type Items<'w, I> = Pin<Box<dyn Stream<Item = Result<I, Error>> + Send + 'w>>;

struct State<'w, O: Watched> {
    watch: Watch<O>,
    /// The last complete look: the baseline a look is compared with.
    previous: Option<Look>,
    interned: Interned,
    number: u64,
    /// The current run of failed looks.
    outage: Outage,
    done: bool,
    looking: Option<Looking<'w, O::Item>>,
}

/// A look under way.
struct Looking<'w, I> {
    items: Items<'w, I>,
    started: tokio::time::Instant,
    /// What the baseline holds of the items not listed yet in this look.
    before: Option<Look>,
    now: Look,
    count: usize,
}

impl<'w, O: Watched + 'w> State<'w, O>
where
    O::Item: serde::Serialize + 'static,
    O::Response: 'static,
{
    /// The next events: one change as its item arrives, or the end of a look (what
    /// disappeared, then `Looked`), or a failed look; `None` once the watch has ended.
    async fn next_events(&mut self) -> Option<Vec<Result<WatchEvent<O::Item>, Error>>> {
        loop {
            if self.done {
                return None;
            }
            if self.looking.is_none() {
                if self.number > 0 {
                    tokio::time::sleep(self.watch.interval).await;
                }
                self.number += 1;
                self.looking = Some(self.begin_look());
            }
            let looking = self.looking.as_mut()?;
            match looking.items.try_next().await {
                Ok(Some(item)) => {
                    if let Some(event) = self.compare(item) {
                        return Some(vec![Ok(event)]);
                    }
                }
                Ok(None) => return Some(self.end_look()),
                Err(error) => return Some(self.look_failed(error)),
            }
        }
    }

    fn begin_look(&mut self) -> Looking<'w, O::Item> {
        // A fixed number of pages in flight, not the paginator's adaptive one: a watch runs for
        // hours in the background, where what it holds matters more than how fast one look
        // goes (on loopback the adaptive window grew to 16-32 pages and doubled a look's peak
        // for no faster look: BENCHMARKS.md).
        let mut paginator = self
            .watch
            .operation
            .clone()
            .paginate()
            .concurrency(DEFAULT_CONCURRENCY);
        if let Some(deadline) = self.watch.look_deadline {
            paginator = paginator.deadline(deadline);
        }
        let before = self.previous.take();
        let capacity = before.as_ref().map_or(0, HashMap::len);
        Looking {
            items: Box::pin(paginator.by_item()),
            started: tokio::time::Instant::now(),
            before,
            now: HashMap::with_capacity(capacity),
            count: 0,
        }
    }

    /// Compares an item with what the baseline kept of it, and keeps it for the next look.
    fn compare(&mut self, item: O::Item) -> Option<WatchEvent<O::Item>> {
        let looking = self.looking.as_mut()?;
        looking.count += 1;
        let json = serde_json::to_value(&item).unwrap_or_default();
        let mut key = match json.get(O::KEY) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => return None,
            Some(other) => other.to_string(),
        };
        // A key listed twice (the service should not, but its documented example does): the
        // second is `key#2`, and so on, so that neither looks new at every look.
        if looking.now.contains_key(key.as_str()) {
            let base = key.clone();
            let mut n = 2;
            while looking.now.contains_key(key.as_str()) {
                key = format!("{base}#{n}");
                n += 1;
            }
        }
        let interned = &mut self.interned;
        let mut fields = Vec::with_capacity(O::FIELDS.len());
        watched_field::visit(&json, O::FIELDS, |label, value| {
            fields.push((interned.label(&label), interned.keep(value)));
        });
        let fields: Fields = fields.into_boxed_slice();
        let event = match looking.before.as_mut().map(|p| p.remove(key.as_str())) {
            // The first look: the baseline.
            None if self.watch.report_initial => Some(WatchEvent::Appeared {
                key: key.clone(),
                item,
            }),
            None => None,
            Some(None) => Some(WatchEvent::Appeared {
                key: key.clone(),
                item,
            }),
            Some(Some(before)) => {
                let changes = changes(&before, &fields, interned);
                (!changes.is_empty()).then(|| WatchEvent::Changed {
                    key: key.clone(),
                    item,
                    changes,
                })
            }
        };
        looking.now.insert(key.into_boxed_str(), fields);
        event
    }

    /// The look is complete: what disappeared (in key order), then `Looked`.
    fn end_look(&mut self) -> Vec<Result<WatchEvent<O::Item>, Error>> {
        let Some(looking) = self.looking.take() else {
            return Vec::new();
        };
        self.outage.recovered();
        let mut events = Vec::new();
        if let Some(gone) = looking.before {
            let mut gone: Vec<_> = gone.into_iter().collect();
            gone.sort_by(|a, b| a.0.cmp(&b.0));
            for (key, fields) in gone {
                events.push(Ok(WatchEvent::Disappeared {
                    key: key.into_string(),
                    last: fields
                        .iter()
                        .map(|(label, value)| {
                            (
                                self.interned.label_text(*label).to_owned(),
                                value.to_value(),
                            )
                        })
                        .collect(),
                }));
            }
        }
        events.push(Ok(WatchEvent::Looked {
            number: self.number,
            items: looking.count,
        }));
        self.previous = Some(looking.now);
        events
    }

    /// The look failed part way. The baseline becomes what the watch has reported: the items
    /// this look compared (their changes were yielded) and, for the rest, the previous look.
    fn look_failed(&mut self, error: Error) -> Vec<Result<WatchEvent<O::Item>, Error>> {
        let Some(looking) = self.looking.take() else {
            return Vec::new();
        };
        self.previous = match looking.before {
            Some(mut rest) => {
                rest.extend(looking.now);
                Some(rest)
            }
            // A first look that failed: a baseline only if its items were reported.
            None => self.watch.report_initial.then_some(looking.now),
        };
        self.outage.failed(looking.started);
        if self.outage.exceeded() {
            self.done = true;
            return vec![Err(error)];
        }
        vec![Ok(WatchEvent::LookFailed {
            error,
            failed_in_a_row: self.outage.in_a_row,
        })]
    }
}

/// What changed from `before` to `now`: each label whose value differs, in the order of `now`,
/// then the labels that are gone (an element no longer listed), to `null`.
fn changes(before: &[(u32, Kept)], now: &[(u32, Kept)], interned: &Interned) -> Vec<FieldChange> {
    let mut matched = vec![false; before.len()];
    let mut changes = Vec::new();
    for (label, new) in now {
        let previous = before
            .iter()
            .enumerate()
            .find(|(i, (l, _))| !matched[*i] && l == label)
            .map(|(i, (_, value))| {
                matched[i] = true;
                value
            });
        if previous != Some(new) && !(previous.is_none() && *new == Kept::Null) {
            changes.push(FieldChange {
                field: interned.label_text(*label).to_owned(),
                previous: previous.map_or(Value::Null, Kept::to_value),
                new: new.to_value(),
            });
        }
    }
    for ((label, previous), matched) in before.iter().zip(matched) {
        if !matched && *previous != Kept::Null {
            changes.push(FieldChange {
                field: interned.label_text(*label).to_owned(),
                previous: previous.to_value(),
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

    fn kept(interned: &mut Interned, entries: &[(&str, Value)]) -> Fields {
        entries
            .iter()
            .map(|(l, v)| {
                let label = match watched_field::keyed(l) {
                    None => watched_field::Label::Plain(l),
                    Some((list, key, member)) => watched_field::Label::Keyed {
                        list,
                        key: key.into(),
                        member,
                    },
                };
                (interned.label(&label), interned.keep(v))
            })
            .collect()
    }

    #[test]
    fn changes_follow_labels_new_ones_and_gone_ones() {
        let mut interned = Interned::default();
        let before = kept(
            &mut interned,
            &[
                ("state", json!("RUNNING")),
                ("sub_tasks[SSL_CONFIG].progress", json!(60)),
            ],
        );
        let now = kept(
            &mut interned,
            &[
                ("state", json!("RUNNING")),
                ("sub_tasks[SSL_CONFIG].progress", json!(100)),
                ("sub_tasks[ATTACH_AGENT_IMAGE].progress", json!(5)),
            ],
        );
        let found: Vec<(String, Value, Value)> = changes(&before, &now, &interned)
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
        let gone = changes(&now, &now[..1], &interned);
        assert_eq!(gone.len(), 2);
        assert!(gone.iter().all(|c| c.new == Value::Null));
        // A field that appears as null was null before: no change.
        let null = kept(&mut interned, &[("migrate_speed", Value::Null)]);
        assert!(changes(&[], &null, &interned).is_empty());
    }
}
