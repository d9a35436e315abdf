//! A run of failed polls (or looks), measured in time: when it began, how many failed in a
//! row, and whether it has lasted longer than a wait or a watch rides out. One tracker for
//! both, on tokio's clock.

use std::time::Duration;

use tokio::time::Instant;

/// The failures of a wait or a watch so far.
#[derive(Debug)]
pub(crate) struct Outage {
    /// How long a run of failures is ridden out.
    limit: Duration,
    /// Failures in a row that end it however short the run (none by default).
    most_in_a_row: Option<u32>,
    /// When the first failed poll of the current run started.
    since: Option<Instant>,
    pub(crate) in_a_row: u32,
    pub(crate) failed: u32,
    pub(crate) longest: Duration,
}

impl Outage {
    pub(crate) fn new(limit: Duration, most_in_a_row: Option<u32>) -> Self {
        Outage {
            limit,
            most_in_a_row,
            since: None,
            in_a_row: 0,
            failed: 0,
            longest: Duration::ZERO,
        }
    }

    /// A poll that worked ends the run.
    pub(crate) fn recovered(&mut self) {
        self.in_a_row = 0;
        self.since = None;
    }

    /// A poll that began at `started` failed.
    pub(crate) fn failed(&mut self, started: Instant) {
        self.in_a_row += 1;
        self.failed += 1;
        self.since.get_or_insert(started);
        self.longest = self.longest.max(self.length());
    }

    /// How long the current run has lasted (zero when there is none).
    pub(crate) fn length(&self) -> Duration {
        self.since.map_or(Duration::ZERO, |since| since.elapsed())
    }

    /// Whether the current run has lasted past the limit, or failed too many times in a row.
    pub(crate) fn exceeded(&self) -> bool {
        self.since.is_some()
            && (self.length() >= self.limit
                || self.most_in_a_row.is_some_and(|most| self.in_a_row >= most))
    }

    /// The limit in time.
    pub(crate) fn limit(&self) -> Duration {
        self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[tokio::test(start_paused = true)]
    async fn a_run_is_measured_from_its_first_failure_and_ends_with_a_success() {
        let mut outage = Outage::new(10 * MIN, None);
        assert!(!outage.exceeded());
        outage.failed(Instant::now());
        tokio::time::sleep(6 * MIN).await;
        outage.failed(Instant::now());
        assert_eq!((outage.in_a_row, outage.length()), (2, 6 * MIN));
        assert!(!outage.exceeded());
        tokio::time::sleep(4 * MIN).await;
        outage.failed(Instant::now());
        assert!(outage.exceeded());
        assert_eq!(outage.longest, 10 * MIN);
        outage.recovered();
        assert_eq!(
            (outage.in_a_row, outage.length(), outage.failed),
            (0, Duration::ZERO, 3)
        );
        assert!(!outage.exceeded());
        let mut counted = Outage::new(10 * MIN, Some(2));
        counted.failed(Instant::now());
        counted.failed(Instant::now());
        assert!(counted.exceeded());
    }
}
