//! The baseline of `cargo xtask bench ws`: a bare WebSocket echo server on
//! the stack the runner is built on (hyper 1 `http1` with upgrades,
//! fastwebsockets). Every text or binary message comes back as it came,
//! reassembled by a `FragmentCollector`; pings are answered and close
//! frames replied to by fastwebsockets. Nothing else happens per message,
//! so this is the limit of the stack.

use std::convert::Infallible;

use bytes::Bytes;
use fastwebsockets::upgrade::{UpgradeFut, upgrade};
use fastwebsockets::{FragmentCollector, OpCode, WebSocketError};
use http_body_util::Empty;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// The largest message, as the runner's default `--ws-max-message`.
pub const MAX_MESSAGE: usize = 131_072;

/// Accepts connections on `listener` forever, serving each on its own task
/// of the current runtime. An accept error (e.g. out of file descriptors)
/// is reported on stderr and the loop goes on after a short pause.
pub async fn serve(listener: TcpListener) -> std::io::Result<()> {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(err) => {
                eprintln!("bare-ws-echo: accept: {err}");
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        // Ping-pong traffic: never let Nagle hold a reply back.
        stream.set_nodelay(true)?;
        tokio::spawn(async move {
            // Client resets and the like end the connection, nothing more.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(handshake))
                .with_upgrades()
                .await;
        });
    }
}

/// Answers an upgrade request with `101` and starts the echo on the
/// upgraded connection; anything else gets `426 Upgrade Required`.
async fn handshake(mut req: Request<Incoming>) -> Result<Response<Empty<Bytes>>, Infallible> {
    match upgrade(&mut req) {
        Ok((response, upgraded)) => {
            tokio::spawn(async move {
                // A peer that goes away ends its echo, nothing more.
                let _ = echo(upgraded).await;
            });
            Ok(response)
        }
        Err(_) => {
            let mut response = Response::new(Empty::new());
            *response.status_mut() = StatusCode::UPGRADE_REQUIRED;
            Ok(response)
        }
    }
}

/// Sends every message back until the peer closes.
async fn echo(upgraded: UpgradeFut) -> Result<(), WebSocketError> {
    let mut ws = upgraded.await?;
    ws.set_max_message_size(MAX_MESSAGE);
    let mut ws = FragmentCollector::new(ws);
    loop {
        let frame = ws.read_frame().await?;
        match frame.opcode {
            OpCode::Close => return Ok(()),
            OpCode::Text | OpCode::Binary => ws.write_frame(frame).await?,
            _ => {}
        }
    }
}
