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

use std::marker::PhantomData;
use std::time::Duration;

use anyhow::Context as _;
use serde::Deserialize;

use super::contenders::{self, Contender};
use super::harness::Setup;
use super::loadgen::{self, ErrorDetail, Latency, parse_report};
use super::nginx::Site;
use super::server::output_within;
pub(crate) use options::WsOptions;
use table::{EchoMeasurement, MemoryMeasurement};

/// The bare server, the baseline (a).
const BARE: &str = "bare-ws-echo";

/// The Lua script the runner (b) serves.
const ECHO_LUA: &str = "examples/ws-echo.lua";

/// Bytes of each echoed message.
const MESSAGE_BYTES: u32 = 16;

/// Seconds the memory measurement lets the server settle before each
/// reading.
const SETTLE_S: f64 = 1.0;

/// Open files a server needs besides its idle connections.
const SPARE_FILES: u64 = 64;

/// Other processes' CPU, in percent of one core, above which a
/// measurement is flagged as disturbed.
const DISTURBED_PCT: f64 = 10.0;

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

/// Runs the benchmark; `Ok(false)` if any load saw errors or bad echoes,
/// or not every idle connection opened.
pub(crate) fn run(options: &WsOptions) -> anyhow::Result<bool> {
    let kinds = contenders::select(options.only, BARE, Site::WsEcho, ECHO_LUA)?;
    contenders::build_all(
        &kinds,
        BARE,
        "ws-loadgen",
        "`cargo xtask bench ws --only bare` measures the bare server alone",
    )?;
    let setup = Setup::new(options, "servers on core 0, ws-loadgen on core 1")?;
    let load = &options.load;
    eprintln!(
        "bench: {} run(s) of {} s (+{} s warm-up), {} connections, {MESSAGE_BYTES}-byte \
         messages; {} idle clients; server logs in {}",
        load.runs,
        load.duration,
        load.warmup,
        load.connections,
        options.idle,
        setup.logs.display()
    );

    let mut echoes = Vec::new();
    let mut memories = Vec::new();
    for run in 1..=load.runs {
        let order = contenders::in_order(&kinds, run);
        for &kind in &order {
            let m = measure_echo(&setup, kind, run)?;
            eprintln!(
                "bench: run {run} {}: {:.0} round trips/s, p50 {:.0} us, p99 {:.0} us, CPU {:.2} s",
                m.server, m.rate, m.p50_us, m.p99_us, m.cpu.cpu_s
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
    contenders::sort_by_run(&mut echoes, &kinds, |m| (m.run, &m.server));
    contenders::sort_by_run(&mut memories, &kinds, |m| (m.run, &m.server));

    let names = contenders::names(&kinds);
    println!("\necho round trips ({MESSAGE_BYTES}-byte text messages):");
    println!("{}", table::render_echo(&echoes, &names));
    if !memories.is_empty() {
        println!("\nmemory per idle WebSocket client (VmRSS growth over open clients):");
        println!("{}", table::render_memory(&memories, &names));
    }
    let all = serde_json::json!({ "echo": echoes, "memory": memories });
    setup.write_json("ws.json", &all)?;

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
        .filter(|m| m.cpu.other_cpu_pct.is_some_and(|pct| pct > DISTURBED_PCT))
        .count();
    if disturbed > 0 {
        eprintln!(
            "bench: warning: other processes used more than {DISTURBED_PCT}% of a core during \
             {disturbed} of the echo measurements (column `other %`): their round trips/s and \
             latencies are disturbed; rt/CPU-s much less so"
        );
    }
    let mut ok = true;
    for m in echoes.iter().filter(|m| m.errors > 0 || m.failures > 0) {
        ok = false;
        eprintln!(
            "bench: run {} {}: {} errors, {} bad echoes (first error: {})",
            m.run,
            m.server,
            m.errors,
            m.failures,
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

/// The echo load on one server in one run.
fn measure_echo(
    setup: &Setup<'_, WsOptions>,
    kind: Contender,
    run: u32,
) -> anyhow::Result<EchoMeasurement> {
    let log = format!("ws-{}-run{run}.log", kind.name());
    let loaded = kind.load(
        setup,
        &setup.options.load,
        &log,
        "ws-loadgen",
        &["--size".to_owned(), MESSAGE_BYTES.to_string()],
    )?;
    let report: EchoReport = parse_report(&loaded.output, "ws-loadgen")?;
    let cpu = loaded.usage.shares(
        report.total_s,
        report.client_cpu_s,
        report.total_round_trips,
    );
    Ok(EchoMeasurement {
        server: kind.name().to_owned(),
        run,
        rate: report.rtps,
        p50_us: report.latency_us.p50,
        p99_us: report.latency_us.p99,
        cpu,
        rss_mib: loaded.rss_mib,
        errors: report.errors,
        failures: report.bad_echoes,
        first_error: report.error_detail.first,
        kind: PhantomData,
    })
}

/// The memory per idle client of one server in one run.
fn measure_memory(
    setup: &Setup<'_, WsOptions>,
    kind: Contender,
    run: u32,
) -> anyhow::Result<MemoryMeasurement> {
    let idle = setup.options.idle;
    let (mut server, port) = kind.start(setup, &format!("ws-{}-mem-run{run}.log", kind.name()))?;
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
        .args(["--timeout", &loadgen::TIMEOUT_S.to_string()]);
    let limit = Duration::from_secs_f64(2.0 * SETTLE_S + 2.0 * loadgen::TIMEOUT_S) + loadgen::SLACK;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::loadgen::tests::output;

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
}
