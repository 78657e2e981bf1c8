//! What `cargo xtask bench http` measures (requests) and its table.

use super::runs_table::{self, LoadKind, ServerRun};

/// The load of `bench http`: requests, the failures responses other than
/// 200.
#[derive(Debug, Clone)]
pub(crate) struct Requests;

impl LoadKind for Requests {
    const RATE_KEY: &'static str = "rps";
    const FAILURES_KEY: &'static str = "non_200";
    const RATE: &'static str = "";
    const COLUMNS: [(&'static str, usize); 12] = [
        ("server", 13),
        ("run", 6),
        ("req/s", 10),
        ("p50 us", 9),
        ("p99 us", 9),
        ("CPU %", 7),
        ("req/CPU-s", 11),
        ("RSS MiB", 8),
        ("gen CPU %", 9),
        ("other %", 7),
        ("errors", 7),
        ("non-200", 8),
    ];
}

/// What one server (`bare-hyper` or `craftos-http`) did in one run.
pub(crate) type Measurement = ServerRun<Requests>;

/// The whole table: every run, then the medians per server, then (with two
/// servers) the ratio b/a per run and its median.
pub(crate) fn render(measurements: &[Measurement], servers: &[&str]) -> String {
    runs_table::render(measurements, servers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::runs_table::tests::measurement;

    fn m(server: &str, run: u32, rps: f64, per_cpu_s: f64) -> Measurement {
        measurement(server, run, rps, per_cpu_s)
    }

    #[test]
    fn table_with_ratio() {
        let rows = [m("a", 1, 100.0, 200.0), m("b", 1, 50.0, 100.0)];
        let text = render(&rows, &["a", "b"]);
        assert!(text.contains("run 1: b/a = 0.500 per second, 0.500 per server CPU-second"));
        assert!(
            text.contains("median of the runs): 0.500 per second, 0.500"),
            "{text}"
        );
        let json = serde_json::to_value(&rows[0]).unwrap();
        assert_eq!(
            (json["rps"].as_f64(), json["non_200"].as_u64()),
            (Some(100.0), Some(0))
        );
    }

    #[test]
    fn header_and_lines_line_up() {
        let text = render(&[m("a", 1, 100.0, 200.0)], &["a"]);
        let widths: Vec<usize> = text
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::len)
            .collect();
        assert_eq!(widths.len(), 3, "{text}");
        assert!(widths.iter().all(|&w| w == widths[0]), "{text}");
    }
}
