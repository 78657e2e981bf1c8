//! `settings`, as CraftOS-PC's ROM keeps them: `define`/`undefine` (with
//! `description`, `default` and `type`; `Unknown type "T". Expected one of
//! number, string, boolean, table.`), `set` (checked against a defined
//! type; queues `setting_changed` when a value changes), `get` (the value,
//! else the default given, else the defined default; tables are copies),
//! `unset`, `clear`, `getNames` (sorted), `getDetails`, `load` and `save`
//! (`textutils.serialize`d, default path `.settings`; both return false
//! when the file cannot be opened).
//!
//! At install the settings CraftOS-PC's BIOS defines are defined
//! (`shell.allow_startup`, `shell.package_path`, `bios.strict_globals`,
//! ...; not `bios.use_multishell`: there is no multishell) and `/.settings`
//! in the root is loaded if it exists, so what one run saves the next one
//! reads. As in CraftOS-PC, `set` does not write the file: `save` does.

const SOURCE: &str = include_str!("settings.lua");

/// Set the global `settings` table and load `/.settings` (through `fs`,
/// when there is one).
pub fn install(lua: &mlua::Lua) -> mlua::Result<()> {
    super::run_api(lua, "settings", SOURCE, ())
}
