//! A websocket client as Lua holds it, and the natives on it
//! (`clientSend`, `clientClose`, `clientState`), with the raw Lua API.
//!
//! `clientSend` runs once per message a script sends: as a C function on a
//! plain userdata it costs no mlua callback (argument conversion, a borrow
//! of a typed userdata, boxed results), about a tenth of an echo round trip.
//! The natives follow the FAIL protocol of [`crate::native`]: the Lua half
//! in `lua/http.lua` raises their messages at the script's position.
//!
//! The userdata holds a mark, as the request handles do
//! ([`crate::handles`]), and the client: its `__gc` takes the client out
//! and closes the connection (a script that loses its handle can never
//! close it), so a finalizer of the script's that runs later in the same
//! collection finds no client and gets an error, not a dropped one.

use std::ffi::{c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;
use std::sync::Arc;

use craftos_http_core::{WebSocketClient, WebSocketSendError};
use mlua::ffi::{self, lua_State};
use mlua::{Lua, Table, Value};

use crate::native::fail_mark_ptr;
use crate::raw::{NResults, Native, StackText, c_function, nresults};

/// The registry key of the client userdata's metatable (this static's
/// address).
static CLIENT_MT: u8 = 0;

/// The client userdata's contents.
#[repr(C)]
struct ClientSlot {
    /// [`crate::handles::mark`]: no userdata a script can make carries it.
    mark: u64,
    /// Taken out by `__gc`.
    client: Option<Arc<WebSocketClient>>,
}

/// What a client native says when its client was collected or the value is
/// not a client (only the Lua half calls them, so only a late finalizer
/// can see it).
const GONE: &str = "attempt to use a closed file";

fn key() -> *const c_void {
    &CLIENT_MT as *const u8 as *const c_void
}

/// Store the client userdata's metatable in `lua`'s registry and put the
/// natives in `natives`.
pub(crate) fn register(lua: &Lua, natives: &Table) -> mlua::Result<()> {
    // SAFETY: balanced stack use inside mlua's protected call.
    unsafe {
        lua.exec_raw::<()>((), |l| {
            ffi::lua_createtable(l, 0, 2);
            ffi::lua_pushcclosure(l, c_function(client_gc), 0);
            ffi::lua_setfield(l, -2, c"__gc".as_ptr());
            ffi::lua_pushboolean(l, 0);
            ffi::lua_setfield(l, -2, c"__metatable".as_ptr());
            ffi::lua_rawsetp(l, ffi::LUA_REGISTRYINDEX, key());
        })?;
    }
    let natives_list: [(&str, Native); 3] = [
        ("clientSend", client_send),
        ("clientClose", client_close),
        ("clientState", client_state),
    ];
    for (name, f) in natives_list {
        // SAFETY: each is a C function following the rules of this module.
        let f = unsafe { lua.create_c_function(c_function(f))? };
        natives.raw_set(name, f)?;
    }
    Ok(())
}

/// The client userdata of `client`, as a Lua value.
pub(crate) fn make(lua: &Lua, client: &Arc<WebSocketClient>) -> mlua::Result<Value> {
    // SAFETY: inside mlua's protected call; the Arc is cloned into the
    // userdata once it exists (an allocation failing before leaves nothing
    // to leak), and dropped by its `__gc`.
    unsafe {
        lua.exec_raw::<Value>((), |l| {
            let slot =
                ffi::lua_newuserdata(l, std::mem::size_of::<ClientSlot>()).cast::<ClientSlot>();
            ptr::write(
                slot,
                ClientSlot {
                    mark: crate::handles::mark(),
                    client: Some(client.clone()),
                },
            );
            ffi::lua_rawgetp(l, ffi::LUA_REGISTRYINDEX, key());
            ffi::lua_setmetatable(l, -2);
        })
    }
}

unsafe extern "C-unwind" fn client_gc(l: *mut lua_State) -> NResults {
    // SAFETY: only userdata made by `make` carry this metatable; the slot
    // stays valid (Lua frees it later, running no destructor).
    unsafe {
        let slot = ffi::lua_touserdata(l, 1).cast::<ClientSlot>();
        if !slot.is_null()
            && let Some(client) = (*slot).client.take()
        {
            client.close();
        }
    }
    0
}

/// The client of the userdata at stack index 1, if it is one and still has
/// its client.
///
/// # Safety
/// `l` is the state calling one of the natives.
unsafe fn client_at<'a>(l: *mut lua_State) -> Option<&'a Arc<WebSocketClient>> {
    // SAFETY: the slot starts with its mark; one carrying it was written
    // by `make`.
    unsafe {
        let slot = crate::raw::marked::<ClientSlot>(l, 1, crate::handles::mark())?;
        (*slot).client.as_ref()
    }
}

/// Runs a native's body, which returns its number of results or a message;
/// a message (or a panic's) comes back as `FAIL, message`.
///
/// # Safety
/// `l` is the state calling the native.
unsafe fn run(l: *mut lua_State, body: impl FnOnce() -> Result<c_int, String>) -> NResults {
    let message = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(n)) => return nresults(n),
        Ok(Err(message)) => message,
        Err(panic) => {
            drop(panic);
            tracing::error!("internal error in a websocket client native");
            "internal error".to_owned()
        }
    };
    // The message is copied to the stack and dropped before anything that
    // may raise (pushing allocates): nothing owned is live if it does.
    let text = StackText::new(message);
    // SAFETY: plain stack operations; two slots are free in a C function.
    unsafe {
        ffi::lua_pushlightuserdata(l, fail_mark_ptr());
        text.push(l);
    }
    nresults(2)
}

