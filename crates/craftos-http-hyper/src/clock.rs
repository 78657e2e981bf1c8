//! The timers of one connection, made once per connection and pushed back
//! lazily, so that a request on a busy connection arms no timer of its own.
//!
//! A tokio timer costs little to create but a lock and a wheel insertion
//! the first time it is polled, and a lock again when it is dropped: about
//! a thousand instructions, as much as hyper's whole request parser. Two of
//! them used to run per request (hyper's header-read timeout and the
//! response deadline, S8). Here each connection keeps one sleep for each
//! purpose; a request only records its deadline, and a sleep that fires
//! before the deadline it now guards is reset to it (once per timeout
//! period, not once per request).
//!
//! - The response deadline: HTTP/1 serves one request at a time on a
//!   connection, so the connection's requests take turns on one sleep
//!   ([`ConnectionClock::poll_deadline`]).
//! - The idle limit: a connection that is not serving a request must send
//!   a whole request head within [`HEAD_TIMEOUT`] of becoming idle, or it
//!   is closed, as hyper's `header_read_timeout` did
//!   ([`ConnectionClock::idle_deadline`], looked at by the connection task).

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::{Instant, Sleep, sleep_until};

/// How long an idle connection may take to send a request head.
pub(crate) const HEAD_TIMEOUT: Duration = Duration::from_secs(30);

/// One connection's response-deadline sleep and idle bookkeeping.
pub(crate) struct ConnectionClock {
    /// The sleep the connection's requests take turns on (S8).
    response: Mutex<Pin<Box<Sleep>>>,
    /// Requests being served now (0 or 1 on HTTP/1).
    busy: AtomicUsize,
    /// When the connection last became idle, in nanoseconds since `origin`.
    idle_since: AtomicU64,
    /// The connection's start.
    origin: Instant,
}

impl ConnectionClock {
    /// The clock of a connection starting now.
    pub(crate) fn new() -> Self {
        let origin = Instant::now();
        ConnectionClock {
            // Not armed until polled: a connection that never waits for a
            // response never touches the timer wheel.
            response: Mutex::new(Box::pin(sleep_until(origin + HEAD_TIMEOUT))),
            busy: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
            origin,
        }
    }

    /// Ready once `deadline` has passed; otherwise the task of `cx` is woken
    /// at it (or earlier, spuriously, when an older deadline's sleep fires).
    /// Only one request of the connection waits at a time.
    pub(crate) fn poll_deadline(&self, cx: &mut Context<'_>, deadline: Instant) -> Poll<()> {
        let mut sleep = self.response.lock().unwrap_or_else(|e| e.into_inner());
        if sleep.deadline() > deadline {
            sleep.as_mut().reset(deadline);
        }
        loop {
            match sleep.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(()) if Instant::now() >= deadline => return Poll::Ready(()),
                // An earlier request's deadline: push it back to this one's.
                Poll::Ready(()) => sleep.as_mut().reset(deadline),
            }
        }
    }

    /// Count a request being served until the guard is dropped; the
    /// connection is idle again from then.
    pub(crate) fn serving(&self) -> Serving<'_> {
        self.busy.fetch_add(1, Ordering::AcqRel);
        Serving(self)
    }

    /// When the connection must be closed for idling: `None` if it has been
    /// idle for [`HEAD_TIMEOUT`] by `now`, else the next time to look.
    pub(crate) fn idle_deadline(&self, now: Instant) -> Option<Instant> {
        if self.busy.load(Ordering::Acquire) > 0 {
            return Some(now + HEAD_TIMEOUT);
        }
        let since = self.origin + Duration::from_nanos(self.idle_since.load(Ordering::Acquire));
        let limit = since + HEAD_TIMEOUT;
        (now < limit).then_some(limit)
    }
}

/// A request being served (see [`ConnectionClock::serving`]).
pub(crate) struct Serving<'a>(&'a ConnectionClock);

impl Drop for Serving<'_> {
    fn drop(&mut self) {
        let clock = self.0;
        let nanos = Instant::now()
            .saturating_duration_since(clock.origin)
            .as_nanos();
        clock
            .idle_since
            .store(u64::try_from(nanos).unwrap_or(u64::MAX), Ordering::Release);
        clock.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::poll_fn;

    #[tokio::test(start_paused = true)]
    async fn a_deadline_is_kept_and_later_ones_push_the_sleep_back() {
        let clock = ConnectionClock::new();
        let start = Instant::now();
        // A first request answered at once: its deadline never fires.
        let first = start + Duration::from_secs(5);
        assert!(
            poll_fn(|cx| Poll::Ready(clock.poll_deadline(cx, first)))
                .await
                .is_pending()
        );
        tokio::time::advance(Duration::from_secs(3)).await;
        // The next request's deadline is later: the sleep fires at the
        // first one's, sees the new one and waits on.
        let second = Instant::now() + Duration::from_secs(5);
        poll_fn(|cx| clock.poll_deadline(cx, second)).await;
        assert!(Instant::now() >= second, "fired before the deadline");
        assert!(
            Instant::now() < second + Duration::from_millis(10),
            "fired late"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_earlier_deadline_than_the_sleep_is_kept() {
        let clock = ConnectionClock::new();
        let soon = Instant::now() + Duration::from_millis(100);
        poll_fn(|cx| clock.poll_deadline(cx, soon)).await;
        assert!(Instant::now() >= soon);
        assert!(Instant::now() < soon + Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn idle_counts_from_the_last_request_and_not_while_serving() {
        let clock = ConnectionClock::new();
        let start = Instant::now();
        assert_eq!(clock.idle_deadline(start), Some(start + HEAD_TIMEOUT));
        tokio::time::advance(Duration::from_secs(20)).await;
        let serving = clock.serving();
        tokio::time::advance(Duration::from_secs(20)).await;
        // 40 s since the start, but a request is being served.
        let now = Instant::now();
        assert_eq!(clock.idle_deadline(now), Some(now + HEAD_TIMEOUT));
        drop(serving);
        tokio::time::advance(Duration::from_secs(29)).await;
        assert!(clock.idle_deadline(Instant::now()).is_some());
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(clock.idle_deadline(Instant::now()), None);
    }
}
