//! The baseline: a bare hyper 1 `http1` server that answers every request
//! with `200`, body `hello` (with `Content-Length`), keeping the connection
//! alive. Nothing else happens per request, so this is the limit of the
//! hyper + tokio stack the runner is built on.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// The body every response carries.
pub const BODY: &[u8] = b"hello";

/// The request handler: `200 hello`. hyper adds `Content-Length: 5` (the
/// body's size is exact) and `Date`.
async fn hello(_req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(Response::new(Full::new(Bytes::from_static(BODY))))
}

/// Accepts connections on `listener` forever, serving each on its own task
/// of the current runtime. An accept error (e.g. out of file descriptors)
/// is reported on stderr and the loop goes on after a short pause.
pub async fn serve(listener: TcpListener) -> std::io::Result<()> {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(err) => {
                eprintln!("bare-hyper: accept: {err}");
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        // Ping-pong traffic: never let Nagle hold a response back.
        stream.set_nodelay(true)?;
        tokio::spawn(async move {
            // Client resets and the like end the connection, nothing more.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(hello))
                .await;
        });
    }
}
