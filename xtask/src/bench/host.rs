//! `cargo xtask bench host`: one host (`craftos_http_lua::host`) running N
//! computers, each serving `benches/lua/hello.lua` on a port of its own, for
//! N in 1, 10, 100, 1000: throughput and latency with all of them loaded at
//! once, and memory per computer.
//!
//! For each size and run: find N consecutive free ports of 127.0.0.1, start
//! `host-bench` pinned to core 0 (its stdin a pipe: it stops when the pipe
//! closes, should killing it fail), wait for its `ready` (every port
//! listens), let it settle and read its `VmRSS`, then run `loadgen --ports`
//! pinned to core 1 with `max(--connections, N)` keep-alive connections
//! spread round-robin over the N ports, and read the host's CPU time and
//! peak memory. An empty host (0 computers) is measured first: memory per
//! computer is the growth over it.
//!
//! Medians over the runs are printed; all measurements go to
//! `target/bench/host.json`. Servers are killed on every path out.

mod options;
mod table;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde::Deserialize;

use super::procfs;
use super::server::{Pinning, Server, output_within};
use super::ws::limits::ensure_nofile;
pub(crate) use options::HostOptions;
use table::HostMeasurement;

/// The Lua script every computer serves.
const HELLO_LUA: &str = "benches/lua/hello.lua";

/// How long the host may take to listen on every port: this, plus
/// [`STARTUP_PER_COMPUTER`] per computer.
const STARTUP_LIMIT: Duration = Duration::from_secs(30);
const STARTUP_PER_COMPUTER: Duration = Duration::from_millis(50);

/// Seconds the host settles after `ready` before its memory is read.
const SETTLE: Duration = Duration::from_millis(500);

/// The load generator's request timeout, and the slack on top of its
/// expected run time before it is killed.
const LOADGEN_TIMEOUT_S: f64 = 5.0;
const LOADGEN_SLACK: Duration = Duration::from_secs(30);

/// Open files a process needs besides its ports and connections.
const SPARE_FILES: u64 = 256;

/// Where the search for N consecutive free ports starts, and the end of the
/// range (the kernel's ephemeral ports start at 32768 on Linux: outgoing
/// connections never sit on ours).
const FIRST_PORT: u16 = 12_000;
const END_PORT: u16 = 32_768;

/// Other processes' CPU, in percent of one core, above which a
/// measurement is flagged as disturbed.
const DISTURBED_PCT: f64 = 10.0;

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
    options: &'a HostOptions,
    pinning: Pinning,
    release: PathBuf,
    logs: PathBuf,
    ticks_per_second: u64,
}

/// Runs the benchmark; `Ok(false)` if any load saw errors or non-200s.
pub(crate) fn run(options: &HostOptions) -> anyhow::Result<bool> {
    build()?;
    let target = target_dir();
    let logs = target.join("bench");
    std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    let pinning = Pinning::detect();
    if pinning.is_pinned() {
        eprintln!("bench: host on core 0, loadgen on core 1 (taskset)");
    } else {
        eprintln!("bench: taskset or a second core is missing: nothing is pinned");
    }
    // Children inherit this process's limit: the host binds N ports and
    // serves N connections, loadgen opens N (both raise their own too).
    let most = options.computers.iter().copied().max().unwrap_or(1);
    let files = 2 * u64::from(options.connections_for(most)) + SPARE_FILES;
    if let Some(warning) = ensure_nofile(std::process::id(), files) {
        eprintln!("bench: warning: {warning}");
    }
    let setup = Setup {
        options,
        pinning,
        release: target.join("release"),
        logs: logs.clone(),
        ticks_per_second: procfs::ticks_per_second(),
    };
    eprintln!(
        "bench: {} run(s) of {} s (+{} s warm-up) on hosts of {:?} computers; logs in {}",
        options.runs,
        options.duration,
        options.warmup,
        options.computers,
        logs.display()
    );

    let mut empty = Vec::new();
    let mut measurements = Vec::new();
    for run in 1..=options.runs {
        let rss = measure_empty(&setup, run)?;
        eprintln!("bench: run {run}: the empty host: VmRSS {rss} KiB");
        empty.push(rss);
        for &computers in &options.computers {
            let m = measure(&setup, computers, run)?;
            eprintln!(
                "bench: run {run}, {computers} computers: {:.0} req/s, p50 {:.0} us, \
                 p99 {:.0} us, VmRSS {} KiB after a {:.2} s boot",
                m.rps, m.p50_us, m.p99_us, m.rss_kib, m.boot_s
            );
            measurements.push(m);
        }
    }

    println!("\n{}", table::render(&measurements, &empty));
    let json = logs.join("host.json");
    let all = serde_json::json!({ "empty_host_rss_kib": empty, "hosts": measurements });
    std::fs::write(&json, serde_json::to_string_pretty(&all)?)
        .with_context(|| format!("writing {}", json.display()))?;
    println!("\nmeasurements: {}", json.display());
    Ok(report_problems(&measurements))
}

