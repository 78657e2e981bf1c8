//! `cargo xtask soak`: the runner under a long steady load, its memory
//! watched (part of `cargo xtask test`).
//!
//! 1. **Keep-alive requests**: the runner serves `examples/hello.lua`;
//!    `soak` (benches) sends N requests (default 1,000,000) over 32
//!    keep-alive connections and reads the runner's `VmRSS` 40 times on the
//!    way. After the warm-up (the first tenth of the requests), the mean of
//!    the last quarter of the readings may be at most `--max-growth-mib`
//!    (default 8) above the mean of the first quarter. The two means lie
//!    about 0.68 N requests apart, so a leak of 13 bytes per request fails
//!    it at N = 1M (a Lua script keeping a short string per request reaches
//!    hundreds of MiB).
//! 2. **Idle WebSocket clients**: the runner serves `examples/ws-echo.lua`
//!    with room for them (`--max-connections`); `ws-loadgen --idle N`
//!    (default 10,000) opens N clients (handshake and one echo each) and
//!    reports the runner's `VmRSS` growth per client, which may be at most
//!    `--max-client-kib` (default 32). The open-file limit is raised (this
//!    process's, which the runner inherits; the hard limit caps it, and the
//!    clients are fewer then, with a warning).
//!
//! Every step is bounded in time; the runner is killed on every way out.
//! The readings go to `target/soak/soak.json`, the runner's output to
//! `target/soak/*.log`.

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde::{Deserialize, Serialize};

use super::loadgen::parse_report;
use super::server::{Pinning, Server, free_port, output_within};
use crate::tools::target_dir;

const HELP: &str = "\
cargo xtask soak [--requests N] [--max-growth-mib MIB] [--ws-clients N]
                 [--max-client-kib KIB]

  Builds craftos-http, soak and ws-loadgen in release mode, then (1) sends N
  keep-alive requests (default 1000000) to the runner serving
  examples/hello.lua, reading its VmRSS 40 times; fails if, after the first
  tenth, the last quarter of the readings averages more than MIB (default 8)
  above the first quarter; and (2) opens N idle WebSocket clients (default
  10000) to the runner serving examples/ws-echo.lua and fails unless all
  open and the runner grows by at most KIB (default 32) per client.
  Readings: target/soak/soak.json.
";

/// What the soak takes from its command line.
#[derive(Debug, Clone, PartialEq)]
struct Options {
    requests: u64,
    max_growth_mib: f64,
    ws_clients: u64,
    max_client_kib: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            requests: 1_000_000,
            max_growth_mib: 8.0,
            ws_clients: 10_000,
            max_client_kib: 32.0,
        }
    }
}

fn parse(args: &[String]) -> anyhow::Result<Option<Options>> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> anyhow::Result<f64> {
            let text = args
                .next()
                .with_context(|| format!("{name} needs a value"))?;
            let v: f64 = text
                .parse()
                .with_context(|| format!("{name}: `{text}` is not a number"))?;
            anyhow::ensure!(
                v.is_finite() && v >= 0.0,
                "{name}: `{text}` is out of range"
            );
            Ok(v)
        };
        match arg.as_str() {
            "--requests" => options.requests = value(arg)? as u64,
            "--max-growth-mib" => options.max_growth_mib = value(arg)?,
            "--ws-clients" => options.ws_clients = value(arg)? as u64,
            "--max-client-kib" => options.max_client_kib = value(arg)?,
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(None);
            }
            other => bail!("unknown option `{other}`\n\n{HELP}"),
        }
    }
    anyhow::ensure!(options.requests >= 100, "--requests: at least 100");
    anyhow::ensure!(
        options.ws_clients <= 100_000,
        "--ws-clients: at most 100000"
    );
    Ok(Some(options))
}

/// Connections the request soak keeps open.
const CONNECTIONS: u32 = 32;
/// Memory readings after the first.
const SAMPLES: u64 = 40;
/// Seconds one exchange, connect or handshake may take.
const TIMEOUT_S: f64 = 5.0;
/// Open files the runner needs besides its clients.
const SPARE_FILES: u64 = 256;

/// A memory reading of the request soak (as `soak` reports it).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Sample {
    requests: u64,
    rss_kib: u64,
}

/// The part of `soak`'s report that is used here.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SoakReport {
    requests: u64,
    ok: u64,
    non_200: u64,
    errors: u64,
    first_error: Option<String>,
    seconds: f64,
    samples: Vec<Sample>,
}

/// The part of `ws-loadgen --idle`'s report that is used here.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct IdleReport {
    clients: u64,
    open: u64,
    rss_before_kib: u64,
    rss_after_kib: u64,
    bytes_per_client: Option<f64>,
    errors: u64,
}

