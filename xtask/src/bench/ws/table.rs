//! What `cargo xtask bench ws` measures and the tables it prints: the echo
//! load per run and server, the memory per idle client, medians and the
//! ratios b/a.

use serde::Serialize;

use crate::bench::table::median;

/// What one server did under the echo load in one run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EchoMeasurement {
    /// `bare-ws-echo` or `craftos-http`.
    pub server: String,
    /// 1-based run number.
    pub run: u32,
    /// Round trips per second in the measured window.
    pub rtps: f64,
    /// Median round-trip latency, microseconds.
    pub p50_us: f64,
    /// 99th percentile round-trip latency, microseconds.
    pub p99_us: f64,
    /// Server CPU seconds over the whole load (warm-up included).
    pub cpu_s: f64,
    /// `cpu_s` over the load's wall time, in percent of one core.
    pub cpu_pct: f64,
    /// The load generator's own CPU, in percent of one core.
    pub loadgen_cpu_pct: Option<f64>,
    /// CPU used by other processes meanwhile, in percent of one core.
    pub other_cpu_pct: Option<f64>,
    /// Round trips (warm-up included) per server CPU-second.
    pub per_cpu_s: f64,
    /// The server's peak resident memory (`VmHWM`), MiB, if known.
    pub rss_mib: Option<f64>,
    /// Connect, I/O, timeout and framing errors.
    pub errors: u64,
    /// Replies that were not the message sent.
    pub bad_echoes: u64,
    /// The load generator's first error message.
    pub first_error: Option<String>,
}

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

/// Cells padded to `widths` (the first left-aligned, the rest right).
fn row(cells: &[String], widths: &[usize]) -> String {
    let padded: Vec<String> = cells
        .iter()
        .zip(widths)
        .enumerate()
        .map(|(i, (cell, &width))| {
            if i == 0 {
                format!("{cell:<width$}")
            } else {
                format!("{cell:>width$}")
            }
        })
        .collect();
    padded.join(" ")
}

/// A number with no decimals, or `-` when unknown.
fn whole(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"))
}

/// MiB with one decimal from KiB.
fn mib(kib: f64) -> String {
    format!("{:.1}", kib / 1024.0)
}

/// The median of the known values, if any.
fn median_known(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let known: Vec<f64> = values.flatten().collect();
    (!known.is_empty()).then(|| median(known))
}

