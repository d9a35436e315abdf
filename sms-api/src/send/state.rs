//! What the generated client carries besides its endpoint and HTTP client.
//! It lives in `send`, beside the hooks that read it on every request; `client` builds it and
//! names it ([`crate::client::ClientState`]).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT_ENCODING, HeaderValue, USER_AGENT};

use super::content_encoding;
use super::rate_limit::RateLimiter;
use super::retry_budget::RetryTokens;
use crate::auth::{Auth, RefreshContext, security_token_header, signer};
use crate::clock::Clock;
use crate::error::CredentialsError;
use crate::event::Events;
use crate::send::retry::RetryPolicy;

/// The state the hooks use on every request: credentials, the clock that dates signatures, the
/// headers the client adds (user agent, `Accept-Encoding`), timeouts, the retry policy, and the
/// rate limiter and retry budget its clones share.
///
/// Built by [`Client::builder`](crate::Client::builder); its `Debug` never shows a secret.
///
/// ```
/// # fn main() -> Result<(), sms_api::BuildError> {
/// use sms_api::{Client, Credentials};
///
/// let client = Client::builder()
///     .endpoint("https://sms.cn-north-4.myhuaweicloud.com")
///     .credentials(Credentials::iam_token("MIIZ-secret-token"))
///     .build()?;
/// let shown = format!("{client:?}");
/// assert!(!shown.contains("MIIZ"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ClientState {
    auth: Auth,
    /// Time, dates (corrected by the gateway's skew) and jitter, for every wait and signature.
    pub(crate) clock: Clock,
    /// The client's events and their counts.
    pub(crate) events: Events,
    /// An HTTP client that never goes through a proxy, for a host-local credentials source
    /// (built only for one); other sources are asked with the client's own.
    direct_http: Option<reqwest::Client>,
    user_agent: HeaderValue,
    /// `None` when compression is turned off.
    accept_encoding: Option<HeaderValue>,
    pub(crate) retry: RetryPolicy,
    pub(crate) attempt_timeout: Duration,
    pub(crate) operation_timeout: Duration,
    /// Shared by every clone of the client, so every call counts.
    pub(crate) limiter: Arc<RateLimiter>,
    pub(crate) retry_tokens: Arc<RetryTokens>,
}

impl ClientState {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        auth: Auth,
        clock: Clock,
        events: Events,
        direct_http: Option<reqwest::Client>,
        retry: RetryPolicy,
        attempt_timeout: Duration,
        operation_timeout: Duration,
        limiter: RateLimiter,
        retry_tokens: RetryTokens,
    ) -> Self {
        let user_agent =
            HeaderValue::from_static(concat!("sms-api-rust/", env!("CARGO_PKG_VERSION")));
        Self {
            auth,
            clock,
            events,
            direct_http,
            user_agent,
            accept_encoding: Some(content_encoding::ACCEPT_ENCODING),
            retry,
            attempt_timeout,
            operation_timeout,
            limiter: Arc::new(limiter),
            retry_tokens: Arc::new(retry_tokens),
        }
    }

    /// Asks for compressed responses, or not.
    pub(crate) fn asking_for_compression(mut self, enabled: bool) -> Self {
        self.accept_encoding = enabled.then_some(content_encoding::ACCEPT_ENCODING);
        self
    }

    /// For temporary credentials, makes sure the cache holds usable ones before a call is sent
    /// (waiting for a refresh only when none are usable); `None` for other credentials.
    pub(crate) async fn temporary_credentials(
        &self,
        http: &reqwest::Client,
    ) -> Option<Result<(), CredentialsError>> {
        let cache = self.auth.cache()?;
        let context = RefreshContext {
            http: crate::auth::HttpClient::new(self.direct_http.as_ref().unwrap_or(http).clone()),
            clock: self.clock.clone(),
            events: self.events.clone(),
        };
        Some(cache.get(&context).await.map(|_| ()))
    }

    /// Where the credentials come from, for messages.
    pub(crate) fn credentials_source(&self) -> Option<&str> {
        self.auth.cache().map(|c| c.source())
    }

    /// Adds the client's own headers (user agent, `Accept-Encoding`) and the credentials to an
    /// outgoing request, signing it when they are an AK/SK pair, so that the signature covers
    /// them all. Called for each attempt, so that every attempt carries a fresh `X-Sdk-Date`,
    /// dated by the cloud's clock (the client's, corrected by the gateway's skew).
    ///
    /// Never sends a request unsigned: temporary credentials that are no longer usable are an
    /// error, and the request is not sent.
    pub(crate) fn authorize(&self, request: &mut reqwest::Request) -> Result<(), CredentialsError> {
        let headers = request.headers_mut();
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, self.user_agent.clone());
        }
        if let Some(accept) = &self.accept_encoding
            && !headers.contains_key(ACCEPT_ENCODING)
        {
            headers.insert(ACCEPT_ENCODING, accept.clone());
        }
        for (name, value) in self.auth.headers() {
            headers.insert(name.clone(), value.clone());
        }
        let now = self.clock.cloud();
        match &self.auth {
            Auth::Sign { ak, sk, .. } => signer::sign(request, ak, sk.expose(), now),
            Auth::Temporary { cache, .. } => {
                // Refreshed by the `pre` hook when due: the AK/SK and its own security token,
                // one value, never an expired one.
                let credentials = cache.usable(now).ok_or_else(|| CredentialsError::Expired {
                    source: cache.source().to_owned(),
                })?;
                if let Some((name, value)) = credentials
                    .security_token
                    .as_ref()
                    .and_then(|t| security_token_header(t.expose()))
                {
                    request.headers_mut().insert(name, value);
                }
                signer::sign(request, &credentials.ak, credentials.sk.expose(), now);
            }
            Auth::Headers(_) => {}
        }
        Ok(())
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("auth_headers", &self.auth.header_names())
            .field("user_agent", &self.user_agent)
            .field("accept_encoding", &self.accept_encoding)
            .field("retry", &self.retry)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("limiter", &self.limiter)
            .field("retry_tokens", &self.retry_tokens)
            .field("clock", &self.clock)
            .field("events", &self.events)
            .finish_non_exhaustive()
    }
}
