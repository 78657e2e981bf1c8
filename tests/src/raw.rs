//! HTTP/1.1 by hand over a blocking [`TcpStream`] with timeouts: for
//! malformed requests, clients that vanish, and byte-exact checks of what
//! the server sends.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use crate::STEP;

/// A parsed response.
#[derive(Clone, Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The reason phrase.
    pub reason: String,
    /// The header fields in the order sent, names as sent.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The value of the first header named `name` (case-insensitive), as
    /// text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What came back on a connection.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The response, if a complete one arrived.
    pub response: Option<Response>,
    /// Every byte received.
    pub bytes: Vec<u8>,
    /// Whether the server closed (or reset) the connection.
    pub closed: bool,
}

impl Reply {
    /// The status of the response, if one arrived.
    pub fn status(&self) -> Option<u16> {
        self.response.as_ref().map(|r| r.status)
    }

    /// The response; panics (with what arrived) if there was none.
    pub fn expect_response(self) -> Response {
        match self.response {
            Some(r) => r,
            None => panic!(
                "no complete response (closed: {}): {:?}",
                self.closed,
                String::from_utf8_lossy(&self.bytes)
            ),
        }
    }
}

/// One client connection.
#[derive(Debug)]
pub struct Conn {
    stream: TcpStream,
    /// Bytes received and not yet returned as part of a response.
    buffer: Vec<u8>,
}

impl Conn {
    /// Connect to `127.0.0.1:port`; every later read and write times out
    /// after [`STEP`].
    pub fn open(port: u16) -> std::io::Result<Conn> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let stream = TcpStream::connect_timeout(&addr, STEP)?;
        stream.set_read_timeout(Some(STEP))?;
        stream.set_write_timeout(Some(STEP))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buffer: Vec::new(),
        })
    }

    /// Send `bytes`. A server that already closed may make this fail.
    pub fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    /// Tell the server nothing more will be sent (half-close).
    pub fn shutdown_write(&self) {
        let _ = self.stream.shutdown(Shutdown::Write);
    }

    /// Read until a complete response (the connection may stay open), or
    /// until the server closes the connection. `Err` if neither happens
    /// within `timeout`: the server hangs.
    pub fn read_reply_within(&mut self, timeout: Duration) -> Result<Reply, String> {
        self.stream
            .set_read_timeout(Some(timeout))
            .map_err(|e| e.to_string())?;
        let mut chunk = [0u8; 16 * 1024];
        loop {
            if let Some((response, used)) = parse(&self.buffer, false) {
                let bytes = self.buffer.drain(..used).collect();
                return Ok(Reply {
                    response: Some(response),
                    bytes,
                    closed: false,
                });
            }
            match self.stream.read(&mut chunk) {
                Ok(0) => return Ok(self.closed_reply()),
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Err(format!(
                        "no response and no close within {timeout:?}; received {:?}",
                        String::from_utf8_lossy(&self.buffer)
                    ));
                }
                // A reset is the server closing too.
                Err(_) => return Ok(self.closed_reply()),
            }
        }
    }

    /// [`Conn::read_reply_within`] with [`STEP`].
    pub fn read_reply(&mut self) -> Result<Reply, String> {
        self.read_reply_within(STEP)
    }

    /// Read one response; panics if none arrives.
    pub fn read_response(&mut self) -> Response {
        self.read_reply()
            .unwrap_or_else(|e| panic!("{e}"))
            .expect_response()
    }

    /// Whether the server has closed the connection: a read sees the end
    /// (or a reset) within `timeout`. Bytes that arrive instead are kept.
    pub fn is_closed_within(&mut self, timeout: Duration) -> bool {
        let _ = self.stream.set_read_timeout(Some(timeout));
        let mut chunk = [0u8; 4096];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => return true,
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return false;
                }
                Err(_) => return true,
            }
        }
    }

    fn closed_reply(&mut self) -> Reply {
        let bytes = std::mem::take(&mut self.buffer);
        Reply {
            response: parse(&bytes, true).map(|(r, _)| r),
            bytes,
            closed: true,
        }
    }
}

/// Parse one response from the start of `bytes`; `None` until it is
/// complete. A response without `Content-Length` ends with the connection
/// (`at_end`). Returns the response and the bytes it took.
fn parse(bytes: &[u8], at_end: bool) -> Option<(Response, usize)> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Response::new(&mut headers);
    let head = match parsed.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        _ => return None,
    };
    let headers: Vec<(String, Vec<u8>)> = parsed
        .headers
        .iter()
        .map(|h| (h.name.to_owned(), h.value.to_vec()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| std::str::from_utf8(v).ok()?.trim().parse::<usize>().ok());
    let end = match length {
        Some(len) if bytes.len() >= head + len => head + len,
        Some(_) => return None,
        None if at_end => bytes.len(),
        None => return None,
    };
    let response = Response {
        status: parsed.code?,
        reason: parsed.reason.unwrap_or_default().to_owned(),
        headers,
        body: bytes[head..end].to_vec(),
    };
    Some((response, end))
}

/// Send `request` on a new connection and read what comes back (a
/// response, or the connection closed). `Err` if the server neither
/// answers nor closes within [`STEP`].
pub fn exchange(port: u16, request: &[u8]) -> Result<Reply, String> {
    let mut conn = Conn::open(port).map_err(|e| format!("connect: {e}"))?;
    // The server may close before reading everything; what it answered is
    // still there to read.
    let _ = conn.send(request);
    conn.read_reply()
}

/// `METHOD path` with `body` on a new connection; panics unless a complete
/// response arrives within [`STEP`].
pub fn request(port: u16, method: &str, path: &str, body: &[u8]) -> Response {
    let mut bytes = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    exchange(port, &bytes)
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
        .expect_response()
}

/// `GET path` on a new connection; panics unless a response arrives.
pub fn get(port: u16, path: &str) -> Response {
    request(port, "GET", path, b"")
}
