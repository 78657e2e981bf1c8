//! The natives behind `http.websocketServer` and its handles (W1-W7).
//!
//! Handles are made in `lua/http.lua`; these natives act on a server
//! userdata, whose garbage collection closes it (W3). The client's natives
//! are in [`crate::ws_client`].

use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use craftos_http_core::{
    ClientId, WebSocketClient, WebSocketServerError, WebSocketServerOptions,
    header,
};
use mlua::{LightUserData, Lua, Table, UserData, UserDataRef, Value};

use crate::args;
use crate::http::HttpContext;
use crate::native::{native, none};

/// A websocket server as Lua holds it.
pub(crate) struct ServerUd {
    ctx: HttpContext,
    port: u16,
    closed: AtomicBool,
}

impl ServerUd {
    fn close(&self) {
        if !self.closed.swap(true, Ordering::Relaxed) {
            self.ctx
                .listeners
                .remove_websocket_server(self.ctx.computer.id, self.port);
        }
    }
}

impl UserData for ServerUd {}

impl Drop for ServerUd {
    fn drop(&mut self) {
        self.close();
    }
}

/// The `clientID` scripts see: a light userdata made from the id.
pub(crate) fn client_id(id: ClientId) -> Value {
    Value::LightUserData(LightUserData(client_id_pointer(id)))
}

/// The light userdata of [`client_id`], for the raw API.
pub(crate) fn client_id_pointer(id: ClientId) -> *mut c_void {
    id.0 as usize as *mut c_void
}

/// `headers` of `http.websocketServer`: a table of name -> value, or nil.
fn options(lua: &Lua, headers: &Value) -> Result<WebSocketServerOptions, String> {
    let table = match headers {
        Value::Nil => return Ok(WebSocketServerOptions::default()),
        Value::Table(t) => t,
        other => return Err(args::bad_type(2, "websocketServer", "table", other)),
    };
    let mut out = Vec::new();
    for pair in table.pairs::<Value, Value>() {
        let (name, value) = pair.map_err(|e| e.to_string())?;
        let number = matches!(value, Value::Integer(_) | Value::Number(_));
        let (Value::String(name), Some(value)) = (&name, lua.coerce_string(value).ok().flatten())
        else {
            return Err(args::bad_value(2, "invalid header"));
        };
        let name = name.as_bytes();
        let value = value.as_bytes();
        let value = if number {
            args::lua52_number_text(&value)
        } else {
            &value
        };
        if !header::is_valid_name(&name) {
            return Err(args::bad_value(2, "invalid header name"));
        }
        if !header::is_valid_value(value) {
            return Err(args::bad_value(2, "invalid header value"));
        }
        out.push((
            String::from_utf8_lossy(&name).into_owned(),
            Bytes::copy_from_slice(value),
        ));
    }
    Ok(WebSocketServerOptions { headers: out })
}

/// Register the websocket natives in `natives`.
pub(crate) fn register(lua: &Lua, natives: &Table, ctx: HttpContext) -> mlua::Result<()> {
    natives.raw_set(
        "websocketServer",
        native(lua, move |lua, (port, headers): (Value, Value)| {
            let port = args::port(&port, 1, "websocketServer")?;
            let options = options(lua, &headers)?;
            match ctx
                .listeners
                .add_websocket_server(&ctx.computer, port, options)
            {
                Ok(()) => {
                    let ud = lua
                        .create_userdata(ServerUd {
                            ctx: ctx.clone(),
                            port,
                            closed: AtomicBool::new(false),
                        })
                        .map_err(|e| e.to_string())?;
                    Ok((Value::UserData(ud), Value::Integer(port.into())))
                }
                Err(err) => {
                    let reason = match err {
                        WebSocketServerError::AlreadyServing => err.to_string(),
                        WebSocketServerError::Listen(e) => crate::http::listen_reason(&e, port),
                    };
                    let reason = lua.create_string(reason).map_err(|e| e.to_string())?;
                    Ok((Value::Nil, Value::String(reason)))
                }
            }
        })?,
    )?;
    natives.raw_set(
        "serverClose",
        native(lua, |_, server: UserDataRef<ServerUd>| {
            server.close();
            none()
        })?,
    )?;
    natives.raw_set(
        "serverClosed",
        lua.create_function(|_, server: UserDataRef<ServerUd>| Ok(server.closed.load(Ordering::Relaxed)))?,
    )?;
    crate::ws_client::register(lua, natives)?;
    Ok(())
}

/// The client handle table of a new connection (via `make_client` of
/// `lua/http.lua`).
pub(crate) fn client_handle(
    lua: &Lua,
    make_client: &mlua::Function,
    client: Arc<WebSocketClient>,
) -> mlua::Result<Table> {
    let id = client_id(client.id());
    let ud = crate::ws_client::make(lua, &client)?;
    make_client.call((ud, id))
}
