//! Building a [`Client`]: endpoint, credentials, HTTP settings.

use std::fmt;
use std::time::Duration;

use crate::{Client, ClientState, Credentials};

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one request, from sending to the end of the body.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Builds a [`Client`]; start with [`Client::builder`].
///
/// ```
/// # fn main() -> Result<(), sms_api::BuildError> {
/// use std::time::Duration;
/// use sms_api::{Client, Credentials};
///
/// let client = Client::builder()
///     .endpoint("https://sms.ap-southeast-3.myhuaweicloud.com")
///     .credentials(Credentials::iam_token("MIIZ-secret-token"))
///     .request_timeout(Duration::from_secs(30))
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Default)]
#[must_use]
pub struct ClientBuilder {
    endpoint: Option<String>,
    credentials: Option<Credentials>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
}

impl Client {
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
    /// The service endpoint, e.g. `https://sms.cn-north-4.myhuaweicloud.com` (required).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The credentials attached to every request (required).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Time allowed to open a connection (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one request (default [`DEFAULT_REQUEST_TIMEOUT`]).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// Uses this `reqwest::Client` (its own timeouts, proxy and TLS settings) instead of one
    /// built here; the timeouts of this builder are then not applied.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let endpoint = self.endpoint.ok_or(BuildError::MissingEndpoint)?;
        let url = reqwest::Url::parse(&endpoint).map_err(|e| BuildError::InvalidEndpoint {
            endpoint: endpoint.clone(),
            reason: e.to_string(),
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(BuildError::InvalidEndpoint {
                endpoint,
                reason: "it must be an http:// or https:// URL with a host".to_owned(),
            });
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(BuildError::InvalidEndpoint {
                endpoint,
                reason: "it must not have a query or fragment".to_owned(),
            });
        }
        let credentials = self.credentials.ok_or(BuildError::MissingCredentials)?;
        let auth_headers = credentials
            .to_headers()
            .map_err(|reason| BuildError::InvalidCredentials { reason })?;
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .user_agent(concat!("sms-api-rust/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .timeout(self.request_timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT))
                .build()
                .map_err(|e| BuildError::Http {
                    reason: e.to_string(),
                })?,
        };
        let base = endpoint.trim_end_matches('/');
        Ok(Client::new_with_client(
            base,
            http,
            ClientState::new(auth_headers),
        ))
    }
}

/// Why a [`Client`] could not be built.
///
/// ```
/// let error = sms_api::Client::builder().build().unwrap_err();
/// assert_eq!(error.to_string(), "no endpoint was given: call ClientBuilder::endpoint");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// No endpoint was given.
    MissingEndpoint,
    /// The endpoint is not a usable URL.
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
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
            BuildError::MissingEndpoint => {
                f.write_str("no endpoint was given: call ClientBuilder::endpoint")
            }
            BuildError::InvalidEndpoint { endpoint, reason } => {
                write!(f, "the endpoint {endpoint:?} is not usable: {reason}")
            }
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

impl std::error::Error for BuildError {}
