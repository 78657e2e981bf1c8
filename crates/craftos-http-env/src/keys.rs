//! `keys`: the key codes of CraftOS-PC's `key` events by name
//! (`keys.enter` is 28, `keys.a` 30, ... the codes CraftOS-PC's ROM
//! lists, with its aliases `keys["return"]`, `scollLock`, `cimcumflex`),
//! and `keys.getName(code)`. The runner reads lines, not keys, so no `key`
//! event ever comes; scripts that name keys still load and compare.

const SOURCE: &str = include_str!("keys.lua");

/// Set the global `keys` table.
pub fn install(lua: &mlua::Lua) -> mlua::Result<()> {
    super::run_api(lua, "keys", SOURCE, ())
}
