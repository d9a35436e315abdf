//! progenitor's hooks for the generated [`Client`]: the parameter check before a request
//! leaves, then the attempts (`attempt.rs`) inside one traced operation span.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use tracing::Instrument;

use super::call_scope::{self, NotSent};
use super::state::ClientState;
use super::{attempt, bounds, facts, operation};
use crate::error::request_id;
use crate::generated::client::Client;

impl ClientHooks<ClientState> for Client {
    /// Rejects a parameter outside its documented bounds, or a call the rate limiter gives no
    /// turn within its operation timeout, before anything is sent.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // Why a call is not sent is recorded as a value for `fetch()`'s error; progenitor's
        // error only carries the text.
        if let Some(facts) = facts::of(info.operation_id)
            && let Some(parameter) = facts::escaped_parameter(facts.path, request.url().path())
        {
            let reason = NotSent::PathEscape {
                parameter,
                template: facts.path,
            };
            let text = reason.to_string();
            call_scope::record_not_sent(reason);
            return Err(Error::InvalidRequest(text));
        }
        if let Err(violation) = bounds::check(info.operation_id, request.url()) {
            let reason = NotSent::OutOfBounds(violation);
            let text = reason.to_string();
            call_scope::record_not_sent(reason);
            return Err(Error::InvalidRequest(text));
        }
        let state = self.inner();
        // Temporary credentials usable before the first attempt signs (a refresh that is due
        // runs in the background; only with none usable does the call wait for the source).
        let resolving = state.clock.instant();
        let ready = attempt::credentials_ready(self).await;
        crate::telemetry::resolve_identity(info.operation_id, resolving.elapsed());
        if let Err(reason) = ready {
            let text = reason.to_string();
            call_scope::record_not_sent(reason);
            return Err(Error::Custom(text));
        }
        if let Some(turn) = state.limiter.next_turn()
            && turn > state.clock.instant() + state.operation_timeout
        {
            let traffic = state.limiter.traffic();
            let reason = NotSent::NoTurn {
                throttled: traffic.throttled,
                rate: traffic.rate.unwrap_or_default(),
                operation_timeout: state.operation_timeout,
            };
            let text = reason.to_string();
            call_scope::record_not_sent(reason);
            return Err(Error::Custom(text));
        }
        Ok(())
    }

    /// Sends the request: each attempt authorized (signed afresh), bounded by the per-attempt
    /// and whole-operation timeouts, its body read in full; transient failures retried per the
    /// retry policy.
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        // Within `fetch()`, the call's span is current (it began before the parameter checks
        // and the wait for credentials); a builder's raw `send()` gets one of its own here.
        // The operation's time runs from the call's start: waiting for credentials counts.
        let (span, started) = match call_scope::started() {
            Some(started) => (tracing::Span::current(), started),
            None => (
                operation::call_span(info.operation_id),
                self.inner().clock.instant(),
            ),
        };
        // An operation the spec does not have (none: the builders are generated from it) is
        // treated as an action: never sent twice by itself.
        let repeatable = facts::of(info.operation_id).is_some_and(|f| f.safe_to_repeat);
        let result = attempt::run(self, request, started, repeatable, info.operation_id)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = &result {
            span.record("status", response.status().as_u16());
            if let Some(id) = request_id(response.headers()) {
                span.record("request_id", id);
            }
        }
        result
    }
}
