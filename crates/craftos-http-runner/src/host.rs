//! A host serving many computers at once: each has its own Lua state, event
//! queue and limits; one hyper transport serves all their ports on one
//! tokio runtime; the computers take turns on the host's thread.
//!
//! [`Host::run`] drives everything on the calling thread until
//! [`HostHandle::stop`]. A [`HostHandle`] (cheap, `Send`) starts and shuts
//! down computers from any thread: shutting one down (or rebooting it, by
//! starting the same id again) releases its ports, answers its requests in
//! flight with `503` and closes its websocket clients with 1001 (L6) while the
//! other computers keep serving. Port ownership between computers follows
//! L2 and L3: a computer re-adding its own port is a no-op, another
//! computer's port is refused with `Address already in use`.
//!
//! ```no_run
//! use craftos_http_runner::host::{Host, HostConfig};
//! use craftos_http_runner::ComputerSpec;
//!
//! let host = Host::new(HostConfig::default()).unwrap();
//! let handle = host.handle();
//! std::thread::spawn(move || {
//!     for id in 0..10 {
//!         let mut spec = ComputerSpec::from_file(id, "examples/hello.lua").unwrap();
//!         spec.args = vec![(8000 + id).to_string()];
//!         handle.start(spec).unwrap();
//!     }
//! });
//! host.run(); // until handle.stop()
//! ```

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use craftos_http_core::Listeners;
use craftos_http_hyper::{HyperTransport, TransportConfig};
use tokio::runtime::{Handle, Runtime};
use tokio::sync::mpsc;
use tokio::task::LocalSet;

use crate::{ComputerSpec, Machine, Outcome, Signal};

/// How a [`Host`] serves its computers' ports.
#[derive(Clone, Debug, Default)]
pub struct HostConfig {
    /// Bind address and websocket origins.
    pub transport: TransportConfig,
    /// Threads serving sockets: 0 serves them on the host's own thread,
    /// between the computers' turns (the fastest for a few busy computers).
    pub io_threads: usize,
    /// Serve sockets on this runtime (the embedder's) instead of one of the
    /// host's own; `io_threads` is then ignored.
    pub runtime: Option<Handle>,
}

/// What a [`HostHandle`] asks of the host's thread.
enum Command {
    Start(Box<ComputerSpec>, std_mpsc::Sender<Result<(), String>>),
    Shutdown(u32, std_mpsc::Sender<Option<Outcome>>),
    Stop,
}

/// A computer running on the host.
struct Running {
    signals: mpsc::UnboundedSender<Signal>,
    done: tokio::task::JoinHandle<Outcome>,
}

/// Many computers on one thread and one transport. Not `Send`: it lives on
/// the thread that calls [`Host::run`]; use a [`HostHandle`] elsewhere.
pub struct Host {
    runtime: Runtime,
    io: Option<Runtime>,
    transport: HyperTransport,
    commands: mpsc::UnboundedReceiver<Command>,
    sender: mpsc::UnboundedSender<Command>,
}

/// Starts, shuts down and stops a [`Host`]'s computers from any thread.
/// Its calls block until the host's thread has done what they ask, so never
/// call them on that thread.
#[derive(Clone, Debug)]
pub struct HostHandle {
    sender: mpsc::UnboundedSender<Command>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Command::Start(spec, _) => write!(f, "Start({})", spec.id),
            Command::Shutdown(id, _) => write!(f, "Shutdown({id})"),
            Command::Stop => f.write_str("Stop"),
        }
    }
}

