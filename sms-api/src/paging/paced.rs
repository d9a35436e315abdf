//! The pages after the first, fetched concurrently and yielded in order, with as many in flight
//! as the [`Pacer`] allows at each moment (`buffered`, with a window that moves).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::{FuturesOrdered, StreamExt};

use super::pace::Pacer;
use crate::send::rate_limit::RateLimiter;

/// Fetches from `pending` in order, at most the pacer's window at once; tells the pacer each
/// page's items (`measure`) as it is yielded, and the client's throttling count.
pub(crate) struct Paced<S, F: Future, M> {
    pending: S,
    exhausted: bool,
    in_flight: FuturesOrdered<F>,
    pacer: Pacer,
    limiter: Arc<RateLimiter>,
    measure: M,
}

impl<S, F, M> Paced<S, F, M>
where
    S: Stream<Item = F> + Unpin,
    F: Future,
    M: Fn(&F::Output) -> u64,
{
    pub(crate) fn new(pending: S, pacer: Pacer, limiter: Arc<RateLimiter>, measure: M) -> Self {
        Paced {
            pending,
            exhausted: false,
            in_flight: FuturesOrdered::new(),
            pacer,
            limiter,
            measure,
        }
    }
}

impl<S, F, M> Stream for Paced<S, F, M>
where
    S: Stream<Item = F> + Unpin,
    F: Future,
    M: Fn(&F::Output) -> u64 + Unpin,
{
    type Item = F::Output;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        while !this.exhausted && this.in_flight.len() < this.pacer.window() {
            match this.pending.poll_next_unpin(cx) {
                Poll::Ready(Some(page)) => {
                    this.in_flight.push_back(page);
                    this.pacer.admitted();
                }
                Poll::Ready(None) => this.exhausted = true,
                Poll::Pending => break,
            }
        }
        match this.in_flight.poll_next_unpin(cx) {
            Poll::Ready(Some(page)) => {
                let items = (this.measure)(&page);
                this.pacer.yielded(
                    items,
                    tokio::time::Instant::now(),
                    this.limiter.throttled_count(),
                    this.limiter.is_pacing(),
                );
                Poll::Ready(Some(page))
            }
            Poll::Ready(None) if this.exhausted => Poll::Ready(None),
            _ => Poll::Pending,
        }
    }
}
