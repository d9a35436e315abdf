//! What to do after an attempt, as a plain function: what the attempt got, the retry policy,
//! the retry budget and the time left in, "return it" or "try again after this long" out. The
//! attempt loop (`attempt.rs`) only carries the decision out, so every rule is tested here
//! without a network or a clock.

use std::time::Duration;

use super::retry::RetryPolicy;

/// What an attempt's outcome calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A success.
    Success,
    /// A failure another attempt would not mend: 401, 403, another 4xx, a malformed request.
    Final,
    /// The gateway throttled the request (429, `APIG.0308`).
    Throttled,
    /// A transient failure: transport, timeout, or a 500, 502, 503 or 504. `unsent`: the
    /// request provably never reached the service (the connection, its name resolution or its
    /// TLS handshake failed), so even an action may be sent again.
    Transient { timeout: bool, unsent: bool },
    /// The gateway refused the signature as expired (its clock and ours differ): the client's
    /// clock is corrected, and the request signed again at once, once. The only 401 retried.
    ClockSkew,
}

/// What an attempt got, as far as the decision goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Observed {
    pub(crate) verdict: Verdict,
    /// The answer's `Retry-After`, if it had one.
    pub(crate) retry_after: Option<Duration>,
}

/// The attempts so far: those that count against the policy's limit, and the retry tokens
/// spent on them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) counted: u32,
    pub(crate) spent: u32,
    /// Whether the request was already signed again for a clock skew.
    pub(crate) resigned: bool,
}

/// What the decision reads besides the attempt.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Situation<'a> {
    pub(crate) policy: &'a RetryPolicy,
    /// Whether the adaptive rate limiter paces requests (then it paces throttled retries).
    pub(crate) limiter_on: bool,
    /// What is left of the operation's time.
    pub(crate) time_left: Duration,
    /// A draw from [0, 1) for full jitter.
    pub(crate) jitter: f64,
    /// Whether the operation is safe to repeat (`OperationFacts::safe_to_repeat`): one that is
    /// not is sent again only when the request provably never reached the service, or the
    /// gateway says it did not process it (throttling, an expired signature).
    pub(crate) repeatable: bool,
}

/// Why an attempt's result is the call's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Why {
    /// It succeeded: the tokens spent on retries go back to the budget.
    Succeeded,
    /// Another attempt would not mend it.
    Final,
    /// The policy's attempts are used up.
    AttemptsUsedUp,
    /// The client's retry budget is empty.
    BudgetEmpty,
    /// The service asked to wait longer than the policy allows.
    RetryAfterTooLong,
    /// The wait would end past the operation's time.
    OutOfTime,
    /// The answer was lost (a timeout, a dropped connection, a 5xx) and the operation is not
    /// safe to repeat: it may or may not have happened, and is never sent again by itself.
    NotRepeatable,
}

/// What to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The attempt's result is the call's.
    Return(Why),
    /// Try again after this long (and after the rate limiter gives a turn).
    Retry(Duration),
}

/// The decision after an attempt that got `observed`, with `tally` updated for a retry.
/// `withdraw` takes tokens from the retry budget for one retry (more after a timeout), or says
/// it is empty; it is called only for a retry that will happen.
pub(crate) fn decide(
    observed: Observed,
    tally: &mut Tally,
    situation: &Situation<'_>,
    withdraw: impl FnOnce(bool) -> Option<u32>,
) -> Decision {
    let policy = situation.policy;
    let (wait, timed_out) = match observed.verdict {
        Verdict::Success => return Decision::Return(Why::Succeeded),
        Verdict::Final => return Decision::Return(Why::Final),
        // Signed again at once with the corrected clock, once: it costs neither an attempt nor
        // a token, since the service refused nothing the request asked.
        Verdict::ClockSkew if tally.resigned => return Decision::Return(Why::Final),
        Verdict::ClockSkew => {
            tally.resigned = true;
            return Decision::Retry(Duration::ZERO);
        }
        // The limiter paces a throttled retry; it counts against neither the attempts nor the
        // budget. A Retry-After is waited for as well.
        Verdict::Throttled if situation.limiter_on => {
            let wait = match observed.retry_after {
                Some(asked) => policy.wait_with(1, Some(asked), situation.jitter),
                None => Some(Duration::ZERO),
            };
            let Some(wait) = wait else {
                return Decision::Return(Why::RetryAfterTooLong);
            };
            return within(wait, situation.time_left);
        }
        // An action whose answer was lost may have happened: it is not sent again.
        Verdict::Transient { unsent: false, .. } if !situation.repeatable => {
            return Decision::Return(Why::NotRepeatable);
        }
        Verdict::Throttled | Verdict::Transient { .. } => {
            if tally.counted + 1 >= policy.attempts() {
                return Decision::Return(Why::AttemptsUsedUp);
            }
            let Some(wait) =
                policy.wait_with(tally.counted + 1, observed.retry_after, situation.jitter)
            else {
                return Decision::Return(Why::RetryAfterTooLong);
            };
            let timed_out = matches!(observed.verdict, Verdict::Transient { timeout: true, .. });
            (wait, timed_out)
        }
    };
    if let Decision::Return(why) = within(wait, situation.time_left) {
        return Decision::Return(why);
    }
    let Some(cost) = withdraw(timed_out) else {
        return Decision::Return(Why::BudgetEmpty);
    };
    tally.counted += 1;
    tally.spent += cost;
    Decision::Retry(wait)
}

