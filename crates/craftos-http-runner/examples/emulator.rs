//! A small emulator of its own, embedding the `http` binding: two computers,
//! each with its own Lua state, main coroutine, event queue and timers, run
//! by the emulator's scheduler (not the runner's). The hyper transport
//! serves their ports on a tokio runtime in the background.
//!
//! The seam an emulator uses, and nothing else of this crate:
//! 1. [`EventSink`]: the emulator's own queue receives the computer's
//!    native events (here [`Inbox`], which rings the scheduler's bell);
//! 2. [`event_to_lua`]: turns one of them into the Lua values of the event,
//!    inside that computer's Lua state, on the emulator's thread;
//! 3. [`install`]: puts the `http` table into the computer's Lua state.
//!
//! The emulator provides `os.pullEvent`, `os.pullEventRaw`, `os.queueEvent`,
//! `os.startTimer` and `os.cancelTimer` itself, as every emulator does.
//!
//! Run: `cargo run -p craftos-http-runner --example emulator [PORT_A PORT_B]`
//! (default 8081 and 8082), then `curl 127.0.0.1:8081/` and
//! `curl 127.0.0.1:8082/`. Ctrl-C stops it.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use craftos_http_core::{Computer, ComputerId, Event, EventSink, Listeners, SendError};
use craftos_http_hyper::{HyperTransport, TransportConfig};
use craftos_http_lua::mlua::thread::ThreadStatus;
use craftos_http_lua::mlua::{self, Lua, MultiValue, Thread, Value};
use craftos_http_lua::{HttpContext, event_to_lua, install};

/// Computer A: `http.listen`, the blocking server loop of the API.
const SCRIPT_A: &str = r#"
local port = ...
http.listen(port, function(req, res)
  res.setResponseHeader("Content-Type", "text/plain")
  res.write("computer " .. os.getComputerID() .. " says hello to " .. req.getURL())
  res.close()
end)
"#;

/// Computer B: `http.addListener` and its own event loop, with a timer
/// ticking beside the requests.
const SCRIPT_B: &str = r#"
local port = ...
http.addListener(port)
local ticks = 0
local timer = os.startTimer(0.05)
while true do
  local ev, a, req, res = os.pullEvent()
  if ev == "timer" and a == timer then
    ticks = ticks + 1
    timer = os.startTimer(0.05)
  elseif ev == "http_request" and a == port then
    res.write(("computer %d, %d ticks, %s %s"):format(
      os.getComputerID(), ticks, req.getMethod(), req.getURL()))
    res.close()
  end
end
"#;

/// The scheduler's doorbell: rung when a native event arrives.
#[derive(Default)]
struct Bell {
    rung: Mutex<bool>,
    cv: Condvar,
}

impl Bell {
    fn ring(&self) {
        *lock(&self.rung) = true;
        self.cv.notify_one();
    }

