//! The HTTP/1.1 server under [`FakeService`](super::FakeService): on loopback, on the runtime of
//! whoever starts it, so that everything the fake does with time (its latency, its gateway's
//! rate, its tasks' lifecycle) follows that runtime's clock. Under
//! `#[tokio::test(start_paused = true)]` a six-hour migration runs in no real time, the same way
//! every run. Connections are kept alive, as a gateway keeps them.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The largest request head the server reads.
const MAX_HEAD: usize = 64 * 1024;

/// The largest request body the server reads; a longer one closes the connection.
const MAX_BODY: u64 = 1024 * 1024;

/// A request as the server read it.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// The path and query, as sent (`/v3/tasks?limit=200`).
    pub(crate) target: String,
    pub(crate) headers: Vec<(String, String)>,
    /// The body, as sent (`Content-Length` bytes).
    pub(crate) body: Vec<u8>,
}

impl Request {
    /// The path, without the query.
    pub(crate) fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The query's parameters, decoded, in the order sent.
    pub(crate) fn query_params(&self) -> Vec<(String, String)> {
        let query = self.target.split_once('?').map_or("", |(_, q)| q);
        url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// Every value of the header `name` (any case).
    pub(crate) fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response to write.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

/// What answers each request.
pub(crate) type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// A running server: its address, and its task (stopped when dropped).
pub(crate) struct Server {
    pub(crate) base_url: String,
    accepting: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

/// Starts answering on a loopback port with `handler`, each answer delayed by `latency`.
pub(crate) async fn start(handler: Handler, latency: Duration) -> std::io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let accepting = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let handler = handler.clone();
            tokio::spawn(async move {
                let _ = connection(stream, handler, latency).await;
            });
        }
    });
    Ok(Server {
        base_url,
        accepting,
    })
}

/// Answers the requests of one connection until the client closes it or asks to.
async fn connection(stream: TcpStream, handler: Handler, latency: Duration) -> std::io::Result<()> {
    let _ = stream.set_nodelay(true);
    let mut stream = BufReader::new(stream);
    loop {
        let Some(request) = read_request(&mut stream).await? else {
            return Ok(());
        };
        let close = request
            .header_values("connection")
            .any(|v| v.eq_ignore_ascii_case("close"));
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        // Routing by method and path is the handler's (`routes.rs`).
        let response = handler(&request);
        write_response(stream.get_mut(), &response, close).await?;
        if close {
            return Ok(());
        }
    }
}

/// The next request: its head and its body; `None` when the connection ends first, or the
/// body is longer than [`MAX_BODY`].
async fn read_request(stream: &mut BufReader<TcpStream>) -> std::io::Result<Option<Request>> {
    let mut line = String::new();
    let mut read = 0;
    if stream.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        let n = stream.read_line(&mut header).await?;
        read += n;
        if n == 0 || read > MAX_HEAD {
            return Ok(None);
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let mut request = Request {
        method,
        target,
        headers,
        body: Vec::new(),
    };
    let length: u64 = request
        .header_values("content-length")
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return Ok(None);
    }
    if length > 0 {
        (&mut *stream)
            .take(length)
            .read_to_end(&mut request.body)
            .await?;
    }
    Ok(Some(request))
}

async fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    close: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\ncontent-length: {}\r\n",
        response.status,
        reason(response.status),
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if close {
        head.push_str("connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&response.body);
    stream.write_all(&bytes).await?;
    stream.flush().await
}

fn reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn answers_every_request_of_a_kept_alive_connection_with_its_body() {
        let handler: Handler = Arc::new(|request: &Request| Response {
            status: 200,
            headers: vec![("content-type", "application/json".into())],
            body: format!(
                "{} {:?} {}",
                request.method,
                request.query_params(),
                String::from_utf8_lossy(&request.body)
            )
            .into_bytes(),
        });
        let server = start(handler, Duration::ZERO).await.unwrap();
        let http = crate::client::network::reqwest_builder().build().unwrap();
        for _ in 0..3 {
            let answer = http
                .get(format!("{}/v3/tasks?name=a%20b&limit=2", server.base_url))
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 200);
            assert_eq!(
                answer.text().await.unwrap(),
                r#"GET [("name", "a b"), ("limit", "2")] "#
            );
        }
        let posted = http
            .post(format!("{}/v3/tasks/t-1/action", server.base_url))
            .body(r#"{"operation":"stop"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(
            posted.text().await.unwrap(),
            r#"POST [] {"operation":"stop"}"#
        );
    }
}
