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
/// client functions are kept), acting for `ctx.computer`.
///
/// Events for the computer arrive through its sink; turn each into Lua
/// values with [`crate::event_to_lua`] in this same state.
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
                .map_err(|e| listen_error(&e))?;
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
    let headers_index: Function = lua.load(HEADERS_INDEX).set_name("=http.headers").call(())?;
    headers_mt.raw_set("__index", headers_index)?;
    handles::register(lua, headers_mt)?;

    let (api, make_client): (Table, Function) = lua
        .load(HTTP_LUA)
        .set_name("=http")
        .call((natives, fail_mark()))?;
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
    globals.raw_set("http", http)?;
    Ok(())
}

/// `Could not open server: <reason>` (L3).
fn listen_error(e: &ListenError) -> String {
    format!("Could not open server: {e}")
}
