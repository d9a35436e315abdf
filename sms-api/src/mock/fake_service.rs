//! A fake SMS service on loopback that answers ListTasks from a list of tasks, filtering and
//! paging the way the service does: for tests of code that lists tasks, and for the example.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, Method, MockServer};
use serde_json::json;

use super::compression::Encoding;
use super::gateway::{Gateway, GatewayLimit, GatewayStats};
use crate::builder::ListTasks;
use crate::send::Operation;
use crate::send::bounds::{self, bounds_of};
use crate::types::{ListTasksResponse, TasksResponseBody};

/// The operation this fake answers.
const OPERATION_ID: &str = <ListTasks<'_> as Operation>::OPERATION_ID;

/// A loopback server that answers `GET /v3/tasks` from a list of tasks: the filters (`state`,
/// `name`, `id`, `source_server_id`, `enterprise_project_id`) select tasks, `offset` and
/// `limit` page them, `count` is the number selected; a parameter out of its documented bounds
/// gets the service's 400 `SMS.0007`. Change the tasks at any time with
/// [`set_tasks`](Self::set_tasks).
///
/// Like a gateway that compresses, it answers with a gzip (or deflate) body when the request's
/// `Accept-Encoding` asks for one, which the client does by default; turn that off with
/// [`set_compression`](Self::set_compression).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use sms_api::mock::FakeService;
/// use sms_api::types::TasksResponseBody;
/// use sms_api::prelude::*;
///
/// let tasks = (0..5)
///     .map(|i| {
///         let mut task = TasksResponseBody::default();
///         task.id = Some(format!("t{i}"));
///         task
///     })
///     .collect();
/// let fake = FakeService::start(tasks).await;
/// let client = Client::builder().endpoint(fake.base_url()).credentials(Credentials::iam_token("t")).build()?;
/// let page = client.list_tasks().limit(2).offset(4).fetch().await?;
/// assert_eq!(page.count, Some(5));
/// assert_eq!(page.tasks.as_ref().unwrap()[0].id.as_deref(), Some("t4"));
/// # Ok(())
/// # }
/// ```
pub struct FakeService {
    server: MockServer,
    tasks: Arc<Mutex<Vec<TasksResponseBody>>>,
    gateway: Arc<Gateway>,
    compression: Arc<AtomicBool>,
}

impl FakeService {
    /// Starts serving `tasks`, in this order.
    pub async fn start(tasks: Vec<TasksResponseBody>) -> FakeService {
        FakeService::start_with_latency(tasks, Duration::ZERO).await
    }

    /// Starts serving `tasks`, each response delayed by `latency` (to measure or test what a
    /// client does with a slow service).
    pub async fn start_with_latency(
        tasks: Vec<TasksResponseBody>,
        latency: Duration,
    ) -> FakeService {
        FakeService::serve(tasks, latency, None).await
    }

    /// Starts serving `tasks` behind an API gateway that throttles as Huawei Cloud's does:
    /// over `limit`, HTTP 429 with `APIG.0308` and no `Retry-After`. Every response, throttled
    /// or not, is delayed by `latency`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use sms_api::mock::{FakeService, GatewayLimit};
    /// use sms_api::prelude::*;
    ///
    /// let limit = GatewayLimit { per_second: 50.0, burst: 2 };
    /// let fake = FakeService::start_behind_gateway(vec![], Duration::ZERO, limit).await;
    /// let client = Client::builder().endpoint(fake.base_url()).credentials(Credentials::iam_token("t")).build()?;
    /// for _ in 0..4 {
    ///     client.list_tasks().fetch().await?; // throttled answers are retried at a slower pace
    /// }
    /// assert!(fake.gateway_stats().throttled >= 1);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start_behind_gateway(
        tasks: Vec<TasksResponseBody>,
        latency: Duration,
        limit: GatewayLimit,
    ) -> FakeService {
        FakeService::serve(tasks, latency, Some(limit)).await
    }

    async fn serve(
        tasks: Vec<TasksResponseBody>,
        latency: Duration,
        limit: Option<GatewayLimit>,
    ) -> FakeService {
        let server = MockServer::start_async().await;
        let tasks = Arc::new(Mutex::new(tasks));
        let gateway = Arc::new(Gateway::new(limit));
        let compression = Arc::new(AtomicBool::new(true));
        let (shared, front, compress) = (tasks.clone(), gateway.clone(), compression.clone());
        server
            .mock_async(move |when, then| {
                when.method(Method::GET).path("/v3/tasks");
                then.delay(latency).respond_with(move |request| {
                    let (status, body) = match front.admit() {
                        Ok(()) => answer(&shared, request),
                        Err(throttled) => json(429, &throttled),
                    };
                    let encoding = compress
                        .load(Ordering::Relaxed)
                        .then(|| accepted_encoding(request))
                        .flatten();
                    json_response(status, body, encoding)
                });
            })
            .await;
        FakeService {
            server,
            tasks,
            gateway,
            compression,
        }
    }

    /// What the gateway has seen: requests, and how many it throttled.
    pub fn gateway_stats(&self) -> GatewayStats {
        self.gateway.stats()
    }

    /// The URL to give `ClientBuilder::endpoint`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// Whether answers are compressed when the request asks for it (on by default); `false`
    /// makes every answer plain, as from a gateway that never compresses.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let fake = sms_api::mock::FakeService::start(vec![]).await;
    /// fake.set_compression(false);
    /// # }
    /// ```
    pub fn set_compression(&self, enabled: bool) {
        self.compression.store(enabled, Ordering::Relaxed);
    }

    /// Replaces the tasks served from now on.
    pub fn set_tasks(&self, tasks: Vec<TasksResponseBody>) {
        if let Ok(mut current) = self.tasks.lock() {
            *current = tasks;
        }
    }
}

