//! One `wstest -m fuzzingclient` run: its spec file, and the process,
//! killed if it outlives its time limit.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

/// The agent name the report files are named after.
pub(crate) const AGENT: &str = "craftos-http";
/// Compression (permessage-deflate), which the server does not offer.
const EXCLUDED_CASES: &[&str] = &["12.*", "13.*"];

/// Runs the fuzzing client against `ws://127.0.0.1:port`, writing the spec
/// and the log in `dir` and the reports in `reports` (emptied first).
/// Fails if wstest fails or still runs after `limit`.
pub(crate) fn run(
    wstest: &Path,
    dir: &Path,
    reports: &Path,
    port: u16,
    cases: &[String],
    limit: Duration,
) -> anyhow::Result<()> {
    if reports.exists() {
        std::fs::remove_dir_all(reports)
            .with_context(|| format!("removing the old {}", reports.display()))?;
    }
    let spec_path = dir.join("fuzzingclient.json");
    let spec = spec(reports, port, cases);
    std::fs::write(&spec_path, serde_json::to_string_pretty(&spec)?)
        .with_context(|| format!("writing {}", spec_path.display()))?;
    let log = dir.join("wstest.log");
    println!(
        "== autobahn: wstest -m fuzzingclient, cases {} (log: {})",
        cases.join(","),
        log.display()
    );
    let mut command = Command::new(wstest);
    command
        .args(["-m", "fuzzingclient", "-s"])
        .arg(&spec_path)
        .current_dir(dir);
    run_bounded(command, &log, limit)
}

/// The fuzzingclient spec: one server, `cases` minus compression.
fn spec(reports: &Path, port: u16, cases: &[String]) -> serde_json::Value {
    serde_json::json!({
        "outdir": reports,
        "servers": [{ "agent": AGENT, "url": format!("ws://127.0.0.1:{port}") }],
        "cases": cases,
        "exclude-cases": EXCLUDED_CASES,
        "exclude-agent-cases": {},
    })
}

/// Runs `command` with its output in `log`, killing it after `limit`.
fn run_bounded(mut command: Command, log: &Path, limit: Duration) -> anyhow::Result<()> {
    let file = File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file)
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "wstest still ran after {limit:?}; killed{}",
                super::tail(log, 20)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    if !status.success() {
        bail!("wstest failed ({status}){}", super::tail(log, 20));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_names_server_cases_and_exclusions() {
        let cases = vec!["1.*".to_owned(), "9.*".to_owned()];
        let spec = spec(Path::new("/tmp/reports"), 9001, &cases);
        assert_eq!(spec["outdir"], "/tmp/reports");
        assert_eq!(spec["servers"][0]["url"], "ws://127.0.0.1:9001");
        assert_eq!(spec["servers"][0]["agent"], AGENT);
        assert_eq!(spec["cases"], serde_json::json!(["1.*", "9.*"]));
        assert_eq!(spec["exclude-cases"], serde_json::json!(["12.*", "13.*"]));
    }

    #[test]
    fn run_bounded_kills_after_the_limit() {
        let log = std::env::temp_dir().join(format!("xtask-autobahn-{}.log", std::process::id()));
        let mut command = Command::new("sleep");
        command.arg("30");
        let err = run_bounded(command, &log, Duration::from_millis(200)).unwrap_err();
        assert!(err.to_string().contains("killed"), "{err}");
        let _ = std::fs::remove_file(log);
    }
}
