//! A fake SMS service on loopback that answers every operation of the spec: the task operations
//! from one state (ListTasks filtered and paged the way the service does, ShowTask, and the
//! actions that move tasks: `task_state.rs`), every other one from what the spec says
//! (`collections.rs`): for tests of code that lists and acts on tasks and servers, and for the
//! example.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use super::answer::json;
use super::collections::{self, Collections, ItemStore};
use super::compression::Encoding;
use super::gateway::{Gateway, GatewayLimit, GatewayStats};
use super::lifecycle::Lifecycle;
use super::linked;
use super::listing::{Listing, ListingQuery, matches};
use super::loopback::{self, Request, Response, Server};
use super::routes::{Route, route};
use super::task_state::{Refusal, Tasks};
use crate::builder::{DeleteTask, ListServers, ListTasks, ShowTask, UpdateTaskStatus};
use crate::generated::client::REQUEST_ID_HEADER;
use crate::generated::query_parameters::LISTINGS;
use crate::paging::Paginated;
use crate::send::Operation;
use crate::send::bounds;
use crate::types::{ListTasksResponse, TasksResponseBody, UpdateTaskStatusReq};

/// The operation the listing answers.
const OPERATION_ID: &str = <ListTasks<'_> as Operation>::OPERATION_ID;

/// The operations on one task, which the task state answers (`task_state.rs`); the others are
/// served from the spec (`collections.rs`).
const TASK_OPERATIONS: [&str; 3] = [
    <ShowTask<'_> as Operation>::OPERATION_ID,
    <UpdateTaskStatus<'_> as Operation>::OPERATION_ID,
    <DeleteTask<'_> as Operation>::OPERATION_ID,
];

/// A loopback server that answers the task operations of the spec from one list of tasks:
///
/// - `list_tasks`: the filters select tasks (every query parameter the spec marks with
///   `x-filter-field`, compared with the task's field at that path), `offset` and `limit` page
///   them, `count` is the number selected;
/// - `show_task`: the task in full, or 404 `SMS.2252` when there is none;
/// - `update_task_status` and `delete_task`: `start`, `stop`, `restart` and delete move the
///   task through the states the service reports (`ABORTING` then `ABORT`, `DELETING` then
///   gone), on the clock of the runtime that started the fake; an action the task's state does
///   not allow is refused with 400 `SMS.0007` (which states allow which action is the fake's
///   choice, listed in the `mock` module's docs);
/// - every other operation, from the spec: a paginated listing filtered and paged the same way,
///   from its documented example's items or those [`set_items`](Self::set_items) gives (the
///   source servers follow the tasks: a task's `source_server.id` is listed by `list_servers`,
///   with the task as its `current_task`); a `GET` of one listed item by its `id`
///   (`show_server`), or the operation's documented 404; any other, its documented success
///   example;
/// - a parameter out of its documented bounds, one the spec does not declare, or a body that is
///   not the operation's JSON gets the service's 400 `SMS.0007`; a method and path that are no
///   operation of the spec get the gateway's 404 `APIG.0101`.
///
/// Change the tasks at any time with [`set_tasks`](Self::set_tasks).
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
    server: Server,
    shared: Arc<Shared>,
}

/// What the server's handler and the `FakeService` handle share.
struct Shared {
    /// The tasks, as every operation sees and moves them.
    tasks: Mutex<Tasks>,
    gateway: Gateway,
    compression: AtomicBool,
    /// Answers to give instead of the next requests' (see `fail_next`).
    failures: Mutex<VecDeque<(u16, Vec<u8>)>>,
    /// Compressed answers by query and coding, until the tasks change: the fake runs on one
    /// thread, where a service compresses on many machines, so its own compression must not
    /// be what bounds a client that fetches pages concurrently.
    compressed: Mutex<HashMap<(String, Encoding), Vec<u8>>>,
    /// The items of the other listings, where a test set them (`set_items`).
    collections: Mutex<Collections>,
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

