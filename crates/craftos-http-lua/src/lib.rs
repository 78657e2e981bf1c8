//! CraftOS-PC's HTTP server API for Lua computers, on mlua.
//!
//! - [`install`] puts `http.addListener`, `http.removeListener`,
//!   `http.listen` and `http.websocketServer` into a computer's Lua state.
//! - [`event_to_lua`] turns a core [`Event`](craftos_http_core::Event) into
//!   the values of the ComputerCraft event (`"http_request", port, request,
//!   response`), inside that state.
//!
//! An emulator keeps its own scheduler and `os.pullEvent`: it receives the
//! computer's events through the core's
//! [`EventSink`](craftos_http_core::EventSink), converts each with
//! [`event_to_lua`] on the computer's thread and queues the values as it
//! queues any event. [`resume_with_event`] is the faster path for the
//! events that need it (a computer's coroutine resumed with the event's
//! values made in place).
//!
//! This crate is the binding only: it depends on no runtime, transport or
//! command line. The ComputerCraft globals are `craftos-http-env`; the
//! standalone computer behind the `craftos-http` binary, and a host for
//! many computers on one transport, are `craftos-http-runner`. What those
//! two build on is public here: the argument checks of [`args`], the
//! error protocol of the natives in [`native`] and the raw C function
//! helpers of [`raw`].
//!
//! # Features
//!
//! - `lua52` (default, CraftOS-PC's), `lua51`, `lua53`, `lua54`, `luajit`:
//!   the Lua version, exactly one. Without one the crate does not compile
//!   and says which to choose.
//! - `vendored` (default): build that Lua from source. Without it mlua
//!   links the system's (pkg-config): an emulator with its own Lua or its
//!   own mlua leaves it off.
//! - `module`: link no Lua; its symbols are resolved from the program that
//!   loads the library (a `cdylib` for a Lua host, as `craftos-http-capi`).
//!
//! The binding also builds when another crate of the tree enables mlua's
//! `send` feature; `craftos-http-env` and `craftos-http-runner` keep their
//! state in `Rc`s and stop with a message saying so.
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

// mlua is a dependency only with a Lua version feature; without one, say
// which to choose (rather than mlua-sys's error, which names versions this
// crate does not offer) and compile nothing else.
#[cfg(not(any(
    feature = "lua51",
    feature = "lua52",
    feature = "lua53",
    feature = "lua54",
    feature = "luajit"
)))]
compile_error!(
    "craftos-http-lua needs a Lua version: enable one of the features lua51, lua52, lua53, \
     lua54 or luajit (the default is lua52), with `vendored` to build that Lua from source \
     or without it to link the system's"
);

/// The items of this crate, each compiled only with a Lua version.
macro_rules! with_lua {
    ($($item:item)*) => {
        $(
            #[cfg(any(
                feature = "lua51",
                feature = "lua52",
                feature = "lua53",
                feature = "lua54",
                feature = "luajit"
            ))]
            $item
        )*
    };
}

with_lua! {
    pub mod args;
    pub mod compiled;
    mod event;
    mod handles;
    mod http;
    pub mod native;
    pub mod raw;
    pub mod resume;
    mod websocket;
    mod ws_client;

    pub use event::event_to_lua;
    pub use resume::{Delivery, Yielded, resume_with_event};
    pub use http::{HttpContext, install};
    pub use mlua;
}
