//! A server's CPU time over a load, and its shares of the load's wall time
//! beside the load generator's and other processes'.

use std::time::Duration;

use super::median::{median, median_known};
use super::procfs;

/// CPU times read when a load starts.
pub(crate) struct CpuMeter {
    pid: u32,
    ticks_per_second: u64,
    cpu_before: Duration,
    busy_before: Duration,
}

/// CPU used while the meter ran.
pub(crate) struct CpuUsage {
    /// By the server (user + system).
    pub cpu: Duration,
    /// By the whole machine.
    pub busy: Duration,
}

/// The server's CPU over a load, with the shares of the load's wall time.
#[derive(Debug, Clone)]
pub(crate) struct CpuShares {
    /// Server CPU seconds over the whole load (warm-up included).
    pub cpu_s: f64,
    /// `cpu_s` over the load's wall time, in percent of one core.
    pub cpu_pct: f64,
    /// The load generator's own CPU, in percent of one core.
    pub loadgen_cpu_pct: Option<f64>,
    /// CPU neither used, in percent of one core (other processes).
    pub other_cpu_pct: Option<f64>,
    /// Operations of the whole load per server CPU-second.
    pub per_cpu_s: f64,
}

impl CpuMeter {
    /// Reads the CPU time of process `pid` and of the machine.
    pub(crate) fn start(pid: u32, ticks_per_second: u64) -> anyhow::Result<Self> {
        Ok(Self {
            pid,
            ticks_per_second,
            cpu_before: procfs::cpu_time(pid, ticks_per_second)?,
            busy_before: procfs::system_busy(ticks_per_second)?,
        })
    }

    /// The CPU used since [`CpuMeter::start`].
    pub(crate) fn stop(self) -> anyhow::Result<CpuUsage> {
        let cpu = procfs::cpu_time(self.pid, self.ticks_per_second)?;
        let busy = procfs::system_busy(self.ticks_per_second)?;
        Ok(CpuUsage {
            cpu: cpu.saturating_sub(self.cpu_before),
            busy: busy.saturating_sub(self.busy_before),
        })
    }
}

impl CpuShares {
    /// The medians of `shares` (unknown values left out).
    pub(crate) fn median<'a>(shares: impl Iterator<Item = &'a CpuShares> + Clone) -> Self {
        let of = |field: fn(&CpuShares) -> f64| median(shares.clone().map(field).collect());
        CpuShares {
            cpu_s: of(|s| s.cpu_s),
            cpu_pct: of(|s| s.cpu_pct),
            loadgen_cpu_pct: median_known(shares.clone().map(|s| s.loadgen_cpu_pct)),
            other_cpu_pct: median_known(shares.clone().map(|s| s.other_cpu_pct)),
            per_cpu_s: of(|s| s.per_cpu_s),
        }
    }
}

impl CpuUsage {
    /// The shares of a load of `total_s` wall seconds and `operations`
    /// operations, the load generator having used `client_cpu_s`.
    pub(crate) fn shares(
        &self,
        total_s: f64,
        client_cpu_s: Option<f64>,
        operations: u64,
    ) -> CpuShares {
        let cpu_s = self.cpu.as_secs_f64();
        let percent_of_load = |seconds: f64| {
            if total_s > 0.0 {
                100.0 * seconds / total_s
            } else {
                f64::NAN
            }
        };
        CpuShares {
            cpu_s,
            cpu_pct: percent_of_load(cpu_s),
            loadgen_cpu_pct: client_cpu_s.map(percent_of_load),
            // Whatever the machine did besides the server and the load
            // generator (builds of other work, say); clock-tick rounding
            // makes a few percent either way.
            other_cpu_pct: client_cpu_s
                .map(|client| percent_of_load(self.busy.as_secs_f64() - cpu_s - client).max(0.0)),
            per_cpu_s: if cpu_s > 0.0 {
                operations as f64 / cpu_s
            } else {
                f64::NAN
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_of_a_load() {
        let usage = CpuUsage {
            cpu: Duration::from_secs(1),
            busy: Duration::from_secs(3),
        };
        let s = usage.shares(2.0, Some(1.5), 1000);
        assert_eq!((s.cpu_s, s.cpu_pct, s.per_cpu_s), (1.0, 50.0, 1000.0));
        assert_eq!(
            (s.loadgen_cpu_pct, s.other_cpu_pct),
            (Some(75.0), Some(25.0))
        );
        let none = CpuUsage {
            cpu: Duration::ZERO,
            busy: Duration::ZERO,
        }
        .shares(0.0, None, 1);
        assert!(none.cpu_pct.is_nan() && none.per_cpu_s.is_nan());
        assert_eq!(none.other_cpu_pct, None);
    }
}
