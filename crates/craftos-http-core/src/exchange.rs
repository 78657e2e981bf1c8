//! One request/response pair, shared by the transport and the computer.
//!
//! The computer side is the handle state: a read cursor over the request body
//! with the *end* flag of R6, and the response being built (S1-S6). The
//! transport side waits for the response ([`Exchange::poll_response`]) and,
//! at the response deadline, takes whatever was built ([`Exchange::expire`]).
//! Both sides meet under one short-lived lock; nothing here blocks.

use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use thiserror::Error;

use crate::header;
use crate::request::Request;
use crate::response::{Response, ResponseError};
use crate::status;

/// The exchange was closed: its response was sent (R8, S6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("attempt to use a closed file")]
pub struct ExchangeClosed;

impl From<ExchangeClosed> for ResponseError {
    fn from(_: ExchangeClosed) -> Self {
        ResponseError::Closed
    }
}

/// How an exchange's response was finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finish {
    /// The script called `response.close()`.
    Script,
    /// The response deadline passed first (S8).
    Deadline,
    /// The host answered for the script (500 after a callback error, 503 on
    /// shutdown) with this status.
    Status(u16),
}

/// A request and the response being built for it.
#[derive(Debug)]
pub struct Exchange {
    request: Request,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Read position in the request body.
    pos: usize,
    /// R6's end flag: set by a read that reached past the last byte.
    at_end: bool,
    status: u16,
    reason: Option<Bytes>,
    headers: Vec<(String, Bytes)>,
    body: Vec<u8>,
    /// Set once: the response is final and the handles are closed.
    finished: Option<Finish>,
    /// The final response until the transport takes it.
    ready: Option<Response>,
    /// The transport task waiting for `ready`.
    waker: Option<Waker>,
}

