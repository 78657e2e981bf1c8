//! Text-only chunk loading: `load` that refuses Lua bytecode, as CC:
//! Tweaked does (its VM has none).
//!
//! Lua's own `load` (and 5.1's `loadstring`) accept precompiled chunks, and
//! the VM trusts them: a patched constant index in `string.dump`'s output
//! reads past the constant table and crashes the process. A computer's
//! scripts are not trusted, so every loader of the environment (`load`,
//! `loadstring`, `loadfile`, `dofile`, `textutils.unserialize`, `require`)
//! goes through `text_load`, which compiles text only (mode `"t"`
//! whatever the caller asks): a binary chunk gets `nil, "attempt to load a
//! binary chunk (mode is 't')"`. [`install`] replaces the global `load`
//! before anything else captures it.

use mlua::chunk::ChunkMode;
use mlua::{Function, Lua, LuaString, Table, Value};

use craftos_http_lua::native::{fail_mark, native};

/// The Lua half: reads a reader function's pieces into one string inside
/// Lua (so the memory limit counts them) and checks the arguments as
/// Lua 5.2's `load` does.
const CHUNKS_LUA: &str = r##"
local compile, FAIL = ...
local type, select, error, tostring, concat = type, select, error, tostring, table.concat
return function(chunk, chunkname, mode, ...)
  local has_env = select("#", ...) > 0
  local t = type(chunk)
  if t == "function" then
    local reader, parts = chunk, {}
    while true do
      local piece = reader()
      if piece == nil or piece == "" then break end
      if type(piece) ~= "string" then return nil, "reader function must return a string" end
      parts[#parts + 1] = piece
    end
    chunk = concat(parts)
    if chunkname == nil then chunkname = "=(load)" end
  elseif t ~= "string" and t ~= "number" then
    error(("bad argument #1 to 'load' (function expected, got %s)"):format(t == "nil" and "no value" or t), 2)
  else
    chunk = tostring(chunk)
    if chunkname == nil then chunkname = chunk end
  end
  if chunkname ~= nil and type(chunkname) ~= "string" and type(chunkname) ~= "number" then
    error(("bad argument #2 to 'load' (string expected, got %s)"):format(type(chunkname)), 2)
  end
  if mode ~= nil and type(mode) ~= "string" then
    error(("bad argument #3 to 'load' (string expected, got %s)"):format(type(mode)), 2)
  end
  local env = ...
  if has_env and env ~= nil and type(env) ~= "table" then
    error(("bad argument #4 to 'load' (table expected, got %s)"):format(type(env)), 2)
  end
  local f, err = compile(chunk, tostring(chunkname), mode, env)
  if f == FAIL then return nil, err end
  return f
end
"##;

/// Install the text-only `load` as the global `load`.
pub fn install(lua: &Lua) -> mlua::Result<()> {
    let load = text_load(lua)?;
    lua.globals().raw_set("load", load)
}

/// The text-only `load(chunk[, chunkname[, mode[, env]]])`: Lua 5.2's
/// signature on every VM, binary chunks refused. Made once per state.
pub(crate) fn text_load(lua: &Lua) -> mlua::Result<Function> {
    if let Some(f) = lua.app_data_ref::<TextLoad>() {
        return Ok(f.0.clone());
    }
    let compile = native(
        lua,
        |lua, (chunk, name, mode, env): (LuaString, LuaString, Option<String>, Option<Table>)| {
            let source = chunk.as_bytes();
            let binary = source.first() == Some(&0x1b);
            if let Some(mode) = &mode
                && !mode.contains('t')
                && !binary
            {
                return Err(format!("attempt to load a text chunk (mode is '{mode}')"));
            }
            if binary {
                return Err("attempt to load a binary chunk (mode is 't')".into());
            }
            let mut chunk = lua
                .load(&source[..])
                .set_name(String::from_utf8_lossy(&name.as_bytes()).replace('\0', "?"))
                .set_mode(ChunkMode::Text);
            if let Some(env) = env {
                chunk = chunk.set_environment(env);
            }
            match chunk.into_function() {
                Ok(f) => Ok((Value::Function(f), Value::Nil)),
                Err(mlua::Error::SyntaxError { message, .. }) => Err(message),
                Err(mlua::Error::MemoryError(_)) => Err("not enough memory".into()),
                Err(other) => Err(other.to_string()),
            }
        },
    )?;
    let f: Function =
        craftos_http_lua::compiled::load(lua, "=[C]", CHUNKS_LUA)?.call((compile, fail_mark()))?;
    lua.set_app_data(TextLoad(f.clone()));
    Ok(f)
}

/// The state's [`text_load`], made once.
struct TextLoad(Function);
