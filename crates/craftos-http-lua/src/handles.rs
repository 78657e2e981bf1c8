//! The request and response handles (R3-R8, S1-S6), built on the hot path.
//!
//! Every request gets two plain tables of functions (G1). To keep that
//! cheap, a handle starts as a table holding only the exchange userdata
//! (under a private light-userdata key) with a metatable shared by every
//! handle of its kind: a function is made the first time a script reads it
//! (`__index`) and stored in the table, so a request costs three Lua objects
//! plus one closure per method it uses. `__pairs` makes them all first and
//! hides the private key, so `pairs(res)` shows what CraftOS-PC shows (Lua
//! 5.1 and LuaJIT ignore `__pairs`: there `pairs` sees only the functions used
//! so far, and the key).
//!
//! The functions are C closures made with the raw Lua API: each holds the
//! exchange userdata and its handle table as upvalues, and calling one goes
//! straight to Rust with no per-call allocation (mlua's callbacks allocate a
//! userdata per call) and no Lua wrapper. Of the modules that use the raw
//! API (this one and `resume` here; `watchdog`, `patterns` and
//! `compat::fenv` in `craftos-http-env`), it is the largest; its rules:
//!
//! - Every native body runs under `catch_unwind` and returns
//!   `Result<c_int, String>`; only [`raise`] calls `lua_error`, after every
//!   Rust value of the frame has been dropped (nothing with a destructor is
//!   live when Lua unwinds with `longjmp`). A Lua memory error inside a body
//!   leaks what the frame held; it cannot corrupt anything.
//! - Errors are raised with `luaL_where(L, 1)`, the position of the script's
//!   call (G2), with the texts of SEMANTICS.
//! - The exchange userdata is created and typed here only; its `__gc` drops
//!   the `Arc<Exchange>`.
//! - Every C function returns [`NResults`] and is pushed through
//!   [`c_function`] (LuaJIT reads the whole result register).

use std::ffi::{CStr, c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;
use std::sync::Arc;

use bytes::Bytes;
use craftos_http_core::{Exchange, ExchangeClosed, ResponseError};
use mlua::ffi::{self, lua_State};
use mlua::{Lua, Table};

use crate::args::lua52_number_text;
use crate::native::fail_mark_ptr;
use crate::raw::{NResults, Native, c_function, nresults, protected};

/// Registry keys and the private handle key (the addresses of these statics).
static EXCHANGE_MT: u8 = 0;
static HEADERS_MT: u8 = 0;
static REQUEST_MT: u8 = 0;
static RESPONSE_MT: u8 = 0;
static EXCHANGE_KEY: u8 = 0;

/// The exchange userdata's contents: a mark no other userdata carries,
/// then the exchange. The mark is random per process and never visible to
/// a script, so a userdata a script gets from elsewhere cannot pass for
/// one (checking it costs a length and a compare; the metatable check it
/// replaces cost a registry lookup per method made).
///
/// The exchange is taken out by the userdata's `__gc`: a finalizer of the
/// script's that runs later in the same collection (Lua calls finalizers
/// newest first, and a table marked before the request may hold its
/// handles) then finds `None` and raises [`COLLECTED`], where it would
/// otherwise read an exchange already dropped.
#[repr(C)]
struct ExchangeSlot {
    mark: u64,
    exchange: Option<Arc<Exchange>>,
}

/// The error of a handle function called after its exchange was collected.
const COLLECTED: &str = "attempt to use a request or response after it was collected";

/// This process's [`ExchangeSlot::mark`] (also the websocket client
/// userdata's, [`crate::ws_client`]).
pub(crate) fn mark() -> u64 {
    static MARK: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *MARK.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        // Never 0, the value of zeroed memory.
        std::collections::hash_map::RandomState::new().build_hasher().finish() | 1
    })
}

fn key(k: &'static u8) -> *const c_void {
    k as *const u8 as *const c_void
}

