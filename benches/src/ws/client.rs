//! One WebSocket client connection of the load generator: connect and
//! handshake (checking the `101` and `Sec-WebSocket-Accept`), echo round
//! trips of one message at a time, and the close handshake.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt, Interest};
use tokio::net::TcpStream;

use super::frame::{self, Frame, OP_BINARY, OP_CLOSE, OP_TEXT};
use crate::stats::Errors;

/// The `Sec-WebSocket-Key` every client sends (RFC 6455's sample nonce).
pub const KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
/// The `Sec-WebSocket-Accept` that [`KEY`] must get (RFC 6455 section 1.3).
pub const ACCEPT: &str = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

/// How many headers a handshake response may carry.
const MAX_HEADERS: usize = 32;

/// What went wrong with a client.
#[derive(Debug)]
pub enum ClientError {
    /// The TCP connect failed.
    Connect(std::io::Error),
    /// A read or a write failed.
    Io(std::io::Error),
    /// The server closed the connection (EOF).
    Closed,
    /// Nothing came within the timeout; names what was waited for.
    Timeout(&'static str),
    /// The handshake was refused, or the server sent a frame this client
    /// does not accept (a close frame in the middle of the load included).
    Bad(String),
}

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Connect(err) => write!(f, "connect: {err}"),
            Self::Io(err) => write!(f, "i/o: {err}"),
            Self::Closed => f.write_str("the server closed the connection"),
            Self::Timeout(what) => write!(f, "{what} timed out"),
            Self::Bad(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for ClientError {}

impl ClientError {
    /// Counts this error in `errors` (keeping the first message).
    pub fn count(&self, errors: &mut Errors) {
        match self {
            Self::Connect(_) => errors.connect += 1,
            Self::Io(_) | Self::Closed => errors.io += 1,
            Self::Timeout(_) => errors.timeout += 1,
            Self::Bad(_) => errors.bad_response += 1,
        }
        errors.note(|| self.to_string());
    }
}

/// The handshake request for 127.0.0.1:`port`.
pub fn handshake_request(port: u16) -> Vec<u8> {
    format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: {KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .into_bytes()
}

/// The length of a complete `101` handshake response at the start of
/// `buf` with the right `Sec-WebSocket-Accept`; `Ok(None)` until the whole
/// head is there.
pub fn parse_handshake(buf: &[u8]) -> Result<Option<usize>, ClientError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let len = match response.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(err) => return Err(ClientError::Bad(format!("handshake response: {err}"))),
    };
    if response.code != Some(101) {
        return Err(ClientError::Bad(format!(
            "handshake answered {:?}, not 101",
            response.code
        )));
    }
    let accept = response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("Sec-WebSocket-Accept"))
        .map(|h| h.value);
    if accept != Some(ACCEPT.as_bytes()) {
        return Err(ClientError::Bad(format!(
            "handshake: Sec-WebSocket-Accept {:?}",
            accept.map(String::from_utf8_lossy)
        )));
    }
    Ok(Some(len))
}

/// A connected client, past its handshake.
#[derive(Debug)]
pub struct Client {
    stream: TcpStream,
    /// Bytes read and not yet consumed.
    buf: Vec<u8>,
}

impl Client {
    /// Connects to `addr` and does the handshake, each within `timeout`.
    pub async fn connect(addr: SocketAddr, timeout: Duration) -> Result<Self, ClientError> {
        let stream = tokio::time::timeout(timeout, TcpStream::connect(addr))
            .await
            .map_err(|_| ClientError::Timeout("connect"))?
            .map_err(ClientError::Connect)?;
        // Ping-pong traffic: never let Nagle hold a message back.
        let _ = stream.set_nodelay(true);
        let mut client = Self {
            stream,
            buf: Vec::with_capacity(4096),
        };
        tokio::time::timeout(timeout, client.handshake(addr.port()))
            .await
            .map_err(|_| ClientError::Timeout("handshake"))??;
        Ok(client)
    }

