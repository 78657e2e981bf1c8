//! Core events as Lua event values.

use craftos_http_core::Event;
use mlua::{Lua, MultiValue, Value};

use crate::handles;
use crate::http::Installed;

/// The values of `event` as the computer's `os.pullEvent()` returns them:
/// `"http_request", port, request, response` (R1).
///
/// Must be called on the Lua state the computer's `http` API was
/// [`install`](crate::install)ed in.
pub fn event_to_lua(lua: &Lua, event: Event) -> mlua::Result<MultiValue> {
    match event {
        Event::HttpRequest { port, exchange } => {
            if lua.app_data_ref::<Installed>().is_none() {
                return Err(mlua::Error::runtime(
                    "the http API is not installed in this Lua state",
                ));
            }
            let (req, res) = handles::make(lua, exchange)?;
            Ok(MultiValue::from_iter([
                Value::String(lua.create_string("http_request")?),
                Value::Integer(port.into()),
                Value::Table(req),
                Value::Table(res),
            ]))
        }
        other => Err(mlua::Error::runtime(format!(
            "event {} has no Lua form",
            other.name()
        ))),
    }
}
