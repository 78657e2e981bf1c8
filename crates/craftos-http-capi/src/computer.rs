//! `craftos_http_computer`: one computer's `http` in an emulator's Lua
//! state, its event queue (the sink the transport pushes into) and the
//! listeners it may open.
//!
//! The Lua side is `craftos_http_lua::install`, run on the emulator's
//! state through mlua's `Lua::get_or_init_from_ptr`. The handle keeps no
//! Lua value, so it may outlive the state (`lua_close` first) or the state
//! it (freed first): what lives in the state (the `http` functions, the
//! poll buffer) goes with the state.

use std::ffi::{c_int, c_void};
use std::io;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use craftos_http_core::{
    Computer, ComputerId, Event, EventQueue, EventSink, ListenError, Listeners, SendError,
    WebSocketServerError, WebSocketServerOptions,
};
use craftos_http_lua::mlua::ffi::{self, lua_State};
use craftos_http_lua::mlua::{Lua, RegistryKey, Table, Value};
use craftos_http_lua::{HttpContext, event_to_lua, install};

use crate::host::{HostInner, lock};

/// `craftos_http_notify_fn`.
pub type NotifyFn = unsafe extern "C" fn(userdata: *mut c_void);

/// The emulator's callback and its argument.
struct Notify {
    f: NotifyFn,
    userdata: *mut c_void,
}

// SAFETY: the header requires the callback to be callable from any thread
// with its userdata; the pointer is only handed back to it.
unsafe impl Send for Notify {}

/// `LUA_VERSION_NUM` of the Lua this library is built for (mlua's
/// `lua52`).
pub(crate) const LUA_VERSION_NUM: c_int = 502;

/// The registry key of the marker: the address of this static.
static MARKER: u8 = 0;

fn marker_key() -> *const c_void {
    (&MARKER as *const u8).cast()
}

/// The most values an event has, plus one (its table's preallocated size).
const MAX_VALUES: usize = 8;

/// The emulator's callback, and whether the computer is released.
#[derive(Default)]
struct Signal {
    notify: Option<Notify>,
    released: bool,
}

/// What the handle, the Lua state's `http` functions and the transport
/// share: the computer's queue and listener gate.
pub(crate) struct Shared {
    id: u32,
    queue: EventQueue,
    signal: Mutex<Signal>,
    arrived: Condvar,
    /// Whether the computer is released: then no listener may be added.
    /// Held while one is added, so that `release` frees it.
    gate: Mutex<bool>,
    host: Arc<HostInner>,
}

/// What a `craftos_http_computer *` points to.
pub struct ComputerHandle {
    shared: Arc<Shared>,
    /// The registry slot of the state's poll buffer (a table the event's
    /// values go through on their way to the caller's stack).
    buffer_ref: c_int,
}

/// Kept in the Lua state (its app data): the poll buffer, and the registry
/// slot holding it. Dropped with the state.
struct PollBuffer {
    table: Table,
    _slot: RegistryKey,
}

impl Shared {
    /// L6: the ports freed, unanswered requests 503, websocket clients
    /// 1001, the callback never called again. Idempotent.
    pub(crate) fn release(&self) {
        {
            let mut released = lock(&self.gate);
            if *released {
                return;
            }
            *released = true;
        }
        {
            let mut signal = lock(&self.signal);
            signal.released = true;
            signal.notify = None;
            self.arrived.notify_all();
        }
        self.host.transport.release(ComputerId(self.id));
        for event in self.queue.close() {
            event.abandon(503);
        }
        self.host.forget(self.id, self);
    }

    fn refused() -> ListenError {
        ListenError::Bind(io::Error::other("the computer is shut down"))
    }
}

impl EventSink for Shared {
    fn try_send(&self, event: Event) -> Result<(), SendError> {
        self.queue.try_send(event)?;
        let signal = lock(&self.signal);
        self.arrived.notify_all();
        if let Some(notify) = &signal.notify {
            // SAFETY: the emulator's callback, with its own argument; held
            // under the lock so that `release` waits for it.
            unsafe { (notify.f)(notify.userdata) };
        }
        Ok(())
    }

    fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        self.queue.poll_ready(cx)
    }
}

impl Listeners for Shared {
    fn add_listener(&self, computer: &Computer, port: u16) -> Result<(), ListenError> {
        let released = lock(&self.gate);
        if *released {
            return Err(Self::refused());
        }
        self.host.transport.add_listener(computer, port)
    }

