//! The runner's own events (queued by scripts, timers, signals), merged in
//! arrival order with the native events of the core queue.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use mlua::{Lua, Table, Value, Variadic};

/// An event queued on the computer's side: what it carries, and the number
/// of native events that had been accepted when it was queued (its place
/// in line relative to them).
pub(crate) struct LocalEvent {
    pub(crate) ticket: u64,
    pub(crate) carried: Carried,
}

/// What a local event carries, made into Lua values only when it is taken.
///
/// Queued events hold no mlua values: every live mlua value takes a slot of
/// mlua's reference thread, whose stack Lua 5.1 and LuaJIT cap at 8000
/// slots (`LUAI_MAXCSTACK`), so sixteen thousand queued events, or a
/// thousand due timers, would fail with "out of Lua stack". A script's
/// values wait in one Lua table instead ([`LocalQueue::scripts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carried {
    /// `timer` with the timer's id.
    Timer(u64),
    /// `stdin`: a line was read for `read()`.
    Stdin,
    /// `terminate`: the first SIGINT.
    Terminate,
    /// A script's `os.queueEvent`: its values are in the scripts' table
    /// under this key.
    Script(i64),
}

/// The most events scripts may have queued (`os.queueEvent`) and not yet
/// taken; more are dropped, with a warning, as CC: Tweaked drops events
/// past its queue limit (256; this one is roomier, for scripts written for
/// CraftOS-PC, which has none). Without a bound a script queuing in a loop
/// grows the process's memory until the `Too long without yielding` error.
pub(crate) const MAX_QUEUED: usize = 16_384;

/// The most timers that may be running at once; `os.startTimer` raises
/// past it.
pub(crate) const MAX_TIMERS: usize = 1_000_000;

/// Stdin lines read ahead of `read()`.
pub(crate) const MAX_STDIN_LINES: usize = 16;

/// Script-side state shared by the os natives and the event loop. Lives on
/// the computer's thread only.
pub(crate) struct LocalQueue {
    pub(crate) events: VecDeque<LocalEvent>,
    /// The values of queued script events, a table of `{n = N, ...}` by
    /// [`Carried::Script`] key (one mlua reference for all of them).
    scripts: Table,
    /// The key of the next script event.
    next_script: i64,
    timers: BinaryHeap<Reverse<(Instant, u64)>>,
    live_timers: HashSet<u64>,
    next_timer: u64,
    /// `os.shutdown()` was called.
    pub(crate) shutdown: bool,
    /// A `read()` asked for stdin to be read.
    pub(crate) stdin_wanted: bool,
    /// Lines read from stdin, not yet taken by `read()`.
    pub(crate) stdin_lines: VecDeque<Vec<u8>>,
    /// Script events dropped for [`MAX_QUEUED`] (warned about once).
    dropped: u64,
}

impl LocalQueue {
    /// An empty queue whose script events wait in a new table of `lua`.
    pub(crate) fn new(lua: &Lua) -> mlua::Result<Self> {
        Ok(LocalQueue {
            events: VecDeque::new(),
            scripts: lua.create_table()?,
            next_script: 0,
            timers: BinaryHeap::new(),
            live_timers: HashSet::new(),
            next_timer: 0,
            shutdown: false,
            stdin_wanted: false,
            stdin_lines: VecDeque::new(),
            dropped: 0,
        })
    }

    /// `os.queueEvent`: queue a script's event, unless [`MAX_QUEUED`] are
    /// waiting (then it is dropped, as CC: Tweaked drops them). Fails only
    /// when Lua cannot hold the values (out of memory).
    pub(crate) fn push_script(
        &mut self,
        lua: &Lua,
        ticket: u64,
        values: Variadic<Value>,
    ) -> mlua::Result<()> {
        if self.events.len() >= MAX_QUEUED {
            if self.dropped == 0 {
                tracing::warn!("more than {MAX_QUEUED} events queued: dropping events");
            }
            self.dropped += 1;
            return Ok(());
        }
        let held = lua.create_table_with_capacity(values.len(), 1)?;
        held.raw_set("n", values.len())?;
        for (i, value) in values.into_iter().enumerate() {
            held.raw_set(i + 1, value)?;
        }
        let key = self.next_script;
        self.scripts.raw_set(key, held)?;
        self.next_script += 1;
        self.push(ticket, Carried::Script(key));
        Ok(())
    }

    /// Queue an event behind the `ticket` native events already accepted.
    pub(crate) fn push(&mut self, ticket: u64, carried: Carried) {
        self.events.push_back(LocalEvent { ticket, carried });
    }

    /// The values of the script event under `key`, which leave the
    /// scripts' table (allocates nothing in Lua: removing a key does not).
    pub(crate) fn take_script(&self, key: i64) -> Vec<Value> {
        let held = match self.scripts.raw_get::<Option<Table>>(key) {
            Ok(Some(held)) => held,
            _ => return Vec::new(),
        };
        let _ = self.scripts.raw_set(key, Value::Nil);
        let n: i64 = held.raw_get("n").unwrap_or(0);
        (1..=n)
            .map(|i| held.raw_get(i).unwrap_or(Value::Nil))
            .collect()
    }

    /// `os.startTimer(secs)`: a new timer id, or `None` when
    /// [`MAX_TIMERS`] are running.
    pub(crate) fn start_timer(&mut self, now: Instant, secs: f64) -> Option<u64> {
        if self.live_timers.len() >= MAX_TIMERS {
            return None;
        }
        // Cancelled timers stay in the heap until due: drop them before
        // they outnumber the live ones (a start/cancel loop would grow it
        // forever).
        if self.timers.len() >= 2 * self.live_timers.len() + 1024 {
            let live = &self.live_timers;
            self.timers.retain(|Reverse((_, id))| live.contains(id));
        }
        self.next_timer += 1;
        let id = self.next_timer;
        let delay = if secs.is_finite() && secs > 0.0 {
            Duration::from_secs_f64(secs.min(1e9))
        } else {
            Duration::ZERO
        };
        self.timers.push(Reverse((now + delay, id)));
        self.live_timers.insert(id);
        Some(id)
    }

    /// `os.cancelTimer(id)`.
    pub(crate) fn cancel_timer(&mut self, id: u64) {
        self.live_timers.remove(&id);
    }

    /// Ids of the live timers due at `now`, in due order; they are removed.
    pub(crate) fn due_timers(&mut self, now: Instant) -> Vec<u64> {
        let mut due = Vec::new();
        while let Some(Reverse((at, id))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            if self.live_timers.remove(&id) {
                due.push(id);
            }
        }
        due
    }

    /// When the next live timer is due.
    pub(crate) fn next_deadline(&mut self) -> Option<Instant> {
        while let Some(Reverse((at, id))) = self.timers.peek().copied() {
            if self.live_timers.contains(&id) {
                return Some(at);
            }
            self.timers.pop();
        }
        None
    }
}
