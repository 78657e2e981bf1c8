//! `disk` with no disk drive attached, as CraftOS-PC's ROM answers then:
//! nothing is inserted (`isPresent`, `hasData`, `hasAudio` false;
//! `getLabel`, `getMountPath`, `getAudioTitle`, `getID` nil; `setLabel`,
//! `eject`, `playAudio`, `stopAudio`, `insertDisk` do nothing). A name that
//! is not a string raises `bad argument #1 to 'NAME' (string expected, got
//! T)`.

const SOURCE: &str = include_str!("disk.lua");

/// Set the global `disk` table.
pub fn install(lua: &mlua::Lua) -> mlua::Result<()> {
    super::run_api(lua, "disk", SOURCE, ())
}
