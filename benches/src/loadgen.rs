//! A wrk-like HTTP/1.1 load generator.
//!
//! `connections` keep-alive connections to 127.0.0.1:`port` (or spread
//! round-robin over `ports` consecutive ports from `port`: connection `i`
//! goes to `port + i % ports`, as `loadgen --ports A-B` does); each sends
//! [`REQUEST`], waits for the whole response, and sends the next, for a
//! warm-up and then a measured window. Only responses that complete inside
//! the window count toward requests/s and latency; every response counts
//! toward [`Report::total_requests`] (the server's work, for requests per
//! server CPU-second). A connection that fails, times out or is closed by
//! the server is counted and opened anew, after a short pause on errors.
//!
//! With [`Config::rate`], the load is open-loop instead (see
//! [`crate::schedule`]): each connection sends at its intended times, and
//! latency runs from the intended time, not from when the previous answer
//! let the request go.
//!
//! Only loopback is ever addressed, and the run ends by itself: at most
//! `warmup + duration + timeout` after it starts.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt, Interest};
use tokio::net::TcpStream;

use crate::framing::{Frame, FrameError, parse_response};
use crate::schedule::{Schedule, wait_until};
use crate::stats::{Percentiles, Report};
use crate::window::{ConnStats, Window};

/// The request every connection sends, over and over.
pub const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/// What to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The server's port on 127.0.0.1 (the first one, with `ports`).
    pub port: u16,
    /// Consecutive ports from `port` the connections are spread over,
    /// round-robin (1: `port` alone).
    pub ports: u16,
    /// Concurrent keep-alive connections (at least 1).
    pub connections: usize,
    /// Load before measuring starts.
    pub warmup: Duration,
    /// The measured window.
    pub duration: Duration,
    /// The longest a connect or a request may take before it counts as an
    /// error and the connection is opened anew.
    pub timeout: Duration,
    /// Open-loop: requests per second over all connections, at fixed
    /// intended times (`None`: closed-loop, each request as soon as the
    /// previous answer is in).
    pub rate: Option<f64>,
}

/// Runs the load on the current tokio runtime and reports.
pub async fn run(config: &Config) -> Report {
    let start = Instant::now();
    let window = Window::new(start, config.warmup, config.duration);
    let connections = config.connections.max(1);
    let tasks: Vec<_> = (0..connections)
        .map(|i| {
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port_of(config, i)));
            let schedule = config
                .rate
                .map(|rate| Schedule::new(start, rate, connections, i));
            tokio::spawn(connection(addr, window, config.timeout, schedule))
        })
        .collect();
    let mut all = ConnStats::join(tasks).await;
    let last = all.last_done.unwrap_or(start);
    let duration_s = config.duration.as_secs_f64();
    Report {
        port: config.port,
        ports: config.ports.max(1),
        connections: config.connections,
        warmup_s: config.warmup.as_secs_f64(),
        duration_s,
        requests: all.in_window,
        rps: all.in_window as f64 / duration_s,
        non_200: all.failures,
        errors: all.errors.total(),
        error_detail: all.errors,
        total_requests: all.total,
        total_s: last.duration_since(start).as_secs_f64(),
        latency_us: Percentiles::from_nanos(&mut all.latencies),
        client_cpu_s: crate::cpu::process_cpu_seconds(),
        rate: config.rate,
    }
}

/// The port of connection `i`: round-robin over the ports.
fn port_of(config: &Config, i: usize) -> u16 {
    let offset = i % usize::from(config.ports.max(1));
    // Past 65535 (a bad config) every further connection gets the last port.
    config.port.saturating_add(offset as u16)
}

/// Why an exchange failed.
#[derive(Debug)]
enum ExchangeError {
    Io(std::io::Error),
    Bad(FrameError),
}

impl From<std::io::Error> for ExchangeError {
    fn from(err: std::io::Error) -> Self {
        Self::Io(err)
    }
}

impl From<FrameError> for ExchangeError {
    fn from(err: FrameError) -> Self {
        Self::Bad(err)
    }
}

