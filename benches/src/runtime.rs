//! The tokio runtime the benchmark binaries run on.

/// Builds a current-thread runtime when `threads` is `None` or `Some(1)`
/// (how the runner and `wrk -t1` run), else a multi-thread runtime with
/// `threads` workers.
pub fn build(threads: Option<usize>) -> std::io::Result<tokio::runtime::Runtime> {
    match threads {
        None | Some(0) | Some(1) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        Some(n) => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(n)
            .enable_all()
            .build(),
    }
}
