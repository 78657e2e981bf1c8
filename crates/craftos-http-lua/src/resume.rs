//! The hot path into Lua: resume a computer's coroutine with a native event,
//! its values pushed straight onto the coroutine's stack.
//!
//! [`event_to_lua`](crate::event_to_lua) then `Thread::resume` is the
//! general way, and costs about 4,000 instructions per event on top of the
//! script's own work: each value becomes an mlua reference (a registry slot
//! made and freed), the event name a new `LuaString`, the values a
//! `MultiValue`, and the resume a second protected call. [`resume_with_event`]
//! makes the values with the raw API inside one protected call (the event
//! names were made once, at [`install`](crate::install)), moves them to the
//! coroutine and calls `lua_resume` there, then reads what the coroutine
//! yielded in place. An error the script raised comes back as the same
//! [`mlua::Error`] `Thread::resume` gives.
//!
//! `http_request` and `websocket_server_message` take this path; other
//! events are given back to the caller for the general one.

use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::sync::Arc;

use craftos_http_core::{Event, Exchange};
use mlua::ffi::{self, lua_State};
use mlua::{Lua, Thread, Value};

use crate::handles;
use crate::websocket;

/// Registry keys of the event names (the addresses of these statics).
static HTTP_REQUEST: u8 = 0;
static WEBSOCKET_MESSAGE: u8 = 0;

fn key(k: &'static u8) -> *const c_void {
    k as *const u8 as *const c_void
}

/// Keep the names of the events of this path in `lua`'s registry.
pub(crate) fn register(lua: &Lua) -> mlua::Result<()> {
    // SAFETY: balanced stack use inside mlua's protected call.
    unsafe {
        lua.exec_raw::<()>((), |l| {
            for (k, name) in [
                (&HTTP_REQUEST, c"http_request"),
                (&WEBSOCKET_MESSAGE, c"websocket_server_message"),
            ] {
                ffi::lua_pushstring(l, name.as_ptr());
                ffi::lua_rawsetp(l, ffi::LUA_REGISTRYINDEX, key(k));
            }
        })
    }
}

/// How a coroutine came back from [`resume_with_event`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Yielded {
    /// It returned (or raised): it cannot be resumed again.
    pub finished: bool,
    /// The first value it yielded, when that is a string: what
    /// `os.pullEvent(filter)` waits for.
    pub filter: Option<Vec<u8>>,
}

/// What [`resume_with_event`] did with an event.
#[derive(Debug)]
pub enum Delivery {
    /// The coroutine ran: it yielded or returned, or raised the error (as
    /// `Thread::resume` reports it).
    Resumed(mlua::Result<Yielded>),
    /// The event's values could not be made (the state is out of memory):
    /// the coroutine did not run, and the event was answered as
    /// [`event_to_lua`](crate::event_to_lua) answers it (503).
    Undelivered(mlua::Error),
}

/// Resume `thread`, a coroutine of `lua` suspended in a yield, with the
/// values of `event` (`"http_request", port, request, response`, or
/// `"websocket_server_message", clientID, message, binary`). Other events,
/// and a thread that is not suspended in a yield, are given back (`Err`)
/// for `event_to_lua` and `Thread::resume`.
///
/// `lua` must be the state the `http` API was [`install`](crate::install)ed
/// in. The thread's stack is left empty, as `Thread::resume` leaves it.
pub fn resume_with_event(lua: &Lua, thread: &Thread, event: Event) -> Result<Delivery, Event> {
    match &event {
        Event::HttpRequest { .. } | Event::WebSocketMessage { .. } => {}
        _ => return Err(event),
    }
    let co = Cell::new(std::ptr::null_mut::<lua_State>());
    let status = Cell::new(ffi::LUA_OK);
    let pushed = Cell::new(false);
    // SAFETY: inside mlua's protected call. Everything that can raise (the
    // handles' and the message's allocations) happens before anything with
    // a destructor is made in this frame (the closure holds references and
    // `Cell`s of plain values only); `lua_checkstack` and `lua_resume` do
    // not raise (the coroutine's own errors end its resume with a status).
    let made = unsafe {
        lua.exec_raw::<()>(thread, |l| {
            let thread_state = ffi::lua_tothread(l, -1);
            co.set(thread_state);
            if thread_state.is_null() || ffi::lua_status(thread_state) != ffi::LUA_YIELD {
                return;
            }
            let n = match &event {
                Event::HttpRequest { port, exchange } => push_request(l, *port, exchange),
                Event::WebSocketMessage {
                    client,
                    message,
                    binary,
                } => {
                    ffi::lua_rawgetp(l, ffi::LUA_REGISTRYINDEX, key(&WEBSOCKET_MESSAGE));
                    ffi::lua_pushlightuserdata(l, websocket::client_id_pointer(client.id()));
                    ffi::lua_pushlstring(l, message.as_ptr().cast(), message.len());
                    ffi::lua_pushboolean(l, c_int::from(*binary));
                    4
                }
                _ => return,
            };
            pushed.set(true);
            // The values waiting from the last yield were read already.
            ffi::lua_settop(thread_state, 0);
            if ffi::lua_checkstack(thread_state, n + ffi::LUA_MINSTACK) == 0 {
                status.set(ffi::LUA_ERRMEM);
                return;
            }
            ffi::lua_xmove(l, thread_state, n);
            let mut nresults = 0;
            status.set(ffi::lua_resume(thread_state, l, n, &mut nresults));
        })
    };
    if let Err(err) = made {
        // Nothing ran: answer what the event left pending.
        if let Event::HttpRequest { exchange, .. } = &event {
            exchange.finish_with_status(503);
        }
        return Ok(Delivery::Undelivered(err));
    }
    if !pushed.get() {
        return Err(event);
    }
    drop(event);
    let co = co.get();
    let status = status.get();
    // SAFETY: `co` is `thread`'s state, alive while `thread` is; reading
    // its stack with calls that do not raise (a string's bytes are read,
    // never converted).
    unsafe {
        match status {
            ffi::LUA_YIELD | ffi::LUA_OK => {
                let filter = if ffi::lua_gettop(co) >= 1 && ffi::lua_type(co, 1) == ffi::LUA_TSTRING {
                    let mut len = 0usize;
                    let p = ffi::lua_tolstring(co, 1, &mut len);
                    Some(std::slice::from_raw_parts(p.cast::<u8>(), len).to_vec())
                } else {
                    None
                };
                ffi::lua_settop(co, 0);
                Ok(Delivery::Resumed(Ok(Yielded {
                    finished: status == ffi::LUA_OK,
                    filter,
                })))
            }
            _ => Ok(Delivery::Resumed(Err(thread_error(lua, thread, status)))),
        }
    }
}

