//! What the client authenticates with: an IAM token, or an AK/SK pair that signs each request.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use super::provider::{
    CredentialsCache, DEFAULT_LOAD_TIMEOUT, DEFAULT_REFRESH_BEFORE, ProvideCredentials,
};
use super::secret::Secret;
use crate::generated::client::{TOKEN_HEADER, TOKEN_MAX_LENGTH};

/// The header that carries an IAM token (the spec's `iam_token` security scheme).
const X_AUTH_TOKEN: HeaderName = HeaderName::from_static(TOKEN_HEADER);
const X_PROJECT_ID: HeaderName = HeaderName::from_static("x-project-id");
const X_DOMAIN_ID: HeaderName = HeaderName::from_static("x-domain-id");
const X_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-security-token");

/// Largest IAM token the service takes, in characters (the `iam_token` scheme's `x-max-length`).
const MAX_TOKEN_LEN: usize = TOKEN_MAX_LENGTH;

/// Credentials attached to every request the client sends.
///
/// Build them with [`Credentials::iam_token`], [`Credentials::basic`], [`Credentials::global`],
/// or find them where Huawei Cloud users keep them with [`Credentials::from_default_chain`].
/// `Debug` never shows a secret:
///
/// ```
/// use sms_api::Credentials;
///
/// let token = Credentials::iam_token("MIIZ-secret-token");
/// assert_eq!(format!("{token:?}"), "Credentials::IamToken(<redacted>)");
///
/// let basic: Credentials = Credentials::basic("HPUAEXAMPLEAK", "secret-key").project_id("0123").into();
/// assert!(!format!("{basic:?}").contains("secret-key"));
/// ```
#[derive(Clone)]
pub struct Credentials(Kind);

#[derive(Clone)]
enum Kind {
    IamToken(Secret),
    AkSk(AkSk),
    /// Temporary credentials from a source, refreshed before they expire.
    Provider {
        provider: Arc<dyn ProvideCredentials>,
        project_id: Option<String>,
        refresh_before: Duration,
        load_timeout: Duration,
    },
}

/// An access key pair and what goes with it.
#[derive(Clone)]
struct AkSk {
    ak: String,
    sk: Secret,
    security_token: Option<Secret>,
    scope: Scope,
}

#[derive(Clone, Debug)]
enum Scope {
    /// "Basic" credentials, optionally bound to a project (`X-Project-Id`).
    Project(Option<String>),
    /// "Global" credentials, bound to an account (`X-Domain-Id`).
    Domain(String),
}

/// "Basic" AK/SK credentials, as the official SMS clients use them; convert into
/// [`Credentials`] with `.into()` (or pass them to `ClientBuilder::credentials` directly).
///
/// ```
/// let credentials = sms_api::Credentials::basic("HPUAEXAMPLEAK", "secret-key")
///     .project_id("0123456789abcdef0123456789abcdef")
///     .security_token("temporary-security-token");
/// # let _ = credentials;
/// ```
#[derive(Clone)]
#[must_use]
pub struct BasicCredentials(AkSk);

/// "Global" AK/SK credentials, bound to an account (`X-Domain-Id`).
///
/// ```
/// let credentials = sms_api::Credentials::global("HPUAEXAMPLEAK", "secret-key", "domainid0123");
/// # let _ = credentials;
/// ```
#[derive(Clone)]
#[must_use]
pub struct GlobalCredentials(AkSk);

/// How the client authenticates a request, once credentials are checked.
#[derive(Clone)]
pub(crate) enum Auth {
    /// Headers to attach as they are.
    Headers(Vec<(HeaderName, HeaderValue)>),
    /// Headers to attach, then an SDK-HMAC-SHA256 signature over the request.
    Sign {
        ak: String,
        sk: Secret,
        headers: Vec<(HeaderName, HeaderValue)>,
    },
    /// Headers to attach, then the security token and a signature with the cache's temporary
    /// credentials (which the `pre` hook refreshes when due).
    Temporary {
        cache: Arc<CredentialsCache>,
        headers: Vec<(HeaderName, HeaderValue)>,
    },
}

impl Auth {
    /// The headers attached to every request, before any signature.
    pub(crate) fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        let (Auth::Headers(headers) | Auth::Sign { headers, .. } | Auth::Temporary { headers, .. }) =
            self;
        headers
    }

    /// The cache of temporary credentials, if these are.
    pub(crate) fn cache(&self) -> Option<&Arc<CredentialsCache>> {
        match self {
            Auth::Temporary { cache, .. } => Some(cache),
            _ => None,
        }
    }

    /// The names of the headers attached (never their values), for `Debug`.
    pub(crate) fn header_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.headers().iter().map(|(n, _)| n.as_str()).collect();
        if matches!(self, Auth::Sign { .. } | Auth::Temporary { .. }) {
            names.extend(["x-sdk-date", "authorization"]);
        }
        if matches!(self, Auth::Temporary { .. }) {
            names.push("x-security-token");
        }
        names
    }
}

