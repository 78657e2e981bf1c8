//! How natives report errors: as Lua strings with the caller's position (G2).
//!
//! mlua turns a callback's `Err` into an error *userdata*, which scripts
//! cannot `:match`. So natives never fail through mlua: they return
//! `FAIL, message`, and the Lua wrapper in `lua/http.lua` raises
//! `error(message, 2)`, which adds the position of the script's call. Panics
//! are caught here and reported the same way (G6).
//!
//! Public for the crates built on the binding (`craftos-http-env`,
//! `craftos-http-runner`), whose natives follow the same protocol: a
//! native made with [`native`] is wrapped in Lua code that checks for
//! [`fail_mark`]; [`function`] makes such a native and its raising wrapper
//! in one step.

use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};

use mlua::{FromLuaMulti, Function, LightUserData, Lua, MaybeSend, Value};

static FAIL_MARK: u8 = 0;

/// The sentinel a native returns first when it fails.
pub fn fail_mark() -> Value {
    Value::LightUserData(LightUserData(fail_mark_ptr()))
}

/// The address behind [`fail_mark`].
pub(crate) fn fail_mark_ptr() -> *mut c_void {
    &FAIL_MARK as *const u8 as *mut c_void
}

/// What a native returns: up to two values, or an error message.
pub type Outcome = Result<(Value, Value), String>;

/// Success with no value.
pub fn none() -> Outcome {
    Ok((Value::Nil, Value::Nil))
}

/// Success with one value.
pub fn one(v: Value) -> Outcome {
    Ok((v, Value::Nil))
}

/// A Lua function running `f` under the FAIL protocol: it returns `f`'s
/// values, or [`fail_mark`] and the message when `f` errs or panics (a
/// panic is logged and reported as `internal error: ...`).
pub fn native<A, F>(lua: &Lua, f: F) -> mlua::Result<Function>
where
    A: FromLuaMulti,
    F: Fn(&Lua, A) -> Outcome + MaybeSend + 'static,
{
    lua.create_function(move |lua, args: A| {
        let message = match catch_unwind(AssertUnwindSafe(|| f(lua, args))) {
            Ok(Ok(values)) => return Ok(values),
            Ok(Err(message)) => message,
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                tracing::error!("internal error in a native: {what}");
                format!("internal error: {what}")
            }
        };
        Ok((fail_mark(), Value::String(lua.create_string(message)?)))
    })
}

const RAISING: &str = r#"
local f, FAIL, n = ...
local error = error
if n == 0 then
  return function(...)
    local r1, r2 = f(...)
    if r1 == FAIL then error(r2, 2) end
  end
elseif n == 1 then
  return function(...)
    local r1, r2 = f(...)
    if r1 == FAIL then error(r2, 2) end
    return r1
  end
else
  return function(...)
    local r1, r2 = f(...)
    if r1 == FAIL then error(r2, 2) end
    return r1, r2
  end
end
"#;

/// Wrap a FAIL-protocol native (made with [`native`]) into the function
/// scripts call: it raises the message at the caller's position and returns
/// exactly `returns` values (0, 1 or 2).
pub fn raising(lua: &Lua, f: Function, returns: u8) -> mlua::Result<Function> {
    crate::compiled::load(lua, "=[C]", RAISING)?.call((f, fail_mark(), returns))
}

/// [`native`] and [`raising`] in one step.
pub fn function<A, F>(lua: &Lua, returns: u8, f: F) -> mlua::Result<Function>
where
    A: FromLuaMulti,
    F: Fn(&Lua, A) -> Outcome + MaybeSend + 'static,
{
    raising(lua, native(lua, f)?, returns)
}
