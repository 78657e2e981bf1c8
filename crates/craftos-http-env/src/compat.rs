//! Lua compatibility globals (SEMANTICS X7): what CraftOS-PC's Lua 5.2
//! build offers beyond plain Lua 5.2.
//!
//! CraftOS-PC runs a patched Lua 5.2 built with `LUA_COMPAT_ALL`, with the
//! `utf8` library of Lua 5.3 backported, and its BIOS adds Lua versions of
//! a few 5.1 functions and the old `bit` API. This module gives the same
//! globals on the Lua that mlua builds (which has none of the compatibility
//! options):
//!
//! - `getfenv`/`setfenv`: C functions with CraftOS-PC's semantics (the
//!   `_ENV` upvalue of a function or of a stack level; level 0 and
//!   functions with no `_ENV` mean the global table). **\[ext\]** `getfenv()`
//!   with no argument means level 1 (CraftOS-PC raises), and `setfenv`
//!   returns the function it changed, as Lua 5.1 and CC: Tweaked do
//!   (CraftOS-PC returns nothing).
//! - `utf8`: Lua 5.3's library (`char`, `charpattern`, `codes`,
//!   `codepoint`, `len`, `offset`), with its error texts.
//! - `bit32`: Lua 5.2's own; on a VM that lacks it (5.1, 5.3, 5.4, LuaJIT)
//!   a native copy with 5.2's semantics.
//! - `bit`: the same functions as `bit32` under CC's names (`band`, `bor`,
//!   `bxor`, `bnot`, `blshift`, `brshift` = `bit32.arshift`,
//!   `blogic_rshift` = `bit32.rshift`), as CraftOS-PC and CC: Tweaked alias
//!   them: results are unsigned 32-bit (`bit.bnot(0)` is `4294967295`).
//! - `unpack`, `loadstring` (a chunk name without `=`/`@` gets `=`, as
//!   CraftOS-PC's BIOS does), `table.maxn`, `table.getn`, `table.setn`,
//!   `table.foreach`, `table.foreachi`, `table.move`, `math.log10`,
//!   `math.pow`, and Lua 5.2's `table.pack`, `table.unpack` and `rawlen`
//!   (for 5.1 and LuaJIT), each only where the VM lacks it (except
//!   `loadstring`, always CraftOS-PC's, and `table.setn`, whose Lua 5.1
//!   version only raises). On Lua 5.1, also yieldable `pcall`, `xpcall`
//!   with arguments and `math.log` with a base.
//! - `load` with Lua 5.2's signature on every VM, text only
//!   ([`super::chunks`]): bytecode is refused by every loader.
//!
//! - `string.pack`/`string.packsize`/`string.unpack`: Lua 5.3's, as
//!   CraftOS-PC backports them (on VMs that lack them).

use std::panic::{AssertUnwindSafe, catch_unwind};

use mlua::{Function, Lua, MultiValue, Value};

use craftos_http_lua::native::fail_mark;

mod bit32;
#[cfg(any(feature = "lua52", feature = "lua53", feature = "lua54"))]
mod fenv;
mod strpack;
mod utf8;

const COMPAT_LUA: &str = include_str!("compat/compat.lua");

/// Install `bit`, `bit32`, `utf8`, `getfenv`/`setfenv` and the Lua 5.1
/// functions CraftOS-PC keeps, where the VM lacks them.
pub fn install(lua: &Lua) -> mlua::Result<()> {
    let globals = lua.globals();
    // Before anything captures `load`: text only (bytecode is refused).
    super::chunks::install(lua)?;
    ensure_bit32(lua)?;
    if !matches!(globals.raw_get::<Value>("utf8")?, Value::Table(_)) {
        utf8::install(lua)?;
    }
    // Lua 5.1 and LuaJIT have their own.
    #[cfg(any(feature = "lua52", feature = "lua53", feature = "lua54"))]
    if !matches!(globals.raw_get::<Value>("getfenv")?, Value::Function(_)) {
        fenv::install(lua)?;
    }
    if let Value::Table(string) = globals.raw_get::<Value>("string")?
        && !matches!(string.raw_get::<Value>("pack")?, Value::Function(_))
    {
        strpack::install(lua, &string)?;
    }
    craftos_http_lua::compiled::load(lua, "=compat", COMPAT_LUA)?
        .call::<()>(super::expect_helpers(lua)?)
}

