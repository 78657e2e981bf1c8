//! `io` as CraftOS-PC's ROM makes it: over `fs` (so over the root and
//! `/rom`, never other host files) and the computer's own streams.
//!
//! `io.open(path[, mode])` (`nil, "/p: No such file"` as `fs.open`),
//! `io.lines([path, ...])` (closes the file at its end), `io.input` /
//! `io.output` (a path or a file), `io.read` / `io.write` (the current
//! input and output: at first stdin lines and stdout, in order with
//! `print`), `io.close`, `io.flush`, `io.type`, `io.stdin` / `io.stdout` /
//! `io.stderr` (stderr is the process's). Files are tables (`__name`
//! `FILE*`) with `read` (formats `l`, `L`, `a`, a count; `n` reads
//! nothing, as in CC), `lines`, `write` (returns the file), `seek`,
//! `flush`, `setvbuf` (no effect), `close`; a closed one raises `attempt to
//! use a closed file`. The table replaces the VM's `io` whole: none of the
//! host's own functions (`popen`, `tmpfile`, ...) remain.

const SOURCE: &str = include_str!("io.lua");

/// Set the global `io` table (replacing the VM's).
pub fn install(lua: &mlua::Lua) -> mlua::Result<()> {
    super::run_api(lua, "io", SOURCE, ())
}