/// What `target/soak/soak.json` holds.
#[derive(Debug, Serialize)]
struct Readings {
    requests: SoakReport,
    /// Mean RSS (KiB) of the first and last quarter after the warm-up.
    first_quarter_kib: f64,
    last_quarter_kib: f64,
    idle: Option<IdleReport>,
}

/// Runs the soak; `Ok(false)` when a bound is exceeded or a step failed.
pub(crate) fn run(args: &[String]) -> anyhow::Result<bool> {
    let Some(options) = parse(args)? else {
        return Ok(true);
    };
    super::harness::build(
        &["soak", "ws-loadgen"],
        Some("`cargo build --release -p craftos-http-runner` shows why"),
    )?;
    let release = target_dir().join("release");
    let logs = target_dir().join("soak");
    std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    let pinning = Pinning::detect();
    let started = Instant::now();

    let requests = soak_requests(&options, &release, &logs, pinning)?;
    let (first, last) = quarters(&requests.samples, options.requests / 10);
    let growth_mib = (last - first) / 1024.0;
    println!(
        "soak: {} requests in {:.1} s ({:.0}/s), {} non-200, {} errors",
        requests.ok,
        requests.seconds,
        requests.ok as f64 / requests.seconds.max(1e-9),
        requests.non_200,
        requests.errors
    );
    println!(
        "soak: runner RSS (MiB) after each {}th of the requests:",
        SAMPLES
    );
    println!("      {}", curve(&requests.samples));
    println!(
        "soak: after the warm-up, first quarter {:.1} MiB, last quarter {:.1} MiB: {:+.2} MiB \
         (bound {} MiB)",
        first / 1024.0,
        last / 1024.0,
        growth_mib,
        options.max_growth_mib
    );
    let mut ok = requests.ok == options.requests && requests.errors == 0;
    if !ok {
        println!(
            "soak: FAILED: {} of {} requests answered 200 (first error: {})",
            requests.ok,
            options.requests,
            requests.first_error.as_deref().unwrap_or("none")
        );
    }
    if growth_mib > options.max_growth_mib {
        println!("soak: FAILED: the runner's memory grew under steady load");
        ok = false;
    }

    let idle = if options.ws_clients > 0 {
        let idle = soak_idle(&options, &release, &logs, pinning)?;
        let per_client = idle.bytes_per_client.unwrap_or(f64::NAN);
        println!(
            "soak: {} of {} idle WebSocket clients open; runner RSS {:.1} -> {:.1} MiB, \
             {:.0} bytes per client (bound {} KiB)",
            idle.open,
            idle.clients,
            idle.rss_before_kib as f64 / 1024.0,
            idle.rss_after_kib as f64 / 1024.0,
            per_client,
            options.max_client_kib
        );
        if idle.open != idle.clients || idle.errors > 0 {
            println!("soak: FAILED: not every idle client opened");
            ok = false;
        }
        if per_client.is_nan() || per_client > options.max_client_kib * 1024.0 {
            println!("soak: FAILED: an idle client costs the runner too much memory");
            ok = false;
        }
        Some(idle)
    } else {
        None
    };

    let json = logs.join("soak.json");
    let readings = Readings {
        requests,
        first_quarter_kib: first,
        last_quarter_kib: last,
        idle,
    };
    std::fs::write(&json, serde_json::to_string_pretty(&readings)?)
        .with_context(|| format!("writing {}", json.display()))?;
    println!(
        "soak: {} in {:.0} s; readings in {}",
        if ok { "passed" } else { "FAILED" },
        started.elapsed().as_secs_f64(),
        json.display()
    );
    Ok(ok)
}

/// Part 1: the request soak against `examples/hello.lua`.
fn soak_requests(
    options: &Options,
    release: &Path,
    logs: &Path,
    pinning: Pinning,
) -> anyhow::Result<SoakReport> {
    let port = free_port()?;
    let mut command = pinning.server(&release.join("craftos-http"));
    command.arg("examples/hello.lua").arg(port.to_string());
    let mut server = Server::start("the runner (hello.lua)", command, logs.join("hello.log"))?;
    server.wait_for_port(port, Duration::from_secs(10))?;
    let mut soak = pinning.loadgen(&release.join("soak"));
    soak.arg(port.to_string())
        .args(["--pid", &server.pid().to_string()])
        .args(["--requests", &options.requests.to_string()])
        .args(["--connections", &CONNECTIONS.to_string()])
        .args(["--samples", &SAMPLES.to_string()])
        .args(["--timeout", &TIMEOUT_S.to_string()]);
    // Far more than 1M requests take on a slow machine (~25 s on a busy one).
    let limit = Duration::from_secs(60) + Duration::from_millis(options.requests / 5);
    let output = output_within(soak, limit)?;
    server
        .ensure_running()
        .context("the runner died under the request soak")?;
    parse_report(&output, "soak")
}

