//! The ComputerCraft globals a standalone computer needs around `http`
//! (SEMANTICS section 8), one module per API so an embedder can take none,
//! some or all of them. The `http` binding does not depend on them.
//!
//! The runner is a computer with no peripherals, no modem and no disk, not
//! a computer with missing APIs: `peripheral`, `redstone`, `disk`, `rednet`
//! and `gps` answer as CraftOS-PC's do with nothing attached, and the rest
//! of a CraftOS-PC computer's ROM is here too (`settings`, `keys`,
//! `vector`, `paintutils`, a read-only `/rom` with the `cc.*` modules,
//! `io` over `fs`, `require`/`package`, `shell`, `os.run`/`os.loadAPI`).
//!
//! Most of these are Lua (ours, written after CraftOS-PC's ROM and CC:
//! Tweaked's documentation); each module's `install` runs its Lua half with
//! the shared argument checks of `expect.lua`.
//!
//! [`watchdog`] is here too: the `Too long without yielding` hook a
//! computer's loop installs, which `patterns` consults.
//!
//! # Features
//!
//! `lua52` (default), `lua51`, `lua53`, `lua54`, `luajit` and `vendored`
//! (default) are forwarded to `craftos-http-lua`. The modules keep their
//! state in `Rc`s and `RefCell`s, so this crate needs mlua without its
//! `send` feature, and stops with a message saying so when another crate
//! of the tree enables it.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

use mlua::{IntoLuaMulti, Lua, Table};

mod single_threaded {
    //! The environment keeps its state in `Rc`s and `RefCell`s: a Lua
    //! state with it never leaves its thread, so it needs mlua's `Lua` not
    //! to be `Send`, which mlua's `send` feature makes it.

    /// Implemented when mlua's values need not be `Send`.
    #[diagnostic::on_unimplemented(
        message = "craftos-http-env and craftos-http-runner need mlua without its `send` feature",
        label = "mlua's `send` feature is enabled somewhere in the dependency tree",
        note = "the `http` binding alone (craftos-http-lua) builds with `send`"
    )]
    pub(crate) trait NotSend {}
    impl<T: mlua::MaybeSend> NotSend for T {}

    const fn needs_not_send<T: NotSend>() {}
    const _: () = needs_not_send::<std::rc::Rc<()>>();
}

pub mod chunks;
pub mod compat;
pub mod disk;
pub mod fs;
pub mod gps;
pub mod io;
pub mod keys;
pub mod paintutils;
pub mod patterns;
pub mod peripheral;
pub mod programs;
pub mod rednet;
pub mod redstone;
pub mod require;
pub mod rom;
pub mod settings;
pub mod shell;
pub mod term;
pub mod textutils;
pub mod vector;
pub mod watchdog;

/// What the environment modules need to know.
#[derive(Clone, Debug)]
pub struct EnvConfig {
    /// The directory `fs` is rooted at (X8).
    pub root: PathBuf,
}

/// The program a computer runs, as its `shell` sees it: the script's path
/// inside `fs` (`shell.getRunningProgram()`, the directory `require`
/// resolves from) and its arguments (`arg`).
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// The path inside `fs`, without a leading `/` (`"server.lua"`,
    /// `"apps/chat.lua"`); `None` when no program runs.
    pub path: Option<String>,
    /// Its arguments: `arg[1]`, `arg[2]`, ... (`arg[0]` is the path).
    pub args: Vec<String>,
}

impl Program {
    /// The program `script` as `fs` rooted at `root` names it: its path
    /// relative to the root, or only its file name when it lies outside the
    /// root (it still runs, from the root's top directory).
    pub fn from_script(root: &Path, script: &Path, args: &[String]) -> Program {
        let inside = match (root.canonicalize(), script.canonicalize()) {
            (Ok(root), Ok(script)) => script.strip_prefix(&root).ok().map(|rel| {
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            }),
            _ => None,
        };
        let path = inside
            .filter(|p| !p.is_empty())
            .or_else(|| script.file_name().map(|n| n.to_string_lossy().into_owned()));
        Program {
            path,
            args: args.to_vec(),
        }
    }
}

/// Install every environment module into `lua`, with no running program
/// (`require` resolves from the root, `shell.getRunningProgram()` is nil).
/// See [`install_running`].
pub fn install(lua: &Lua, config: &EnvConfig) -> mlua::Result<()> {
    install_running(lua, config, &Program::default())
}

/// Install every environment module into `lua` for a computer running
/// `program`: `textutils`, `fs` (with `loadfile`/`dofile`),
/// `term`/`colors`/`window`, the Lua compatibility functions (`bit`,
/// `bit32`, `utf8`, `getfenv`/`setfenv`, ...), `keys`, `vector`,
/// `paintutils`, `peripheral`, `redstone`/`rs`, `disk`, `rednet`, `gps`,
/// `settings` (loading `/.settings`), the `/rom` mount, `io` over `fs`,
/// `os.run` /
/// `os.loadAPI` / `os.unloadAPI`, and for the program `require`/`package`,
/// `shell` and `arg`.
pub fn install_running(lua: &Lua, config: &EnvConfig, program: &Program) -> mlua::Result<()> {
    compat::install(lua)?;
    patterns::install(lua)?;
    textutils::install(lua)?;
    fs::install(lua, &config.root)?;
    term::install(lua)?;
    keys::install(lua)?;
    vector::install(lua)?;
    paintutils::install(lua)?;
    peripheral::install(lua)?;
    redstone::install(lua)?;
    disk::install(lua)?;
    rednet::install(lua)?;
    gps::install(lua)?;
    rom::install(lua)?;
    io::install(lua)?;
    settings::install(lua)?;
    programs::install(lua)?;
    require::install(lua, program)?;
    shell::install(lua, program)?;
    Ok(())
}

const EXPECT_LUA: &str = include_str!("expect.lua");

/// The registry key of the compiled [`EXPECT_LUA`] helpers.
const EXPECT_KEY: &str = "craftos_http.env.expect";

/// The argument checks the Lua halves share (`expect.lua`), compiled once
/// per Lua state.
fn expect_helpers(lua: &Lua) -> mlua::Result<Table> {
    if let Ok(t) = lua.named_registry_value::<Table>(EXPECT_KEY) {
        return Ok(t);
    }
    let t: Table = craftos_http_lua::compiled::load(lua, "=[C]", EXPECT_LUA)?.call(())?;
    lua.set_named_registry_value(EXPECT_KEY, &t)?;
    Ok(t)
}

/// Run the Lua half of an API: `source` (named `=name`, so its errors read
/// `name:LINE:`) is called with the argument checks, the global table and
/// `extra`.
fn run_api(
    lua: &Lua,
    name: &str,
    source: &'static str,
    extra: impl IntoLuaMulti,
) -> mlua::Result<()> {
    let expect = expect_helpers(lua)?;
    let mut args = extra.into_lua_multi(lua)?;
    args.push_front(mlua::Value::Table(lua.globals()));
    args.push_front(mlua::Value::Table(expect));
    craftos_http_lua::compiled::load(lua, &format!("={name}"), source)?.call::<()>(args)
}
