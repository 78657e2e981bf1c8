//! One request: read the body, queue the event, wait for the response.

use std::convert::Infallible;
use std::future::poll_fn;
use std::net::SocketAddr;
use std::sync::Arc;
use std::task::Poll;

use craftos_http_core::{Event, Exchange, Request, SendError};
use hyper::body::{Body as _, Incoming};
use hyper::header::{CONNECTION, HeaderValue};
use hyper::{Method, StatusCode};
use tokio::time::{Instant, sleep_until};

use crate::accept::Listener;
use crate::body::{self, BodyError, BodyLimits};
use crate::convert::{self, Body};
use crate::inflight::ConnectionSlot;
use crate::websocket;

/// The target of the access log: one info line per request.
const ACCESS: &str = "craftos_http_hyper::access";

/// What the access log keeps of a request until its response is ready.
/// Made only when the log is on; off, a request costs one cached interest
/// check and an empty `Option` in its future: no clock, no copy, no
/// allocation.
struct AccessLog {
    started: std::time::Instant,
    method: Method,
    target: hyper::Uri,
}

impl AccessLog {
    fn start(req: &hyper::Request<Incoming>) -> Option<Box<AccessLog>> {
        if !tracing::enabled!(target: ACCESS, tracing::Level::INFO) {
            return None;
        }
        Some(Box::new(AccessLog {
            started: std::time::Instant::now(),
            method: req.method().clone(),
            target: req.uri().clone(),
        }))
    }

    /// `PEER "METHOD TARGET" STATUS BYTES MSms port=PORT`, BYTES the body
    /// sent.
    fn finish(&self, peer: SocketAddr, port: u16, response: &hyper::Response<Body>) {
        let AccessLog {
            started,
            method,
            target,
        } = self;
        let bytes = match *method {
            Method::HEAD => 0,
            _ => response.body().size_hint().exact().unwrap_or(0),
        };
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(
            target: ACCESS,
            port,
            "{peer} \"{method} {target}\" {} {bytes} {ms:.1}ms",
            response.status().as_u16(),
        );
    }
}

