//! A raw HTTP/1.1 client: sends exact bytes over a connection and reads one
//! response at a time (head parsed with `httparse`, body framed by
//! Content-Length, chunked transfer-coding, or EOF).

use std::io;
use std::time::Duration;

use super::stream::Stream;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::escape::show;

/// Largest response head accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Largest response body accepted.
const MAX_BODY: usize = 64 * 1024 * 1024;
/// How long [`Connection::read_close`] keeps reading after unexpected bytes.
const GRACE: Duration = Duration::from_millis(200);
/// Header slots offered to `httparse`.
const MAX_HEADERS: usize = 256;

/// One parsed response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    /// Minor HTTP version (`1` for HTTP/1.1).
    pub(crate) version: u8,
    /// Status code.
    pub(crate) status: u16,
    /// Reason phrase.
    pub(crate) reason: String,
    /// Headers in order, names as received.
    pub(crate) headers: Vec<(String, Vec<u8>)>,
    /// Body, de-chunked.
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// All values of header `name` (any case) joined with `, `, or `None`
    /// when it is absent.
    pub(crate) fn header(&self, name: &str) -> Option<Vec<u8>> {
        let mut values = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice());
        let first = values.next()?;
        Some(values.fold(first.to_vec(), |mut joined, value| {
            joined.extend_from_slice(b", ");
            joined.extend_from_slice(value);
            joined
        }))
    }
}

/// How the body of a response is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// No body (HEAD, 1xx, 204, 304).
    Empty,
    /// Exactly this many bytes.
    Length(usize),
    /// Chunked transfer-coding.
    Chunked,
    /// Until the server closes the connection.
    Eof,
}

/// A connection to the server: the stream plus bytes read but not yet used.
#[derive(Debug)]
pub(crate) struct Connection<S = Stream> {
    /// The transport.
    stream: S,
    /// Received bytes not consumed by a previous response.
    buf: Vec<u8>,
}

impl Connection<Stream> {
    /// Connects to `127.0.0.1:port` (or through the memory gateway).
    pub(crate) async fn open(port: u16) -> anyhow::Result<Self> {
        let stream = super::stream::connect(port).await.map_err(|err| {
            anyhow::Error::new(err).context(format!("connect to 127.0.0.1:{port}"))
        })?;
        Ok(Self::new(stream))
    }
}

impl<S> Connection<S> {
    /// Wraps a transport.
    pub(crate) fn new(stream: S) -> Self {
        Self {
            stream,
            buf: Vec::new(),
        }
    }
}

impl<S> Connection<S> {
    /// The transport and the bytes received but not consumed (after a
    /// `101` handshake response: the first WebSocket frames, if any).
    pub(crate) fn into_parts(self) -> (S, Vec<u8>) {
        (self.stream, self.buf)
    }
}

impl<S: AsyncWrite + Unpin> Connection<S> {
    /// Sends exactly `bytes`.
    pub(crate) async fn send(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.stream
            .write_all(bytes)
            .await
            .map_err(|err| anyhow::anyhow!("send: {err}"))?;
        self.stream
            .flush()
            .await
            .map_err(|err| anyhow::anyhow!("send: {err}"))
    }
}

impl<S: AsyncRead + Unpin> Connection<S> {
    /// Reads more bytes into the buffer; returns how many (0 at EOF).
    async fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0; 16 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// Reads until the server closes the connection and returns everything
    /// received (including bytes left over from earlier responses). A reset
    /// counts as a close.
    pub(crate) async fn read_to_eof(&mut self) -> anyhow::Result<Vec<u8>> {
        loop {
            match self.fill().await {
                Ok(0) => break,
                Ok(_) if self.buf.len() > MAX_BODY => {
                    anyhow::bail!("more than {MAX_BODY} bytes without EOF")
                }
                Ok(_) => {}
                Err(err) if is_reset(&err) => break,
                Err(err) => anyhow::bail!("read: {err}"),
            }
        }
        Ok(std::mem::take(&mut self.buf))
    }

