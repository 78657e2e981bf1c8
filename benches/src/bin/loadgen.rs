//! `loadgen PORT [-c N] [-d SECS] [--warmup SECS] [--timeout SECS] [--threads N] [--rate R]`
//! `loadgen --ports A-B [OPTIONS]`
//!
//! A wrk-like HTTP/1.1 load generator against 127.0.0.1:PORT, or against
//! every port from A to B (inclusive) with the connections spread over them
//! round-robin (see `craftos_http_benches::loadgen`). Prints the report as
//! one JSON line on stdout and one line for humans on stderr.

use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use craftos_http_benches::ws::nofile;
use craftos_http_benches::{loadgen, runtime};

/// Open files the load generator needs besides its connections.
const SPARE_FILES: u64 = 64;

/// HTTP/1.1 keep-alive load against 127.0.0.1:PORT, one request in flight
/// per connection (like wrk).
#[derive(Debug, Parser)]
#[command(name = "loadgen")]
struct Args {
    /// The server's port on 127.0.0.1.
    #[arg(required_unless_present = "ports", conflicts_with = "ports")]
    port: Option<u16>,
    /// Ports A to B (inclusive) on 127.0.0.1 instead of PORT: connection i
    /// goes to A + i % (B - A + 1).
    #[arg(long, value_name = "A-B", value_parser = port_range)]
    ports: Option<(u16, u16)>,
    /// Concurrent keep-alive connections.
    #[arg(short, long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    connections: u32,
    /// Seconds measured, after the warm-up.
    #[arg(short, long, default_value_t = 5.0)]
    duration: f64,
    /// Seconds of load before measuring.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Seconds a connect or a request may take before it counts as an error.
    #[arg(long, default_value_t = 5.0)]
    timeout: f64,
    /// Worker threads (default: one thread, a current-thread runtime).
    #[arg(long)]
    threads: Option<usize>,
    /// Open-loop: this many requests per second over all connections, each
    /// at its intended time, latency counted from it (default: closed-loop,
    /// each connection's next request as soon as its answer is in).
    #[arg(long, value_parser = rate)]
    rate: Option<f64>,
}

/// A rate between 1 and 10 million requests per second.
fn rate(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|e| format!("`{text}` is not a number: {e}"))?;
    if value.is_finite() && (1.0..=1e7).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 1 and 10000000"))
    }
}

/// Seconds from the command line, checked to be finite and in range.
fn seconds(name: &str, value: f64, min: f64) -> anyhow::Result<Duration> {
    anyhow::ensure!(
        value.is_finite() && (min..=3600.0).contains(&value),
        "--{name} must be between {min} and 3600 seconds, not {value}"
    );
    Ok(Duration::from_secs_f64(value))
}

/// `A-B` with A <= B, or a single port `A`.
fn port_range(text: &str) -> Result<(u16, u16), String> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let parse = |p: &str| {
        p.trim()
            .parse::<u16>()
            .map_err(|e| format!("`{p}` is not a port: {e}"))
    };
    let (a, b) = (parse(a)?, parse(b)?);
    if a == 0 || a > b {
        return Err(format!("`{text}`: expected A-B with 0 < A <= B"));
    }
    Ok((a, b))
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let (port, last) = match (args.ports, args.port) {
        (Some(range), _) => range,
        (None, Some(port)) => (port, port),
        (None, None) => anyhow::bail!("give PORT or --ports A-B"),
    };
    // A thousand connections need more than the common default of 1024.
    nofile::raise(u64::from(args.connections) + SPARE_FILES);
    let config = loadgen::Config {
        port,
        ports: last - port + 1,
        connections: args.connections as usize,
        warmup: seconds("warmup", args.warmup, 0.0)?,
        duration: seconds("duration", args.duration, 0.001)?,
        timeout: seconds("timeout", args.timeout, 0.001)?,
        rate: args.rate,
    };
    let rt = runtime::build(args.threads).context("building the tokio runtime")?;
    let report = rt.block_on(loadgen::run(&config));
    println!("{}", serde_json::to_string(&report)?);
    eprintln!("loadgen: {}", report.human());
    Ok(())
}
