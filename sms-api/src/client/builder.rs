//! Building a [`Client`]: endpoint or region, credentials, HTTP settings.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::network::{Network, NetworkError};
use super::region::{UnknownRegion, endpoint_for};
use crate::auth::Credentials;
use crate::auth::endpoint_url::{is_loopback, without_userinfo};
use crate::clock::{Clock, Jitter, WallClock};
use crate::event::{Callback, Event, Events};
use crate::generated::client::Client;
use crate::send::rate_limit::RateLimiter;
use crate::send::retry::RetryPolicy;
use crate::send::retry_budget::RetryTokens;
use crate::send::{AdaptiveRateLimit, ClientState, RetryBudget};

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
    #[cfg(feature = "reqwest-client")]
    http_client: Option<reqwest::Client>,
    allow_insecure_http: bool,
    compression: Option<bool>,
    clock: Option<WallClock>,
    jitter: Option<Jitter>,
    on_event: Option<Callback>,
    network: Network,
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
        let (credential_refreshes, credential_failures) = self.inner.events.counts();
        crate::send::Traffic {
            credential_refreshes,
            credential_failures,
            clock_skew_millis: self.inner.clock.skew_millis(),
            ..self.inner.limiter.traffic()
        }
    }

    /// The endpoint the client sends to: the one given to
    /// [`ClientBuilder::endpoint`], or the region's (which `HUAWEICLOUD_SDK_REGION_SMS_<REGION>`
    /// overrides, as in the official SDKs).
    ///
    /// ```
    /// # fn main() -> Result<(), sms_api::BuildError> {
    /// use sms_api::{Client, Credentials};
    ///
    /// let client = Client::builder()
    ///     .endpoint("https://sms.example")
    ///     .credentials(Credentials::iam_token("token"))
    ///     .build()?;
    /// assert_eq!(client.endpoint(), "https://sms.example");
    /// # Ok(())
    /// # }
    /// ```
    pub fn endpoint(&self) -> &str {
        &self.baseurl
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
    /// built here; the connect timeout of this builder is then not applied. Behind the
    /// `reqwest-client` feature: reqwest is before 1.0, and its types in the API would make
    /// every reqwest upgrade a breaking release of this crate; with the feature, that is the
    /// bargain you chose.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`, as the clients built here
    /// are: reqwest follows up to 10 redirects by default, sending `X-Auth-Token` and
    /// `X-Security-Token` to whatever origin a `Location` names and sending an action again
    /// there, inside one attempt the client cannot see. With redirects off, a 3xx is an
    /// [`ErrorKind::Redirect`](crate::ErrorKind::Redirect). With the default `rustls` feature,
    /// reqwest has no crypto provider of its own: install one first, as below.
    ///
    /// ```
    /// # #[cfg(all(feature = "rustls", not(feature = "rustls-aws-lc")))]
    /// let _ = rustls::crypto::ring::default_provider().install_default();
    /// let http = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()?;
    /// let builder = sms_api::Client::builder().http_client(http);
    /// # let _ = builder;
    /// # Ok::<(), reqwest::Error>(())
    /// ```
    #[cfg(feature = "reqwest-client")]
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

    /// The wall clock the client dates AK/SK signatures (`X-Sdk-Date`) by and compares
    /// credential expiry with. By default, the system time, moved on by tokio's clock: under
    /// `#[tokio::test(start_paused = true)]` it advances with the waits a test skips. Either
    /// way, once the gateway refuses a signature as expired, the client corrects it by the
    /// gateway's own time (see [`Traffic::clock_skew_millis`](crate::send::Traffic)).
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// let fixed = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    /// let builder = sms_api::Client::builder().clock(move || fixed);
    /// # let _ = builder;
    /// ```
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Where the client and its clones draw their jitter from (retry back-off, credential
    /// refresh points and back-off, waiter delays, page re-fetches), each draw in [0, 1);
    /// random by default. For tests that must be the same every run.
    ///
    /// ```
    /// let builder = sms_api::Client::builder().jitter(|| 0.5);
    /// # let _ = builder;
    /// ```
    pub fn jitter(mut self, draw: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        self.jitter = Some(Arc::new(draw));
        self
    }

    /// Called with every [`Event`] of the client and its clones: its credentials source
    /// failing and recovering, credentials refreshed, its clock corrected. For a program that
    /// runs unattended, so that each is seen.
    ///
    /// ```
    /// let builder = sms_api::Client::builder().on_event(|event| eprintln!("sms-api: {event}"));
    /// # let _ = builder;
    /// ```
    pub fn on_event(mut self, callback: impl Fn(&Event) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Arc::new(callback));
        self
    }

    /// Sends every request through this proxy (`http://proxy.corp:3128`), instead of the one
    /// `HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY` names; `NO_PROXY` still applies. A user and
    /// password in the URL are taken as [`proxy_credentials`](Self::proxy_credentials), and
    /// never shown. Host-local credential sources (the ECS metadata service, CCE pod identity)
    /// are always reached directly.
    ///
    /// ```
    /// let builder = sms_api::Client::builder()
    ///     .proxy("http://proxy.corp.example:3128")
    ///     .proxy_credentials("me", "proxy-password");
    /// assert!(!format!("{builder:?}").contains("proxy-password"));
    /// ```
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.network.set_proxy(url.into());
        self
    }

    /// The user and password the proxy asks for (basic authentication), redacted everywhere.
    pub fn proxy_credentials(
        mut self,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.network
            .set_proxy_credentials(user.into(), password.into());
        self
    }

    /// Trusts the certificates in this PEM (one or more) besides the platform's: a private CA,
    /// or the one a TLS-inspecting corporate proxy signs with. `SSL_CERT_FILE` naming a PEM
    /// file does the same without code.
    ///
    /// ```
    /// let builder = sms_api::Client::builder().add_root_certificate_pem(b"-----BEGIN CERTIFICATE-----\n...".to_vec());
    /// # let _ = builder;
    /// ```
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.network.add_root_certificate(pem.into());
        self
    }

    /// A client certificate for mutual TLS: its chain and its PKCS#8 private key, in PEM. The
    /// key is never shown.
    pub fn client_certificate_pem(
        mut self,
        certificate_chain: impl Into<Vec<u8>>,
        private_key: impl Into<Vec<u8>>,
    ) -> Self {
        self.network
            .set_identity(certificate_chain.into(), private_key.into());
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
        let shown = without_userinfo(&endpoint);
        let invalid = |reason: &str| BuildError::InvalidEndpoint {
            endpoint: shown.clone(),
            reason: reason.to_owned(),
        };
        if !endpoint.contains("://") {
            return Err(invalid(&format!(
                "it has no scheme: did you mean \"https://{}\"?",
                shown.trim_end_matches('/')
            )));
        }
        let url = reqwest::Url::parse(&endpoint).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(invalid("it must be an http:// or https:// URL with a host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(
                "it must not carry a user or password: the client authenticates with its credentials, in headers",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("it must not have a query or fragment"));
        }
        if !matches!(url.path(), "" | "/") {
            let host = &url[..url::Position::BeforePath];
            return Err(invalid(&format!(
                "the endpoint is the host alone, without a path: use \"{host}\" (the client adds /v3/... itself)"
            )));
        }
        if url.scheme() == "http" && !is_loopback(&url) && !self.allow_insecure_http {
            return Err(BuildError::InsecureEndpoint { endpoint: shown });
        }
        let credentials = self.credentials.ok_or(BuildError::MissingCredentials)?;
        let auth = credentials
            .to_auth()
            .map_err(|reason| BuildError::InvalidCredentials { reason })?;
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let network_error = |error: NetworkError| BuildError::Network {
            reason: error.to_string(),
        };
        #[cfg(feature = "reqwest-client")]
        let own = match self.http_client {
            Some(_) if !self.network.is_default() => {
                return Err(network_error(NetworkError::OwnClient));
            }
            own => own,
        };
        #[cfg(not(feature = "reqwest-client"))]
        let own: Option<reqwest::Client> = None;
        let http = match own {
            Some(client) => client,
            None => self
                .network
                .client(connect_timeout, true)
                .map_err(network_error)?,
        };
        // A host-local credentials source gets a client of its own that no proxy reaches; only
        // then is one built.
        let direct_http = match auth.cache() {
            Some(cache) if cache.direct() => Some(
                self.network
                    .client(connect_timeout, false)
                    .map_err(network_error)?,
            ),
            _ => None,
        };
        let state = ClientState::new(
            auth,
            Clock::new(self.clock, self.jitter),
            Events::new(self.on_event),
            direct_http,
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
            .field("network", &self.network)
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
    /// A proxy, root certificate or client certificate given to the builder is not usable
    /// (the reason never quotes a password or a key).
    Network {
        /// What is wrong.
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
            BuildError::Network { reason } => {
                write!(f, "the network settings cannot be used: {reason}")
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
    fn an_endpoint_with_a_user_or_password_is_refused_and_the_password_never_shown() {
        for endpoint in [
            "https://user:pa55word@sms.example.com",
            "http://user:pa55word@sms.example.com/v3",
            "https://:pa55word@sms.example.com",
            "user:pa55word@sms.example.com",
            "https://user:pa55word@[::1",
        ] {
            let error = Client::builder()
                .endpoint(endpoint)
                .credentials(token())
                .build()
                .unwrap_err();
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("pa55word"), "{shown}");
            assert!(
                matches!(error, BuildError::InvalidEndpoint { .. }),
                "{shown}"
            );
        }
        let error = Client::builder()
            .endpoint("https://user:pa55word@sms.example.com")
            .credentials(token())
            .build()
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("must not carry a user or password"),
            "{error}"
        );
        assert!(
            error.to_string().contains("https://***@sms.example.com"),
            "{error}"
        );
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
    fn an_endpoint_without_a_scheme_or_with_a_path_says_what_to_write() {
        let refused = |endpoint: &str| {
            Client::builder()
                .endpoint(endpoint)
                .credentials(token())
                .build()
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            refused("127.0.0.1:8080"),
            "the endpoint \"127.0.0.1:8080\" is not usable: it has no scheme: did you mean \"https://127.0.0.1:8080\"?"
        );
        assert!(
            refused("sms.cn-north-4.myhuaweicloud.com/")
                .ends_with("did you mean \"https://sms.cn-north-4.myhuaweicloud.com\"?")
        );
        assert_eq!(
            refused("https://sms.example.com:8443/v3"),
            "the endpoint \"https://sms.example.com:8443/v3\" is not usable: the endpoint is the host alone, \
             without a path: use \"https://sms.example.com:8443\" (the client adds /v3/... itself)"
        );
        for fine in [
            "https://sms.example.com",
            "https://sms.example.com/",
            "http://127.0.0.1:9",
        ] {
            assert!(
                Client::builder()
                    .endpoint(fine)
                    .credentials(token())
                    .build()
                    .is_ok(),
                "{fine}"
            );
        }
    }

    #[test]
    fn a_region_gives_its_endpoint_and_the_environment_overrides_it() {
        let plain = Client::builder()
            .region("cn-north-4")
            .credentials(token())
            .build_with_env(&|_| None)
            .unwrap();
        assert_eq!(plain.endpoint(), "https://sms.cn-north-4.myhuaweicloud.com");
        let env = |name: &str| {
            (name == "HUAWEICLOUD_SDK_REGION_SMS_CN_NORTH_4")
                .then(|| "https://proxy.example/".to_owned())
        };
        let overridden = Client::builder()
            .region("cn-north-4")
            .credentials(token())
            .build_with_env(&env)
            .unwrap();
        assert_eq!(overridden.endpoint(), "https://proxy.example");
        let explicit = Client::builder()
            .endpoint("https://e.example")
            .region("cn-north-4")
            .credentials(token());
        assert_eq!(
            explicit.build_with_env(&env).unwrap().endpoint(),
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
