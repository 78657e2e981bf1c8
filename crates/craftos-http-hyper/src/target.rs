//! Absolute-form request targets as sent (R3).
//!
//! hyper's URI parser lowercases the scheme and turns an empty path into
//! `/`, so `GET HTTP://Example.COM HTTP/1.1` would reach the script as
//! `http://Example.COM/`. Only connections that send absolute-form targets
//! (clients talking to a proxy) pay for getting the bytes back: [`Sniff`]
//! looks at the first bytes of each connection, and only when its first
//! request's target has a scheme (or once the service saw one) it keeps
//! what the connection reads (the last [`KEEP`] bytes), where
//! [`RawTargets::take`] finds each request's target. Every other
//! connection costs one branch per read.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::Uri;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Bytes of an absolute-form connection kept to find targets in.
const KEEP: usize = 64 * 1024;

/// What one connection read, for its absolute-form targets.
#[derive(Default)]
pub(crate) struct RawTargets {
    /// The connection sends absolute-form targets: keep what it reads.
    active: AtomicBool,
    /// What it read since the last target taken (at most [`KEEP`] bytes).
    seen: Mutex<Vec<u8>>,
}

impl RawTargets {
    /// Keep the target bytes of later requests too (the service saw an
    /// absolute-form target the first bytes did not show).
    pub(crate) fn activate(&self) {
        self.active.store(true, Ordering::Relaxed);
    }

    fn record(&self, bytes: &[u8]) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.extend_from_slice(bytes);
        if seen.len() > KEEP {
            let excess = seen.len() - KEEP;
            seen.drain(..excess);
        }
    }

    /// The target of the request `method uri` as it was sent, when `uri`
    /// is absolute-form and its request line is among the bytes kept. The
    /// bytes up to it are dropped.
    pub(crate) fn take(&self, method: &str, uri: &Uri) -> Option<Bytes> {
        if !self.active.load(Ordering::Relaxed) {
            return None;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let (start, end) = find(&seen, method, uri)?;
        let raw = Bytes::copy_from_slice(&seen[start..end]);
        seen.drain(..end);
        Some(raw)
    }
}

/// Where, in `bytes`, the request line `method uri` holds its target: the
/// first `METHOD SP target SP` at a line start whose target parses to
/// `uri`.
fn find(bytes: &[u8], method: &str, uri: &Uri) -> Option<(usize, usize)> {
    let prefix = [method.as_bytes(), b" "].concat();
    let mut from = 0;
    while let Some(at) = find_bytes(&bytes[from..], &prefix).map(|i| from + i) {
        from = at + 1;
        if at > 0 && bytes[at - 1] != b'\n' {
            continue;
        }
        let start = at + prefix.len();
        let Some(len) = bytes[start..].iter().position(|&b| b == b' ') else {
            continue;
        };
        let target = &bytes[start..start + len];
        if Uri::try_from(target).is_ok_and(|parsed| parsed == *uri) {
            return Some((start, start + len));
        }
    }
    None
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether the first bytes of a connection start a request whose target
/// has a scheme (`TOKEN SP ALPHA *(ALPHA / DIGIT / "+" / "-" / ".") "://"`).
fn starts_absolute(bytes: &[u8]) -> bool {
    let Some(space) = bytes.iter().take(32).position(|&b| b == b' ') else {
        return false;
    };
    let rest = &bytes[space + 1..];
    let scheme = rest
        .iter()
        .take(32)
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')));
    match scheme {
        Some(n) if n > 0 && rest[0].is_ascii_alphabetic() => rest[n..].starts_with(b"://"),
        _ => false,
    }
}

/// A connection's stream that shows what it reads to its [`RawTargets`]
/// once they are active (see the module docs).
pub(crate) struct Sniff<T> {
    inner: T,
    targets: Arc<super::inflight::ConnectionSlot>,
    first: bool,
}

impl<T> Sniff<T> {
    /// `inner`, its reads shown to `slot`'s targets.
    pub(crate) fn new(inner: T, slot: Arc<super::inflight::ConnectionSlot>) -> Self {
        Sniff {
            inner,
            targets: slot,
            first: true,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Sniff<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let poll = Pin::new(&mut this.inner).poll_read(cx, buf);
        let new = &buf.filled()[before..];
        if !new.is_empty() {
            let targets = &this.targets.targets;
            if this.first {
                this.first = false;
                if starts_absolute(new) {
                    targets.activate();
                }
            }
            if targets.active.load(Ordering::Relaxed) {
                targets.record(new);
            }
        }
        poll
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Sniff<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bytes_tell_absolute_form() {
        assert!(starts_absolute(b"GET http://Example.COM HTTP/1.1\r\n"));
        assert!(starts_absolute(b"OPTIONS coap+tcp://h/ HTTP/1.1"));
        assert!(!starts_absolute(b"GET / HTTP/1.1\r\n"));
        assert!(!starts_absolute(b"GET /a://b HTTP/1.1\r\n"));
        assert!(!starts_absolute(b"CONNECT h:443 HTTP/1.1\r\n"));
        assert!(!starts_absolute(b"GET"));
    }

    #[test]
    fn targets_are_found_as_sent_in_order() {
        let t = RawTargets::default();
        t.activate();
        t.record(b"GET HTTP://Example.COM HTTP/1.1\r\nHost: x\r\n\r\nGET http://Example");
        t.record(b".COM/ HTTP/1.1\r\nReferer: GET http://Example.COM HTTP/1.1\r\n\r\n");
        let uri: Uri = "http://Example.COM/".parse().unwrap();
        assert_eq!(
            t.take("GET", &uri).as_deref(),
            Some(&b"HTTP://Example.COM"[..])
        );
        assert_eq!(
            t.take("GET", &uri).as_deref(),
            Some(&b"http://Example.COM/"[..])
        );
        // A header that looks like a request line is not at a line start.
        assert_eq!(t.take("GET", &uri), None);
        assert_eq!(t.take("POST", &uri), None);
    }

    #[test]
    fn nothing_is_kept_until_active() {
        let t = RawTargets::default();
        t.record(b"GET http://a HTTP/1.1\r\n");
        assert_eq!(t.take("GET", &"http://a/".parse().unwrap()), None);
    }
}
