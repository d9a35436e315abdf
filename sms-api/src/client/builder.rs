//! Building a [`Client`]: endpoint or region, credentials, HTTP settings.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::region::{UnknownRegion, endpoint_for};
use super::state::ClientState;
use super::state::Clock;
use crate::send::rate_limit::RateLimiter;
use crate::send::retry_budget::RetryTokens;
use crate::send::{AdaptiveRateLimit, RetryBudget};
use crate::{Client, Credentials, RetryPolicy};

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt, from sending to the end of the body.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default time allowed for a whole operation, retries and waits included.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(120);

/// Builds a [`Client`]; start with [`Client::builder`].
///
/// ```
/// # fn main() -> Result<(), sms_api::BuildError> {
/// use std::time::Duration;
/// use sms_api::{Client, Credentials};
///
/// let client = Client::builder()
///     .region("ap-southeast-3")
///     .credentials(Credentials::basic("HPUAEXAMPLEAK", "secret-key").project_id("0123"))
///     .attempt_timeout(Duration::from_secs(30))
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    endpoint: Option<String>,
    region: Option<String>,
    credentials: Option<Credentials>,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    rate_limit: Option<AdaptiveRateLimit>,
    retry_budget: Option<RetryBudget>,
    http_client: Option<reqwest::Client>,
    allow_insecure_http: bool,
    compression: Option<bool>,
    clock: Option<Clock>,
}

impl Client {
    /// What the client's traffic looks like now, shared by all its clones: the rate the
    /// adaptive limiter allows (once the gateway has throttled), requests sent, throttling
    /// answers, requests in flight.
    ///
    /// ```
    /// # fn main() -> Result<(), sms_api::BuildError> {
    /// use sms_api::{Client, Credentials};
    ///
    /// let client = Client::builder()
    ///     .region("cn-north-4")
    ///     .credentials(Credentials::iam_token("token"))
    ///     .build()?;
    /// let traffic = client.traffic();
    /// assert_eq!((traffic.rate, traffic.requests, traffic.throttled), (None, 0, 0));
    /// # Ok(())
    /// # }
    /// ```
    pub fn traffic(&self) -> crate::send::Traffic {
        self.inner.limiter.traffic()
    }

    /// Starts building a client.
    ///
    /// ```
    /// let builder = sms_api::Client::builder();
    /// # let _ = builder;
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

impl ClientBuilder {
    /// The service endpoint, e.g. `https://sms.cn-north-4.myhuaweicloud.com`; it wins over
    /// [`region`](Self::region).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The region, e.g. `cn-north-4`: its endpoint comes from
    /// `HUAWEICLOUD_SDK_REGION_SMS_CN_NORTH_4` when set (as the official SDKs do), else from the
    /// spec's list ([`Region::ALL`](crate::Region::ALL)).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The credentials attached to every request (required).
    pub fn credentials(mut self, credentials: impl Into<Credentials>) -> Self {
        self.credentials = Some(credentials.into());
        self
    }

    /// Time allowed to open a connection (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt, from sending to the end of the body (default
    /// [`DEFAULT_ATTEMPT_TIMEOUT`]).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole operation, all attempts and the waits between them (default
    /// [`DEFAULT_OPERATION_TIMEOUT`]). No attempt starts or runs past it.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// How transient failures are retried (default [`RetryPolicy::default`]: 3 attempts);
    /// [`RetryPolicy::disabled`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Uses this `reqwest::Client` (its own proxy, TLS and connection settings) instead of one
    /// built here; the connect timeout of this builder is then not applied.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Whether to ask for compressed responses (default: yes). The client then sends
    /// `Accept-Encoding: gzip, deflate` with every request (covered by the AK/SK signature) and
    /// decodes the body as it arrives, so [`MAX_BODY_BYTES`](crate::send::MAX_BODY_BYTES)
    /// bounds the decoded size. A page of 200 tasks shrinks about tenfold: on a link of a few
    /// MB/s that is most of the time a page takes. `false` asks for plain bodies (a compressed
    /// body that comes anyway is still decoded).
    ///
    /// ```
    /// let builder = sms_api::Client::builder().compression(false);
    /// # let _ = builder;
    /// ```
    pub fn compression(mut self, enabled: bool) -> Self {
        self.compression = Some(enabled);
        self
    }

