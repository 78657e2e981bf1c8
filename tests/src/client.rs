//! A real HTTP client: hyper 1, over tokio, every await bounded by
//! [`STEP`].

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::HOST;
use hyper::{HeaderMap, Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpStream;

use crate::STEP;

/// The request and response body type of the client.
pub type Body = Full<Bytes>;

/// A response read in full.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The header fields.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl Reply {
    /// The value of header `name` as text, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Run `future` to completion on a new current-thread runtime; panics if it
/// takes longer than `limit`.
pub fn block_on<F: Future>(limit: Duration, future: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime
        .block_on(async { tokio::time::timeout(limit, future).await })
        .unwrap_or_else(|_| panic!("the test's client side took longer than {limit:?}"))
}

/// Await `future` for at most [`STEP`]; panics naming `what` otherwise.
pub async fn within<F: Future>(what: &str, future: F) -> F::Output {
    tokio::time::timeout(STEP, future)
        .await
        .unwrap_or_else(|_| panic!("{what}: no result within {STEP:?}"))
}

/// A request for `target` — an absolute URL (for [`legacy`]) or a path (for
/// [`connect`], a `Host` header is added).
pub fn request(method: Method, target: &str, body: impl Into<Bytes>) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(target);
    if target.starts_with('/') {
        builder = builder.header(HOST, "127.0.0.1");
    }
    builder
        .body(Full::new(body.into()))
        .expect("a valid request")
}

/// One HTTP/1.1 connection to `127.0.0.1:port`, driven by a task of the
/// current runtime. Every request sent on it uses this one connection.
pub async fn connect(port: u16) -> SendRequest<Body> {
    let stream = within("connect", TcpStream::connect(("127.0.0.1", port)))
        .await
        .expect("connect");
    let (sender, connection) = within(
        "handshake",
        hyper::client::conn::http1::handshake(TokioIo::new(stream)),
    )
    .await
    .expect("handshake");
    tokio::spawn(async move {
        let _ = connection.await;
    });
    sender
}

/// Send `request` on `sender`'s connection and read the whole response.
pub async fn send(sender: &mut SendRequest<Body>, request: Request<Body>) -> Reply {
    let what = format!("{} {}", request.method(), request.uri());
    within(&what, async {
        sender.ready().await.expect("connection ready");
        let response = sender.send_request(request).await.expect("response");
        collect(response).await
    })
    .await
}

/// hyper-util's pooling client, as an application would use it.
pub fn legacy() -> Client<HttpConnector, Body> {
    Client::builder(TokioExecutor::new()).build_http()
}

/// Send `request` with `client` and read the whole response.
pub async fn fetch(client: &Client<HttpConnector, Body>, request: Request<Body>) -> Reply {
    let what = format!("{} {}", request.method(), request.uri());
    within(&what, async {
        let response = client.request(request).await.expect("response");
        collect(response).await
    })
    .await
}

async fn collect(response: hyper::Response<hyper::body::Incoming>) -> Reply {
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("response body").to_bytes();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}
