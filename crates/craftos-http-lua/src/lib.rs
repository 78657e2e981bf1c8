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
#![deny(missing_docs)]

mod args;
#[cfg(feature = "env")]
pub mod env;
mod event;
mod handles;
#[cfg(feature = "runner")]
pub mod host;
mod http;
mod native;
#[cfg(feature = "runner")]
pub mod runner;
mod websocket;

pub use event::event_to_lua;
pub use http::{HttpContext, install};
pub use mlua;
