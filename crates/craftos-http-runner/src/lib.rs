//! The runner: one computer in a process, serving through the hyper
//! transport (SEMANTICS section 8). The `craftos-http` binary is a thin
//! command line over [`run`]; [`host`] serves many computers together on
//! one transport.
//!
//! One thread runs both the tokio runtime (current-thread) and the Lua
//! state: the transport's tasks and the script take turns, so an event goes
//! from socket to script and back with no thread hop and no lock contention.
//!
//! A computer is the `http` binding (`craftos-http-lua`), the ComputerCraft
//! environment (`craftos-http-env`) and this crate's event loop, `os` and
//! BIOS. The crate also holds the binding's examples (`embed`,
//! `emulator`) and runs the emulator cookbook as its doc tests: they need
//! a transport and a runtime, which the binding does not depend on.
//!
//! # Features
//!
//! `lua52` (default), `lua51`, `lua53`, `lua54`, `luajit` and `vendored`
//! (default) are forwarded to `craftos-http-lua` and `craftos-http-env`.
#![deny(missing_docs)]

mod bridge;
mod computer;
pub mod host;
mod machine;
mod os;
mod queue;
mod stdin;

/// The emulator cookbook, `docs/cookbook.md`: its snippets are compiled and
/// run as this crate's doc tests (they need mlua without `send`, and the
/// hyper transport).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/cookbook.md")]
pub struct Cookbook;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use craftos_http_core::memory::MemoryTransport;
use craftos_http_core::{Limits, Listeners};
use craftos_http_hyper::{HyperTransport, TransportConfig};

pub use computer::Outcome;
pub(crate) use computer::{Signal, Signals};
pub(crate) use machine::Machine;
pub use machine::{ABORT_TIMEOUT, ComputerSpec, MEMORY_LIMIT};

/// The environment's settings, as [`RunnerConfig::env`] and
/// [`ComputerSpec`] take them (`craftos-http-env`'s).
pub use craftos_http_env::EnvConfig;

/// How long responses on their way may take to leave when the script ends.
const DRAIN: Duration = Duration::from_secs(2);

/// How long a second signal waits for the computer to stop (and flush its
/// files) before the process exits anyway.
const KILL_GRACE: Duration = Duration::from_secs(5);

/// What to run and how.
#[derive(Clone, Debug)]
pub struct RunnerConfig {
    /// The Lua script, run as the main coroutine.
    pub script: PathBuf,
    /// Its arguments (`...`).
    pub args: Vec<String>,
    /// Bind address and origins for the transport.
    pub transport: TransportConfig,
    /// The computer's limits (body, deadline, queue bound, message size,
    /// connections).
    pub limits: Limits,
    /// `os.getComputerID()`.
    pub id: u32,
    /// `os.getComputerLabel()`.
    pub label: Option<String>,
    /// The environment's settings (`fs` root, ...).
    pub env: EnvConfig,
    /// Whether SIGINT, SIGTERM and SIGHUP queue `terminate` (a second
    /// within 2 s stops the computer).
    pub handle_sigint: bool,
    /// Threads serving sockets. 0: the computer's own thread serves them
    /// between script turns (no thread hop, but a script that does not
    /// yield also stalls its sockets and deadlines). N: N worker threads.
    pub io_threads: usize,
    /// Serve over the in-memory transport instead of TCP, driven through a
    /// control socket at this path (the conformance harness's
    /// `--transport memory`; see `bridge`).
    pub memory_socket: Option<PathBuf>,
    /// How long the script may run without yielding before `Too long
    /// without yielding` is raised in it.
    pub abort_timeout: Duration,
    /// The most memory the computer's Lua state may hold, in bytes.
    pub memory_limit: usize,
}

impl RunnerConfig {
    /// Run `script` with default settings.
    pub fn new(script: impl Into<PathBuf>) -> Self {
        let script: PathBuf = script.into();
        let root = default_root(&script);
        RunnerConfig {
            env: EnvConfig { root },
            script,
            args: Vec::new(),
            transport: TransportConfig::default(),
            limits: Limits::default(),
            id: 0,
            label: None,
            handle_sigint: true,
            io_threads: 0,
            memory_socket: None,
            abort_timeout: ABORT_TIMEOUT,
            memory_limit: MEMORY_LIMIT,
        }
    }
}

