//! CraftOS-PC's HTTP server API for Lua computers, on mlua.
//!
//! - [`install`] puts `http.addListener`, `http.removeListener` and
//!   `http.listen` into a computer's Lua state.
//! - [`event_to_lua`] turns a core [`Event`](craftos_http_core::Event) into
//!   the values of the ComputerCraft event (`"http_request", port, request,
//!   response`), inside that state.
//!
//! An emulator keeps its own scheduler and `os.pullEvent`: it receives the
//! computer's events through the core's
//! [`EventSink`](craftos_http_core::EventSink), converts each with
//! [`event_to_lua`] on the computer's thread and queues the values as it
//! queues any event. With the `runner` feature this crate also provides
//! [`runner`], the standalone computer behind the `craftos-http` binary,
//! and [`host`], many such computers served together on one transport.
//!
//! Lua 5.2 is the default (feature `lua52`), as CraftOS-PC uses; `lua51`,
//! `lua53`, `lua54` and `luajit` select another VM.
//!
//! # Example: one computer, one request, no sockets
//!
//! The smallest embedding: a Lua state with `http`, the core's queue as the
//! computer's event sink, and the core's in-memory transport (a socket
//! transport, `craftos-http-hyper`, plugs in the same way).
//!
//! ```
//! use std::sync::Arc;
//! use craftos_http_core::memory::MemoryTransport;
//! use craftos_http_core::{Computer, ComputerId, EventQueue, Request};
//! use craftos_http_lua::mlua::{Function, Lua, MultiValue};
//! use craftos_http_lua::{HttpContext, event_to_lua, install};
//!
//! # fn main() -> craftos_http_lua::mlua::Result<()> {
//! let transport = MemoryTransport::new();
//! let queue = Arc::new(EventQueue::new(256));
//! let lua = Lua::new();
//! install(&lua, HttpContext {
//!     computer: Computer::new(ComputerId(0), queue.clone()),
//!     listeners: Arc::new(transport.clone()),
//! })?;
//! // The emulator's script listens and handles one event.
//! let handle: Function = lua.load(r#"
//!     http.addListener(8080)
//!     return function(event, port, req, res)
//!       res.write(event .. " " .. req.getURL())
//!       res.close()
//!     end
//! "#).eval()?;
//!
//! let pending = transport.request(8080, Request::new("GET", "/hi", vec![], Vec::new())).unwrap();
//! let event = queue.pop().expect("the request's event");
//! let values: MultiValue = event_to_lua(&lua, event)?; // "http_request", 8080, req, res
//! handle.call::<()>(values)?;
//! assert_eq!(&pending.wait().body[..], b"http_request /hi");
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

/// The emulator cookbook, `docs/cookbook.md`: its snippets are compiled and
/// run as this crate's doc tests.
#[cfg(all(doctest, feature = "runner"))]
#[doc = include_str!("../../../docs/cookbook.md")]
pub struct Cookbook;

mod args;
#[cfg(feature = "env")]
pub mod env;
mod event;
mod handles;
#[cfg(feature = "runner")]
pub mod host;
mod http;
mod native;
mod raw;
#[cfg(feature = "runner")]
pub mod runner;
#[cfg(feature = "env")]
mod watchdog;
mod websocket;

pub use event::event_to_lua;
pub use http::{HttpContext, install};
pub use mlua;
