//! The open-loop mode of `loadgen --rate R`: requests at a fixed rate,
//! each at its intended send time whatever the server's pace, and its
//! latency measured from that time (so a slow answer delays the requests
//! queued behind it and they count the wait: no coordinated omission, as
//! in wrk2).
//!
//! The rate is shared by the connections: connection `i` of `n` sends at
//! `start + i / R`, then every `n / R` seconds.

use std::time::{Duration, Instant};

/// Waits shorter than this are spun (yielding to the runtime between
/// looks at the clock) rather than slept: tokio's timer has a resolution
/// of a millisecond, far coarser than the gap between two requests of a
/// connection at tens of thousands of requests per second, and a late
/// wake-up would count as the server's latency.
const SPIN: Duration = Duration::from_millis(2);

/// One connection's send times.
#[derive(Debug, Clone)]
pub struct Schedule {
    next: Instant,
    interval: Duration,
}

impl Schedule {
    /// The send times of connection `i` of `connections` sharing `rate`
    /// requests per second from `start`.
    pub fn new(start: Instant, rate: f64, connections: usize, i: usize) -> Self {
        let connections = connections.max(1);
        let rate = if rate.is_finite() && rate > 0.0 {
            rate
        } else {
            1.0
        };
        Self {
            next: start + Duration::from_secs_f64(i as f64 / rate),
            interval: Duration::from_secs_f64(connections as f64 / rate),
        }
    }

    /// The next intended send time; the one after it from then on.
    pub fn advance(&mut self) -> Instant {
        let at = self.next;
        self.next += self.interval;
        at
    }
}

/// Waits until `at`: sleeps while it is far, then yields to the runtime
/// until the clock reaches it (see [`SPIN`]).
pub async fn wait_until(at: Instant) {
    let now = Instant::now();
    if at > now + SPIN {
        tokio::time::sleep_until((at - SPIN / 2).into()).await;
    }
    while Instant::now() < at {
        tokio::task::yield_now().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_share_the_rate_staggered() {
        let start = Instant::now();
        let mut a = Schedule::new(start, 1000.0, 4, 0);
        let mut b = Schedule::new(start, 1000.0, 4, 1);
        assert_eq!(a.advance(), start);
        assert_eq!(a.advance(), start + Duration::from_millis(4));
        assert_eq!(b.advance(), start + Duration::from_millis(1));
        assert_eq!(b.advance(), start + Duration::from_millis(5));
    }

    #[tokio::test]
    async fn waits_until_the_time_and_no_less() {
        for wait in [
            Duration::ZERO,
            Duration::from_micros(300),
            Duration::from_millis(5),
        ] {
            let at = Instant::now() + wait;
            wait_until(at).await;
            assert!(Instant::now() >= at);
        }
    }
}