    /// Wait until rung or `deadline`.
    fn wait(&self, deadline: Option<Instant>) {
        let mut rung = lock(&self.rung);
        while !*rung {
            let timeout = match deadline {
                Some(at) => match at.checked_duration_since(Instant::now()) {
                    Some(left) => left,
                    None => break,
                },
                None => Duration::from_millis(100),
            };
            rung = self
                .cv
                .wait_timeout(rung, timeout)
                .unwrap_or_else(|e| e.into_inner())
                .0;
            if deadline.is_none() {
                break;
            }
        }
        *rung = false;
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The emulator's own native-event queue for one computer: the transport
/// pushes into it from its threads; the scheduler drains it.
struct Inbox {
    bound: usize,
    state: Mutex<InboxState>,
    bell: Arc<Bell>,
}

#[derive(Default)]
struct InboxState {
    events: VecDeque<Event>,
    waiting: Vec<Waker>,
    closed: bool,
}

impl Inbox {
    fn new(bound: usize, bell: Arc<Bell>) -> Self {
        Inbox {
            bound,
            state: Mutex::default(),
            bell,
        }
    }

    /// Take every pending event, waking producers waiting for room (E2).
    fn drain(&self) -> Vec<Event> {
        let mut s = lock(&self.state);
        for w in s.waiting.drain(..) {
            w.wake();
        }
        s.events.drain(..).collect()
    }

    /// The computer is gone: refuse new events, hand back pending ones.
    fn close(&self) -> Vec<Event> {
        let mut s = lock(&self.state);
        s.closed = true;
        for w in s.waiting.drain(..) {
            w.wake();
        }
        s.events.drain(..).collect()
    }
}

impl EventSink for Inbox {
    fn try_send(&self, event: Event) -> Result<(), SendError> {
        let mut s = lock(&self.state);
        if s.closed {
            return Err(SendError::Closed(event));
        }
        if s.events.len() >= self.bound {
            return Err(SendError::Full(event));
        }
        s.events.push_back(event);
        drop(s);
        self.bell.ring();
        Ok(())
    }

    fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        let mut s = lock(&self.state);
        if s.closed {
            Poll::Ready(Err(()))
        } else if s.events.len() < self.bound {
            Poll::Ready(Ok(()))
        } else {
            s.waiting.push(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// An event waiting for the coroutine: made by the script (or a timer), or
/// a native one, converted only once the coroutine takes it.
enum Pending {
    Lua(Vec<Value>),
    Native(Event),
}

/// Events queued by the script itself and its timers, in the Lua state,
/// and the native events in arrival order among them.
#[derive(Default)]
struct Local {
    events: VecDeque<Pending>,
    timers: BTreeMap<i64, Instant>,
    next_timer: i64,
}

/// One emulated computer.
struct Machine {
    id: ComputerId,
    lua: Lua,
    main: Thread,
    /// The filter the coroutine last yielded with.
    filter: Option<String>,
    inbox: Arc<Inbox>,
    local: Rc<RefCell<Local>>,
}

impl Machine {
    fn boot(
        id: u32,
        script: &str,
        port: u16,
        bell: &Arc<Bell>,
        listeners: Arc<dyn Listeners>,
    ) -> mlua::Result<Machine> {
        let lua = Lua::new();
        let inbox = Arc::new(Inbox::new(256, bell.clone()));
        let local = Rc::new(RefCell::new(Local::default()));
        install_os(&lua, id, &local)?;
        install(
            &lua,
            HttpContext {
                computer: Computer::new(ComputerId(id), inbox.clone()),
                listeners,
            },
        )?;
        let main = lua.create_thread(lua.load(script).set_name("=script").into_function()?)?;
        let mut machine = Machine {
            id: ComputerId(id),
            lua,
            main,
            filter: None,
            inbox,
            local,
        };
        machine.resume(MultiValue::from_iter([Value::Integer(port.into())]))?;
        Ok(machine)
    }

    fn is_running(&self) -> bool {
        self.main.status() == ThreadStatus::Resumable
    }

    /// Resume the main coroutine with one event; keep its next filter.
    fn resume(&mut self, args: MultiValue) -> mlua::Result<()> {
        let yielded: MultiValue = self.main.resume(args)?;
        self.filter = match yielded.front() {
            Some(Value::String(s)) => Some(s.to_string_lossy()),
            _ => None,
        };
        Ok(())
    }

    /// Deliver due timers and pending events, in order, to the coroutine.
    fn step(&mut self, now: Instant) -> mlua::Result<()> {
        let due: Vec<i64> = {
            let mut local = self.local.borrow_mut();
            let due: Vec<i64> = local
                .timers
                .iter()
                .filter(|(_, at)| **at <= now)
                .map(|(id, _)| *id)
                .collect();
            for id in &due {
                local.timers.remove(id);
            }
            due
        };
        for id in due {
            let timer = vec![
                Value::String(self.lua.create_string("timer")?),
                Value::Integer(id),
            ];
            self.local
                .borrow_mut()
                .events
                .push_back(Pending::Lua(timer));
        }
        for event in self.inbox.drain() {
            self.local
                .borrow_mut()
                .events
                .push_back(Pending::Native(event));
        }
        while self.is_running() {
            let Some(pending) = self.local.borrow_mut().events.pop_front() else {
                break;
            };
            let name = match &pending {
                Pending::Lua(values) => match values.first() {
                    Some(Value::String(s)) => s.to_string_lossy(),
                    _ => String::new(),
                },
                Pending::Native(event) => event.name().to_owned(),
            };
            let wanted = match &self.filter {
                None => true,
                Some(f) => *f == name || name == "terminate",
            };
            match pending {
                Pending::Lua(values) if wanted => self.resume(MultiValue::from_iter(values))?,
                Pending::Native(event) if wanted => {
                    let values = event_to_lua(&self.lua, event)?;
                    self.resume(values)?;
                }
                Pending::Lua(_) => {}
                // Skipped by the filter (CC discards it): a request or a new
                // client must not be left waiting for an answer nobody will
                // give (docs/cookbook.md, "Filters that drop events").
                Pending::Native(event) => event.abandon(503),
            }
        }
        Ok(())
    }

    fn next_timer(&self) -> Option<Instant> {
        self.local.borrow().timers.values().min().copied()
    }
}

/// The emulator's `os` functions: events, timers, the computer id.
fn install_os(lua: &Lua, id: u32, local: &Rc<RefCell<Local>>) -> mlua::Result<()> {
    let os = lua.create_table()?;
    os.set("getComputerID", lua.create_function(move |_, ()| Ok(id))?)?;
    let l = local.clone();
    os.set(
        "queueEvent",
        lua.create_function(move |_, args: MultiValue| {
            l.borrow_mut()
                .events
                .push_back(Pending::Lua(args.into_vec()));
            Ok(())
        })?,
    )?;
    let l = local.clone();
    os.set(
        "startTimer",
        lua.create_function(move |_, secs: f64| {
            let mut local = l.borrow_mut();
            local.next_timer += 1;
            let id = local.next_timer;
            let at = Instant::now() + Duration::from_secs_f64(secs.max(0.0));
            local.timers.insert(id, at);
            Ok(id)
        })?,
    )?;
    let l = local.clone();
    os.set(
        "cancelTimer",
        lua.create_function(move |_, id: i64| {
            l.borrow_mut().timers.remove(&id);
            Ok(())
        })?,
    )?;
    lua.globals().set("os", os)?;
    lua.load(
        r##"
        function os.pullEventRaw(filter) return coroutine.yield(filter) end
        local pack = table.pack or function(...) return { n = select("#", ...), ... } end
        local unpack = table.unpack or unpack
        function os.pullEvent(filter)
          local ev = pack(coroutine.yield(filter))
          if ev[1] == "terminate" then error("Terminated", 0) end
          return unpack(ev, 1, ev.n)
        end
        "##,
    )
    .set_name("=os")
    .exec()
}

/// Run two computers serving `ports` until `stop` is set or both end.
/// Returns once their listeners are released.
pub fn run(ports: [u16; 2], stop: Arc<AtomicBool>) -> mlua::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(mlua::Error::external)?;
    let transport = HyperTransport::new(runtime.handle().clone(), TransportConfig::default());
    let listeners: Arc<dyn Listeners> = Arc::new(transport.clone());
    let bell = Arc::new(Bell::default());
    let mut machines = vec![
        Machine::boot(1, SCRIPT_A, ports[0], &bell, listeners.clone())?,
        Machine::boot(2, SCRIPT_B, ports[1], &bell, listeners.clone())?,
    ];
    let result = (|| {
        while !stop.load(Ordering::SeqCst) && machines.iter().any(Machine::is_running) {
            let now = Instant::now();
            for machine in &mut machines {
                machine.step(now)?;
            }
            let next = machines.iter().filter_map(Machine::next_timer).min();
            bell.wait(next);
        }
        Ok(())
    })();
    // Shut down: free the ports, answer what the computers never saw.
    for machine in &machines {
        listeners.release(machine.id);
        for event in machine.inbox.close() {
            event.abandon(503);
        }
    }
    drop(machines);
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

#[allow(dead_code)] // The integration test includes this file and calls `run`.
fn main() -> mlua::Result<()> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u16>());
    let ports = match (args.next(), args.next()) {
        (Some(Ok(a)), Some(Ok(b))) => [a, b],
        _ => [8081, 8082],
    };
    println!(
        "computer 1 on http://127.0.0.1:{}/, computer 2 on http://127.0.0.1:{}/",
        ports[0], ports[1]
    );
    run(ports, Arc::new(AtomicBool::new(false)))
}
