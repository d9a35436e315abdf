//! progenitor's hooks for the generated [`Client`]: the parameter check before a request
//! leaves, then the attempts (`attempt.rs`) inside one traced operation span.

use std::time::Instant;

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use tracing::Instrument;
use tracing::field::Empty;

use super::{attempt, bounds};
use crate::Client;
use crate::client::ClientState;
use crate::error::request_id;

impl ClientHooks<ClientState> for Client {
    /// Rejects a parameter outside its documented bounds, or a call the rate limiter gives no
    /// turn within its operation timeout, before anything is sent.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        bounds::check(info.operation_id, request.url()).map_err(Error::InvalidRequest)?;
        let state = self.inner();
        if let Some(turn) = state.limiter.next_turn()
            && turn > tokio::time::Instant::now() + state.operation_timeout
        {
            let traffic = state.limiter.traffic();
            return Err(Error::Custom(format!(
                "the gateway throttled this client {} times and it now sends {:.1} requests/s: \
                 this call's turn comes after its operation timeout of {:?}, so it was not sent",
                traffic.throttled,
                traffic.rate.unwrap_or_default(),
                state.operation_timeout
            )));
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
        let span = tracing::info_span!(
            "sms_api.operation",
            operation = info.operation_id,
            attempts = Empty,
            status = Empty,
            request_id = Empty,
            duration_ms = Empty,
        );
        let started = Instant::now();
        let result = attempt::run(self, request, started)
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
