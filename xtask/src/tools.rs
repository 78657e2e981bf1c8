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
///
/// Never the same port twice in one xtask process: the system may hand a
/// port it just gave out to the next `bind(0)` once it is released, and two
/// conformance cases running in parallel would then share it (one case's
/// runner binds it while the other's, still busy before its `listen`, finds
/// it taken, and the second case's requests reach the first's runner).
pub(crate) fn free_port() -> std::io::Result<u16> {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    for _ in 0..1000 {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        let port = listener.local_addr()?.port();
        if !given.contains(&port) {
            given.push(port);
            return Ok(port);
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AddrNotAvailable,
        "every port the system offered had been given out already",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_never_given_twice() {
        let ports: Vec<u16> = (0..200).map(|_| free_port().unwrap()).collect();
        let mut unique = ports.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ports.len());
    }
}
