//! The `craftos-http` binary, for what only a process shows: its exit
//! status, its stderr, signals.
//!
//! The binary belongs to another package, so cargo does not build it for
//! these tests; [`path`] builds it (once per test process, a no-op when it
//! is up to date) into the target directory the tests run from.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::tempdir::TempDir;

/// The `craftos-http` binary of this build, built if needed.
pub fn path() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(build)
}

/// `cargo build -p craftos-http-runner --bin craftos-http` into the profile
/// directory holding this test executable (`<target>/<profile>/deps/..`).
fn build() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    let profile_dir = exe
        .ancestors()
        .find(|dir| dir.file_name().is_some_and(|n| n == "deps"))
        .and_then(Path::parent)
        .expect("the test executable lies in <target>/<profile>/deps")
        .to_path_buf();
    let target_dir = profile_dir.parent().expect("the target directory");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let mut command = Command::new(cargo);
    command
        .args([
            "build",
            "--quiet",
            "-p",
            "craftos-http-runner",
            "--bin",
            "craftos-http",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(target_dir);
    match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => {}
        Some("release") => {
            command.arg("--release");
        }
        Some(profile) => {
            command.args(["--profile", profile]);
        }
    }
    let status = command.status().expect("run cargo build");
    assert!(
        status.success(),
        "cargo build of craftos-http failed: {status}"
    );
    let binary = profile_dir.join(format!("craftos-http{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.is_file(), "{} was not built", binary.display());
    binary
}

/// How a run of the binary ended.
#[derive(Debug)]
pub struct Exit {
    /// The exit status; `None` if a signal killed it.
    pub code: Option<i32>,
    /// Everything it wrote to stdout.
    pub stdout: String,
    /// Everything it wrote to stderr.
    pub stderr: String,
}

/// A running `craftos-http SCRIPT ARGS...`, its script in a directory of
/// its own (the working directory, so the chunk name is the bare file
/// name). Dropping it kills the process if it still runs.
pub struct Process {
    child: Child,
    /// What stdout has shown so far.
    seen: Arc<Mutex<String>>,
    stdout: Option<JoinHandle<String>>,
    stderr: Option<JoinHandle<String>>,
    _dir: TempDir,
}

impl Process {
    /// Start the binary on `source`, saved as `name`, with `args`.
    pub fn spawn(name: &str, source: &str, args: &[&str]) -> Process {
        Process::spawn_with(&[], name, source, args)
    }

    /// Start `craftos-http OPTIONS NAME ARGS...` on `source`, saved as
    /// `name`.
    pub fn spawn_with(options: &[&str], name: &str, source: &str, args: &[&str]) -> Process {
        let dir = TempDir::new();
        dir.write(name, source);
        let mut child = Command::new(path())
            .current_dir(dir.path())
            .args(options)
            .arg(name)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start craftos-http");
        let seen = Arc::new(Mutex::new(String::new()));
        let stdout = child
            .stdout
            .take()
            .map(|pipe| drain_seen(pipe, seen.clone()));
        let stderr = child.stderr.take().map(drain);
        Process {
            child,
            seen,
            stdout,
            stderr,
            _dir: dir,
        }
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process has ended.
    pub fn has_exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }

    /// Send SIGINT (with `kill -INT`), as Ctrl-C does.
    pub fn interrupt(&self) {
        self.signal("INT");
    }

    /// Send the signal `name` (`INT`, `TERM`, `HUP`, ...) with `kill`.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed: {status}");
    }

    /// Wait at most `timeout` until stdout has shown `text` (read from what
    /// the process wrote so far); false if it has not.
    pub fn wait_stdout(&mut self, text: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self
                .seen
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(text)
            {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    /// Wait at most `timeout` for the process to end; panics (after killing
    /// it) if it does not.
    pub fn wait(mut self, timeout: Duration) -> Exit {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for craftos-http") {
                break status;
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("craftos-http still running after {timeout:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let read = |h: Option<JoinHandle<String>>| h.map(|h| h.join().unwrap_or_default());
        Exit {
            code: status.code(),
            stdout: read(self.stdout.take()).unwrap_or_default(),
            stderr: read(self.stderr.take()).unwrap_or_default(),
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Read a pipe to its end on a thread of its own (so a chatty child never
/// blocks on a full pipe).
fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Like [`drain`], keeping `seen` up to date as the bytes arrive.
fn drain_seen(
    mut pipe: impl Read + Send + 'static,
    seen: Arc<Mutex<String>>,
) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    bytes.extend_from_slice(&chunk[..n]);
                    *seen.lock().unwrap_or_else(|e| e.into_inner()) =
                        String::from_utf8_lossy(&bytes).into_owned();
                }
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Run `source` (saved as `name`) with `args` to its end; at most
/// `timeout`.
pub fn run(name: &str, source: &str, args: &[&str], timeout: Duration) -> Exit {
    Process::spawn(name, source, args).wait(timeout)
}
