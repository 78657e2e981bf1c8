//! Running a load generator of `benches/` (`loadgen`, `ws-loadgen`) and
//! reading the JSON report it prints last.

use std::process::Output;
use std::time::Duration;

use anyhow::{Context as _, bail};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::harness::Setup;
use super::options::LoadOptions;
use super::server::output_within;

/// The load generator's request (or operation) timeout, seconds.
pub(crate) const TIMEOUT_S: f64 = 5.0;

/// The slack on top of the load generator's expected run time before it
/// is killed.
pub(crate) const SLACK: Duration = Duration::from_secs(30);

/// Latency percentiles of a report, microseconds.
#[derive(Debug, Deserialize)]
pub(crate) struct Latency {
    /// The median.
    pub p50: f64,
    /// The 99th percentile.
    pub p99: f64,
    /// The 99.9th percentile.
    #[serde(default)]
    pub p999: f64,
    /// The longest.
    #[serde(default)]
    pub max: f64,
}

/// What a report says about errors.
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorDetail {
    /// The first error's message.
    pub first: Option<String>,
}

/// The part of `loadgen`'s (HTTP) report that is used here.
#[derive(Debug, Deserialize)]
pub(crate) struct LoadReport {
    /// Requests per second in the measured window.
    pub rps: f64,
    /// Connect, I/O, timeout and framing errors.
    pub errors: u64,
    /// Responses other than 200.
    pub non_200: u64,
    /// Responses of the whole load, warm-up included.
    pub total_requests: u64,
    /// Wall time of the whole load, seconds.
    pub total_s: f64,
    /// Latency percentiles.
    pub latency_us: Latency,
    /// The first error.
    pub error_detail: ErrorDetail,
    /// The load generator's own CPU seconds, if known.
    pub client_cpu_s: Option<f64>,
}

/// Runs `program` (in the release directory) pinned to the load
/// generator's core with `target` (say the port), then `--connections`,
/// `--duration`, `--warmup`, `--timeout` and `extra`; it is killed if it
/// runs much longer than the load should.
pub(crate) fn run_load<O>(
    setup: &Setup<'_, O>,
    program: &str,
    target: &[String],
    connections: u32,
    load: &LoadOptions,
    extra: &[String],
) -> anyhow::Result<Output> {
    let mut loadgen = setup.pinning.loadgen(&setup.release.join(program));
    loadgen
        .args(target)
        .args(["--connections", &connections.to_string()])
        .args(["--duration", &load.duration.to_string()])
        .args(["--warmup", &load.warmup.to_string()])
        .args(["--timeout", &TIMEOUT_S.to_string()])
        .args(extra);
    let limit = Duration::from_secs_f64(load.warmup + load.duration + TIMEOUT_S) + SLACK;
    output_within(loadgen, limit)
}

/// The report in the last JSON line of a successful load generator's
/// stdout; `what` names the load generator in errors.
pub(crate) fn parse_report<T: DeserializeOwned>(output: &Output, what: &str) -> anyhow::Result<T> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("{what} failed ({}):\n{stderr}", output.status);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|line| line.trim_start().starts_with('{'))
        .with_context(|| format!("no JSON line from {what}; its stderr:\n{stderr}"))?;
    serde_json::from_str(line)
        .with_context(|| format!("a JSON line that is not {what}'s report; its stderr:\n{stderr}"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt as _;
    use std::process::ExitStatus;

    /// An output with `stdout`, exit code `code` and stderr `boom`.
    pub(crate) fn output(stdout: &str, code: i32) -> Output {
        Output {
            status: ExitStatus::from_raw(code << 8),
            stdout: stdout.as_bytes().to_vec(),
            stderr: b"boom".to_vec(),
        }
    }

    #[test]
    fn parses_a_loadgen_line() {
        let stdout = r#"{"port":1,"connections":50,"warmup_s":1.0,"duration_s":5.0,
"requests":10,"rps":2.0,"non_200":0,"errors":1,"error_detail":{"connect":1,"io":0,
"timeout":0,"bad_response":0,"first":"connect: refused"},"total_requests":12,
"total_s":6.0,"latency_us":{"mean":1.0,"p50":1.0,"p90":2.0,"p99":3.0,"p999":4.0,"max":5.0}}"#
            .replace('\n', "");
        let report: LoadReport =
            parse_report(&output(&format!("noise\n{stdout}\n"), 0), "loadgen").unwrap();
        assert_eq!(report.total_requests, 12);
        assert_eq!(report.latency_us.p99, 3.0);
        assert_eq!(
            report.error_detail.first.as_deref(),
            Some("connect: refused")
        );
        assert!(parse_report::<LoadReport>(&output("no json here", 0), "loadgen").is_err());
        let err = parse_report::<LoadReport>(&output(&stdout, 1), "loadgen").unwrap_err();
        assert!(err.to_string().contains("boom"), "{err}");
    }
}
