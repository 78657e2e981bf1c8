//! The phases of a load run (a warm-up, then the measured window), what a
//! connection of `loadgen` or `ws-loadgen` saw in them, and the pause
//! after an error.

use std::time::{Duration, Instant};

use crate::stats::Errors;

/// How long a connection waits after an error before connecting again, so
/// a server that is down is not hammered with connects.
pub const ERROR_PAUSE: Duration = Duration::from_millis(10);

/// The phases of a run, as instants.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Measuring starts here (after the warm-up).
    pub from: Instant,
    /// Nothing is sent from here on; measuring stops.
    pub end: Instant,
}

impl Window {
    /// The window of a run that starts at `start`.
    pub fn new(start: Instant, warmup: Duration, duration: Duration) -> Self {
        let from = start + warmup;
        Self {
            from,
            end: from + duration,
        }
    }

    /// Sleeps [`ERROR_PAUSE`], or less if the window ends sooner.
    pub async fn pause(self) {
        let until = (Instant::now() + ERROR_PAUSE).min(self.end);
        tokio::time::sleep_until(until.into()).await;
    }
}

/// What one connection (or all of them, merged) saw: requests or round
/// trips, each an operation.
#[derive(Debug, Default)]
pub struct ConnStats {
    /// Latencies in the window, in nanoseconds.
    pub latencies: Vec<u64>,
    /// Operations completed in the window.
    pub in_window: u64,
    /// Operations completed at any time.
    pub total: u64,
    /// Operations with a wrong answer (a status other than 200, a reply
    /// that was not the echo), at any time.
    pub failures: u64,
    /// Connect, I/O, timeout and framing errors.
    pub errors: Errors,
    /// When the last operation completed.
    pub last_done: Option<Instant>,
}

impl ConnStats {
    /// Awaits every connection's task and merges what they saw; a task's
    /// panic goes on here.
    pub async fn join(tasks: Vec<tokio::task::JoinHandle<ConnStats>>) -> ConnStats {
        let mut all = ConnStats::default();
        for task in tasks {
            match task.await {
                Ok(stats) => all.merge(stats),
                Err(err) => std::panic::resume_unwind(err.into_panic()),
            }
        }
        all
    }

    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: ConnStats) {
        self.latencies.extend_from_slice(&other.latencies);
        self.in_window += other.in_window;
        self.total += other.total;
        self.failures += other.failures;
        self.errors.merge(other.errors);
        self.last_done = self.last_done.max(other.last_done);
    }

    /// Counts an operation sent at `sent` and completed at `done`, `ok`
    /// unless its answer was wrong; its latency counts if it completed
    /// inside `window`.
    pub fn record(&mut self, ok: bool, sent: Instant, done: Instant, window: Window) {
        self.total += 1;
        self.last_done = Some(done);
        if !ok {
            self.failures += 1;
        }
        if done >= window.from && done < window.end {
            self.in_window += 1;
            self.latencies
                .push(done.duration_since(sent).as_nanos() as u64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_window_counts_toward_latency() {
        let start = Instant::now();
        let window = Window::new(start, Duration::from_secs(1), Duration::from_secs(1));
        let mut a = ConnStats::default();
        a.record(true, start, start, window);
        let mut b = ConnStats::default();
        let inside = start + Duration::from_millis(1500);
        b.record(false, inside - Duration::from_millis(2), inside, window);
        a.merge(b);
        assert_eq!((a.total, a.in_window, a.failures), (2, 1, 1));
        assert_eq!(a.latencies, [2_000_000]);
        assert_eq!(a.last_done, Some(inside));
    }
}
