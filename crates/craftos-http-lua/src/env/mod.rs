//! The ComputerCraft globals a standalone computer needs around `http`
//! (SEMANTICS section 8), one module per API so an embedder can take none,
//! some or all of them. The `http` binding does not depend on them.

use std::path::PathBuf;

pub mod chunks;
pub mod compat;
pub mod fs;
pub mod patterns;
pub mod term;
pub mod textutils;

/// What the environment modules need to know.
#[derive(Clone, Debug)]
pub struct EnvConfig {
    /// The directory `fs` is rooted at (X8).
    pub root: PathBuf,
}

/// Install every environment module into `lua`: `textutils`, `fs` (with
/// `loadfile`/`dofile`), `term`/`colors`/`window`, and the Lua compatibility
/// functions (`bit`, `bit32`, `utf8`, `getfenv`/`setfenv`, ...).
pub fn install(lua: &mlua::Lua, config: &EnvConfig) -> mlua::Result<()> {
    compat::install(lua)?;
    patterns::install(lua)?;
    textutils::install(lua)?;
    fs::install(lua, &config.root)?;
    term::install(lua)?;
    Ok(())
}
