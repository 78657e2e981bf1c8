//! `term`, `colors`/`colours` and `window`: placeholder, being written.

/// Install the globals `term`, `colors`, `colours` and `window`.
pub fn install(_lua: &mlua::Lua) -> mlua::Result<()> {
    Ok(())
}