/// Serve one request of `listener`'s computer from `peer`: a websocket
/// handshake goes to the port's websocket server, anything else to its
/// HTTP listener (L7). The access log (the runner's `-v`) gets a line once
/// the response is ready.
pub(crate) async fn handle(
    req: hyper::Request<Incoming>,
    listener: Arc<Listener>,
    slot: Arc<ConnectionSlot>,
    peer: SocketAddr,
) -> Result<hyper::Response<Body>, Infallible> {
    let log = AccessLog::start(&req);
    // One future for the whole request (no inner one to move into place).
    let response = 'answer: {
        if fastwebsockets::upgrade::is_upgrade_request(&req)
            && let Some(server) = listener.services.ws()
        {
            break 'answer websocket::accept(req, &listener, &server, slot);
        }
        // Not idle while the request is read and answered.
        let _serving = slot.clock.serving();
        if !listener.services.http() {
            break 'answer upgrade_required();
        }
        let (parts, body) = req.into_parts();
        let limits = &listener.limits;
        let declared = convert::content_length(&parts.headers);
        if declared.is_some_and(|len| len > limits.max_body as u64) {
            break 'answer too_large(listener.port, limits.max_body);
        }
        let body_limits = BodyLimits {
            max_body: limits.max_body,
            max_buffered: limits.max_buffered,
            idle: limits.body_read_timeout,
        };
        // `_held` keeps the body counted for the computer until the response
        // is done.
        let (body, _held) =
            match body::read(body, declared, &body_limits, &listener.inflight.buffered).await {
                Ok(read) => read,
                Err(BodyError::TooLarge) => {
                    break 'answer too_large(listener.port, limits.max_body);
                }
                Err(BodyError::Busy) => {
                    tracing::warn!(
                        port = listener.port,
                        "request bodies over the computer's bound: answered 503"
                    );
                    break 'answer closing(convert::busy());
                }
                Err(BodyError::Stalled) => {
                    tracing::debug!(port = listener.port, "request body stalled: answered 408");
                    break 'answer closing(convert::plain(StatusCode::REQUEST_TIMEOUT));
                }
                Err(BodyError::Failed(err)) => {
                    tracing::debug!(%err, "request body not received");
                    break 'answer convert::plain(StatusCode::BAD_REQUEST);
                }
            };
        let head = parts.method == Method::HEAD;
        // Absolute-form: the target as sent, when the connection kept it (R3).
        let target = match parts.uri.scheme() {
            None => convert::target(&parts),
            Some(_) => {
                slot.targets.activate();
                slot.targets
                    .take(parts.method.as_str(), &parts.uri)
                    .unwrap_or_else(|| convert::target(&parts))
            }
        };
        let request = Request::new(
            parts.method.as_str(),
            target,
            convert::headers(&parts.headers),
            body,
        );
        let exchange = Arc::new(Exchange::new(request));
        let _tracked = listener.inflight.track(exchange.clone());

        // Queue the event, waiting for room up to the deadline (E2).
        let timeout = listener.limits.response_timeout;
        let mut event = Event::http_request(listener.port, exchange.clone());
        let queued_by = body::deadline(Instant::now(), timeout);
        loop {
            match listener.computer.sink.try_send(event) {
                Ok(()) => break,
                Err(SendError::Closed(_)) => break 'answer convert::busy(),
                Err(SendError::Full(back)) => {
                    event = back;
                    let sink = &listener.computer.sink;
                    tokio::select! {
                        ready = poll_fn(|cx| sink.poll_ready(cx)) => {
                            if ready.is_err() {
                                break 'answer convert::busy();
                            }
                        }
                        _ = sleep_until(queued_by) => {
                            tracing::warn!(port = listener.port, "computer busy: answered 503");
                            break 'answer convert::busy();
                        }
                    }
                }
            }
        }

        // Wait for `response.close()`, or send what was written at the deadline (S8).
        let deadline = body::deadline(Instant::now(), timeout);
        let clock = &slot.clock;
        let answered = poll_fn(|cx| match exchange.poll_response(cx) {
            Poll::Ready(r) => Poll::Ready(Some(r)),
            Poll::Pending => clock.poll_deadline(cx, deadline).map(|()| None),
        })
        .await;
        let response = match answered {
            Some(r) => r,
            None => match exchange.expire() {
                Some(r) => {
                    let request = exchange.request();
                    tracing::warn!(
                        port = listener.port,
                        "response to {} {} not closed within {timeout:?}: sent as it stands \
                         (status {}, {} bytes written; an empty 200 if nothing was set): \
                         close every response the script takes",
                        request.method(),
                        String::from_utf8_lossy(request.target()),
                        r.status,
                        r.body.len(),
                    );
                    r
                }
                None => break 'answer convert::plain(StatusCode::INTERNAL_SERVER_ERROR),
            },
        };
        convert::response(response, head)
    };
    if let Some(log) = log {
        log.finish(peer, listener.port, &response);
    }
    Ok(response)
}

/// A plain request on a websocket-only port (L7).
fn upgrade_required() -> hyper::Response<Body> {
    let mut r = convert::plain(StatusCode::UPGRADE_REQUIRED);
    let h = r.headers_mut();
    h.insert(
        hyper::header::UPGRADE,
        HeaderValue::from_static("websocket"),
    );
    h.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
    r
}

/// `413` for a body over `max_body`, with a warning (R2: no event).
fn too_large(port: u16, max_body: usize) -> hyper::Response<Body> {
    tracing::warn!(
        port,
        "request body larger than the limit ({max_body} bytes): answered 413"
    );
    let mut r = convert::plain(StatusCode::PAYLOAD_TOO_LARGE);
    r.extensions_mut()
        .insert(hyper::ext::ReasonPhrase::from_static(b"Content Too Large"));
    closing(r)
}

/// `r` with `Connection: close`: the rest of the body is not read.
fn closing(mut r: hyper::Response<Body>) -> hyper::Response<Body> {
    r.headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    r
}