type Methods = [(&'static CStr, Native)];

static REQUEST_METHODS: [(&CStr, Native); 7] = [
    (c"read", req_read),
    (c"readLine", req_read_line),
    (c"readAll", req_read_all),
    (c"close", req_close),
    (c"getURL", req_get_url),
    (c"getMethod", req_get_method),
    (c"getRequestHeaders", req_get_headers),
];

static RESPONSE_METHODS: [(&CStr, Native); 6] = [
    (c"write", res_write),
    (c"writeLine", res_write_line),
    (c"flush", res_flush),
    (c"close", res_close),
    (c"setStatusCode", res_set_status),
    (c"setResponseHeader", res_set_header),
];

/// The response methods [`push`] makes with the handle (the others are made
/// on first use).
const EAGER_RESPONSE_METHODS: [(&[u8], Native); 2] = [(b"write", res_write), (b"close", res_close)];

/// Store in `lua`'s registry the metatables the handles need: the exchange
/// userdata's (with `__gc`), the two handle kinds', and `headers_mt` for
/// header tables.
pub(crate) fn register(lua: &Lua, headers_mt: Table) -> mlua::Result<()> {
    // SAFETY: balanced stack use inside mlua's protected call.
    unsafe {
        lua.exec_raw::<()>(headers_mt, |l| {
            ffi::lua_rawsetp(l, ffi::LUA_REGISTRYINDEX, key(&HEADERS_MT));

            ffi::lua_createtable(l, 0, 2);
            ffi::lua_pushcclosure(l, c_function(exchange_gc), 0);
            ffi::lua_setfield(l, -2, c"__gc".as_ptr());
            ffi::lua_pushboolean(l, 0);
            ffi::lua_setfield(l, -2, c"__metatable".as_ptr());
            ffi::lua_rawsetp(l, ffi::LUA_REGISTRYINDEX, key(&EXCHANGE_MT));

            for (mt, index, pairs) in [
                (
                    &REQUEST_MT,
                    request_index as Native,
                    request_pairs as Native,
                ),
                (&RESPONSE_MT, response_index, response_pairs),
            ] {
                ffi::lua_createtable(l, 0, 3);
                ffi::lua_pushcclosure(l, c_function(index), 0);
                ffi::lua_setfield(l, -2, c"__index".as_ptr());
                ffi::lua_pushcclosure(l, c_function(pairs), 0);
                ffi::lua_setfield(l, -2, c"__pairs".as_ptr());
                // Protected: `getmetatable(req)` gives `false` and
                // `setmetatable` refuses, so no script can give the
                // metatable to a table of its own making.
                ffi::lua_pushboolean(l, 0);
                ffi::lua_setfield(l, -2, c"__metatable".as_ptr());
                ffi::lua_rawsetp(l, ffi::LUA_REGISTRYINDEX, key(mt));
            }
        })
    }
}

/// The request and response tables of `exchange`.
pub(crate) fn make(lua: &Lua, exchange: &Arc<Exchange>) -> mlua::Result<(Table, Table)> {
    // SAFETY: `push` inside mlua's protected call.
    unsafe { lua.exec_raw::<(Table, Table)>((), |l| push(l, exchange)) }
}

/// Push the request and response tables of `exchange` onto `l`.
///
/// # Safety
/// Inside a protected call on `l` (an allocation may raise), with the
/// handles [`register`]ed. The Arc is cloned into the userdata once it
/// exists (nothing raises between the two, and an allocation failing
/// before leaves nothing to leak), and dropped by the userdata's `__gc`.
pub(crate) unsafe fn push(l: *mut lua_State, exchange: &Arc<Exchange>) {
    // SAFETY: per the caller; pushes exactly the two tables.
    unsafe {
        ffi::lua_createtable(l, 0, 4);
        let req = ffi::lua_gettop(l);
        ffi::lua_createtable(l, 0, 4);
        let res = req + 1;
        let slot = ffi::lua_newuserdata(l, std::mem::size_of::<ExchangeSlot>())
            .cast::<ExchangeSlot>();
        ptr::write(
            slot,
            ExchangeSlot {
                mark: mark(),
                exchange: Some(exchange.clone()),
            },
        );
        let ud = res + 1;
        ffi::lua_rawgetp(l, ffi::LUA_REGISTRYINDEX, key(&EXCHANGE_MT));
        ffi::lua_setmetatable(l, ud);
        for (handle, mt) in [(req, &REQUEST_MT), (res, &RESPONSE_MT)] {
            ffi::lua_pushvalue(l, ud);
            ffi::lua_rawsetp(l, handle, key(&EXCHANGE_KEY));
            ffi::lua_rawgetp(l, ffi::LUA_REGISTRYINDEX, key(mt));
            ffi::lua_setmetatable(l, handle);
        }
        // Nearly every callback writes and closes its response: those two
        // are made now rather than through `__index` (a metamethod call, a
        // handle check and a name lookup each).
        for (name, f) in EAGER_RESPONSE_METHODS {
            ffi::lua_pushlstring(l, name.as_ptr().cast(), name.len());
            let at = ffi::lua_gettop(l);
            materialize(l, res, at, f);
        }
        ffi::lua_settop(l, res);
    }
}

unsafe extern "C-unwind" fn exchange_gc(l: *mut lua_State) -> NResults {
    // SAFETY: only userdata made by `make` carry this metatable.
    unsafe {
        let slot = ffi::lua_touserdata(l, 1).cast::<ExchangeSlot>();
        if !slot.is_null() {
            // The slot stays valid (Lua frees its memory later, running no
            // destructor): only the exchange goes.
            drop((*slot).exchange.take());
        }
    }
    0
}

/// Push the function `f` of the handle at `handle` and store it there
/// under the string at `name` (the key being looked up).
///
/// # Safety
/// `handle` is an absolute index of a handle table made by `make`, `name`
/// one of a string.
unsafe fn materialize(l: *mut lua_State, handle: c_int, name: c_int, f: Native) {
    // SAFETY: per the caller; pushes one value. `rawset` with the key
    // already on the stack: no C string is hashed again.
    unsafe {
        ffi::lua_rawgetp(l, handle, key(&EXCHANGE_KEY));
        ffi::lua_pushvalue(l, handle);
        ffi::lua_pushcclosure(l, c_function(f), 2);
        ffi::lua_pushvalue(l, name);
        ffi::lua_pushvalue(l, -2);
        ffi::lua_rawset(l, handle);
    }
}

/// Whether the value at `idx` is an exchange userdata made by [`make`]
/// (a full userdata of [`ExchangeSlot`]'s size holding this process's mark).
///
/// # Safety
/// `idx` is an acceptable index of `l`.
unsafe fn is_exchange(l: *mut lua_State, idx: c_int) -> bool {
    // SAFETY: per the caller; the slot starts with its mark.
    unsafe { crate::raw::marked::<ExchangeSlot>(l, idx, mark()).is_some() }
}

/// Whether the value at `idx` is a handle table made by [`make`]: its
/// private key holds a genuine exchange userdata. A table a script builds
/// never passes, whatever it puts under the key.
///
/// # Safety
/// `idx` is an absolute index of `l`; three free stack slots.
unsafe fn is_handle(l: *mut lua_State, idx: c_int) -> bool {
    // SAFETY: per the caller; pushes and pops what it pushes.
    unsafe {
        if ffi::lua_type(l, idx) != ffi::LUA_TTABLE {
            return false;
        }
        ffi::lua_rawgetp(l, idx, key(&EXCHANGE_KEY));
        let genuine = is_exchange(l, -1);
        ffi::lua_pop(l, 1);
        genuine
    }
}

/// `__index(handle, key)`: make the method on first use.
unsafe fn index(l: *mut lua_State, methods: &Methods) -> NResults {
    // SAFETY: called as a metamethod with (table, key).
    unsafe {
        if ffi::lua_type(l, 2) != ffi::LUA_TSTRING || !is_handle(l, 1) {
            return 0;
        }
        let mut len = 0usize;
        let p = ffi::lua_tolstring(l, 2, &mut len);
        let name = std::slice::from_raw_parts(p.cast::<u8>(), len);
        match methods.iter().find(|(n, _)| n.to_bytes() == name) {
            Some((_, f)) => {
                materialize(l, 1, 2, *f);
                1
            }
            None => 0,
        }
    }
}

/// `__pairs(handle)`: every method, then `next` without the private key.
unsafe fn pairs(l: *mut lua_State, methods: &Methods) -> NResults {
    // SAFETY: called as a metamethod with the handle table at 1.
    unsafe {
        if is_handle(l, 1) {
            // Reading each name through the metatable makes the missing ones.
            for (name, _) in methods {
                ffi::lua_getfield(l, 1, name.as_ptr());
                ffi::lua_pop(l, 1);
            }
        }
        ffi::lua_pushcclosure(l, c_function(next_method), 0);
        ffi::lua_pushvalue(l, 1);
        ffi::lua_pushnil(l);
        3
    }
}

/// `next` that skips the private key.
unsafe extern "C-unwind" fn next_method(l: *mut lua_State) -> NResults {
    // SAFETY: called with (table, key) by a generic `for`, or with
    // anything by a script that kept the function: the type is checked
    // before `lua_next` (which trusts it); luaL_checktype raises with no
    // Rust value live.
    unsafe {
        ffi::luaL_checktype(l, 1, ffi::LUA_TTABLE);
        ffi::lua_settop(l, 2);
        loop {
            if ffi::lua_next(l, 1) == 0 {
                ffi::lua_pushnil(l);
                return 1;
            }
            if ffi::lua_type(l, -2) == ffi::LUA_TLIGHTUSERDATA
                && std::ptr::eq(ffi::lua_touserdata(l, -2), key(&EXCHANGE_KEY))
            {
                ffi::lua_pop(l, 1); // keep the key, go on
                continue;
            }
            return 2;
        }
    }
}

unsafe extern "C-unwind" fn request_index(l: *mut lua_State) -> NResults {
    // SAFETY: installed as the request metatable's __index.
    unsafe { index(l, &REQUEST_METHODS) }
}

unsafe extern "C-unwind" fn response_index(l: *mut lua_State) -> NResults {
    // SAFETY: installed as the response metatable's __index.
    unsafe { index(l, &RESPONSE_METHODS) }
}

unsafe extern "C-unwind" fn request_pairs(l: *mut lua_State) -> NResults {
    // SAFETY: installed as the request metatable's __pairs.
    unsafe { pairs(l, &REQUEST_METHODS) }
}

unsafe extern "C-unwind" fn response_pairs(l: *mut lua_State) -> NResults {
    // SAFETY: installed as the response metatable's __pairs.
    unsafe { pairs(l, &RESPONSE_METHODS) }
}

// ---- the calling convention ----

/// Arguments of a handle function: the stack after the handle itself (a
/// colon call) has been skipped.
struct Args {
    l: *mut lua_State,
    first: c_int,
}

impl Args {
    fn index(&self, n: c_int) -> c_int {
        self.first + n - 1
    }

    fn type_of(&self, n: c_int) -> c_int {
        // SAFETY: lua_type accepts any acceptable index.
        unsafe { ffi::lua_type(self.l, self.index(n)) }
    }

    fn type_name(&self, n: c_int) -> &'static str {
        // SAFETY: lua_type accepts any acceptable index.
        unsafe { crate::raw::type_name(self.l, self.index(n)) }
    }

    fn bad_type(&self, n: c_int, func: &str, expected: &str) -> String {
        crate::args::expected_got(n, func, expected, self.type_name(n))
    }

    fn is_nil(&self, n: c_int) -> bool {
        matches!(self.type_of(n), ffi::LUA_TNONE | ffi::LUA_TNIL)
    }

    /// A string or number argument as bytes (numbers formatted by Lua, S2).
    fn text(&self, n: c_int, func: &str) -> Result<&[u8], String> {
        match self.type_of(n) {
            ffi::LUA_TSTRING | ffi::LUA_TNUMBER => Ok(self.bytes_at(self.index(n))),
            _ => Err(self.bad_type(n, func, "string")),
        }
    }

    /// The string or number at `idx` as bytes, a number as Lua 5.2 writes
    /// it (S2).
    fn bytes_at(&self, idx: c_int) -> &[u8] {
        // SAFETY: the value at idx is a string or number; lua_tolstring
        // converts a number in place; the bytes live while the value is on
        // the stack, i.e. for this call.
        unsafe {
            let number = ffi::lua_type(self.l, idx) == ffi::LUA_TNUMBER;
            let mut len = 0usize;
            let p = ffi::lua_tolstring(self.l, idx, &mut len);
            if p.is_null() {
                &[]
            } else if number {
                lua52_number_text(std::slice::from_raw_parts(p.cast::<u8>(), len))
            } else {
                std::slice::from_raw_parts(p.cast::<u8>(), len)
            }
        }
    }

    /// A number argument (numeric strings accepted, G7), truncated.
    fn integer(&self, n: c_int, func: &str) -> Result<i64, String> {
        let mut ok = 0;
        // SAFETY: any index is acceptable to lua_tonumberx.
        let v = unsafe { ffi::lua_tonumberx(self.l, self.index(n), &mut ok) };
        if ok == 0 {
            return Err(self.bad_type(n, func, "number"));
        }
        if v.is_nan() {
            return Err(format!(
                "bad argument #{n} (number has no integer representation)"
            ));
        }
        Ok(v.trunc().clamp(i64::MIN as f64, i64::MAX as f64) as i64)
    }

    /// The exchange of the handle, unless it was collected (a script
    /// finalizer calling a handle function late).
    fn exchange(&self) -> Result<&Exchange, String> {
        // SAFETY: upvalue 1 of every handle closure is the exchange userdata
        // made by `make`, alive while the closure is.
        let slot = unsafe {
            &*ffi::lua_touserdata(self.l, ffi::lua_upvalueindex(1)).cast::<ExchangeSlot>()
        };
        slot.exchange.as_deref().ok_or_else(|| COLLECTED.to_owned())
    }
}

/// Run a handle function's body under the rules of the module doc.
///
/// # Safety
/// `l` is the state calling a closure made by [`make`].
unsafe fn call(l: *mut lua_State, body: impl FnOnce(&Args) -> Result<c_int, String>) -> NResults {
    // SAFETY: per the caller.
    let outcome = unsafe {
        // G1: a first argument that is the handle itself is skipped.
        let first = if ffi::lua_rawequal(l, 1, ffi::lua_upvalueindex(2)) != 0 {
            2
        } else {
            1
        };
        let args = Args { l, first };
        catch_unwind(AssertUnwindSafe(|| body(&args)))
    };
    let message = match outcome {
        Ok(Ok(n)) => return nresults(n),
        Ok(Err(message)) => message,
        Err(panic) => {
            drop(panic);
            tracing::error!("internal error in an http handle function");
            "internal error".to_owned()
        }
    };
    // SAFETY: `message` is the only live value with a destructor; raise
    // drops it before unwinding.
    unsafe { raise(l, message) }
}

/// Raise `message` with the caller's position (G2).
///
/// # Safety
/// Called last in a C function on `l`; unwinds with `lua_error`.
unsafe fn raise(l: *mut lua_State, message: String) -> ! {
    // The message is copied to the stack and dropped before anything that
    // may raise (pushing allocates): nothing owned is live when Lua unwinds.
    let text = crate::raw::StackText::new(message);
    // SAFETY: plain stack operations on `l`.
    unsafe {
        ffi::luaL_where(l, 1);
        text.push(l);
        ffi::lua_concat(l, 2);
        ffi::lua_error(l)
    }
}

/// Push `bytes`, owned (a slice of the body), as a string or `nil`,
/// under protection: out of memory, it is dropped and the error returned.
fn push_owned(l: *mut lua_State, bytes: Option<Bytes>) -> Result<c_int, String> {
    let Some(bytes) = bytes else {
        // SAFETY: pushes one value, allocating nothing.
        unsafe { ffi::lua_pushnil(l) };
        return Ok(1);
    };
    // SAFETY: the closure only borrows `bytes`; `call` runs at the top of a
    // C function.
    unsafe {
        protected(l, &mut |l| {
            ffi::lua_pushlstring(l, bytes.as_ptr().cast(), bytes.len());
        })?;
    }
    Ok(1)
}

/// Push `bytes`, borrowed from what the handle's userdata keeps alive (the
/// request's target and method): nothing is owned here, so the Lua API
/// may raise directly.
fn push_bytes(l: *mut lua_State, bytes: Option<&[u8]>) -> Result<c_int, String> {
    // SAFETY: pushes one value.
    unsafe {
        match bytes {
            Some(b) => {
                ffi::lua_pushlstring(l, b.as_ptr().cast(), b.len());
            }
            None => ffi::lua_pushnil(l),
        }
    }
    Ok(1)
}

fn closed(e: ExchangeClosed) -> String {
    e.to_string()
}

fn response_error(e: ResponseError, n: c_int) -> String {
    match e {
        ResponseError::Closed => e.to_string(),
        other => format!("bad argument #{n} ({other})"),
    }
}

// ---- request (R3-R8) ----

unsafe extern "C-unwind" fn req_read(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure.
    unsafe {
        call(l, |a| {
            let ex = a.exchange()?;
            if a.is_nil(1) {
                let b = ex.read_byte().map_err(closed)?;
                return push_bytes(l, b.as_ref().map(std::slice::from_ref));
            }
            let n = a.integer(1, "read")?;
            if n < 0 {
                return Err("bad argument #1 (count must be non-negative)".into());
            }
            let got = ex.read(n as usize).map_err(closed)?;
            push_owned(l, got)
        })
    }
}

unsafe extern "C-unwind" fn req_read_line(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure.
    unsafe {
        call(l, |a| {
            let trailing = match a.type_of(1) {
                ffi::LUA_TNONE | ffi::LUA_TNIL => false,
                ffi::LUA_TBOOLEAN => ffi::lua_toboolean(l, a.index(1)) != 0,
                _ => return Err(a.bad_type(1, "readLine", "boolean")),
            };
            let line = a.exchange()?.read_line(trailing).map_err(closed)?;
            push_owned(l, line)
        })
    }
}

unsafe extern "C-unwind" fn req_read_all(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure.
    unsafe {
        call(l, |a| {
            let all = a.exchange()?.read_all().map_err(closed)?;
            push_owned(l, all)
        })
    }
}

unsafe extern "C-unwind" fn req_close(_l: *mut lua_State) -> NResults {
    // R7: a no-op that never errors.
    0
}

unsafe extern "C-unwind" fn req_get_url(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure.
    unsafe {
        call(l, |a| {
            let req = a.exchange()?.open_request().map_err(closed)?;
            push_bytes(l, Some(req.target()))
        })
    }
}

unsafe extern "C-unwind" fn req_get_method(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure.
    unsafe {
        call(l, |a| {
            let req = a.exchange()?.open_request().map_err(closed)?;
            push_bytes(l, Some(req.method().as_bytes()))
        })
    }
}

unsafe extern "C-unwind" fn req_get_headers(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure; pushes one table.
    unsafe {
        call(l, |a| {
            let req = a.exchange()?.open_request().map_err(closed)?;
            let joined = req.joined_headers();
            // The values are owned (joined): made under protection.
            protected(l, &mut |l| {
                ffi::lua_createtable(l, 0, joined.len().min(c_int::MAX as usize) as c_int);
                for (name, value) in &joined {
                    ffi::lua_pushlstring(l, name.as_ptr().cast(), name.len());
                    ffi::lua_pushlstring(l, value.as_ptr().cast(), value.len());
                    ffi::lua_rawset(l, -3);
                }
                ffi::lua_rawgetp(l, ffi::LUA_REGISTRYINDEX, key(&HEADERS_MT));
                ffi::lua_setmetatable(l, -2);
            })?;
            Ok(1)
        })
    }
}

// ---- response (S1-S6) ----

unsafe extern "C-unwind" fn res_write(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure.
    unsafe {
        call(l, |a| {
            let text = a.text(1, "write")?;
            a.exchange()?.write(text).map_err(closed)?;
            Ok(0)
        })
    }
}

unsafe extern "C-unwind" fn res_write_line(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure.
    unsafe {
        call(l, |a| {
            let text = a.text(1, "writeLine")?;
            let ex = a.exchange()?;
            ex.write(text).map_err(closed)?;
            ex.write(b"\n").map_err(closed)?;
            Ok(0)
        })
    }
}

unsafe extern "C-unwind" fn res_flush(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure.
    unsafe {
        call(l, |a| {
            if a.exchange()?.is_closed() {
                return Err(closed(ExchangeClosed));
            }
            Ok(0)
        })
    }
}

unsafe extern "C-unwind" fn res_close(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure.
    unsafe {
        call(l, |a| {
            let ex = a.exchange()?;
            // `close(FAIL)` is http.listen answering for a callback that
            // raised (H4): 500 unless already closed. Only the binding's Lua
            // code holds FAIL.
            if a.type_of(1) == ffi::LUA_TLIGHTUSERDATA
                && ffi::lua_touserdata(l, a.index(1)) == fail_mark_ptr()
            {
                ex.finish_with_status(500);
                return Ok(0);
            }
            ex.close().map_err(closed)?;
            Ok(0)
        })
    }
}

unsafe extern "C-unwind" fn res_set_status(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure.
    unsafe {
        call(l, |a| {
            let code = a.integer(1, "setStatusCode")?;
            let reason = match a.type_of(2) {
                ffi::LUA_TNONE | ffi::LUA_TNIL => None,
                ffi::LUA_TSTRING => Some(a.bytes_at(a.index(2))),
                _ => return Err(a.bad_type(2, "setStatusCode", "string")),
            };
            a.exchange()?.set_status(code, reason).map_err(|e| match e {
                ResponseError::InvalidReason => response_error(e, 2),
                e => response_error(e, 1),
            })?;
            Ok(0)
        })
    }
}

unsafe extern "C-unwind" fn res_set_header(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a handle closure; the values read stay on
    // the stack (the table keeps its strings) until the call returns.
    unsafe {
        call(l, |a| {
            let name = a.text(1, "setResponseHeader")?;
            let values: Vec<&[u8]> = match a.type_of(2) {
                ffi::LUA_TTABLE => {
                    // S5 [ext]: one header line per value. First every
                    // element goes on the stack (numbers made text there):
                    // the calls that may raise run while nothing is owned.
                    // Then the slices are collected.
                    let t = a.index(2);
                    let n = ffi::lua_rawlen(l, t).min(1_000_000);
                    ffi::luaL_checkstack(l, n as c_int + 1, ptr::null());
                    let base = ffi::lua_gettop(l);
                    for i in 1..=n {
                        ffi::lua_rawgeti(l, t, i as ffi::lua_Integer);
                        match ffi::lua_type(l, -1) {
                            ffi::LUA_TSTRING => {}
                            ffi::LUA_TNUMBER => {
                                let text = a.bytes_at(ffi::lua_gettop(l));
                                ffi::lua_pushlstring(l, text.as_ptr().cast(), text.len());
                                ffi::lua_replace(l, -2);
                            }
                            _ => return Err("bad argument #2 (invalid header value)".into()),
                        }
                    }
                    (1..=n as c_int).map(|i| a.bytes_at(base + i)).collect()
                }
                _ => vec![a.text(2, "setResponseHeader")?],
            };
            a.exchange()?
                .set_header(name, &values)
                .map_err(|e| match e {
                    ResponseError::InvalidHeaderValue => response_error(e, 2),
                    e => response_error(e, 1),
                })?;
            Ok(0)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::task::{Context, Poll, Waker};

    use craftos_http_core::{Request, Response};
    use mlua::{Function, Value};

    use super::*;

    /// A Lua state with the handles registered, and the handles of a
    /// `POST /x` with body `one\ntwo`.
    fn handles() -> (Lua, Arc<Exchange>, Table, Table) {
        let lua = Lua::new();
        register(&lua, lua.create_table().unwrap()).unwrap();
        let request = Request::new(
            "POST",
            "/x?y",
            vec![("Content-Type".into(), Bytes::from_static(b"text/plain"))],
            b"one\ntwo".to_vec(),
        );
        let exchange = Arc::new(Exchange::new(request));
        let (req, res) = make(&lua, &exchange).unwrap();
        (lua, exchange, req, res)
    }

    fn run<R: mlua::FromLuaMulti>(lua: &Lua, code: &str, req: &Table, res: &Table) -> mlua::Result<R> {
        let f: Function = lua.load(code).into_function()?;
        f.call((req.clone(), res.clone()))
    }

    fn response(exchange: &Exchange) -> Option<Response> {
        match exchange.poll_response(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(r) => Some(r),
            Poll::Pending => None,
        }
    }

    #[test]
    fn a_script_reads_the_request_and_answers() {
        let (lua, exchange, req, res) = handles();
        let (method, url, line, rest): (String, String, String, String) = run(
            &lua,
            "local req, res = ...
             res.setStatusCode(201)
             res.setResponseHeader('X-A', 'b')
             res.write('a')
             res:write(2)
             res.writeLine('')
             return req.getMethod(), req.getURL(), req.readLine(), req.readAll()",
            &req,
            &res,
        )
        .unwrap();
        assert_eq!((method.as_str(), url.as_str()), ("POST", "/x?y"));
        assert_eq!((line.as_str(), rest.as_str()), ("one", "two"));
        assert!(response(&exchange).is_none(), "answered before close");
        run::<()>(&lua, "local _, res = ... res.close()", &req, &res).unwrap();
        let r = response(&exchange).expect("answered on close");
        assert_eq!((r.status, &r.body[..]), (201, &b"a2\n"[..]));
        assert!(r.headers.iter().any(|(n, v)| n == "X-A" && &v[..] == b"b"));
    }

    #[test]
    fn bad_arguments_and_closed_responses_raise_with_a_position() {
        let (lua, _exchange, req, res) = handles();
        let err: String = run(
            &lua,
            "local _, res = ... local ok, e = pcall(res.write, {}) return e",
            &req,
            &res,
        )
        .unwrap();
        assert!(
            err.ends_with("bad argument #1 to 'write' (string expected, got table)"),
            "{err}"
        );
        let err: String = run(
            &lua,
            "local _, res = ... res.close() local ok, e = pcall(res.write, 'x') return e",
            &req,
            &res,
        )
        .unwrap();
        assert!(err.contains("closed"), "{err}");
    }

    #[test]
    fn handles_are_tables_with_a_protected_metatable_and_no_visible_key() {
        let (lua, _exchange, req, res) = handles();
        let (kind, mt, set): (String, Value, bool) = run(
            &lua,
            "local req, res = ...
             return type(res), getmetatable(res), pcall(setmetatable, res, {})",
            &req,
            &res,
        )
        .unwrap();
        assert_eq!(kind, "table");
        assert!(!matches!(mt, Value::Table(_)), "the metatable is protected");
        assert!(!set, "the metatable cannot be replaced");
        // pairs gives every method and nothing else (not the private key);
        // Lua 5.1 and LuaJIT have no `__pairs`.
        #[cfg(not(any(feature = "lua51", feature = "luajit")))]
        {
        let keys: i64 = run(
            &lua,
            "local req = ... local n = 0
             for k, v in pairs(req) do
               assert(type(k) == 'string' and type(v) == 'function', tostring(k))
               n = n + 1
             end
             return n",
            &req,
            &res,
        )
        .unwrap();
        assert_eq!(keys, REQUEST_METHODS.len() as i64);
        }
    }
}
