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
//! queues any event. With the `runner` feature this crate also provides
//! [`runner`], the standalone computer behind the `craftos-http` binary,
//! and [`host`], many such computers served together on one transport.
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
//! - `env`: the ComputerCraft globals ([`mod@env`]); `runner` (default): the
//!   runner and [`host`].
//!
//! The binding alone (`install`, `event_to_lua`) also builds when another
//! crate of the tree enables mlua's `send` feature; `env` and `runner` keep
//! their state in `Rc`s and stop with a message saying so.
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

/// The emulator cookbook, `docs/cookbook.md`: its snippets are compiled and
/// run as this crate's doc tests.
#[cfg(all(doctest, feature = "runner"))]
#[doc = include_str!("../../../docs/cookbook.md")]
pub struct Cookbook;

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
    #[cfg(feature = "env")]
    mod single_threaded {
        //! `env` and `runner` keep their state in `Rc`s and `RefCell`s: a
        //! Lua state with them never leaves its thread, so they need mlua's
        //! `Lua` not to be `Send`, which mlua's `send` feature makes it.

        /// Implemented when mlua's values need not be `Send`.
        #[diagnostic::on_unimplemented(
            message = "craftos-http-lua's `env` and `runner` features need mlua without its `send` feature",
            label = "mlua's `send` feature is enabled somewhere in the dependency tree",
            note = "the `http` binding alone (features `lua52` and `vendored`, without `env` and `runner`) builds with `send`"
        )]
        pub(crate) trait NotSend {}
        impl<T: mlua::MaybeSend> NotSend for T {}

        const fn needs_not_send<T: NotSend>() {}
        const _: () = needs_not_send::<std::rc::Rc<()>>();
    }

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
    pub mod resume;
    #[cfg(feature = "runner")]
    pub mod runner;
    #[cfg(feature = "env")]
    mod watchdog;
    mod websocket;

    pub use event::event_to_lua;
    pub use resume::{Delivery, Yielded, resume_with_event};
    pub use http::{HttpContext, install};
    pub use mlua;
}
