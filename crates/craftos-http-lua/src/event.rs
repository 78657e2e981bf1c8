//! Core events as Lua event values.

use craftos_http_core::Event;
use mlua::{Lua, MultiValue, Table, Value};

use crate::handles::ExchangeUd;
use crate::http::Binding;

/// The values of `event` as the computer's `os.pullEvent()` returns them:
/// `"http_request", port, request, response` (R1).
///
/// Must be called on the Lua state the computer's `http` API was
/// [`install`](crate::install)ed in.
pub fn event_to_lua(lua: &Lua, event: Event) -> mlua::Result<MultiValue> {
    match event {
        Event::HttpRequest { port, exchange } => {
            let make = lua
                .app_data_ref::<Binding>()
                .ok_or_else(|| {
                    mlua::Error::runtime("the http API is not installed in this Lua state")
                })?
                .make_handles
                .clone();
            let ex = lua.create_userdata(ExchangeUd(exchange))?;
            let (req, res): (Table, Table) = make.call(ex)?;
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
