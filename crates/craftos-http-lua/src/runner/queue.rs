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
        }
    }

    /// Queue an event behind the `ticket` native events already accepted.
    pub(crate) fn push(&mut self, ticket: u64, values: Vec<Value>) {
        self.events.push_back(LocalEvent { ticket, values });
    }

    /// `os.startTimer(secs)`: a new timer id.
    pub(crate) fn start_timer(&mut self, now: Instant, secs: f64) -> u64 {
        self.next_timer += 1;
        let id = self.next_timer;
        let delay = if secs.is_finite() && secs > 0.0 {
            Duration::from_secs_f64(secs.min(1e9))
        } else {
            Duration::ZERO
        };
        self.timers.push(Reverse((now + delay, id)));
        self.live_timers.insert(id);
        id
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
