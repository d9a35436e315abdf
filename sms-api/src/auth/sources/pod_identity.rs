//! CCE pod identity: `POST $HC_CONTAINER_CREDENTIALS_FULL_URI` with the token of
//! `$HC_CONTAINER_AUTHORIZATION_TOKEN_FILE` as `Authorization`.

use reqwest::header::{AUTHORIZATION, HeaderValue};

use super::super::{ProvideCredentials, ProvideFuture};
use super::{credentials_from, failed, read_token_file};

pub const URI_ENV: &str = "HC_CONTAINER_CREDENTIALS_FULL_URI";
pub const TOKEN_FILE_ENV: &str = "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// Credentials from CCE pod identity.
#[derive(Debug, Clone)]
pub(crate) struct PodIdentity {
    pub(crate) uri: String,
    pub(crate) token_file: String,
}

impl PodIdentity {
    /// Pod identity if both variables are set.
    pub(crate) fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Option<Self> {
        Some(PodIdentity {
            uri: env(URI_ENV)?,
            token_file: env(TOKEN_FILE_ENV)?,
        })
    }
}

impl ProvideCredentials for PodIdentity {
    fn name(&self) -> &str {
        "CCE pod identity"
    }

    /// A host-local service: never through a proxy.
    fn direct(&self) -> bool {
        true
    }

    fn provide<'a>(&'a self, http: &'a crate::auth::HttpClient) -> ProvideFuture<'a> {
        Box::pin(async move {
            super::secure_base(self.name(), &self.uri)?;
            let source = format!("CCE pod identity at {}", self.uri);
            let token = read_token_file(&self.token_file, "pod identity token").await?;
            let mut value = HeaderValue::from_str(&token)
                .map_err(|_| failed(&source, "the token cannot be sent in a header".into()))?;
            value.set_sensitive(true);
            let request = http
                .reqwest()
                .post(&self.uri)
                .header(AUTHORIZATION, value)
                .header("content-type", "application/json")
                .body("{}");
            credentials_from(request, &source).await
        })
    }
}
