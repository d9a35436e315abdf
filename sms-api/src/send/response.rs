//! What [`FetchExt::fetch`](super::FetchExt::fetch) returns: the typed body, with the status and
//! headers it came with. The crate's own type, so that a progenitor upgrade is not a change to
//! its API.

use std::ops::Deref;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A successful response: the body decoded into the operation's type (reached through
/// `Deref`, or taken with [`into_inner`](Self::into_inner)), and its status and headers.
///
/// ```no_run
/// # async fn run(client: sms_api::Client) -> Result<(), sms_api::Error> {
/// use sms_api::prelude::*;
///
/// let page = client.list_tasks().limit(10).fetch().await?;
/// println!("{:?} tasks (HTTP {}, request {:?})", page.count, page.status(), page.request_id());
/// let body = page.into_inner();
/// # let _ = body;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Response<T> {
    body: T,
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
}

impl<T> Response<T> {
    /// A response of `body` with `status` and `headers` (for tests of code that takes one).
    ///
    /// ```
    /// use sms_api::send::Response;
    ///
    /// let response = Response::new(7, reqwest::StatusCode::OK, Default::default());
    /// assert_eq!(*response, 7);
    /// ```
    pub fn new(body: T, status: StatusCode, headers: HeaderMap) -> Response<T> {
        Response {
            body,
            status,
            headers,
            attempts: 1,
        }
    }

    /// The same response, after `attempts` attempts.
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Response<T> {
        self.attempts = attempts.max(1);
        self
    }

    /// How many attempts the call took, this one included (retries after transient failures,
    /// throttling paced by the rate limiter).
    ///
    /// ```
    /// # let response = sms_api::send::Response::new((), reqwest::StatusCode::OK, Default::default());
    /// assert_eq!(response.attempts(), 1);
    /// ```
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The body.
    ///
    /// ```
    /// # let response = sms_api::send::Response::new(7, reqwest::StatusCode::OK, Default::default());
    /// let body: i32 = response.into_inner();
    /// # assert_eq!(body, 7);
    /// ```
    pub fn into_inner(self) -> T {
        self.body
    }

    /// The HTTP status.
    ///
    /// ```
    /// # let response = sms_api::send::Response::new((), reqwest::StatusCode::OK, Default::default());
    /// assert_eq!(response.status().as_u16(), 200);
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's headers.
    ///
    /// ```
    /// # let response = sms_api::send::Response::new((), reqwest::StatusCode::OK, Default::default());
    /// assert!(response.headers().get("x-request-id").is_none());
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The service's id for the request (`X-Request-Id`), to quote to support.
    ///
    /// ```
    /// # let mut headers = reqwest::header::HeaderMap::new();
    /// # headers.insert("x-request-id", "rid-1".parse().unwrap());
    /// # let response = sms_api::send::Response::new((), reqwest::StatusCode::OK, headers);
    /// assert_eq!(response.request_id(), Some("rid-1"));
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        crate::error::request_id(&self.headers)
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T> Response<T> {
    /// progenitor's response (what a builder's `send_in()` gives), as this crate's: no
    /// `From` impl, which would put progenitor's type in the public API.
    pub(crate) fn from_raw(value: progenitor_client::ResponseValue<T>) -> Response<T> {
        let (status, headers) = (value.status(), value.headers().clone());
        Response::new(value.into_inner(), status, headers)
    }
}
