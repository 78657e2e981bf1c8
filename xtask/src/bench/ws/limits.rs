//! A server's open-file limit: the runner keeps the limit it inherits, so
//! before a thousand idle connections it is raised from outside with
//! `prlimit --pid` (util-linux) when it is too low.

use std::process::{Command, Stdio};

/// The soft `Max open files` of a `/proc/PID/limits` text.
fn parse_soft_nofile(limits: &str) -> Option<u64> {
    let line = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))?;
    let soft = line
        .trim_start_matches("Max open files")
        .split_whitespace()
        .next()?;
    if soft == "unlimited" {
        Some(u64::MAX)
    } else {
        soft.parse().ok()
    }
}

/// Makes sure process `pid` may open `want` files: raises its soft limit
/// with `prlimit` if it is lower (the hard limit permitting). Returns a
/// warning for the human when the limit stays too low or cannot be read.
pub(crate) fn ensure_nofile(pid: u32, want: u64) -> Option<String> {
    let read = || {
        std::fs::read_to_string(format!("/proc/{pid}/limits"))
            .ok()
            .and_then(|text| parse_soft_nofile(&text))
    };
    match read() {
        Some(soft) if soft >= want => return None,
        None => return Some(format!("cannot read the open-file limit of {pid}")),
        Some(_) => {}
    }
    let _ = Command::new("prlimit")
        .arg("--pid")
        .arg(pid.to_string())
        .arg(format!("--nofile={want}:"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match read() {
        Some(soft) if soft >= want => None,
        soft => Some(format!(
            "process {pid} may open {soft:?} files, fewer than the {want} wanted \
             (prlimit failed or the hard limit is lower)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_soft_limit() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max cpu time              unlimited            unlimited            seconds   \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(parse_soft_nofile(limits), Some(1024));
        assert_eq!(
            parse_soft_nofile("Max open files  unlimited  unlimited  files"),
            Some(u64::MAX)
        );
        assert_eq!(parse_soft_nofile("Max cpu time 1 1 seconds"), None);
    }

    #[test]
    fn this_process_may_open_a_few_files() {
        assert_eq!(ensure_nofile(std::process::id(), 16), None);
    }
}
