//! What raw C functions need to be portable across the Lua VMs mlua
//! builds: the result type LuaJIT reads whole, and the cast to
//! `lua_CFunction`. Used by the modules that push C functions themselves
//! (`handles`, `resume`; public for `craftos-http-env`'s `watchdog` and
//! `patterns`).

use std::ffi::c_int;

use mlua::ffi::{self, lua_State};

/// What a C function returns: its number of results, as wide as a register
/// under LuaJIT. LuaJIT's x64 interpreter (`BC_FUNCC`, GC64) computes the
/// results' address from all 64 bits of `rax`, though a C `int` return
/// defines only the low 32; Rust, unlike C compilers in practice, may leave
/// the upper half dirty (seen: `0x5555_0000_0001` for 1, then a crash in
/// `lj_BC_RET`). Returning `isize` defines the whole register.
#[cfg(feature = "luajit")]
pub type NResults = isize;
/// What a C function returns: its number of results (a C `int`, as the
/// Lua API declares it, off LuaJIT).
#[cfg(not(feature = "luajit"))]
pub type NResults = c_int;

/// `n` as [`NResults`].
#[cfg(feature = "luajit")]
pub fn nresults(n: c_int) -> NResults {
    n as isize
}

/// `n` as [`NResults`].
#[cfg(not(feature = "luajit"))]
pub fn nresults(n: c_int) -> NResults {
    n
}

/// A raw C function as written in Rust: [`NResults`] results, to be
/// passed to the Lua API through [`c_function`].
pub type Native = unsafe extern "C-unwind" fn(*mut lua_State) -> NResults;

/// `f` as the type the Lua API takes.
#[cfg(feature = "luajit")]
pub fn c_function(f: Native) -> ffi::lua_CFunction {
    // SAFETY: the two types differ only in the return type, `isize` against
    // `c_int`, both returned in the same register (`rax`, `x0`; `isize` is
    // `c_int` on 32-bit targets); the caller, LuaJIT's interpreter, reads
    // the register whole, so the wide type is the one it consumes.
    unsafe { std::mem::transmute::<Native, ffi::lua_CFunction>(f) }
}

/// `f` as the type the Lua API takes.
#[cfg(not(feature = "luajit"))]
pub fn c_function(f: Native) -> ffi::lua_CFunction {
    f
}

/// Run `push` in protected mode: it pushes exactly one value, which is left
/// on the stack. If the Lua API raises inside it (out of memory), the
/// error's message comes back instead, and the caller's values are dropped
/// as usual: `push` must only borrow what has a destructor, so the
/// `longjmp` skips nothing that owns memory. This is how the raw natives
/// turn owned Rust data into Lua values without leaking it when the state
/// is at its memory limit.
///
/// # Safety
/// `l` is a live state, at the top of a C function (LUA_MINSTACK slots
/// free: this uses three).
pub(crate) unsafe fn protected(
    l: *mut lua_State,
    push: &mut dyn FnMut(*mut lua_State),
) -> Result<(), String> {
    let mut call: &mut dyn FnMut(*mut lua_State) = push;
    let ud = (&mut call as *mut &mut dyn FnMut(*mut lua_State)).cast::<std::ffi::c_void>();
    // SAFETY: per the caller; `ud` points at `call`, alive for the call.
    let status = unsafe { run_protected(l, ud) };
    if status == 0 {
        return Ok(());
    }
    // SAFETY: the error value is on top; copied before it is popped.
    unsafe {
        let mut len = 0usize;
        let p = ffi::lua_tolstring(l, -1, &mut len);
        let message = if p.is_null() {
            "not enough memory".to_owned()
        } else {
            String::from_utf8_lossy(std::slice::from_raw_parts(p.cast::<u8>(), len)).into_owned()
        };
        ffi::lua_pop(l, 1);
        Err(message)
    }
}

/// The C function [`protected`] runs: calls the closure behind its light
/// userdata argument.
unsafe extern "C-unwind" fn trampoline(l: *mut lua_State) -> NResults {
    // SAFETY: the argument is the pointer `protected` passed.
    unsafe {
        let call = &mut *ffi::lua_touserdata(l, 1).cast::<&mut dyn FnMut(*mut lua_State)>();
        call(l);
        #[cfg(any(feature = "lua51", feature = "luajit"))]
        ffi::lua_rawsetp(l, ffi::LUA_REGISTRYINDEX, stash_key());
    }
    nresults(1)
}

