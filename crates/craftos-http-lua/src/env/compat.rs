//! Lua compatibility globals: placeholder, being written.

/// Install `bit`, `bit32`, `utf8`, `getfenv`/`setfenv` and the Lua 5.1
/// functions CraftOS-PC keeps.
pub fn install(_lua: &mlua::Lua) -> mlua::Result<()> {
    Ok(())
}
