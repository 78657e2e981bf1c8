//! What several tasks need: cargo's target directory, building the runner,
//! and a free port on 127.0.0.1.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context as _;

/// Cargo's target directory: `$CARGO_TARGET_DIR` or `target/` (tasks run
/// in the project root).
pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from)
}

/// `cargo build --release` of the runner, with `extra` arguments (features)
/// and into `target` (default: cargo's own); the path of the binary, or
/// `None` if cargo failed.
pub(crate) fn build_runner(
    extra: &[&str],
    target: Option<&Path>,
) -> anyhow::Result<Option<PathBuf>> {
    let mut command = Command::new(crate::cargo());
    command
        .args([
            "build",
            "--release",
            "-p",
            "craftos-http-runner",
            "--bin",
            "craftos-http",
        ])
        .args(extra);
    if let Some(target) = target {
        command.env("CARGO_TARGET_DIR", target);
    }
    let status = command
        .status()
        .context("cannot run cargo to build the runner")?;
    if !status.success() {
        return Ok(None);
    }
    let target = target.map_or_else(target_dir, Path::to_path_buf);
    Ok(Some(target.join("release").join(format!(
        "craftos-http{}",
        std::env::consts::EXE_SUFFIX
    ))))
}

/// Our runner, built in release mode in cargo's target directory.
pub(crate) fn runner() -> anyhow::Result<PathBuf> {
    build_runner(&[], None)?.context("building the runner failed")
}

/// A free TCP port on 127.0.0.1 (bound, read, released for a server to take).
pub(crate) fn free_port() -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}
