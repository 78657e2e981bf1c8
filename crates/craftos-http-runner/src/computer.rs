//! The runner's computer: one Lua state, its main coroutine and its event
//! loop, on the thread that also drives the tokio runtime.
//!
//! Each turn takes the next event in arrival order (script-queued events,
//! due timers, `terminate` from SIGINT, native events from the core queue),
//! skips it if the coroutine's filter does not match (as CC does), converts
//! it to Lua values and resumes the coroutine. When nothing is ready it
//! awaits the core queue, the next timer or a signal, which lets the
//! transport's tasks run on the same thread: no thread hop between a socket
//! and the script.

use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use craftos_http_core::{Event, EventQueue};
use mlua::thread::ThreadStatus;
use mlua::{Lua, LuaString, MultiValue, Thread, Value};

use super::os::values;
use super::queue::{Carried, LocalQueue, MAX_STDIN_LINES};
use craftos_http_env::watchdog::{self, Watchdog};
use craftos_http_lua::event_to_lua;
use craftos_http_lua::resume::{Delivery, Yielded, resume_with_event};

/// How the script ended.
#[derive(Debug)]
pub enum Outcome {
    /// It returned, or called `os.shutdown()`.
    Finished,
    /// It raised this error.
    Failed(String),
    /// A `terminate` ended it.
    Terminated,
}

/// What a SIGINT asks of the computer (X3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Signal {
    /// The first: queue `terminate`.
    Terminate,
    /// A second within 2 s: stop now, without resuming the script.
    Kill,
}

/// Receives SIGINTs, when the runner handles them.
pub(crate) type Signals = Option<tokio::sync::mpsc::UnboundedReceiver<Signal>>;

/// What the coroutine is resumed with next.
enum Resume {
    /// Values made already (the script's arguments, a script event).
    Values(MultiValue),
    /// A native event, made into values as it is resumed.
    Native(Event),
}

enum Next {
    Local(Vec<Value>),
    Native(Event),
    /// A second SIGINT: end the run.
    Kill,
}

impl Next {
    fn name_matches(&self, filter: Option<&[u8]>) -> bool {
        let name: &[u8] = match self {
            Next::Native(e) => e.name().as_bytes(),
            Next::Kill => return true,
            Next::Local(v) => match v.first() {
                Some(Value::String(s)) => return matches(filter, &s.as_bytes()),
                _ => b"",
            },
        };
        matches(filter, name)
    }
}

fn matches(filter: Option<&[u8]>, name: &[u8]) -> bool {
    match filter {
        None => true,
        Some(f) => f == name || name == b"terminate",
    }
}

/// A native event a filter skipped: answered as undeliverable (a request
/// 503, a new websocket client closed 1001), with a warning.
fn dropped(event: Event, filter: Option<&[u8]>) {
    if matches!(
        event,
        Event::HttpRequest { .. } | Event::WebSocketConnect { .. }
    ) {
        tracing::warn!(
            "{} skipped while the script waited for {:?}: answered 503 (pull it with os.pullEvent, or let http.listen take it)",
            event.name(),
            String::from_utf8_lossy(filter.unwrap_or_default()),
        );
    }
    event.abandon(503);
}

/// Events processed in a row before letting the transport's tasks (and
/// other computers) run.
pub(crate) const BATCH: u32 = 64;

/// The longest a batch of events may hold the thread before the others run.
const SLICE: std::time::Duration = std::time::Duration::from_millis(2);

pub(crate) struct Computer {
    pub(crate) lua: Lua,
    pub(crate) local: Rc<RefCell<LocalQueue>>,
    pub(crate) native: Arc<EventQueue>,
    /// Native events taken so far: the place in line of the next one.
    taken: u64,
    since_yield: u32,
    /// Events in a row before letting other tasks run ([`BATCH`]).
    pub(crate) batch: u32,
    /// When the current batch started.
    batch_started: Instant,
    /// When the script was last resumed, and its "Too long without
    /// yielding" deadline.
    watchdog: Rc<Watchdog>,
    /// Lines from stdin, once a `read()` asked for them; `None` after EOF.
    stdin: Option<tokio::sync::mpsc::Receiver<Vec<u8>>>,
    stdin_started: bool,
    /// A second SIGINT ended the run: skip the drain.
    pub(crate) killed: bool,
    /// The names of the events the loop makes itself.
    names: Names,
}

/// Event names made once, at boot, so that queuing a timer, a stdin line
/// or `terminate` never allocates in a Lua state that may be out of memory.
struct Names {
    timer: LuaString,
    stdin: LuaString,
    terminate: LuaString,
}

