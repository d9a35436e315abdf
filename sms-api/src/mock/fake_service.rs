//! A fake SMS service on loopback that answers ListTasks from a list of tasks, filtering and
//! paging the way the service does: for tests of code that lists tasks, and for the example.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, Method, MockServer};
use serde_json::json;

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
        let (shared, front) = (tasks.clone(), gateway.clone());
        server
            .mock_async(move |when, then| {
                when.method(Method::GET).path("/v3/tasks");
                then.delay(latency)
                    .respond_with(move |request| match front.admit() {
                        Ok(()) => answer(&shared, request),
                        Err(throttled) => json_response(429, &throttled),
                    });
            })
            .await;
        FakeService {
            server,
            tasks,
            gateway,
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

    /// Replaces the tasks served from now on.
    pub fn set_tasks(&self, tasks: Vec<TasksResponseBody>) {
        if let Ok(mut current) = self.tasks.lock() {
            *current = tasks;
        }
    }
}

fn answer(tasks: &Mutex<Vec<TasksResponseBody>>, request: &HttpMockRequest) -> HttpMockResponse {
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
        return json_response(400, &json!({"error_code": "SMS.0007", "error_msg": reason}));
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
        return json_response(
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
    json_response(200, &page)
}

fn json_response(status: u16, body: &impl serde::Serialize) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-request-id", "fake-service")
        .body(serde_json::to_vec(body).unwrap_or_default())
        .build()
}