/// One connection's loop: connect, exchange until the window ends or the
/// connection fails, connect again.
async fn connection(
    addr: SocketAddr,
    window: Window,
    timeout: Duration,
    mut schedule: Option<Schedule>,
) -> ConnStats {
    let mut stats = ConnStats::default();
    let mut buf = Vec::with_capacity(4096);
    while Instant::now() < window.end {
        let stream = match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => stream,
            Ok(Err(err)) => {
                stats.errors.connect += 1;
                stats.errors.note(|| format!("connect: {err}"));
                window.pause().await;
                continue;
            }
            Err(_) => {
                stats.errors.connect += 1;
                stats.errors.note(|| "connect timed out".to_owned());
                continue;
            }
        };
        // Best effort: a request is one small write anyway.
        let _ = stream.set_nodelay(true);
        buf.clear();
        if !session(stream, &mut buf, window, timeout, &mut schedule, &mut stats).await {
            window.pause().await;
        }
    }
    stats
}

/// Sends requests on `stream` one after another (at the times of
/// `schedule`, if open-loop) until the window ends (`true`), the server
/// closes the connection as announced (`true`), or an error (`false`,
/// counted in `stats`).
async fn session(
    mut stream: TcpStream,
    buf: &mut Vec<u8>,
    window: Window,
    timeout: Duration,
    schedule: &mut Option<Schedule>,
    stats: &mut ConnStats,
) -> bool {
    loop {
        // Open-loop, the latency counts from the intended time, however
        // late the request goes out.
        let sent = match schedule {
            Some(schedule) => {
                let at = schedule.advance();
                if at >= window.end {
                    return true;
                }
                wait_until(at).await;
                at
            }
            None => Instant::now(),
        };
        if sent >= window.end {
            return true;
        }
        let result = tokio::time::timeout(timeout, exchange(&mut stream, buf)).await;
        let done = Instant::now();
        match result {
            Ok(Ok(frame)) => {
                stats.record(frame.status == 200, sent, done, window);
                if frame.close {
                    return true;
                }
            }
            Ok(Err(ExchangeError::Io(err))) => {
                stats.errors.io += 1;
                stats.errors.note(|| format!("i/o: {err}"));
                return false;
            }
            Ok(Err(ExchangeError::Bad(err))) => {
                stats.errors.bad_response += 1;
                stats.errors.note(|| err.to_string());
                return false;
            }
            Err(_) => {
                stats.errors.timeout += 1;
                stats
                    .errors
                    .note(|| format!("no response within {timeout:?}"));
                return false;
            }
        }
    }
}

/// Sends one request and reads one whole response, leaving any bytes after
/// it in `buf`.
async fn exchange(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Frame, ExchangeError> {
    stream.write_all(REQUEST).await?;
    loop {
        if !buf.is_empty()
            && let Some(frame) = parse_response(buf)?
            && !frame.until_eof
        {
            buf.drain(..frame.end);
            if buf.is_empty() {
                forget_readable(stream);
            }
            return Ok(frame);
        }
        buf.reserve(4096);
        if stream.read_buf(buf).await? == 0 {
            return match parse_response(buf)? {
                Some(frame) if frame.until_eof => {
                    buf.clear();
                    Ok(frame)
                }
                _ => Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "server closed the connection before a full response",
                )
                .into()),
            };
        }
    }
}

/// Tells tokio the socket has nothing more to read, without a syscall.
///
/// After a whole response, nothing more arrives before the next request,
/// but tokio still believes the socket readable and would try a `read` that
/// fails with `EAGAIN` before waiting: one wasted syscall per request, a
/// fair share of this client's CPU (wrk waits for the next event instead).
/// A closure that reports `WouldBlock` clears the readiness tokio saw, and
/// only that: bytes arriving later raise a new event, so none is lost.
fn forget_readable(stream: &TcpStream) {
    let _ = stream.try_io(Interest::READABLE, || {
        Err::<(), _>(std::io::ErrorKind::WouldBlock.into())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(port: u16, ports: u16) -> Config {
        Config {
            port,
            ports,
            connections: 5,
            warmup: Duration::ZERO,
            duration: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
            rate: None,
        }
    }

    #[test]
    fn connections_go_round_robin_over_the_ports() {
        let c = config(8000, 3);
        let ports: Vec<u16> = (0..7).map(|i| port_of(&c, i)).collect();
        assert_eq!(ports, [8000, 8001, 8002, 8000, 8001, 8002, 8000]);
        // One port (or none said): all on `port`.
        for ports in [0, 1] {
            let c = config(8000, ports);
            assert!((0..5).all(|i| port_of(&c, i) == 8000));
        }
    }
}
