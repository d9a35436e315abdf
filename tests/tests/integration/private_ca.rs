//! https with a private CA: trusted through the builder, refused without it in one handshake,
//! with an error of its own that says how to trust it. The CA and the loopback server
//! certificate are fixtures (`fixtures/tls/generate.sh` makes them anew).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use sms_api::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

const CA: &[u8] = include_bytes!("../fixtures/tls/ca.pem");
const SERVER_CERT: &[u8] = include_bytes!("../fixtures/tls/server.pem");
const SERVER_KEY: &[u8] = include_bytes!("../fixtures/tls/server.key");

/// An https server on loopback that answers every request with an empty listing; its base URL
/// and how many connections it accepted.
async fn https_server() -> (String, Arc<AtomicUsize>) {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(SERVER_CERT)
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY).unwrap();
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"{"count": 0, "tasks": []}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://localhost:{port}"), accepted)
}

#[tokio::test]
async fn a_private_ca_given_to_the_builder_is_trusted() {
    let (endpoint, _) = https_server().await;
    let client = Client::builder()
        .endpoint(&endpoint)
        .credentials(Credentials::iam_token("token"))
        .add_root_certificate_pem(CA)
        .build()
        .unwrap();
    let page = client.list_tasks().fetch().await.unwrap();
    assert_eq!(page.count, Some(0));
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_in_one_handshake_saying_how_to_trust_it() {
    let (endpoint, accepted) = https_server().await;
    let client = Client::builder()
        .endpoint(&endpoint)
        .credentials(Credentials::iam_token("token"))
        .build()
        .unwrap();
    let error = client.list_tasks().fetch().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Certificate, "{error}");
    assert!(!error.is_retryable());
    assert_eq!(error.attempts(), 1);
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "one handshake, not retried"
    );
    let text = error.to_string();
    assert!(
        text.starts_with("untrusted certificate") && text.contains("SSL_CERT_FILE"),
        "{text}"
    );
}
