//! `cargo xtask bench ws`: a bare fastwebsockets echo server (a) against
//! the runner serving `examples/ws-echo.lua` (b), in the same run.
//!
//! Echo load, for each run and server: start the server on a free port of
//! 127.0.0.1 pinned to core 0, wait for the port, read its CPU time from
//! `/proc`, run `ws-loadgen` pinned to core 1 (N connections, each doing
//! echo round trips of a 16-byte text message), read the CPU time again,
//! kill the server. Runs alternate which server goes first.
//!
//! Memory, for each run and server (unless `--idle 0`): start the server
//! afresh, let `ws-loadgen --idle N --pid PID` read its `VmRSS`, open N
//! connections (handshake and one echo each), settle a second, read
//! `VmRSS` again; the growth over N is the memory per idle client.
//!
//! Medians over the runs and the ratios b/a are printed; all measurements
//! go to `target/bench/ws.json`. Servers are killed on every path out.

pub(super) mod limits;
mod options;
mod table;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, bail};
use serde::Deserialize;

use super::options::Only;
use super::procfs;
use super::server::{Pinning, Server, free_port, output_within};
pub(crate) use options::WsOptions;
use table::{EchoMeasurement, MemoryMeasurement};

/// The Lua script the runner serves.
const ECHO_LUA: &str = "examples/ws-echo.lua";

/// Bytes of each echoed message.
const MESSAGE_BYTES: u32 = 16;

/// How long a server may take to listen.
const STARTUP_LIMIT: Duration = Duration::from_secs(15);

/// The load generator's per-operation timeout, and the slack on top of its
/// expected run time before it is killed.
const LOADGEN_TIMEOUT_S: f64 = 5.0;
const LOADGEN_SLACK: Duration = Duration::from_secs(30);

/// Seconds the memory measurement lets the server settle before each
/// reading.
const SETTLE_S: f64 = 1.0;

/// Open files a server needs besides its idle connections.
const SPARE_FILES: u64 = 64;

/// Other processes' CPU, in percent of one core, above which a
/// measurement is flagged as disturbed.
const DISTURBED_PCT: f64 = 10.0;

/// The two servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// (a) `bare-ws-echo`, the baseline.
    Bare,
    /// (b) `craftos-http examples/ws-echo.lua`.
    Runner,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Bare => "bare-ws-echo",
            Kind::Runner => "craftos-http",
        }
    }

    /// The command serving on `port`, pinned to the server's core.
    fn command(self, pinning: Pinning, release: &Path, port: u16) -> Command {
        let mut command = pinning.server(&release.join(self.name()));
        match self {
            Kind::Bare => command.arg(port.to_string()),
            Kind::Runner => command.arg(ECHO_LUA).arg(port.to_string()),
        };
        command
    }
}

/// The part of `ws-loadgen`'s echo report that is used here.
#[derive(Debug, Deserialize)]
struct EchoReport {
    rtps: f64,
    bad_echoes: u64,
    errors: u64,
    total_round_trips: u64,
    total_s: f64,
    latency_us: Latency,
    error_detail: ErrorDetail,
    client_cpu_s: Option<f64>,
}

/// The part of `ws-loadgen --idle`'s report that is used here.
#[derive(Debug, Deserialize)]
struct IdleReport {
    clients: u64,
    open: u64,
    rss_before_kib: u64,
    rss_after_kib: u64,
    bytes_per_client: Option<f64>,
    errors: u64,
    error_detail: ErrorDetail,
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
    options: &'a WsOptions,
    pinning: Pinning,
    release: PathBuf,
    logs: PathBuf,
    ticks_per_second: u64,
}