/// Make sure the global `bit32` exists (the `colors` API needs it too).
pub(crate) fn ensure_bit32(lua: &Lua) -> mlua::Result<()> {
    if !matches!(lua.globals().raw_get::<Value>("bit32")?, Value::Table(_)) {
        bit32::install(lua)?;
    }
    Ok(())
}

/// Lua 5.2's `load(string, chunkname, mode, env)` for the Lua halves of the
/// other modules (`textutils.unserialize`, `loadfile`), which may be
/// installed without this one: the text-only `load` of [`super::chunks`].
pub(crate) fn string_load(lua: &Lua) -> mlua::Result<Value> {
    super::chunks::text_load(lua).map(Value::Function)
}

/// What a multi-value native returns: its values, or an error message.
pub(crate) type Returns = Result<MultiValue, String>;

/// The Lua wrapper of [`raising_multi`]: a native returns either its values
/// or `FAIL, message`; the wrapper raises the message at its caller's
/// position (its tail call to `pass` leaves the caller at level 2).
#[cfg(not(feature = "lua51"))]
const WRAP_MULTI: &str = r#"
local FAIL = ...
local error = error
local function pass(first, ...)
  if first == FAIL then error((...), 2) end
  return first, ...
end
return function(f)
  return function(...) return pass(f(...)) end
end
"#;

/// [`WRAP_MULTI`] for Lua 5.1, where a tail call is not transparent: it
/// leaves a `(tail call)` level with no position (as the wrapper's own call
/// to `pass` would, or `term`'s forwarding functions). The values go through
/// a table, and the error skips such levels to reach the caller 5.2 names.
#[cfg(feature = "lua51")]
const WRAP_MULTI: &str = r##"
local FAIL, caller_level = ...
local error, select, unpack = error, select, unpack
local function pack(...) return { n = select("#", ...), ... } end
return function(f)
  return function(...)
    local r = pack(f(...))
    if r[1] == FAIL then error(r[2], caller_level()) end
    return unpack(r, 1, r.n)
  end
end
"##;

/// For the Lua 5.1 wrapper: the `error` level of its caller, past the
/// `(tail call)` levels. Called by the wrapper, so its levels are the
/// wrapper's: 1 is the wrapper, 2 its caller.
#[cfg(feature = "lua51")]
fn caller_level(lua: &Lua, (): ()) -> mlua::Result<usize> {
    let mut level = 2;
    while lua
        .inspect_stack(level, |frame| frame.source().what == "tail")
        .unwrap_or(false)
    {
        level += 1;
    }
    Ok(level)
}

/// Makes the functions scripts call out of natives that return any number
/// of values (see [`raising_multi`]).
pub(crate) struct Raiser {
    factory: Function,
}

impl Raiser {
    /// Compile the wrapper once for `lua`.
    pub(crate) fn new(lua: &Lua) -> mlua::Result<Self> {
        #[cfg(not(feature = "lua51"))]
        let factory = craftos_http_lua::compiled::load(lua, "=[C]", WRAP_MULTI)?
            .call::<Function>(fail_mark())?;
        #[cfg(feature = "lua51")]
        let factory = craftos_http_lua::compiled::load(lua, "=[C]", WRAP_MULTI)?
            .call::<Function>((fail_mark(), lua.create_function(caller_level)?))?;
        Ok(Raiser { factory })
    }

    /// A Lua function running `f`: its `Ok` values are returned, its `Err`
    /// message is raised as a string with the caller's position (G2), and a
    /// panic becomes an `internal error` message (G6).
    pub(crate) fn function<F>(&self, lua: &Lua, f: F) -> mlua::Result<Function>
    where
        F: Fn(&Lua, MultiValue) -> Returns + 'static,
    {
        let inner = lua.create_function(move |lua, args: MultiValue| {
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
            Ok(MultiValue::from_iter([
                fail_mark(),
                Value::String(lua.create_string(message)?),
            ]))
        })?;
        self.factory.call(inner)
    }
}

/// The `n`th argument (1-based), or nil.
pub(crate) fn arg(args: &MultiValue, n: usize) -> &Value {
    args.get(n - 1).unwrap_or(&Value::Nil)
}