/// The echo table's columns: title and width.
const ECHO_COLUMNS: [(&str, usize); 12] = [
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

/// One line of the echo table.
fn echo_line(server: &str, run: &str, m: &EchoMeasurement) -> String {
    let cells = [
        server.to_owned(),
        run.to_owned(),
        whole(Some(m.rtps)),
        whole(Some(m.p50_us)),
        whole(Some(m.p99_us)),
        whole(Some(m.cpu_pct)),
        whole(Some(m.per_cpu_s)),
        m.rss_mib
            .map_or_else(|| "-".to_owned(), |mib| format!("{mib:.1}")),
        whole(m.loadgen_cpu_pct),
        whole(m.other_cpu_pct),
        m.errors.to_string(),
        m.bad_echoes.to_string(),
    ];
    row(&cells, &ECHO_COLUMNS.map(|(_, w)| w))
}

/// The median echo row of one server (errors summed).
pub(crate) fn echo_median(rows: &[&EchoMeasurement]) -> EchoMeasurement {
    let of = |field: fn(&EchoMeasurement) -> f64| median(rows.iter().map(|m| field(m)).collect());
    EchoMeasurement {
        server: rows.first().map(|m| m.server.clone()).unwrap_or_default(),
        run: 0,
        rtps: of(|m| m.rtps),
        p50_us: of(|m| m.p50_us),
        p99_us: of(|m| m.p99_us),
        cpu_s: of(|m| m.cpu_s),
        cpu_pct: of(|m| m.cpu_pct),
        loadgen_cpu_pct: median_known(rows.iter().map(|m| m.loadgen_cpu_pct)),
        other_cpu_pct: median_known(rows.iter().map(|m| m.other_cpu_pct)),
        per_cpu_s: of(|m| m.per_cpu_s),
        rss_mib: median_known(rows.iter().map(|m| m.rss_mib)),
        errors: rows.iter().map(|m| m.errors).sum(),
        bad_echoes: rows.iter().map(|m| m.bad_echoes).sum(),
        first_error: rows.iter().find_map(|m| m.first_error.clone()),
    }
}

/// The echo table: every run, the medians per server, and (with two
/// servers) the ratio b/a per run and its median.
pub(crate) fn render_echo(measurements: &[EchoMeasurement], servers: &[&str]) -> String {
    let mut out = vec![row(
        &ECHO_COLUMNS.map(|(title, _)| title.to_owned()),
        &ECHO_COLUMNS.map(|(_, w)| w),
    )];
    for m in measurements {
        out.push(echo_line(&m.server, &m.run.to_string(), m));
    }
    out.push(String::new());
    for server in servers {
        let rows: Vec<&EchoMeasurement> = measurements
            .iter()
            .filter(|m| m.server == *server)
            .collect();
        if !rows.is_empty() {
            out.push(echo_line(server, "median", &echo_median(&rows)));
        }
    }
    if let [a, b] = servers {
        let pairs: Vec<(u32, f64, f64)> = measurements
            .iter()
            .filter(|m| m.server == *a)
            .filter_map(|ma| {
                let mb = measurements
                    .iter()
                    .find(|m| m.server == *b && m.run == ma.run)?;
                Some((ma.run, mb.rtps / ma.rtps, mb.per_cpu_s / ma.per_cpu_s))
            })
            .collect();
        if !pairs.is_empty() {
            out.push(String::new());
            for (run, per_s, per_cpu) in &pairs {
                out.push(format!(
                    "run {run}: {b}/{a} = {per_s:.3} round trips per second, {per_cpu:.3} per \
                     server CPU-second"
                ));
            }
            let per_s = median(pairs.iter().map(|p| p.1).collect());
            let per_cpu = median(pairs.iter().map(|p| p.2).collect());
            out.push(format!(
                "ratio b/a ({b}/{a}, median of the runs): {per_s:.3} round trips per second, \
                 {per_cpu:.3} per server CPU-second"
            ));
        }
    }
    out.join("\n")
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
    row(&cells, &MEMORY_COLUMNS.map(|(_, w)| w))
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

/// The memory table: every run, the medians per server, and (with two
/// servers) the median ratio b/a of bytes per client.
pub(crate) fn render_memory(measurements: &[MemoryMeasurement], servers: &[&str]) -> String {
    let mut out = vec![row(
        &MEMORY_COLUMNS.map(|(title, _)| title.to_owned()),
        &MEMORY_COLUMNS.map(|(_, w)| w),
    )];
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
            medians.push(m.bytes_per_client);
        }
    }
    if let ([a, b], [per_a, per_b]) = (servers, medians.as_slice()) {
        out.push(String::new());
        out.push(format!(
            "memory per idle client b/a ({b}/{a}, medians): {:.2} ({per_b:.0} / {per_a:.0} bytes)",
            per_b / per_a
        ));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(server: &str, run: u32, rtps: f64, per_cpu_s: f64) -> EchoMeasurement {
        EchoMeasurement {
            server: server.into(),
            run,
            rtps,
            p50_us: 100.0,
            p99_us: 200.0,
            cpu_s: 1.0,
            cpu_pct: 99.0,
            loadgen_cpu_pct: Some(50.0),
            other_cpu_pct: None,
            per_cpu_s,
            rss_mib: Some(4.0),
            errors: 0,
            bad_echoes: 0,
            first_error: None,
        }
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
        let rows = vec![
            echo("a", 1, 100.0, 200.0),
            echo("b", 1, 50.0, 100.0),
            echo("a", 2, 120.0, 240.0),
            echo("b", 2, 90.0, 120.0),
        ];
        let text = render_echo(&rows, &["a", "b"]);
        assert!(text.contains("run 1: b/a = 0.500 round trips per second, 0.500 per"));
        assert!(
            text.contains("median of the runs): 0.625 round trips per second, 0.500"),
            "{text}"
        );
        let widths: Vec<usize> = text
            .lines()
            .take_while(|l| !l.starts_with("run "))
            .filter(|l| !l.is_empty())
            .map(str::len)
            .collect();
        assert_eq!(widths.len(), 7, "{text}");
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