/// Runs the benchmark; `Ok(false)` if any load saw errors or bad echoes,
/// or not every idle connection opened.
pub(crate) fn run(options: &WsOptions) -> anyhow::Result<bool> {
    let kinds: &[Kind] = match options.load.only {
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
        eprintln!("bench: servers on core 0, ws-loadgen on core 1 (taskset)");
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
    let load = &options.load;
    eprintln!(
        "bench: {} run(s) of {} s (+{} s warm-up), {} connections, {MESSAGE_BYTES}-byte \
         messages; {} idle clients; server logs in {}",
        load.runs,
        load.duration,
        load.warmup,
        load.connections,
        options.idle,
        logs.display()
    );

    let mut echoes = Vec::new();
    let mut memories = Vec::new();
    for run in 1..=load.runs {
        let mut order = kinds.to_vec();
        if run.is_multiple_of(2) {
            order.reverse();
        }
        for &kind in &order {
            let m = measure_echo(&setup, kind, run)?;
            eprintln!(
                "bench: run {run} {}: {:.0} round trips/s, p50 {:.0} us, p99 {:.0} us, CPU {:.2} s",
                m.server, m.rtps, m.p50_us, m.p99_us, m.cpu_s
            );
            echoes.push(m);
        }
        if options.idle > 0 {
            for &kind in &order {
                let m = measure_memory(&setup, kind, run)?;
                eprintln!(
                    "bench: run {run} {}: {} idle clients, {:.0} bytes per client",
                    m.server, m.open, m.bytes_per_client
                );
                memories.push(m);
            }
        }
    }
    let position = |server: &str| kinds.iter().position(|k| k.name() == server);
    echoes.sort_by_key(|m| (m.run, position(&m.server)));
    memories.sort_by_key(|m| (m.run, position(&m.server)));

    let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    println!("\necho round trips ({MESSAGE_BYTES}-byte text messages):");
    println!("{}", table::render_echo(&echoes, &names));
    if !memories.is_empty() {
        println!("\nmemory per idle WebSocket client (VmRSS growth over open clients):");
        println!("{}", table::render_memory(&memories, &names));
    }
    let json = logs.join("ws.json");
    let all = serde_json::json!({ "echo": echoes, "memory": memories });
    std::fs::write(&json, serde_json::to_string_pretty(&all)?)
        .with_context(|| format!("writing {}", json.display()))?;
    println!("\nmeasurements: {}", json.display());

    report_problems(&echoes, &memories)
}

/// Warns about disturbed measurements and reports failures; `Ok(false)`
/// if there were any.
fn report_problems(
    echoes: &[EchoMeasurement],
    memories: &[MemoryMeasurement],
) -> anyhow::Result<bool> {
    let disturbed = echoes
        .iter()
        .filter(|m| m.other_cpu_pct.is_some_and(|pct| pct > DISTURBED_PCT))
        .count();
    if disturbed > 0 {
        eprintln!(
            "bench: warning: other processes used more than {DISTURBED_PCT}% of a core during \
             {disturbed} of the echo measurements (column `other %`): their round trips/s and \
             latencies are disturbed; rt/CPU-s much less so"
        );
    }
    let mut ok = true;
    for m in echoes.iter().filter(|m| m.errors > 0 || m.bad_echoes > 0) {
        ok = false;
        eprintln!(
            "bench: run {} {}: {} errors, {} bad echoes (first error: {})",
            m.run,
            m.server,
            m.errors,
            m.bad_echoes,
            m.first_error.as_deref().unwrap_or("-")
        );
    }
    for m in memories
        .iter()
        .filter(|m| m.errors > 0 || m.open < m.clients)
    {
        ok = false;
        eprintln!(
            "bench: run {} {}: {} of {} idle clients opened (first error: {})",
            m.run,
            m.server,
            m.open,
            m.clients,
            m.first_error.as_deref().unwrap_or("-")
        );
    }
    Ok(ok)
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
        "bare-ws-echo",
        "--bin",
        "ws-loadgen",
    ]);
    let with_runner = kinds.contains(&Kind::Runner);
    if with_runner {
        command.args(["-p", "craftos-http-lua", "--bin", "craftos-http"]);
    }
    eprintln!("bench: {command:?}");
    let status = command.status().context("running cargo build")?;
    if !status.success() {
        let hint = if with_runner {
            " (if the runner does not build yet, `cargo xtask bench ws --only bare` \
             measures the bare server alone)"
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

/// Starts `kind` on a free port and waits until it listens; the server is
/// killed when the returned value is dropped.
fn start(setup: &Setup<'_>, kind: Kind, log: &str) -> anyhow::Result<(Server, u16)> {
    let port = free_port()?;
    let mut server = Server::start(
        kind.name(),
        kind.command(setup.pinning, &setup.release, port),
        setup.logs.join(log),
    )?;
    server.wait_for_port(port, STARTUP_LIMIT)?;
    Ok((server, port))
}

/// The echo load on one server in one run.
fn measure_echo(setup: &Setup<'_>, kind: Kind, run: u32) -> anyhow::Result<EchoMeasurement> {
    let load = &setup.options.load;
    let (mut server, port) = start(setup, kind, &format!("ws-{}-run{run}.log", kind.name()))?;
    let pid = server.pid();
    let cpu_before = procfs::cpu_time(pid, setup.ticks_per_second)?;
    let busy_before = procfs::system_busy(setup.ticks_per_second)?;

    let mut loadgen = setup.pinning.loadgen(&setup.release.join("ws-loadgen"));
    loadgen
        .arg(port.to_string())
        .args(["--connections", &load.connections.to_string()])
        .args(["--duration", &load.duration.to_string()])
        .args(["--warmup", &load.warmup.to_string()])
        .args(["--timeout", &LOADGEN_TIMEOUT_S.to_string()])
        .args(["--size", &MESSAGE_BYTES.to_string()]);
    let limit =
        Duration::from_secs_f64(load.warmup + load.duration + LOADGEN_TIMEOUT_S) + LOADGEN_SLACK;
    let output = output_within(loadgen, limit)?;

    server
        .ensure_running()
        .with_context(|| format!("{} died under load", kind.name()))?;
    let cpu = procfs::cpu_time(pid, setup.ticks_per_second)?.saturating_sub(cpu_before);
    let busy = procfs::system_busy(setup.ticks_per_second)?.saturating_sub(busy_before);
    let rss_mib = procfs::peak_rss_kib(pid).map(|kib| kib as f64 / 1024.0);
    drop(server);

    let report: EchoReport = parse_report(&output, "ws-loadgen")?;
    let cpu_s = cpu.as_secs_f64();
    let percent_of_load = |seconds: f64| {
        if report.total_s > 0.0 {
            100.0 * seconds / report.total_s
        } else {
            f64::NAN
        }
    };
    Ok(EchoMeasurement {
        server: kind.name().to_owned(),
        run,
        rtps: report.rtps,
        p50_us: report.latency_us.p50,
        p99_us: report.latency_us.p99,
        cpu_s,
        cpu_pct: percent_of_load(cpu_s),
        loadgen_cpu_pct: report.client_cpu_s.map(percent_of_load),
        other_cpu_pct: report
            .client_cpu_s
            .map(|client| percent_of_load(busy.as_secs_f64() - cpu_s - client).max(0.0)),
        per_cpu_s: if cpu_s > 0.0 {
            report.total_round_trips as f64 / cpu_s
        } else {
            f64::NAN
        },
        rss_mib,
        errors: report.errors,
        bad_echoes: report.bad_echoes,
        first_error: report.error_detail.first,
    })
}

/// The memory per idle client of one server in one run.
fn measure_memory(setup: &Setup<'_>, kind: Kind, run: u32) -> anyhow::Result<MemoryMeasurement> {
    let idle = setup.options.idle;
    let (mut server, port) = start(setup, kind, &format!("ws-{}-mem-run{run}.log", kind.name()))?;
    let pid = server.pid();
    if let Some(warning) = limits::ensure_nofile(pid, u64::from(idle) + SPARE_FILES) {
        eprintln!("bench: warning: {warning}");
    }
    let mut loadgen = setup.pinning.loadgen(&setup.release.join("ws-loadgen"));
    loadgen
        .arg(port.to_string())
        .args(["--idle", &idle.to_string()])
        .args(["--pid", &pid.to_string()])
        .args(["--settle", &SETTLE_S.to_string()])
        .args(["--timeout", &LOADGEN_TIMEOUT_S.to_string()]);
    let limit = Duration::from_secs_f64(2.0 * SETTLE_S + 2.0 * LOADGEN_TIMEOUT_S) + LOADGEN_SLACK;
    let output = output_within(loadgen, limit)?;
    server
        .ensure_running()
        .with_context(|| format!("{} died with idle clients", kind.name()))?;
    drop(server);

    let report: IdleReport = parse_report(&output, "ws-loadgen --idle")?;
    Ok(MemoryMeasurement {
        server: kind.name().to_owned(),
        run,
        clients: report.clients,
        open: report.open,
        rss_before_kib: report.rss_before_kib,
        rss_after_kib: report.rss_after_kib,
        bytes_per_client: report.bytes_per_client.unwrap_or(f64::NAN),
        errors: report.errors,
        first_error: report.error_detail.first,
    })
}

/// The report in the last JSON line of a successful load generator's
/// stdout.
fn parse_report<T: serde::de::DeserializeOwned>(
    output: &std::process::Output,
    what: &str,
) -> anyhow::Result<T> {
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
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt as _;
    use std::process::{ExitStatus, Output};

    fn output(stdout: &str, code: i32) -> Output {
        Output {
            status: ExitStatus::from_raw(code << 8),
            stdout: stdout.as_bytes().to_vec(),
            stderr: b"boom".to_vec(),
        }
    }

    #[test]
    fn parses_the_reports() {
        let echo = r#"{"port":1,"connections":50,"message_bytes":16,"warmup_s":1.0,
"duration_s":5.0,"round_trips":10,"rtps":2.0,"bad_echoes":0,"errors":1,"error_detail":
{"connect":1,"io":0,"timeout":0,"bad_response":0,"first":"connect: refused"},
"total_round_trips":12,"total_s":6.0,"latency_us":{"mean":1.0,"p50":1.0,"p90":2.0,
"p99":3.0,"p999":4.0,"max":5.0},"client_cpu_s":0.5}"#
            .replace('\n', "");
        let report: EchoReport = parse_report(&output(&format!("x\n{echo}\n"), 0), "w").unwrap();
        assert_eq!((report.total_round_trips, report.latency_us.p99), (12, 3.0));
        assert_eq!(
            report.error_detail.first.as_deref(),
            Some("connect: refused")
        );

        // NaN is printed as null by serde_json.
        let idle = r#"{"port":1,"pid":2,"clients":10,"open":0,"rss_before_kib":100,
"rss_after_kib":100,"bytes_per_client":null,"errors":10,"error_detail":{"connect":10,
"io":0,"timeout":0,"bad_response":0,"first":"connect: refused"}}"#
            .replace('\n', "");
        let report: IdleReport = parse_report(&output(&idle, 0), "w").unwrap();
        assert_eq!((report.open, report.bytes_per_client), (0, None));

        let err = parse_report::<IdleReport>(&output(&idle, 1), "w").unwrap_err();
        assert!(err.to_string().contains("boom"), "{err}");
        assert!(parse_report::<IdleReport>(&output("no json", 0), "w").is_err());
    }

    #[test]
    fn runner_command_passes_script_then_port() {
        let command = Kind::Runner.command(Pinning::detect(), Path::new("t/release"), 8080);
        let args: Vec<String> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(
            args.ends_with(&[ECHO_LUA.to_owned(), "8080".to_owned()]),
            "{args:?}"
        );
    }
}
