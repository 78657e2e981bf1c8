//! The `craftos-http` binary with options before its script, and its
//! resident memory: what the hardening tests measure.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use craftos_http_tests::STEP;
use craftos_http_tests::binary;
use craftos_http_tests::port::wait_for_port;
use craftos_http_tests::tempdir::TempDir;

/// `VmRSS` of process `pid`, in bytes.
pub(crate) fn rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmRSS line");
    kib * 1024
}

/// The binary serving a script: `craftos-http OPTIONS SCRIPT PORT`.
/// Dropping it kills the process.
pub(crate) struct Runner {
    child: Child,
    _dir: TempDir,
}

/// How a [`Runner`] ended.
#[derive(Debug)]
pub(crate) struct Exit {
    /// The exit status; `None` if a signal ended it.
    pub(crate) code: Option<i32>,
    /// What it wrote to stdout.
    pub(crate) stdout: String,
    /// What it wrote to stderr.
    pub(crate) stderr: String,
}

impl Runner {
    /// Start `source` (saved as `name`) with `options` before the script,
    /// and `args` after it.
    pub(crate) fn start(name: &str, source: &str, options: &[&str], args: &[&str]) -> Runner {
        let dir = TempDir::new();
        dir.write(name, source);
        let child = Command::new(binary::path())
            .current_dir(dir.path())
            .args(options)
            .arg(name)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start craftos-http");
        Runner { child, _dir: dir }
    }

    /// The process id.
    pub(crate) fn id(&self) -> u32 {
        self.child.id()
    }

    /// Wait at most `timeout` for the process to end (our scripts write
    /// little, so the pipes never fill).
    pub(crate) fn wait(mut self, timeout: Duration) -> Exit {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(Instant::now() < deadline, "still running after {timeout:?}");
            std::thread::sleep(Duration::from_millis(10));
        };
        let read = |pipe: Option<&mut dyn Read>| {
            let mut text = String::new();
            if let Some(pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        };
        let stdout = read(self.child.stdout.as_mut().map(|p| p as &mut dyn Read));
        let stderr = read(self.child.stderr.as_mut().map(|p| p as &mut dyn Read));
        Exit {
            code: status.code(),
            stdout,
            stderr,
        }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Start the binary on `source` with `options`, serving `port`.
pub(crate) fn serve(name: &str, source: &str, options: &[&str], port: u16) -> Runner {
    let mut runner = Runner::start(name, source, options, &[&port.to_string()]);
    assert!(
        wait_for_port(port, STEP, || !matches!(runner.child.try_wait(), Ok(None))),
        "{name}: port {port} did not open"
    );
    runner
}