    /// Allows sending credentials over plain `http://` to a host that is not loopback. Off by
    /// default: such an endpoint is refused, because anyone on the path could read the token or
    /// replay the signed request.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The clock that dates AK/SK signatures (`X-Sdk-Date`); the system clock by default.
    /// For tests that need a fixed date.
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// How the client adapts its request rate when the gateway throttles (default: on; see
    /// [`AdaptiveRateLimit`]). One limiter paces every call of the client and its clones.
    ///
    /// ```
    /// use sms_api::send::AdaptiveRateLimit;
    ///
    /// let builder = sms_api::Client::builder().adaptive_rate_limit(AdaptiveRateLimit::disabled());
    /// # let _ = builder;
    /// ```
    pub fn adaptive_rate_limit(mut self, limit: AdaptiveRateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// How many retries of failures the client may spend (default: see [`RetryBudget`]). One
    /// budget serves every call of the client and its clones.
    ///
    /// ```
    /// use sms_api::send::RetryBudget;
    ///
    /// let builder = sms_api::Client::builder().retry_budget(RetryBudget::default().capacity(100));
    /// # let _ = builder;
    /// ```
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = Some(budget);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        self.build_with_env(&|name| std::env::var(name).ok())
    }

    /// [`build`](Self::build), reading the environment through `env`.
    pub(crate) fn build_with_env(
        self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Client, BuildError> {
        let endpoint = match (self.endpoint, self.region) {
            (Some(endpoint), _) => endpoint,
            (None, Some(region)) => {
                endpoint_for(&region, env).map_err(BuildError::UnknownRegion)?
            }
            (None, None) => return Err(BuildError::MissingEndpoint),
        };
        let invalid = |reason: &str| BuildError::InvalidEndpoint {
            endpoint: endpoint.clone(),
            reason: reason.to_owned(),
        };
        let url = reqwest::Url::parse(&endpoint).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(invalid("it must be an http:// or https:// URL with a host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("it must not have a query or fragment"));
        }
        if url.scheme() == "http" && !is_loopback(&url) && !self.allow_insecure_http {
            return Err(BuildError::InsecureEndpoint { endpoint });
        }
        let credentials = self.credentials.ok_or(BuildError::MissingCredentials)?;
        let auth = credentials
            .to_auth()
            .map_err(|reason| BuildError::InvalidCredentials { reason })?;
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(|e| BuildError::Http {
                    reason: e.to_string(),
                })?,
        };
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemTime::now));
        let state = ClientState::new(
            auth,
            clock,
            self.retry.unwrap_or_default(),
            self.attempt_timeout.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT),
            self.operation_timeout.unwrap_or(DEFAULT_OPERATION_TIMEOUT),
            RateLimiter::new(self.rate_limit.unwrap_or_default()),
            RetryTokens::new(self.retry_budget.unwrap_or_default()),
        )
        .asking_for_compression(self.compression.unwrap_or(true));
        Ok(Client::new_with_client(
            endpoint.trim_end_matches('/'),
            http,
            state,
        ))
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(host)) => host.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("retry_budget", &self.retry_budget)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("compression", &self.compression)
            .finish_non_exhaustive()
    }
}

