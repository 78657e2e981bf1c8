//! The open-loop part of `cargo xtask bench http`: every server loaded at
//! the same fixed request rate (a fraction of the bare server's saturation
//! rate, measured in the same run), latency counted from each request's
//! intended send time (`loadgen --rate`); p50, p99 and p99.9 compared.

use serde::Serialize;

use super::cells::{row, split, whole};
use super::median::median;

/// The table's columns: title and width (the first is left-aligned).
const COLUMNS: [(&str, usize); 10] = [
    ("server", 13),
    ("run", 6),
    ("asked/s", 9),
    ("req/s", 9),
    ("p50 us", 8),
    ("p99 us", 8),
    ("p99.9 us", 9),
    ("max us", 8),
    ("CPU %", 6),
    ("errors", 7),
];

/// What one server did at the fixed rate in one run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OpenMeasurement {
    /// The server's name.
    pub server: String,
    /// 1-based run number.
    pub run: u32,
    /// The rate asked for, requests per second.
    pub asked_rps: f64,
    /// Responses per second completed in the measured window.
    pub rps: f64,
    /// Latency percentiles from the intended send times, microseconds.
    pub p50_us: f64,
    /// The 99th percentile.
    pub p99_us: f64,
    /// The 99.9th percentile.
    pub p999_us: f64,
    /// The longest.
    pub max_us: f64,
    /// The server's CPU over the load's wall time (100: one core).
    pub cpu_pct: f64,
    /// Errors and responses other than 200.
    pub errors: u64,
}

impl OpenMeasurement {
    fn line(&self, server: &str, run: &str) -> String {
        let cells = [
            server.to_owned(),
            run.to_owned(),
            whole(Some(self.asked_rps)),
            whole(Some(self.rps)),
            whole(Some(self.p50_us)),
            whole(Some(self.p99_us)),
            whole(Some(self.p999_us)),
            whole(Some(self.max_us)),
            whole(Some(self.cpu_pct)),
            self.errors.to_string(),
        ];
        row(&cells, &split(COLUMNS).1, true)
    }

    fn median(rows: &[&Self]) -> Self {
        let of = |field: fn(&Self) -> f64| median(rows.iter().map(|m| field(m)).collect());
        Self {
            server: rows.first().map(|m| m.server.clone()).unwrap_or_default(),
            run: 0,
            asked_rps: of(|m| m.asked_rps),
            rps: of(|m| m.rps),
            p50_us: of(|m| m.p50_us),
            p99_us: of(|m| m.p99_us),
            p999_us: of(|m| m.p999_us),
            max_us: of(|m| m.max_us),
            cpu_pct: of(|m| m.cpu_pct),
            errors: rows.iter().map(|m| m.errors).sum(),
        }
    }
}

/// The rate of the open-loop load: `fraction` of the median rate of
/// `baseline` (the bare server's saturation, or the first server's).
pub(crate) fn rate(fraction: f64, baseline: &[f64]) -> Option<f64> {
    let saturation = median(baseline.to_vec());
    (fraction > 0.0 && saturation.is_finite() && saturation >= 1.0)
        .then(|| (fraction * saturation).max(1.0))
}

/// Every run, the medians per server in the order of `servers`, and the
/// last server's (the runner's) latency over each other one's.
pub(crate) fn render(measurements: &[OpenMeasurement], servers: &[&str]) -> String {
    let (titles, widths) = split(COLUMNS);
    let mut out = vec![row(&titles, &widths, true)];
    for m in measurements {
        out.push(m.line(&m.server, &m.run.to_string()));
    }
    out.push(String::new());
    let mut medians = Vec::new();
    for server in servers {
        let rows: Vec<&OpenMeasurement> = measurements
            .iter()
            .filter(|m| m.server == *server)
            .collect();
        if !rows.is_empty() {
            let m = OpenMeasurement::median(&rows);
            out.push(m.line(server, "median"));
            medians.push(m);
        }
    }
    if let Some((b, others)) = medians.split_last()
        && !others.is_empty()
    {
        out.push(String::new());
        for a in others {
            out.push(format!(
                "latency {}/{} (medians): p50 {:.2}, p99 {:.2}, p99.9 {:.2}",
                b.server,
                a.server,
                b.p50_us / a.p50_us,
                b.p99_us / a.p99_us,
                b.p999_us / a.p999_us
            ));
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(server: &str, run: u32, p99: f64) -> OpenMeasurement {
        OpenMeasurement {
            server: server.into(),
            run,
            asked_rps: 1000.0,
            rps: 999.0,
            p50_us: p99 / 2.0,
            p99_us: p99,
            p999_us: p99 * 2.0,
            max_us: p99 * 3.0,
            cpu_pct: 50.0,
            errors: 0,
        }
    }

    #[test]
    fn half_the_median_saturation() {
        assert_eq!(rate(0.5, &[100.0, 300.0, 200.0]), Some(100.0));
        assert_eq!(rate(0.0, &[100.0]), None);
        assert_eq!(rate(0.5, &[]), None);
    }

    #[test]
    fn table_with_latency_ratios() {
        let rows = [
            m("a", 1, 100.0),
            m("b", 1, 150.0),
            m("a", 2, 100.0),
            m("b", 2, 250.0),
        ];
        let text = render(&rows, &["a", "b"]);
        assert!(
            text.contains("latency b/a (medians): p50 2.00, p99 2.00, p99.9 2.00"),
            "{text}"
        );
        let widths: Vec<usize> = text
            .lines()
            .take_while(|l| !l.is_empty())
            .map(str::len)
            .collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{text}");
        assert!(!render(&rows[..1], &["a"]).contains("latency"));
    }
}
