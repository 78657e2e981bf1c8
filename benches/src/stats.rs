//! Latency percentiles and the report the load generator prints.

use serde::{Deserialize, Serialize};

/// Counts of what went wrong, per connection and in total.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Errors {
    /// Connects that failed or timed out.
    pub connect: u64,
    /// Reads or writes that failed, or the server closing mid-response.
    pub io: u64,
    /// Requests with no full response within the request timeout.
    pub timeout: u64,
    /// Responses that are not HTTP/1.x.
    pub bad_response: u64,
    /// The first error seen, for the human reading the report.
    pub first: Option<String>,
}

impl Errors {
    /// All errors.
    pub fn total(&self) -> u64 {
        self.connect + self.io + self.timeout + self.bad_response
    }

    /// Adds `other`'s counts to these, keeping the first message seen.
    pub fn merge(&mut self, other: Errors) {
        self.connect += other.connect;
        self.io += other.io;
        self.timeout += other.timeout;
        self.bad_response += other.bad_response;
        if self.first.is_none() {
            self.first = other.first;
        }
    }

    /// Keeps `message` if it is the first error.
    pub fn note(&mut self, message: impl FnOnce() -> String) {
        if self.first.is_none() {
            self.first = Some(message());
        }
    }
}

/// The result of one load-generator run: one JSON line on stdout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The server's port on 127.0.0.1 (the first, with several).
    pub port: u16,
    /// Consecutive ports from `port` the connections were spread over.
    #[serde(default = "one_port")]
    pub ports: u16,
    /// Keep-alive connections, each with one request in flight.
    pub connections: usize,
    /// The warm-up before measuring, in seconds.
    pub warmup_s: f64,
    /// The measured window, in seconds.
    pub duration_s: f64,
    /// Responses completed inside the measured window.
    pub requests: u64,
    /// `requests / duration_s`.
    pub rps: f64,
    /// Responses with a status other than 200, inside the window.
    pub non_200: u64,
    /// Errors over the whole run (warm-up included).
    pub errors: u64,
    /// The errors by kind.
    pub error_detail: Errors,
    /// Responses completed over the whole run (warm-up and the requests in
    /// flight at the end included): the work the server did between the
    /// first connect and the last response, for requests per CPU-second.
    pub total_requests: u64,
    /// Seconds from the first connect to the last response.
    pub total_s: f64,
    /// Latency percentiles over the measured window, in microseconds.
    pub latency_us: Percentiles,
    /// CPU seconds (user + system) the load generator itself used over the
    /// whole run, if known: near `total_s` per thread, it was the bottleneck.
    pub client_cpu_s: Option<f64>,
    /// Open-loop: the requests per second asked for (latency then counts
    /// from each request's intended send time); `None` for closed-loop.
    #[serde(default)]
    pub rate: Option<f64>,
}

/// [`Report::ports`] of a report that does not say: one.
fn one_port() -> u16 {
    1
}

/// Latency percentiles in microseconds (0 when nothing was measured).
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

impl Percentiles {
    /// Nearest-rank percentiles of latencies given in nanoseconds; sorts
    /// `samples` in place.
    pub fn from_nanos(samples: &mut [u64]) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        samples.sort_unstable();
        let us = |ns: u64| ns as f64 / 1000.0;
        let sum: u128 = samples.iter().map(|&ns| u128::from(ns)).sum();
        Self {
            mean: sum as f64 / samples.len() as f64 / 1000.0,
            p50: us(nearest_rank(samples, 50.0)),
            p90: us(nearest_rank(samples, 90.0)),
            p99: us(nearest_rank(samples, 99.0)),
            p999: us(nearest_rank(samples, 99.9)),
            max: us(samples[samples.len() - 1]),
        }
    }
}

/// The nearest-rank `pct` percentile of sorted, non-empty `sorted`.
fn nearest_rank(sorted: &[u64], pct: f64) -> u64 {
    let rank = (pct / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

impl Report {
    /// One line for a human.
    pub fn human(&self) -> String {
        let over = if self.ports > 1 {
            format!(" over {} ports", self.ports)
        } else {
            String::new()
        };
        let open = match self.rate {
            Some(rate) => format!(" (open-loop at {rate:.0} req/s)"),
            None => String::new(),
        };
        let mut line = format!(
            "{:.0} req/s{open} over {:.1} s, {} connections{over}; latency p50 {:.0} us, p99 \
             {:.0} us, p99.9 {:.0} us, max {:.0} us; {} errors, {} non-200",
            self.rps,
            self.duration_s,
            self.connections,
            self.latency_us.p50,
            self.latency_us.p99,
            self.latency_us.p999,
            self.latency_us.max,
            self.errors,
            self.non_200,
        );
        if let Some(cpu) = self.client_cpu_s {
            line.push_str(&format!("; loadgen CPU {cpu:.2} s"));
        }
        if let Some(first) = &self.error_detail.first {
            line.push_str(&format!(" (first error: {first})"));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_nearest_rank() {
        let mut ns: Vec<u64> = (1..=100).rev().map(|i| i * 1000).collect();
        let p = Percentiles::from_nanos(&mut ns);
        assert_eq!(p.p50, 50.0);
        assert_eq!(p.p90, 90.0);
        assert_eq!(p.p99, 99.0);
        assert_eq!(p.p999, 100.0);
        assert_eq!(p.max, 100.0);
        assert_eq!(p.mean, 50.5);
    }

    #[test]
    fn percentiles_of_one_and_none() {
        assert_eq!(Percentiles::from_nanos(&mut [7000]).p50, 7.0);
        assert_eq!(Percentiles::from_nanos(&mut []), Percentiles::default());
    }

    #[test]
    fn errors_merge_keeps_first_message() {
        let mut a = Errors {
            io: 1,
            ..Errors::default()
        };
        a.note(|| "first".into());
        let mut b = Errors {
            timeout: 2,
            ..Errors::default()
        };
        b.note(|| "second".into());
        a.merge(b);
        assert_eq!(a.total(), 3);
        assert_eq!(a.first.as_deref(), Some("first"));
    }
}
