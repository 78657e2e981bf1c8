//! This process's open-file limit (`RLIMIT_NOFILE`), raised so a thousand
//! connections fit.

/// Raises the soft open-file limit to at least `want` (up to the hard
/// limit) and returns the soft limit in force, or `None` where unknown.
#[cfg(unix)]
// `rlim_t` is `u64` on 64-bit Linux, not on every Unix.
#[allow(clippy::unnecessary_cast)]
pub fn raise(want: u64) -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one `rlimit` through a valid pointer to
    // memory we own.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return None;
    }
    let want = want as libc::rlim_t;
    if limit.rlim_cur >= want {
        return Some(limit.rlim_cur as u64);
    }
    let raised = libc::rlimit {
        rlim_cur: want.min(limit.rlim_max),
        rlim_max: limit.rlim_max,
    };
    // SAFETY: setrlimit reads one `rlimit` through a valid pointer.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
        return Some(limit.rlim_cur as u64);
    }
    Some(raised.rlim_cur as u64)
}

/// Raises the open-file limit: unknown off Unix.
#[cfg(not(unix))]
pub fn raise(_want: u64) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_a_limit_that_is_high_enough() {
        let now = super::raise(1).expect("known on unix");
        assert!(now >= 1);
        assert_eq!(super::raise(now), Some(now));
    }
}
