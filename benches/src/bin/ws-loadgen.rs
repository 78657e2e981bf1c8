//! `ws-loadgen PORT [-c N] [-d SECS] [--warmup SECS] [--timeout SECS] [--size BYTES] [--threads N]`
//! `ws-loadgen PORT --idle N --pid PID [--settle SECS] [--timeout SECS]`
//!
//! WebSocket load against 127.0.0.1:PORT. The first form: N connections
//! doing echo round trips of one text message each (see
//! `craftos_http_benches::ws::echo`). The second: N idle connections and
//! the server PID's resident memory before and after (see
//! `craftos_http_benches::ws::idle`). Prints the report as one JSON line on
//! stdout and one line for humans on stderr.

use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use craftos_http_benches::runtime;
use craftos_http_benches::ws::{echo, idle, nofile};

/// File descriptors kept for other uses than connections.
const SPARE_FILES: u64 = 64;

/// WebSocket echo load (or idle connections) against 127.0.0.1:PORT.
#[derive(Debug, Parser)]
#[command(name = "ws-loadgen")]
struct Args {
    /// The server's port on 127.0.0.1.
    port: u16,
    /// Concurrent connections, each with one message in flight.
    #[arg(short, long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    connections: u32,
    /// Seconds measured, after the warm-up.
    #[arg(short, long, default_value_t = 5.0)]
    duration: f64,
    /// Seconds of load before measuring.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Seconds a connect, a handshake or a round trip may take before it
    /// counts as an error.
    #[arg(long, default_value_t = 5.0)]
    timeout: f64,
    /// Bytes of each text message.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(0..=65_536))]
    size: u32,
    /// Instead of the echo load: open this many idle connections and
    /// report the memory of the server `--pid` before and after.
    #[arg(long, requires = "pid", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    idle: Option<u32>,
    /// The server's process id, for `--idle`.
    #[arg(long)]
    pid: Option<u32>,
    /// Seconds to wait before each memory reading, for `--idle`.
    #[arg(long, default_value_t = 1.0)]
    settle: f64,
    /// Worker threads (default: one thread, a current-thread runtime).
    #[arg(long)]
    threads: Option<usize>,
}

/// Seconds from the command line, checked to be finite and in range.
fn seconds(name: &str, value: f64, min: f64) -> anyhow::Result<Duration> {
    anyhow::ensure!(
        value.is_finite() && (min..=3600.0).contains(&value),
        "--{name} must be between {min} and 3600 seconds, not {value}"
    );
    Ok(Duration::from_secs_f64(value))
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let timeout = seconds("timeout", args.timeout, 0.001)?;
    let rt = runtime::build(args.threads).context("building the tokio runtime")?;
    if let (Some(clients), Some(pid)) = (args.idle, args.pid) {
        let limit = nofile::raise(u64::from(clients) + SPARE_FILES);
        if let Some(limit) = limit.filter(|&l| l < u64::from(clients) + SPARE_FILES) {
            eprintln!("ws-loadgen: warning: only {limit} open files allowed");
        }
        let config = idle::Config {
            port: args.port,
            pid,
            clients: clients as usize,
            settle: seconds("settle", args.settle, 0.0)?,
            timeout,
        };
        let report = rt.block_on(idle::run(&config))?;
        println!("{}", serde_json::to_string(&report)?);
        eprintln!("ws-loadgen: {}", report.human());
        return Ok(());
    }
    nofile::raise(u64::from(args.connections) + SPARE_FILES);
    let config = echo::Config {
        port: args.port,
        connections: args.connections as usize,
        message_bytes: args.size as usize,
        warmup: seconds("warmup", args.warmup, 0.0)?,
        duration: seconds("duration", args.duration, 0.001)?,
        timeout,
    };
    let report = rt.block_on(echo::run(&config));
    println!("{}", serde_json::to_string(&report)?);
    eprintln!("ws-loadgen: {}", report.human());
    Ok(())
}
