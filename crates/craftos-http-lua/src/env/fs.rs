//! `fs`: placeholder, being written.

/// Install the global `fs` table rooted at `root`, and `loadfile`/`dofile`
/// reading through it.
pub fn install(_lua: &mlua::Lua, _root: &std::path::Path) -> mlua::Result<()> {
    Ok(())
}
