//! `cargo xtask autobahn`: runs the Autobahn|Testsuite fuzzing client
//! (`wstest -m fuzzingclient`, cases 1 to 10) against the runner serving
//! `examples/ws-echo.lua`, and fails on any case whose behaviour is not OK,
//! NON-STRICT or INFORMATIONAL.
//!
//! Steps, each in its own module:
//! 1. [`install`]: Python 2.7 (from Debian bullseye, through a temporary APT
//!    source), a virtualenv and the pinned `autobahntestsuite`, cached in
//!    `target/autobahn/` (a second run only checks it).
//! 2. [`server`]: builds the runner in release mode and starts it on a free
//!    port, killed on every way out.
//! 3. [`wstest`]: writes the spec and runs `wstest`, bounded in time.
//! 4. [`report`]: reads the report's `index.json` and prints the summary.
//!
//! Why Python 2.7 and which pins: `shared/notes/autobahn.md`.

mod apt;
mod install;
mod options;
mod report;
mod server;
mod wstest;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;

use options::Options;
use server::Server;

/// Largest WebSocket message the echo server accepts: group 9 sends up to
/// 16 MiB, far above the runner's default limit.
const WS_MAX_MESSAGE: &str = "16777216";

/// Runs the suite with the given arguments; `Ok(true)` iff no case failed.
pub(crate) fn run(args: &[String]) -> anyhow::Result<bool> {
    let options = options::parse(args)?;
    if options.help {
        print!("{}", options::USAGE);
        return Ok(true);
    }
    let started = Instant::now();
    let dir = work_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let dir = dir
        .canonicalize()
        .with_context(|| format!("resolving {}", dir.display()))?;

    let step = Instant::now();
    let wstest = install::ensure(&dir)?;
    println!("== autobahn: install step took {:.1?}", step.elapsed());

    let passed = run_suite(&options, &dir, &wstest)?;
    println!("== autobahn: total {:.1?}", started.elapsed());
    Ok(passed)
}

/// Starts the echo server, runs `wstest` against it and judges the report.
/// The server is killed when this returns, errors included.
fn run_suite(options: &Options, dir: &Path, wstest: &Path) -> anyhow::Result<bool> {
    let runner = match &options.runner {
        Some(words) => words.clone(),
        None => {
            println!(
                "== autobahn: cargo build --release -p craftos-http-runner --bin craftos-http"
            );
            vec![crate::tools::runner()?.to_string_lossy().into_owned()]
        }
    };
    let port = crate::tools::free_port().context("finding a free port on 127.0.0.1")?;
    let args = [
        "--ws-max-message".to_owned(),
        WS_MAX_MESSAGE.to_owned(),
        options.script.clone(),
        port.to_string(),
    ];
    let mut server = Server::start(&runner, &args, &dir.join("runner.log"))?;
    server.wait_for_port(port)?;
    println!("== autobahn: {} listens on port {port}", runner.join(" "));

    let reports = dir.join("reports");
    let step = Instant::now();
    wstest::run(wstest, dir, &reports, port, &options.cases, options.timeout)?;
    println!("== autobahn: wstest took {:.1?}", step.elapsed());
    let still_running = server.ensure_running();

    let results = report::load(&reports)?;
    let passed = report::summarize(&results, &reports);
    still_running.context("the runner died during the run")?;
    Ok(passed)
}

/// `target/autobahn` (under `$CARGO_TARGET_DIR` when set).
fn work_dir() -> PathBuf {
    crate::tools::target_dir().join("autobahn")
}

/// The last `count` lines of the log at `path`, as the end of an error
/// message.
fn tail(path: &Path, count: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(count)..].join("\n");
    if tail.is_empty() {
        format!("; its log {} is empty", path.display())
    } else {
        format!("; the end of {}:\n{tail}", path.display())
    }
}
