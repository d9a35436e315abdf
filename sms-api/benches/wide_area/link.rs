//! An emulated wide-area link on loopback: a TCP relay in front of a server that adds a round
//! trip of latency (half each way, and one more to open a connection, as TCP's handshake does)
//! and shares one downstream bandwidth among all its connections, as a user's access link
//! does. It counts the bytes it carries down.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// What a link does to traffic.
#[derive(Clone, Copy, Debug)]
pub struct LinkProfile {
    /// Downstream bytes per second, shared by every connection.
    pub bytes_per_second: f64,
    /// Round-trip time.
    pub round_trip: Duration,
}

/// A running link: its URL and how many bytes it carried down.
pub struct Link {
    pub base_url: String,
    down: Arc<AtomicU64>,
}

impl Link {
    /// Starts relaying to `upstream` (an `http://host:port` URL) through `profile`.
    pub async fn start(upstream: &str, profile: LinkProfile) -> Link {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("an http://ip:port upstream");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let base_url = format!("http://{}", listener.local_addr().expect("an address"));
        let down = Arc::new(AtomicU64::new(0));
        let shaper = Arc::new(Shaper::new(profile.bytes_per_second));
        let counter = down.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (shaper, counter) = (shaper.clone(), counter.clone());
                tokio::spawn(relay(client, upstream, profile, shaper, counter));
            }
        });
        Link { base_url, down }
    }

    /// Bytes carried from the server to the client so far.
    pub fn bytes_down(&self) -> u64 {
        self.down.load(Ordering::Relaxed)
    }
}

/// The shared bottleneck: each chunk is sent when the link is free and takes its size over the
/// bandwidth to cross it.
struct Shaper {
    bytes_per_second: f64,
    free_at: Mutex<Instant>,
}

impl Shaper {
    fn new(bytes_per_second: f64) -> Shaper {
        Shaper {
            bytes_per_second,
            free_at: Mutex::new(Instant::now()),
        }
    }

    /// When `len` bytes queued now have crossed the link.
    fn reserve(&self, len: usize) -> Instant {
        let mut free_at = self.free_at.lock().expect("the shaper");
        let start = (*free_at).max(Instant::now());
        *free_at = start + Duration::from_secs_f64(len as f64 / self.bytes_per_second);
        *free_at
    }
}

async fn relay(
    client: TcpStream,
    upstream: SocketAddr,
    profile: LinkProfile,
    shaper: Arc<Shaper>,
    down: Arc<AtomicU64>,
) {
    let _ = client.set_nodelay(true);
    // Opening a connection costs a round trip before the first request byte moves.
    tokio::time::sleep(profile.round_trip).await;
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let _ = server.set_nodelay(true);
    let one_way = profile.round_trip / 2;
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    let up = pipe(client_read, server_write, one_way, None, None);
    let down = pipe(server_read, client_write, one_way, Some(shaper), Some(down));
    let _ = tokio::join!(up, down);
}

/// Carries bytes one way: each chunk leaves `delay` after it arrived, then crosses the shared
/// bottleneck if there is one. Ends when either side closes.
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay: Duration,
    shaper: Option<Arc<Shaper>>,
    counter: Option<Arc<AtomicU64>>,
) {
    let (sender, mut receiver) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let reader = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match from.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if sender
                        .send((Instant::now() + delay, buf[..n].to_vec()))
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
    };
    let writer = async move {
        while let Some((due, chunk)) = receiver.recv().await {
            tokio::time::sleep_until(due).await;
            if let Some(shaper) = &shaper {
                tokio::time::sleep_until(shaper.reserve(chunk.len())).await;
            }
            if to.write_all(&chunk).await.is_err() {
                break;
            }
            if let Some(counter) = &counter {
                counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            }
        }
        let _ = to.shutdown().await;
    };
    tokio::join!(reader, writer);
}
