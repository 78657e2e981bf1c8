//! A soak: a fixed number of keep-alive requests to 127.0.0.1:`port`, with
//! the server's resident memory (`VmRSS`) read as they go, so a leak shows
//! as a rising curve.
//!
//! `connections` keep-alive connections each send [`REQUEST`], read the
//! whole response and send the next, until `requests` responses have come
//! back in all. A sampler reads `VmRSS` of `pid` at the start and each time
//! another `requests / samples` responses are in. Any error or non-200 is
//! counted and ends that connection (the soak is not a load test: a healthy
//! server shows none). Every wait has a timeout, so a run ends by itself.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::framing::parse_response;
use crate::loadgen::REQUEST;
use crate::ws::idle::vm_rss_kib;

/// What to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The server's port on 127.0.0.1.
    pub port: u16,
    /// The server's process id (its `/proc/PID/status` is read).
    pub pid: u32,
    /// Responses to get in all.
    pub requests: u64,
    /// Keep-alive connections.
    pub connections: usize,
    /// Memory readings after the first one, evenly spread over the run.
    pub samples: u64,
    /// The longest a connect or one exchange may take.
    pub timeout: Duration,
}

/// One memory reading.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// Responses in when it was read.
    pub requests: u64,
    /// The server's `VmRSS`, KiB.
    pub rss_kib: u64,
}

/// What a soak saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoakReport {
    /// The server's port.
    pub port: u16,
    /// Responses asked for.
    pub requests: u64,
    /// 200 responses received.
    pub ok: u64,
    /// Other statuses.
    pub non_200: u64,
    /// Connect, I/O, framing and timeout errors.
    pub errors: u64,
    /// The first error, for the report.
    pub first_error: Option<String>,
    /// Seconds from the first connect to the last response.
    pub seconds: f64,
    /// The memory curve, first reading first.
    pub samples: Vec<Sample>,
}

impl SoakReport {
    /// One line for a human.
    pub fn human(&self) -> String {
        let curve: Vec<String> = self
            .samples
            .iter()
            .map(|s| format!("{:.1}", s.rss_kib as f64 / 1024.0))
            .collect();
        format!(
            "{} of {} requests ok in {:.1} s ({:.0}/s), {} non-200, {} errors; RSS MiB: {}",
            self.ok,
            self.requests,
            self.seconds,
            self.ok as f64 / self.seconds.max(1e-9),
            self.non_200,
            self.errors,
            curve.join(" ")
        )
    }
}

/// Counters the connections share.
#[derive(Default)]
struct Shared {
    /// Requests handed out (a connection takes one before sending it).
    taken: AtomicU64,
    ok: AtomicU64,
    non_200: AtomicU64,
    errors: AtomicU64,
    first_error: std::sync::Mutex<Option<String>>,
}

impl Shared {
    fn error(&self, what: String) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let mut first = self.first_error.lock().unwrap_or_else(|e| e.into_inner());
        first.get_or_insert(what);
    }

    fn done(&self) -> u64 {
        self.ok.load(Ordering::Relaxed) + self.non_200.load(Ordering::Relaxed)
    }
}

/// Runs the soak on the current tokio runtime.
pub async fn run(config: &Config) -> anyhow::Result<SoakReport> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
    let shared = Arc::new(Shared::default());
    let start = Instant::now();
    let mut samples = vec![Sample {
        requests: 0,
        rss_kib: vm_rss_kib(config.pid)?,
    }];
    let tasks: Vec<_> = (0..config.connections.max(1))
        .map(|_| {
            let shared = shared.clone();
            let (requests, timeout) = (config.requests, config.timeout);
            tokio::spawn(async move {
                if let Err(err) = connection(addr, requests, timeout, &shared).await {
                    shared.error(err);
                }
            })
        })
        .collect();
    let step = (config.requests / config.samples.max(1)).max(1);
    let mut next = step;
    // Sample while the connections run; each gives up on its own errors.
    while tasks.iter().any(|t| !t.is_finished()) {
        tokio::time::sleep(Duration::from_millis(2)).await;
        if shared.done() >= next {
            samples.push(Sample {
                requests: shared.done(),
                rss_kib: vm_rss_kib(config.pid)?,
            });
            next += step;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    for task in tasks {
        if let Err(err) = task.await {
            std::panic::resume_unwind(err.into_panic());
        }
    }
    if samples.last().is_some_and(|s| s.requests < shared.done()) {
        samples.push(Sample {
            requests: shared.done(),
            rss_kib: vm_rss_kib(config.pid)?,
        });
    }
    let first_error = shared
        .first_error
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    Ok(SoakReport {
        port: config.port,
        requests: config.requests,
        ok: shared.ok.load(Ordering::Relaxed),
        non_200: shared.non_200.load(Ordering::Relaxed),
        errors: shared.errors.load(Ordering::Relaxed),
        first_error,
        seconds,
        samples,
    })
}

/// One keep-alive connection: exchanges until all requests are taken.
async fn connection(
    addr: SocketAddr,
    requests: u64,
    timeout: Duration,
    shared: &Shared,
) -> Result<(), String> {
    let mut stream = tokio::time::timeout(timeout, TcpStream::connect(addr))
        .await
        .map_err(|_| "connect timed out".to_owned())?
        .map_err(|e| format!("connect: {e}"))?;
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(4096);
    while shared.taken.fetch_add(1, Ordering::Relaxed) < requests {
        let status = tokio::time::timeout(timeout, exchange(&mut stream, &mut buf))
            .await
            .map_err(|_| format!("no response within {timeout:?}"))??;
        if status == 200 {
            shared.ok.fetch_add(1, Ordering::Relaxed);
        } else {
            shared.non_200.fetch_add(1, Ordering::Relaxed);
            return Err(format!("status {status}"));
        }
    }
    Ok(())
}

/// Send one request and read its whole response.
async fn exchange(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<u16, String> {
    stream
        .write_all(REQUEST)
        .await
        .map_err(|e| format!("write: {e}"))?;
    loop {
        if let Some(frame) = parse_response(buf).map_err(|e| e.to_string())? {
            if frame.until_eof || frame.close {
                return Err("the server ended the keep-alive connection".to_owned());
            }
            buf.drain(..frame.end);
            return Ok(frame.status);
        }
        buf.reserve(4096);
        if stream
            .read_buf(buf)
            .await
            .map_err(|e| format!("read: {e}"))?
            == 0
        {
            return Err("the server closed the connection".to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soaks_a_hello_server_and_reads_its_memory() {
        let rt = crate::runtime::build(None).unwrap();
        let report = rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let server = tokio::spawn(crate::hello_server::serve(listener));
            let config = Config {
                port,
                pid: std::process::id(),
                requests: 2000,
                connections: 4,
                samples: 4,
                timeout: Duration::from_secs(5),
            };
            let report = run(&config).await.unwrap();
            server.abort();
            report
        });
        assert_eq!((report.ok, report.errors, report.non_200), (2000, 0, 0));
        assert!(report.samples.len() >= 2, "{report:?}");
        assert_eq!(report.samples.last().unwrap().requests, 2000);
    }
}
