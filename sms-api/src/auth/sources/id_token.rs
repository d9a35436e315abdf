//! IAM federation with an identity provider's ID token: an unscoped token for the ID token
//! (`POST /v3.0/OS-AUTH/id-token/tokens` with `X-Idp-Id`, the token in `X-Subject-Token`),
//! then temporary credentials for it (`POST /v3.0/OS-CREDENTIAL/securitytokens`).

use serde_json::json;

use super::super::{ProvideCredentials, ProvideFuture};
use super::{credentials_from, failed, read_token_file, send};

pub const IAM_ENDPOINT_ENV: &str = "HUAWEICLOUD_SDK_IAM_ENDPOINT";
/// IAM's global endpoint, the official SDKs' default.
pub const DEFAULT_IAM_ENDPOINT: &str = "https://iam.myhuaweicloud.com";
/// How long the temporary credentials last (the official SDKs ask for 6 hours).
const DURATION_SECONDS: u64 = 6 * 3600;

/// Credentials from IAM for an ID token.
#[derive(Debug, Clone)]
pub(crate) struct IdToken {
    pub(crate) iam_endpoint: String,
    pub(crate) idp_id: String,
    pub(crate) id_token_file: String,
}

impl ProvideCredentials for IdToken {
    fn name(&self) -> &str {
        "IAM federation (an ID token)"
    }

    fn provide<'a>(&'a self, http: &'a crate::auth::HttpClient) -> ProvideFuture<'a> {
        Box::pin(async move {
            let base = super::secure_base(self.name(), &self.iam_endpoint)?;
            let source = format!("IAM at {base}");
            let id_token = read_token_file(&self.id_token_file, "ID token").await?;
            let unscoped = send(
                http.reqwest()
                    .post(format!("{base}/v3.0/OS-AUTH/id-token/tokens"))
                    .header("X-Idp-Id", &self.idp_id)
                    .json(&json!({"auth": {"id_token": {"id": id_token}}})),
                &source,
            )
            .await?;
            let mut token = unscoped
                .headers()
                .get("x-subject-token")
                .cloned()
                .ok_or_else(|| failed(&source, "its answer has no X-Subject-Token".into()))?;
            token.set_sensitive(true);
            let token_text = token.to_str().unwrap_or_default().to_owned();
            let request = http
                .reqwest()
                .post(format!("{base}/v3.0/OS-CREDENTIAL/securitytokens"))
                .header("X-Auth-Token", token)
                .json(&json!({"auth": {"identity": {"methods": ["token"], "token": {"id": token_text, "duration_seconds": DURATION_SECONDS}}}}));
            credentials_from(request, &source).await
        })
    }
}