/// Run the script to its end; the process exit status of X1 is
/// [`Outcome::exit_code`].
///
/// Errs, with a message naming what failed, when the computer cannot start
/// (the script cannot be read, the runtime or the memory socket cannot be
/// set up); what the script raises, a port it cannot have included, is its
/// [`Outcome::Failed`].
pub fn run(config: RunnerConfig) -> Result<Outcome, String> {
    let runtime = match config.io_threads {
        0 => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        n => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(n)
            .thread_name("craftos-http-io")
            .enable_all()
            .build(),
    }
    .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let source = std::fs::read(&config.script)
        .map_err(|e| format!("cannot read the script {}: {e}", config.script.display()))?;
    let spec = ComputerSpec {
        id: config.id,
        label: config.label.clone(),
        script: config.script.clone(),
        source,
        args: config.args.clone(),
        limits: config.limits.clone(),
        env: config.env.clone(),
        abort_timeout: config.abort_timeout,
        memory_limit: config.memory_limit,
    };

    let transport = HyperTransport::new(runtime.handle().clone(), config.transport.clone());
    let mut bridge = None;
    let listeners: Arc<dyn Listeners> = match &config.memory_socket {
        None => Arc::new(transport.clone()),
        Some(path) => {
            let origins = config.transport.ws_origins.as_ref().map(|o| o.to_vec());
            let memory = MemoryTransport::with_origins(origins);
            let spawned = bridge::spawn(path, memory.clone())
                .map_err(|e| format!("cannot open the memory socket {}: {e}", path.display()))?;
            bridge = Some(spawned);
            Arc::new(memory)
        }
    };
    let mut machine = match Machine::boot(&spec, listeners.clone()) {
        Ok(machine) => machine,
        Err(outcome) => return Ok(outcome),
    };
    let outcome = runtime.block_on(async {
        let kill = machine.kill_switch();
        let signals = config.handle_sigint.then(|| watch_signals(kill)).flatten();
        machine.run(signals).await
    });
    // Shut down (L6), then let the connections send what is on its way
    // before the process ends.
    let killed = machine.killed();
    machine.shut_down(&*listeners);
    if !killed {
        runtime.block_on(async {
            let _ = tokio::time::timeout(DRAIN, transport.wait_idle()).await;
        });
        if let Some(bridge) = &bridge {
            bridge.wait_idle(DRAIN);
        }
    }
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(outcome)
}

impl Outcome {
    /// The exit status of X1: 0 finished, 1 failed, 130 terminated.
    pub fn exit_code(&self) -> i32 {
        match self {
            Outcome::Finished => 0,
            Outcome::Failed(_) => 1,
            Outcome::Terminated => 130,
        }
    }
}

/// The `fs` root when none is given: the script's own directory (X8).
pub fn default_root(script: &Path) -> PathBuf {
    match script.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// SIGINT, SIGTERM and SIGHUP each queue `terminate` (X3: as Ctrl-T in
/// CraftOS-PC; a supervisor's stop is a terminate too); a second within 2 s
/// ends the run: the kill switch stops the script at its next instruction
/// count look even if it never yields, and the computer shuts down in order
/// (its files flushed); the process exits with 130 regardless if that has
/// not happened within [`KILL_GRACE`]. The signals are watched on a thread
/// of their own, so a script that never yields cannot keep them from being
/// seen.
fn watch_signals(kill: Arc<AtomicBool>) -> Signals {
    use tokio::signal::unix::{SignalKind, signal};
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let (ready, installed) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("craftos-http-signals".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            let Ok(runtime) = runtime else {
                let _ = ready.send(false);
                return;
            };
            runtime.block_on(async move {
                let streams = (
                    signal(SignalKind::interrupt()),
                    signal(SignalKind::terminate()),
                    signal(SignalKind::hangup()),
                );
                let (Ok(mut int), Ok(mut term), Ok(mut hup)) = streams else {
                    let _ = ready.send(false);
                    return;
                };
                let _ = ready.send(true);
                let mut last: Option<Instant> = None;
                loop {
                    let got = tokio::select! {
                        got = int.recv() => got,
                        got = term.recv() => got,
                        got = hup.recv() => got,
                    };
                    if got.is_none() {
                        break;
                    }
                    if last.is_some_and(|t| t.elapsed() < Duration::from_secs(2)) {
                        kill.store(true, Ordering::Relaxed);
                        let _ = tx.send(Signal::Kill);
                        tokio::time::sleep(KILL_GRACE).await;
                        std::process::exit(130);
                    }
                    last = Some(Instant::now());
                    let _ = tx.send(Signal::Terminate);
                }
            });
        })
        .ok()?;
    // The signals are handled (not fatal) once the script starts.
    installed.recv().ok()?.then_some(rx)
}