    fn remove_listener(&self, computer: ComputerId, port: u16) {
        self.host.transport.remove_listener(computer, port)
    }

    fn add_websocket_server(
        &self,
        computer: &Computer,
        port: u16,
        options: WebSocketServerOptions,
    ) -> Result<(), WebSocketServerError> {
        let released = lock(&self.gate);
        if *released {
            return Err(WebSocketServerError::Listen(Self::refused()));
        }
        self.host
            .transport
            .add_websocket_server(computer, port, options)
    }

    fn remove_websocket_server(&self, computer: ComputerId, port: u16) {
        self.host.transport.remove_websocket_server(computer, port)
    }

    fn release(&self, computer: ComputerId) {
        if computer.0 == self.id {
            Shared::release(self);
        }
    }
}

/// Whether `l` was made by the copy of Lua this library's symbols resolve
/// to, and is the version it was built for.
///
/// # Safety
/// `l` is a live state.
unsafe fn check_lua(l: *mut lua_State) -> Result<(), String> {
    // SAFETY: per the caller; `lua_version` reads a static of the Lua that
    // made the state (5.2: `G(L)->version`), and with NULL, of ours.
    let (theirs, ours) = unsafe { (ffi::lua_version(l), ffi::lua_version(std::ptr::null_mut())) };
    // SAFETY: both point to that static.
    let version = unsafe { *theirs };
    if version != f64::from(LUA_VERSION_NUM) {
        return Err(format!(
            "the lua_State is Lua {version}, this library was built for Lua {LUA_VERSION_NUM}"
        ));
    }
    if !std::ptr::eq(theirs, ours) {
        return Err(
            "the lua_State was made by another copy of Lua than the one this library \
             uses (two copies of Lua in one process corrupt each other): link the program \
             against the shared Lua library, or export its Lua symbols (-Wl,-E)"
                .to_owned(),
        );
    }
    Ok(())
}

/// The marker of the computer installed in `l`'s state, or NULL.
///
/// # Safety
/// `l` is a live state with a free stack slot. Allocates nothing, raises
/// nothing.
unsafe fn marker(l: *mut lua_State) -> *const c_void {
    // SAFETY: per the caller; a raw get with a light userdata key.
    unsafe {
        ffi::lua_rawgetp(l, ffi::LUA_REGISTRYINDEX, marker_key());
        let p = ffi::lua_touserdata(l, -1);
        ffi::lua_pop(l, 1);
        p.cast_const()
    }
}

impl ComputerHandle {
    /// `craftos_http_install`.
    ///
    /// # Safety
    /// `l` is a live state, used on this thread; `notify` (if any) may be
    /// called with `userdata` from any thread until the computer is
    /// released.
    pub(crate) unsafe fn install(
        host: &Arc<HostInner>,
        l: *mut lua_State,
        id: u32,
        notify: Option<NotifyFn>,
        userdata: *mut c_void,
    ) -> Result<ComputerHandle, String> {
        if l.is_null() {
            return Err("the lua_State is NULL".to_owned());
        }
        // SAFETY: per the caller. `lua_checkstack` raises nothing in 5.2.
        unsafe {
            if ffi::lua_checkstack(l, 2) == 0 {
                return Err("the Lua stack cannot grow".to_owned());
            }
            check_lua(l)?;
            if !marker(l).is_null() {
                return Err("http is already installed in this Lua state".to_owned());
            }
        }
        let shared = Arc::new(Shared {
            id,
            queue: EventQueue::new(host.limits.event_bound),
            signal: Mutex::new(Signal {
                notify: notify.map(|f| Notify { f, userdata }),
                released: false,
            }),
            arrived: Condvar::new(),
            gate: Mutex::new(false),
            host: host.clone(),
        });
        host.register(id, &shared)?;
        // SAFETY: per the caller; the state is only borrowed for this call.
        let lua = unsafe { Lua::get_or_init_from_ptr(l) };
        let installed = (|| -> Result<c_int, craftos_http_lua::mlua::Error> {
            install(
                lua,
                HttpContext {
                    computer: Computer::new(ComputerId(id), shared.clone())
                        .with_limits(host.limits.clone()),
                    listeners: shared.clone(),
                },
            )?;
            let table = lua.create_table_with_capacity(MAX_VALUES, 0)?;
            let slot = lua.create_registry_value(&table)?;
            let buffer_ref = slot.id();
            lua.set_app_data(PollBuffer { table, _slot: slot });
            let mark = Arc::as_ptr(&shared).cast::<c_void>().cast_mut();
            // SAFETY: mlua's protected call on the state's stack: pushes the
            // marker and stores it (the store may allocate, under
            // protection).
            unsafe {
                lua.exec_raw::<()>((), |state| {
                    ffi::lua_pushlightuserdata(state, mark);
                    ffi::lua_rawsetp(state, ffi::LUA_REGISTRYINDEX, marker_key());
                })?;
            }
            Ok(buffer_ref)
        })();
        match installed {
            Ok(buffer_ref) => Ok(ComputerHandle { shared, buffer_ref }),
            Err(e) => {
                shared.release();
                Err(format!("cannot install http: {e}"))
            }
        }
    }

