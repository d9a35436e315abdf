//! What a credentials source is given to reach its service: the client's HTTP connection
//! pool, behind a type of this crate's, so that reqwest (before 1.0) stays out of the API of
//! [`ProvideCredentials`](super::ProvideCredentials).

use std::fmt;

use super::CredentialsError;
use super::sources::{SOURCE_TIMEOUT, failed, read_body, secure_base, unreachable_or_failed};

/// The HTTP client a [`ProvideCredentials`](super::ProvideCredentials) source sends with: the
/// client's own (its proxy, TLS roots, no redirects followed), or one that no proxy reaches
/// for a [`direct`](super::ProvideCredentials::direct) source.
///
/// ```no_run
/// # async fn run(http: &sms_api::auth::HttpClient) -> Result<(), sms_api::CredentialsError> {
/// let request = http::Request::get("https://vault.example/v1/huawei")
///     .header("x-vault-token", "...")
///     .body(Vec::new())
///     .expect("a valid request");
/// let answer = http.send("the vault", request).await?;
/// println!("HTTP {}: {} bytes", answer.status(), answer.body().len());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
}

impl HttpClient {
    pub(crate) fn new(inner: reqwest::Client) -> HttpClient {
        HttpClient { inner }
    }

    /// A client of its own, for the crate's tests.
    #[cfg(test)]
    pub(crate) fn for_tests() -> HttpClient {
        HttpClient::new(crate::client::network::reqwest_builder().build().unwrap())
    }

    /// The pool, for the crate's own sources.
    pub(crate) fn reqwest(&self) -> &reqwest::Client {
        &self.inner
    }

    /// Sends `request` to the source named `source` (errors name it) and reads its whole
    /// answer, whatever its status, within the sources' timeout (5 s) and at most
    /// [`MAX_ANSWER_BYTES`](super::MAX_ANSWER_BYTES). As for the built-in sources, the URL
    /// must be `https://`, or `http://` only to loopback or a link-local address, and carry no
    /// user or password. A refused URL, an answer that never comes or a connection refused is
    /// a [`CredentialsError`] that says so; no message quotes the request's headers or body.
    pub async fn send(
        &self,
        source: &str,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<bytes::Bytes>, CredentialsError> {
        secure_base(source, &request.uri().to_string())?;
        let mut request = reqwest::Request::try_from(request)
            .map_err(|e| failed(source, format!("the request is not usable: {e}")))?;
        *request.timeout_mut() = Some(SOURCE_TIMEOUT);
        let response = self
            .inner
            .execute(request)
            .await
            .map_err(|e| unreachable_or_failed(source, &e))?;
        let mut answer = http::Response::builder().status(response.status());
        if let Some(headers) = answer.headers_mut() {
            *headers = response.headers().clone();
        }
        answer
            .body(read_body(response, source).await?)
            .map_err(|e| failed(source, format!("its answer is not usable: {e}")))
    }
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HttpClient")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_reaches_the_source_and_its_whole_answer_comes_back() {
        let server = httpmock::MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path("/token")
                    .header("x-key", "k")
                    .body("hello");
                then.status(418)
                    .header("x-answer", "a")
                    .body("short and stout");
            })
            .await;
        let http = HttpClient::for_tests();
        let request = http::Request::post(server.url("/token"))
            .header("x-key", "k")
            .body(b"hello".to_vec())
            .unwrap();
        let answer = http.send("the teapot", request).await.unwrap();
        mock.assert_async().await;
        assert_eq!(answer.status(), 418);
        assert_eq!(answer.headers()["x-answer"], "a");
        assert_eq!(&answer.body()[..], b"short and stout");
    }

    #[tokio::test]
    async fn a_refused_connection_is_an_error_naming_the_source() {
        // Bound, never listening: refused, and the port stays reserved for the test's length.
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(([127, 0, 0, 1], 0).into()).unwrap();
        let address = socket.local_addr().unwrap();
        let http = HttpClient::for_tests();
        let request = http::Request::get(format!("http://{address}/"))
            .body(Vec::new())
            .unwrap();
        let error = http.send("the vault", request).await.unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("the vault") && text.contains("unreachable"),
            "{text}"
        );
        assert!(!format!("{:?}", http).contains("reqwest"));
    }

    #[tokio::test]
    async fn secrets_go_only_over_tls_and_an_endless_answer_is_cut_short() {
        let http = HttpClient::for_tests();
        for url in ["http://vault.example/v1", "https://me:pw@vault.example/v1"] {
            let request = http::Request::get(url).body(Vec::new()).unwrap();
            let text = http
                .send("the vault", request)
                .await
                .unwrap_err()
                .to_string();
            assert!(text.contains("the vault") && !text.contains("pw"), "{text}");
        }
        let server = httpmock::MockServer::start_async().await;
        server
            .mock_async(|_, then| {
                then.status(200)
                    .body(vec![b'x'; crate::auth::MAX_ANSWER_BYTES + 1]);
            })
            .await;
        let request = http::Request::get(server.url("/"))
            .body(Vec::new())
            .unwrap();
        let text = http
            .send("the vault", request)
            .await
            .unwrap_err()
            .to_string();
        assert!(text.contains("longer than"), "{text}");
    }
}
