//! `redstone` (and its alias `rs`) for a computer with nothing around it:
//! every input is off (`false`, 0), outputs keep what the script sets, as
//! CraftOS-PC's do (`getOutput` after `setOutput`), and nothing outside
//! sees them. Sides are CraftOS-PC's six, in its order; a side is matched
//! case-insensitively, anything else raises `bad argument #1 to 'NAME'
//! (unknown option SIDE)`. Analog levels are 0-15 (`Expected number in
//! range 0-15`), bundled ones 0-65535.
//!
//! **\[fix\]** `testBundledInput` tests the inputs, as CC: Tweaked
//! documents it (CraftOS-PC tests the bundled outputs).

const SOURCE: &str = include_str!("redstone.lua");

/// Set the global `redstone` table and `rs`, the same table.
pub fn install(lua: &mlua::Lua) -> mlua::Result<()> {
    super::run_api(lua, "redstone", SOURCE, ())
}
