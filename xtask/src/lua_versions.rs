//! `cargo xtask lua-versions [--versions V,...] [conformance options]`:
//! builds the runner once per Lua the binding supports (mlua's `lua51`,
//! `lua52`, `lua53`, `lua54`, `luajit`, all vendored) and runs the
//! conformance suite against each, then prints one summary line per
//! version.
//!
//! Each variant is built into `target/lua-versions` (`$CARGO_TARGET_DIR/
//! lua-versions` if that is set), apart from the main target directory, so
//! switching versions rebuilds only mlua and the binding there. Its binary
//! is kept as `craftos-http-<version>` next to the build. Arguments other
//! than `--versions` go to `cargo xtask conformance` (`--filter`, `--jobs`,
//! `-v`).

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;

/// Usage text, printed for `--help`.
const USAGE: &str = "\
cargo xtask lua-versions [--versions V,...] [conformance options]

Builds the runner for each Lua version into target/lua-versions and runs the
conformance suite against it; prints one summary line per version.

options:
  --versions V,...  comma-separated, from lua51, lua52, lua53, lua54, luajit
                    (default: lua51,lua53,lua54,luajit; lua52, the default
                    build, is what `cargo xtask conformance` runs)
  other options     passed to `cargo xtask conformance` (--filter, --jobs, -v)
";

/// The Lua features of `craftos-http-runner` (forwarded to the binding and
/// the environment).
const ALL: [&str; 5] = ["lua51", "lua52", "lua53", "lua54", "luajit"];
/// The versions run by default: all but the default build's.
const DEFAULT: [&str; 4] = ["lua51", "lua53", "lua54", "luajit"];

/// What happened to one version.
struct Report {
    version: String,
    build: Duration,
    /// `None` if the build failed.
    suite: Option<Suite>,
}

/// The conformance run of one version.
struct Suite {
    took: Duration,
    /// The suite's last line, `N passed, M failed`, if it printed one.
    summary: Option<String>,
    passed: bool,
}

/// Runs the task; `Ok(true)` iff every version built and passed.
pub(crate) fn run(args: &[String]) -> anyhow::Result<bool> {
    let mut versions: Vec<String> = DEFAULT.iter().map(|v| v.to_string()).collect();
    let mut forwarded = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--help" || arg == "-h" {
            print!("{USAGE}");
            return Ok(true);
        } else if let Some(list) = arg.strip_prefix("--versions=") {
            versions = parse_versions(list)?;
        } else if arg == "--versions" {
            let list = args
                .next()
                .ok_or_else(|| anyhow::anyhow!("`--versions` needs a value\n\n{USAGE}"))?;
            versions = parse_versions(list)?;
        } else {
            forwarded.push(arg.clone());
        }
    }

    let target = crate::tools::target_dir().join("lua-versions");
    std::fs::create_dir_all(&target)
        .with_context(|| format!("cannot create {}", target.display()))?;
    let xtask = std::env::current_exe().context("cannot locate the xtask binary")?;

    let mut reports = Vec::new();
    for version in &versions {
        println!("== lua-versions: {version}: build");
        let started = Instant::now();
        let binary = build(version, &target)?;
        let build = started.elapsed();
        let suite = match binary {
            None => None,
            Some(binary) => {
                println!("== lua-versions: {version}: conformance");
                Some(conformance(&xtask, &binary, &forwarded)?)
            }
        };
        reports.push(Report {
            version: version.clone(),
            build,
            suite,
        });
    }

    println!("== lua-versions: summary");
    let mut all_passed = true;
    for report in &reports {
        let (status, rest) = match &report.suite {
            None => ("BUILD FAILED", String::new()),
            Some(suite) => (
                if suite.passed { "ok" } else { "FAIL" },
                format!(
                    ", conformance {:.0?}: {}",
                    suite.took,
                    suite.summary.as_deref().unwrap_or("no summary line")
                ),
            ),
        };
        all_passed &= report.suite.as_ref().is_some_and(|suite| suite.passed);
        println!(
            "{:<6} {status:<4} (build {:.0?}{rest})",
            report.version, report.build
        );
    }
    Ok(all_passed)
}

/// The versions of a `--versions` list, checked.
fn parse_versions(list: &str) -> anyhow::Result<Vec<String>> {
    let versions: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect();
    anyhow::ensure!(!versions.is_empty(), "`--versions` is empty");
    for version in &versions {
        anyhow::ensure!(
            ALL.contains(&version.as_str()),
            "unknown Lua version `{version}` (one of {})",
            ALL.join(", ")
        );
    }
    Ok(versions)
}

/// Builds the runner with `version` into `target`; the path of its copy
/// `craftos-http-<version>`, or `None` if cargo failed.
fn build(version: &str, target: &Path) -> anyhow::Result<Option<PathBuf>> {
    let features = format!("{version},vendored");
    let extra = ["--no-default-features", "--features", features.as_str()];
    let Some(built) = crate::tools::build_runner(&extra, Some(target))? else {
        return Ok(None);
    };
    let exe = std::env::consts::EXE_SUFFIX;
    let copy = target.join(format!("craftos-http-{version}{exe}"));
    std::fs::copy(&built, &copy)
        .with_context(|| format!("cannot copy {} to {}", built.display(), copy.display()))?;
    Ok(Some(copy))
}

/// Runs `xtask conformance --runner binary [forwarded...]`, echoing its
/// output, and keeps its summary line.
fn conformance(xtask: &Path, binary: &Path, forwarded: &[String]) -> anyhow::Result<Suite> {
    let runner = binary.to_string_lossy().into_owned();
    // --runner splits its value on whitespace.
    anyhow::ensure!(
        !runner.contains(char::is_whitespace),
        "the runner's path {runner:?} contains whitespace; set CARGO_TARGET_DIR to a path without"
    );
    let started = Instant::now();
    let mut child = Command::new(xtask)
        .arg("conformance")
        .arg("--runner")
        .arg(&runner)
        .args(forwarded)
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run the conformance suite")?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut summary = None;
    let mut out = std::io::stdout();
    for line in BufReader::new(stdout).lines() {
        let line = line.context("reading the suite's output")?;
        writeln!(out, "{line}")?;
        if is_summary(&line) {
            summary = Some(line);
        }
    }
    let status = child.wait().context("waiting for the conformance suite")?;
    Ok(Suite {
        took: started.elapsed(),
        summary,
        passed: status.success(),
    })
}

/// Whether `line` is the suite's `N passed, M failed`.
fn is_summary(line: &str) -> bool {
    let mut words = line.split_whitespace();
    matches!(
        (
            words.next().map(|w| w.parse::<u64>().is_ok()),
            words.next(),
            words.next().map(|w| w.parse::<u64>().is_ok()),
            words.next(),
            words.next(),
        ),
        (
            Some(true),
            Some("passed,"),
            Some(true),
            Some("failed"),
            None
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(
            parse_versions("lua54, luajit").unwrap(),
            ["lua54", "luajit"]
        );
        assert!(parse_versions("lua55").is_err());
        assert!(parse_versions(",").is_err());
    }

    #[test]
    fn summary_line() {
        assert!(is_summary("146 passed, 0 failed"));
        assert!(!is_summary("ok   tests/conformance/http/x.lua [R1]"));
        assert!(!is_summary("1 passed, 2 failed extra"));
    }
}
