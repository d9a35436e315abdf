//! progenitor's hooks for the generated [`Client`]: where credentials meet each request.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::Client;

impl ClientHooks<crate::ClientState> for Client {
    /// Attaches the credentials and sends the request. Credentials are attached here, on each
    /// send, so that anything signed covers the request exactly as it leaves.
    async fn exec(
        &self,
        mut request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.inner().authorize(&mut request);
        self.client().execute(request).await
    }
}
