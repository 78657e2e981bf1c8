//! One request: read the body, queue the event, wait for the response.

use std::convert::Infallible;
use std::future::poll_fn;
use std::sync::Arc;

use craftos_http_core::{Event, Exchange, Request, SendError};
use hyper::body::Incoming;
use hyper::header::{CONNECTION, HeaderValue};
use hyper::{Method, StatusCode};
use tokio::time::{Instant, sleep_until};

use crate::accept::Listener;
use crate::body::{self, BodyError, BodyLimits};
use crate::convert::{self, Body};
use crate::inflight::ConnectionSlot;
use crate::websocket;

/// Serve one request of `listener`'s computer: a websocket handshake goes to
/// the port's websocket server, anything else to its HTTP listener (L7).
pub(crate) async fn handle(
    req: hyper::Request<Incoming>,
    listener: Arc<Listener>,
    slot: Arc<ConnectionSlot>,
) -> Result<hyper::Response<Body>, Infallible> {
    if fastwebsockets::upgrade::is_upgrade_request(&req)
        && let Some(server) = listener.services.ws()
    {
        return Ok(websocket::accept(req, &listener, &server, slot));
    }
    if !listener.services.http() {
        return Ok(upgrade_required());
    }
    let (parts, body) = req.into_parts();
    let limits = &listener.limits;
    let declared = convert::content_length(&parts.headers);
    if declared.is_some_and(|len| len > limits.max_body as u64) {
        return Ok(too_large());
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
            Err(BodyError::TooLarge) => return Ok(too_large()),
            Err(BodyError::Busy) => {
                tracing::warn!(
                    port = listener.port,
                    "request bodies over the computer's bound: answered 503"
                );
                return Ok(closing(convert::busy()));
            }
            Err(BodyError::Stalled) => {
                tracing::debug!(port = listener.port, "request body stalled: answered 408");
                return Ok(closing(convert::plain(StatusCode::REQUEST_TIMEOUT)));
            }
            Err(BodyError::Failed(err)) => {
                tracing::debug!(%err, "request body not received");
                return Ok(convert::plain(StatusCode::BAD_REQUEST));
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
            Err(SendError::Closed(_)) => return Ok(convert::busy()),
            Err(SendError::Full(back)) => {
                event = back;
                let sink = &listener.computer.sink;
                tokio::select! {
                    ready = poll_fn(|cx| sink.poll_ready(cx)) => {
                        if ready.is_err() {
                            return Ok(convert::busy());
                        }
                    }
                    _ = sleep_until(queued_by) => {
                        tracing::warn!(port = listener.port, "computer busy: answered 503");
                        return Ok(convert::busy());
                    }
                }
            }
        }
    }

    // Wait for `response.close()`, or send what was written at the deadline (S8).
    let deadline = body::deadline(Instant::now(), timeout);
    let response = tokio::select! {
        r = poll_fn(|cx| exchange.poll_response(cx)) => r,
        _ = sleep_until(deadline) => match exchange.expire() {
            Some(r) => {
                tracing::warn!(port = listener.port, "response not closed in {timeout:?}: sent by the deadline");
                r
            }
            None => return Ok(convert::plain(StatusCode::INTERNAL_SERVER_ERROR)),
        },
    };
    Ok(convert::response(response, head))
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

fn too_large() -> hyper::Response<Body> {
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
