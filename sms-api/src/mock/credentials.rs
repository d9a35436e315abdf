//! A fake of the places temporary credentials come from, for tests of code that runs keyless:
//! the ECS metadata service and CCE pod identity, handing out numbered credentials that expire.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use httpmock::{HttpMockResponse, Method, MockServer};

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
    server: MockServer,
    issued: Arc<AtomicU64>,
    failing: Arc<AtomicBool>,
}

/// The path pod identity credentials are served at.
const POD_IDENTITY_PATH: &str = "/pod-identity/credentials";
/// The metadata session token the fake hands out and expects.
const SESSION_TOKEN: &str = "fake-metadata-session-token";

impl FakeCredentialsService {
    /// Starts handing out credentials that expire `lifetime` after they are issued.
    pub async fn start(lifetime: Duration) -> FakeCredentialsService {
        let server = MockServer::start_async().await;
        let issued = Arc::new(AtomicU64::new(0));
        let failing = Arc::new(AtomicBool::new(false));
        server
            .mock_async(|when, then| {
                when.method(Method::PUT)
                    .path("/meta-data/latest/api/token")
                    .header_exists("x-metadata-token-ttl-seconds");
                then.status(200).body(SESSION_TOKEN);
            })
            .await;
        for (method, path, header) in [
            (
                Method::GET,
                "/openstack/latest/securitykey",
                "x-metadata-token",
            ),
            (Method::POST, POD_IDENTITY_PATH, "authorization"),
        ] {
            let (count, fail) = (issued.clone(), failing.clone());
            server
                .mock_async(move |when, then| {
                    when.method(method).path(path).header_exists(header);
                    then.respond_with(move |_| {
                        if fail.load(Ordering::Relaxed) {
                            return HttpMockResponse::builder()
                                .status(503)
                                .body("the credentials service is down")
                                .build();
                        }
                        let n = count.fetch_add(1, Ordering::Relaxed) + 1;
                        let now = SystemTime::now();
                        let expires = now.checked_add(lifetime).unwrap_or(now);
                        let body = serde_json::json!({"credential": {
                            "access": format!("FAKEAK{n}"),
                            "secret": format!("FAKESK{n}"),
                            "securitytoken": format!("FAKEST{n}"),
                            "expires_at": utc(expires),
                        }});
                        HttpMockResponse::builder()
                            .status(200)
                            .header("content-type", "application/json")
                            .body(body.to_string())
                            .build()
                    });
                })
                .await;
        }
        FakeCredentialsService {
            server,
            issued,
            failing,
        }
    }

    /// The address to give `HUAWEICLOUD_SDK_METADATA_ENDPOINT`.
    pub fn metadata_endpoint(&self) -> String {
        self.server.base_url()
    }

    /// The address to give `HC_CONTAINER_CREDENTIALS_FULL_URI` (with any token file in
    /// `HC_CONTAINER_AUTHORIZATION_TOKEN_FILE`).
    pub fn pod_identity_uri(&self) -> String {
        format!("{}{POD_IDENTITY_PATH}", self.server.base_url())
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