/// Part 2: idle WebSocket clients against `examples/ws-echo.lua`.
fn soak_idle(
    options: &Options,
    release: &Path,
    logs: &Path,
    pinning: Pinning,
) -> anyhow::Result<IdleReport> {
    let wanted = options.ws_clients + SPARE_FILES;
    let limit = raise_nofile(wanted);
    let clients = match limit {
        Some(limit) if limit < wanted => {
            let fit = limit.saturating_sub(SPARE_FILES);
            println!(
                "soak: warning: only {limit} open files allowed: {fit} idle clients, not {}",
                options.ws_clients
            );
            fit
        }
        _ => options.ws_clients,
    };
    let port = free_port()?;
    let mut command = pinning.server(&release.join("craftos-http"));
    command
        .args(["--max-connections", &(clients + SPARE_FILES).to_string()])
        .arg("examples/ws-echo.lua")
        .arg(port.to_string());
    let mut server = Server::start(
        "the runner (ws-echo.lua)",
        command,
        logs.join("ws-echo.log"),
    )?;
    server.wait_for_port(port, Duration::from_secs(10))?;
    // The runner may still be printing its banner: let the port settle.
    let _ = TcpStream::connect_timeout(
        &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        Duration::from_secs(1),
    );
    let mut loadgen: Command = pinning.loadgen(&release.join("ws-loadgen"));
    loadgen
        .arg(port.to_string())
        .args(["--idle", &clients.to_string()])
        .args(["--pid", &server.pid().to_string()])
        .args(["--settle", "1"])
        .args(["--timeout", &TIMEOUT_S.to_string()]);
    let output = output_within(loadgen, Duration::from_secs(120))?;
    server
        .ensure_running()
        .context("the runner died with idle clients")?;
    parse_report(&output, "ws-loadgen --idle")
}

/// The mean RSS (KiB) of the first and of the last quarter of the readings
/// taken after `warmup` requests.
fn quarters(samples: &[Sample], warmup: u64) -> (f64, f64) {
    let after: Vec<f64> = samples
        .iter()
        .filter(|s| s.requests >= warmup)
        .map(|s| s.rss_kib as f64)
        .collect();
    if after.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let quarter = (after.len() / 4).max(1);
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    (
        mean(&after[..quarter]),
        mean(&after[after.len() - quarter..]),
    )
}

/// The readings in MiB, one decimal, space-separated.
fn curve(samples: &[Sample]) -> String {
    samples
        .iter()
        .map(|s| format!("{:.1}", s.rss_kib as f64 / 1024.0))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Raises this process's soft open-file limit to `want` (the hard limit
/// permitting); children inherit it. The limit in force, if known.
// `rlim_t` is `u64` on 64-bit Linux, not on every Unix.
#[allow(clippy::unnecessary_cast)]
fn raise_nofile(want: u64) -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one `rlimit` through a valid pointer.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return None;
    }
    if limit.rlim_cur as u64 >= want {
        return Some(limit.rlim_cur as u64);
    }
    let raised = libc::rlimit {
        rlim_cur: (want as libc::rlim_t).min(limit.rlim_max),
        rlim_max: limit.rlim_max,
    };
    // SAFETY: setrlimit reads one `rlimit` through a valid pointer.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
        return Some(limit.rlim_cur as u64);
    }
    Some(raised.rlim_cur as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(requests: u64, mib: u64) -> Sample {
        Sample {
            requests,
            rss_kib: mib * 1024,
        }
    }

    #[test]
    fn quarters_skip_the_warm_up() {
        let samples = [s(0, 2), s(10, 9), s(20, 5), s(30, 5), s(40, 6), s(50, 7)];
        let (first, last) = quarters(&samples, 10);
        assert_eq!((first / 1024.0, last / 1024.0), (9.0, 7.0));
        let (first, last) = quarters(&samples, 20);
        assert_eq!((first / 1024.0, last / 1024.0), (5.0, 7.0));
    }

    #[test]
    fn options_parse() {
        let args: Vec<String> = ["--requests", "5000", "--ws-clients", "0"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let options = parse(&args).unwrap().unwrap();
        assert_eq!((options.requests, options.ws_clients), (5000, 0));
        assert!(parse(&["--bogus".to_owned()]).is_err());
        assert!(parse(&["--requests".to_owned(), "-1".to_owned()]).is_err());
    }
}
