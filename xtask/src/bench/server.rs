//! Child processes of a benchmark: CPU pinning, a server that is always
//! killed, and a bounded run of the load generator.

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

/// Where server and load generator run: `taskset -c CORE` prefixes, when
/// `taskset` exists and both cores 0 and 1 can be used.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pinning {
    pinned: bool,
}

impl Pinning {
    /// Probes `taskset -c 0 true` and `taskset -c 1 true`.
    pub(crate) fn detect() -> Self {
        let works = |core: &str| {
            Command::new("taskset")
                .args(["-c", core, "true"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        };
        Self {
            pinned: works("0") && works("1"),
        }
    }

    /// Whether commands are pinned.
    pub(crate) fn is_pinned(self) -> bool {
        self.pinned
    }

    /// A command for `program`, pinned to the server's core (0).
    pub(crate) fn server(self, program: &Path) -> Command {
        self.on_core("0", program)
    }

    /// A command for `program`, pinned to the load generator's core (1).
    pub(crate) fn loadgen(self, program: &Path) -> Command {
        self.on_core("1", program)
    }

    fn on_core(self, core: &str, program: &Path) -> Command {
        if self.pinned {
            // taskset execs the program: the child's pid is the program's.
            let mut command = Command::new("taskset");
            command.args(["-c", core]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }
}

/// A free port on 127.0.0.1 (bound, then released for the server to take).
pub(crate) fn free_port() -> anyhow::Result<u16> {
    crate::tools::free_port().context("finding a free port on 127.0.0.1")
}

/// A running server, killed and reaped when dropped (on every path out,
/// errors included). Its stdout and stderr go to a log file.
pub(crate) struct Server {
    name: String,
    child: Child,
    log: PathBuf,
}

impl Server {
    /// Starts `command` as the server `name`, logging to `log`.
    pub(crate) fn start(name: &str, command: Command, log: PathBuf) -> anyhow::Result<Self> {
        Self::spawn(name, command, log, Stdio::null())
    }

    /// [`Server::start`] with the server's stdin a pipe that stays open
    /// until the server is dropped, for a server that stops when its stdin
    /// closes (`host-bench`): it stops even if killing it fails.
    pub(crate) fn start_with_stdin(
        name: &str,
        command: Command,
        log: PathBuf,
    ) -> anyhow::Result<Self> {
        Self::spawn(name, command, log, Stdio::piped())
    }

    fn spawn(name: &str, mut command: Command, log: PathBuf, stdin: Stdio) -> anyhow::Result<Self> {
        let file = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let child = command
            .stdin(stdin)
            .stdout(file.try_clone()?)
            .stderr(file)
            .spawn()
            .with_context(|| format!("starting {name}: {command:?}"))?;
        Ok(Self {
            name: name.to_owned(),
            child,
            log,
        })
    }

    /// The server's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until 127.0.0.1:`port` accepts a connection, failing if the
    /// server exits first or `timeout` passes.
    pub(crate) fn wait_for_port(&mut self, port: u16, timeout: Duration) -> anyhow::Result<()> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + timeout;
        loop {
            self.ensure_running()?;
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return self.ensure_running();
            }
            if Instant::now() >= deadline {
                bail!(
                    "{} did not listen on {addr} within {timeout:?}{}",
                    self.name,
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the server's log has a line `line` (what it prints when
    /// ready), failing if the server exits first or `timeout` passes.
    pub(crate) fn wait_for_line(&mut self, line: &str, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            self.ensure_running()?;
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            if text.lines().any(|l| l.trim_end() == line) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!(
                    "{} did not print `{line}` within {timeout:?}{}",
                    self.name,
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Fails if the server has exited.
    pub(crate) fn ensure_running(&mut self) -> anyhow::Result<()> {
        match self.child.try_wait()? {
            None => Ok(()),
            Some(status) => bail!("{} exited ({status}){}", self.name, self.log_tail()),
        }
    }

    /// The end of the server's log, for error messages.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        if tail.is_empty() {
            format!("; its log {} is empty", self.log.display())
        } else {
            format!("; the end of {}:\n{tail}", self.log.display())
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `command` to completion with stdout and stderr captured, killing
/// it if it is still running after `limit`.
pub(crate) fn output_within(mut command: Command, limit: Duration) -> anyhow::Result<Output> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    // The outputs are a few lines: they fit in the pipes until the end.
    let deadline = Instant::now() + limit;
    while child.try_wait()?.is_none() {
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!("{command:?} still ran after {limit:?}; killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(child.wait_with_output()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_within_is_bounded() {
        let mut command = Command::new("sleep");
        command.arg("30");
        let err = output_within(command, Duration::from_millis(100)).unwrap_err();
        assert!(err.to_string().contains("killed"), "{err}");
    }

    #[test]
    fn output_within_captures_stdout() {
        let mut command = Command::new("echo");
        command.arg("hi");
        let out = output_within(command, Duration::from_secs(30)).unwrap();
        assert_eq!(out.stdout, b"hi\n");
    }

    #[test]
    fn server_with_stdin_says_ready_and_waits() {
        let log =
            std::env::temp_dir().join(format!("xtask-bench-test-ready-{}.log", std::process::id()));
        let mut command = Command::new("sh");
        // Says ready, then waits for its stdin to close.
        command.args(["-c", "echo ready; cat >/dev/null; echo gone"]);
        let mut server = Server::start_with_stdin("cat", command, log.clone()).unwrap();
        server
            .wait_for_line("ready", Duration::from_secs(30))
            .unwrap();
        std::thread::sleep(Duration::from_millis(50));
        server.ensure_running().unwrap();
        let err = server
            .wait_for_line("never", Duration::from_millis(100))
            .unwrap_err();
        assert!(err.to_string().contains("did not print `never`"), "{err}");
        drop(server);
        let _ = std::fs::remove_file(log);
    }

    #[test]
    fn server_that_exits_is_reported() {
        let log = std::env::temp_dir().join(format!("xtask-bench-test-{}.log", std::process::id()));
        let mut command = Command::new("sh");
        command.args(["-c", "echo boom >&2; exit 3"]);
        let mut server = Server::start("boom", command, log.clone()).unwrap();
        let port = free_port().unwrap();
        let err = server
            .wait_for_port(port, Duration::from_secs(30))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("boom exited") && err.ends_with("\nboom"),
            "{err}"
        );
        drop(server);
        let _ = std::fs::remove_file(log);
    }
}
