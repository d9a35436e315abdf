//! AK/SK signing as the server sees it: the test server recomputes the SDK-HMAC-SHA256 signature
//! from the request it received, with its own implementation, and checks it matches.

use std::time::{Duration, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use httpmock::{HttpMockRequest, MockServer};
use serde_json::json;
use sha2::{Digest, Sha256};
use sms_api::prelude::FetchExt;
use sms_api::{Client, Credentials, types::TaskState};

const AK: &str = "HPUAEXAMPLEAK1234567";
const SK: &str = "exampleSecretKey0123456789abcdefghijklmn";

/// What the server computes from the request as received.
fn expected_authorization(req: &HttpMockRequest) -> Option<String> {
    let headers = req.headers();
    let authorization = headers.get("authorization")?.to_str().ok()?;
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)?
        .split(',')
        .next()?;
    let date = headers.get("x-sdk-date")?.to_str().ok()?;
    let mut canonical_headers = String::new();
    for name in signed.split(';') {
        let value = headers.get(name)?.to_str().ok()?.trim();
        canonical_headers.push_str(&format!("{name}:{value}\n"));
    }
    let uri = req.uri();
    let path = format!("{}/", uri.path().trim_end_matches('/'));
    let canonical = format!(
        "{}\n{path}\n{}\n{canonical_headers}\n{signed}\n{}",
        req.method(),
        uri.query().unwrap_or_default(),
        hex::encode(Sha256::digest(req.body_ref()))
    );
    let to_sign = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(SK.as_bytes()).ok()?;
    mac.update(to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    Some(format!(
        "SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed}, Signature={signature}"
    ))
}

fn verifies(req: &HttpMockRequest) -> bool {
    let received = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    received.is_some() && received == expected_authorization(req)
}

#[tokio::test]
async fn a_signed_request_verifies_at_the_server() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v3/tasks")
                .header("x-sdk-date", "20240115T083000Z")
                .header("x-project-id", "0123456789abcdef0123456789abcdef")
                .header("x-security-token", "temporary-token")
                .header_missing("x-auth-token")
                .is_true(|req| {
                    req.uri().query() == Some("limit=10&name=web%20server&offset=0&state=RUNNING")
                })
                .is_true(verifies);
            then.status(200).json_body(json!({"count": 0, "tasks": []}));
        })
        .await;
    let client = Client::builder()
        .endpoint(server.base_url())
        .credentials(
            Credentials::basic(AK, SK)
                .project_id("0123456789abcdef0123456789abcdef")
                .security_token("temporary-token"),
        )
        .clock(|| UNIX_EPOCH + Duration::from_secs(1_705_307_400))
        .build()
        .unwrap();
    let page = client
        .list_tasks()
        .state(TaskState::Running)
        .name("web server")
        .limit(10)
        .offset(0)
        .fetch()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(page.count, Some(0));
}

#[tokio::test]
async fn the_signature_covers_every_header_the_client_sends() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v3/tasks").is_true(|req| {
                let authorization = req.headers()["authorization"].to_str().unwrap().to_owned();
                let signed = authorization
                    .split("SignedHeaders=")
                    .nth(1)
                    .unwrap()
                    .split(',')
                    .next()
                    .unwrap()
                    .to_owned();
                // Every header received except those reqwest/hyper add at the wire level.
                req.headers().keys().all(|name| {
                    let name = name.as_str();
                    name == "authorization"
                        || name == "accept-encoding"
                        || signed.split(';').any(|s| s == name)
                }) && verifies(req)
            });
            then.status(200).json_body(json!({"count": 0}));
        })
        .await;
    let client = Client::builder()
        .endpoint(server.base_url())
        .credentials(Credentials::global(
            AK,
            SK,
            "domainid0123456789abcdef01234567",
        ))
        .build()
        .unwrap();
    client.list_tasks().fetch().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn a_wrong_secret_key_does_not_verify() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v3/tasks").is_true(verifies);
            then.status(200).json_body(json!({"count": 0}));
        })
        .await;
    let client = Client::builder()
        .endpoint(server.base_url())
        .credentials(Credentials::basic(AK, "another-secret-key"))
        .build()
        .unwrap();
    let error = client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(
        error.status().map(|s| s.as_u16()),
        Some(404),
        "httpmock answers 404 when no mock matches"
    );
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn an_action_and_its_json_body_verify_at_the_server() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::POST)
                .path("/v3/tasks/t-1/action")
                .header("x-security-token", "temporary-token")
                .json_body(json!({"operation": "start", "switch_hce": true}))
                .is_true(verifies);
            then.status(200);
        })
        .await;
    let deleted = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::DELETE)
                .path("/v3/tasks/t-1")
                .is_true(verifies);
            then.status(200);
        })
        .await;
    let client = Client::builder()
        .endpoint(server.base_url())
        .credentials(
            Credentials::basic(AK, SK)
                .project_id("0123456789abcdef0123456789abcdef")
                .security_token("temporary-token"),
        )
        .build()
        .unwrap();
    client
        .update_task_status()
        .task_id("t-1")
        .operation("start")
        .switch_hce(true)
        .fetch()
        .await
        .unwrap();
    client.delete_task().task_id("t-1").fetch().await.unwrap();
    mock.assert_async().await;
    deleted.assert_async().await;
}

#[tokio::test]
async fn every_signature_reads_the_wall_clock_again_so_a_suspend_or_a_step_back_is_seen() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for date in ["20240115T083000Z", "20240115T093000Z", "20240115T073000Z"] {
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.path("/v3/tasks")
                        .header("x-sdk-date", date)
                        .is_true(verifies);
                    then.status(200).json_body(json!({"count": 0, "tasks": []}));
                })
                .await,
        );
    }
    let now = Arc::new(AtomicU64::new(1_705_307_400));
    let wall = now.clone();
    let client = Client::builder()
        .endpoint(server.base_url())
        .credentials(Credentials::basic(AK, SK).project_id("0123456789abcdef0123456789abcdef"))
        .clock(move || UNIX_EPOCH + Duration::from_secs(wall.load(Ordering::Relaxed)))
        .build()
        .unwrap();
    client.list_tasks().fetch().await.unwrap();
    // The host slept for an hour (no monotonic clock moved), then NTP stepped it back two.
    now.fetch_add(3600, Ordering::Relaxed);
    client.list_tasks().fetch().await.unwrap();
    now.fetch_sub(7200, Ordering::Relaxed);
    client.list_tasks().fetch().await.unwrap();
    for mock in mocks {
        mock.assert_async().await;
    }
}
