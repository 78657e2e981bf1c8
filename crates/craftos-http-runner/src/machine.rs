//! One computer, from boot to shutdown: its Lua state with the runner's
//! environment and the `http` API, its event loop, and what happens when it
//! stops (L6: ports released, unseen requests answered 503, websocket
//! clients closed 1001, files flushed). Shared by the runner (one computer)
//! and the [`Host`](crate::host::Host) (many).

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use craftos_http_core::{Computer as CoreComputer, ComputerId, EventQueue, Limits, Listeners};
use mlua::chunk::ChunkMode;
use mlua::{Function, Lua, Table};

use super::computer::{self, Computer, Outcome, Signals};
use super::os::{self, OsContext};
use super::queue::LocalQueue;
use craftos_http_env::EnvConfig;
use craftos_http_lua::{HttpContext, install};

const BIOS: &str = include_str!("bios.lua");

/// What one computer runs, and with what limits.
#[derive(Clone, Debug)]
pub struct ComputerSpec {
    /// `os.getComputerID()`; also the owner of its ports.
    pub id: u32,
    /// `os.getComputerLabel()`.
    pub label: Option<String>,
    /// The script, as errors name it (`@` + this, as a path).
    pub script: PathBuf,
    /// The script's source.
    pub source: Vec<u8>,
    /// Its arguments (`...`).
    pub args: Vec<String>,
    /// Body, deadline, queue bound, message size and connection limits.
    pub limits: Limits,
    /// The environment's settings (`fs` root, ...).
    pub env: EnvConfig,
    /// How long the script may run without yielding before the error
    /// `Too long without yielding` is raised in it (CraftOS-PC's
    /// `abortTimeout`, 17 s): one script that never yields would otherwise
    /// stall its sockets and, on a host, every other computer.
    pub abort_timeout: Duration,
    /// The most memory its Lua state may hold, in bytes: an allocation past
    /// it raises `not enough memory` in the script (which may catch it),
    /// never aborts the process, and leaves other computers untouched.
    /// LuaJIT manages its own memory: there the limit is looked at every
    /// 100k instructions instead.
    pub memory_limit: usize,
}

/// CraftOS-PC's default `abortTimeout`.
pub const ABORT_TIMEOUT: Duration = Duration::from_secs(17);

/// The default [`ComputerSpec::memory_limit`]: 256 MiB, room for a server
/// that holds several bodies of the largest size (16 MiB) at once.
pub const MEMORY_LIMIT: usize = 256 << 20;

impl ComputerSpec {
    /// A computer `id` running the script at `path` (read now), with default
    /// limits and `fs` rooted at the script's directory.
    pub fn from_file(id: u32, path: impl Into<PathBuf>) -> std::io::Result<Self> {
        let script: PathBuf = path.into();
        let source = std::fs::read(&script)?;
        Ok(ComputerSpec {
            id,
            label: None,
            env: EnvConfig {
                root: super::default_root(&script),
            },
            script,
            source,
            args: Vec::new(),
            limits: Limits::default(),
            abort_timeout: ABORT_TIMEOUT,
            memory_limit: MEMORY_LIMIT,
        })
    }
}

/// A booted computer, ready to run its script.
pub(crate) struct Machine {
    pub(crate) id: ComputerId,
    computer: Computer,
    main: Option<Function>,
    args: Vec<String>,
    queue: Arc<EventQueue>,
}

impl Machine {
    /// Build the computer's Lua state; `Err` is the outcome of a script that
    /// does not compile (or an environment that cannot be set up).
    pub(crate) fn boot(
        spec: &ComputerSpec,
        listeners: Arc<dyn Listeners>,
    ) -> Result<Self, Outcome> {
        let queue = Arc::new(EventQueue::new(spec.limits.event_bound));
        let id = ComputerId(spec.id);
        let core = CoreComputer::new(id, queue.clone()).with_limits(spec.limits.clone());
        let lua = Lua::new();
        let local = Rc::new(RefCell::new(
            LocalQueue::new(&lua).map_err(computer::failure)?,
        ));
        let ctx = Rc::new(OsContext {
            local: local.clone(),
            native_queue: queue.clone(),
            started: Instant::now(),
            id: spec.id,
            label: Rc::new(RefCell::new(spec.label.clone())),
        });
        let setup = || -> mlua::Result<Function> {
            let natives: Table = os::install(&lua, ctx)?;
            craftos_http_lua::compiled::load(&lua, "=bios", BIOS)?.call::<()>(natives)?;
            let program =
                craftos_http_env::Program::from_script(&spec.env.root, &spec.script, &spec.args);
            craftos_http_env::install_running(&lua, &spec.env, &program)?;
            install(
                &lua,
                HttpContext {
                    computer: core,
                    listeners,
                },
            )?;
            // Text only: a precompiled chunk is refused as `load` refuses it.
            lua.load(&spec.source[..])
                .set_name(format!("@{}", spec.script.display()))
                .set_mode(ChunkMode::Text)
                .into_function()
        };
        let main = setup().map_err(computer::failure)?;
        // The limit applies once the environment is in place.
        let memory_hook = match lua.set_memory_limit(spec.memory_limit) {
            Ok(_) => None,
            Err(_) => Some(spec.memory_limit),
        };
        let computer = Computer::new(lua, local, queue.clone(), spec.abort_timeout, memory_hook)
            .map_err(computer::failure)?;
        Ok(Machine {
            id,
            computer,
            main: Some(main),
            args: spec.args.clone(),
            queue,
        })
    }

    /// Run the script to its end (or until a [`Signal::Kill`](super::computer::Signal)).
    pub(crate) async fn run(&mut self, signals: Signals) -> Outcome {
        let Some(main) = self.main.take() else {
            return Outcome::Finished;
        };
        let args = std::mem::take(&mut self.args);
        match self.computer.run(main, args, signals).await {
            Ok(outcome) => outcome,
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }

    /// What another thread sets to stop the script at once, even while it
    /// runs without yielding (a second SIGINT).
    pub(crate) fn kill_switch(&self) -> Arc<std::sync::atomic::AtomicBool> {
        self.computer.kill_switch()
    }

    /// Whether a second SIGINT (or the host) stopped it.
    pub(crate) fn killed(&self) -> bool {
        self.computer.killed
    }

    /// Shut the computer down (L6): release its ports, answer the events it
    /// never took (503, close 1001), close the websocket clients it holds
    /// (1001, before the Lua state's handles would close them with 1000),
    /// flush its files, and drop its Lua state.
    pub(crate) fn shut_down(self, listeners: &dyn Listeners) {
        listeners.release(self.id);
        for event in self.queue.close() {
            event.abandon(503);
        }
        // Nothing the script wrote is lost, however it ended (X8).
        craftos_http_env::watchdog::disarm(&self.computer.lua);
        craftos_http_env::fs::close_all(&self.computer.lua);
        drop(self.computer);
    }
}
