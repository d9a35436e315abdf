//! A scripted HTTP server on loopback for faults httpmock cannot produce: each connection gets
//! the next step of the script (and the connection is closed after it).

// Shared by several test binaries (faults, throttling), each of which uses only part of it.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
// tokio's clock, so that a test on a paused clock measures the waits it skipped.
use tokio::time::Instant;

/// What the server does with one connection.
#[derive(Clone)]
pub enum Step {
    /// Write these bytes, then close.
    Reply(Vec<u8>),
    /// Write these bytes, then reset the connection (RST).
    ReplyThenReset(Vec<u8>),
    /// Write the head, wait, then write the body.
    SlowBody {
        head: Vec<u8>,
        delay: Duration,
        body: Vec<u8>,
    },
    /// Read the request in full (its body too), then close the connection without a word:
    /// the request arrived, its answer is lost.
    CloseAfterReading,
}

/// A full HTTP/1.1 response with `Connection: close` and the given headers.
pub fn response(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    response_bytes(status, headers, body.as_bytes())
}

/// [`response`] with a body of any bytes (compressed, say).
pub fn response_bytes(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut text = format!(
        "HTTP/1.1 {status}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub at: Instant,
    pub head: String,
    /// The body, as far as `Content-Length` says (read in full by `CloseAfterReading` and
    /// `FnServer`).
    pub body: Vec<u8>,
}

impl Received {
    /// The value of a header, by lower-case name.
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    }
}

/// The running server: its base URL and what it received.
pub struct ScriptedServer {
    pub base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl ScriptedServer {
    /// Starts serving `script`, one step per connection; after the last step it repeats it.
    pub async fn start(script: Vec<Step>) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        tokio::spawn(async move {
            for index in 0.. {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let step = script[index.min(script.len() - 1)].clone();
                let log = log.clone();
                tokio::spawn(async move { serve(stream, step, log).await });
            }
        });
        ScriptedServer { base_url, received }
    }

    /// The requests received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// A request's head (up to the blank line) and its body (as long as `Content-Length` says), or
/// `None` when the connection ends first.
async fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        if let Some(at) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = bytes[end..].to_vec();
    while body.len() < length {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&buf[..n]),
        }
    }
    Some((head, body))
}

async fn serve(mut stream: TcpStream, step: Step, log: Arc<Mutex<Vec<Received>>>) {
    let Some((head, body)) = read_request(&mut stream).await else {
        return;
    };
    log.lock().unwrap().push(Received {
        at: Instant::now(),
        head,
        body,
    });
    match step {
        Step::Reply(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Step::ReplyThenReset(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(20)).await;
            // SO_LINGER 0 makes the close a reset (RST), the fault under test; with a zero
            // timeout, drop does not block.
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(Duration::ZERO));
            drop(stream);
        }
        Step::SlowBody { head, delay, body } => {
            let _ = stream.write_all(&head).await;
            let _ = stream.flush().await;
            tokio::time::sleep(delay).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
        }
        Step::CloseAfterReading => {
            let _ = stream.shutdown().await;
        }
    }
}

/// A server on loopback whose every answer comes from `answer(number, path_and_query)`: the
/// request's number (from 1) and its target. Runs on the test's runtime, so that a test on
/// tokio's paused clock sees its waits skipped.
pub struct FnServer {
    pub base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl FnServer {
    pub async fn start(
        answer: impl Fn(usize, &str) -> Vec<u8> + Send + Sync + 'static,
    ) -> FnServer {
        Self::start_with_head(move |number, received| {
            let target = received.head.split_whitespace().nth(1).unwrap_or("/");
            answer(number, target)
        })
        .await
    }

    /// [`start`](Self::start), the answer reading the whole request head (its headers too).
    pub async fn start_with_head(
        answer: impl Fn(usize, &Received) -> Vec<u8> + Send + Sync + 'static,
    ) -> FnServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let answer = Arc::new(answer);
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let (log, answer) = (log.clone(), answer.clone());
                tokio::spawn(async move {
                    let Some((head, body)) = read_request(&mut stream).await else {
                        return;
                    };
                    let received = Received {
                        at: Instant::now(),
                        head,
                        body,
                    };
                    let number = {
                        let mut log = log.lock().unwrap();
                        log.push(received.clone());
                        log.len()
                    };
                    let bytes = answer(number, &received);
                    let _ = stream.write_all(&bytes).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        FnServer { base_url, received }
    }

    /// The requests received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// The value of query parameter `name` in a request target, if present.
/// A loopback address that refuses connections, reserved while the returned socket lives (bound,
/// never listening): a port freed by dropping a listener could be taken meanwhile by another
/// test's server, which would then answer.
pub fn refusing_address() -> (TcpSocket, std::net::SocketAddr) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(([127, 0, 0, 1], 0).into()).unwrap();
    let address = socket.local_addr().unwrap();
    (socket, address)
}

pub fn query_param(target: &str, name: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// A plain reqwest client for talking to the fakes directly. sms-api's default `rustls`
/// feature builds reqwest without a crypto provider (it installs ring when it builds its own
/// client), so a test that builds one first installs it too.
pub fn plain_http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}
