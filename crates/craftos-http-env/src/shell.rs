//! `shell` for the one program the computer runs, as CraftOS-PC's shell
//! gives it to its programs: `run` / `execute` (a program from `fs`, with
//! its arguments; true when it ended without error, false after printing
//! the error, or `No such program`), `dir` / `setDir`, `path` /
//! `setPath` (`.:/rom/programs:/rom/programs/http`), `resolve`,
//! `resolveProgram`, `programs`, `aliases` / `setAlias` / `clearAlias`
//! (none at first: the ROM has no programs to alias), `getRunningProgram`,
//! `complete`, `completeProgram`, `setCompletionFunction`,
//! `getCompletionInfo`, `exit`.
//!
//! Each program `shell.run` starts gets an environment of its own (missing
//! globals from `_G`) with `shell`, `require` / `package` resolving from
//! its directory, and `arg` (`arg[0]` the command, then its arguments);
//! `#!` lines name another program to run it with. The computer's own
//! program (the runner's SCRIPT) runs with these in `_G`: `shell`,
//! `require`, `package` and `arg`. No `multishell` (scripts check for it).

use mlua::{Lua, Table};

use super::Program;

const SOURCE: &str = include_str!("shell.lua");

/// Set the global `shell` (and `arg`) for a computer running `program`.
pub fn install(lua: &Lua, program: &Program) -> mlua::Result<()> {
    let make = super::require::make_function(lua)?;
    let load = super::compat::string_load(lua)?;
    let args: Table = lua.create_sequence_from(program.args.iter().map(String::as_str))?;
    super::run_api(
        lua,
        "shell",
        SOURCE,
        (make, load, program.path.as_deref(), args),
    )
}