impl Host {
    /// A host with no computers yet.
    pub fn new(config: HostConfig) -> std::io::Result<Host> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (io, io_handle) = match (config.runtime, config.io_threads) {
            (Some(handle), _) => (None, handle),
            (None, 0) => (None, runtime.handle().clone()),
            (None, n) => {
                let io = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(n)
                    .thread_name("craftos-http-io")
                    .enable_all()
                    .build()?;
                let handle = io.handle().clone();
                (Some(io), handle)
            }
        };
        let transport = HyperTransport::new(io_handle, config.transport);
        let (sender, commands) = mpsc::unbounded_channel();
        Ok(Host {
            runtime,
            io,
            transport,
            commands,
            sender,
        })
    }

    /// A handle to control the host from other threads.
    pub fn handle(&self) -> HostHandle {
        HostHandle {
            sender: self.sender.clone(),
        }
    }

    /// The transport serving the computers' ports.
    pub fn transport(&self) -> &HyperTransport {
        &self.transport
    }

    /// Run the computers until [`HostHandle::stop`], then shut every one
    /// down (L6) and return how each ended, by id.
    pub fn run(mut self) -> HashMap<u32, Outcome> {
        let local = LocalSet::new();
        let listeners: Arc<dyn Listeners> = Arc::new(self.transport.clone());
        let running: Rc<RefCell<HashMap<u32, Running>>> = Rc::default();
        let mut ended = HashMap::new();
        local.block_on(&self.runtime, async {
            while let Some(command) = self.commands.recv().await {
                match command {
                    Command::Start(spec, reply) => {
                        let result = start(&running, &listeners, *spec).await;
                        let _ = reply.send(result);
                    }
                    Command::Shutdown(id, reply) => {
                        let _ = reply.send(shutdown(&running, id).await);
                    }
                    Command::Stop => break,
                }
            }
            let ids: Vec<u32> = running.borrow().keys().copied().collect();
            for id in ids {
                if let Some(outcome) = shutdown(&running, id).await {
                    ended.insert(id, outcome);
                }
            }
        });
        // Let responses on their way leave.
        let transport = self.transport.clone();
        let drain = async move {
            let _ = tokio::time::timeout(Duration::from_secs(2), transport.wait_idle()).await;
        };
        match &self.io {
            Some(io) => io.block_on(drain),
            None => self.runtime.block_on(drain),
        }
        ended
    }
}

/// Boot `spec` and run it as a local task; its shutdown runs when it ends.
async fn start(
    running: &Rc<RefCell<HashMap<u32, Running>>>,
    listeners: &Arc<dyn Listeners>,
    spec: ComputerSpec,
) -> Result<(), String> {
    // Starting a running id reboots it.
    shutdown(running, spec.id).await;
    let mut machine = match Machine::boot(&spec, listeners.clone()) {
        Ok(machine) => machine,
        Err(Outcome::Failed(message)) => return Err(message),
        Err(other) => return Err(format!("{other:?}")),
    };
    let (signals, rx) = mpsc::unbounded_channel();
    let listeners = listeners.clone();
    let done = tokio::task::spawn_local(async move {
        let outcome = machine.run(Some(rx)).await;
        if let Outcome::Failed(message) = &outcome {
            tracing::warn!(computer = spec.id, "{message}");
        }
        machine.shut_down(&*listeners);
        outcome
    });
    running
        .borrow_mut()
        .insert(spec.id, Running { signals, done });
    Ok(())
}

/// Stop computer `id` at its next turn and wait for its shutdown.
async fn shutdown(running: &Rc<RefCell<HashMap<u32, Running>>>, id: u32) -> Option<Outcome> {
    let computer = running.borrow_mut().remove(&id)?;
    let _ = computer.signals.send(Signal::Kill);
    computer.done.await.ok()
}

impl HostHandle {
    /// Boot a computer and start its script (a running computer with the
    /// same id is shut down first: a reboot). `Err` if the script does not
    /// compile or the host has stopped.
    pub fn start(&self, spec: ComputerSpec) -> Result<(), String> {
        let (reply, answer) = std_mpsc::channel();
        self.sender
            .send(Command::Start(Box::new(spec), reply))
            .map_err(|_| "the host has stopped".to_owned())?;
        answer
            .recv()
            .map_err(|_| "the host has stopped".to_owned())?
    }

    /// Shut computer `id` down (L6) and return how its script ended, or
    /// `None` if it was not running.
    pub fn shutdown(&self, id: u32) -> Option<Outcome> {
        let (reply, answer) = std_mpsc::channel();
        self.sender.send(Command::Shutdown(id, reply)).ok()?;
        answer.recv().ok().flatten()
    }

    /// Shut every computer down and end [`Host::run`].
    pub fn stop(&self) {
        let _ = self.sender.send(Command::Stop);
    }
}
