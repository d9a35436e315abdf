//! The network settings a builder can give the HTTP client it makes, as the official SDKs'
//! `HttpConfig` does: a proxy (with credentials, never shown), extra root certificates, a
//! client certificate. Two clients come out of them: the one ListTasks and IAM go through
//! (proxies honoured), and a direct one for host-local credential sources.

use std::fmt;
use std::time::Duration;

use crate::auth::Secret;

/// A proxy, extra roots and a client certificate; all empty by default.
#[derive(Clone, Default)]
pub(crate) struct Network {
    proxy: Option<String>,
    proxy_user: Option<(String, Secret)>,
    /// Why the proxy URL given could not be used (it is never echoed: it may hold a password).
    proxy_error: Option<String>,
    roots: Vec<Vec<u8>>,
    identity: Option<(Vec<u8>, Secret)>,
}

/// Why the network settings cannot be used.
#[derive(Debug)]
pub(crate) enum NetworkError {
    Proxy(String),
    Certificate(String),
    Identity(String),
    /// Settings given with a `reqwest::Client` of the caller's, which they would not reach.
    #[cfg(feature = "reqwest-client")]
    OwnClient,
    Client(String),
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkError::Proxy(reason) => write!(f, "the proxy {reason}"),
            NetworkError::Certificate(reason) => {
                write!(f, "the root certificate PEM is not usable: {reason}")
            }
            NetworkError::Identity(reason) => {
                write!(f, "the client certificate is not usable: {reason}")
            }
            #[cfg(feature = "reqwest-client")]
            NetworkError::OwnClient => f.write_str(
                "a proxy or certificates were given together with ClientBuilder::http_client: set them on that reqwest::Client instead",
            ),
            NetworkError::Client(reason) => write!(f, "the HTTP client could not be built: {reason}"),
        }
    }
}

impl Network {
    /// Whether nothing was set.
    #[cfg(feature = "reqwest-client")]
    pub(crate) fn is_default(&self) -> bool {
        self.proxy.is_none()
            && self.proxy_user.is_none()
            && self.roots.is_empty()
            && self.identity.is_none()
    }

    /// The proxy URL; a user and password in it are moved to the credentials.
    pub(crate) fn set_proxy(&mut self, url: String) {
        match reqwest::Url::parse(&url) {
            Ok(mut parsed) if !parsed.username().is_empty() => {
                let user = percent_decode(parsed.username());
                let password = percent_decode(parsed.password().unwrap_or_default());
                let _ = parsed.set_username("");
                let _ = parsed.set_password(None);
                if self.proxy_user.is_none() {
                    self.proxy_user = Some((user, Secret::new(password)));
                }
                self.proxy = Some(parsed.to_string());
            }
            Ok(_) => self.proxy = Some(url),
            // Never echo a URL that may hold a password.
            Err(error) => {
                self.proxy_error = Some(format!("URL cannot be parsed ({error})"));
                self.proxy = None;
            }
        }
    }

    pub(crate) fn set_proxy_credentials(&mut self, user: String, password: String) {
        self.proxy_user = Some((user, Secret::new(password)));
    }

    pub(crate) fn add_root_certificate(&mut self, pem: Vec<u8>) {
        self.roots.push(pem);
    }

    pub(crate) fn set_identity(&mut self, chain: Vec<u8>, key: Vec<u8>) {
        self.identity = Some((
            chain,
            Secret::new(String::from_utf8_lossy(&key).into_owned()),
        ));
    }

    /// An HTTP client with these settings; `through_proxy` false ignores every proxy, the
    /// environment's included.
    pub(crate) fn client(
        &self,
        connect_timeout: Duration,
        through_proxy: bool,
    ) -> Result<reqwest::Client, NetworkError> {
        // Never follow a redirect: reqwest would send `X-Auth-Token`, `X-Security-Token` and
        // `X-Project-Id` to whatever origin the `Location` names (it strips only
        // `Authorization` and cookies), and send an action again there, unseen by the attempts.
        let mut builder = reqwest_builder()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(reason) = &self.proxy_error {
            return Err(NetworkError::Proxy(reason.clone()));
        }
        if !through_proxy {
            builder = builder.no_proxy();
        } else if let Some(url) = &self.proxy {
            let mut proxy = reqwest::Proxy::all(url.as_str())
                .map_err(|e| NetworkError::Proxy(format!("{url:?} is not usable: {e}")))?
                .no_proxy(reqwest::NoProxy::from_env());
            if let Some((user, password)) = &self.proxy_user {
                proxy = proxy.basic_auth(user, password.expose());
            }
            builder = builder.proxy(proxy);
        } else if self.proxy_user.is_some() {
            return Err(NetworkError::Proxy(
                "credentials were given without a proxy: call ClientBuilder::proxy too".into(),
            ));
        }
        builder = self.tls(builder)?;
        builder
            .build()
            .map_err(|e| NetworkError::Client(crate::error::chain(&e)))
    }