impl Credentials {
    /// Authenticates with an IAM user token, from the `X-Subject-Token` header of IAM's token
    /// API; it is sent as `X-Auth-Token`, marked sensitive.
    ///
    /// ```
    /// let credentials = sms_api::Credentials::iam_token("MIIZ-secret-token");
    /// # let _ = credentials;
    /// ```
    pub fn iam_token(token: impl Into<String>) -> Self {
        Credentials(Kind::IamToken(Secret::new(token)))
    }

    /// Authenticates with an access key (AK) and secret key (SK): every request is signed with
    /// SDK-HMAC-SHA256, as the official SDKs sign it. Add a project id or a security token on
    /// the returned [`BasicCredentials`].
    ///
    /// ```
    /// let credentials = sms_api::Credentials::basic("HPUAEXAMPLEAK", "secret-key");
    /// # let _ = credentials;
    /// ```
    pub fn basic(ak: impl Into<String>, sk: impl Into<String>) -> BasicCredentials {
        BasicCredentials(AkSk {
            ak: ak.into(),
            sk: Secret::new(sk),
            security_token: None,
            scope: Scope::Project(None),
        })
    }

    /// Authenticates with an AK/SK pair bound to an account (sent as `X-Domain-Id`).
    ///
    /// ```
    /// let credentials = sms_api::Credentials::global("HPUAEXAMPLEAK", "secret-key", "domainid0123");
    /// # let _ = credentials;
    /// ```
    pub fn global(
        ak: impl Into<String>,
        sk: impl Into<String>,
        domain_id: impl Into<String>,
    ) -> GlobalCredentials {
        GlobalCredentials(AkSk {
            ak: ak.into(),
            sk: Secret::new(sk),
            security_token: None,
            scope: Scope::Domain(domain_id.into()),
        })
    }

    /// Temporary credentials from `provider`, refreshed in the background when less than 40
    /// minutes remain before they expire (see [`refresh_before`](Self::refresh_before)): one
    /// refresh for all the concurrent requests of a client and its clones, and no request
    /// waits for it while the current credentials are usable. A failed refresh is tried again
    /// after a back-off (10 s doubling to 5 minutes); only when no usable credentials remain
    /// does a request wait for the source, at most the [`load_timeout`](Self::load_timeout).
    pub fn from_provider(provider: impl ProvideCredentials) -> Self {
        Credentials(Kind::Provider {
            provider: Arc::new(provider),
            project_id: None,
            refresh_before: DEFAULT_REFRESH_BEFORE,
            load_timeout: DEFAULT_LOAD_TIMEOUT,
        })
    }

