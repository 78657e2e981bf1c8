//! `rednet` with no modem, as CraftOS-PC's ROM behaves then: `open` and
//! `close` of a side raise `No such modem: SIDE`, `isOpen` is false,
//! `send` reaches only this computer (a message to its own id is queued as
//! `rednet_message` and `send` returns true; to any other id it returns
//! false), `broadcast` reaches no one, `receive` waits for such a message
//! or its timeout (then nil), `host`/`unhost`/`lookup` work on this
//! computer's own names (`Reserved hostname` for `localhost`), and `run`
//! is the daemon loop with nothing to answer (`rednet is already running`
//! the second time).

const SOURCE: &str = include_str!("rednet.lua");

/// Set the global `rednet` table.
pub fn install(lua: &mlua::Lua) -> mlua::Result<()> {
    super::run_api(lua, "rednet", SOURCE, ())
}
