//! The C ABI of craftos-http: a shared library (`libcraftos_http`) that
//! installs CraftOS-PC's `http` server API into a `lua_State` an emulator
//! made, serves the sockets on threads of its own and hands the emulator
//! each computer's events through a queue it polls. The functions, their
//! contracts and an example are in `include/craftos_http.h`; this crate is
//! their implementation.
//!
//! The library links no Lua (`craftos-http-lua` with mlua's `module`
//! feature): Lua's symbols are resolved from the program that loads it, so
//! the emulator and the library share one Lua 5.2, as they must.
//!
//! Every exported function runs its body under
//! [`catch_unwind`](std::panic::catch_unwind): a failure (or a panic)
//! becomes the calling thread's `craftos_http_last_error` and the
//! function's failure value; nothing unwinds into C and no Lua error is
//! raised in the caller's state.
//!
//! Built and tested by `cargo xtask capi` (the C program in
//! `tests/embed.c` against the system's Lua 5.2).

mod computer;
mod error;
mod host;
mod options;

use std::ffi::{c_char, c_int, c_void};
use std::time::Duration;

use craftos_http_lua::mlua::ffi::lua_State;

pub use computer::{ComputerHandle, NotifyFn};
pub use host::Host;
pub use options::Options;

// The unit tests are an executable: give it the Lua the library leaves to
// its host.
#[cfg(test)]
#[link(name = "lua5.2")]
unsafe extern "C" {}

/// `craftos_http_version`: the library's version.
#[unsafe(no_mangle)]
pub extern "C" fn craftos_http_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// `craftos_http_lua_version`: `LUA_VERSION_NUM` of the Lua it was built
/// for.
#[unsafe(no_mangle)]
pub extern "C" fn craftos_http_lua_version() -> c_int {
    computer::LUA_VERSION_NUM
}

/// `craftos_http_last_error`: why this thread's last call failed, or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn craftos_http_last_error() -> *const c_char {
    error::last()
}

/// `craftos_http_options_init`: the defaults.
///
/// # Safety
/// `options` is NULL or points to a writable `craftos_http_options`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn craftos_http_options_init(options: *mut Options) {
    if !options.is_null() {
        // SAFETY: per the caller.
        unsafe { options.write(Options::default()) };
    }
}

/// `craftos_http_host_new`: start a host.
///
/// # Safety
/// `options` is NULL or a `craftos_http_options` filled by
/// `craftos_http_options_init` (its strings C strings).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn craftos_http_host_new(options: *const Options) -> *mut Host {
    error::guard(std::ptr::null_mut(), || {
        // SAFETY: per the caller.
        let config = unsafe { Options::read(options)?.config()? };
        Ok(Box::into_raw(Box::new(Host::new(config)?)))
    })
}

/// `craftos_http_host_free`: release its computers, drain, stop.
///
/// # Safety
/// `host` is NULL or from `craftos_http_host_new`, not freed; not called
/// from a notify callback or a socket thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn craftos_http_host_free(host: *mut Host) {
    if host.is_null() {
        return;
    }
    // SAFETY: per the caller.
    let host = unsafe { Box::from_raw(host) };
    error::quiet(|| host.shut_down());
}

/// `craftos_http_install`: `http` in `L` for computer `id`.
///
/// # Safety
/// `host` is a live host; `L` a live Lua state used on this thread;
/// `notify`, if not NULL, may be called with `userdata` from any thread
/// until the computer is released.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn craftos_http_install(
    host: *mut Host,
    l: *mut lua_State,
    id: u32,
    notify: Option<NotifyFn>,
    userdata: *mut c_void,
) -> *mut ComputerHandle {
    error::guard(std::ptr::null_mut(), || {
        // SAFETY: per the caller.
        let host = unsafe { host.as_ref() }.ok_or("the host is NULL")?;
        // SAFETY: per the caller.
        let computer = unsafe { ComputerHandle::install(&host.inner, l, id, notify, userdata)? };
        Ok(Box::into_raw(Box::new(computer)))
    })
}

/// `craftos_http_poll`: push the oldest event's values onto `L`.
///
/// # Safety
/// `computer` is a live handle; `L` a live Lua state used on this thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn craftos_http_poll(
    computer: *mut ComputerHandle,
    l: *mut lua_State,
) -> c_int {
    error::guard(-1, || {
        // SAFETY: per the caller.
        let computer = unsafe { computer.as_ref() }.ok_or("the computer is NULL")?;
        // SAFETY: per the caller.
        unsafe { computer.poll(l) }
    })
}

/// `craftos_http_pending`: how many events wait.
///
/// # Safety
/// `computer` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn craftos_http_pending(computer: *const ComputerHandle) -> usize {
    error::guard(0, || {
        // SAFETY: per the caller.
        Ok(unsafe { computer.as_ref() }.map_or(0, ComputerHandle::pending))
    })
}

/// `craftos_http_wait`: block until an event is pending.
///
/// # Safety
/// `computer` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn craftos_http_wait(
    computer: *const ComputerHandle,
    timeout_ms: i64,
) -> c_int {
    error::guard(-1, || {
        // SAFETY: per the caller.
        let computer = unsafe { computer.as_ref() }.ok_or("the computer is NULL")?;
        let timeout = u64::try_from(timeout_ms).ok().map(Duration::from_millis);
        Ok(computer.wait(timeout))
    })
}

/// `craftos_http_release`: shut the computer down (L6).
///
/// # Safety
/// `computer` is NULL or a live handle; not called from its notify
/// callback.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn craftos_http_release(computer: *mut ComputerHandle) {
    // SAFETY: per the caller.
    if let Some(computer) = unsafe { computer.as_ref() } {
        error::quiet(|| computer.release());
    }
}

/// `craftos_http_computer_free`: release and free the handle.
///
/// # Safety
/// `computer` is NULL or a live handle, not used after; not called from
/// its notify callback.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn craftos_http_computer_free(computer: *mut ComputerHandle) {
    if computer.is_null() {
        return;
    }
    // SAFETY: per the caller.
    let computer = unsafe { Box::from_raw(computer) };
    error::quiet(|| computer.release());
}