/// Retry after `wait`, unless it would end past the operation's time.
fn within(wait: Duration, time_left: Duration) -> Decision {
    if wait >= time_left {
        Decision::Return(Why::OutOfTime)
    } else {
        Decision::Retry(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
            .max_attempts(3)
            .initial_backoff(100 * MS)
            .max_backoff(1000 * MS)
            .max_retry_after(2000 * MS)
    }

    struct Case {
        name: &'static str,
        verdict: Verdict,
        retry_after: Option<Duration>,
        counted: u32,
        limiter_on: bool,
        time_left: Duration,
        budget: Option<u32>,
        /// Whether the operation is safe to repeat (a read, by default).
        repeatable: bool,
        expected: Decision,
        /// The tally after the decision: (counted, spent), from (counted, 0).
        tally_after: (u32, u32),
    }

    fn case(name: &'static str, verdict: Verdict, expected: Decision) -> Case {
        Case {
            name,
            verdict,
            retry_after: None,
            counted: 0,
            limiter_on: false,
            time_left: 10_000 * MS,
            budget: Some(5),
            repeatable: true,
            expected,
            tally_after: (0, 0),
        }
    }

    #[test]
    fn every_rule_of_the_attempt_loop() {
        use Decision::{Retry, Return};
        let transient = Verdict::Transient {
            timeout: false,
            unsent: false,
        };
        let unsent = Verdict::Transient {
            timeout: false,
            unsent: true,
        };
        let timed_out = Verdict::Transient {
            timeout: true,
            unsent: false,
        };
        // A jitter draw of 0.5: half the exponential ceiling.
        let cases = [
            case(
                "a success returns",
                Verdict::Success,
                Return(Why::Succeeded),
            ),
            case("a 403 returns at once", Verdict::Final, Return(Why::Final)),
            Case {
                tally_after: (1, 5),
                ..case(
                    "a 503 is retried after half of 100 ms",
                    transient,
                    Retry(50 * MS),
                )
            },
            Case {
                counted: 1,
                tally_after: (2, 5),
                ..case(
                    "the second retry's ceiling doubles",
                    transient,
                    Retry(100 * MS),
                )
            },
            Case {
                counted: 2,
                tally_after: (2, 0),
                ..case(
                    "the third attempt was the last",
                    transient,
                    Return(Why::AttemptsUsedUp),
                )
            },
            Case {
                budget: None,
                ..case(
                    "an empty budget returns",
                    transient,
                    Return(Why::BudgetEmpty),
                )
            },
            Case {
                retry_after: Some(1500 * MS),
                tally_after: (1, 5),
                ..case(
                    "Retry-After replaces the backoff",
                    transient,
                    Retry(1500 * MS),
                )
            },
            Case {
                retry_after: Some(3000 * MS),
                ..case(
                    "a Retry-After beyond the cap is not waited for",
                    transient,
                    Return(Why::RetryAfterTooLong),
                )
            },
            Case {
                time_left: 40 * MS,
                ..case(
                    "a wait past the deadline returns",
                    transient,
                    Return(Why::OutOfTime),
                )
            },
            Case {
                limiter_on: true,
                counted: 2,
                ..case(
                    "a throttled call is paced by the limiter, beyond the attempts and free",
                    Verdict::Throttled,
                    Retry(Duration::ZERO),
                )
            },
            Case {
                limiter_on: true,
                retry_after: Some(1000 * MS),
                ..case(
                    "with the limiter on, a throttled call's Retry-After is waited for",
                    Verdict::Throttled,
                    Retry(1000 * MS),
                )
            },
            Case {
                limiter_on: true,
                budget: None,
                ..case(
                    "the limiter's pacing needs no budget",
                    Verdict::Throttled,
                    Retry(Duration::ZERO),
                )
            },
            Case {
                tally_after: (1, 5),
                ..case(
                    "with the limiter off, a throttled call is an ordinary retry",
                    Verdict::Throttled,
                    Retry(50 * MS),
                )
            },
            Case {
                tally_after: (1, 10),
                budget: Some(10),
                ..case(
                    "a timeout costs what the budget charges for one",
                    timed_out,
                    Retry(50 * MS),
                )
            },
            Case {
                repeatable: false,
                ..case(
                    "an action whose answer was lost to a 5xx or reset is not sent again",
                    transient,
                    Return(Why::NotRepeatable),
                )
            },
            Case {
                repeatable: false,
                ..case(
                    "an action that timed out may have happened: not sent again",
                    timed_out,
                    Return(Why::NotRepeatable),
                )
            },
            Case {
                repeatable: false,
                tally_after: (1, 5),
                ..case(
                    "an action that never reached the service (refused, DNS, TLS) is sent again",
                    unsent,
                    Retry(50 * MS),
                )
            },
            Case {
                repeatable: false,
                tally_after: (1, 5),
                ..case(
                    "an action the gateway throttled was not processed: sent again",
                    Verdict::Throttled,
                    Retry(50 * MS),
                )
            },
            Case {
                repeatable: false,
                limiter_on: true,
                ..case(
                    "an action the gateway throttled is paced by the limiter like a read",
                    Verdict::Throttled,
                    Retry(Duration::ZERO),
                )
            },
            Case {
                repeatable: false,
                ..case(
                    "an action refused with a 4xx returns at once",
                    Verdict::Final,
                    Return(Why::Final),
                )
            },
        ];
        for c in cases {
            let mut tally = Tally {
                counted: c.counted,
                ..Tally::default()
            };
            let mut asked = None;
            let situation = Situation {
                policy: &policy(),
                limiter_on: c.limiter_on,
                time_left: c.time_left,
                jitter: 0.5,
                repeatable: c.repeatable,
            };
            let observed = Observed {
                verdict: c.verdict,
                retry_after: c.retry_after,
            };
            let decision = decide(observed, &mut tally, &situation, |timed_out| {
                asked = Some(timed_out);
                c.budget
            });
            assert_eq!(decision, c.expected, "{}", c.name);
            let expected_tally = match c.expected {
                Decision::Retry(_) if c.verdict != Verdict::Throttled || !c.limiter_on => {
                    c.tally_after
                }
                _ => (c.counted, 0),
            };
            assert_eq!((tally.counted, tally.spent), expected_tally, "{}", c.name);
            // Tokens are withdrawn for a retry that happens, or found missing for one that
            // cannot: never for an answer returned, nor for the limiter's pacing.
            let withdrawal_expected = match c.expected {
                Decision::Return(Why::BudgetEmpty) => true,
                Decision::Return(_) => false,
                Decision::Retry(_) => !(c.verdict == Verdict::Throttled && c.limiter_on),
            };
            assert_eq!(
                asked.is_some(),
                withdrawal_expected,
                "{}: retry tokens withdrawn",
                c.name
            );
            if c.verdict == timed_out && c.repeatable {
                assert_eq!(asked, Some(true), "{}", c.name);
            }
        }
    }

    #[test]
    fn an_expired_signature_is_signed_again_at_once_and_only_once() {
        let situation = Situation {
            policy: &RetryPolicy::disabled(),
            limiter_on: false,
            time_left: MS,
            jitter: 0.5,
            repeatable: false,
        };
        let observed = Observed {
            verdict: Verdict::ClockSkew,
            retry_after: None,
        };
        let mut tally = Tally::default();
        let no_budget = |_| -> Option<u32> { panic!("a re-signing takes no token") };
        assert_eq!(
            decide(observed, &mut tally, &situation, no_budget),
            Decision::Retry(Duration::ZERO),
            "retried even with retries off and no time left: it is a correction, not a retry"
        );
        assert_eq!((tally.counted, tally.spent, tally.resigned), (0, 0, true));
        assert_eq!(
            decide(observed, &mut tally, &situation, no_budget),
            Decision::Return(Why::Final),
            "a second refusal stands"
        );
    }

    #[test]
    fn tokens_are_not_taken_for_a_retry_that_will_not_happen() {
        let situation = Situation {
            policy: &policy(),
            limiter_on: false,
            time_left: MS,
            jitter: 0.5,
            repeatable: true,
        };
        let observed = Observed {
            verdict: Verdict::Transient {
                timeout: false,
                unsent: false,
            },
            retry_after: None,
        };
        let mut tally = Tally::default();
        let decision = decide(observed, &mut tally, &situation, |_| {
            panic!("no tokens are withdrawn for a retry past the deadline")
        });
        assert_eq!(decision, Decision::Return(Why::OutOfTime));
        assert_eq!(tally, Tally::default());
    }
}