    /// Starts serving `tasks` that migrate as time passes ([`Lifecycle`]): to test or show
    /// waiting and watching.
    ///
    /// The fake follows the clock of the runtime that starts it: on tokio's paused clock a
    /// migration of hours takes no real time, and goes the same way every run.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use sms_api::mock::{FakeService, Lifecycle};
    /// use sms_api::prelude::*;
    /// use sms_api::types::{TaskState, TasksResponseBody};
    ///
    /// let mut task = TasksResponseBody::default();
    /// task.id = Some("t0".into());
    /// // READY, then seven subtasks: 80 minutes.
    /// let lifecycle = Lifecycle { step: Duration::from_secs(600), fail_every: 0 };
    /// let fake = FakeService::start_migrating(vec![task], lifecycle).await;
    /// let client = Client::builder().endpoint(fake.base_url()).credentials(Credentials::iam_token("t")).build()?;
    /// let done = client.list_tasks().wait_until_task_migrated().wait(Duration::from_secs(3 * 3600)).await?;
    /// let tasks = done.response().and_then(|r| r.tasks.clone()).unwrap_or_default();
    /// assert_eq!(tasks[0].state, Some(TaskState::MigrateSuccess));
    /// assert!(done.waited() >= Duration::from_secs(80 * 60) && done.polls() > 40);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start_migrating(
        tasks: Vec<TasksResponseBody>,
        lifecycle: Lifecycle,
    ) -> FakeService {
        FakeService::serve_with(tasks, Duration::ZERO, None, Some(lifecycle)).await
    }

    async fn serve(
        tasks: Vec<TasksResponseBody>,
        latency: Duration,
        limit: Option<GatewayLimit>,
    ) -> FakeService {
        FakeService::serve_with(tasks, latency, limit, None).await
    }

    async fn serve_with(
        tasks: Vec<TasksResponseBody>,
        latency: Duration,
        limit: Option<GatewayLimit>,
        lifecycle: Option<Lifecycle>,
    ) -> FakeService {
        let shared = Arc::new(Shared {
            tasks: Mutex::new(Tasks::new(tasks, lifecycle, wall_clock_ms())),
            gateway: Gateway::new(limit),
            compression: AtomicBool::new(true),
            failures: Mutex::new(VecDeque::new()),
            compressed: Mutex::new(HashMap::new()),
            collections: Mutex::new(Collections::default()),
        });
        let handler = shared.clone();
        let server = loopback::start(Arc::new(move |request| handler.respond(request)), latency)
            .await
            .unwrap_or_else(|e| panic!("the fake service cannot listen on loopback: {e}"));
        FakeService { server, shared }
    }

    /// What the gateway has seen: requests, and how many it throttled.
    pub fn gateway_stats(&self) -> GatewayStats {
        self.shared.gateway.stats()
    }

    /// The URL to give `ClientBuilder::endpoint`.
    pub fn base_url(&self) -> String {
        self.server.base_url.clone()
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
        self.shared.compression.store(enabled, Ordering::Relaxed);
    }

    /// Replaces the tasks served from now on (with a lifecycle, each on its first run, as if
    /// since the fake started).
    pub fn set_tasks(&self, tasks: Vec<TasksResponseBody>) {
        if let Ok(mut current) = self.shared.tasks.lock() {
            current.replace(tasks);
        }
        if let Ok(mut compressed) = self.shared.compressed.lock() {
            compressed.clear();
        }
    }

    /// Makes task `id`'s runs fail half-way through `subtask` (one of [`SUBTASKS`](super::SUBTASKS)),
    /// with an `error_json` that names it: the run under way, if it has not got past that
    /// subtask, and every run a `start` or `restart` begins later, on the clock of the
    /// runtime that started the fake. For tests of what follows a failure: a restart that
    /// fails again, a wait that ends on `MIGRATE_FAIL`. Why not, when there is no such task or
    /// subtask.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use std::time::Duration;
    /// use sms_api::mock::{FakeService, Lifecycle};
    /// use sms_api::types::TasksResponseBody;
    ///
    /// let mut task = TasksResponseBody::default();
    /// task.id = Some("t0".into());
    /// let lifecycle = Lifecycle { step: Duration::from_secs(60), fail_every: 0 };
    /// let fake = FakeService::start_migrating(vec![task], lifecycle).await;
    /// fake.fail_runs_at("t0", "SSL_CONFIG").unwrap();
    /// assert!(fake.fail_runs_at("t0", "NO_SUCH_SUBTASK").is_err());
    /// # }
    /// ```
    pub fn fail_runs_at(&self, id: &str, subtask: &str) -> Result<(), String> {
        let Some(index) = super::SUBTASKS.iter().position(|s| *s == subtask) else {
            return Err(format!(
                "`{subtask}` is not a subtask of the fake's migrations ({})",
                super::SUBTASKS.join(", ")
            ));
        };
        let mut tasks = self
            .shared
            .tasks
            .lock()
            .map_err(|_| "the fake's state was poisoned".to_owned())?;
        tasks
            .fail_runs_at(id, index, tokio::time::Instant::now())
            .map_err(|refusal| refusal.message)?;
        drop(tasks);
        if let Ok(mut compressed) = self.shared.compressed.lock() {
            compressed.clear();
        }
        Ok(())
    }

    /// Serves `items` as the items of the paginated operation `O` from now on (filtered and
    /// paged as its parameters say), and each of them to the operation that shows one by its
    /// `id` (`GET` on the listing's path and an id). Any listing the spec declares can be set:
    /// the fake serves it with no code of its own. Until set, a listing's items are its
    /// documented example's, and the source servers follow the tasks.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use sms_api::builder::ListServers;
    /// use sms_api::mock::FakeService;
    /// use sms_api::prelude::*;
    /// use sms_api::types::SourceServersResponseBody;
    ///
    /// let fake = FakeService::start(vec![]).await;
    /// let mut server = SourceServersResponseBody::default();
    /// server.id = Some("s-1".into());
    /// fake.set_items::<ListServers<'_>>(vec![server]);
    /// let client = Client::builder().endpoint(fake.base_url()).credentials(Credentials::iam_token("t")).build()?;
    /// let shown = client.show_server().source_id("s-1").fetch().await?;
    /// assert_eq!(shown.id.as_deref(), Some("s-1"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_items<O>(&self, items: Vec<O::Item>)
    where
        O: Paginated,
        O::Item: serde::Serialize,
    {
        let items = items
            .iter()
            .filter_map(|item| serde_json::to_value(item).ok())
            .collect();
        if let Ok(mut collections) = self.shared.collections.lock() {
            collections.set(O::OPERATION_ID, items);
        }
    }

    /// Answers the next `times` requests with `status` and `body` (as JSON) instead of their
    /// tasks, after the gateway admitted them: to test how your code handles the service's
    /// errors. Calls add up: `fail_next(1, 503, ..)` then `fail_next(1, 500, ..)` fail the next
    /// two requests, in that order.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use serde_json::json;
    /// use sms_api::mock::FakeService;
    /// use sms_api::prelude::*;
    ///
    /// let fake = FakeService::start(vec![]).await;
    /// fake.fail_next(1, 403, json!({"error_code": "SMS.9004", "error_msg": "no permission"}));
    /// let client = Client::builder().endpoint(fake.base_url()).credentials(Credentials::iam_token("t")).build()?;
    /// let error = client.list_tasks().fetch().await.unwrap_err();
    /// assert_eq!(error.code(), Some("SMS.9004"));
    /// assert!(client.list_tasks().fetch().await.is_ok()); // only the next one failed
    /// # Ok(())
    /// # }
    /// ```
    pub fn fail_next(&self, times: usize, status: u16, body: impl serde::Serialize) {
        let body = serde_json::to_vec(&body).unwrap_or_default();
        if let Ok(mut failures) = self.shared.failures.lock() {
            failures.extend(std::iter::repeat_n((status, body), times));
        }
    }
}