/// Warns about disturbed measurements and reports failures; `false` if
/// there were any.
fn report_problems(measurements: &[HostMeasurement]) -> bool {
    let disturbed = measurements
        .iter()
        .filter(|m| m.other_cpu_pct.is_some_and(|pct| pct > DISTURBED_PCT))
        .count();
    if disturbed > 0 {
        eprintln!(
            "bench: warning: other processes used more than {DISTURBED_PCT}% of a core during \
             {disturbed} of the measurements: their req/s and latencies are disturbed; \
             req/CPU-s much less so"
        );
    }
    let mut ok = true;
    for m in measurements
        .iter()
        .filter(|m| m.errors > 0 || m.non_200 > 0)
    {
        ok = false;
        eprintln!(
            "bench: run {}, {} computers: {} errors, {} non-200 responses (first error: {})",
            m.run,
            m.computers,
            m.errors,
            m.non_200,
            m.first_error.as_deref().unwrap_or("-")
        );
    }
    ok
}

/// Builds the load generator and the host in release mode.
fn build() -> anyhow::Result<()> {
    let mut command = Command::new(crate::cargo());
    command.args([
        "build",
        "--release",
        "-p",
        "craftos-http-benches",
        "--bin",
        "host-bench",
        "--bin",
        "loadgen",
    ]);
    eprintln!("bench: {command:?}");
    let status = command.status().context("running cargo build")?;
    if !status.success() {
        bail!("the release build failed");
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

/// `computers` consecutive ports of 127.0.0.1, from the returned one, that
/// nothing listens on now (each was bound, then released).
fn free_ports(computers: u32) -> anyhow::Result<u16> {
    let n = u16::try_from(computers).context("too many computers")?;
    let mut base = FIRST_PORT;
    while u32::from(base) + u32::from(n) <= u32::from(END_PORT) {
        // Held until the range is known to be free, then released.
        let mut held = Vec::with_capacity(usize::from(n));
        let taken = (base..base + n).find(|&port| {
            match TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))) {
                Ok(listener) => {
                    held.push(listener);
                    false
                }
                Err(_) => true,
            }
        });
        match taken {
            None => return Ok(base),
            Some(port) => base = port + 1,
        }
    }
    bail!("no {computers} consecutive free ports between {FIRST_PORT} and {END_PORT}")
}

/// Starts `host-bench` with `computers` computers from port `base` and
/// waits for its `ready`; returns it and how long that took.
fn start(
    setup: &Setup<'_>,
    computers: u32,
    base: u16,
    log: &str,
) -> anyhow::Result<(Server, Duration)> {
    let mut command = setup.pinning.server(&setup.release.join("host-bench"));
    command
        .args(["--computers", &computers.to_string()])
        .args(["--base", &base.to_string()])
        .args(["--script", HELLO_LUA]);
    let started = Instant::now();
    let mut server = Server::start_with_stdin("host-bench", command, setup.logs.join(log))?;
    server.wait_for_line("ready", STARTUP_LIMIT + STARTUP_PER_COMPUTER * computers)?;
    let boot = started.elapsed();
    std::thread::sleep(SETTLE);
    server.ensure_running()?;
    Ok((server, boot))
}

/// The `VmRSS` of a host with no computer, in KiB.
fn measure_empty(setup: &Setup<'_>, run: u32) -> anyhow::Result<u64> {
    let (server, _) = start(setup, 0, FIRST_PORT, &format!("host-0-run{run}.log"))?;
    procfs::rss_kib(server.pid()).context("reading the empty host's VmRSS")
}

