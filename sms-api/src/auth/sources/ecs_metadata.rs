//! The ECS metadata service: the credentials of the agency the instance runs as. A session
//! token first (`PUT /meta-data/latest/api/token`), then `GET /openstack/latest/securitykey`
//! with it, as the official SDKs do; a service that hands out no session token is asked
//! without one.

use reqwest::header::HeaderValue;

use super::super::{ProvideCredentials, ProvideFuture};
use super::{credentials_from, send};

/// The metadata service's address on every ECS instance.
pub const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
/// Our own variable (the official SDKs have none): another address, for tests and unusual
/// networks.
pub const ENDPOINT_ENV: &str = "HUAWEICLOUD_SDK_METADATA_ENDPOINT";
const TOKEN_TTL_SECONDS: &str = "21600";

/// Credentials from the ECS metadata service.
#[derive(Debug, Clone)]
pub(crate) struct EcsMetadata {
    pub(crate) endpoint: String,
}

impl EcsMetadata {
    pub(crate) fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Self {
        EcsMetadata {
            endpoint: env(ENDPOINT_ENV).unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned()),
        }
    }
}

impl ProvideCredentials for EcsMetadata {
    fn name(&self) -> &str {
        "the ECS metadata service"
    }

    /// A host-local service: never through a proxy.
    fn direct(&self) -> bool {
        true
    }

    fn provide<'a>(&'a self, http: &'a crate::auth::HttpClient) -> ProvideFuture<'a> {
        Box::pin(async move {
            let base = super::secure_base(self.name(), &self.endpoint)?;
            let source = format!("the ECS metadata service at {base}");
            let token = send(
                http.reqwest()
                    .put(format!("{base}/meta-data/latest/api/token"))
                    .header("X-Metadata-Token-Ttl-Seconds", TOKEN_TTL_SECONDS),
                &source,
            )
            .await;
            let mut request = http
                .reqwest()
                .get(format!("{base}/openstack/latest/securitykey"));
            match token {
                Ok(response) => {
                    let text = response.text().await.unwrap_or_default();
                    let mut value = HeaderValue::from_str(text.trim()).map_err(|_| {
                        super::failed(
                            &source,
                            "its session token cannot be sent in a header".into(),
                        )
                    })?;
                    value.set_sensitive(true);
                    request = request.header("X-Metadata-Token", value);
                }
                // No way to reach it: say so, so that the chain moves on.
                Err(
                    error @ crate::error::CredentialsError::Source {
                        unreachable: true, ..
                    },
                ) => return Err(error),
                // A service that hands out no session token (404, 405): ask without one.
                Err(_) => {}
            }
            credentials_from(request, &source).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_expiry_past_what_the_clock_holds_is_an_error_naming_the_source_and_field() {
        let server = httpmock::MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET").path("/openstack/latest/securitykey");
                then.status(200).body(
                    r#"{"credential": {"access": "AK", "secret": "SK-SECRET", "securitytoken": "ST", "expires_at": "300000000000-01-01T00:00:00Z"}}"#,
                );
            })
            .await;
        let source = EcsMetadata {
            endpoint: server.base_url(),
        };
        let error = source
            .provide(&crate::auth::HttpClient::for_tests())
            .await
            .unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("the ECS metadata service at http://127.0.0.1"),
            "{text}"
        );
        assert!(
            text.contains("`expires_at` is not a usable time: it is before 1970 or past"),
            "{text}"
        );
        assert!(!text.contains("SK-SECRET"), "{text}");
    }

    #[tokio::test]
    async fn a_plain_http_endpoint_off_this_host_is_never_asked() {
        let source = EcsMetadata {
            endpoint: "http://metadata.example".into(),
        };
        let error = source
            .provide(&crate::auth::HttpClient::for_tests())
            .await
            .unwrap_err();
        assert!(error.to_string().contains("plain http://"), "{error}");
    }
}
