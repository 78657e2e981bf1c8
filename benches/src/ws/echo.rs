//! Echo load: `connections` WebSocket connections to 127.0.0.1:`port`;
//! each sends one text message, waits for its echo, and sends the next, for
//! a warm-up and then a measured window (like [`crate::loadgen`] does with
//! HTTP requests). Only round trips that complete inside the window count
//! toward round trips/s and latency; all of them count toward
//! [`EchoReport::total_round_trips`].
//!
//! At the end of the window each connection has no message in flight: it
//! sends a close frame (1000) and waits briefly for the server's, so the
//! server never has to answer a peer that is gone. A connection that fails
//! is counted and opened anew after a short pause. Only loopback is
//! addressed, and a run ends by itself: at most `warmup + duration +
//! timeout` plus the close wait after it starts.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use super::client::{Client, ClientError};
use super::frame::{OP_TEXT, encode_masked};
use super::report::EchoReport;
use crate::stats::Percentiles;
use crate::window::{ConnStats, Window};

/// How long a connection waits for the server's close frame at the end.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

/// What to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The server's port on 127.0.0.1.
    pub port: u16,
    /// Concurrent connections (at least 1).
    pub connections: usize,
    /// Bytes of each message.
    pub message_bytes: usize,
    /// Load before measuring starts.
    pub warmup: Duration,
    /// The measured window.
    pub duration: Duration,
    /// The longest a connect, a handshake or a round trip may take before
    /// it counts as an error and the connection is opened anew.
    pub timeout: Duration,
}

/// The message connection `index` sends: ASCII text of `size` bytes that
/// names the connection, so an echo sent to the wrong client is caught.
pub fn message(index: usize, size: usize) -> Vec<u8> {
    let mut text = format!("c{index}:").into_bytes();
    text.resize(size.max(text.len()), b'x');
    text.truncate(size);
    text
}

/// The masking key of connection `index` (any key is valid; varying it
/// per connection keeps the masked bytes apart).
fn mask(index: usize) -> [u8; 4] {
    (index as u32)
        .wrapping_add(1)
        .wrapping_mul(0x9E37_79B9)
        .to_le_bytes()
}

/// Runs the load on the current tokio runtime and reports.
pub async fn run(config: &Config) -> EchoReport {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
    let start = Instant::now();
    let window = Window::new(start, config.warmup, config.duration);
    let tasks: Vec<_> = (0..config.connections.max(1))
        .map(|index| {
            let message = message(index, config.message_bytes);
            let mut frame = Vec::with_capacity(message.len() + 14);
            encode_masked(OP_TEXT, &message, mask(index), &mut frame);
            tokio::spawn(connection(addr, frame, message, window, config.timeout))
        })
        .collect();
    let mut all = ConnStats::join(tasks).await;
    let last = all.last_done.unwrap_or(start);
    let duration_s = config.duration.as_secs_f64();
    EchoReport {
        port: config.port,
        connections: config.connections,
        message_bytes: config.message_bytes,
        warmup_s: config.warmup.as_secs_f64(),
        duration_s,
        round_trips: all.in_window,
        rtps: all.in_window as f64 / duration_s,
        bad_echoes: all.failures,
        errors: all.errors.total(),
        error_detail: all.errors,
        total_round_trips: all.total,
        total_s: last.duration_since(start).as_secs_f64(),
        latency_us: Percentiles::from_nanos(&mut all.latencies),
        client_cpu_s: crate::cpu::process_cpu_seconds(),
    }
}

/// One connection's loop: connect, echo until the window ends or the
/// connection fails, connect again.
async fn connection(
    addr: SocketAddr,
    frame: Vec<u8>,
    message: Vec<u8>,
    window: Window,
    timeout: Duration,
) -> ConnStats {
    let mut stats = ConnStats::default();
    while Instant::now() < window.end {
        let mut client = match Client::connect(addr, timeout).await {
            Ok(client) => client,
            Err(err) => {
                err.count(&mut stats.errors);
                window.pause().await;
                continue;
            }
        };
        match session(&mut client, &frame, &message, window, timeout, &mut stats).await {
            Ok(()) => {
                client.close(CLOSE_WAIT).await;
            }
            Err(err) => {
                err.count(&mut stats.errors);
                window.pause().await;
            }
        }
    }
    stats
}

/// Echo round trips on `client` until the window ends.
async fn session(
    client: &mut Client,
    frame: &[u8],
    message: &[u8],
    window: Window,
    timeout: Duration,
    stats: &mut ConnStats,
) -> Result<(), ClientError> {
    loop {
        let sent = Instant::now();
        if sent >= window.end {
            return Ok(());
        }
        let echoed = tokio::time::timeout(timeout, client.round_trip(frame, message))
            .await
            .map_err(|_| ClientError::Timeout("an echo"))??;
        stats.record(echoed, sent, Instant::now(), window);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_have_the_size_asked_for() {
        assert_eq!(message(3, 16), b"c3:xxxxxxxxxxxxx");
        assert_eq!(message(12345, 4), b"c123");
        assert_eq!(message(0, 0), b"");
        assert_ne!(message(1, 16), message(2, 16));
    }

    #[test]
    fn masks_differ() {
        assert_ne!(mask(0), mask(1));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn against_the_bare_echo_server() {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind");
        let port = listener.local_addr().expect("local addr").port();
        let server = tokio::spawn(crate::ws::echo_server::serve(listener));
        let report = run(&Config {
            port,
            connections: 4,
            message_bytes: 200,
            warmup: Duration::from_millis(50),
            duration: Duration::from_millis(300),
            timeout: Duration::from_secs(5),
        })
        .await;
        server.abort();
        assert_eq!((report.errors, report.bad_echoes), (0, 0), "{report:?}");
        assert!(report.round_trips > 0);
        assert!(report.total_round_trips >= report.round_trips);
        assert!(report.latency_us.p50 > 0.0);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_closed_port_counts_connect_errors() {
        let port = {
            let probe = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
            probe.local_addr().expect("local addr").port()
        };
        let report = run(&Config {
            port,
            connections: 1,
            message_bytes: 16,
            warmup: Duration::ZERO,
            duration: Duration::from_millis(50),
            timeout: Duration::from_secs(1),
        })
        .await;
        assert!(report.error_detail.connect > 0, "{report:?}");
        assert_eq!(report.total_round_trips, 0);
    }
}