    /// Waits for the server to close the connection without sending
    /// anything. Returns the bytes received instead, if any: once the first
    /// byte arrives it only waits [`GRACE`] more (or until EOF) to collect
    /// the rest for the message, since a kept-alive connection may never end.
    pub(crate) async fn read_close(&mut self) -> anyhow::Result<Vec<u8>> {
        if self.buf.is_empty() {
            match self.fill().await {
                Ok(_) => {}
                Err(err) if is_reset(&err) => {}
                Err(err) => anyhow::bail!("read: {err}"),
            }
        }
        if !self.buf.is_empty() {
            let _ = tokio::time::timeout(GRACE, self.read_to_eof()).await;
        }
        Ok(std::mem::take(&mut self.buf))
    }

    /// Reads one final response, skipping interim 1xx responses (such as
    /// `100 Continue`) as HTTP clients do. `head_request` says the request
    /// was a HEAD, so the response has no body whatever its headers say.
    pub(crate) async fn read_response(&mut self, head_request: bool) -> anyhow::Result<Response> {
        loop {
            let response = self.read_one_response(head_request).await?;
            if !(100..200).contains(&response.status) || response.status == 101 {
                return Ok(response);
            }
        }
    }

    /// Reads one response, interim or final.
    async fn read_one_response(&mut self, head_request: bool) -> anyhow::Result<Response> {
        let (mut response, head_len) = self.read_head().await?;
        self.buf.drain(..head_len);
        response.body = match framing(&response, head_request)? {
            Framing::Empty => Vec::new(),
            Framing::Length(len) => self.read_exact_body(len).await?,
            Framing::Chunked => self.read_chunked().await?,
            Framing::Eof => self
                .read_to_eof()
                .await
                .map_err(|err| anyhow::anyhow!("body (read until EOF): {err}"))?,
        };
        Ok(response)
    }

    /// Reads and parses the status line and headers; returns the response
    /// (without body) and the length of the head in the buffer.
    async fn read_head(&mut self) -> anyhow::Result<(Response, usize)> {
        loop {
            if let Some(parsed) = parse_head(&self.buf)? {
                return Ok(parsed);
            }
            if self.buf.len() > MAX_HEAD {
                anyhow::bail!("response head longer than {MAX_HEAD} bytes");
            }
            let n = self
                .fill()
                .await
                .map_err(|err| anyhow::anyhow!("reading the response head: {err}"))?;
            if n == 0 {
                if self.buf.is_empty() {
                    anyhow::bail!("connection closed without a response");
                }
                anyhow::bail!(
                    "connection closed after an incomplete response head: {}",
                    show(&self.buf)
                );
            }
        }
    }

    /// Reads a body of exactly `len` bytes.
    async fn read_exact_body(&mut self, len: usize) -> anyhow::Result<Vec<u8>> {
        while self.buf.len() < len {
            let n = self.fill().await.map_err(|err| {
                anyhow::anyhow!(
                    "reading the body ({} of {len} bytes): {err}",
                    self.buf.len()
                )
            })?;
            if n == 0 {
                anyhow::bail!(
                    "connection closed after {} of {len} body bytes (Content-Length): {}",
                    self.buf.len(),
                    show(&self.buf)
                );
            }
        }
        Ok(self.buf.drain(..len).collect())
    }

    /// Ensures the buffer holds a CRLF-terminated line; returns its length
    /// including the CRLF.
    async fn line(&mut self, what: &str) -> anyhow::Result<usize> {
        loop {
            if let Some(at) = self.buf.windows(2).position(|w| w == b"\r\n") {
                return Ok(at + 2);
            }
            if self.buf.len() > MAX_HEAD {
                anyhow::bail!("{what} longer than {MAX_HEAD} bytes");
            }
            let n = self
                .fill()
                .await
                .map_err(|err| anyhow::anyhow!("reading {what}: {err}"))?;
            if n == 0 {
                anyhow::bail!("connection closed in {what}: {}", show(&self.buf));
            }
        }
    }