    /// For credentials from a provider: refresh when less than `margin` remains before they
    /// expire (default 40 minutes, as the official SDKs), and up to a quarter of `margin`
    /// earlier at random, so that a fleet of hosts does not refresh at once. A margin under
    /// [`MIN_REFRESH_BEFORE`](crate::auth::MIN_REFRESH_BEFORE) (one minute) is raised to it:
    /// the client never signs with credentials that expire within 30 s, and a refresh needs
    /// time to be tried again before that.
    ///
    /// ```
    /// use std::time::Duration;
    /// let credentials = sms_api::Credentials::from_ecs_metadata().refresh_before(Duration::from_secs(600));
    /// # let _ = credentials;
    /// ```
    #[must_use]
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        if let Kind::Provider { refresh_before, .. } = &mut self.0 {
            *refresh_before = margin;
        }
        self
    }

    /// For credentials from a provider: how long the source may take to answer (default
    /// [`DEFAULT_LOAD_TIMEOUT`](crate::auth::DEFAULT_LOAD_TIMEOUT), 5 s). A request waits for
    /// it only when no usable credentials remain.
    ///
    /// ```
    /// use std::time::Duration;
    /// let credentials = sms_api::Credentials::from_ecs_metadata().load_timeout(Duration::from_secs(2));
    /// # let _ = credentials;
    /// ```
    #[must_use]
    pub fn load_timeout(mut self, timeout: Duration) -> Self {
        if let Kind::Provider { load_timeout, .. } = &mut self.0 {
            *load_timeout = timeout;
        }
        self
    }

    /// For credentials from a provider: the project they act in, sent as `X-Project-Id`.
    #[must_use]
    pub fn with_project_id(mut self, id: impl Into<String>) -> Self {
        if let Kind::Provider { project_id, .. } = &mut self.0 {
            *project_id = Some(id.into());
        }
        self
    }

    /// Where these credentials come from, for messages (never a secret, and the access key
    /// only by its first four characters): "an IAM token", "an AK/SK pair (HPUA...)", "the ECS
    /// metadata service"...
    ///
    /// ```
    /// assert_eq!(sms_api::Credentials::iam_token("t").source(), "an IAM token");
    /// let pair: sms_api::Credentials = sms_api::Credentials::basic("HPUAEXAMPLEAK", "sk").into();
    /// assert_eq!(pair.source(), "an AK/SK pair (HPUA...)");
    /// ```
    pub fn source(&self) -> String {
        match &self.0 {
            Kind::IamToken(_) => "an IAM token".to_owned(),
            Kind::AkSk(aksk) if aksk.security_token.is_some() => {
                format!("a temporary AK/SK pair ({})", masked(&aksk.ak))
            }
            Kind::AkSk(aksk) => format!("an AK/SK pair ({})", masked(&aksk.ak)),
            Kind::Provider { provider, .. } => provider.name().to_owned(),
        }
    }

    /// Checks the credentials and turns them into what the client attaches to each request, or
    /// says what is wrong (without ever quoting a secret).
    pub(crate) fn to_auth(&self) -> Result<Auth, String> {
        match &self.0 {
            Kind::Provider {
                provider,
                project_id,
                refresh_before,
                load_timeout,
            } => {
                let mut headers = Vec::new();
                if let Some(id) = project_id {
                    headers.push((X_PROJECT_ID, plain_header(id, "the project id")?));
                }
                Ok(Auth::Temporary {
                    cache: Arc::new(CredentialsCache::new(
                        provider.clone(),
                        *refresh_before,
                        *load_timeout,
                    )),
                    headers,
                })
            }
            Kind::IamToken(token) => {
                let token = token.expose();
                let len = token.chars().count();
                if len == 0 || len > MAX_TOKEN_LEN {
                    return Err(format!(
                        "the IAM token must be 1 to {MAX_TOKEN_LEN} characters long, it has {len}"
                    ));
                }
                Ok(Auth::Headers(vec![(
                    X_AUTH_TOKEN,
                    sensitive_header(token, "the IAM token")?,
                )]))
            }
            Kind::AkSk(aksk) => {
                if aksk.ak.is_empty() {
                    return Err("the access key (AK) is empty".to_owned());
                }
                if aksk
                    .ak
                    .contains(|c: char| !c.is_ascii_graphic() || c == ',')
                {
                    return Err("the access key (AK) has characters that cannot be sent".to_owned());
                }
                if aksk.sk.expose().is_empty() {
                    return Err("the secret key (SK) is empty".to_owned());
                }
                let mut headers = Vec::new();
                match &aksk.scope {
                    Scope::Project(Some(id)) => {
                        headers.push((X_PROJECT_ID, plain_header(id, "the project id")?))
                    }
                    Scope::Project(None) => {}
                    Scope::Domain(id) => {
                        headers.push((X_DOMAIN_ID, plain_header(id, "the domain id")?))
                    }
                }
                if let Some(token) = &aksk.security_token {
                    headers.push((
                        X_SECURITY_TOKEN,
                        sensitive_header(token.expose(), "the security token")?,
                    ));
                }
                Ok(Auth::Sign {
                    ak: aksk.ak.clone(),
                    sk: aksk.sk.clone(),
                    headers,
                })
            }
        }
    }
}

/// An access key by its first four characters: `HPUA...`.
fn masked(ak: &str) -> String {
    let shown: String = ak.chars().take(4).collect();
    format!("{shown}...")
}

fn plain_header(value: &str, what: &str) -> Result<HeaderValue, String> {
    if value.is_empty() {
        return Err(format!("{what} is empty"));
    }
    HeaderValue::from_str(value).map_err(|_| format!("{what} {value:?} cannot be sent in a header"))
}

fn sensitive_header(value: &str, what: &str) -> Result<HeaderValue, String> {
    if value.is_empty() {
        return Err(format!("{what} is empty"));
    }
    let mut header = HeaderValue::from_str(value)
        .map_err(|_| format!("{what} contains characters that cannot be sent in a header"))?;
    header.set_sensitive(true);
    Ok(header)
}

impl BasicCredentials {
    /// Binds the credentials to a project, sent (and signed) as `X-Project-Id`.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.0.scope = Scope::Project(Some(project_id.into()));
        self
    }

    /// Adds the security token of temporary credentials, sent (and signed) as `X-Security-Token`.
    pub fn security_token(mut self, token: impl Into<String>) -> Self {
        self.0.security_token = Some(Secret::new(token));
        self
    }
}

