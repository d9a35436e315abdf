//! Where temporary credentials come from, each a [`ProvideCredentials`](super::ProvideCredentials):
//!
//! - `ecs_metadata.rs`: the ECS metadata service (the instance's agency);
//! - `pod_identity.rs`: CCE pod identity;
//! - `id_token.rs`: IAM federation with an IdP's ID token;
//! - `oidc.rs`: STS, assuming an agency with an OIDC ID token;
//! - `lazy_chain.rs`: the end of the default chain, pod identity (when configured) then the metadata service,
//!   tried at the first request.

pub(crate) mod ecs_metadata;
pub(crate) mod id_token;
pub(crate) mod lazy_chain;
pub(crate) mod oidc;
pub(crate) mod pod_identity;

use std::time::Duration;

use super::CredentialsError;
use super::temporary::{self, TemporaryCredentials};

/// How long a source may take to answer.
pub(crate) const SOURCE_TIMEOUT: Duration = Duration::from_secs(5);

/// Sends `request`, and reads the credentials in a 2xx answer; `source` names the source in
/// errors (which never quote a body: it holds secrets).
pub(crate) async fn credentials_from(
    request: reqwest::RequestBuilder,
    source: &str,
) -> Result<TemporaryCredentials, CredentialsError> {
    let response = send(request, source).await?;
    let body = response
        .bytes()
        .await
        .map_err(|e| failed(source, format!("its answer could not be read: {e}")))?;
    temporary::parse(&body).map_err(|reason| failed(source, reason))
}

/// Sends `request`; a non-2xx answer is an error that gives its status.
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    source: &str,
) -> Result<reqwest::Response, CredentialsError> {
    let response = request
        .timeout(SOURCE_TIMEOUT)
        .send()
        .await
        .map_err(|e| unreachable_or_failed(source, &e))?;
    let status = response.status();
    if !status.is_success() {
        return Err(failed(
            source,
            format!("it answered HTTP {}", status.as_u16()),
        ));
    }
    Ok(response)
}

/// A source that answered something unusable.
pub(crate) fn failed(source: &str, reason: String) -> CredentialsError {
    CredentialsError::Source {
        source: source.to_owned(),
        reason,
        unreachable: false,
    }
}

fn unreachable_or_failed(source: &str, error: &reqwest::Error) -> CredentialsError {
    let unreachable = error.is_connect() || error.is_timeout();
    CredentialsError::Source {
        source: source.to_owned(),
        reason: if unreachable {
            format!("unreachable ({})", crate::error::chain(error))
        } else {
            crate::error::chain(error)
        },
        unreachable,
    }
}

/// The trimmed contents of a token file, or why it cannot be read.
pub(crate) fn read_token_file(path: &str, what: &str) -> Result<String, CredentialsError> {
    let text = std::fs::read_to_string(path).map_err(|e| CredentialsError::Unreadable {
        path: path.into(),
        reason: e.to_string(),
    })?;
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Err(CredentialsError::Unreadable {
            path: path.into(),
            reason: format!("the {what} file is empty"),
        });
    }
    Ok(text)
}