    /// Reads and decodes a chunked body, trailers included (and discarded).
    async fn read_chunked(&mut self) -> anyhow::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let line_len = self.line("a chunk size line").await?;
            let size = match httparse::parse_chunk_size(&self.buf[..line_len]) {
                Ok(httparse::Status::Complete((_, size))) => size,
                _ => anyhow::bail!(
                    "invalid chunk size line {} (body so far: {})",
                    show(&self.buf[..line_len]),
                    show(&body)
                ),
            };
            self.buf.drain(..line_len);
            if size == 0 {
                break;
            }
            let size = usize::try_from(size)
                .ok()
                .filter(|&size| body.len().saturating_add(size) <= MAX_BODY)
                .ok_or_else(|| anyhow::anyhow!("chunked body larger than {MAX_BODY} bytes"))?;
            let data = self
                .read_exact_body(size + 2)
                .await
                .map_err(|err| anyhow::anyhow!("in a chunk of {size} bytes: {err}"))?;
            if !data.ends_with(b"\r\n") {
                anyhow::bail!(
                    "chunk of {size} bytes not followed by CRLF: {}",
                    show(&data)
                );
            }
            body.extend_from_slice(&data[..size]);
        }
        loop {
            let line_len = self.line("the chunked trailer").await?;
            let line: Vec<u8> = self.buf.drain(..line_len).collect();
            if line == b"\r\n" {
                return Ok(body);
            }
        }
    }
}

/// Parses a response head from the start of `buf`: `None` if more bytes
/// are needed, else the response (empty body) and the head's length.
pub(crate) fn parse_head(buf: &[u8]) -> anyhow::Result<Option<(Response, usize)>> {
    let mut headers = vec![httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Response::new(&mut headers);
    let len = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(err) => anyhow::bail!("malformed response head ({err}): {}", show(buf)),
    };
    let response = Response {
        version: parsed.version.unwrap_or(1),
        status: parsed.code.unwrap_or(0),
        reason: parsed.reason.unwrap_or("").to_owned(),
        headers: parsed
            .headers
            .iter()
            .map(|h| (h.name.to_owned(), h.value.to_vec()))
            .collect(),
        body: Vec::new(),
    };
    Ok(Some((response, len)))
}

/// How the body of `response` is delimited (RFC 9112 section 6.3).
fn framing(response: &Response, head_request: bool) -> anyhow::Result<Framing> {
    if head_request || matches!(response.status, 100..=199 | 204 | 304) {
        return Ok(Framing::Empty);
    }
    if let Some(codings) = response.header("transfer-encoding") {
        let last = codings.rsplit(|&b| b == b',').next().unwrap_or_default();
        return Ok(if last.trim_ascii().eq_ignore_ascii_case(b"chunked") {
            Framing::Chunked
        } else {
            Framing::Eof
        });
    }
    if let Some(lengths) = response.header("content-length") {
        let mut values = lengths.split(|&b| b == b',').map(<[u8]>::trim_ascii);
        let first = values.next().unwrap_or_default();
        if values.any(|v| v != first) {
            anyhow::bail!("conflicting Content-Length values {}", show(&lengths));
        }
        let len = std::str::from_utf8(first)
            .ok()
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|&len| len <= MAX_BODY)
            .ok_or_else(|| anyhow::anyhow!("invalid Content-Length {}", show(&lengths)))?;
        return Ok(Framing::Length(len));
    }
    Ok(Framing::Eof)
}

/// Whether a read error means the peer reset the connection.
fn is_reset(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted
    )
}

#[cfg(test)]
mod tests {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use tokio::io::ReadBuf;

    use super::*;

