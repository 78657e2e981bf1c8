//! One server's measurement in one run, medians, and the printed table.

use serde::Serialize;

/// What one server did in one run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Measurement {
    /// `bare-hyper` or `craftos-http`.
    pub server: String,
    /// 1-based run number.
    pub run: u32,
    /// Requests per second in the measured window.
    pub rps: f64,
    /// Median latency, microseconds.
    pub p50_us: f64,
    /// 99th percentile latency, microseconds.
    pub p99_us: f64,
    /// Server CPU seconds (user + system) over the whole load (warm-up
    /// included).
    pub cpu_s: f64,
    /// `cpu_s` over the load's wall time, in percent of one core.
    pub cpu_pct: f64,
    /// The load generator's own CPU over the load's wall time, in percent
    /// of one core (near 100: it, not the server, was the limit).
    pub loadgen_cpu_pct: Option<f64>,
    /// CPU that neither the server nor the load generator used, over the
    /// load's wall time, in percent of one core (other processes: a
    /// disturbed measurement when high).
    pub other_cpu_pct: Option<f64>,
    /// Requests answered per server CPU-second (all responses of the load,
    /// warm-up included, over `cpu_s`).
    pub per_cpu_s: f64,
    /// Peak resident memory, MiB, if known.
    pub rss_mib: Option<f64>,
    /// Connect, I/O, timeout and framing errors.
    pub errors: u64,
    /// Responses other than 200.
    pub non_200: u64,
    /// The load generator's first error message.
    pub first_error: Option<String>,
}

/// The median of `values` (the mean of the middle two for an even count);
/// NaN for none.
pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

/// The median of `field` over `rows`.
fn median_of(rows: &[&Measurement], field: impl Fn(&Measurement) -> f64) -> f64 {
    median(rows.iter().map(|m| field(m)).collect())
}

