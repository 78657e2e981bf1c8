//! A Lua script served in-process: [`craftos_http_runner::run`] on a
//! thread of its own, on a port of its own.
//!
//! The script body is wrapped so that it ends by itself: it runs as a
//! function `main` beside a watchdog coroutine, in `parallel.waitForAny`;
//! the watchdog raises after [`Options::script_limit`]. The body sees the
//! port as the local `PORT`. By convention every script answers `GET /stop`
//! and returns.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use craftos_http_hyper::Limits;
use craftos_http_runner::{Outcome, RunnerConfig, run};

use crate::STEP;
use crate::port::{free_port, wait_for_port};
use crate::raw;
use crate::tempdir::TempDir;

/// How a script is served.
#[derive(Clone, Debug)]
pub struct Options {
    /// `Limits::max_body`.
    pub max_body: usize,
    /// `Limits::response_timeout` (S8).
    pub response_timeout: Duration,
    /// `Limits::event_bound` (E2).
    pub event_bound: usize,
    /// `RunnerConfig::io_threads`: 0 serves sockets on the script's thread.
    pub io_threads: usize,
    /// The watchdog: the script fails after this long.
    pub script_limit: Duration,
}

impl Default for Options {
    fn default() -> Self {
        let limits = Limits::default();
        Options {
            max_body: limits.max_body,
            response_timeout: limits.response_timeout,
            event_bound: limits.event_bound,
            io_threads: 0,
            script_limit: Duration::from_secs(30),
        }
    }
}

/// What `run` returned.
type RunResult = Result<Outcome, String>;

/// A script being served. Dropping it before [`Server::finish`] asks the
/// script to stop (`GET /stop`) and waits a little for it.
pub struct Server {
    port: u16,
    script: PathBuf,
    done: Receiver<RunResult>,
    thread: Option<JoinHandle<()>>,
    _dir: TempDir,
}

/// The Lua around a test's script body: `PORT`, `main`, the watchdog.
fn wrap(body: &str, limit: Duration) -> String {
    format!(
        "local PORT = tonumber((...))\n\
         local function main(...)\n{body}\nend\n\
         parallel.waitForAny(main, function()\n\
           sleep({limit})\n\
           error(\"test script still running after {limit} s\", 0)\n\
         end)\n",
        limit = limit.as_secs_f64(),
    )
}

impl Server {
    /// Serve `body` (see the module docs) as `<name>.lua` with default
    /// options, once its port accepts connections.
    pub fn start(name: &str, body: &str) -> Server {
        Server::start_with(name, body, &Options::default())
    }

    /// Serve `body` as `<name>.lua` with `options`, once its port accepts
    /// connections. Panics if the script ends or fails before (a port taken
    /// meanwhile by another process is retried with another port).
    pub fn start_with(name: &str, body: &str, options: &Options) -> Server {
        let dir = TempDir::new();
        let script = dir.write(&format!("{name}.lua"), &wrap(body, options.script_limit));
        let mut dir = Some(dir);
        for _attempt in 0..5 {
            let port = free_port();
            let config = RunnerConfig {
                args: vec![port.to_string()],
                limits: Limits {
                    max_body: options.max_body,
                    response_timeout: options.response_timeout,
                    event_bound: options.event_bound,
                    ..Limits::default()
                },
                handle_sigint: false,
                io_threads: options.io_threads,
                ..RunnerConfig::new(&script)
            };
            let (tx, done) = channel();
            let thread = std::thread::Builder::new()
                .name(format!("script {name}"))
                .spawn(move || {
                    let _ = tx.send(run(config));
                })
                .expect("spawn the script's thread");
            let mut ended = None;
            let opened = wait_for_port(port, STEP, || match done.try_recv() {
                Ok(result) => {
                    ended = Some(result);
                    true
                }
                Err(_) => false,
            });
            if opened {
                return Server {
                    port,
                    script,
                    done,
                    thread: Some(thread),
                    _dir: dir.take().expect("the directory"),
                };
            }
            let _ = thread.join();
            match ended {
                Some(Ok(Outcome::Failed(m))) if m.contains("Address already in use") => continue,
                Some(result) => panic!("{name}: the script ended before listening: {result:?}"),
                None => panic!("{name}: port {port} did not open within {STEP:?}"),
            }
        }
        panic!("{name}: no free port after 5 attempts");
    }

    /// The port the script listens on (its `PORT`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The path of the script file (its chunk name).
    pub fn script(&self) -> &std::path::Path {
        &self.script
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Wait (at most [`STEP`]) for the script to end; returns how it ended.
    pub fn finish(mut self) -> Outcome {
        match self.done.recv_timeout(STEP) {
            Ok(result) => {
                if let Some(thread) = self.thread.take() {
                    let _ = thread.join();
                }
                result.unwrap_or_else(|e| panic!("the runner failed: {e}"))
            }
            Err(_) => panic!("the script did not end within {STEP:?}"),
        }
    }

    /// `GET /stop`, which by convention answers and ends the script; then
    /// wait for it to end and check it finished without error. Returns the
    /// body of the answer to `/stop`.
    pub fn stop(self) -> String {
        let response = raw::get(self.port, "/stop");
        assert_eq!(response.status, 200, "GET /stop: {response:?}");
        match self.finish() {
            Outcome::Finished => response.text(),
            other => panic!("the script did not finish cleanly: {other:?}"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        // A test failed before stopping its script: ask it to stop, and
        // wait a little so its port is released before the next test.
        let ended = self.done.try_recv().is_ok()
            || raw::exchange(self.port, b"GET /stop HTTP/1.1\r\nHost: x\r\n\r\n")
                .is_ok_and(|_| self.done.recv_timeout(Duration::from_secs(5)).is_ok());
        if ended {
            let _ = thread.join();
        }
    }
}