    /// A reader that hands out its bytes a few at a time, so every parser
    /// path sees split input.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        step: usize,
    }

    impl AsyncRead for Trickle {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            let end = (self.at.saturating_add(self.step))
                .min(self.data.len())
                .min(self.at + buf.remaining());
            let at = self.at;
            buf.put_slice(&self.data[at..end]);
            self.at = end;
            Poll::Ready(Ok(()))
        }
    }

    /// Reads one response from `wire`, delivered `step` bytes at a time.
    async fn read(wire: &[u8], step: usize, head: bool) -> anyhow::Result<Response> {
        let mut conn = Connection::new(Trickle {
            data: wire.to_vec(),
            at: 0,
            step,
        });
        conn.read_response(head).await
    }

    /// Reads `wire` in every chunking and checks all give the same result.
    async fn read_all_ways(wire: &[u8], head: bool) -> anyhow::Result<Response> {
        let whole = read(wire, usize::MAX, head).await;
        for step in [1, 2, 3, 7] {
            let split = read(wire, step, head).await;
            assert_eq!(
                format!("{split:?}"),
                format!("{whole:?}"),
                "step {step} differs"
            );
        }
        whole
    }

    #[tokio::test]
    async fn content_length_body() {
        let r = read_all_ways(
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhello",
            false,
        )
        .await
        .unwrap();
        assert_eq!((r.version, r.status, r.reason.as_str()), (1, 200, "OK"));
        assert_eq!(r.body, b"hello");
        assert_eq!(r.header("X-A").unwrap(), b"1, 2");
        assert_eq!(r.header("content-LENGTH").unwrap(), b"5");
        assert_eq!(r.header("missing"), None);
    }

    #[tokio::test]
    async fn chunked_body_is_decoded() {
        let wire = b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n\
                     5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld\0\r\n0\r\nX-T: 1\r\n\r\n";
        let r = read_all_ways(wire, false).await.unwrap();
        assert_eq!(r.status, 201);
        assert_eq!(r.body, b"hello world\0");
    }

    #[tokio::test]
    async fn bad_chunks_are_errors() {
        let err = read(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            100,
            false,
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("invalid chunk size"), "{err}");
        let err = read(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
            100,
            false,
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("not followed by CRLF"), "{err}");
    }

    #[tokio::test]
    async fn body_until_eof_without_framing() {
        let r = read_all_ways(b"HTTP/1.0 200 OK\r\n\r\nuntil the end", false)
            .await
            .unwrap();
        assert_eq!(r.version, 0);
        assert_eq!(r.body, b"until the end");
    }

    #[tokio::test]
    async fn no_body_for_head_204_304_1xx() {
        let r = read_all_ways(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", true)
            .await
            .unwrap();
        assert!(r.body.is_empty());
        for status in [
            "204 No Content",
            "304 Not Modified",
            "101 Switching Protocols",
        ] {
            let wire = format!("HTTP/1.1 {status}\r\nContent-Length: 5\r\n\r\n");
            let r = read_all_ways(wire.as_bytes(), false).await.unwrap();
            assert!(r.body.is_empty(), "{status}");
        }
    }

    #[tokio::test]
    async fn keeps_leftover_bytes_for_the_next_response() {
        let wire =
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA";
        let mut conn = Connection::new(Trickle {
            data: wire.to_vec(),
            at: 0,
            step: 5,
        });
        // The interim 100 is skipped; the final response comes back.
        let second = conn.read_response(false).await.unwrap();
        assert_eq!((second.status, second.body.as_slice()), (200, &b"ok"[..]));
        assert_eq!(conn.read_to_eof().await.unwrap(), b"EXTRA");
    }

    #[tokio::test]
    async fn truncated_and_malformed_responses_are_errors() {
        let cases: [(&[u8], &str); 6] = [
            (b"", "without a response"),
            (b"HTTP/1.1 200 OK\r\nContent-Le", "incomplete response head"),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
                "3 of 10 body bytes",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
                "invalid Content-Length",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nab",
                "conflicting",
            ),
            (b"HTTP/1.1 2x0 OK\r\n\r\n", "malformed response head"),
        ];
        for (wire, needle) in cases {
            let err = read(wire, usize::MAX, false).await.unwrap_err();
            assert!(err.to_string().contains(needle), "{wire:?}: {err}");
        }
    }

    #[tokio::test]
    async fn read_close_sees_eof_or_returns_bytes() {
        let mut conn = Connection::new(Trickle {
            data: Vec::new(),
            at: 0,
            step: 1,
        });
        assert_eq!(conn.read_close().await.unwrap(), b"");
        let (client, mut server) = tokio::io::duplex(64);
        let mut conn = Connection::new(client);
        server.write_all(b"HTTP/1.1 200 OK\r\n").await.unwrap();
        // The server keeps the connection open: the bytes still come back.
        let got = tokio::time::timeout(Duration::from_secs(5), conn.read_close())
            .await
            .expect("read_close must not wait for EOF once bytes arrived")
            .unwrap();
        assert_eq!(got, b"HTTP/1.1 200 OK\r\n");
        drop(server);
    }

    #[test]
    fn parse_head_needs_the_blank_line() {
        assert!(
            parse_head(b"HTTP/1.1 200 OK\r\nA: b\r\n")
                .unwrap()
                .is_none()
        );
        let (r, len) = parse_head(b"HTTP/1.1 404 Not Found\r\nA: b\r\n\r\nrest")
            .unwrap()
            .unwrap();
        assert_eq!((r.status, r.reason.as_str(), len), (404, "Not Found", 32));
    }
}
