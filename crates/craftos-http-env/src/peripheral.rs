//! `peripheral` for a computer with nothing attached, as CraftOS-PC's ROM
//! answers then: `getNames()` is `{}`, `isPresent` false, `getType`,
//! `hasType`, `getMethods`, `call` and `wrap` nil, `find` nothing;
//! `getName` (and `getType`/`hasType` given a table) raise `bad argument #1
//! (table is not a peripheral)` for anything but a wrapped peripheral.

const SOURCE: &str = include_str!("peripheral.lua");

/// Set the global `peripheral` table.
pub fn install(lua: &mlua::Lua) -> mlua::Result<()> {
    super::run_api(lua, "peripheral", SOURCE, ())
}
