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

/// The longest answer [`HttpClient::send`](crate::auth::HttpClient::send) (and every built-in source) reads: credentials are a few hundred bytes, and a
/// source that sends more must not fill the memory of the program it serves.
///
/// ```
/// assert_eq!(sms_api::auth::MAX_ANSWER_BYTES, 1 << 20);
/// ```
pub const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// How long a source may take to answer.
pub(crate) const SOURCE_TIMEOUT: Duration = Duration::from_secs(5);

/// Sends `request`, and reads the credentials in a 2xx answer; `source` names the source in
/// errors (which never quote a body: it holds secrets).
pub(crate) async fn credentials_from(
    request: reqwest::RequestBuilder,
    source: &str,
) -> Result<TemporaryCredentials, CredentialsError> {
    let response = send(request, source).await?;
    let body = read_body(response, source).await?;
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

/// The base URL of a source that secrets go to or come from (`what` names it in errors), with
/// no trailing `/`: `https://`, or `http://` only to loopback or a link-local address, which
/// no router forwards (aws-config's rule for container credentials, which names its
/// link-local addresses one by one; Huawei documents none for CCE pod identity, so the
/// link-local ranges are taken, the metadata service's `169.254.169.254` among them); never
/// with a user or password, which no message shows.
pub(crate) fn secure_base(what: &str, endpoint: &str) -> Result<String, CredentialsError> {
    use crate::auth::endpoint_url::{is_link_local, is_loopback, without_userinfo};
    let shown = without_userinfo(endpoint);
    let refuse = |why: &str| failed(what, format!("its endpoint `{shown}` {why}"));
    let url = url::Url::parse(endpoint).map_err(|e| refuse(&format!("is not a URL ({e})")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("must not carry a user or password"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) || is_link_local(&url) => {}
        "http" => {
            return Err(refuse(
                "is plain http:// to a host that is neither loopback nor link-local: secrets would cross the network in clear; use https://",
            ));
        }
        _ => return Err(refuse("must be an https:// URL")),
    }
    Ok(endpoint.trim_end_matches('/').to_owned())
}

/// A source that answered something unusable.
pub(crate) fn failed(source: &str, reason: String) -> CredentialsError {
    CredentialsError::Source {
        source: source.to_owned(),
        reason,
        unreachable: false,
    }
}

pub(crate) fn unreachable_or_failed(source: &str, error: &reqwest::Error) -> CredentialsError {
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

/// The trimmed contents of a token file, or why it cannot be read; read on tokio's blocking
/// pool, so that a slow volume (a projected token on a busy node) does not stall the runtime.
pub(crate) async fn read_token_file(path: &str, what: &str) -> Result<String, CredentialsError> {
    let text = tokio::fs::read_to_string(path)
        .await
        .map_err(|e| CredentialsError::Unreadable {
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

/// The body of a source's answer, at most [`MAX_ANSWER_BYTES`]: every source's answer is read
/// here, the built-in ones' too.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    source: &str,
) -> Result<bytes::Bytes, CredentialsError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| failed(source, format!("its answer could not be read: {e}")))?
    {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(failed(
                source,
                format!("its answer is longer than {MAX_ANSWER_BYTES} bytes"),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_go_over_tls_or_stay_on_this_host_or_its_link() {
        for allowed in [
            "https://iam.myhuaweicloud.com/",
            "https://10.1.2.3:8443",
            "http://169.254.169.254",
            "http://169.254.170.23/v1/credentials",
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:2",
            "http://[fe80::1]:3",
        ] {
            assert!(secure_base("IAM", allowed).is_ok(), "{allowed}");
        }
        assert_eq!(
            secure_base("IAM", "https://iam.example/").unwrap(),
            "https://iam.example"
        );
        for (refused, why) in [
            ("http://iam.example", "plain http://"),
            ("http://10.0.0.5", "plain http://"),
            ("http://169.255.1.1", "plain http://"),
            ("ftp://iam.example", "must be an https:// URL"),
            (
                "https://me:hunter2@iam.example",
                "must not carry a user or password",
            ),
            ("http://me:hunter2@[::1", "is not a URL"),
            ("iam.example", "is not a URL"),
        ] {
            let error = secure_base("IAM", refused).unwrap_err();
            let shown = format!("{error} {error:?}");
            assert!(shown.contains(why), "{refused}: {shown}");
            assert!(!shown.contains("hunter2"), "{shown}");
        }
    }
}
