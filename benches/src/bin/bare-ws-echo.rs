//! `bare-ws-echo PORT [--threads N]`
//!
//! The baseline WebSocket server: hyper 1 upgrade + fastwebsockets
//! `FragmentCollector`, every message sent back as it came (see
//! `craftos_http_benches::ws::echo_server`). Binds 127.0.0.1:PORT and
//! serves until killed. One thread (a current-thread runtime, like the
//! runner) unless `--threads N` asks for a multi-thread runtime.

use std::net::{Ipv4Addr, SocketAddr};

use anyhow::Context as _;
use clap::Parser;
use craftos_http_benches::runtime;
use craftos_http_benches::ws::{echo_server, nofile};

/// Open files wanted: a few thousand connections.
const NOFILE: u64 = 8192;

/// Bare fastwebsockets echo server on 127.0.0.1:PORT.
#[derive(Debug, Parser)]
#[command(name = "bare-ws-echo")]
struct Args {
    /// The port to bind on 127.0.0.1 (0: any free port, printed on stderr).
    port: u16,
    /// Worker threads of a multi-thread runtime (default: one thread, a
    /// current-thread runtime).
    #[arg(long)]
    threads: Option<usize>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    nofile::raise(NOFILE);
    let rt = runtime::build(args.threads).context("building the tokio runtime")?;
    rt.block_on(async {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {addr}"))?;
        eprintln!("bare-ws-echo: listening on {}", listener.local_addr()?);
        echo_server::serve(listener).await?;
        Ok(())
    })
}
