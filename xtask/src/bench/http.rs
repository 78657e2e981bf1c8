//! `cargo xtask bench http`: bare hyper (a) against the runner's
//! `http.listen` (b), "hello" over keep-alive HTTP/1.1, in the same run.
//!
//! For each run and server: start the server on a free port of 127.0.0.1
//! pinned to core 0, wait for the port, read its CPU time from `/proc`,
//! run `loadgen` pinned to core 1, read the CPU time again, kill the server.
//! Runs alternate which server goes first. Medians over the runs and the
//! ratio b/a (per second and per server CPU-second) are printed, and all
//! measurements are written to `target/bench/http.json`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, bail};
use serde::Deserialize;

use super::options::{HttpOptions, Only};
use super::procfs;
use super::server::{Pinning, Server, free_port, output_within};
use super::table::{self, Measurement};

/// The Lua script the runner serves.
const HELLO_LUA: &str = "benches/lua/hello.lua";

/// How long a server may take to listen.
const STARTUP_LIMIT: Duration = Duration::from_secs(15);

/// The load generator's request timeout, and the slack on top of its
/// expected run time before it is killed.
const LOADGEN_TIMEOUT_S: f64 = 5.0;
const LOADGEN_SLACK: Duration = Duration::from_secs(30);

/// Other processes' CPU, in percent of one core, above which a
/// measurement is flagged as disturbed.
const DISTURBED_PCT: f64 = 10.0;

/// The two servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// (a) `bare-hyper`, the baseline.
    Bare,
    /// (b) `craftos-http benches/lua/hello.lua`.
    Runner,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Bare => "bare-hyper",
            Kind::Runner => "craftos-http",
        }
    }

    /// The command serving on `port`, pinned to the server's core.
    fn command(self, pinning: Pinning, release: &Path, port: u16) -> Command {
        let mut command = pinning.server(&release.join(self.name()));
        match self {
            Kind::Bare => command.arg(port.to_string()),
            Kind::Runner => command.arg(HELLO_LUA).arg(port.to_string()),
        };
        command
    }
}

/// The part of the load generator's JSON line that is used here.
#[derive(Debug, Deserialize)]
struct LoadReport {
    rps: f64,
    errors: u64,
    non_200: u64,
    total_requests: u64,
    total_s: f64,
    latency_us: Latency,
    error_detail: ErrorDetail,
    client_cpu_s: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Latency {
    p50: f64,
    p99: f64,
}

#[derive(Debug, Deserialize)]
struct ErrorDetail {
    first: Option<String>,
}

/// What every measurement needs.
struct Setup<'a> {
    options: &'a HttpOptions,
    pinning: Pinning,
    release: PathBuf,
    logs: PathBuf,
    ticks_per_second: u64,
}

/// Runs the benchmark; `Ok(false)` if any load saw errors or non-200s.
pub(crate) fn run(options: &HttpOptions) -> anyhow::Result<bool> {
    let kinds: &[Kind] = match options.only {
        Only::Both => &[Kind::Bare, Kind::Runner],
        Only::Bare => &[Kind::Bare],
        Only::Runner => &[Kind::Runner],
    };
    build(kinds)?;
    let target = target_dir();
    let logs = target.join("bench");
    std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    let pinning = Pinning::detect();
    if pinning.is_pinned() {
        eprintln!("bench: servers on core 0, loadgen on core 1 (taskset)");
    } else {
        eprintln!("bench: taskset or a second core is missing: nothing is pinned");
    }
    let setup = Setup {
        options,
        pinning,
        release: target.join("release"),
        logs: logs.clone(),
        ticks_per_second: procfs::ticks_per_second(),
    };
    eprintln!(
        "bench: {} run(s) of {} s (+{} s warm-up), {} connections; server logs in {}",
        options.runs,
        options.duration,
        options.warmup,
        options.connections,
        logs.display()
    );

    let mut measurements = Vec::new();
    for run in 1..=options.runs {
        let mut order = kinds.to_vec();
        if run.is_multiple_of(2) {
            order.reverse();
        }
        for kind in order {
            let m = measure(&setup, kind, run)?;
            eprintln!(
                "bench: run {run} {}: {:.0} req/s, p50 {:.0} us, p99 {:.0} us, CPU {:.2} s",
                m.server, m.rps, m.p50_us, m.p99_us, m.cpu_s
            );
            measurements.push(m);
        }
    }
    measurements.sort_by_key(|m| (m.run, kinds.iter().position(|k| k.name() == m.server)));

    let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    println!("\n{}", table::render(&measurements, &names));
    let json = logs.join("http.json");
    std::fs::write(&json, serde_json::to_string_pretty(&measurements)?)
        .with_context(|| format!("writing {}", json.display()))?;
    println!("\nmeasurements: {}", json.display());

    let failed: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.errors > 0 || m.non_200 > 0)
        .collect();
    let disturbed: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.other_cpu_pct.is_some_and(|pct| pct > DISTURBED_PCT))
        .collect();
    if !disturbed.is_empty() {
        eprintln!(
            "bench: warning: other processes used more than {DISTURBED_PCT}% of a core during \
             {} of the measurements (column `other %`): their req/s and latencies are \
             disturbed; req/CPU-s much less so",
            disturbed.len()
        );
    }
    for m in &failed {
        eprintln!(
            "bench: run {} {}: {} errors, {} non-200 responses (first error: {})",
            m.run,
            m.server,
            m.errors,
            m.non_200,
            m.first_error.as_deref().unwrap_or("-")
        );
    }
    Ok(failed.is_empty())
}