/// Why a [`Client`] could not be built.
///
/// ```
/// let error = sms_api::Client::builder().build().unwrap_err();
/// assert_eq!(error.to_string(), "no endpoint was given: call ClientBuilder::endpoint or ClientBuilder::region");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// Neither an endpoint nor a region was given.
    MissingEndpoint,
    /// The region is not in the spec's list and has no environment override.
    UnknownRegion(UnknownRegion),
    /// The endpoint is not a usable URL.
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The endpoint is plain `http://` to a host that is not loopback, and
    /// [`allow_insecure_http`](ClientBuilder::allow_insecure_http) was not set.
    InsecureEndpoint {
        /// The endpoint as given.
        endpoint: String,
    },
    /// No credentials were given.
    MissingCredentials,
    /// The credentials cannot be sent (the reason never quotes a secret).
    InvalidCredentials {
        /// What is wrong with them.
        reason: String,
    },
    /// The HTTP client could not be built (TLS setup, for example).
    Http {
        /// What reqwest reported.
        reason: String,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingEndpoint => f.write_str(
                "no endpoint was given: call ClientBuilder::endpoint or ClientBuilder::region",
            ),
            BuildError::UnknownRegion(e) => e.fmt(f),
            BuildError::InvalidEndpoint { endpoint, reason } => {
                write!(f, "the endpoint {endpoint:?} is not usable: {reason}")
            }
            BuildError::InsecureEndpoint { endpoint } => write!(
                f,
                "refusing to send credentials over plain http to {endpoint:?}: use https, or call \
                 ClientBuilder::allow_insecure_http(true) if you really mean it"
            ),
            BuildError::MissingCredentials => {
                f.write_str("no credentials were given: call ClientBuilder::credentials")
            }
            BuildError::InvalidCredentials { reason } => {
                write!(f, "the credentials cannot be used: {reason}")
            }
            BuildError::Http { reason } => {
                write!(f, "the HTTP client could not be built: {reason}")
            }
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::UnknownRegion(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> Credentials {
        Credentials::iam_token("t")
    }

    #[test]
    fn plain_http_is_refused_unless_loopback_or_allowed() {
        let refused = Client::builder()
            .endpoint("http://sms.example.com")
            .credentials(token())
            .build()
            .unwrap_err();
        assert_eq!(
            refused,
            BuildError::InsecureEndpoint {
                endpoint: "http://sms.example.com".into()
            }
        );
        assert!(refused.to_string().contains("allow_insecure_http"));
        for loopback in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:2",
            "http://127.9.9.9",
        ] {
            assert!(
                Client::builder()
                    .endpoint(loopback)
                    .credentials(token())
                    .build()
                    .is_ok(),
                "{loopback}"
            );
        }
        let allowed = Client::builder()
            .endpoint("http://sms.example.com")
            .credentials(token())
            .allow_insecure_http(true);
        assert!(allowed.build().is_ok());
    }

    #[test]
    fn a_region_gives_its_endpoint_and_the_environment_overrides_it() {
        use crate::client::ClientInfo;
        let plain = Client::builder()
            .region("cn-north-4")
            .credentials(token())
            .build_with_env(&|_| None)
            .unwrap();
        assert_eq!(plain.baseurl(), "https://sms.cn-north-4.myhuaweicloud.com");
        let env = |name: &str| {
            (name == "HUAWEICLOUD_SDK_REGION_SMS_CN_NORTH_4")
                .then(|| "https://proxy.example/".to_owned())
        };
        let overridden = Client::builder()
            .region("cn-north-4")
            .credentials(token())
            .build_with_env(&env)
            .unwrap();
        assert_eq!(overridden.baseurl(), "https://proxy.example");
        let explicit = Client::builder()
            .endpoint("https://e.example")
            .region("cn-north-4")
            .credentials(token());
        assert_eq!(
            explicit.build_with_env(&env).unwrap().baseurl(),
            "https://e.example"
        );
        let unknown = Client::builder()
            .region("mars-1")
            .credentials(token())
            .build_with_env(&|_| None)
            .unwrap_err();
        assert!(matches!(unknown, BuildError::UnknownRegion(ref e) if e.region == "mars-1"));
    }
}
