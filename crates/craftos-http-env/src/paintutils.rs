//! `paintutils` over `term`, as CraftOS-PC's ROM draws with it when no
//! graphics mode is on: `parseImage`, `loadImage` (read through `fs`; nil
//! for a missing file), `drawPixel`, `drawLine`, `drawBox`,
//! `drawFilledBox`, `drawImage`. Pixels are spaces on the background
//! colour, so they show on an ANSI terminal and leave nothing in a plain
//! log.

const SOURCE: &str = include_str!("paintutils.lua");

/// Set the global `paintutils` table.
pub fn install(lua: &mlua::Lua) -> mlua::Result<()> {
    super::run_api(lua, "paintutils", SOURCE, ())
}
