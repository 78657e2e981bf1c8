//! Memory per idle client: read the server's `VmRSS`, open `clients`
//! WebSocket connections to 127.0.0.1:`port` (each completes its handshake
//! and one echo round trip, so the server has fully taken it in, a script
//! included), let the server settle, read `VmRSS` again, and close them
//! all (dropped: TCP ends without a close frame).
//!
//! Connections are opened `CONNECT_AT_ONCE` at a time, well within any
//! listen backlog. Every step has a timeout, so a run ends by itself.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::sync::Semaphore;

use super::client::{Client, ClientError};
use super::frame::{OP_TEXT, encode_masked};
use super::report::IdleReport;
use crate::stats::Errors;

/// Connections being opened at once.
const CONNECT_AT_ONCE: usize = 64;

/// What to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The server's port on 127.0.0.1.
    pub port: u16,
    /// The server's process id (its `/proc/PID/status` is read).
    pub pid: u32,
    /// Connections to open.
    pub clients: usize,
    /// Pause before each memory reading.
    pub settle: Duration,
    /// The longest a connect, a handshake or the echo may take.
    pub timeout: Duration,
}

/// `VmRSS` of process `pid` in KiB, from `/proc/PID/status`.
pub fn vm_rss_kib(pid: u32) -> anyhow::Result<u64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    parse_vm_rss_kib(&status).with_context(|| format!("no VmRSS in {path}"))
}

/// The `VmRSS:` line of a `/proc/PID/status` text, in KiB.
fn parse_vm_rss_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs the measurement on the current tokio runtime.
pub async fn run(config: &Config) -> anyhow::Result<IdleReport> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
    tokio::time::sleep(config.settle).await;
    let rss_before_kib = vm_rss_kib(config.pid)?;

    let gate = Arc::new(Semaphore::new(CONNECT_AT_ONCE));
    let timeout = config.timeout;
    let tasks: Vec<_> = (0..config.clients)
        .map(|index| {
            let gate = gate.clone();
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await.ok();
                open(addr, index, timeout).await
            })
        })
        .collect();
    let mut clients = Vec::with_capacity(config.clients);
    let mut errors = Errors::default();
    for task in tasks {
        match task.await {
            Ok(Ok(client)) => clients.push(client),
            Ok(Err(err)) => err.count(&mut errors),
            Err(err) => std::panic::resume_unwind(err.into_panic()),
        }
    }

    tokio::time::sleep(config.settle).await;
    let rss_after_kib = vm_rss_kib(config.pid)?;
    let open = clients.len();
    drop(clients);
    let grown = rss_after_kib.saturating_sub(rss_before_kib) as f64 * 1024.0;
    Ok(IdleReport {
        port: config.port,
        pid: config.pid,
        clients: config.clients,
        open,
        rss_before_kib,
        rss_after_kib,
        bytes_per_client: if open > 0 {
            grown / open as f64
        } else {
            f64::NAN
        },
        errors: errors.total(),
        error_detail: errors,
    })
}

/// One connection: handshake, then one echo (a reply that is not the
/// echo is an error), within `timeout` each.
async fn open(addr: SocketAddr, index: usize, timeout: Duration) -> Result<Client, ClientError> {
    let mut client = Client::connect(addr, timeout).await?;
    let message = format!("idle {index}").into_bytes();
    let mut frame = Vec::with_capacity(message.len() + 6);
    encode_masked(OP_TEXT, &message, [1, 2, 3, 4], &mut frame);
    let echoed = tokio::time::timeout(timeout, client.round_trip(&frame, &message))
        .await
        .map_err(|_| ClientError::Timeout("the first echo"))??;
    if !echoed {
        return Err(ClientError::Bad(
            "the first echo was not the message".to_owned(),
        ));
    }
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vm_rss() {
        let status = "Name:\tx\nVmHWM:\t  9000 kB\nVmRSS:\t  8123 kB\n";
        assert_eq!(parse_vm_rss_kib(status), Some(8123));
        assert_eq!(parse_vm_rss_kib("Name:\tx\n"), None);
        assert!(vm_rss_kib(std::process::id()).unwrap() > 0);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn idle_clients_of_the_bare_echo_server() {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind");
        let port = listener.local_addr().expect("local addr").port();
        let server = tokio::spawn(crate::ws::echo_server::serve(listener));
        let report = run(&Config {
            port,
            // The server runs in this process.
            pid: std::process::id(),
            clients: 20,
            settle: Duration::ZERO,
            timeout: Duration::from_secs(5),
        })
        .await
        .expect("memory readings");
        server.abort();
        assert_eq!((report.open, report.errors), (20, 0), "{report:?}");
        assert!(report.rss_before_kib > 0 && report.bytes_per_client >= 0.0);
    }
}