    async fn handshake(&mut self, port: u16) -> Result<(), ClientError> {
        self.stream
            .write_all(&handshake_request(port))
            .await
            .map_err(ClientError::Io)?;
        loop {
            if let Some(head) = parse_handshake(&self.buf)? {
                self.buf.drain(..head);
                return Ok(());
            }
            self.read_more().await?;
        }
    }

    /// Sends `frame` (one encoded client frame) and reads the next
    /// message: `true` if it is one text or binary frame carrying exactly
    /// `expect`, `false` for another message.
    pub async fn round_trip(&mut self, frame: &[u8], expect: &[u8]) -> Result<bool, ClientError> {
        self.stream
            .write_all(frame)
            .await
            .map_err(ClientError::Io)?;
        let reply = self.next_frame().await?;
        if reply.opcode == OP_CLOSE {
            return Err(ClientError::Bad(format!(
                "the server sent a close frame {:?}",
                String::from_utf8_lossy(&self.buf[reply.payload])
            )));
        }
        let echoed = reply.fin
            && matches!(reply.opcode, OP_TEXT | OP_BINARY)
            && self.buf[reply.payload.clone()] == *expect;
        self.buf.drain(..reply.end());
        if self.buf.is_empty() {
            forget_readable(&self.stream);
        }
        Ok(echoed)
    }

    /// Sends a close frame (1000) and waits up to `timeout` for the
    /// server's close frame; `true` if it came. The connection is dropped
    /// either way.
    pub async fn close(mut self, timeout: Duration) -> bool {
        let mut out = Vec::with_capacity(8);
        frame::encode_masked(OP_CLOSE, &1000u16.to_be_bytes(), [7, 7, 7, 7], &mut out);
        if self.stream.write_all(&out).await.is_err() {
            return false;
        }
        let reply = async {
            loop {
                match self.next_frame().await {
                    Ok(frame) if frame.opcode == OP_CLOSE => return true,
                    Ok(frame) => {
                        self.buf.drain(..frame.end());
                    }
                    Err(_) => return false,
                }
            }
        };
        tokio::time::timeout(timeout, reply).await.unwrap_or(false)
    }

    /// The next whole frame in the buffer, reading as needed.
    async fn next_frame(&mut self) -> Result<Frame, ClientError> {
        loop {
            if let Some(frame) = frame::parse(&self.buf).map_err(|e| ClientError::Bad(e.0))? {
                return Ok(frame);
            }
            self.read_more().await?;
        }
    }

    /// Reads what is there into the buffer; EOF is [`ClientError::Closed`].
    async fn read_more(&mut self) -> Result<(), ClientError> {
        self.buf.reserve(4096);
        match self.stream.read_buf(&mut self.buf).await {
            Ok(0) => Err(ClientError::Closed),
            Ok(_) => Ok(()),
            Err(err) => Err(ClientError::Io(err)),
        }
    }
}

/// Tells tokio the socket has nothing more to read, without a syscall (as
/// `crate::loadgen` does after a whole response): after a whole echo
/// nothing arrives before the next message, and tokio would otherwise try
/// one `read` that fails with `EAGAIN` before waiting. Only the readiness
/// tokio saw is cleared; bytes arriving later raise a new event.
fn forget_readable(stream: &TcpStream) {
    let _ = stream.try_io(Interest::READABLE, || {
        Err::<(), _>(std::io::ErrorKind::WouldBlock.into())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handshake_responses() {
        let mut ok = format!(
            "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\
             sec-websocket-accept: {ACCEPT}\r\n\r\n"
        )
        .into_bytes();
        let head = ok.len();
        ok.extend_from_slice(b"\x81\x00");
        assert_eq!(parse_handshake(&ok).unwrap(), Some(head));
        assert_eq!(parse_handshake(&ok[..20]).unwrap(), None);
        assert!(parse_handshake(b"HTTP/1.1 426 Upgrade Required\r\n\r\n").is_err());
        let wrong = b"HTTP/1.1 101 OK\r\nSec-WebSocket-Accept: x\r\n\r\n";
        assert!(parse_handshake(wrong).is_err());
    }

    #[test]
    fn request_names_the_port() {
        let text = String::from_utf8(handshake_request(8080)).unwrap();
        assert!(text.contains("Host: 127.0.0.1:8080\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n"));
    }
}
