//! Shared helpers for the integration tests of the whole stack: the
//! `craftos-http` runner serving Lua scripts over real sockets on
//! `127.0.0.1`.
//!
//! - [`server`] runs a script in-process ([`craftos_http_runner::run`]
//!   on a thread of its own) and stops it.
//! - [`raw`] speaks HTTP/1.1 by hand over a [`std::net::TcpStream`], for
//!   requests no real client would send.
//! - [`client`] is a real HTTP client (hyper), with a runtime per test.
//! - [`binary`] runs the `craftos-http` binary, for exit statuses, stderr
//!   and signals.
//! - [`port`] hands out ports and waits for them to open.
//! - [`tempdir`] holds the scripts a test writes, removed afterwards.
//!
//! Every wait is bounded: [`STEP`] for one exchange, a script deadline for a
//! whole script.
#![deny(missing_docs)]

use std::time::Duration;

pub mod binary;
pub mod client;
pub mod port;
pub mod raw;
pub mod server;
pub mod tempdir;

/// The longest any single step (a connect, a read, a response) may take
/// before the test fails instead of hanging.
pub const STEP: Duration = Duration::from_secs(10);
