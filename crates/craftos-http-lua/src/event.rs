//! Core events as Lua event values.

use craftos_http_core::Event;
use mlua::{Lua, MultiValue, Value};

use crate::handles;
use crate::http::Installed;
use crate::websocket;

/// The values of `event` as the computer's `os.pullEvent()` returns them:
/// `"http_request", port, request, response` (R1).
///
/// Must be called on the Lua state the computer's `http` API was
/// [`install`](crate::install)ed in.
///
/// When the values cannot be made (the state is out of memory), what the
/// event left pending is answered before the error returns: the request
/// gets `503`, a new websocket client is closed with 1011; a message is
/// lost (and the error says so).
pub fn event_to_lua(lua: &Lua, event: Event) -> mlua::Result<MultiValue> {
    match event {
        Event::HttpRequest { port, exchange } => {
            let values = (|| {
                installed(lua)?;
                let (req, res) = handles::make(lua, &exchange)?;
                Ok(MultiValue::from_iter([
                    Value::String(lua.create_string("http_request")?),
                    Value::Integer(port.into()),
                    Value::Table(req),
                    Value::Table(res),
                ]))
            })();
            if values.is_err() {
                exchange.finish_with_status(503);
            }
            values
        }
        Event::WebSocketConnect { port, client } => {
            let values = (|| {
                let make = installed(lua)?;
                let handle = websocket::client_handle(lua, &make, client.clone())?;
                Ok(MultiValue::from_iter([
                    Value::String(lua.create_string("websocket_server_connect")?),
                    Value::Integer(port.into()),
                    Value::Table(handle),
                ]))
            })();
            if values.is_err() {
                client.close_with(1011, b"");
            }
            values
        }
        Event::WebSocketMessage {
            client,
            message,
            binary,
        } => Ok(MultiValue::from_iter([
            Value::String(lua.create_string("websocket_server_message")?),
            websocket::client_id(client.id()),
            Value::String(lua.create_string(&message)?),
            Value::Boolean(binary),
        ])),
        Event::WebSocketSendReady { client } => Ok(MultiValue::from_iter([
            Value::String(lua.create_string("websocket_server_send_ready")?),
            websocket::client_id(client.id()),
        ])),
        Event::WebSocketClosed { client, close } => {
            client.mark_closed_delivered();
            let mut values = vec![
                Value::String(lua.create_string("websocket_server_closed")?),
                websocket::client_id(client.id()),
            ];
            if let Some((code, reason)) = close {
                values.push(Value::String(lua.create_string(&reason)?));
                values.push(Value::Integer(code.into()));
            }
            Ok(MultiValue::from_iter(values))
        }
        other => Err(mlua::Error::runtime(format!(
            "event {} has no Lua form",
            other.name()
        ))),
    }
}

fn installed(lua: &Lua) -> mlua::Result<mlua::Function> {
    lua.app_data_ref::<Installed>()
        .map(|i| i.make_client.clone())
        .ok_or_else(|| mlua::Error::runtime("the http API is not installed in this Lua state"))
}
