//! What a client tells whoever watches it run unattended: its credentials source failing and
//! recovering, credentials refreshed, its clock corrected to the gateway's. Delivered to the
//! callback given to [`ClientBuilder::on_event`](crate::client::ClientBuilder::on_event), on
//! the task where it happened; counted in [`Client::traffic`](crate::Client::traffic).
//!
//! This module depends only on the credentials' error type.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use crate::error::CredentialsError;

/// Something a long-running client should be seen doing.
///
/// ```
/// use sms_api::{Client, Credentials, event::Event};
///
/// let client = Client::builder()
///     .region("cn-north-4")
///     .credentials(Credentials::from_ecs_metadata())
///     .on_event(|event| match event {
///         Event::CredentialsSourceFailing { source, error, .. } => eprintln!("{source} is failing: {error}"),
///         Event::CredentialsSourceRecovered { source, outage, .. } => eprintln!("{source} is back after {outage:?}"),
///         other => eprintln!("{other}"),
///     })
///     .build();
/// # let _ = client;
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// New temporary credentials arrived from their source.
    CredentialsRefreshed {
        /// Where they came from.
        source: String,
        /// The access key (not a secret).
        access_key: String,
        /// When they expire, by the cloud's clock.
        expires_at: Option<SystemTime>,
    },
    /// The source of temporary credentials failed for the first time since it last answered.
    /// Requests go on with the current credentials while they are valid; the client asks the
    /// source again after a back-off.
    CredentialsSourceFailing {
        /// The source.
        source: String,
        /// What it said, or that it did not answer in time.
        error: CredentialsError,
        /// Whether usable credentials remain (requests go on meanwhile).
        still_valid: bool,
    },
    /// The source answered again after failing.
    CredentialsSourceRecovered {
        /// The source.
        source: String,
        /// Failed refreshes in a row before this one.
        failures: u32,
        /// From its first failure to now.
        outage: Duration,
    },
    /// The gateway refused a signature as expired and its own time differs from this host's:
    /// from now on every signature of the client and its clones is dated by the gateway's time.
    ClockSkewCorrected {
        /// The gateway's clock minus this host's, in milliseconds (negative: the gateway is
        /// behind).
        skew_millis: i64,
    },
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::CredentialsRefreshed {
                source, access_key, ..
            } => write!(f, "credentials refreshed from {source} ({access_key})"),
            Event::CredentialsSourceFailing {
                source,
                error,
                still_valid,
            } => {
                let meanwhile = if *still_valid {
                    "the current credentials are still valid"
                } else {
                    "no valid credentials remain"
                };
                write!(f, "{source} is failing ({meanwhile}): {error}")
            }
            Event::CredentialsSourceRecovered {
                source,
                failures,
                outage,
            } => write!(
                f,
                "{source} answers again after {failures} failed refreshes ({}s)",
                outage.as_secs()
            ),
            Event::ClockSkewCorrected { skew_millis } => {
                let (way, by) = if *skew_millis < 0 {
                    ("behind", -skew_millis)
                } else {
                    ("ahead of", *skew_millis)
                };
                write!(
                    f,
                    "the gateway's clock is {:.1}s {way} this host's: signatures are dated by the gateway's time",
                    by as f64 / 1000.0
                )
            }
        }
    }
}

/// What [`ClientBuilder::on_event`](crate::client::ClientBuilder::on_event) is given.
pub(crate) type Callback = Arc<dyn Fn(&Event) + Send + Sync>;

/// A client's event callback and counts, shared by its clones.
#[derive(Clone, Default)]
pub(crate) struct Events {
    callback: Option<Callback>,
    counts: Arc<Counts>,
}

#[derive(Default)]
struct Counts {
    refreshes: AtomicU64,
    source_failures: AtomicU64,
}

impl Events {
    pub(crate) fn new(callback: Option<Callback>) -> Self {
        Events {
            callback,
            counts: Arc::default(),
        }
    }

    /// Counts `event` and hands it to the callback.
    pub(crate) fn emit(&self, event: Event) {
        if matches!(event, Event::CredentialsRefreshed { .. }) {
            self.counts.refreshes.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(callback) = &self.callback {
            callback(&event);
        }
    }

    /// Counts one failed refresh (the first of a run is also an event).
    pub(crate) fn count_failure(&self) {
        self.counts.source_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// Refreshes that succeeded, and those that failed.
    pub(crate) fn counts(&self) -> (u64, u64) {
        (
            self.counts.refreshes.load(Ordering::Relaxed),
            self.counts.source_failures.load(Ordering::Relaxed),
        )
    }
}

impl fmt::Debug for Events {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Events")
            .field("callback", &self.callback.is_some())
            .finish_non_exhaustive()
    }
}