impl Shared {
    /// The answer on the wire to `request`: the gateway's, an injected failure, or the tasks.
    fn respond(&self, request: &Request) -> Response {
        let encoding = self
            .compression
            .load(Ordering::Relaxed)
            .then(|| accepted_encoding(request))
            .flatten();
        if let Err(throttled) = self.gateway.admit() {
            let (status, body) = json(429, &throttled);
            return json_response(status, body, encoding);
        }
        let failure = self.failures.lock().ok().and_then(|mut f| f.pop_front());
        if let Some((status, body)) = failure {
            return json_response(status, body, encoding);
        }
        let Some(route) = route(&request.method, request.path()) else {
            let (status, body) = json(
                404,
                &json!({"error_code": "APIG.0101", "error_msg": format!(
                    "The API does not exist or has not been published in the environment: {} {}",
                    request.method,
                    request.path()
                )}),
            );
            return json_response(status, body, encoding);
        };
        if route.facts.operation_id != OPERATION_ID {
            let (status, body) = if TASK_OPERATIONS.contains(&route.facts.operation_id) {
                self.act(&route, request)
            } else {
                Collections::answer(&route, request, self)
            };
            return json_response(status, body, encoding);
        }
        // Plain answers, and tasks that change with time, are made afresh each time.
        let unchanging = self.tasks.lock().is_ok_and(|t| t.unchanging());
        let encoding = match encoding {
            Some(encoding) if unchanging => encoding,
            other => {
                let (status, body) = answer(&self.tasks, request);
                return json_response(status, body, other);
            }
        };
        let key = (normalized_query(request), encoding);
        if let Some(body) = self
            .compressed
            .lock()
            .ok()
            .and_then(|c| c.get(&key).cloned())
        {
            return encoded_response(200, body, encoding);
        }
        let (status, body) = answer(&self.tasks, request);
        let body = encoding.encode(&body);
        if status == 200
            && let Ok(mut compressed) = self.compressed.lock()
        {
            compressed.insert(key, body.clone());
        }
        encoded_response(status, body, encoding)
    }
}

