//! `require` and `package` as CC: Tweaked's `cc.require` makes them for a
//! program: modules are found through `fs` only (never the host's files),
//! with `package.path` = the setting `shell.package_path` (`?`, `?.lua`,
//! `?/init.lua` relative to the program's directory, then
//! `/rom/modules/main/...`), `package.preload` first. A missing module
//! raises `module 'x' not found:` followed by one `no field
//! package.preload['x']` / `no file 'PATH'` line per place tried; a module
//! that requires itself while loading raises `loop or previous error
//! loading module 'x'`.
//!
//! The code is `/rom/modules/main/cc/require.lua` (also `require
//! "cc.require"`): `make(env, dir)` returns a `require` and `package` for
//! any environment; `shell.run` makes one per program.

use mlua::{Function, Lua, Table};

use super::Program;

const REQUIRE_LUA: &str = include_str!("rom/modules/main/cc/require.lua");

/// `cc.require`'s `make(env, dir)`, compiled in `lua`.
pub(crate) fn make_function(lua: &Lua) -> mlua::Result<Function> {
    let module: Table =
        craftos_http_lua::compiled::load(lua, "@/rom/modules/main/cc/require.lua", REQUIRE_LUA)?
            .call(())?;
    module.get("make")
}

/// Set the globals `require` and `package` for `program` (resolving from
/// its directory; from the root when no program runs).
pub fn install(lua: &Lua, program: &Program) -> mlua::Result<()> {
    let dir = program
        .path
        .as_deref()
        .and_then(|p| p.rsplit_once('/'))
        .map_or("", |(dir, _)| dir);
    let globals = lua.globals();
    let (require, package): (Function, Table) = make_function(lua)?.call((&globals, dir))?;
    globals.raw_set("require", require)?;
    globals.raw_set("package", package)?;
    Ok(())
}
