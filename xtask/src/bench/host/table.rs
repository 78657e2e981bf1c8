//! One host size's measurement in one run, medians, and the printed table.

use serde::Serialize;

use crate::bench::cells::{row, split};
use crate::bench::median::median;

/// What a host of `computers` computers did in one run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HostMeasurement {
    /// Computers on the host, each serving its own port.
    pub computers: u32,
    /// 1-based run number.
    pub run: u32,
    /// Keep-alive connections of the load, spread over the ports.
    pub connections: u32,
    /// Requests per second in the measured window, all computers together.
    pub rps: f64,
    /// Median latency, microseconds.
    pub p50_us: f64,
    /// 99th percentile latency, microseconds.
    pub p99_us: f64,
    /// The host's CPU over the load's wall time, in percent of one core.
    pub cpu_pct: f64,
    /// Requests answered per host CPU-second (all responses of the load,
    /// warm-up included).
    pub per_cpu_s: f64,
    /// The load generator's own CPU over the load's wall time, in percent
    /// of one core (near 100: it, not the host, was the limit).
    pub loadgen_cpu_pct: Option<f64>,
    /// CPU neither used, in percent of one core (other processes).
    pub other_cpu_pct: Option<f64>,
    /// Seconds from starting the host to every port listening.
    pub boot_s: f64,
    /// `VmRSS` after boot, before any load, KiB.
    pub rss_kib: u64,
    /// Peak resident memory (`VmHWM`) after the load, KiB.
    pub peak_rss_kib: Option<u64>,
    /// Connect, I/O, timeout and framing errors.
    pub errors: u64,
    /// Responses other than 200.
    pub non_200: u64,
    /// The load generator's first error message.
    pub first_error: Option<String>,
}

/// The columns: title and width.
const COLUMNS: [(&str, usize); 14] = [
    ("computers", 9),
    ("conns", 6),
    ("req/s", 9),
    ("p50 us", 8),
    ("p99 us", 8),
    ("CPU %", 6),
    ("req/CPU-s", 10),
    ("boot s", 7),
    ("RSS MiB", 8),
    ("KiB/comp", 9),
    ("+KiB/added", 10),
    ("peak MiB", 9),
    ("errors", 7),
    ("non-200", 8),
];

/// `value` with `decimals`, or `-` when not a number.
fn number(value: f64, decimals: usize) -> String {
    if value.is_finite() {
        format!("{value:.decimals$}")
    } else {
        "-".to_owned()
    }
}

/// The table: one row per host size, medians over the runs. `empty` is the
/// `VmRSS` (KiB) of the host with no computer, per run. `KiB/comp` is the
/// growth over the empty host per computer; `+KiB/added` the growth over
/// the previous size (the empty host for the first) per computer added.
pub(crate) fn render(measurements: &[HostMeasurement], empty: &[u64]) -> String {
    let mut sizes: Vec<u32> = measurements.iter().map(|m| m.computers).collect();
    sizes.sort_unstable();
    sizes.dedup();
    let empty_kib = median(empty.iter().map(|&kib| kib as f64).collect());
    let (titles, widths) = split(COLUMNS);
    let mut lines = vec![row(&titles, &widths, false)];
    let (mut previous_n, mut previous_kib) = (0u32, empty_kib);
    for n in sizes {
        let rows: Vec<&HostMeasurement> =
            measurements.iter().filter(|m| m.computers == n).collect();
        let of =
            |field: fn(&HostMeasurement) -> f64| median(rows.iter().map(|m| field(m)).collect());
        let kib = of(|m| m.rss_kib as f64);
        let per_computer = (kib - empty_kib) / f64::from(n);
        let per_added = (kib - previous_kib) / f64::from(n - previous_n);
        let peak = of(|m| m.peak_rss_kib.map_or(f64::NAN, |kib| kib as f64));
        lines.push(row(
            &[
                n.to_string(),
                rows.first().map_or(0, |m| m.connections).to_string(),
                number(of(|m| m.rps), 0),
                number(of(|m| m.p50_us), 0),
                number(of(|m| m.p99_us), 0),
                number(of(|m| m.cpu_pct), 0),
                number(of(|m| m.per_cpu_s), 0),
                number(of(|m| m.boot_s), 2),
                number(kib / 1024.0, 1),
                number(per_computer, 0),
                number(per_added, 0),
                number(peak / 1024.0, 1),
                rows.iter().map(|m| m.errors).sum::<u64>().to_string(),
                rows.iter().map(|m| m.non_200).sum::<u64>().to_string(),
            ],
            &widths,
            false,
        ));
        (previous_n, previous_kib) = (n, kib);
    }
    lines.push(format!(
        "(empty host: {} MiB; req/s, latencies and memory are medians over {} run(s))",
        number(empty_kib / 1024.0, 1),
        empty.len()
    ));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(computers: u32, run: u32, rss_kib: u64) -> HostMeasurement {
        HostMeasurement {
            computers,
            run,
            connections: computers.max(50),
            rps: 1000.0 * f64::from(run),
            p50_us: 100.0,
            p99_us: 900.0,
            cpu_pct: 99.0,
            per_cpu_s: 5000.0,
            loadgen_cpu_pct: Some(60.0),
            other_cpu_pct: Some(1.0),
            boot_s: 0.5,
            rss_kib,
            peak_rss_kib: Some(rss_kib + 1024),
            errors: 0,
            non_200: u64::from(run - 1),
            first_error: None,
        }
    }

    #[test]
    fn memory_per_computer_and_per_added_computer() {
        // Empty host 10 MiB; 10 computers +1000 KiB; 100 computers +10000.
        let rows = [m(10, 1, 11_240), m(100, 1, 20_240)];
        let table = render(&rows, &[10_240]);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("computers"), "{table}");
        let cells = |line: &str| {
            line.split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let ten = cells(lines[1]);
        assert_eq!((ten[0].as_str(), ten[1].as_str()), ("10", "50"));
        assert_eq!((ten[9].as_str(), ten[10].as_str()), ("100", "100"));
        let hundred = cells(lines[2]);
        assert_eq!((hundred[9].as_str(), hundred[10].as_str()), ("100", "100"));
        assert!(lines[3].contains("empty host: 10.0 MiB"), "{table}");
    }

    #[test]
    fn medians_over_runs_and_summed_failures() {
        let rows = [m(1, 1, 2048), m(1, 2, 4096), m(1, 3, 3072)];
        let table = render(&rows, &[1024, 1024, 1024]);
        let cells: Vec<&str> = table.lines().nth(1).unwrap().split_whitespace().collect();
        assert_eq!(cells[2], "2000", "median req/s: {table}");
        assert_eq!(cells[6], "5000", "req/CPU-s: {table}");
        assert_eq!(cells[8], "3.0", "median RSS: {table}");
        assert_eq!(cells[13], "3", "non-200 summed: {table}");
    }
}
