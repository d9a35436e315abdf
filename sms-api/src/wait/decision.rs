//! What a wait does after a poll: a plain function of what the poll found, table-tested like
//! `send/decision.rs`. [`Waiter::wait`](super::Waiter::wait) polls, asks, and carries the answer
//! out (the messages, the sleep); nothing here sleeps or reads a clock.

use super::acceptor::State;

/// What a poll found that the decision needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PollFacts {
    /// The state the first matching acceptor gave, if one matched.
    pub(crate) state: Option<State>,
    /// Why the poll failed, if it did.
    pub(crate) failure: Option<Failure>,
    /// Whether the run of failed polls this one belongs to has lasted longer than the wait
    /// rides out.
    pub(crate) outage_exceeded: bool,
}

/// A failed poll, as far as waiting goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The gateway refused the caller (401, 403): another poll meets the same refusal.
    pub(crate) refused: bool,
    /// Another poll may not see it ([`Error::is_transient`](crate::Error::is_transient)).
    pub(crate) transient: bool,
}

/// What the wait does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// A success acceptor matched: the wait is over.
    Succeed,
    /// A failure acceptor matched: the wait ends with it.
    Fail,
    /// The poll failed in a way no acceptor matched, and waiting longer cannot help; `outage`
    /// when it is the run of failures that lasted too long.
    GiveUp {
        /// The run of failures outlasted the limit (rather than one failure being final).
        outage: bool,
    },
    /// Poll again, if the longest wait leaves time for it.
    PollAgain,
}

/// The decision after one poll.
pub(crate) fn decide(facts: PollFacts) -> Next {
    match facts.state {
        Some(State::Success) => return Next::Succeed,
        Some(State::Failure) => return Next::Fail,
        // An acceptor that matched an error decides for it (a retry acceptor on a 404 polls
        // again): only an unmatched failure can end the wait.
        Some(State::Retry) => return Next::PollAgain,
        None => {}
    }
    match facts.failure {
        Some(failure) if failure.refused || !failure.transient => Next::GiveUp { outage: false },
        Some(_) if facts.outage_exceeded => Next::GiveUp { outage: true },
        _ => Next::PollAgain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRANSIENT: Failure = Failure {
        refused: false,
        transient: true,
    };
    const FINAL: Failure = Failure {
        refused: false,
        transient: false,
    };
    const REFUSED: Failure = Failure {
        refused: true,
        transient: false,
    };

    #[test]
    fn each_poll_leads_to_one_next_step() {
        use State::{Failure as F, Retry, Success};
        // (state, failure, outage exceeded) -> next
        let table: &[(Option<State>, Option<Failure>, bool, Next)] = &[
            (Some(Success), None, false, Next::Succeed),
            // A success acceptor on an error (`errorType`: the task is gone) succeeds.
            (Some(Success), Some(FINAL), true, Next::Succeed),
            (Some(F), None, false, Next::Fail),
            (Some(F), Some(TRANSIENT), true, Next::Fail),
            (Some(Retry), None, false, Next::PollAgain),
            (Some(Retry), Some(REFUSED), true, Next::PollAgain),
            // No acceptor matched a response: poll again.
            (None, None, false, Next::PollAgain),
            (None, None, true, Next::PollAgain),
            // A transient failure is ridden out until the outage lasts too long.
            (None, Some(TRANSIENT), false, Next::PollAgain),
            (None, Some(TRANSIENT), true, Next::GiveUp { outage: true }),
            // A failure another poll would meet again ends the wait at once.
            (None, Some(FINAL), false, Next::GiveUp { outage: false }),
            (None, Some(REFUSED), false, Next::GiveUp { outage: false }),
            (
                None,
                Some(Failure {
                    refused: true,
                    transient: true,
                }),
                false,
                Next::GiveUp { outage: false },
            ),
            (None, Some(FINAL), true, Next::GiveUp { outage: false }),
        ];
        for &(state, failure, outage_exceeded, expected) in table {
            let facts = PollFacts {
                state,
                failure,
                outage_exceeded,
            };
            assert_eq!(decide(facts), expected, "{facts:?}");
        }
    }
}