impl Computer {
    /// The computer of `lua`, whose script may run `abort_timeout` without
    /// yielding; `memory_hook` is the memory limit the watchdog enforces
    /// where the VM's allocator cannot (LuaJIT).
    pub(crate) fn new(
        lua: Lua,
        local: Rc<RefCell<LocalQueue>>,
        native: Arc<EventQueue>,
        abort_timeout: Duration,
        memory_hook: Option<usize>,
    ) -> mlua::Result<Self> {
        let names = Names {
            timer: lua.create_string("timer")?,
            stdin: lua.create_string("stdin")?,
            terminate: lua.create_string("terminate")?,
        };
        Ok(Computer {
            lua,
            local,
            native,
            taken: 0,
            since_yield: 0,
            batch: BATCH,
            batch_started: Instant::now(),
            watchdog: Rc::new(Watchdog::new(abort_timeout, memory_hook)),
            stdin: None,
            stdin_started: false,
            killed: false,
            names,
        })
    }

    /// Run `main` as the computer's main coroutine until it ends.
    pub(crate) async fn run(
        &mut self,
        main: mlua::Function,
        args: Vec<String>,
        mut sigint: Signals,
    ) -> mlua::Result<Outcome> {
        let thread: Thread = self.lua.create_thread(main)?;
        watchdog::install(&self.lua, &thread, &self.watchdog)?;
        let mut pending = Some(Resume::Values(MultiValue::from_iter(
            args.iter()
                .map(|a| self.lua.create_string(a).map(Value::String))
                .collect::<mlua::Result<Vec<_>>>()?,
        )));
        // What the script's last yield waits for (`os.pullEvent(filter)`).
        let mut filter: Option<Vec<u8>> = None;
        loop {
            let resume = match pending.take() {
                Some(resume) => resume,
                None => match self.next_for(filter.as_deref(), &mut sigint).await {
                    Some(resume) => resume,
                    None => {
                        self.killed = true;
                        return Ok(Outcome::Terminated);
                    }
                },
            };
            self.watchdog.resumed(Instant::now());
            let resumed = match resume {
                Resume::Values(values) => self.resume_values(&thread, values),
                // The hot path: the event's values made on the coroutine's
                // stack (craftos_http_lua::resume).
                Resume::Native(event) => match resume_with_event(&self.lua, &thread, event) {
                    Ok(Delivery::Resumed(resumed)) => resumed,
                    Ok(Delivery::Undelivered(err)) => {
                        // Out of memory: the event was answered (503) and
                        // is skipped; the script goes on.
                        tracing::warn!(%err, "an event could not be delivered");
                        continue;
                    }
                    Err(event) => match event_to_lua(&self.lua, event) {
                        Ok(values) => self.resume_values(&thread, values),
                        // As above (503, 1011).
                        Err(err) => {
                            tracing::warn!(%err, "an event could not be delivered");
                            continue;
                        }
                    },
                },
            };
            // However the script came back, a kill or a hard abort ends
            // the run.
            if self.watchdog.killed() {
                self.killed = true;
                return Ok(Outcome::Terminated);
            }
            if self.watchdog.stopped() {
                return Ok(Outcome::Failed(watchdog::MESSAGE.to_owned()));
            }
            let yielded = match resumed {
                Ok(yielded) => yielded,
                Err(err) => return Ok(failure(err)),
            };
            if self.local.borrow().shutdown || yielded.finished {
                return Ok(Outcome::Finished);
            }
            filter = yielded.filter;
        }
    }

    /// Resume `thread` with `values` the general way.
    fn resume_values(&self, thread: &Thread, values: MultiValue) -> mlua::Result<Yielded> {
        let yielded = thread.resume::<MultiValue>(values)?;
        Ok(Yielded {
            finished: thread.status() != ThreadStatus::Resumable,
            filter: match yielded.front() {
                Some(Value::String(s)) => Some(s.as_bytes().to_vec()),
                _ => None,
            },
        })
    }

    /// The next event `filter` lets through, skipping (and answering) the
    /// others; `None` for a second SIGINT.
    async fn next_for(&mut self, filter: Option<&[u8]>, sigint: &mut Signals) -> Option<Resume> {
        loop {
            let next = self.next(sigint).await;
            if !next.name_matches(filter) {
                // Discarded, as CC discards what a filter skips; but a
                // request must not look answered: 503 now, not an empty
                // 200 at its deadline, and a warning.
                if let Next::Native(event) = next {
                    dropped(event, filter);
                }
                continue;
            }
            return match next {
                Next::Local(v) => Some(Resume::Values(values(v))),
                Next::Native(e) => Some(Resume::Native(e)),
                Next::Kill => None,
            };
        }
    }

