//! `bare-hyper PORT [--threads N]`
//!
//! The baseline server: bare hyper 1 + tokio, `http1`, every request
//! answered `200 hello` with `Content-Length`, keep-alive (see
//! `craftos_http_benches::hello_server`). Binds 127.0.0.1:PORT and serves
//! until killed. One thread (a current-thread runtime, like the runner)
//! unless `--threads N` asks for a multi-thread runtime.

use std::net::{Ipv4Addr, SocketAddr};

use anyhow::Context as _;
use clap::Parser;
use craftos_http_benches::{hello_server, runtime};

/// Bare hyper "hello" server on 127.0.0.1:PORT.
#[derive(Debug, Parser)]
#[command(name = "bare-hyper")]
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
    let rt = runtime::build(args.threads).context("building the tokio runtime")?;
    rt.block_on(async {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {addr}"))?;
        eprintln!("bare-hyper: listening on {}", listener.local_addr()?);
        hello_server::serve(listener).await?;
        Ok(())
    })
}