    /// `craftos_http_poll`.
    ///
    /// # Safety
    /// `l` is a live state, used on this thread.
    pub(crate) unsafe fn poll(&self, l: *mut lua_State) -> Result<c_int, String> {
        if l.is_null() {
            return Err("the lua_State is NULL".to_owned());
        }
        // SAFETY: per the caller; nothing here raises or allocates.
        unsafe {
            if ffi::lua_checkstack(l, MAX_VALUES as c_int + 1) == 0 {
                return Err("the Lua stack cannot grow".to_owned());
            }
            if !std::ptr::eq(marker(l), Arc::as_ptr(&self.shared).cast()) {
                return Err(format!(
                    "this lua_State is not the one computer {} was installed in",
                    self.shared.id
                ));
            }
        }
        let Some(event) = self.shared.queue.pop() else {
            return Ok(0);
        };
        // SAFETY: per the caller; mlua was initialised on this state by
        // `install` (the marker says so).
        let lua = unsafe { Lua::get_or_init_from_ptr(l) };
        let values = event_to_lua(lua, event).map_err(|e| e.to_string())?;
        let count = values.len();
        if count > MAX_VALUES {
            return Err(format!("an event with {count} values"));
        }
        let buffer = lua
            .app_data_ref::<PollBuffer>()
            .ok_or("the poll buffer is gone from the Lua state")?;
        let table = buffer.table.clone();
        drop(buffer);
        for (i, value) in values.into_iter().enumerate() {
            table.raw_set(i + 1, value).map_err(|e| e.to_string())?;
        }
        let n = count as c_int;
        // SAFETY: the stack has room (checked); raw gets of an existing
        // table raise nothing; the table stays referenced by the registry.
        unsafe {
            ffi::lua_rawgeti(l, ffi::LUA_REGISTRYINDEX, self.buffer_ref.into());
            for i in 1..=n {
                // The table is at -i: i - 1 values are above it.
                ffi::lua_rawgeti(l, -i, i.into());
            }
            ffi::lua_remove(l, -(n + 1));
        }
        for i in 1..=count {
            // Clearing an existing array slot allocates nothing.
            let _ = table.raw_set(i, Value::Nil);
        }
        Ok(n)
    }

    /// `craftos_http_pending`.
    pub(crate) fn pending(&self) -> usize {
        self.shared.queue.len()
    }

    /// `craftos_http_wait`: 1 pending, 0 timed out, -1 released.
    pub(crate) fn wait(&self, timeout: Option<Duration>) -> c_int {
        let deadline = timeout.map(|t| Instant::now().checked_add(t));
        let mut signal = lock(&self.shared.signal);
        loop {
            if !self.shared.queue.is_empty() {
                return 1;
            }
            if signal.released {
                return -1;
            }
            signal = match deadline {
                // No limit (or one past what an `Instant` holds).
                None | Some(None) => self
                    .shared
                    .arrived
                    .wait(signal)
                    .unwrap_or_else(|e| e.into_inner()),
                Some(Some(at)) => {
                    let now = Instant::now();
                    if now >= at {
                        return 0;
                    }
                    self.shared
                        .arrived
                        .wait_timeout(signal, at - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0
                }
            };
        }
    }

    /// `craftos_http_release`.
    pub(crate) fn release(&self) {
        self.shared.release();
    }
}