/// The columns: title and width (the first is left-aligned).
const COLUMNS: [(&str, usize); 12] = [
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

/// Cells padded to the column widths.
fn row(cells: [String; 12]) -> String {
    let padded: Vec<String> = cells
        .iter()
        .zip(COLUMNS)
        .enumerate()
        .map(|(i, (cell, (_, width)))| {
            if i == 0 {
                format!("{cell:<width$}")
            } else {
                format!("{cell:>width$}")
            }
        })
        .collect();
    padded.join(" ")
}

/// The header line of the table.
fn header() -> String {
    row(COLUMNS.map(|(title, _)| title.to_owned()))
}

/// A number with no decimals, or `-` when unknown.
fn whole(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"))
}

/// One line of the table.
fn line(server: &str, run: &str, m: &Measurement) -> String {
    row([
        server.to_owned(),
        run.to_owned(),
        whole(Some(m.rps)),
        whole(Some(m.p50_us)),
        whole(Some(m.p99_us)),
        whole(Some(m.cpu_pct)),
        whole(Some(m.per_cpu_s)),
        m.rss_mib
            .map_or_else(|| "-".to_owned(), |mib| format!("{mib:.1}")),
        whole(m.loadgen_cpu_pct),
        whole(m.other_cpu_pct),
        m.errors.to_string(),
        m.non_200.to_string(),
    ])
}

/// The median row of one server's measurements (errors are summed).
pub(crate) fn median_row(rows: &[&Measurement]) -> Measurement {
    let rss: Vec<f64> = rows.iter().filter_map(|m| m.rss_mib).collect();
    let gen_cpu: Vec<f64> = rows.iter().filter_map(|m| m.loadgen_cpu_pct).collect();
    let other_cpu: Vec<f64> = rows.iter().filter_map(|m| m.other_cpu_pct).collect();
    Measurement {
        server: rows.first().map(|m| m.server.clone()).unwrap_or_default(),
        run: 0,
        rps: median_of(rows, |m| m.rps),
        p50_us: median_of(rows, |m| m.p50_us),
        p99_us: median_of(rows, |m| m.p99_us),
        cpu_s: median_of(rows, |m| m.cpu_s),
        cpu_pct: median_of(rows, |m| m.cpu_pct),
        loadgen_cpu_pct: (!gen_cpu.is_empty()).then(|| median(gen_cpu)),
        other_cpu_pct: (!other_cpu.is_empty()).then(|| median(other_cpu)),
        per_cpu_s: median_of(rows, |m| m.per_cpu_s),
        rss_mib: (!rss.is_empty()).then(|| median(rss)),
        errors: rows.iter().map(|m| m.errors).sum(),
        non_200: rows.iter().map(|m| m.non_200).sum(),
        first_error: rows.iter().find_map(|m| m.first_error.clone()),
    }
}

/// The ratio b/a for one run: (per second, per server CPU-second).
pub(crate) fn ratio(a: &Measurement, b: &Measurement) -> (f64, f64) {
    (b.rps / a.rps, b.per_cpu_s / a.per_cpu_s)
}

/// The whole table: every run, then the medians per server, then (with two
/// servers) the ratio b/a per run and its median.
pub(crate) fn render(measurements: &[Measurement], servers: &[&str]) -> String {
    let mut out = vec![header()];
    for m in measurements {
        out.push(line(&m.server, &m.run.to_string(), m));
    }
    out.push(String::new());
    for server in servers {
        let rows: Vec<&Measurement> = measurements
            .iter()
            .filter(|m| m.server == *server)
            .collect();
        if !rows.is_empty() {
            out.push(line(server, "median", &median_row(&rows)));
        }
    }
    if let [a, b] = servers {
        let pairs: Vec<(u32, (f64, f64))> = measurements
            .iter()
            .filter(|m| m.server == *a)
            .filter_map(|ma| {
                let mb = measurements
                    .iter()
                    .find(|m| m.server == *b && m.run == ma.run)?;
                Some((ma.run, ratio(ma, mb)))
            })
            .collect();
        if !pairs.is_empty() {
            out.push(String::new());
            for (run, (per_s, per_cpu)) in &pairs {
                out.push(format!(
                    "run {run}: {b}/{a} = {per_s:.3} per second, {per_cpu:.3} per server CPU-second"
                ));
            }
            let per_s = median(pairs.iter().map(|(_, (r, _))| *r).collect());
            let per_cpu = median(pairs.iter().map(|(_, (_, r))| *r).collect());
            out.push(format!(
                "ratio b/a ({b}/{a}, median of the runs): {per_s:.3} per second, \
                 {per_cpu:.3} per server CPU-second"
            ));
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(server: &str, run: u32, rps: f64, per_cpu_s: f64) -> Measurement {
        Measurement {
            server: server.into(),
            run,
            rps,
            p50_us: 100.0,
            p99_us: 200.0,
            cpu_s: 1.0,
            cpu_pct: 99.0,
            loadgen_cpu_pct: None,
            other_cpu_pct: None,
            per_cpu_s,
            rss_mib: Some(4.0),
            errors: 0,
            non_200: 0,
            first_error: None,
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(vec![]).is_nan());
    }

    #[test]
    fn table_with_ratio() {
        let rows = vec![
            m("a", 1, 100.0, 200.0),
            m("b", 1, 50.0, 100.0),
            m("a", 2, 120.0, 240.0),
            m("b", 2, 90.0, 120.0),
        ];
        let text = render(&rows, &["a", "b"]);
        assert!(text.contains("run 1: b/a = 0.500 per second, 0.500 per server CPU-second"));
        assert!(text.contains("run 2: b/a = 0.750 per second, 0.500 per server CPU-second"));
        assert!(
            text.contains("median of the runs): 0.625 per second, 0.500"),
            "{text}"
        );
        let median_rows = text
            .lines()
            .filter(|l| l.split_whitespace().nth(1) == Some("median"));
        assert_eq!(median_rows.count(), 2);
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

    #[test]
    fn table_with_one_server_has_no_ratio() {
        let text = render(&[m("a", 1, 100.0, 200.0)], &["a"]);
        assert!(!text.contains("ratio"));
    }
}
