//! One server's load in one run of a bare-against-runner benchmark (`bench
//! http`, `bench ws`), and the table of them: every run, the medians per
//! server, and the ratio b/a of the last server to each other one, per run
//! and its median.

use std::marker::PhantomData;

use serde::ser::{Serialize, SerializeStruct as _, Serializer};

use super::cells::{row, split, tenths, whole};
use super::cpu::CpuShares;
use super::median::{median, median_known};

/// What a benchmark's load counts (requests, echo round trips): its names
/// in the JSON and the table.
pub(crate) trait LoadKind {
    /// The JSON key of the rate (`rps`).
    const RATE_KEY: &'static str;
    /// The JSON key of the failures besides errors (`non_200`).
    const FAILURES_KEY: &'static str;
    /// What the rate counts, before "per second" in the ratios (`""` for
    /// requests, `"round trips "`).
    const RATE: &'static str;
    /// The table's columns: title and width (the first is left-aligned).
    const COLUMNS: [(&'static str, usize); 12];
}

/// What one server did under the load in one run.
#[derive(Debug, Clone)]
pub(crate) struct ServerRun<K> {
    /// The server's name (its binary's).
    pub server: String,
    /// 1-based run number.
    pub run: u32,
    /// Operations per second in the measured window.
    pub rate: f64,
    /// Median latency, microseconds.
    pub p50_us: f64,
    /// 99th percentile latency, microseconds.
    pub p99_us: f64,
    /// The server's CPU over the whole load (warm-up included), and its
    /// shares of the load's wall time.
    pub cpu: CpuShares,
    /// The server's peak resident memory (`VmHWM`), MiB, if known.
    pub rss_mib: Option<f64>,
    /// Connect, I/O, timeout and framing errors.
    pub errors: u64,
    /// Wrong answers: responses other than 200, replies that were not the
    /// message sent.
    pub failures: u64,
    /// The load generator's first error message.
    pub first_error: Option<String>,
    /// What the load counts.
    pub kind: PhantomData<K>,
}

impl<K: LoadKind> Serialize for ServerRun<K> {
    /// A flat object, the rate and the failures named by `K`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ServerRun", 14)?;
        s.serialize_field("server", &self.server)?;
        s.serialize_field("run", &self.run)?;
        s.serialize_field(K::RATE_KEY, &self.rate)?;
        s.serialize_field("p50_us", &self.p50_us)?;
        s.serialize_field("p99_us", &self.p99_us)?;
        s.serialize_field("cpu_s", &self.cpu.cpu_s)?;
        s.serialize_field("cpu_pct", &self.cpu.cpu_pct)?;
        s.serialize_field("loadgen_cpu_pct", &self.cpu.loadgen_cpu_pct)?;
        s.serialize_field("other_cpu_pct", &self.cpu.other_cpu_pct)?;
        s.serialize_field("per_cpu_s", &self.cpu.per_cpu_s)?;
        s.serialize_field("rss_mib", &self.rss_mib)?;
        s.serialize_field("errors", &self.errors)?;
        s.serialize_field(K::FAILURES_KEY, &self.failures)?;
        s.serialize_field("first_error", &self.first_error)?;
        s.end()
    }
}

impl<K: LoadKind> ServerRun<K> {
    /// The header line of the table.
    fn header() -> String {
        let (titles, widths) = split(K::COLUMNS);
        row(&titles, &widths, true)
    }

    /// The line of this measurement, with `server` and `run` in the first
    /// two cells.
    fn line(&self, server: &str, run: &str) -> String {
        let cells = [
            server.to_owned(),
            run.to_owned(),
            whole(Some(self.rate)),
            whole(Some(self.p50_us)),
            whole(Some(self.p99_us)),
            whole(Some(self.cpu.cpu_pct)),
            whole(Some(self.cpu.per_cpu_s)),
            tenths(self.rss_mib),
            whole(self.cpu.loadgen_cpu_pct),
            whole(self.cpu.other_cpu_pct),
            self.errors.to_string(),
            self.failures.to_string(),
        ];
        row(&cells, &split(K::COLUMNS).1, true)
    }