impl ItemStore for Shared {
    /// The items of `listing`: the ones a test set (or left after a removal), else the source
    /// servers of the tasks (for ListServers), else its documented example's.
    fn items(&self, listing: &Listing) -> Vec<Value> {
        if let Some(items) = self
            .collections
            .lock()
            .ok()
            .and_then(|c| c.items(listing.operation_id).map(<[Value]>::to_vec))
        {
            return items;
        }
        if listing.operation_id == <ListServers<'_> as Operation>::OPERATION_ID
            && let Ok(tasks) = self.tasks.lock()
        {
            let now = tokio::time::Instant::now();
            return linked::source_servers(tasks.list(now).iter().map(AsRef::as_ref));
        }
        collections::documented_items(listing)
    }

    /// From a removal on, the listing serves what is left (the servers no longer follow the
    /// tasks).
    fn replace(&self, listing: &Listing, items: Vec<Value>) {
        if let Ok(mut collections) = self.collections.lock() {
            collections.set(listing.operation_id, items);
        }
    }
}

impl Shared {
    /// The answer to an operation on one task: show it, act on it, delete it.
    fn act(&self, route: &Route, request: &Request) -> (u16, Vec<u8>) {
        let refused = |refusal: Refusal| {
            json(
                refusal.status,
                &json!({"error_code": refusal.code, "error_msg": refusal.message}),
            )
        };
        let operation_id = route.facts.operation_id;
        if let Ok(url) = reqwest::Url::parse(&format!("http://fake{}", request.target))
            && let Err(violation) = bounds::check(operation_id, &url)
        {
            return refused(Refusal::invalid(violation.to_string()));
        }
        // Each of these operations addresses one task, by its one path parameter.
        let id = route
            .path_parameters
            .first()
            .map(|(_, value)| value.as_str())
            .unwrap_or_default();
        let now = tokio::time::Instant::now();
        let Ok(mut tasks) = self.tasks.lock() else {
            return refused(Refusal {
                status: 500,
                code: "SMS.2007",
                message: "fake service state poisoned".into(),
            });
        };
        let outcome = if operation_id == <ShowTask<'_> as Operation>::OPERATION_ID {
            tasks.show(id, now).map(|task| json(200, &task))
        } else if operation_id == <UpdateTaskStatus<'_> as Operation>::OPERATION_ID {
            serde_json::from_slice::<UpdateTaskStatusReq>(&request.body)
                .map_err(|e| {
                    Refusal::invalid(format!("the body is not an UpdateTaskStatusReq: {e}"))
                })
                .and_then(|body| tasks.act(id, &body.operation, now))
                .map(|()| json(200, &json!({})))
        } else {
            tasks.delete(id, now).map(|()| json(200, &json!({})))
        };
        drop(tasks);
        if outcome.is_ok()
            && let Ok(mut compressed) = self.compressed.lock()
        {
            compressed.clear();
        }
        outcome.unwrap_or_else(refused)
    }
}

