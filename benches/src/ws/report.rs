//! What `ws-loadgen` prints: one JSON line on stdout per run (read by
//! `cargo xtask bench ws`), and one line for humans on stderr.

use serde::{Deserialize, Serialize};

use crate::stats::{Errors, Percentiles};

/// The result of an echo run ([`super::echo`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EchoReport {
    /// The server's port on 127.0.0.1.
    pub port: u16,
    /// Connections, each with one message in flight.
    pub connections: usize,
    /// Bytes of each message.
    pub message_bytes: usize,
    /// The warm-up before measuring, in seconds.
    pub warmup_s: f64,
    /// The measured window, in seconds.
    pub duration_s: f64,
    /// Round trips completed inside the measured window.
    pub round_trips: u64,
    /// `round_trips / duration_s`.
    pub rtps: f64,
    /// Replies that were not the message sent (another payload, opcode or
    /// a fragment), at any time.
    pub bad_echoes: u64,
    /// Errors over the whole run (warm-up included).
    pub errors: u64,
    /// The errors by kind (`bad_response`: refused handshakes and frames
    /// this client does not accept).
    pub error_detail: Errors,
    /// Round trips completed over the whole run (warm-up included), for
    /// round trips per server CPU-second.
    pub total_round_trips: u64,
    /// Seconds from the first connect to the last reply.
    pub total_s: f64,
    /// Latency percentiles over the measured window, in microseconds.
    pub latency_us: Percentiles,
    /// CPU seconds the load generator itself used, if known.
    pub client_cpu_s: Option<f64>,
}

impl EchoReport {
    /// One line for a human.
    pub fn human(&self) -> String {
        let mut line = format!(
            "{:.0} round trips/s over {:.1} s, {} connections, {}-byte messages; latency \
             p50 {:.0} us, p99 {:.0} us, max {:.0} us; {} errors, {} bad echoes",
            self.rtps,
            self.duration_s,
            self.connections,
            self.message_bytes,
            self.latency_us.p50,
            self.latency_us.p99,
            self.latency_us.max,
            self.errors,
            self.bad_echoes,
        );
        if let Some(cpu) = self.client_cpu_s {
            line.push_str(&format!("; ws-loadgen CPU {cpu:.2} s"));
        }
        if let Some(first) = &self.error_detail.first {
            line.push_str(&format!(" (first error: {first})"));
        }
        line
    }
}

/// The result of an idle run ([`super::idle`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdleReport {
    /// The server's port on 127.0.0.1.
    pub port: u16,
    /// The server's process id whose memory was read.
    pub pid: u32,
    /// Connections asked for.
    pub clients: usize,
    /// Connections open (handshake done, one echo answered) when the
    /// memory was read.
    pub open: usize,
    /// The server's `VmRSS` before the first connection, KiB.
    pub rss_before_kib: u64,
    /// The server's `VmRSS` with the `open` connections idle, KiB.
    pub rss_after_kib: u64,
    /// `(rss_after_kib - rss_before_kib) * 1024 / open`.
    pub bytes_per_client: f64,
    /// Connections that failed.
    pub errors: u64,
    /// The errors by kind.
    pub error_detail: Errors,
}

impl IdleReport {
    /// One line for a human.
    pub fn human(&self) -> String {
        let mut line = format!(
            "{} of {} idle connections: server VmRSS {} KiB -> {} KiB, {:.0} bytes per client; \
             {} errors",
            self.open,
            self.clients,
            self.rss_before_kib,
            self.rss_after_kib,
            self.bytes_per_client,
            self.errors,
        );
        if let Some(first) = &self.error_detail.first {
            line.push_str(&format!(" (first error: {first})"));
        }
        line
    }
}