    /// The median row of one server's measurements (errors and failures
    /// summed).
    fn median(rows: &[&Self]) -> Self {
        let of = |field: fn(&Self) -> f64| median(rows.iter().map(|m| field(m)).collect());
        ServerRun {
            server: rows.first().map(|m| m.server.clone()).unwrap_or_default(),
            run: 0,
            rate: of(|m| m.rate),
            p50_us: of(|m| m.p50_us),
            p99_us: of(|m| m.p99_us),
            cpu: CpuShares::median(rows.iter().map(|m| &m.cpu)),
            rss_mib: median_known(rows.iter().map(|m| m.rss_mib)),
            errors: rows.iter().map(|m| m.errors).sum(),
            failures: rows.iter().map(|m| m.failures).sum(),
            first_error: rows.iter().find_map(|m| m.first_error.clone()),
            kind: PhantomData,
        }
    }
}

/// The whole table of `measurements`, the servers in the order of
/// `servers`; the last is (b), the runner, and its ratios to each of the
/// others (a) follow the medians.
pub(crate) fn render<K: LoadKind>(measurements: &[ServerRun<K>], servers: &[&str]) -> String {
    let mut out = vec![ServerRun::<K>::header()];
    for m in measurements {
        out.push(m.line(&m.server, &m.run.to_string()));
    }
    out.push(String::new());
    for server in servers {
        let rows: Vec<&ServerRun<K>> = measurements
            .iter()
            .filter(|m| m.server == *server)
            .collect();
        if !rows.is_empty() {
            out.push(ServerRun::median(&rows).line(server, "median"));
        }
    }
    // The runner (the last server) against each of the others.
    let Some((b, others)) = servers.split_last() else {
        return out.join("\n");
    };
    for a in others {
        let pairs: Vec<(u32, f64, f64)> = measurements
            .iter()
            .filter(|m| m.server == *a)
            .filter_map(|ma| {
                let mb = measurements
                    .iter()
                    .find(|m| m.server == *b && m.run == ma.run)?;
                Some((
                    ma.run,
                    mb.rate / ma.rate,
                    mb.cpu.per_cpu_s / ma.cpu.per_cpu_s,
                ))
            })
            .collect();
        if !pairs.is_empty() {
            let rate = K::RATE;
            out.push(String::new());
            for (run, per_s, per_cpu) in &pairs {
                out.push(format!(
                    "run {run}: {b}/{a} = {per_s:.3} {rate}per second, {per_cpu:.3} per server \
                     CPU-second"
                ));
            }
            let per_s = median(pairs.iter().map(|p| p.1).collect());
            let per_cpu = median(pairs.iter().map(|p| p.2).collect());
            out.push(format!(
                "ratio b/a ({b}/{a}, median of the runs): {per_s:.3} {rate}per second, \
                 {per_cpu:.3} per server CPU-second"
            ));
        }
    }
    out.join("\n")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[derive(Debug, Clone)]
    struct Hits;

    impl LoadKind for Hits {
        const RATE_KEY: &'static str = "hps";
        const FAILURES_KEY: &'static str = "misses";
        const RATE: &'static str = "hits ";
        const COLUMNS: [(&'static str, usize); 12] = [("x", 4); 12];
    }

    #[test]
    fn json_is_flat_in_field_order() {
        let m = ServerRun::<Hits> {
            server: "a".into(),
            run: 1,
            rate: 2.0,
            p50_us: 3.0,
            p99_us: 4.0,
            cpu: CpuShares {
                cpu_s: 5.0,
                cpu_pct: f64::NAN,
                loadgen_cpu_pct: None,
                other_cpu_pct: Some(6.0),
                per_cpu_s: 7.0,
            },
            rss_mib: None,
            errors: 8,
            failures: 9,
            first_error: None,
            kind: PhantomData,
        };
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"server":"a","run":1,"hps":2.0,"p50_us":3.0,"p99_us":4.0,"cpu_s":5.0,"#.to_owned()
                + r#""cpu_pct":null,"loadgen_cpu_pct":null,"other_cpu_pct":6.0,"per_cpu_s":7.0,"#
                + r#""rss_mib":null,"errors":8,"misses":9,"first_error":null}"#
        );
        let text = render(&[m], &["a"]);
        assert_eq!(text.lines().filter(|l| l.contains("median")).count(), 1);
    }

    /// A measurement of `rate` and `per_cpu_s`, the rest fixed.
    pub(crate) fn measurement<K>(
        server: &str,
        run: u32,
        rate: f64,
        per_cpu_s: f64,
    ) -> ServerRun<K> {
        ServerRun {
            server: server.into(),
            run,
            rate,
            p50_us: 100.0,
            p99_us: 200.0,
            cpu: CpuShares {
                cpu_s: 1.0,
                cpu_pct: 99.0,
                loadgen_cpu_pct: Some(50.0),
                other_cpu_pct: None,
                per_cpu_s,
            },
            rss_mib: Some(4.0),
            errors: 0,
            failures: 0,
            first_error: None,
            kind: PhantomData,
        }
    }

    #[test]
    fn table_with_ratio() {
        let m = measurement::<Hits>;
        let rows = [
            m("a", 1, 100.0, 200.0),
            m("b", 1, 50.0, 100.0),
            m("a", 2, 120.0, 240.0),
            m("b", 2, 90.0, 120.0),
        ];
        let text = render(&rows, &["a", "b"]);
        assert!(text.contains("run 1: b/a = 0.500 hits per second, 0.500 per server CPU-second"));
        assert!(text.contains("run 2: b/a = 0.750 hits per second, 0.500 per server CPU-second"));
        assert!(
            text.contains("median of the runs): 0.625 hits per second, 0.500"),
            "{text}"
        );
        let median_rows = text
            .lines()
            .filter(|l| l.split_whitespace().nth(1) == Some("median"));
        assert_eq!(median_rows.count(), 2);
        assert!(!render(&rows[..1], &["a"]).contains("ratio"));
    }
}
