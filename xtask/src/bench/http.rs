//! `cargo xtask bench http`: bare hyper (a) against the runner's
//! `http.listen` (b), "hello" over keep-alive HTTP/1.1, in the same run.
//!
//! For each run and server: start the server on a free port of 127.0.0.1
//! pinned to core 0, wait for the port, read its CPU time from `/proc`,
//! run `loadgen` pinned to core 1, read the CPU time again, kill the server.
//! Runs alternate which server goes first. Medians over the runs and the
//! ratio b/a (per second and per server CPU-second) are printed, and all
//! measurements are written to `target/bench/http.json`.

use std::marker::PhantomData;

use super::contenders::{self, Contender};
use super::harness::Setup;
use super::loadgen::{LoadReport, parse_report};
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
    let kinds = contenders::select(options.only, BARE, HELLO_LUA);
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

    println!(
        "\n{}",
        table::render(&measurements, &contenders::names(&kinds))
    );
    setup.write_json("http.json", &measurements)?;

    let failed: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.errors > 0 || m.failures > 0)
        .collect();
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
    Ok(failed.is_empty())
}

/// One server, one run. The server is killed when this returns, whatever
/// happened.
fn measure(
    setup: &Setup<'_, HttpOptions>,
    kind: Contender,
    run: u32,
) -> anyhow::Result<Measurement> {
    let log = format!("{}-run{run}.log", kind.name());
    let loaded = kind.load(setup, &setup.options.load, &log, "loadgen", &[])?;
    let report: LoadReport = parse_report(&loaded.output, "loadgen")?;
    let cpu = loaded
        .usage
        .shares(report.total_s, report.client_cpu_s, report.total_requests);
    Ok(Measurement {
        server: kind.name().to_owned(),
        run,
        rate: report.rps,
        p50_us: report.latency_us.p50,
        p99_us: report.latency_us.p99,
        cpu,
        rss_mib: loaded.rss_mib,
        errors: report.errors,
        failures: report.non_200,
        first_error: report.error_detail.first,
        kind: PhantomData,
    })
}
