//! `craftos_http_host`: the tokio runtime, the hyper transport, and the
//! computers installed on them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use craftos_http_core::Limits;
use craftos_http_hyper::HyperTransport;
use tokio::runtime::Runtime;

use crate::computer::Shared;
use crate::options::HostConfig;

/// How long `craftos_http_host_free` lets connections finish sending.
const DRAIN: Duration = Duration::from_secs(2);

/// What a `craftos_http_host *` points to.
pub struct Host {
    pub(crate) inner: Arc<HostInner>,
}

/// What the host's computers share with it.
pub(crate) struct HostInner {
    pub(crate) transport: HyperTransport,
    pub(crate) limits: Limits,
    /// Installed and not released, by id.
    computers: Mutex<HashMap<u32, Weak<Shared>>>,
    /// Taken when the host is freed.
    runtime: Mutex<Option<Runtime>>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Host {
    /// Start the socket threads.
    pub(crate) fn new(config: HostConfig) -> Result<Host, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.io_threads)
            .thread_name("craftos-http-io")
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the socket threads: {e}"))?;
        let transport = HyperTransport::new(runtime.handle().clone(), config.transport);
        Ok(Host {
            inner: Arc::new(HostInner {
                transport,
                limits: config.limits,
                computers: Mutex::default(),
                runtime: Mutex::new(Some(runtime)),
            }),
        })
    }

    /// Release every computer, let connections drain, stop the threads.
    pub(crate) fn shut_down(&self) {
        let live: Vec<Arc<Shared>> = lock(&self.inner.computers)
            .values()
            .filter_map(Weak::upgrade)
            .collect();
        for computer in live {
            computer.release();
        }
        let Some(runtime) = lock(&self.inner.runtime).take() else {
            return;
        };
        let transport = self.inner.transport.clone();
        runtime.block_on(async {
            let _ = tokio::time::timeout(DRAIN, transport.wait_idle()).await;
        });
        runtime.shutdown_timeout(Duration::from_secs(1));
    }
}

impl HostInner {
    /// Take `id` for `computer`, unless another computer holds it.
    pub(crate) fn register(&self, id: u32, computer: &Arc<Shared>) -> Result<(), String> {
        let mut computers = lock(&self.computers);
        if lock(&self.runtime).is_none() {
            return Err("the host is shut down".to_owned());
        }
        if computers.get(&id).and_then(Weak::upgrade).is_some() {
            return Err(format!(
                "computer {id} is already installed on this host (release it first)"
            ));
        }
        computers.insert(id, Arc::downgrade(computer));
        Ok(())
    }

    /// `computer` released `id`.
    pub(crate) fn forget(&self, id: u32, computer: &Shared) {
        let mut computers = lock(&self.computers);
        if computers
            .get(&id)
            .is_some_and(|w| std::ptr::eq(w.as_ptr(), computer))
        {
            computers.remove(&id);
        }
    }
}
