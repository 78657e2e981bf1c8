//! `cargo xtask bench http`: bare hyper (a) against the runner's
//! `http.listen` (b), "hello" over keep-alive HTTP/1.1, in the same run.
//!
//! For each run and server: start the server on a free port of 127.0.0.1
//! pinned to core 0, wait for the port, read its CPU time from `/proc`,
//! run `loadgen` pinned to core 1, read the CPU time again, kill the server.
//! Runs alternate which server goes first. Medians over the runs and the
//! ratio b/a (per second and per server CPU-second) are printed, and all
//! measurements are written to `target/bench/http.json`.
//!
//! Then (unless `--open-loop 0`) the open-loop load: every server again,
//! at a fixed rate of half (`--open-loop F`) the first server's median
//! saturation rate, latency counted from the intended send times; see
//! [`open_loop`].

use std::marker::PhantomData;

use super::contenders::{self, Contender};
use super::cpu::CpuShares;
use super::harness::Setup;
use super::loadgen::{LoadReport, parse_report};
use super::nginx::Site;
use super::open_loop::{self, OpenMeasurement};
use super::options::HttpOptions;
use super::table::{self, Measurement};

/// The bare server, the baseline (a).
const BARE: &str = "bare-hyper";

/// The Lua script the runner (b) serves.
const HELLO_LUA: &str = "benches/lua/hello.lua";

/// Other processes' CPU, in percent of one core, above which a
/// measurement is flagged as disturbed.
const DISTURBED_PCT: f64 = 10.0;

/// Runs the benchmark; `Ok(false)` if any load saw errors or non-200s.
pub(crate) fn run(options: &HttpOptions) -> anyhow::Result<bool> {
    let kinds = contenders::select(options.only, BARE, Site::Hello, HELLO_LUA)?;
    contenders::build_all(
        &kinds,
        BARE,
        "loadgen",
        "`cargo xtask bench http --only bare` measures bare hyper alone",
    )?;
    let setup = Setup::new(options, "servers on core 0, loadgen on core 1")?;
    let load = &options.load;
    eprintln!(
        "bench: {} run(s) of {} s (+{} s warm-up), {} connections; server logs in {}",
        load.runs,
        load.duration,
        load.warmup,
        load.connections,
        setup.logs.display()
    );

    let mut measurements = Vec::new();
    for run in 1..=load.runs {
        for kind in contenders::in_order(&kinds, run) {
            let m = measure(&setup, kind, run)?;
            eprintln!(
                "bench: run {run} {}: {:.0} req/s, p50 {:.0} us, p99 {:.0} us, CPU {:.2} s",
                m.server, m.rate, m.p50_us, m.p99_us, m.cpu.cpu_s
            );
            measurements.push(m);
        }
    }
    contenders::sort_by_run(&mut measurements, &kinds, |m| (m.run, &m.server));

    let names = contenders::names(&kinds);
    println!(
        "\nclosed loop (each connection's next request when its answer is in):\n{}",
        table::render(&measurements, &names)
    );

    let baseline: Vec<f64> = measurements
        .iter()
        .filter(|m| m.server == names[0])
        .map(|m| m.rate)
        .collect();
    let mut open = Vec::new();
    if let Some(rate) = open_loop::rate(options.open_loop, &baseline) {
        eprintln!(
            "bench: open loop at {rate:.0} req/s ({} of {}'s median saturation)",
            options.open_loop, names[0]
        );
        for run in 1..=load.runs {
            for kind in contenders::in_order(&kinds, run) {
                let m = measure_open(&setup, kind, run, rate)?;
                eprintln!(
                    "bench: run {run} {} at {rate:.0} req/s: p50 {:.0} us, p99 {:.0} us, p99.9 {:.0} us",
                    m.server, m.p50_us, m.p99_us, m.p999_us
                );
                open.push(m);
            }
        }
        contenders::sort_by_run(&mut open, &kinds, |m| (m.run, &m.server));
        println!(
            "\nopen loop at {rate:.0} req/s ({:.0} % of {}'s saturation; latency from each \
             request's intended send time):\n{}",
            options.open_loop * 100.0,
            names[0],
            open_loop::render(&open, &names)
        );
    }
    let all = serde_json::json!({ "closed_loop": measurements, "open_loop": open });
    setup.write_json("http.json", &all)?;

    let failed: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.errors > 0 || m.failures > 0)
        .collect();
    for m in open.iter().filter(|m| m.errors > 0) {
        eprintln!(
            "bench: open loop run {} {}: {} errors or non-200 responses",
            m.run, m.server, m.errors
        );
    }
    let open_failed = open.iter().any(|m| m.errors > 0);
    let disturbed: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.cpu.other_cpu_pct.is_some_and(|pct| pct > DISTURBED_PCT))
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
            m.failures,
            m.first_error.as_deref().unwrap_or("-")
        );
    }
    Ok(failed.is_empty() && !open_failed)
}

/// One server, one run of the open-loop load at `rate` requests per second.
fn measure_open(
    setup: &Setup<'_, HttpOptions>,
    kind: Contender,
    run: u32,
    rate: f64,
) -> anyhow::Result<OpenMeasurement> {
    let log = format!("{}-open-run{run}.log", kind.name());
    let extra = ["--rate".to_owned(), format!("{rate:.0}")];
    let (report, cpu, _) = load(setup, kind, &log, &extra)?;
    Ok(OpenMeasurement {
        server: kind.name().to_owned(),
        run,
        asked_rps: rate,
        rps: report.rps,
        p50_us: report.latency_us.p50,
        p99_us: report.latency_us.p99,
        p999_us: report.latency_us.p999,
        max_us: report.latency_us.max,
        cpu_pct: cpu.cpu_pct,
        errors: report.errors + report.non_200,
    })
}

/// One server, one run. The server is killed when this returns, whatever
/// happened.
fn measure(
    setup: &Setup<'_, HttpOptions>,
    kind: Contender,
    run: u32,
) -> anyhow::Result<Measurement> {
    let log = format!("{}-run{run}.log", kind.name());
    let (report, cpu, rss_mib) = load(setup, kind, &log, &[])?;
    Ok(Measurement {
        server: kind.name().to_owned(),
        run,
        rate: report.rps,
        p50_us: report.latency_us.p50,
        p99_us: report.latency_us.p99,
        cpu,
        rss_mib,
        errors: report.errors,
        failures: report.non_200,
        first_error: report.error_detail.first,
        kind: PhantomData,
    })
}

/// `loadgen` with `extra` on `kind` (killed when this returns): its report,
/// the server's CPU shares and its peak memory.
fn load(
    setup: &Setup<'_, HttpOptions>,
    kind: Contender,
    log: &str,
    extra: &[String],
) -> anyhow::Result<(LoadReport, CpuShares, Option<f64>)> {
    let loaded = kind.load(setup, &setup.options.load, log, "loadgen", extra)?;
    let report: LoadReport = parse_report(&loaded.output, "loadgen")?;
    let cpu = loaded
        .usage
        .shares(report.total_s, report.client_cpu_s, report.total_requests);
    Ok((report, cpu, loaded.rss_mib))
}
