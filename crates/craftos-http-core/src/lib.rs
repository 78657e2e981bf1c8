//! The transport-agnostic core of craftos-http.
//!
//! This crate holds what CraftOS-PC's HTTP server API *is*, independent of
//! any socket library or Lua binding:
//!
//! - [`Computer`]: a computer's identity and the [`EventSink`] through which
//!   a transport queues [`Event`]s to it ([`EventQueue`] is the bounded,
//!   back-pressured queue most hosts use).
//! - [`Listeners`]: the registry trait a transport implements
//!   (`http.addListener` / `http.removeListener`, release on shutdown), with
//!   [`PortBook`] keeping the per-computer ownership rules (L2, L3) in one
//!   place for every transport.
//! - [`Exchange`]: the state of one HTTP request/response pair, shared by the
//!   transport (which waits for the response) and the computer (whose
//!   request handle reads the body and whose response handle buffers the
//!   answer).
//! - [`WebSocketClient`]: a websocket server's client, shared the same way
//!   (the transport writes what the script sends, the script sees what the
//!   transport reads as events).
//! - [`Limits`]: body size, response deadline, queue bound, message size.
//! - [`memory`]: an in-memory transport built on the above alone (requests
//!   and websocket messages injected in-process), for tests and for hosts
//!   that carry HTTP over something other than sockets.
//!
//! It depends on no async runtime, no HTTP library and no Lua: it does no IO,
//! spawns nothing, and reads the clock only for deadlines it is asked to keep
//! (`EventQueue::pop_timeout`, the memory transport's response deadlines).
//! Wake-ups use [`std::task::Waker`].
//!
//! # Example: a transport's side of one request, without sockets
//!
//! ```
//! use std::sync::Arc;
//! use craftos_http_core::{Event, EventQueue, EventSink, Exchange, Request};
//!
//! // The computer's queue; the transport holds it as an `EventSink`.
//! let queue = Arc::new(EventQueue::new(256));
//! let sink: Arc<dyn EventSink> = queue.clone();
//!
//! // The transport parsed a request and queues it.
//! let request = Request::new("GET", "/hello", vec![], Vec::new());
//! let exchange = Arc::new(Exchange::new(request));
//! sink.try_send(Event::http_request(8080, exchange.clone())).unwrap();
//!
//! // The computer takes the event and answers through the response handle.
//! let Some(Event::HttpRequest { port, exchange: ex }) = queue.pop() else { unreachable!() };
//! assert_eq!(port, 8080);
//! ex.write(b"hello").unwrap();
//! ex.close().unwrap();
//!
//! // The transport gets the finished response.
//! let response = exchange.try_take_response().unwrap();
//! assert_eq!(response.status, 200);
//! assert_eq!(&response.body[..], b"hello");
//! ```
#![deny(missing_docs)]

mod computer;
mod event;
mod exchange;
pub mod header;
mod limits;
mod listener;
pub mod memory;
mod queue;
mod request;
mod response;
pub mod status;
mod websocket;

pub use computer::{Computer, ComputerId};
pub use event::Event;
pub use exchange::{Exchange, ExchangeClosed, Finish};
pub use limits::{Limits, deadline_after};
pub use listener::{Claim, ListenError, Listeners, PortBook, WebSocketServerError};
pub use queue::{EventQueue, EventSink, SendError};
pub use request::Request;
pub use response::{Response, ResponseError};
pub use websocket::{
    ClientId, CloseInfo, MAX_PENDING_PONGS, Outgoing, SendError as WebSocketSendError,
    WebSocketClient, WebSocketServerOptions,
};
