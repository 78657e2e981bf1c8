//! `/rom`: a small read-only drive in `fs` with the `cc.*` modules scripts
//! `require` (`cc.expect`, `cc.strings`, `cc.pretty`, `cc.completion`,
//! `cc.require`, under `/rom/modules/main/cc/`), written for this project
//! after CC: Tweaked's documentation.
//!
//! The mount wraps the `fs` table (and `loadfile`/`dofile`) installed
//! before it: a path inside `rom` is answered from the files compiled in,
//! every other path goes to the functions as they were. It answers as
//! CraftOS-PC does for its read-only ROM: `fs.list("/")` shows `rom`,
//! `isReadOnly` is true, `getDrive` is `"rom"`, `getFreeSpace` 0,
//! `getCapacity` nil, `attributes` has times 0; opening for writing
//! returns `nil, "/rom/x: Access denied"`, `makeDir` and `delete` raise
//! `/rom/x: Access denied`, `move` `Access denied`, `copy` into it
//! `/rom/x: Access denied` (copying out of it works). `find` and
//! `isDriveRoot` see it too.

use mlua::Lua;

const MOUNT_LUA: &str = include_str!("rom/mount.lua");

/// The files of the drive: path inside `/rom`, contents.
pub const FILES: [(&str, &str); 5] = [
    (
        "modules/main/cc/completion.lua",
        include_str!("rom/modules/main/cc/completion.lua"),
    ),
    (
        "modules/main/cc/expect.lua",
        include_str!("rom/modules/main/cc/expect.lua"),
    ),
    (
        "modules/main/cc/pretty.lua",
        include_str!("rom/modules/main/cc/pretty.lua"),
    ),
    (
        "modules/main/cc/require.lua",
        include_str!("rom/modules/main/cc/require.lua"),
    ),
    (
        "modules/main/cc/strings.lua",
        include_str!("rom/modules/main/cc/strings.lua"),
    ),
];

/// Mount `/rom` in the global `fs` (a no-op without one).
pub fn install(lua: &Lua) -> mlua::Result<()> {
    let files = lua.create_table()?;
    for (path, contents) in FILES {
        files.raw_set(path, contents)?;
    }
    let load = super::compat::string_load(lua)?;
    super::run_api(lua, "rom", MOUNT_LUA, (files, load))
}