impl GlobalCredentials {
    /// Adds the security token of temporary credentials, sent (and signed) as `X-Security-Token`.
    pub fn security_token(mut self, token: impl Into<String>) -> Self {
        self.0.security_token = Some(Secret::new(token));
        self
    }
}

impl From<BasicCredentials> for Credentials {
    fn from(basic: BasicCredentials) -> Self {
        Credentials(Kind::AkSk(basic.0))
    }
}

impl From<GlobalCredentials> for Credentials {
    fn from(global: GlobalCredentials) -> Self {
        Credentials(Kind::AkSk(global.0))
    }
}

impl fmt::Debug for AkSk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct(match self.scope {
            Scope::Project(_) => "Credentials::Basic",
            Scope::Domain(_) => "Credentials::Global",
        });
        s.field("ak", &self.ak).field("sk", &self.sk);
        match &self.scope {
            Scope::Project(id) => s.field("project_id", id),
            Scope::Domain(id) => s.field("domain_id", id),
        };
        s.field("security_token", &self.security_token).finish()
    }
}

/// The security token header of temporary credentials, marked sensitive.
pub(crate) fn security_token_header(token: &str) -> Option<(HeaderName, HeaderValue)> {
    sensitive_header(token, "the security token")
        .ok()
        .map(|value| (X_SECURITY_TOKEN, value))
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::IamToken(token) => write!(f, "Credentials::IamToken({token:?})"),
            Kind::AkSk(aksk) => aksk.fmt(f),
            Kind::Provider {
                provider,
                refresh_before,
                ..
            } => f
                .debug_struct("Credentials::Provider")
                .field("source", &provider.name())
                .field("refresh_before", refresh_before)
                .finish_non_exhaustive(),
        }
    }
}

impl fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for GlobalCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(auth: &Auth) -> Vec<(String, String, bool)> {
        auth.headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    v.to_str().unwrap().to_owned(),
                    v.is_sensitive(),
                )
            })
            .collect()
    }

    #[test]
    fn token_header_is_sensitive() {
        let auth = Credentials::iam_token("abc").to_auth().unwrap();
        assert_eq!(
            headers(&auth),
            [("x-auth-token".into(), "abc".into(), true)]
        );
    }

    #[test]
    fn bad_tokens_are_refused_without_quoting_them() {
        let empty = Credentials::iam_token("").to_auth().err().unwrap();
        assert_eq!(
            empty,
            "the IAM token must be 1 to 16384 characters long, it has 0"
        );
        let long = Credentials::iam_token("x".repeat(16_385))
            .to_auth()
            .err()
            .unwrap();
        assert!(long.ends_with("it has 16385"), "{long}");
        let newline = Credentials::iam_token("secret\nvalue")
            .to_auth()
            .err()
            .unwrap();
        assert!(!newline.contains("secret"), "{newline}");
    }

    #[test]
    fn basic_credentials_carry_project_and_security_token() {
        let credentials: Credentials = Credentials::basic("AK", "SK")
            .project_id("p1")
            .security_token("st")
            .into();
        let auth = credentials.to_auth().unwrap();
        assert!(matches!(&auth, Auth::Sign { ak, .. } if ak == "AK"));
        assert_eq!(
            headers(&auth),
            [
                ("x-project-id".into(), "p1".into(), false),
                ("x-security-token".into(), "st".into(), true)
            ]
        );
        let global: Credentials = Credentials::global("AK", "SK", "d1").into();
        assert_eq!(
            headers(&global.to_auth().unwrap()),
            [("x-domain-id".into(), "d1".into(), false)]
        );
    }

    #[test]
    fn half_filled_aksk_is_refused() {
        let no_sk: Credentials = Credentials::basic("AK", "").into();
        assert_eq!(
            no_sk.to_auth().err().unwrap(),
            "the secret key (SK) is empty"
        );
        let no_ak: Credentials = Credentials::basic("", "SK").into();
        assert_eq!(
            no_ak.to_auth().err().unwrap(),
            "the access key (AK) is empty"
        );
        let bad: Credentials = Credentials::basic("AK", "SK").security_token("a\nb").into();
        assert!(!bad.to_auth().err().unwrap().contains("a\nb"));
    }

    #[test]
    fn debug_shows_the_ak_but_no_secret() {
        let credentials: Credentials = Credentials::basic("HPUAAK", "the-sk")
            .security_token("the-st")
            .project_id("p")
            .into();
        let shown = format!("{credentials:?}");
        assert_eq!(
            shown,
            "Credentials::Basic { ak: \"HPUAAK\", sk: <redacted>, project_id: Some(\"p\"), security_token: Some(<redacted>) }"
        );
    }
}
