//! `textutils`: placeholder, being written.

/// Install the global `textutils` table.
pub fn install(_lua: &mlua::Lua) -> mlua::Result<()> {
    Ok(())
}