/// Push `"http_request", port, request, response`; how many.
///
/// # Safety
/// Inside a protected call on `l`, with the `http` API installed.
unsafe fn push_request(l: *mut lua_State, port: u16, exchange: &Arc<Exchange>) -> c_int {
    // SAFETY: per the caller.
    unsafe {
        ffi::lua_rawgetp(l, ffi::LUA_REGISTRYINDEX, key(&HTTP_REQUEST));
        ffi::lua_pushinteger(l, port.into());
        handles::push(l, exchange);
    }
    4
}

/// The error a coroutine that ended with `status` raised, as mlua's
/// `Thread::resume` makes it (its text without the traceback mlua appends,
/// which the runner cuts off anyway).
fn thread_error(lua: &Lua, thread: &Thread, status: c_int) -> mlua::Error {
    // SAFETY: moves the coroutine's error value (its top) to mlua's state
    // (xmove needs no allocation: exec_raw leaves three free slots), from
    // where exec_raw pops it; the thread is dead and its stack needs
    // nothing more.
    let value = unsafe {
        lua.exec_raw::<Value>(thread, |l| {
            let co = ffi::lua_tothread(l, -1);
            if ffi::lua_gettop(co) >= 1 {
                ffi::lua_xmove(co, l, 1);
            } else {
                ffi::lua_pushnil(l);
            }
            // The result is the error value alone, not the thread argument.
            ffi::lua_remove(l, -2);
        })
    };
    let value = match value {
        Ok(Value::Error(err)) => return *err,
        Ok(value) => value,
        Err(err) => return err,
    };
    let text = if status == ffi::LUA_ERRMEM {
        // mlua reads a memory error as it stands (its `to_string`).
        match value {
            Value::String(s) => s.to_string_lossy(),
            Value::Integer(i) => i.to_string(),
            Value::Number(n) => n.to_string(),
            Value::Nil => "<nil>".to_owned(),
            Value::Boolean(b) => (!b).to_string(),
            other => format!("<{} {:?}>", other.type_name(), other.to_pointer()),
        }
    } else {
        // Any other error as `tostring` shows it (`__tostring` too), as
        // mlua's traceback handler turns it into a message.
        // SAFETY: luaL_tolstring inside mlua's protected call; the result
        // replaces the value.
        let text = unsafe {
            lua.exec_raw::<mlua::LuaString>(value, |l| {
                ffi::luaL_tolstring(l, -1, std::ptr::null_mut());
                ffi::lua_remove(l, -2);
            })
        };
        match text {
            Ok(text) => text.to_string_lossy(),
            Err(err) => return err,
        }
    };
    match status {
        ffi::LUA_ERRMEM => mlua::Error::MemoryError(text),
        #[cfg(any(feature = "lua52", feature = "lua53"))]
        ffi::LUA_ERRGCMM => mlua::Error::GarbageCollectorError(text),
        _ => mlua::Error::RuntimeError(text),
    }
}
