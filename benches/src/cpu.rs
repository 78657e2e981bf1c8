//! This process's CPU time, so the load generator can tell whether it was
//! the bottleneck.

/// User + system CPU seconds of this process (all threads) so far, or
/// `None` where unknown.
#[cfg(unix)]
pub fn process_cpu_seconds() -> Option<f64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a `rusage` through a valid, aligned pointer
    // to memory we own, and reads nothing from it.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    if rc != 0 {
        return None;
    }
    // SAFETY: getrusage succeeded, so it filled the struct (which was
    // zeroed to begin with anyway).
    let usage = unsafe { usage.assume_init() };
    let seconds = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1_000_000.0;
    Some(seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

/// User + system CPU seconds of this process: unknown off Unix.
#[cfg(not(unix))]
pub fn process_cpu_seconds() -> Option<f64> {
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_and_not_negative() {
        let cpu = super::process_cpu_seconds().expect("known on unix");
        assert!(cpu >= 0.0);
    }
}
