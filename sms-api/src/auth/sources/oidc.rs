//! STS, assuming an agency with an OIDC ID token: `POST /v5/agencies/assume-with-oidc`.

use serde_json::json;

use super::super::{CredentialsError, ProvideCredentials, ProvideFuture};
use super::{credentials_from, read_token_file};

pub const PROVIDER_URN_ENV: &str = "HUAWEICLOUD_OIDC_PROVIDER_URN";
pub const AGENCY_URN_ENV: &str = "HUAWEICLOUD_OIDC_AGENCY_URN";
pub const ID_TOKEN_ENV: &str = "HUAWEICLOUD_OIDC_ID_TOKEN";
pub const TOKEN_FILE_ENV: &str = "HUAWEICLOUD_OIDC_TOKEN_FILE";
pub const SESSION_NAME_ENV: &str = "HUAWEICLOUD_OIDC_SESSION_NAME";
pub const DURATION_SECONDS_ENV: &str = "HUAWEICLOUD_OIDC_DURATION_SECONDS";
pub const STS_ENDPOINT_ENV: &str = "HUAWEICLOUD_SDK_STS_ENDPOINT";
/// The official SDKs' default STS endpoint.
pub const DEFAULT_STS_ENDPOINT: &str = "https://sts.cn-north-4.myhuaweicloud.com";
const DEFAULT_DURATION_SECONDS: u64 = 3600;

/// The ID token: given, or read from a file at each refresh (it is rotated).
#[derive(Clone)]
pub(crate) enum IdToken {
    Value(super::super::secret::Secret),
    File(String),
}

impl std::fmt::Debug for IdToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdToken::Value(_) => f.write_str("IdToken(<redacted>)"),
            IdToken::File(path) => write!(f, "IdToken(file {path})"),
        }
    }
}

/// Credentials from STS for an OIDC ID token.
#[derive(Debug, Clone)]
pub(crate) struct Oidc {
    pub(crate) sts_endpoint: String,
    pub(crate) provider_urn: String,
    pub(crate) agency_urn: String,
    pub(crate) id_token: IdToken,
    pub(crate) session_name: Option<String>,
    pub(crate) duration_seconds: u64,
}

impl Oidc {
    /// OIDC if the provider and agency URNs and an ID token are set; an error when some are.
    pub(crate) fn from_env(
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, CredentialsError> {
        let (provider, agency) = (env(PROVIDER_URN_ENV), env(AGENCY_URN_ENV));
        let id_token = env(ID_TOKEN_ENV)
            .map(|t| IdToken::Value(super::super::secret::Secret::new(t)))
            .or_else(|| env(TOKEN_FILE_ENV).map(IdToken::File));
        match (provider, agency, id_token) {
            (None, None, None) => Ok(None),
            (Some(provider_urn), Some(agency_urn), Some(id_token)) => Ok(Some(Oidc {
                sts_endpoint: env(STS_ENDPOINT_ENV)
                    .unwrap_or_else(|| DEFAULT_STS_ENDPOINT.to_owned()),
                provider_urn,
                agency_urn,
                id_token,
                session_name: env(SESSION_NAME_ENV),
                duration_seconds: env(DURATION_SECONDS_ENV)
                    .and_then(|d| d.parse().ok())
                    .unwrap_or(DEFAULT_DURATION_SECONDS),
            })),
            (provider, agency, token) => {
                let mut missing = Vec::new();
                if provider.is_none() {
                    missing.push(PROVIDER_URN_ENV);
                }
                if agency.is_none() {
                    missing.push(AGENCY_URN_ENV);
                }
                if token.is_none() {
                    missing.push(ID_TOKEN_ENV);
                }
                Err(CredentialsError::Incomplete {
                    source: "the environment (OIDC)".into(),
                    missing,
                })
            }
        }
    }
}

impl ProvideCredentials for Oidc {
    fn name(&self) -> &str {
        "STS (an OIDC ID token)"
    }

    fn provide<'a>(&'a self, http: &'a crate::auth::HttpClient) -> ProvideFuture<'a> {
        Box::pin(async move {
            let base = super::secure_base(self.name(), &self.sts_endpoint)?;
            let id_token = match &self.id_token {
                IdToken::Value(secret) => secret.expose().to_owned(),
                IdToken::File(path) => read_token_file(path, "OIDC ID token").await?,
            };
            let mut payload = json!({
                "provider_urn": self.provider_urn,
                "agency_urn": self.agency_urn,
                "id_token": id_token,
                "duration_seconds": self.duration_seconds,
            });
            if let Some(name) = &self.session_name {
                payload["agency_session_name"] = json!(name);
            }
            let request = http
                .reqwest()
                .post(format!("{base}/v5/agencies/assume-with-oidc"))
                .json(&payload);
            credentials_from(request, &format!("STS at {base}")).await
        })
    }
}