/// `clientSend(client, message, binary)`: nothing; `FAIL, true` when the
/// outbox is full (the Lua half waits and sends again); `FAIL, message`.
unsafe extern "C-unwind" fn client_send(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a C function.
    unsafe {
        run(l, || {
            let client = client_at(l).ok_or(GONE)?;
            let bytes: &[u8] = match ffi::lua_type(l, 2) {
                ffi::LUA_TSTRING => string_at(l, 2),
                // A number is sent as its text, in Lua 5.2's form
                // (`lua_tolstring` converts it in place, as the request
                // handles' `text` does).
                ffi::LUA_TNUMBER => crate::args::lua52_number_text(string_at(l, 2)),
                _ => {
                    let got = crate::raw::type_name(l, 2);
                    return Err(crate::args::expected_got(1, "send", "string", got));
                }
            };
            let binary = ffi::lua_toboolean(l, 3) != 0;
            match client.send(bytes, binary) {
                Ok(()) => Ok(0),
                Err(WebSocketSendError::Full) => {
                    ffi::lua_pushlightuserdata(l, fail_mark_ptr());
                    ffi::lua_pushboolean(l, 1);
                    Ok(2)
                }
                Err(e @ (WebSocketSendError::TooLarge | WebSocketSendError::Closed)) => {
                    Err(e.to_string())
                }
            }
        })
    }
}

/// `clientClose(client)`.
unsafe extern "C-unwind" fn client_close(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a C function.
    unsafe {
        run(l, || {
            if let Some(client) = client_at(l) {
                client.close();
            }
            Ok(0)
        })
    }
}

/// `clientState(client)`: `"open"`, `"closed"` (by the script) or `"gone"`
/// (the peer's close was delivered); `"closed"` once collected.
unsafe extern "C-unwind" fn client_state(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a C function.
    unsafe {
        run(l, || {
            let state: &std::ffi::CStr = match client_at(l) {
                None => c"closed",
                Some(c) if c.is_closed_locally() => c"closed",
                Some(c) if c.is_closed_delivered() => c"gone",
                Some(_) => c"open",
            };
            ffi::lua_pushstring(l, state.as_ptr());
            Ok(1)
        })
    }
}

/// The bytes of the string at `idx` (a number there is converted to one in
/// place).
///
/// # Safety
/// The value at `idx` is a string or a number; the slice lives as long as
/// it stays on the stack.
unsafe fn string_at<'a>(l: *mut lua_State, idx: c_int) -> &'a [u8] {
    // SAFETY: per the caller.
    unsafe {
        let mut len = 0usize;
        let p = ffi::lua_tolstring(l, idx, &mut len);
        std::slice::from_raw_parts(p.cast::<u8>(), len)
    }
}
