//! `vector`: `vector.new(x, y, z)` and the vector methods of CraftOS-PC's
//! ROM (`add`, `sub`, `mul`, `div`, `unm`, `dot`, `cross`, `length`,
//! `normalize`, `round`, `tostring`, `equals`, and the `+ - * / ==` and
//! `tostring` metamethods). A value that is not a vector raises `bad
//! argument #N to 'NAME' (vector expected, got T)`.

const SOURCE: &str = include_str!("vector.lua");

/// Set the global `vector` table.
pub fn install(lua: &mlua::Lua) -> mlua::Result<()> {
    super::run_api(lua, "vector", SOURCE, ())
}