/// The load on a host of `computers` computers in one run.
fn measure(setup: &Setup<'_>, computers: u32, run: u32) -> anyhow::Result<HostMeasurement> {
    let options = setup.options;
    let base = free_ports(computers)?;
    let log = format!("host-{computers}-run{run}.log");
    let (mut server, boot) = start(setup, computers, base, &log)?;
    let pid = server.pid();
    let connections = options.connections_for(computers);
    if let Some(warning) = ensure_nofile(pid, u64::from(computers + connections) + SPARE_FILES) {
        eprintln!("bench: warning: {warning}");
    }
    let rss_kib = procfs::rss_kib(pid).context("reading the host's VmRSS")?;
    let cpu_before = procfs::cpu_time(pid, setup.ticks_per_second)?;
    let busy_before = procfs::system_busy(setup.ticks_per_second)?;

    let last = u32::from(base) + computers - 1;
    let mut loadgen = setup.pinning.loadgen(&setup.release.join("loadgen"));
    loadgen
        .args(["--ports", &format!("{base}-{last}")])
        .args(["--connections", &connections.to_string()])
        .args(["--duration", &options.duration.to_string()])
        .args(["--warmup", &options.warmup.to_string()])
        .args(["--timeout", &LOADGEN_TIMEOUT_S.to_string()]);
    let limit = Duration::from_secs_f64(options.warmup + options.duration + LOADGEN_TIMEOUT_S)
        + LOADGEN_SLACK;
    let output = output_within(loadgen, limit)?;

    server
        .ensure_running()
        .with_context(|| format!("host-bench with {computers} computers died under load"))?;
    let cpu = procfs::cpu_time(pid, setup.ticks_per_second)?.saturating_sub(cpu_before);
    let busy = procfs::system_busy(setup.ticks_per_second)?.saturating_sub(busy_before);
    let peak_rss_kib = procfs::peak_rss_kib(pid);
    drop(server);

    let report = parse_report(&output)?;
    let cpu_s = cpu.as_secs_f64();
    let percent_of_load = |seconds: f64| {
        if report.total_s > 0.0 {
            100.0 * seconds / report.total_s
        } else {
            f64::NAN
        }
    };
    Ok(HostMeasurement {
        computers,
        run,
        connections,
        rps: report.rps,
        p50_us: report.latency_us.p50,
        p99_us: report.latency_us.p99,
        cpu_pct: percent_of_load(cpu_s),
        per_cpu_s: if cpu_s > 0.0 {
            report.total_requests as f64 / cpu_s
        } else {
            f64::NAN
        },
        loadgen_cpu_pct: report.client_cpu_s.map(percent_of_load),
        other_cpu_pct: report
            .client_cpu_s
            .map(|client| percent_of_load(busy.as_secs_f64() - cpu_s - client).max(0.0)),
        boot_s: boot.as_secs_f64(),
        rss_kib,
        peak_rss_kib,
        errors: report.errors,
        non_200: report.non_200,
        first_error: report.error_detail.first,
    })
}

/// The report in the last JSON line of a successful loadgen's stdout.
fn parse_report(output: &std::process::Output) -> anyhow::Result<LoadReport> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("loadgen failed ({}):\n{stderr}", output.status);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|line| line.trim_start().starts_with('{'))
        .with_context(|| format!("no JSON line from loadgen; its stderr:\n{stderr}"))?;
    serde_json::from_str(line)
        .with_context(|| format!("a JSON line that is not loadgen's report; its stderr:\n{stderr}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_consecutive_and_free() {
        let base = free_ports(20).unwrap();
        assert!(base >= FIRST_PORT && base + 20 <= END_PORT);
        let held: Vec<TcpListener> = (base..base + 20)
            .map(|p| TcpListener::bind((Ipv4Addr::LOCALHOST, p)).expect("free"))
            .collect();
        // With those held, the next search starts after them.
        let next = free_ports(20).unwrap();
        assert!(next >= base + 20 || next + 20 <= base, "{base} {next}");
        drop(held);
    }
}