/// Builds the load generator and the servers in release mode.
fn build(kinds: &[Kind]) -> anyhow::Result<()> {
    let mut command = Command::new(crate::cargo());
    command.args([
        "build",
        "--release",
        "-p",
        "craftos-http-benches",
        "--bin",
        "bare-hyper",
        "--bin",
        "loadgen",
    ]);
    let with_runner = kinds.contains(&Kind::Runner);
    if with_runner {
        command.args(["-p", "craftos-http-lua", "--bin", "craftos-http"]);
    }
    eprintln!("bench: {command:?}");
    let status = command.status().context("running cargo build")?;
    if !status.success() {
        let hint = if with_runner {
            " (if the runner does not build yet, `cargo xtask bench http --only bare` \
             measures bare hyper alone)"
        } else {
            ""
        };
        bail!("the release build failed{hint}");
    }
    Ok(())
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` or `target/` (we run in
/// the project root).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// One server, one run. The server is killed when this returns, whatever
/// happened.
fn measure(setup: &Setup<'_>, kind: Kind, run: u32) -> anyhow::Result<Measurement> {
    let options = setup.options;
    let port = free_port()?;
    let log = setup.logs.join(format!("{}-run{run}.log", kind.name()));
    let mut server = Server::start(
        kind.name(),
        kind.command(setup.pinning, &setup.release, port),
        log,
    )?;
    server.wait_for_port(port, STARTUP_LIMIT)?;
    let pid = server.pid();
    let cpu_before = procfs::cpu_time(pid, setup.ticks_per_second)?;
    let busy_before = procfs::system_busy(setup.ticks_per_second)?;

    let mut loadgen = setup.pinning.loadgen(&setup.release.join("loadgen"));
    loadgen
        .arg(port.to_string())
        .args(["--connections", &options.connections.to_string()])
        .args(["--duration", &options.duration.to_string()])
        .args(["--warmup", &options.warmup.to_string()])
        .args(["--timeout", &LOADGEN_TIMEOUT_S.to_string()]);
    let limit = Duration::from_secs_f64(options.warmup + options.duration + LOADGEN_TIMEOUT_S)
        + LOADGEN_SLACK;
    let output = output_within(loadgen, limit)?;

    server
        .ensure_running()
        .with_context(|| format!("{} died under load", kind.name()))?;
    let cpu = procfs::cpu_time(pid, setup.ticks_per_second)?.saturating_sub(cpu_before);
    let busy = procfs::system_busy(setup.ticks_per_second)?.saturating_sub(busy_before);
    let rss_mib = procfs::peak_rss_kib(pid).map(|kib| kib as f64 / 1024.0);
    drop(server);

    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("loadgen failed ({}):\n{stderr}", output.status);
    }
    let report = parse_report(&String::from_utf8_lossy(&output.stdout))
        .with_context(|| format!("reading loadgen's report; its stderr:\n{stderr}"))?;
    let cpu_s = cpu.as_secs_f64();
    let percent_of_load = |seconds: f64| {
        if report.total_s > 0.0 {
            100.0 * seconds / report.total_s
        } else {
            f64::NAN
        }
    };
    Ok(Measurement {
        server: kind.name().to_owned(),
        run,
        rps: report.rps,
        p50_us: report.latency_us.p50,
        p99_us: report.latency_us.p99,
        cpu_s,
        cpu_pct: percent_of_load(cpu_s),
        loadgen_cpu_pct: report.client_cpu_s.map(percent_of_load),
        // Whatever the machine did besides the server and the load
        // generator (builds of other work, say); clock-tick rounding makes
        // a few percent either way.
        other_cpu_pct: report
            .client_cpu_s
            .map(|client| percent_of_load(busy.as_secs_f64() - cpu_s - client).max(0.0)),
        per_cpu_s: if cpu_s > 0.0 {
            report.total_requests as f64 / cpu_s
        } else {
            f64::NAN
        },
        rss_mib,
        errors: report.errors,
        non_200: report.non_200,
        first_error: report.error_detail.first,
    })
}

/// The last JSON line of loadgen's stdout.
fn parse_report(stdout: &str) -> anyhow::Result<LoadReport> {
    let line = stdout
        .lines()
        .rev()
        .find(|line| line.trim_start().starts_with('{'))
        .context("no JSON line")?;
    serde_json::from_str(line).context("a JSON line that is not a loadgen report")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_loadgen_line() {
        let stdout = r#"{"port":1,"connections":50,"warmup_s":1.0,"duration_s":5.0,
"requests":10,"rps":2.0,"non_200":0,"errors":1,"error_detail":{"connect":1,"io":0,
"timeout":0,"bad_response":0,"first":"connect: refused"},"total_requests":12,
"total_s":6.0,"latency_us":{"mean":1.0,"p50":1.0,"p90":2.0,"p99":3.0,"p999":4.0,"max":5.0}}"#
            .replace('\n', "");
        let report = parse_report(&format!("noise\n{stdout}\n")).unwrap();
        assert_eq!(report.total_requests, 12);
        assert_eq!(report.latency_us.p99, 3.0);
        assert_eq!(
            report.error_detail.first.as_deref(),
            Some("connect: refused")
        );
        assert!(parse_report("no json here").is_err());
    }

    #[test]
    fn runner_command_passes_script_then_port() {
        let command = Kind::Runner.command(Pinning::detect(), Path::new("t/release"), 8080);
        let args: Vec<String> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(
            args.ends_with(&[HELLO_LUA.to_owned(), "8080".to_owned()]),
            "{args:?}"
        );
    }
}