/// The coding the request's `Accept-Encoding` asks for, if any.
fn accepted_encoding(request: &HttpMockRequest) -> Option<Encoding> {
    request
        .headers_vec()
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("accept-encoding"))
        .find_map(|(_, value)| Encoding::negotiate(value))
}

/// The status and JSON body that answer `request`.
fn answer(tasks: &Mutex<Vec<TasksResponseBody>>, request: &HttpMockRequest) -> (u16, Vec<u8>) {
    let params = request.query_params();
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if let Ok(url) = reqwest::Url::parse(&format!("http://fake{}", request.uri()))
        && let Err(reason) = bounds::check(OPERATION_ID, &url)
    {
        return json(400, &json!({"error_code": "SMS.0007", "error_msg": reason}));
    }
    let number = |name: &str| {
        param(name)
            .and_then(|v| v.parse::<usize>().ok())
            .or_else(|| {
                bounds_of(OPERATION_ID, name)
                    .and_then(|b| b.default)
                    .map(|d| d as usize)
            })
            .unwrap_or(0)
    };
    let (offset, limit) = (number("offset"), number("limit"));
    let Ok(tasks) = tasks.lock() else {
        return json(
            500,
            &json!({"error_code": "SMS.2007", "error_msg": "fake service state poisoned"}),
        );
    };
    let matches = |task: &TasksResponseBody| {
        let is = |name: &str, value: Option<&str>| {
            param(name).is_none_or(|wanted| value == Some(wanted))
        };
        is("state", task.state.as_ref().map(|s| s.as_str()))
            && is("name", task.name.as_deref())
            && is("id", task.id.as_deref())
            && is(
                "source_server_id",
                task.source_server.as_ref().and_then(|s| s.id.as_deref()),
            )
            && is(
                "enterprise_project_id",
                task.enterprise_project_id.as_deref(),
            )
    };
    let selected: Vec<&TasksResponseBody> = tasks.iter().filter(|t| matches(t)).collect();
    let page = ListTasksResponse {
        count: Some(i32::try_from(selected.len()).unwrap_or(i32::MAX)),
        tasks: Some(
            selected
                .into_iter()
                .skip(offset)
                .take(limit)
                .cloned()
                .collect(),
        ),
    };
    json(200, &page)
}

fn json(status: u16, body: &impl serde::Serialize) -> (u16, Vec<u8>) {
    (status, serde_json::to_vec(body).unwrap_or_default())
}

/// The answer on the wire: the JSON body, compressed with `encoding` if one was negotiated.
fn json_response(status: u16, body: Vec<u8>, encoding: Option<Encoding>) -> HttpMockResponse {
    let response = HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-request-id", "fake-service");
    match encoding {
        Some(encoding) => response
            .header("content-encoding", encoding.name())
            .header("vary", "accept-encoding")
            .body(encoding.encode(&body)),
        None => response.body(body),
    }
    .build()
}
