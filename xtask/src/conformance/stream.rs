//! The byte stream of a case's connection: TCP to 127.0.0.1, or, for a
//! port registered with the memory gateway (`--transport memory`), an
//! in-process pipe to the gateway.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, DuplexStream, ReadBuf};
use tokio::net::TcpStream;

use super::memory;

/// A connection to the runner under test.
#[derive(Debug)]
pub(crate) enum Stream {
    /// A TCP connection to 127.0.0.1.
    Tcp(TcpStream),
    /// A pipe to the memory gateway.
    Memory(DuplexStream),
}

/// Connect to `port` the way the case's transport says.
pub(crate) async fn connect(port: u16) -> io::Result<Stream> {
    match memory::route(port) {
        Some(path) => memory::connect(&path, port).await.map(Stream::Memory),
        None => {
            let tcp = TcpStream::connect(("127.0.0.1", port)).await?;
            let _ = tcp.set_nodelay(true);
            Ok(Stream::Tcp(tcp))
        }
    }
}

/// Whether something serves `port` (a probe, not a connection to keep).
pub(crate) async fn is_listening(port: u16) -> bool {
    match memory::route(port) {
        Some(path) => memory::probe(&path, port).await.unwrap_or(false),
        None => TcpStream::connect(("127.0.0.1", port)).await.is_ok(),
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Memory(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Memory(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_flush(cx),
            Stream::Memory(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Memory(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}
