//! The runner process of one case: choosing a port, spawning it with its
//! output captured, waiting for it to listen, and stopping it.

use std::ffi::OsString;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdin, Command};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, timeout};

use super::case::Stream;
use super::escape::show;

/// How the runner is invoked: program and leading arguments.
#[derive(Debug, Clone)]
pub(crate) struct Runner {
    /// Program to execute.
    pub(crate) program: String,
    /// Arguments put before everything else.
    pub(crate) args: Vec<String>,
}

/// Most output kept per stream; the rest is read and discarded.
const MAX_OUTPUT: usize = 16 * 1024 * 1024;
/// How long to wait for the port to accept connections.
const LISTEN_TIMEOUT: Duration = Duration::from_secs(5);
/// Interval between connection attempts while waiting for the port.
const LISTEN_POLL: Duration = Duration::from_millis(10);
/// Bound on reaping the runner once it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
/// Bound on draining each pipe once the runner is gone (a grandchild may
/// still hold it open).
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

pub(crate) use crate::tools::free_port;

/// Interval between looks at the output while waiting for some text.
const OUTPUT_POLL: Duration = Duration::from_millis(10);

/// A running runner with its stdout and stderr being drained.
#[derive(Debug)]
pub(crate) struct Process {
    /// The child (killed on drop).
    child: Child,
    /// Its stdin, when it is a pipe not yet closed.
    stdin: Option<ChildStdin>,
    /// Captured stdout.
    stdout: Capture,
    /// Captured stderr.
    stderr: Capture,
}

/// Everything a stopped runner left behind.
#[derive(Debug, Default)]
pub(crate) struct Output {
    /// Bytes written to stdout.
    pub(crate) stdout: Vec<u8>,
    /// Bytes written to stderr.
    pub(crate) stderr: Vec<u8>,
}

impl Process {
    /// Spawns `runner [args...]` with the output piped, and stdin piped if
    /// `pipe_stdin` (else null).
    pub(crate) fn spawn(
        runner: &Runner,
        args: &[OsString],
        pipe_stdin: bool,
    ) -> anyhow::Result<Self> {
        let mut child = Command::new(&runner.program)
            .args(&runner.args)
            .args(args)
            .stdin(if pipe_stdin {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|err| {
                anyhow::anyhow!("cannot start the runner `{}`: {err}", runner.program)
            })?;
        let stdout = Capture::start(child.stdout.take());
        let stderr = Capture::start(child.stderr.take());
        Ok(Self {
            stdin: child.stdin.take(),
            child,
            stdout,
            stderr,
        })
    }

    /// The exit status if the runner has exited.
    pub(crate) fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Waits until `port` accepts a TCP connection (up to 5 s). Fails if
    /// the runner exits first.
    pub(crate) async fn wait_for_port(&mut self, port: u16) -> anyhow::Result<()> {
        let deadline = Instant::now() + LISTEN_TIMEOUT;
        loop {
            let attempt = timeout(LISTEN_POLL * 10, super::stream::is_listening(port)).await;
            if let Ok(true) = attempt {
                return Ok(());
            }
            if let Some(status) = self.exited() {
                anyhow::bail!(
                    "the runner exited ({}) before listening on port {port}",
                    describe(status)
                );
            }
            if Instant::now() >= deadline {
                anyhow::bail!(
                    "port {port} did not accept connections within {} s",
                    LISTEN_TIMEOUT.as_secs()
                );
            }
            sleep(LISTEN_POLL).await;
        }
    }

    /// Writes `bytes` to the runner's stdin. A runner that has closed its
    /// end (or exited) is not an error: what it does is checked elsewhere.
    pub(crate) async fn write_stdin(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| anyhow::anyhow!("the runner's stdin is not open"))?;
        match stdin.write_all(bytes).await {
            Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(anyhow::anyhow!("writing to the runner's stdin: {err}"))
            }
            _ => Ok(()),
        }
    }

    /// Closes the runner's stdin (end of input); nothing if it is not open.
    pub(crate) fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Sends the runner the signal named `name` (`INT`, `TERM`, `HUP`,
    /// `QUIT` or `KILL`).
    pub(crate) fn signal(&mut self, name: &str) -> anyhow::Result<()> {
        let pid = self
            .child
            .id()
            .ok_or_else(|| anyhow::anyhow!("cannot send SIG{name}: the runner has exited"))?;
        send_signal(pid, name)
    }

    /// Waits (up to `max`) until the runner's `stream` holds `text` at or
    /// after byte `from`; returns the offset just past it.
    pub(crate) async fn wait_output(
        &mut self,
        stream: Stream,
        text: &[u8],
        from: usize,
        max: Duration,
    ) -> Result<usize, String> {
        let deadline = Instant::now() + max;
        loop {
            let capture = match stream {
                Stream::Stdout => &self.stdout,
                Stream::Stderr => &self.stderr,
            };
            let (found, seen) = capture.find(text, from);
            if let Some(end) = found {
                return Ok(end);
            }
            let ended = capture.ended();
            if ended && let Some(status) = self.exited() {
                return Err(format!(
                    "the runner exited ({}) without writing {} to {}; it wrote {}",
                    describe(status),
                    show(text),
                    stream.name(),
                    show(&seen)
                ));
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "{} not written to {} within {} ms; the runner wrote {}",
                    show(text),
                    stream.name(),
                    max.as_millis(),
                    show(&seen)
                ));
            }
            sleep(OUTPUT_POLL).await;
        }
    }

    /// Waits for the runner to exit (unbounded: wrap it in a timeout).
    pub(crate) async fn wait(&mut self) -> anyhow::Result<ExitStatus> {
        self.child
            .wait()
            .await
            .map_err(|err| anyhow::anyhow!("waiting for the runner: {err}"))
    }

    /// Kills the runner if it still runs, reaps it, and returns its output.
    /// Bounded in time even if a grandchild keeps the pipes open.
    pub(crate) async fn stop(mut self) -> Output {
        let _ = self.child.start_kill();
        let _ = timeout(STOP_TIMEOUT, self.child.wait()).await;
        Output {
            stdout: self.stdout.finish().await,
            stderr: self.stderr.finish().await,
        }
    }
}

