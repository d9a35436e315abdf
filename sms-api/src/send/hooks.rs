//! The client's hooks around every request: the checks before a request leaves (`pre_in`), then
//! the attempts (`attempt.rs`) inside the call's span (`exec_in`). The build script makes each
//! builder's `send_in()` (progenitor's `send()`) call them with its [`Call`]
//! (`codegen/src/passes/call_record.rs`), so what the attempts meet reaches `fetch()` as values.

use progenitor_client::{Error, OperationInfo};
use tracing::Instrument;

use super::call_record::{Call, NotSent};
use super::{attempt, bounds, facts};
use crate::error::request_id;
use crate::generated::client::Client;

impl Client {
    /// Rejects a parameter outside its documented bounds, a path that would escape its
    /// template, a call with no credentials to be had, or one the rate limiter gives no turn
    /// within its operation timeout, before anything is sent; `call` records why.
    pub(crate) async fn pre_in<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
        call: &Call,
    ) -> Result<(), Error<E>> {
        if let Some(facts) = facts::of(info.operation_id)
            && let Some(parameter) = facts::escaped_parameter(facts.path, request.url().path())
        {
            let reason = NotSent::PathEscape {
                parameter,
                template: facts.path,
            };
            return Err(call.refuse(reason));
        }
        if let Err(violation) = bounds::check(info.operation_id, request.url()) {
            return Err(call.refuse(NotSent::OutOfBounds(violation)));
        }
        let state = self.inner();
        // Temporary credentials usable before the first attempt signs (a refresh that is due
        // runs in the background; only with none usable does the call wait for the source).
        let resolving = state.clock.instant();
        let ready = attempt::credentials_ready(self).await;
        crate::telemetry::resolve_identity(info.operation_id, resolving.elapsed());
        if let Err(reason) = ready {
            return Err(call.refuse(reason));
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
            return Err(call.refuse(reason));
        }
        Ok(())
    }

    /// Sends the request: each attempt authorized (signed afresh), bounded by the per-attempt
    /// and whole-operation timeouts, its body read in full; transient failures retried per the
    /// retry policy; `call` records what each attempt got.
    pub(crate) async fn exec_in<E>(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
        call: &Call,
    ) -> Result<reqwest::Response, Error<E>> {
        // The call's span, current within `fetch()` (it began before the parameter checks and
        // the wait for credentials).
        let span = tracing::Span::current();
        // An operation the spec does not have (none: the builders are generated from it) is
        // treated as an action: never sent twice by itself.
        let repeatable = facts::of(info.operation_id).is_some_and(|f| f.safe_to_repeat);
        let result = attempt::run(self, request, call, repeatable, info.operation_id)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", call.started().elapsed().as_millis() as u64);
        match result {
            Ok(Ok(response)) => {
                span.record("status", response.status().as_u16());
                if let Some(id) = request_id(response.headers()) {
                    span.record("request_id", id);
                }
                Ok(response)
            }
            Ok(Err(error)) => Err(Error::from(error)),
            Err(reason) => Err(call.refuse(reason)),
        }
    }
}
