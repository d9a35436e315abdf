//! A fake of the places temporary credentials come from, for tests of code that runs keyless:
//! the ECS metadata service and CCE pod identity, handing out numbered credentials that expire.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::loopback::{self, Handler, Response, Server};
use crate::calendar::civil_from_days;

/// A loopback metadata service and pod identity endpoint. Every request for credentials gets
/// new ones, numbered from 1: AK `FAKEAK<n>`, SK `FAKESK<n>`, security token `FAKEST<n>`,
/// expiring `lifetime` after they are issued.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use sms_api::mock::{FakeCredentialsService, FakeService};
/// use sms_api::prelude::*;
///
/// let credentials = FakeCredentialsService::start(Duration::from_secs(3600)).await;
/// // What the default chain reads on an ECS instance, pointed at the fake:
/// // HUAWEICLOUD_SDK_METADATA_ENDPOINT=<credentials.metadata_endpoint()>
/// let fake = FakeService::start(vec![]).await;
/// let client = Client::builder()
///     .endpoint(fake.base_url())
///     .credentials(credentials.ecs_metadata())
///     .build()?;
/// client.list_tasks().fetch().await?;
/// assert_eq!(credentials.issued(), 1);
/// # Ok(())
/// # }
/// ```
pub struct FakeCredentialsService {
    server: Server,
    issued: Arc<AtomicU64>,
    failing: Arc<AtomicBool>,
}

/// The path pod identity credentials are served at.
const POD_IDENTITY_PATH: &str = "/pod-identity/credentials";
/// The metadata session token the fake hands out and expects.
const SESSION_TOKEN: &str = "fake-metadata-session-token";

impl FakeCredentialsService {
    /// Starts handing out credentials that expire `lifetime` after they are issued, on a
    /// loopback server of the runtime that calls it: its answers and the credentials' expiry
    /// follow that runtime's clock, so a test on tokio's paused clock sees credentials expire
    /// as the time it skips passes.
    pub async fn start(lifetime: Duration) -> FakeCredentialsService {
        let issued = Arc::new(AtomicU64::new(0));
        let failing = Arc::new(AtomicBool::new(false));
        // Dates that follow the runtime's clock, as the client's default wall clock does.
        let clock = crate::clock::Clock::new(None, None);
        let (count, fail) = (issued.clone(), failing.clone());
        let handler: Handler = Arc::new(move |request| {
            let has = |name: &str| request.header_values(name).next().is_some();
            match (request.method.as_str(), request.path()) {
                ("PUT", "/meta-data/latest/api/token") if has("x-metadata-token-ttl-seconds") => {
                    answer(200, "text/plain", SESSION_TOKEN.into())
                }
                ("GET", "/openstack/latest/securitykey") if has("x-metadata-token") => {
                    credentials(&count, &fail, clock.local(), lifetime)
                }
                ("POST", POD_IDENTITY_PATH) if has("authorization") => {
                    credentials(&count, &fail, clock.local(), lifetime)
                }
                _ => answer(404, "text/plain", "no such credentials endpoint".into()),
            }
        });
        let server = loopback::start(handler, Duration::ZERO)
            .await
            .unwrap_or_else(|e| {
                panic!("the fake credentials service cannot listen on loopback: {e}")
            });
        FakeCredentialsService {
            server,
            issued,
            failing,
        }
    }

    /// The address to give `HUAWEICLOUD_SDK_METADATA_ENDPOINT`.
    pub fn metadata_endpoint(&self) -> String {
        self.server.base_url.clone()
    }

    /// The address to give `HC_CONTAINER_CREDENTIALS_FULL_URI` (with any token file in
    /// `HC_CONTAINER_AUTHORIZATION_TOKEN_FILE`).
    pub fn pod_identity_uri(&self) -> String {
        format!("{}{POD_IDENTITY_PATH}", self.server.base_url)
    }

    /// Credentials from this fake's metadata service, as `Credentials::from_ecs_metadata()`
    /// gets them on an ECS instance.
    pub fn ecs_metadata(&self) -> crate::auth::Credentials {
        crate::auth::Credentials::from_provider(crate::auth::sources::ecs_metadata::EcsMetadata {
            endpoint: self.metadata_endpoint(),
        })
    }

    /// How many credentials were handed out.
    pub fn issued(&self) -> u64 {
        self.issued.load(Ordering::Relaxed)
    }

    /// `true`: answer every request for credentials with a 503, until `false`.
    pub fn set_failing(&self, failing: bool) {
        self.failing.store(failing, Ordering::Relaxed);
    }
}

/// New numbered credentials, issued `now`, or a 503 while the service is failing.
fn credentials(
    issued: &AtomicU64,
    failing: &AtomicBool,
    now: SystemTime,
    lifetime: Duration,
) -> Response {
    if failing.load(Ordering::Relaxed) {
        return answer(503, "text/plain", "the credentials service is down".into());
    }
    let n = issued.fetch_add(1, Ordering::Relaxed) + 1;
    let expires = now.checked_add(lifetime).unwrap_or(now);
    let body = serde_json::json!({"credential": {
        "access": format!("FAKEAK{n}"),
        "secret": format!("FAKESK{n}"),
        "securitytoken": format!("FAKEST{n}"),
        "expires_at": utc(expires),
    }});
    answer(200, "application/json", body.to_string().into_bytes())
}

fn answer(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    Response {
        status,
        headers: vec![("content-type", content_type.to_owned())],
        body,
    }
}

/// `2026-11-27T12:00:00.000000Z`
fn utc(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rest = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000000Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}
