//! Compressed responses: negotiated on every request, decoded before anything reads the body,
//! bounded after decoding, and a body that does not match its `Content-Encoding` is a clear error.

use crate::support;

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use sms_api::ErrorKind;
use sms_api::mock::FakeService;
use sms_api::prelude::*;
use sms_api::send::MAX_BODY_BYTES;
use sms_api::types::TasksResponseBody;
use support::{ScriptedServer, Step, response, response_bytes};

fn tasks(n: usize) -> Vec<TasksResponseBody> {
    (0..n)
        .map(|i| {
            let mut task = TasksResponseBody::default();
            task.id = Some(format!("task-{i}"));
            task.name = Some(format!("migration-web-prod-{i:05}"));
            task
        })
        .collect()
}

fn client(base_url: &str, compression: bool) -> Client {
    Client::builder()
        .endpoint(base_url)
        .credentials(Credentials::iam_token("token"))
        .compression(compression)
        .build()
        .unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn the_client_asks_for_gzip_and_decodes_it() {
    let body = format!(
        r#"{{"count": 1, "tasks": [{{"id": "t-1", "name": "{}"}}]}}"#,
        "web-".repeat(500)
    );
    let server = ScriptedServer::start(vec![Step::Reply(response_bytes(
        "200 OK",
        &[
            ("content-type", "application/json"),
            ("content-encoding", "gzip"),
        ],
        &gzip(body.as_bytes()),
    ))])
    .await;
    let page = client(&server.base_url, true)
        .list_tasks()
        .fetch()
        .await
        .unwrap();
    assert_eq!(
        page.tasks.as_ref().unwrap()[0].name.as_ref().unwrap().len(),
        2000
    );
    let accept = server.received()[0].header("accept-encoding").unwrap();
    assert!(
        accept.contains("gzip") && accept.contains("deflate"),
        "{accept}"
    );
}

#[tokio::test]
async fn compression_off_asks_for_nothing() {
    let server = ScriptedServer::start(vec![Step::Reply(response(
        "200 OK",
        &[],
        r#"{"count": 0, "tasks": []}"#,
    ))])
    .await;
    client(&server.base_url, false)
        .list_tasks()
        .fetch()
        .await
        .unwrap();
    assert_eq!(server.received()[0].header("accept-encoding"), None);
}

#[tokio::test]
async fn the_fake_service_compresses_when_asked_and_only_then() {
    let fake = FakeService::start(tasks(300)).await;
    for compression in [true, false] {
        let page = client(&fake.base_url(), compression)
            .list_tasks()
            .limit(200)
            .fetch()
            .await
            .unwrap();
        assert_eq!(page.count, Some(300));
        assert_eq!(page.tasks.as_ref().unwrap().len(), 200);
        // reqwest removes the header of a body it decoded.
        assert_eq!(page.headers().get("content-encoding"), None);
    }
    // What the fake sends, seen without decoding.
    let raw = |accept: Option<&'static str>| {
        let url = format!("{}/v3/tasks?limit=200", fake.base_url());
        async move {
            // (This crate's reqwest decodes nothing itself: sms-api decodes its bodies.)
            let mut request = crate::support::plain_http().get(url);
            if let Some(accept) = accept {
                request = request.header("accept-encoding", accept);
            }
            let response = request.send().await.unwrap();
            let encoding = response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_owned());
            (encoding, response.bytes().await.unwrap().len())
        }
    };
    let (plain_encoding, plain) = raw(None).await;
    let (gzip_encoding, gzipped) = raw(Some("gzip, deflate")).await;
    let (deflate_encoding, _) = raw(Some("deflate")).await;
    assert_eq!(plain_encoding, None);
    assert_eq!(gzip_encoding.as_deref(), Some("gzip"));
    assert_eq!(deflate_encoding.as_deref(), Some("deflate"));
    assert!(gzipped * 5 < plain, "gzip {gzipped} bytes, plain {plain}");
    fake.set_compression(false);
    let (off_encoding, off) = raw(Some("gzip")).await;
    assert_eq!((off_encoding, off), (None, plain));
}

#[tokio::test]
async fn a_compression_bomb_ends_at_the_body_limit() {
    // 65 MiB of JSON (a task name of 65 MiB), 1 MiB past the limit, in about 300 KB of gzip
    // (the fastest level: the stronger ones take seconds to compress it in a debug build).
    let inflated = MAX_BODY_BYTES + (1 << 20);
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder
        .write_all(br#"{"count": 1, "tasks": [{"id": "t-1", "name": ""#)
        .unwrap();
    let block = vec![b'a'; 1 << 20];
    for _ in 0..inflated >> 20 {
        encoder.write_all(&block).unwrap();
    }
    encoder.write_all(br#""}]}"#).unwrap();
    let bomb = encoder.finish().unwrap();
    assert!(bomb.len() < 400_000, "{} bytes", bomb.len());
    let server = ScriptedServer::start(vec![Step::Reply(response_bytes(
        "200 OK",
        &[("content-encoding", "gzip"), ("x-request-id", "bomb")],
        &bomb,
    ))])
    .await;
    let error = client(&server.base_url, true)
        .list_tasks()
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    let text = error.to_string();
    assert!(text.contains("64 MiB"), "{text}");
    assert!(text.contains("decoded"), "{text}");
    assert_eq!(error.request_id(), Some("bomb"));
    // Not retried: the same answer would come again.
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_body_that_is_not_what_its_content_encoding_says_is_a_decode_error() {
    let body = r#"{"count": 0, "tasks": []}"#;
    let server = ScriptedServer::start(vec![Step::Reply(response(
        "200 OK",
        &[("content-encoding", "gzip"), ("x-request-id", "liar")],
        body,
    ))])
    .await;
    let error = client(&server.base_url, true)
        .list_tasks()
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    let text = error.to_string();
    assert!(text.contains("Content-Encoding: gzip"), "{text}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.request_id(), Some("liar"));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_coding_this_build_does_not_decode_is_named() {
    let server = ScriptedServer::start(vec![Step::Reply(response_bytes(
        "200 OK",
        &[("content-encoding", "compress")],
        &[0x1f, 0x9d, 0x90, 0x7b],
    ))])
    .await;
    let error = client(&server.base_url, true)
        .list_tasks()
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    let text = error.to_string();
    assert!(text.contains("Content-Encoding: compress"), "{text}");
}
