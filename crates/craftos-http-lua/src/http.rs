//! `install`: the `http` server functions in a computer's Lua state.

use std::sync::Arc;

use craftos_http_core::{Computer, ListenError, Listeners};
use mlua::{Function, Lua, Table, Value};

use crate::args;
use crate::handles;
use crate::native::{fail_mark, native, none, one};

/// What the `http` functions of one computer act on.
#[derive(Clone)]
pub struct HttpContext {
    /// The computer whose Lua state this is: the owner of its listeners and
    /// the receiver of their events.
    pub computer: Computer,
    /// The transport serving its listeners.
    pub listeners: Arc<dyn Listeners>,
}

/// Per-state data the event conversion needs.
pub(crate) struct Installed {
    /// `make_client(client_userdata, clientID) -> handle` (lua/http.lua).
    pub(crate) make_client: Function,
}

const HTTP_LUA: &str = include_str!("lua/http.lua");

const HEADERS_INDEX: &str = r#"
local next, type = next, type
return function(t, k)
  if type(k) ~= "string" then return nil end
  local lk = k:lower()
  for name, v in next, t do
    if type(name) == "string" and name:lower() == lk then return v end
  end
  return nil
end
"#;

/// Add `http.addListener`, `http.removeListener`, `http.listen` and
/// `http.websocketServer` to the
/// global `http` table of `lua` (created if absent; an emulator's existing
/// client functions are kept), acting for `ctx.computer`. Client functions
/// the table lacks (`get`, `post`, `request`, `checkURL`, `websocket`,
/// `checkURLAsync`, `websocketAsync`) are added as stubs that raise
/// `http.get is not available: craftos-http serves HTTP ... and has no
/// HTTP client`; an emulator that adds its own afterwards replaces them.
///
/// Events for the computer arrive through its sink; turn each into Lua
/// values with [`crate::event_to_lua`] in this same state.
///
/// The functions look up these globals of the state when they run, so the
/// emulator provides them, before or after `install`, as CC does:
/// `os.pullEvent` (`http.listen`'s loop), `os.pullEventRaw`,
/// `os.startTimer` and `os.cancelTimer` (the waits of the websocket
/// handles, E3-E5); scripts stop `http.listen` with `os.queueEvent`
/// (`server_stop`), so it is wanted too. Nothing else of the environment is
/// used.
pub fn install(lua: &Lua, ctx: HttpContext) -> mlua::Result<()> {
    let natives = lua.create_table()?;

    let add_ctx = ctx.clone();
    natives.raw_set(
        "addListener",
        native(lua, move |_, port: Value| {
            let port = args::port(&port, 1, "addListener")?;
            add_ctx
                .listeners
                .add_listener(&add_ctx.computer, port)
                .map_err(|e| format!("Could not open server: {}", listen_reason(&e, port)))?;
            one(Value::Integer(port.into()))
        })?,
    )?;
    crate::websocket::register(lua, &natives, ctx.clone())?;
    let remove_ctx = ctx;
    natives.raw_set(
        "removeListener",
        native(lua, move |_, port: Value| {
            // L5: out of range is a silent no-op; a wrong type is an error.
            let port = args::integer(&port, 1, "removeListener")?;
            if let Ok(port) = u16::try_from(port) {
                remove_ctx
                    .listeners
                    .remove_listener(remove_ctx.computer.id, port);
            }
            none()
        })?,
    )?;

    let headers_mt = lua.create_table()?;
    let headers_index: Function = crate::compiled::load(lua, "=http.headers", HEADERS_INDEX)?.call(())?;
    headers_mt.raw_set("__index", headers_index)?;
    handles::register(lua, headers_mt)?;
    crate::resume::register(lua)?;

    let (api, make_client, client): (Table, Function, Table) = crate::compiled::load(lua, "=http", HTTP_LUA)?.call((natives, fail_mark()))?;
    lua.set_app_data(Installed { make_client });

    let globals = lua.globals();
    let http = match globals.raw_get::<Value>("http")? {
        Value::Table(t) => t,
        _ => lua.create_table()?,
    };
    for pair in api.pairs::<Value, Value>() {
        let (k, v) = pair?;
        http.raw_set(k, v)?;
    }
    // The client functions this crate lacks, where the emulator has none.
    for pair in client.pairs::<Value, Value>() {
        let (k, v) = pair?;
        if http.raw_get::<Value>(k.clone())?.is_nil() {
            http.raw_set(k, v)?;
        }
    }
    globals.raw_set("http", http)?;
    Ok(())
}

/// Why `port` could not be had: the reason of `Could not open server:
/// <reason>` (L3) and of `websocketServer`'s `nil, reason` (W1). A bind
/// failure is the system's text (without Rust's ` (os error N)`) naming the
/// port, as another computer's hold does: `Address already in use (port
/// 8080)`.
pub(crate) fn listen_reason(e: &ListenError, port: u16) -> String {
    match e {
        ListenError::Bind(io) => {
            let text = io.to_string();
            let text = match text.rfind(" (os error ") {
                Some(i) if io.raw_os_error().is_some() => &text[..i],
                _ => &text,
            };
            format!("{text} (port {port})")
        }
        other => other.to_string(),
    }
}
