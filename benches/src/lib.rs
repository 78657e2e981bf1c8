//! Benchmark support for craftos-http.
//!
//! - [`hello_server`]: the bare hyper 1 + tokio "hello" server that is the
//!   baseline of `cargo xtask bench http` (binary `bare-hyper`).
//! - [`loadgen`]: a wrk-like HTTP/1.1 load generator (binary `loadgen`):
//!   keep-alive connections on 127.0.0.1, one request in flight on each.
//! - [`framing`]: where one HTTP/1.1 response ends in a byte buffer.
//! - [`schedule`]: the open-loop mode of the load generator (`--rate`):
//!   requests at intended times, latency counted from them.
//! - [`stats`]: latency percentiles and the report the load generator prints.
//! - [`runtime`]: a tokio runtime on one thread or on N.
//! - [`cpu`]: this process's CPU time.
//! - [`window`]: a run's warm-up and measured window, and what each
//!   connection of a load generator saw in it.
//! - [`soak`]: a fixed number of keep-alive requests with the server's
//!   memory read as they go (binary `soak`, behind `cargo xtask soak`).
//! - [`ws`]: the WebSocket benchmark: the bare fastwebsockets echo server
//!   (binary `bare-ws-echo`) and the WebSocket load generator (binary
//!   `ws-loadgen`) behind `cargo xtask bench ws`.

pub mod cpu;
pub mod framing;
pub mod hello_server;
pub mod loadgen;
pub mod runtime;
pub mod schedule;
pub mod soak;
pub mod stats;
pub mod window;
pub mod ws;
