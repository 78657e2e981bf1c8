//! `soak PORT --pid PID [--requests N] [-c N] [--samples N] [--timeout SECS]`
//!
//! N keep-alive requests against 127.0.0.1:PORT with the server PID's
//! resident memory read as they go (see `craftos_http_benches::soak`).
//! Prints the report as one JSON line on stdout and one line for humans on
//! stderr.

use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use craftos_http_benches::{runtime, soak};

/// Keep-alive requests against 127.0.0.1:PORT, the server's memory sampled.
#[derive(Debug, Parser)]
#[command(name = "soak")]
struct Args {
    /// The server's port on 127.0.0.1.
    port: u16,
    /// The server's process id.
    #[arg(long)]
    pid: u32,
    /// Responses to get in all.
    #[arg(long, default_value_t = 1_000_000)]
    requests: u64,
    /// Keep-alive connections.
    #[arg(short, long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    connections: u32,
    /// Memory readings after the first.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    samples: u64,
    /// Seconds a connect or one exchange may take.
    #[arg(long, default_value_t = 5.0)]
    timeout: f64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.timeout.is_finite() && (0.001..=3600.0).contains(&args.timeout),
        "--timeout must be between 0.001 and 3600 seconds"
    );
    let config = soak::Config {
        port: args.port,
        pid: args.pid,
        requests: args.requests,
        connections: args.connections as usize,
        samples: args.samples,
        timeout: Duration::from_secs_f64(args.timeout),
    };
    let rt = runtime::build(None).context("building the tokio runtime")?;
    let report = rt.block_on(soak::run(&config))?;
    println!("{}", serde_json::to_string(&report)?);
    eprintln!("soak: {}", report.human());
    Ok(())
}
