//! The echo server under test: building our runner, and a runner process
//! that is killed and reaped on every way out.

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

/// How long the runner may take to listen.
const LISTEN_TIMEOUT: Duration = Duration::from_secs(10);

/// A running runner, killed and reaped when dropped. Its stdout and stderr
/// go to a log file.
pub(crate) struct Server {
    /// The runner process.
    child: Child,
    /// Where its output goes.
    log: PathBuf,
}

impl Server {
    /// Starts `command[0] command[1..] args...`, logging to `log`.
    pub(crate) fn start(command: &[String], args: &[String], log: &Path) -> anyhow::Result<Self> {
        let (program, leading) = command.split_first().context("empty runner command")?;
        let file = File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let child = Command::new(program)
            .args(leading)
            .args(args)
            .stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file)
            .spawn()
            .with_context(|| format!("starting the runner `{program}`"))?;
        Ok(Self {
            child,
            log: log.to_path_buf(),
        })
    }

    /// Waits until 127.0.0.1:`port` accepts a connection, failing if the
    /// runner exits first or does not listen within 10 s.
    pub(crate) fn wait_for_port(&mut self, port: u16) -> anyhow::Result<()> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + LISTEN_TIMEOUT;
        loop {
            self.ensure_running()?;
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return self.ensure_running();
            }
            if Instant::now() >= deadline {
                bail!(
                    "the runner did not listen on {addr} within {LISTEN_TIMEOUT:?}{}",
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Fails if the runner has exited.
    pub(crate) fn ensure_running(&mut self) -> anyhow::Result<()> {
        match self.child.try_wait()? {
            None => Ok(()),
            Some(status) => bail!("the runner exited ({status}){}", self.log_tail()),
        }
    }

    /// The end of the runner's log, for error messages.
    fn log_tail(&self) -> String {
        crate::autobahn::tail(&self.log, 20)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