impl Exchange {
    /// A fresh exchange for `request`, with an empty `200` response.
    pub fn new(request: Request) -> Self {
        Exchange {
            request,
            state: Mutex::new(State {
                pos: 0,
                at_end: false,
                status: 200,
                reason: None,
                headers: Vec::new(),
                body: Vec::new(),
                finished: None,
                ready: None,
                waker: None,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-updated
        // in a way that matters more than losing the exchange, so recover.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn open(&self) -> Result<MutexGuard<'_, State>, ExchangeClosed> {
        let state = self.lock();
        if state.finished.is_some() {
            Err(ExchangeClosed)
        } else {
            Ok(state)
        }
    }

    /// The request, without checking whether the exchange is closed.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The request, for a handle method that must fail once closed (R8).
    pub fn open_request(&self) -> Result<&Request, ExchangeClosed> {
        self.open().map(|_| &self.request)
    }

    /// Whether the response was sent (by the script, the deadline or the host).
    pub fn is_closed(&self) -> bool {
        self.lock().finished.is_some()
    }

    /// How the response was finished, if it was.
    pub fn finish(&self) -> Option<Finish> {
        self.lock().finished
    }

    // ---- request handle (R5, R6) ----

    /// `request.read()`: the next byte; `None` at end (sets the end flag).
    pub fn read_byte(&self) -> Result<Option<u8>, ExchangeClosed> {
        let mut s = self.open()?;
        if s.at_end {
            return Ok(None);
        }
        match self.request.body().get(s.pos) {
            Some(&b) => {
                s.pos += 1;
                Ok(Some(b))
            }
            None => {
                s.at_end = true;
                Ok(None)
            }
        }
    }

    /// `request.read(n)`: up to `n` bytes; fewer than `n` sets the end flag,
    /// none at all gives `None`.
    pub fn read(&self, n: usize) -> Result<Option<Bytes>, ExchangeClosed> {
        let mut s = self.open()?;
        if s.at_end {
            return Ok(None);
        }
        let body = self.request.body();
        let end = s.pos.saturating_add(n).min(body.len());
        let got = end - s.pos;
        if got < n {
            s.at_end = true;
        }
        if got == 0 && n > 0 {
            return Ok(None);
        }
        let out = body.slice(s.pos..end);
        s.pos = end;
        Ok(Some(out))
    }

    /// `request.readLine([withTrailing])`: the next line without its `\n`
    /// (kept with `with_trailing`); a `\r` before it is kept. A line that
    /// reaches the end of the body without `\n` sets the end flag.
    pub fn read_line(&self, with_trailing: bool) -> Result<Option<Bytes>, ExchangeClosed> {
        let mut s = self.open()?;
        if s.at_end {
            return Ok(None);
        }
        let body = self.request.body();
        let rest = &body[s.pos..];
        match rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                let start = s.pos;
                s.pos += i + 1;
                let end = if with_trailing { s.pos } else { start + i };
                Ok(Some(body.slice(start..end)))
            }
            None => {
                let out = body.slice(s.pos..);
                s.pos = body.len();
                s.at_end = true;
                Ok(Some(out))
            }
        }
    }

    /// `request.readAll()`: the rest of the body (`""` if none) and the end
    /// flag; `None` once the flag is set.
    pub fn read_all(&self) -> Result<Option<Bytes>, ExchangeClosed> {
        let mut s = self.open()?;
        if s.at_end {
            return Ok(None);
        }
        let body = self.request.body();
        let out = body.slice(s.pos..);
        s.pos = body.len();
        s.at_end = true;
        Ok(Some(out))
    }

    // ---- response handle (S1-S6) ----

    /// `response.write(s)`: append to the buffered body.
    pub fn write(&self, bytes: &[u8]) -> Result<(), ExchangeClosed> {
        self.open()?.body.extend_from_slice(bytes);
        Ok(())
    }

    /// `response.setStatusCode(code[, reason])`.
    pub fn set_status(&self, code: i64, reason: Option<&[u8]>) -> Result<(), ResponseError> {
        let mut s = self.open()?;
        let code = u16::try_from(code)
            .ok()
            .filter(|c| status::VALID.contains(c))
            .ok_or(ResponseError::StatusOutOfRange)?;
        let reason = match reason {
            Some(r) if !header::is_valid_value(r) => return Err(ResponseError::InvalidReason),
            Some(r) => Some(Bytes::copy_from_slice(r)),
            None => None,
        };
        s.status = code;
        s.reason = reason;
        Ok(())
    }

    /// `response.setResponseHeader(name, value)`: replaces earlier values of
    /// `name` (case-insensitively); several values send the header once per
    /// value (S5).
    pub fn set_header(&self, name: &[u8], values: &[&[u8]]) -> Result<(), ResponseError> {
        let mut s = self.open()?;
        if !header::is_valid_name(name) {
            return Err(ResponseError::InvalidHeaderName);
        }
        if !values.iter().all(|v| header::is_valid_value(v)) {
            return Err(ResponseError::InvalidHeaderValue);
        }
        // A valid name is ASCII.
        let name = String::from_utf8_lossy(name).into_owned();
        s.headers.retain(|(n, _)| !header::eq_ignore_case(n, &name));
        for v in values {
            s.headers.push((name.clone(), Bytes::copy_from_slice(v)));
        }
        Ok(())
    }

    /// `response.close()`: finish the response and wake the transport.
    pub fn close(&self) -> Result<(), ExchangeClosed> {
        let mut s = self.open()?;
        finish(&mut s, Finish::Script);
        Ok(())
    }

    /// Answer with `code` and nothing the script set, if the response is
    /// still open (500 after a callback error, 503 on shutdown). Returns
    /// whether it was open.
    pub fn finish_with_status(&self, code: u16) -> bool {
        let mut s = self.lock();
        if s.finished.is_some() {
            return false;
        }
        s.status = code;
        s.reason = None;
        s.headers.clear();
        s.body.clear();
        finish(&mut s, Finish::Status(code));
        true
    }

    // ---- transport side ----

    /// Ready with the response once it is finished; registers `cx`'s waker
    /// otherwise. Each response is handed out once.
    pub fn poll_response(&self, cx: &mut Context<'_>) -> Poll<Response> {
        let mut s = self.lock();
        match s.ready.take() {
            Some(r) => Poll::Ready(r),
            None => {
                match &s.waker {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    _ => s.waker = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
        }
    }

    /// The response, if finished and not yet taken.
    pub fn try_take_response(&self) -> Option<Response> {
        self.lock().ready.take()
    }

    /// The response deadline passed (S8): close the handles and return what
    /// the script set and wrote so far (or the response it finished, if it
    /// raced the deadline). `None` if the response was already taken.
    pub fn expire(&self) -> Option<Response> {
        let mut s = self.lock();
        if s.finished.is_none() {
            finish(&mut s, Finish::Deadline);
        }
        s.ready.take()
    }
}

fn finish(s: &mut State, how: Finish) {
    s.finished = Some(how);
    s.ready = Some(Response {
        status: s.status,
        reason: s.reason.take(),
        headers: std::mem::take(&mut s.headers),
        body: Bytes::from(std::mem::take(&mut s.body)),
    });
    if let Some(w) = s.waker.take() {
        w.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(body: &[u8]) -> Exchange {
        Exchange::new(Request::new("POST", "/", vec![], body.to_vec()))
    }

    fn lines(body: &[u8]) -> Vec<Option<Vec<u8>>> {
        let e = ex(body);
        (0..5)
            .map(|_| e.read_line(false).unwrap().map(|b| b.to_vec()))
            .collect()
    }

    fn s(x: &str) -> Option<Vec<u8>> {
        Some(x.as_bytes().to_vec())
    }

    #[test]
    fn read_line_edges_of_r6() {
        assert_eq!(lines(b"a\nb\n"), vec![s("a"), s("b"), s(""), None, None]);
        assert_eq!(
            lines(b"a\r\nb\nc"),
            vec![s("a\r"), s("b"), s("c"), None, None]
        );
        assert_eq!(lines(b""), vec![s(""), None, None, None, None]);
    }

    #[test]
    fn read_line_with_trailing() {
        let e = ex(b"a\nb");
        assert_eq!(e.read_line(true).unwrap().unwrap(), &b"a\n"[..]);
        assert_eq!(e.read_line(true).unwrap().unwrap(), &b"b"[..]);
        assert_eq!(e.read_line(true).unwrap(), None);
    }

    #[test]
    fn read_counts_and_end_flag() {
        let e = ex(b"abc");
        assert_eq!(e.read(2).unwrap().unwrap(), &b"ab"[..]);
        assert_eq!(e.read(5).unwrap().unwrap(), &b"c"[..]);
        assert_eq!(e.read(1).unwrap(), None);
        assert_eq!(e.read_byte().unwrap(), None);
        let e = ex(b"ab");
        assert_eq!(e.read_byte().unwrap(), Some(b'a'));
        assert_eq!(e.read_byte().unwrap(), Some(b'b'));
        assert_eq!(e.read_byte().unwrap(), None);
        assert_eq!(e.read_all().unwrap(), None);
    }

    #[test]
    fn read_all_twice() {
        let e = ex(b"xyz");
        e.read_byte().unwrap();
        assert_eq!(e.read_all().unwrap().unwrap(), &b"yz"[..]);
        assert_eq!(e.read_all().unwrap(), None);
        let e = ex(b"");
        assert_eq!(e.read_all().unwrap().unwrap(), &b""[..]);
        assert_eq!(e.read_all().unwrap(), None);
    }

    #[test]
    fn response_is_built_then_closed() {
        let e = ex(b"");
        e.write(b"he").unwrap();
        e.set_header(b"X-A", &[b"1"]).unwrap();
        e.set_header(b"x-a", &[b"2", b"3"]).unwrap();
        e.set_status(404, None).unwrap();
        e.write(b"llo").unwrap();
        assert!(e.try_take_response().is_none());
        e.close().unwrap();
        assert_eq!(e.close(), Err(ExchangeClosed));
        assert_eq!(e.write(b"x"), Err(ExchangeClosed));
        assert_eq!(e.read_byte(), Err(ExchangeClosed));
        let r = e.try_take_response().unwrap();
        assert_eq!(r.status, 404);
        assert_eq!(&r.body[..], b"hello");
        assert_eq!(r.headers.len(), 2);
        assert_eq!(r.headers[0].0, "x-a");
        assert_eq!(e.finish(), Some(Finish::Script));
    }

    #[test]
    fn invalid_status_and_headers_are_refused() {
        let e = ex(b"");
        assert_eq!(e.set_status(99, None), Err(ResponseError::StatusOutOfRange));
        assert_eq!(
            e.set_status(1000, None),
            Err(ResponseError::StatusOutOfRange)
        );
        assert_eq!(
            e.set_status(200, Some(b"a\nb")),
            Err(ResponseError::InvalidReason)
        );
        assert_eq!(
            e.set_header(b"a b", &[b"x"]),
            Err(ResponseError::InvalidHeaderName)
        );
        assert_eq!(
            e.set_header(b"a", &[b"x\r\ny"]),
            Err(ResponseError::InvalidHeaderValue)
        );
    }

    #[test]
    fn deadline_sends_what_was_written() {
        let e = ex(b"");
        e.write(b"partial").unwrap();
        let r = e.expire().unwrap();
        assert_eq!(&r.body[..], b"partial");
        assert_eq!(e.finish(), Some(Finish::Deadline));
        assert_eq!(e.close(), Err(ExchangeClosed));
        assert!(!e.finish_with_status(500));
    }

    #[test]
    fn host_status_discards_the_script_response() {
        let e = ex(b"");
        e.write(b"half").unwrap();
        assert!(e.finish_with_status(500));
        let r = e.try_take_response().unwrap();
        assert_eq!((r.status, r.body.len()), (500, 0));
    }
}
