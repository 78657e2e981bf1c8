//! `cargo xtask bench host`: one host (`craftos_http_runner::host`) running N
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
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use super::cpu::CpuMeter;
use super::harness::{Setup, build};
use super::loadgen::{LoadReport, parse_report, run_load};
use super::procfs;
use super::server::Server;
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

/// Runs the benchmark; `Ok(false)` if any load saw errors or non-200s.
pub(crate) fn run(options: &HostOptions) -> anyhow::Result<bool> {
    build(&["host-bench", "loadgen"], None)?;
    let setup = Setup::new(options, "host on core 0, loadgen on core 1")?;
    // Children inherit this process's limit: the host binds N ports and
    // serves N connections, loadgen opens N (both raise their own too).
    let most = options.computers.iter().copied().max().unwrap_or(1);
    let files = 2 * u64::from(options.connections_for(most)) + SPARE_FILES;
    if let Some(warning) = ensure_nofile(std::process::id(), files) {
        eprintln!("bench: warning: {warning}");
    }
    let load = &options.load;
    eprintln!(
        "bench: {} run(s) of {} s (+{} s warm-up) on hosts of {:?} computers; logs in {}",
        load.runs,
        load.duration,
        load.warmup,
        options.computers,
        setup.logs.display()
    );

    let mut empty = Vec::new();
    let mut measurements = Vec::new();
    for run in 1..=load.runs {
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
    let all = serde_json::json!({ "empty_host_rss_kib": empty, "hosts": measurements });
    setup.write_json("host.json", &all)?;
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
    setup: &Setup<'_, HostOptions>,
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
fn measure_empty(setup: &Setup<'_, HostOptions>, run: u32) -> anyhow::Result<u64> {
    let (server, _) = start(setup, 0, FIRST_PORT, &format!("host-0-run{run}.log"))?;
    procfs::rss_kib(server.pid()).context("reading the empty host's VmRSS")
}

/// The load on a host of `computers` computers in one run.
fn measure(
    setup: &Setup<'_, HostOptions>,
    computers: u32,
    run: u32,
) -> anyhow::Result<HostMeasurement> {
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
    let meter = CpuMeter::start(pid, setup.ticks_per_second)?;

    let last = u32::from(base) + computers - 1;
    let ports = ["--ports".to_owned(), format!("{base}-{last}")];
    let output = run_load(setup, "loadgen", &ports, connections, &options.load, &[])?;

    server
        .ensure_running()
        .with_context(|| format!("host-bench with {computers} computers died under load"))?;
    let usage = meter.stop()?;
    let peak_rss_kib = procfs::peak_rss_kib(pid);
    drop(server);

    let report: LoadReport = parse_report(&output, "loadgen")?;
    let cpu = usage.shares(report.total_s, report.client_cpu_s, report.total_requests);
    Ok(HostMeasurement {
        computers,
        run,
        connections,
        rps: report.rps,
        p50_us: report.latency_us.p50,
        p99_us: report.latency_us.p99,
        cpu_pct: cpu.cpu_pct,
        per_cpu_s: cpu.per_cpu_s,
        loadgen_cpu_pct: cpu.loadgen_cpu_pct,
        other_cpu_pct: cpu.other_cpu_pct,
        boot_s: boot.as_secs_f64(),
        rss_kib,
        peak_rss_kib,
        errors: report.errors,
        non_200: report.non_200,
        first_error: report.error_detail.first,
    })
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