/// One output stream being read into memory by a background task.
#[derive(Debug)]
struct Capture {
    /// Bytes read so far (shared so a partial result survives a timeout).
    bytes: Arc<Mutex<Vec<u8>>>,
    /// The reading task.
    task: Option<JoinHandle<()>>,
}

impl Capture {
    /// Starts draining `stream` (if any).
    fn start<R: AsyncRead + Unpin + Send + 'static>(stream: Option<R>) -> Self {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let task = stream.map(|mut stream| {
            let bytes = Arc::clone(&bytes);
            tokio::spawn(async move {
                let mut chunk = [0; 8192];
                while let Ok(n) = stream.read(&mut chunk).await {
                    if n == 0 {
                        break;
                    }
                    let mut bytes = bytes.lock().unwrap_or_else(|e| e.into_inner());
                    let room = MAX_OUTPUT.saturating_sub(bytes.len());
                    bytes.extend_from_slice(&chunk[..n.min(room)]);
                }
            })
        });
        Self { bytes, task }
    }

    /// Where `text` ends in what was read, searching from byte `from`, and
    /// what was read from there.
    fn find(&self, text: &[u8], from: usize) -> (Option<usize>, Vec<u8>) {
        let bytes = self.bytes.lock().unwrap_or_else(|e| e.into_inner());
        let rest = bytes.get(from..).unwrap_or_default();
        let found = rest
            .windows(text.len())
            .position(|w| w == text)
            .map(|at| from + at + text.len());
        (found, rest.to_vec())
    }

    /// Whether the stream has ended (or was never there).
    fn ended(&self) -> bool {
        self.task.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Waits (bounded) for the stream to end and returns what was read.
    async fn finish(mut self) -> Vec<u8> {
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if timeout(DRAIN_TIMEOUT, task).await.is_err() {
                abort.abort();
            }
        }
        std::mem::take(&mut *self.bytes.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Sends signal `name` to process `pid`.
#[cfg(unix)]
fn send_signal(pid: u32, name: &str) -> anyhow::Result<()> {
    let signal = match name {
        "INT" => libc::SIGINT,
        "TERM" => libc::SIGTERM,
        "HUP" => libc::SIGHUP,
        "QUIT" => libc::SIGQUIT,
        "KILL" => libc::SIGKILL,
        other => anyhow::bail!("unknown signal {other:?}"),
    };
    let pid = libc::pid_t::try_from(pid)?;
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    if unsafe { libc::kill(pid, signal) } == 0 {
        Ok(())
    } else {
        let err = std::io::Error::last_os_error();
        anyhow::bail!("cannot send SIG{name} to the runner: {err}")
    }
}

/// Sends signal `name` to process `pid`: only on Unix.
#[cfg(not(unix))]
fn send_signal(_pid: u32, name: &str) -> anyhow::Result<()> {
    anyhow::bail!("cannot send SIG{name}: signals need a Unix system")
}

/// A short description of an exit status: `exit code 1` or the signal.
pub(crate) fn describe(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit code {code}"),
        None => status.to_string(),
    }
}
