//! What `cargo xtask bench ws` measures and the tables it prints: the echo
//! load per run and server, the memory per idle client, medians and the
//! ratios b/a.

use serde::Serialize;

use crate::bench::cells::{row, split, tenths, whole};
use crate::bench::median::median;
use crate::bench::runs_table::{self, LoadKind, ServerRun};

/// The echo load of `bench ws`: round trips, the failures replies that
/// were not the message sent.
#[derive(Debug, Clone)]
pub(crate) struct RoundTrips;

impl LoadKind for RoundTrips {
    const RATE_KEY: &'static str = "rtps";
    const FAILURES_KEY: &'static str = "bad_echoes";
    const RATE: &'static str = "round trips ";
    const COLUMNS: [(&'static str, usize); 12] = [
        ("server", 13),
        ("run", 6),
        ("rt/s", 9),
        ("p50 us", 8),
        ("p99 us", 8),
        ("CPU %", 6),
        ("rt/CPU-s", 9),
        ("RSS MiB", 8),
        ("gen CPU %", 9),
        ("other %", 7),
        ("errors", 6),
        ("bad echo", 8),
    ];
}

/// What one server (`bare-ws-echo` or `craftos-http`) did under the echo
/// load in one run.
pub(crate) type EchoMeasurement = ServerRun<RoundTrips>;

/// A server's memory with idle clients, in one run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MemoryMeasurement {
    /// `bare-ws-echo` or `craftos-http`.
    pub server: String,
    /// 1-based run number.
    pub run: u32,
    /// Connections asked for.
    pub clients: u64,
    /// Connections open when the memory was read.
    pub open: u64,
    /// `VmRSS` before the first connection, KiB.
    pub rss_before_kib: u64,
    /// `VmRSS` with the connections open and idle, KiB.
    pub rss_after_kib: u64,
    /// The growth per open connection, bytes.
    pub bytes_per_client: f64,
    /// Connections that failed.
    pub errors: u64,
    /// The first failure's message.
    pub first_error: Option<String>,
}

/// MiB with one decimal from KiB.
fn mib(kib: f64) -> String {
    tenths(Some(kib / 1024.0))
}

/// The echo table: every run, the medians per server, and (with two
/// servers) the ratio b/a per run and its median.
pub(crate) fn render_echo(measurements: &[EchoMeasurement], servers: &[&str]) -> String {
    runs_table::render(measurements, servers)
}

/// The memory table's columns: title and width.
const MEMORY_COLUMNS: [(&str, usize); 7] = [
    ("server", 13),
    ("run", 6),
    ("clients", 7),
    ("RSS before MiB", 14),
    ("RSS after MiB", 13),
    ("bytes/client", 12),
    ("errors", 6),
];

/// One line of the memory table.
fn memory_line(server: &str, run: &str, m: &MemoryMeasurement) -> String {
    let cells = [
        server.to_owned(),
        run.to_owned(),
        m.open.to_string(),
        mib(m.rss_before_kib as f64),
        mib(m.rss_after_kib as f64),
        whole(Some(m.bytes_per_client)),
        m.errors.to_string(),
    ];
    row(&cells, &split(MEMORY_COLUMNS).1, true)
}

/// The median memory row of one server (errors summed).
fn memory_median(rows: &[&MemoryMeasurement]) -> MemoryMeasurement {
    let of = |field: fn(&MemoryMeasurement) -> f64| median(rows.iter().map(|m| field(m)).collect());
    MemoryMeasurement {
        server: rows.first().map(|m| m.server.clone()).unwrap_or_default(),
        run: 0,
        clients: of(|m| m.clients as f64) as u64,
        open: of(|m| m.open as f64) as u64,
        rss_before_kib: of(|m| m.rss_before_kib as f64) as u64,
        rss_after_kib: of(|m| m.rss_after_kib as f64) as u64,
        bytes_per_client: of(|m| m.bytes_per_client),
        errors: rows.iter().map(|m| m.errors).sum(),
        first_error: rows.iter().find_map(|m| m.first_error.clone()),
    }
}

/// The memory table: every run, the medians per server, and the median
/// ratio b/a of bytes per client of the last server to each other one.
pub(crate) fn render_memory(measurements: &[MemoryMeasurement], servers: &[&str]) -> String {
    let (titles, widths) = split(MEMORY_COLUMNS);
    let mut out = vec![row(&titles, &widths, true)];
    for m in measurements {
        out.push(memory_line(&m.server, &m.run.to_string(), m));
    }
    out.push(String::new());
    let mut medians = Vec::new();
    for server in servers {
        let rows: Vec<&MemoryMeasurement> = measurements
            .iter()
            .filter(|m| m.server == *server)
            .collect();
        if !rows.is_empty() {
            let m = memory_median(&rows);
            out.push(memory_line(server, "median", &m));
            medians.push((*server, m.bytes_per_client));
        }
    }
    // The runner (the last server) against each of the others.
    if let Some(((b, per_b), others)) = medians.split_last()
        && !others.is_empty()
    {
        out.push(String::new());
        for (a, per_a) in others {
            out.push(format!(
                "memory per idle client b/a ({b}/{a}, medians): {:.2} ({per_b:.0} / {per_a:.0} \
                 bytes)",
                per_b / per_a
            ));
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::runs_table::tests::measurement;

    fn echo(server: &str, run: u32, rtps: f64, per_cpu_s: f64) -> EchoMeasurement {
        measurement(server, run, rtps, per_cpu_s)
    }

    fn memory(server: &str, run: u32, bytes_per_client: f64) -> MemoryMeasurement {
        MemoryMeasurement {
            server: server.into(),
            run,
            clients: 1000,
            open: 1000,
            rss_before_kib: 4096,
            rss_after_kib: 8192,
            bytes_per_client,
            errors: 0,
            first_error: None,
        }
    }

    #[test]
    fn echo_table_with_ratio() {
        let rows = [echo("a", 1, 100.0, 200.0), echo("b", 1, 50.0, 100.0)];
        let text = render_echo(&rows, &["a", "b"]);
        assert!(text.contains("run 1: b/a = 0.500 round trips per second, 0.500 per"));
        assert!(
            text.contains("median of the runs): 0.500 round trips per second, 0.500"),
            "{text}"
        );
        let json = serde_json::to_value(&rows[0]).unwrap();
        assert_eq!(
            (json["rtps"].as_f64(), json["bad_echoes"].as_u64()),
            (Some(100.0), Some(0))
        );
        let widths: Vec<usize> = text
            .lines()
            .take_while(|l| !l.starts_with("run "))
            .filter(|l| !l.is_empty())
            .map(str::len)
            .collect();
        assert_eq!(widths.len(), 5, "{text}");
        assert!(widths.iter().all(|&w| w == widths[0]), "{text}");
    }

    #[test]
    fn memory_table_with_ratio() {
        let rows = vec![
            memory("a", 1, 4000.0),
            memory("b", 1, 10000.0),
            memory("a", 2, 4200.0),
            memory("b", 2, 11000.0),
        ];
        let text = render_memory(&rows, &["a", "b"]);
        assert!(
            text.contains("(b/a, medians): 2.56 (10500 / 4100 bytes)"),
            "{text}"
        );
        let median_a = ["a", "median", "1000", "4.0", "8.0", "4100", "0"];
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().eq(median_a.iter().copied())),
            "{text}"
        );
        assert!(!render_memory(&rows[..1], &["a"]).contains("b/a"));
    }
}