    #[cfg(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls"))]
    fn tls(
        &self,
        mut builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, NetworkError> {
        for pem in &self.roots {
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| NetworkError::Certificate(crate::error::chain(&e)))?;
            if certificates.is_empty() {
                return Err(NetworkError::Certificate(
                    "it holds no `BEGIN CERTIFICATE` block".into(),
                ));
            }
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        if let Some((chain, key)) = &self.identity {
            builder = builder.identity(identity(chain, key.expose().as_bytes())?);
        }
        Ok(backend(builder))
    }

    #[cfg(not(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls")))]
    fn tls(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, NetworkError> {
        const NO_TLS: &str =
            "this build has no TLS (enable the `rustls`, `rustls-aws-lc` or `native-tls` feature)";
        if self.identity.is_some() {
            Err(NetworkError::Identity(NO_TLS.into()))
        } else if !self.roots.is_empty() {
            Err(NetworkError::Certificate(NO_TLS.into()))
        } else {
            Ok(builder)
        }
    }
}

/// The TLS backend, chosen explicitly so that the identity type matches it: native-tls when its
/// feature is on (it is opt-in, `rustls` being the default: whoever turns it on wants the
/// system's OpenSSL, and reqwest too prefers it when both are built), else rustls.
#[cfg(feature = "native-tls")]
fn backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.tls_backend_native()
}

#[cfg(all(
    any(feature = "rustls", feature = "rustls-aws-lc"),
    not(feature = "native-tls")
))]
fn backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.tls_backend_rustls()
}

/// reqwest's client builder, with a rustls provider in place: the `rustls` feature builds
/// reqwest without one, and reqwest panics when it finds none. Every reqwest client of the
/// crate is made from here.
pub(crate) fn reqwest_builder() -> reqwest::ClientBuilder {
    // The process's provider: ring, unless the application installed one first (then this
    // fails, and theirs is kept, as it should be).
    #[cfg(all(feature = "rustls", not(feature = "rustls-aws-lc")))]
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

#[cfg(all(
    any(feature = "rustls", feature = "rustls-aws-lc"),
    not(feature = "native-tls")
))]
fn identity(chain: &[u8], key: &[u8]) -> Result<reqwest::Identity, NetworkError> {
    let mut pem = key.to_vec();
    pem.push(b'\n');
    pem.extend_from_slice(chain);
    // reqwest's message does not quote the key.
    reqwest::Identity::from_pem(&pem).map_err(|e| NetworkError::Identity(crate::error::chain(&e)))
}

#[cfg(feature = "native-tls")]
fn identity(chain: &[u8], key: &[u8]) -> Result<reqwest::Identity, NetworkError> {
    reqwest::Identity::from_pkcs8_pem(chain, key)
        .map_err(|e| NetworkError::Identity(crate::error::chain(&e)))
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

impl fmt::Debug for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Network")
            .field("proxy", &self.proxy)
            .field(
                "proxy_user",
                &self
                    .proxy_user
                    .as_ref()
                    .map(|(user, password)| (user, password)),
            )
            .field("root_certificates", &self.roots.len())
            .field("client_certificate", &self.identity.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_proxy_url_is_moved_out_of_it_and_never_shown() {
        let mut network = Network::default();
        network.set_proxy("http://me:s%40cret@proxy.example:3128".into());
        let shown = format!("{network:?}");
        assert!(
            !shown.contains("s@cret") && !shown.contains("s%40cret"),
            "{shown}"
        );
        assert!(
            shown.contains("proxy.example:3128") && shown.contains("\"me\""),
            "{shown}"
        );
        let (user, password) = network.proxy_user.as_ref().unwrap();
        assert_eq!((user.as_str(), password.expose()), ("me", "s@cret"));
        assert!(network.client(Duration::from_secs(1), true).is_ok());
    }

    /// Whichever TLS features are on (CI builds each alone and both together), a client
    /// certificate builds a client with the backend it was made for.
    #[cfg(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls"))]
    #[test]
    fn a_client_certificate_builds_a_client_with_its_own_backend() {
        let mut network = Network::default();
        network.set_identity(
            include_bytes!("../../../tests/tests/fixtures/tls/server.pem").to_vec(),
            include_bytes!("../../../tests/tests/fixtures/tls/server.key").to_vec(),
        );
        network.add_root_certificate(
            include_bytes!("../../../tests/tests/fixtures/tls/ca.pem").to_vec(),
        );
        network.client(Duration::from_secs(1), true).unwrap();
    }

    #[test]
    fn unusable_settings_say_what_is_wrong_without_quoting_secrets() {
        let mut network = Network::default();
        network.add_root_certificate(b"not a pem".to_vec());
        let error = network.client(Duration::from_secs(1), true).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("the root certificate PEM is not usable"),
            "{error}"
        );
        let mut network = Network::default();
        network.set_proxy_credentials("me".into(), "pw-secret".into());
        let error = network.client(Duration::from_secs(1), true).unwrap_err();
        assert!(
            error.to_string().contains("without a proxy")
                && !error.to_string().contains("pw-secret")
        );
        let mut network = Network::default();
        network.set_identity(b"chain".to_vec(), b"KEY-SECRET".to_vec());
        let error = network.client(Duration::from_secs(1), true).unwrap_err();
        assert!(!error.to_string().contains("KEY-SECRET"), "{error}");
    }
}