    /// The next event in arrival order, waiting for one if none is ready.
    async fn next(&mut self, sigint: &mut Signals) -> Next {
        self.since_yield += 1;
        // Let the transport's tasks (and a host's other computers) run
        // after a batch of events, or sooner once the batch has taken long:
        // a computer with slow handlers must not hold the thread.
        if self.since_yield >= self.batch
            || self
                .watchdog
                .turn_started()
                .duration_since(self.batch_started)
                >= SLICE
        {
            self.since_yield = 0;
            tokio::task::yield_now().await;
            self.batch_started = Instant::now();
        }
        loop {
            // A busy server is never idle: look for signals every turn.
            while let Some(signal) = sigint.as_mut().and_then(|rx| rx.try_recv().ok()) {
                if self.on_signal(signal) {
                    return Next::Kill;
                }
            }
            let now = Instant::now();
            {
                let mut local = self.local.borrow_mut();
                for id in local.due_timers(now) {
                    let ticket = self.native.pushed_total();
                    local.push(ticket, Carried::Timer(id));
                }
                // A script event goes first if every native event that
                // arrived before it has been taken.
                if local.events.front().is_some_and(|e| e.ticket <= self.taken) {
                    let e = local.events.pop_front().expect("front");
                    drop(local);
                    return Next::Local(self.local_values(e.carried));
                }
            }
            if let Some(e) = self.native.pop() {
                self.taken += 1;
                return Next::Native(e);
            }
            let front = self.local.borrow_mut().events.pop_front();
            if let Some(e) = front {
                return Next::Local(self.local_values(e.carried));
            }
            // Nothing ready: let the transport run until something arrives.
            self.since_yield = 0;
            if !self.stdin_started && self.local.borrow().stdin_wanted {
                self.stdin_started = true;
                self.stdin = Some(super::stdin::spawn());
            }
            // Lines are taken only while few wait for `read()`: the reader
            // thread waits meanwhile (bounded memory, X2).
            let room = self.local.borrow().stdin_lines.len() < MAX_STDIN_LINES;
            let stdin = async {
                match &mut self.stdin {
                    Some(rx) if room => rx.recv().await,
                    _ => std::future::pending().await,
                }
            };
            let deadline = self.local.borrow_mut().next_deadline();
            let timer = async {
                match deadline {
                    Some(at) => tokio::time::sleep_until(at.into()).await,
                    None => std::future::pending().await,
                }
            };
            let signal = async {
                match sigint {
                    Some(rx) => rx.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                event = poll_fn(|cx| self.native.poll_pop(cx)) => {
                    if let Some(e) = event {
                        self.taken += 1;
                        return Next::Native(e);
                    }
                    // The queue was closed: only script events from now on.
                    std::future::pending::<()>().await;
                }
                _ = timer => {}
                line = stdin => {
                    match line {
                        Some(line) => {
                            let ticket = self.native.pushed_total();
                            let mut local = self.local.borrow_mut();
                            local.stdin_lines.push_back(line);
                            local.push(ticket, Carried::Stdin);
                        }
                        // End of input: read() waits forever, as CC's does.
                        None => self.stdin = None,
                    }
                }
                got = signal => match got {
                    Some(signal) => {
                        if self.on_signal(signal) {
                            return Next::Kill;
                        }
                    }
                    None => *sigint = None,
                }
            }
        }
    }

    /// The values of a local event, made as it is taken.
    fn local_values(&self, carried: Carried) -> Vec<Value> {
        let name = |name: &LuaString| Value::String(name.clone());
        match carried {
            Carried::Timer(id) => vec![name(&self.names.timer), Value::Integer(id as i64)],
            Carried::Stdin => vec![name(&self.names.stdin)],
            Carried::Terminate => vec![name(&self.names.terminate)],
            Carried::Script(key) => self.local.borrow().take_script(key),
        }
    }

    /// What another thread sets to stop the script even while it runs
    /// (the hook looks at it).
    pub(crate) fn kill_switch(&self) -> Arc<std::sync::atomic::AtomicBool> {
        self.watchdog.kill_switch()
    }

    /// Queue `terminate` for a first SIGINT; true for a second (stop now).
    fn on_signal(&mut self, signal: Signal) -> bool {
        match signal {
            Signal::Kill => true,
            Signal::Terminate => {
                let ticket = self.native.pushed_total();
                self.local.borrow_mut().push(ticket, Carried::Terminate);
                false
            }
        }
    }
}

pub(crate) fn failure(err: mlua::Error) -> Outcome {
    let message = message(&err);
    if message == "Terminated" {
        Outcome::Terminated
    } else {
        Outcome::Failed(message)
    }
}

/// The error's message as the script raised it.
fn message(err: &mlua::Error) -> String {
    match err {
        // mlua appends the coroutine's traceback; the script raised only the message.
        mlua::Error::RuntimeError(m) => match m.find("\nstack traceback:") {
            Some(i) => m[..i].to_owned(),
            None => m.clone(),
        },
        mlua::Error::SyntaxError { message, .. } => message.clone(),
        mlua::Error::MemoryError(message) => message.clone(),
        mlua::Error::CallbackError { cause, .. } => message(cause),
        mlua::Error::WithContext { cause, .. } => message(cause),
        other => other.to_string(),
    }
}
