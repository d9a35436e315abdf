//! Credentials that come from somewhere and expire: the source ([`ProvideCredentials`]), and
//! the cache every request of a client and its clones reads, refreshed once for all of them
//! before the credentials expire.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use super::CredentialsError;
use super::temporary::TemporaryCredentials;

/// Refresh temporary credentials when less than this remains before they expire, as the
/// official SDKs do.
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(40 * 60);

/// Never sign with credentials this close to their expiry (the request must arrive in time).
const SIGNING_MARGIN: Duration = Duration::from_secs(30);

/// What a source's `provide` returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<TemporaryCredentials, CredentialsError>> + Send + 'a>>;

/// A source of temporary credentials: the ECS metadata service, CCE pod identity, IAM
/// federation, STS, or one of your own. The client asks it again before what it gave expires.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use sms_api::auth::{ProvideCredentials, ProvideFuture, TemporaryCredentials};
/// use sms_api::Credentials;
///
/// /// Credentials from a vault of your own.
/// #[derive(Debug)]
/// struct Vault;
///
/// impl ProvideCredentials for Vault {
///     fn name(&self) -> &str {
///         "the vault"
///     }
///     fn provide<'a>(&'a self, _http: &'a reqwest::Client) -> ProvideFuture<'a> {
///         Box::pin(async {
///             Ok(TemporaryCredentials::new("AK", "SK", Some("ST".into()), Some(SystemTime::now() + Duration::from_secs(3600))))
///         })
///     }
/// }
///
/// let credentials = Credentials::from_provider(Vault);
/// # let _ = credentials;
/// ```
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    /// Where the credentials come from, for messages ("the ECS metadata service").
    fn name(&self) -> &str;
    /// Fresh credentials, fetched with the client's HTTP client.
    fn provide<'a>(&'a self, http: &'a reqwest::Client) -> ProvideFuture<'a>;
}

/// The credentials of a provider, shared by a client and its clones.
pub(crate) struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    refresh_before: Duration,
    current: RwLock<Option<Arc<TemporaryCredentials>>>,
    /// Held while refreshing: one refresh at a time, which every waiting request then reads.
    refreshing: tokio::sync::Mutex<()>,
}

impl CredentialsCache {
    pub(crate) fn new(provider: Arc<dyn ProvideCredentials>, refresh_before: Duration) -> Self {
        CredentialsCache {
            provider,
            refresh_before,
            current: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    pub(crate) fn source(&self) -> &str {
        self.provider.name()
    }

    /// Credentials to sign a request sent at `now`: the cached ones while fresh; else a
    /// refresh (one for all concurrent callers). A refresh that fails while the cached ones are
    /// still valid keeps them (the next request tries again); never expired ones.
    pub(crate) async fn get(
        &self,
        http: &reqwest::Client,
        now: impl Fn() -> SystemTime,
    ) -> Result<Arc<TemporaryCredentials>, CredentialsError> {
        if let Some(fresh) = self.cached().filter(|c| !self.needs_refresh(c, now())) {
            return Ok(fresh);
        }
        let _refreshing = self.refreshing.lock().await;
        // Another caller may have refreshed while this one waited.
        if let Some(fresh) = self.cached().filter(|c| !self.needs_refresh(c, now())) {
            return Ok(fresh);
        }
        match self.provider.provide(http).await {
            Ok(new) => {
                let new = Arc::new(new);
                if let Ok(mut current) = self.current.write() {
                    *current = Some(new.clone());
                }
                tracing::debug!(source = self.provider.name(), ak = %new.ak, "sms_api: credentials refreshed");
                Ok(new)
            }
            Err(error) => match self.cached().filter(|c| usable(c, now())) {
                Some(old) => {
                    tracing::warn!(source = self.provider.name(), %error, "sms_api: refreshing credentials failed; the current ones are still valid");
                    Ok(old)
                }
                None => Err(error),
            },
        }
    }

    /// The cached credentials, if they can sign a request sent at `now`.
    pub(crate) fn usable(&self, now: SystemTime) -> Option<Arc<TemporaryCredentials>> {
        self.cached().filter(|c| usable(c, now))
    }

    fn cached(&self) -> Option<Arc<TemporaryCredentials>> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    fn needs_refresh(&self, credentials: &TemporaryCredentials, now: SystemTime) -> bool {
        credentials
            .expires_at
            .is_some_and(|at| now + self.refresh_before >= at)
    }
}

/// Whether credentials can still sign a request sent at `now`.
fn usable(credentials: &TemporaryCredentials, now: SystemTime) -> bool {
    credentials
        .expires_at
        .is_none_or(|at| now + SIGNING_MARGIN < at)
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("source", &self.provider.name())
            .field("refresh_before", &self.refresh_before)
            .finish_non_exhaustive()
    }
}