/// A string argument as `luaL_checklstring` takes it: strings, and numbers
/// converted as Lua converts them.
pub(crate) fn check_bytes(
    lua: &Lua,
    v: &Value,
    n: u32,
    func: &str,
) -> Result<mlua::LuaString, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Integer(_) | Value::Number(_) => match lua.coerce_string(v.clone()) {
            Ok(Some(s)) => Ok(s),
            _ => Err(craftos_http_lua::args::bad_type(n, func, "string", v)),
        },
        _ => Err(craftos_http_lua::args::bad_type(n, func, "string", v)),
    }
}

/// A number argument as `luaL_checknumber` takes it (numeric strings too).
pub(crate) fn check_number(v: &Value, n: u32, func: &str) -> Result<f64, String> {
    match v {
        Value::Integer(i) => Ok(*i as f64),
        Value::Number(x) => Ok(*x),
        Value::String(s) => s
            .to_str()
            .ok()
            .and_then(|s| {
                let t = s.trim();
                match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                    Some(hex) => i64::from_str_radix(hex, 16).ok().map(|i| i as f64),
                    None => t.parse::<f64>().ok(),
                }
            })
            .ok_or_else(|| craftos_http_lua::args::bad_type(n, func, "number", v)),
        _ => Err(craftos_http_lua::args::bad_type(n, func, "number", v)),
    }
}

/// An optional integer argument: nil (or absent) gives `default`.
pub(crate) fn opt_integer(v: &Value, default: i64, n: u32, func: &str) -> Result<i64, String> {
    match v {
        Value::Nil => Ok(default),
        _ => craftos_http_lua::args::integer(v, n, func),
    }
}

/// `bad argument #N to 'NAME' (WHY)`, the text of `luaL_argerror`.
pub(crate) fn arg_error(n: u32, func: &str, why: &str) -> String {
    craftos_http_lua::args::argument_error(n, func, why)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lua() -> Lua {
        let lua = Lua::new();
        install(&lua).unwrap();
        lua
    }

    fn eval<T: mlua::FromLuaMulti>(lua: &Lua, code: &str) -> T {
        lua.load(code).eval().unwrap()
    }

    #[test]
    fn bit_aliases_bit32() {
        let lua = lua();
        assert!(eval::<bool>(&lua, "return bit.band == bit32.band"));
        assert_eq!(eval::<f64>(&lua, "return bit.bnot(0)"), 4294967295.0);
        assert_eq!(eval::<f64>(&lua, "return bit.brshift(-8, 1)"), 4294967292.0);
        assert_eq!(
            eval::<f64>(&lua, "return bit.blogic_rshift(-8, 1)"),
            2147483644.0
        );
        assert_eq!(eval::<f64>(&lua, "return bit.blshift(1, 31)"), 2147483648.0);
    }

    #[test]
    fn lua51_functions() {
        let lua = lua();
        assert_eq!(
            eval::<i64>(&lua, "return table.maxn({1, 2, [10] = 3, [-4] = 1})"),
            10
        );
        assert_eq!(eval::<i64>(&lua, "return math.log10(1000)"), 3);
        assert_eq!(eval::<i64>(&lua, "return math.pow(2, 10)"), 1024);
        assert_eq!(
            eval::<i64>(&lua, "return select('#', unpack({1, 2, 3}))"),
            3
        );
        assert_eq!(
            eval::<String>(&lua, "return select(2, loadstring('x x', 'name'))"),
            // Lua 5.1's parser, and LuaJIT's, word it so.
            if cfg!(any(feature = "lua51", feature = "luajit")) {
                "name:1: '=' expected near 'x'"
            } else {
                "name:1: syntax error near 'x'"
            }
        );
        assert_eq!(eval::<i64>(&lua, "return loadstring('return 7')()"), 7);
        assert_eq!(
            eval::<String>(
                &lua,
                "return table.concat(table.move({1, 2, 3}, 1, 3, 2), ',')"
            ),
            "1,1,2,3"
        );
    }

    #[test]
    fn raised_errors_are_strings_with_position() {
        let lua = lua();
        let msg: String = lua
            .load("local ok, e = pcall(function()\n utf8.char(-1) end) return e")
            .set_name("=t")
            .eval()
            .unwrap();
        assert_eq!(msg, "t:2: bad argument #1 to 'char' (value out of range)");
    }
}
