//! A process's CPU time and peak memory, from `/proc` (Linux).

use std::process::Command;
use std::time::Duration;

use anyhow::Context as _;

/// User + system CPU time of process `pid` (all its threads) so far.
pub(crate) fn cpu_time(pid: u32, ticks_per_second: u64) -> anyhow::Result<Duration> {
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let ticks = parse_stat_cpu_ticks(&stat).with_context(|| format!("parsing {path}"))?;
    Ok(Duration::from_secs_f64(
        ticks as f64 / ticks_per_second as f64,
    ))
}

/// `utime + stime` (fields 14 and 15) of a `/proc/PID/stat` line. The
/// command name (field 2) is in parentheses and may hold spaces or
/// parentheses itself, so fields are counted from the last `)`.
pub(crate) fn parse_stat_cpu_ticks(stat: &str) -> anyhow::Result<u64> {
    let after_comm = stat
        .rfind(')')
        .map(|i| &stat[i + 1..])
        .context("no `)` after the command name")?;
    // After the name: field 3 (state) is index 0, so field N is N - 3.
    let fields: Vec<&str> = after_comm.split_whitespace().collect();
    let field = |n: usize| -> anyhow::Result<u64> {
        let text = fields.get(n - 3).with_context(|| format!("no field {n}"))?;
        text.parse()
            .with_context(|| format!("field {n} `{text}` is not a number"))
    };
    Ok(field(14)? + field(15)?)
}

/// CPU time all processors spent busy since boot (`/proc/stat`: everything
/// but idle and iowait), to see how much of a run went to other processes.
pub(crate) fn system_busy(ticks_per_second: u64) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string("/proc/stat").context("reading /proc/stat")?;
    let ticks = parse_system_busy_ticks(&stat).context("parsing /proc/stat")?;
    Ok(Duration::from_secs_f64(
        ticks as f64 / ticks_per_second as f64,
    ))
}

/// Busy ticks from the `cpu` line of `/proc/stat`: user, nice, system,
/// irq, softirq and steal (fields 1-3 and 6-8; 4 is idle, 5 iowait; guest
/// time is already inside user).
pub(crate) fn parse_system_busy_ticks(stat: &str) -> anyhow::Result<u64> {
    let line = stat
        .lines()
        .find(|line| line.starts_with("cpu "))
        .context("no `cpu` line")?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(str::parse)
        .collect::<Result<_, _>>()
        .context("a `cpu` field is not a number")?;
    anyhow::ensure!(fields.len() >= 8, "the `cpu` line has too few fields");
    Ok(fields[..3].iter().sum::<u64>() + fields[5..8].iter().sum::<u64>())
}

/// The peak resident set size (`VmHWM`) of process `pid`, in KiB.
pub(crate) fn peak_rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmHWM:")
}

/// The resident set size now (`VmRSS`) of process `pid`, in KiB.
pub(crate) fn rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmRSS:")
}

/// A `kB` field of `/proc/PID/status`.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Clock ticks per second (`getconf CLK_TCK`), the unit of `/proc` CPU
/// times; 100 (Linux's value on every common platform) if `getconf` fails.
pub(crate) fn ticks_per_second() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .filter(|&ticks| ticks > 0)
        .unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_line_with_odd_command_name() {
        // Fields 14 and 15 are 250 and 31.
        let stat = "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 31 0 0 20 0 3 0";
        assert_eq!(parse_stat_cpu_ticks(stat).unwrap(), 281);
    }

    #[test]
    fn bad_stat_lines() {
        assert!(parse_stat_cpu_ticks("1234 bare S 1").is_err());
        assert!(parse_stat_cpu_ticks("1234 (x) S 1 2").is_err());
    }

    #[test]
    fn system_cpu_line() {
        let stat = "cpu  10 1 5 1000 7 2 3 4 0 0\ncpu0 5 0 2 500 3 1 1 2 0 0\n";
        assert_eq!(
            parse_system_busy_ticks(stat).unwrap(),
            10 + 1 + 5 + 2 + 3 + 4
        );
        assert!(parse_system_busy_ticks("cpu0 1 2 3").is_err());
        assert!(system_busy(ticks_per_second()).is_ok());
    }

    #[test]
    fn this_process() {
        let pid = std::process::id();
        assert!(cpu_time(pid, ticks_per_second()).is_ok());
        assert!(peak_rss_kib(pid).is_some_and(|kib| kib > 0));
        assert!(rss_kib(pid).is_some_and(|kib| kib > 0 && kib <= peak_rss_kib(pid).unwrap()));
    }
}