/// Lua 5.2+: a light C function (pushing it allocates nothing) under
/// `lua_pcall`.
#[cfg(not(any(feature = "lua51", feature = "luajit")))]
unsafe fn run_protected(l: *mut lua_State, ud: *mut std::ffi::c_void) -> c_int {
    // SAFETY: per `protected`.
    unsafe {
        ffi::lua_pushcfunction(l, c_function(trampoline));
        ffi::lua_pushlightuserdata(l, ud);
        ffi::lua_pcall(l, 1, 1, 0)
    }
}

/// Lua 5.1 and LuaJIT: pushing a C function allocates, so `lua_cpcall`
/// (which makes it inside the protection); its results are discarded, so
/// the value goes through a registry slot.
#[cfg(any(feature = "lua51", feature = "luajit"))]
unsafe fn run_protected(l: *mut lua_State, ud: *mut std::ffi::c_void) -> c_int {
    // SAFETY: per `protected`; reading and clearing an existing registry
    // slot allocates nothing.
    unsafe {
        let status = ffi::lua_cpcall(l, c_function(trampoline), ud);
        if status == 0 {
            ffi::lua_rawgetp(l, ffi::LUA_REGISTRYINDEX, stash_key());
            ffi::lua_pushnil(l);
            ffi::lua_rawsetp(l, ffi::LUA_REGISTRYINDEX, stash_key());
        }
        status
    }
}

#[cfg(any(feature = "lua51", feature = "luajit"))]
static STASH: u8 = 0;

#[cfg(any(feature = "lua51", feature = "luajit"))]
fn stash_key() -> *const std::ffi::c_void {
    &STASH as *const u8 as *const std::ffi::c_void
}

/// The type name of the value at `idx`, as `type` gives it.
///
/// # Safety
/// `idx` is an acceptable index of `l`.
pub(crate) unsafe fn type_name(l: *mut lua_State, idx: c_int) -> &'static str {
    // SAFETY: per the caller.
    match unsafe { ffi::lua_type(l, idx) } {
        ffi::LUA_TNONE | ffi::LUA_TNIL => "nil",
        ffi::LUA_TBOOLEAN => "boolean",
        ffi::LUA_TNUMBER => "number",
        ffi::LUA_TSTRING => "string",
        ffi::LUA_TTABLE => "table",
        ffi::LUA_TFUNCTION => "function",
        ffi::LUA_TTHREAD => "thread",
        _ => "userdata",
    }
}

/// An error message copied onto the stack (its first 512 bytes, cut at a
/// character boundary), so that the `String` can be dropped before a Lua
/// call that may raise: nothing owned is live if it does.
pub(crate) struct StackText {
    bytes: [u8; 512],
    len: usize,
}

impl StackText {
    /// Copies `message` and drops it.
    pub(crate) fn new(message: String) -> Self {
        let mut bytes = [0u8; 512];
        let mut len = message.len().min(bytes.len());
        while !message.is_char_boundary(len) {
            len -= 1;
        }
        bytes[..len].copy_from_slice(&message.as_bytes()[..len]);
        Self { bytes, len }
    }

    /// Pushes the text as a Lua string.
    ///
    /// # Safety
    /// `l` has a free stack slot; pushing allocates and may raise.
    pub(crate) unsafe fn push(&self, l: *mut lua_State) {
        // SAFETY: per the caller.
        unsafe { ffi::lua_pushlstring(l, self.bytes.as_ptr().cast(), self.len) };
    }
}

/// The full userdata at `idx` as a `T` made by this crate: one of exactly
/// `T`'s size whose first 8 bytes hold `mark` (`T` is `#[repr(C)]` with a
/// `u64` mark first). A userdata of another kind, or a script's, never
/// passes: the mark is random per process and never visible to scripts.
///
/// # Safety
/// `idx` is an acceptable index of `l`; `T` starts with its `u64` mark.
pub(crate) unsafe fn marked<T>(l: *mut lua_State, idx: c_int, mark: u64) -> Option<*mut T> {
    // SAFETY: per the caller; a full userdata of `T`'s size has its first
    // 8 bytes readable (Lua aligns userdata for any type).
    unsafe {
        if ffi::lua_type(l, idx) != ffi::LUA_TUSERDATA
            || ffi::lua_rawlen(l, idx) != std::mem::size_of::<T>()
        {
            return None;
        }
        let p = ffi::lua_touserdata(l, idx);
        (!p.is_null() && *p.cast::<u64>() == mark).then(|| p.cast::<T>())
    }
}