/// The query's parameters, sorted: the same page whatever order a client sends them in.
fn normalized_query(request: &Request) -> String {
    let mut params = request.query_params();
    params.sort();
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The coding the request's `Accept-Encoding` asks for, if any.
fn accepted_encoding(request: &Request) -> Option<Encoding> {
    request
        .header_values("accept-encoding")
        .find_map(Encoding::negotiate)
}

/// The status and JSON body that answer `request`: the tasks its filters select (each query
/// parameter as the spec declares it, `x-filter-field`), paged by its limit and offset.
fn answer(tasks: &Mutex<Tasks>, request: &Request) -> (u16, Vec<u8>) {
    let Some(listing) = LISTINGS.iter().find(|l| l.operation_id == OPERATION_ID) else {
        return json(
            500,
            &json!({"error_code": "SMS.2007", "error_msg": "ListTasks is not paginated"}),
        );
    };
    let query = match ListingQuery::of(listing, request) {
        Ok(query) => query,
        Err(refused) => return refused,
    };
    let (offset, limit) = (query.offset, query.limit);
    let Ok(tasks) = tasks.lock() else {
        return json(
            500,
            &json!({"error_code": "SMS.2007", "error_msg": "fake service state poisoned"}),
        );
    };
    // Tasks as given are borrowed, not copied: only the page's are cloned into the answer.
    let tasks = tasks.list(tokio::time::Instant::now());
    let selected: Vec<&TasksResponseBody> = if query.filters.is_empty() {
        tasks.iter().map(AsRef::as_ref).collect()
    } else {
        tasks
            .iter()
            .map(AsRef::as_ref)
            .filter(|t| serde_json::to_value(t).is_ok_and(|item| matches(&item, &query.filters)))
            .collect()
    };
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

/// Now, in milliseconds since the epoch: where the lifecycle's dates start.
fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The answer on the wire: the JSON body, compressed with `encoding` if one was negotiated.
fn json_response(status: u16, body: Vec<u8>, encoding: Option<Encoding>) -> Response {
    match encoding {
        Some(encoding) => encoded_response(status, encoding.encode(&body), encoding),
        None => Response {
            status,
            headers: vec![
                ("content-type", "application/json".to_owned()),
                (REQUEST_ID_HEADER, "fake-service".to_owned()),
            ],
            body,
        },
    }
}

/// An answer whose body is already encoded with `encoding`.
fn encoded_response(status: u16, body: Vec<u8>, encoding: Encoding) -> Response {
    Response {
        status,
        headers: vec![
            ("content-type", "application/json".to_owned()),
            (REQUEST_ID_HEADER, "fake-service".to_owned()),
            ("content-encoding", encoding.name().to_owned()),
            ("vary", "accept-encoding".to_owned()),
        ],
        body,
    }
}
