//! One listener: the accept loop and the connections it serves.

use std::sync::Arc;
use std::time::Duration;

use craftos_http_core::{Computer, Limits};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::clock::HEAD_TIMEOUT;
use crate::inflight::{ConnectionSlot, Connections, InFlight};
use crate::port::PortState;
use crate::service::handle;
use crate::target::Sniff;

/// What every connection of a listener needs to know.
pub(crate) struct Listener {
    /// The port the script asked for (the event's `port`).
    pub(crate) port: u16,
    /// The computer owning the listener.
    pub(crate) computer: Computer,
    /// Its limits (the computer's).
    pub(crate) limits: Arc<Limits>,
    /// What the port serves (HTTP, websocket, or both).
    pub(crate) services: Arc<PortState>,
    /// Origins websocket handshakes are accepted from; `None`: any.
    pub(crate) origins: Option<Arc<[String]>>,
    /// The computer's unanswered requests and websocket clients.
    pub(crate) inflight: Arc<InFlight>,
    /// The transport's live connections.
    pub(crate) connections: Arc<Connections>,
}

/// Accept connections until the listener is removed (the `Stop` sender is
/// dropped), serving each on its own task.
pub(crate) async fn accept_loop(
    tcp: TcpListener,
    listener: Arc<Listener>,
    mut stopped: watch::Receiver<()>,
) {
    loop {
        tokio::select! {
            biased;
            _ = stopped.changed() => break,
            accepted = tcp.accept() => match accepted {
                Ok((stream, peer)) => {
                    tracing::trace!(%peer, port = listener.port, "accepted");
                    match listener.inflight.connect(listener.limits.max_connections) {
                        Some(slot) => {
                            tokio::spawn(serve(stream, peer, listener.clone(), stopped.clone(), slot));
                        }
                        None => {
                            tracing::warn!(port = listener.port, "too many connections: answered 503");
                            tokio::spawn(refuse(stream));
                        }
                    }
                }
                Err(err) => {
                    // Out of file descriptors and the like: back off briefly
                    // rather than spinning, then keep serving.
                    tracing::warn!(port = listener.port, %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }
    tracing::debug!(port = listener.port, "accept loop stopped");
}

/// Serve one connection until the client closes it or the listener stops;
/// on stop, requests in flight are answered and idle keep-alive ends (L5).
async fn serve(
    stream: TcpStream,
    peer: std::net::SocketAddr,
    listener: Arc<Listener>,
    mut stopped: watch::Receiver<()>,
    slot: ConnectionSlot,
) {
    let _live = listener.connections.enter();
    let _ = stream.set_nodelay(true);
    // An upgraded connection keeps the computer's slot while it lives.
    let slot = Arc::new(slot);
    let sniffed = slot.clone();
    let clock = slot.clone();
    let service = service_fn(move |req| handle(req, listener.clone(), slot.clone(), peer));
    let conn = http1::Builder::new()
        .title_case_headers(true)
        // A client that sends its request and closes still gets its
        // request delivered (R2: nothing is lost); the answer goes nowhere.
        .half_close(true)
        // No hyper timer: its header-read timeout arms one per request.
        // The connection's clock keeps the same limit (`HEAD_TIMEOUT`).
        .serve_connection(TokioIo::new(Sniff::new(stream, sniffed)), service)
        .with_upgrades();
    tokio::pin!(conn);
    let idle = tokio::time::sleep(HEAD_TIMEOUT);
    tokio::pin!(idle);
    let result = loop {
        tokio::select! {
            r = conn.as_mut() => break r,
            _ = stopped.changed() => {
                conn.as_mut().graceful_shutdown();
                break conn.await;
            }
            _ = idle.as_mut() => match clock.clock.idle_deadline(tokio::time::Instant::now()) {
                Some(at) => idle.as_mut().reset(at),
                None => {
                    tracing::debug!(%peer, "no request head within {HEAD_TIMEOUT:?}: closed");
                    return;
                }
            },
        }
    };
    if let Err(err) = result {
        tracing::debug!(%err, "connection ended with an error");
    }
}

/// The answer on a connection over the computer's limit: `503` before
/// reading anything, then close.
async fn refuse(mut stream: TcpStream) {
    use tokio::io::AsyncWriteExt;
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\
Content-Length: 0\r\nConnection: close\r\n\r\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(BUSY).await;
        let _ = stream.shutdown().await;
    })
    .await;
}
