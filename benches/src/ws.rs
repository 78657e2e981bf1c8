//! WebSocket benchmarking: the bare fastwebsockets echo server (binary
//! `bare-ws-echo`), the baseline of `cargo xtask bench ws`, and the
//! WebSocket load generator (binary `ws-loadgen`).
//!
//! - [`echo_server`]: hyper 1 upgrade + fastwebsockets `FragmentCollector`,
//!   every text or binary message sent back as it came.
//! - [`frame`]: the client's side of RFC 6455 framing, as little as a load
//!   generator needs.
//! - [`client`]: one client connection: connect, handshake, echo round
//!   trips, close.
//! - [`echo`]: N connections doing echo round trips for a window
//!   (requests/s and latency, like [`crate::loadgen`]).
//! - [`idle`]: N idle connections and the server's resident memory before
//!   and after.
//! - [`report`]: the JSON lines both modes print.
//! - [`nofile`]: raising this process's open-file limit.

pub mod client;
pub mod echo;
pub mod echo_server;
pub mod frame;
pub mod idle;
pub mod nofile;
pub mod report;
