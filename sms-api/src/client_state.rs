//! What the generated client carries besides its endpoint and HTTP client.

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};

/// The state the hooks use on every request: the credential headers.
///
/// Built by [`Client::builder`](crate::Client::builder); its `Debug` never shows a secret.
///
/// ```
/// # fn main() -> Result<(), sms_api::BuildError> {
/// use sms_api::{Client, ClientInfo, Credentials};
///
/// let client = Client::builder()
///     .endpoint("https://sms.cn-north-4.myhuaweicloud.com")
///     .credentials(Credentials::iam_token("MIIZ-secret-token"))
///     .build()?;
/// let state = format!("{:?}", client.inner());
/// assert!(!state.contains("MIIZ"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ClientState {
    auth_headers: Vec<(HeaderName, HeaderValue)>,
}

impl ClientState {
    pub(crate) fn new(auth_headers: Vec<(HeaderName, HeaderValue)>) -> Self {
        Self { auth_headers }
    }

    /// Adds the credential headers to an outgoing request.
    pub(crate) fn authorize(&self, request: &mut reqwest::Request) {
        for (name, value) in &self.auth_headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.auth_headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("ClientState")
            .field("auth_headers", &names)
            .finish_non_exhaustive()
    }
}
