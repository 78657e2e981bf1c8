//! `gps` with no wireless modem: `gps.locate()` returns nil at once (with
//! `debug`, after printing `No wireless modem attached`), as CraftOS-PC's
//! ROM does; `gps.CHANNEL_GPS` is 65534.

const SOURCE: &str = include_str!("gps.lua");

/// Set the global `gps` table.
pub fn install(lua: &mlua::Lua) -> mlua::Result<()> {
    super::run_api(lua, "gps", SOURCE, ())
}
