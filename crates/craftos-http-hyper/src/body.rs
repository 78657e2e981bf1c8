//! Reading a request body in full before its event is queued (R2), under
//! three limits: the body limit (`413`), the computer's bound on body bytes
//! held at once (`503`) and the idle timeout (`408`).
//!
//! A body that is already complete (no body at all, the common case) costs
//! nothing here: no timer, no shared counter. A timer is armed only when the
//! body is not all there yet, once per body, and is pushed back lazily
//! (checked when it fires) rather than reset on every frame.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use hyper::body::{Body as _, Incoming};
use tokio::time::{Instant, Sleep};

/// Why a body was not read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// Longer than the body limit.
    TooLarge,
    /// The computer holds too many body bytes already.
    Busy,
    /// No byte arrived within the idle timeout.
    Stalled,
    /// The connection failed or the body was malformed.
    Failed(hyper::Error),
}

/// Body bytes counted in a computer's total, released when dropped.
pub(crate) struct Held<'a> {
    total: &'a AtomicUsize,
    bytes: usize,
}

impl Held<'_> {
    /// Count `n` more bytes unless the total would exceed `max`.
    fn add(&mut self, n: usize, max: usize) -> bool {
        let before = self.total.fetch_add(n, Ordering::AcqRel);
        if before.saturating_add(n) > max {
            self.total.fetch_sub(n, Ordering::AcqRel);
            return false;
        }
        self.bytes += n;
        true
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        if self.bytes > 0 {
            self.total.fetch_sub(self.bytes, Ordering::AcqRel);
        }
    }
}

/// What bounds one body.
pub(crate) struct BodyLimits {
    /// `Limits::max_body`.
    pub(crate) max_body: usize,
    /// `Limits::max_buffered`: the computer's bytes held at once.
    pub(crate) max_buffered: usize,
    /// `Limits::body_read_timeout`.
    pub(crate) idle: Duration,
}

/// Read `body` in full. The bytes stay counted in `total` until the
/// returned [`Held`] is dropped (when the response is done).
pub(crate) async fn read<'a>(
    mut body: Incoming,
    declared: Option<u64>,
    limits: &BodyLimits,
    total: &'a AtomicUsize,
) -> Result<(Bytes, Held<'a>), BodyError> {
    let mut held = Held { total, bytes: 0 };
    if body.is_end_stream() {
        return Ok((Bytes::new(), held));
    }
    // A declared length that cannot fit is refused before reading it.
    if declared.is_some_and(|len| {
        len > limits
            .max_buffered
            .saturating_sub(total.load(Ordering::Acquire)) as u64
    }) {
        return Err(BodyError::Busy);
    }
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut len = 0usize;
    // Armed at the first wait: (timer, the last time bytes arrived).
    let mut idle: Option<(Pin<Box<Sleep>>, Instant)> = None;
    poll_fn(|cx| {
        loop {
            match Pin::new(&mut body).poll_frame(cx) {
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Err(BodyError::Failed(err))),
                Poll::Ready(Some(Ok(frame))) => {
                    // Trailers carry no body bytes.
                    let Ok(data) = frame.into_data() else {
                        continue;
                    };
                    len = len.saturating_add(data.len());
                    if len > limits.max_body {
                        return Poll::Ready(Err(BodyError::TooLarge));
                    }
                    if !held.add(data.len(), limits.max_buffered) {
                        return Poll::Ready(Err(BodyError::Busy));
                    }
                    chunks.push(data);
                    if let Some((_, last)) = &mut idle {
                        *last = Instant::now();
                    }
                }
                Poll::Pending => {
                    let (timer, last) = idle.get_or_insert_with(|| {
                        let now = Instant::now();
                        (
                            Box::pin(tokio::time::sleep_until(deadline(now, limits.idle))),
                            now,
                        )
                    });
                    if timer.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    // Bytes came since the timer was set: wait from then.
                    let due = deadline(*last, limits.idle);
                    if due <= Instant::now() {
                        return Poll::Ready(Err(BodyError::Stalled));
                    }
                    timer.as_mut().reset(due);
                    if timer.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                }
            }
        }
    })
    .await?;
    let bytes = match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.pop().expect("one chunk"),
        _ => {
            let mut all = BytesMut::with_capacity(len);
            for chunk in chunks {
                all.extend_from_slice(&chunk);
            }
            all.freeze()
        }
    };
    Ok((bytes, held))
}

/// `now + timeout`, saturating (a configured `Duration::MAX` means never).
pub(crate) fn deadline(now: Instant, timeout: Duration) -> Instant {
    Instant::from_std(craftos_http_core::deadline_after(now.into_std(), timeout))
}
