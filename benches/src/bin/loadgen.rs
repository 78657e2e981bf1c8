//! `loadgen PORT [-c N] [-d SECS] [--warmup SECS] [--timeout SECS] [--threads N]`
//!
//! A wrk-like HTTP/1.1 load generator against 127.0.0.1:PORT (see
//! `craftos_http_benches::loadgen`). Prints the report as one JSON line on
//! stdout and one line for humans on stderr.

use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use craftos_http_benches::{loadgen, runtime};

/// HTTP/1.1 keep-alive load against 127.0.0.1:PORT, one request in flight
/// per connection (like wrk).
#[derive(Debug, Parser)]
#[command(name = "loadgen")]
struct Args {
    /// The server's port on 127.0.0.1.
    port: u16,
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
    let config = loadgen::Config {
        port: args.port,
        connections: args.connections as usize,
        warmup: seconds("warmup", args.warmup, 0.0)?,
        duration: seconds("duration", args.duration, 0.001)?,
        timeout: seconds("timeout", args.timeout, 0.001)?,
    };
    let rt = runtime::build(args.threads).context("building the tokio runtime")?;
    let report = rt.block_on(loadgen::run(&config));
    println!("{}", serde_json::to_string(&report)?);
    eprintln!("loadgen: {}", report.human());
    Ok(())
}
