//! The `craftos-http` binary with options before its script, and its
//! resident memory: what the hardening tests measure.

use craftos_http_tests::STEP;
use craftos_http_tests::port::wait_for_port;

/// `VmRSS` of process `pid`, in bytes.
pub(crate) fn rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmRSS line");
    kib * 1024
}

/// The binary serving a script (`craftos-http OPTIONS SCRIPT ARGS`), and
/// how it ended: the library's, under the names these tests use.
pub(crate) use craftos_http_tests::binary::{Exit, Process as Runner};

/// Start the binary on `source` with `options`, serving `port`.
pub(crate) fn serve(name: &str, source: &str, options: &[&str], port: u16) -> Runner {
    let mut runner = Runner::spawn_with(options, name, source, &[&port.to_string()]);
    assert!(
        wait_for_port(port, STEP, || runner.has_exited()),
        "{name}: port {port} did not open"
    );
    runner
}
