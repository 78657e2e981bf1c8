//! `getfenv`/`setfenv` on Lua 5.2+, where a function's environment is its
//! `_ENV` upvalue.
//!
//! They are C functions made with the raw Lua API, as CraftOS-PC's are, so
//! stack levels count exactly as there: level 0 is `getfenv` itself (which
//! has no `_ENV`, so it gives the global table), level 1 its caller, and a
//! script's `return getfenv(1)` still sees the script (a C function is never
//! tail-called). Rules as in `handles.rs`: no Rust value with a destructor
//! is alive when Lua raises (`luaL_argerror` unwinds with `longjmp`), and
//! nothing here can panic.

use std::ffi::{CStr, c_int};

use mlua::Lua;
use mlua::ffi::{self, lua_State};

/// Set the globals `getfenv` and `setfenv`.
pub(super) fn install(lua: &Lua) -> mlua::Result<()> {
    let globals = lua.globals();
    // SAFETY: both functions follow the Lua C API protocol (see above).
    let (get, set) = unsafe {
        (
            lua.create_c_function(getfenv)?,
            lua.create_c_function(setfenv)?,
        )
    };
    globals.raw_set("getfenv", get)?;
    globals.raw_set("setfenv", set)
}

/// Push the function argument 1 designates (a function, or a stack level;
/// nil means level 1) and return its absolute index, or raise.
///
/// # Safety
/// `l` is a running Lua state inside a C function call.
unsafe fn target(l: *mut lua_State) -> c_int {
    // SAFETY: per the caller; every path pushes exactly one value or raises.
    unsafe {
        match ffi::lua_type(l, 1) {
            ffi::LUA_TFUNCTION => {
                ffi::lua_pushvalue(l, 1);
            }
            t @ (ffi::LUA_TNUMBER | ffi::LUA_TNIL | ffi::LUA_TNONE) => {
                let level = if t == ffi::LUA_TNUMBER {
                    let n = ffi::lua_tonumber(l, 1);
                    if n.is_nan() {
                        -1
                    } else {
                        n.trunc().clamp(-1.0, c_int::MAX as f64) as c_int
                    }
                } else {
                    1
                };
                let mut ar: ffi::lua_Debug = std::mem::zeroed();
                if ffi::lua_getstack(l, level, &mut ar) == 0 {
                    ffi::luaL_argerror(l, 1, c"invalid level".as_ptr());
                }
                ffi::lua_getinfo(l, c"f".as_ptr(), &mut ar);
            }
            _ => {
                let msg = ffi::lua_pushfstring(
                    l,
                    c"number or function expected, got %s".as_ptr(),
                    ffi::luaL_typename(l, 1),
                );
                ffi::luaL_argerror(l, 1, msg);
            }
        }
        ffi::lua_gettop(l)
    }
}

/// The index of the `_ENV` upvalue of the function at `f`, if it has one.
///
/// # Safety
/// `f` is a valid absolute stack index.
unsafe fn env_upvalue(l: *mut lua_State, f: c_int) -> Option<c_int> {
    // SAFETY: per the caller; leaves the stack as it found it.
    unsafe {
        let mut i = 1;
        loop {
            let name = ffi::lua_getupvalue(l, f, i);
            if name.is_null() {
                return None;
            }
            ffi::lua_pop(l, 1);
            if CStr::from_ptr(name) == c"_ENV" {
                return Some(i);
            }
            i += 1;
        }
    }
}

/// `getfenv([f])`: the `_ENV` of `f` (a function or a level), or the global
/// table when it has none.
unsafe extern "C-unwind" fn getfenv(l: *mut lua_State) -> c_int {
    // SAFETY: a C function called by Lua.
    unsafe {
        let f = target(l);
        match env_upvalue(l, f) {
            Some(i) => {
                ffi::lua_getupvalue(l, f, i);
            }
            None => {
                ffi::lua_pushglobaltable(l);
            }
        }
        1
    }
}

/// `setfenv(f, env)`: make `env` the `_ENV` of `f` (a function or a level)
/// alone, leaving other closures that shared its `_ENV` as they were; a
/// function with no `_ENV` is left alone. Returns the function.
unsafe extern "C-unwind" fn setfenv(l: *mut lua_State) -> c_int {
    // SAFETY: a C function called by Lua.
    unsafe {
        ffi::luaL_checkany(l, 2);
        let f = target(l);
        if let Some(i) = env_upvalue(l, f) {
            // A fresh closure whose only upvalue is `_ENV`, set to `env`;
            // joining makes it `f`'s upvalue `i`. Only Lua functions have
            // an upvalue named `_ENV`, so `f` is one.
            if ffi::luaL_loadstring(l, c"return _ENV".as_ptr()) != ffi::LUA_OK {
                ffi::lua_error(l);
            }
            ffi::lua_pushvalue(l, 2);
            ffi::lua_setupvalue(l, -2, 1);
            ffi::lua_upvaluejoin(l, f, i, -1, 1);
            ffi::lua_pop(l, 1);
        }
        ffi::lua_pushvalue(l, f);
        1
    }
}

#[cfg(test)]
mod tests {
    use mlua::Lua;

    fn lua() -> Lua {
        let lua = Lua::new();
        super::install(&lua).unwrap();
        lua
    }

    fn eval<T: mlua::FromLuaMulti>(lua: &Lua, code: &str) -> T {
        lua.load(code).set_name("=t").eval().unwrap()
    }

    #[test]
    fn levels_and_functions() {
        let lua = lua();
        assert!(eval::<bool>(&lua, "return getfenv(0) == _G"));
        assert!(eval::<bool>(&lua, "return getfenv(1) == _G"));
        assert!(eval::<bool>(&lua, "return getfenv() == _G"));
        assert!(eval::<bool>(&lua, "return getfenv(print) == _G"));
        assert!(eval::<bool>(
            &lua,
            "local env = {} local f = load('return x', 'c', 't', env) return getfenv(f) == env"
        ));
        // Tail call: still the caller's environment.
        assert!(eval::<bool>(
            &lua,
            "local env = setmetatable({}, {__index = _G}) \
             local f = load('return getfenv(1)', 'c', 't', env) return f() == env"
        ));
    }

    #[test]
    fn setfenv_changes_one_function() {
        let lua = lua();
        assert_eq!(
            eval::<i64>(
                &lua,
                "local function f() return x end \
                 local r = setfenv(f, {x = 5}) \
                 assert(r == f) return f()"
            ),
            5
        );
        assert_eq!(
            eval::<String>(
                &lua,
                "x = 'global' local function g() setfenv(1, {y = 'mine'}) return y end \
                 return g() .. x"
            ),
            "mineglobal"
        );
    }

    #[test]
    fn errors() {
        let lua = lua();
        // Called from pcall, Lua names the function as it finds it in
        // package.loaded (`getfenv` or `_G.getfenv`, by traversal order).
        let e: String = eval(&lua, "return select(2, pcall(getfenv, 'x'))");
        assert!(
            e.starts_with("bad argument #1 to '")
                && e.ends_with("getfenv' (number or function expected, got string)"),
            "{e}"
        );
        let e: String = eval(
            &lua,
            "local ok, e = pcall(function() getfenv(50) end) return e",
        );
        assert_eq!(e, "t:1: bad argument #1 to 'getfenv' (invalid level)");
        let e: String = eval(
            &lua,
            "local ok, e = pcall(function() setfenv(1) end) return e",
        );
        assert_eq!(e, "t:1: bad argument #2 to 'setfenv' (value expected)");
    }
}
