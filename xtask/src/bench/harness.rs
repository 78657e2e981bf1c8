//! What every benchmark does before its first measurement: the release
//! build, the log directory under the target directory, CPU pinning.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context as _, bail};

use super::procfs;
use super::server::Pinning;

/// What every measurement needs: the benchmark's options, where its
/// processes run, the release binaries and the logs.
pub(crate) struct Setup<'a, O> {
    /// The benchmark's command line.
    pub options: &'a O,
    /// Where servers and load generators run.
    pub pinning: Pinning,
    /// `target/release`, with the binaries built.
    pub release: PathBuf,
    /// `target/bench`: server logs and the measurements' JSON.
    pub logs: PathBuf,
    /// Clock ticks per second, for `/proc` CPU times.
    pub ticks_per_second: u64,
}

impl<'a, O> Setup<'a, O> {
    /// Creates the log directory, detects the pinning and says it:
    /// `pinned` (say "servers on core 0, loadgen on core 1") when pinned.
    pub(crate) fn new(options: &'a O, pinned: &str) -> anyhow::Result<Self> {
        let target = target_dir();
        let logs = target.join("bench");
        std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
        let pinning = Pinning::detect();
        if pinning.is_pinned() {
            eprintln!("bench: {pinned} (taskset)");
        } else {
            eprintln!("bench: taskset or a second core is missing: nothing is pinned");
        }
        Ok(Self {
            options,
            pinning,
            release: target.join("release"),
            logs,
            ticks_per_second: procfs::ticks_per_second(),
        })
    }

    /// Writes `value` as pretty JSON to `name` in the log directory and
    /// prints where.
    pub(crate) fn write_json(
        &self,
        name: &str,
        value: &impl serde::Serialize,
    ) -> anyhow::Result<()> {
        let json = self.logs.join(name);
        std::fs::write(&json, serde_json::to_string_pretty(value)?)
            .with_context(|| format!("writing {}", json.display()))?;
        println!("\nmeasurements: {}", json.display());
        Ok(())
    }
}

/// Builds `bins` of `craftos-http-benches` in release mode, and the runner
/// too when `runner_hint` is given: then a failed build suggests it (say
/// "`cargo xtask bench http --only bare` measures bare hyper alone").
pub(crate) fn build(bins: &[&str], runner_hint: Option<&str>) -> anyhow::Result<()> {
    let mut command = Command::new(crate::cargo());
    command.args(["build", "--release", "-p", "craftos-http-benches"]);
    for bin in bins {
        command.args(["--bin", bin]);
    }
    if runner_hint.is_some() {
        command.args(["-p", "craftos-http-runner", "--bin", "craftos-http"]);
    }
    eprintln!("bench: {command:?}");
    let status = command.status().context("running cargo build")?;
    if !status.success() {
        let hint = runner_hint
            .map(|hint| format!(" (if the runner does not build yet, {hint})"))
            .unwrap_or_default();
        bail!("the release build failed{hint}");
    }
    Ok(())
}

use crate::tools::target_dir;
