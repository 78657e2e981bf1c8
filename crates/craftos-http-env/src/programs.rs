//! Running programs and APIs from files, as CraftOS-PC's BIOS does:
//!
//! - `os.run(env, path, ...)`: load `path` (through `fs`) with `env`
//!   (whose missing globals come from `_G`) and call it with `...`; true
//!   when it returned, false when it could not be loaded or raised (the
//!   message printed with `printError`). With the setting
//!   `bios.strict_globals`, a program assigning a global raises `Attempt to
//!   create global NAME`.
//! - `os.loadAPI(path)`: run the file in an environment of its own and put
//!   its globals in a table `_G[NAME]` (the file name without `.lua`);
//!   true, or `false` with `API NAME is already being loaded` printed for a
//!   loop; a file that fails raises `Failed to load API NAME due to ERR`.
//! - `os.unloadAPI(name)`: remove a table global (never `_G`).

const SOURCE: &str = include_str!("programs.lua");

/// Add `os.run`, `os.loadAPI` and `os.unloadAPI` to the global `os`.
pub fn install(lua: &mlua::Lua) -> mlua::Result<()> {
    super::run_api(lua, "programs", SOURCE, ())
}
