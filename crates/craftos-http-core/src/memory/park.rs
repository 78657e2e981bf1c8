//! Blocking waits on the core's `poll_*` functions, for callers on plain
//! threads: the waker unparks the waiting thread.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Instant;

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Poll `f` on this thread until it is ready or `deadline` passes (`None`).
pub(crate) fn wait_until<T>(
    deadline: Option<Instant>,
    mut f: impl FnMut(&mut Context<'_>) -> Poll<T>,
) -> Option<T> {
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(v) = f(&mut cx) {
            return Some(v);
        }
        match deadline {
            None => thread::park(),
            Some(at) => {
                let now = Instant::now();
                if now >= at {
                    return None;
                }
                thread::park_timeout(at - now);
            }
        }
    }
}

/// Run a future to completion on this thread (used by tests and examples).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    wait_until(None, |cx| future.as_mut().poll(cx)).expect("no deadline")
}
