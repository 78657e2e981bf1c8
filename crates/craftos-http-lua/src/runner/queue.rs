//! The runner's own events (queued by scripts, timers, signals), merged in
//! arrival order with the native events of the core queue.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use mlua::Value;

/// An event queued on the computer's side: its values, and the number of
/// native events that had been accepted when it was queued (its place in
/// line relative to them).
pub(crate) struct LocalEvent {
    pub(crate) ticket: u64,
    pub(crate) values: Vec<Value>,
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
    pub(crate) fn new() -> Self {
        LocalQueue {
            events: VecDeque::new(),
            timers: BinaryHeap::new(),
            live_timers: HashSet::new(),
            next_timer: 0,
            shutdown: false,
            stdin_wanted: false,
            stdin_lines: VecDeque::new(),
            dropped: 0,
        }
    }

    /// `os.queueEvent`: queue a script's event, unless [`MAX_QUEUED`] are
    /// waiting (then it is dropped, as CC: Tweaked drops them).
    pub(crate) fn push_script(&mut self, ticket: u64, values: Vec<Value>) {
        if self.events.len() >= MAX_QUEUED {
            if self.dropped == 0 {
                tracing::warn!("more than {MAX_QUEUED} events queued: dropping events");
            }
            self.dropped += 1;
            return;
        }
        self.push(ticket, values);
    }

    /// Queue an event behind the `ticket` native events already accepted.
    pub(crate) fn push(&mut self, ticket: u64, values: Vec<Value>) {
        self.events.push_back(LocalEvent { ticket, values });
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
