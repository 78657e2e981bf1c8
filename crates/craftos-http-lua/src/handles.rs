//! The natives behind the request and response handles (R3-R8, S1-S6).
//!
//! Each takes the exchange userdata first; `lua/http.lua` binds them to a
//! handle table so scripts call them with a dot.

use std::sync::Arc;

use craftos_http_core::{Exchange, ResponseError};
use mlua::{Lua, Table, UserData, UserDataRef, Value};

use crate::args;
use crate::native::{Outcome, fail_mark, native, none, one};

/// The exchange as Lua sees it: opaque, shared by both handles.
pub(crate) struct ExchangeUd(pub(crate) Arc<Exchange>);

impl UserData for ExchangeUd {}

type Ex = UserDataRef<ExchangeUd>;

fn closed<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn bytes_value(lua: &Lua, b: Option<impl AsRef<[u8]>>) -> Outcome {
    match b {
        Some(b) => one(Value::String(
            lua.create_string(b).map_err(|e| e.to_string())?,
        )),
        None => none(),
    }
}

/// A string or number argument as bytes (S2: numbers formatted as Lua does).
fn text(lua: &Lua, v: &Value, n: u32, func: &str) -> Result<mlua::LuaString, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Integer(_) | Value::Number(_) => lua
            .coerce_string(v.clone())
            .ok()
            .flatten()
            .ok_or_else(|| args::bad_type(n, func, "string", v)),
        _ => Err(args::bad_type(n, func, "string", v)),
    }
}

fn response_error(e: ResponseError, n: u32) -> String {
    match e {
        ResponseError::Closed => e.to_string(),
        other => args::bad_value(n, &other.to_string()),
    }
}

/// Register the handle natives in `natives`.
pub(crate) fn register(lua: &Lua, natives: &Table, headers_mt: Table) -> mlua::Result<()> {
    // ---- request ----
    natives.raw_set(
        "read",
        native(lua, |lua, (ex, n): (Ex, Value)| {
            match args::opt_integer(&n, 1, "read")? {
                None => {
                    let b = ex.0.read_byte().map_err(closed)?;
                    bytes_value(lua, b.map(|b| [b]))
                }
                Some(n) if n < 0 => Err(args::bad_value(1, "count must be non-negative")),
                Some(n) => bytes_value(lua, ex.0.read(n as usize).map_err(closed)?),
            }
        })?,
    )?;
    natives.raw_set(
        "readLine",
        native(lua, |lua, (ex, trailing): (Ex, Value)| {
            let trailing = match trailing {
                Value::Nil => false,
                Value::Boolean(b) => b,
                other => return Err(args::bad_type(1, "readLine", "boolean", &other)),
            };
            bytes_value(lua, ex.0.read_line(trailing).map_err(closed)?)
        })?,
    )?;
    natives.raw_set(
        "readAll",
        native(lua, |lua, ex: Ex| {
            bytes_value(lua, ex.0.read_all().map_err(closed)?)
        })?,
    )?;
    // R7: a no-op that never errors.
    natives.raw_set("requestClose", native(lua, |_, _ex: Ex| none())?)?;
    natives.raw_set(
        "getURL",
        native(lua, |lua, ex: Ex| {
            let req = ex.0.open_request().map_err(closed)?;
            bytes_value(lua, Some(req.target()))
        })?,
    )?;
    natives.raw_set(
        "getMethod",
        native(lua, |lua, ex: Ex| {
            let req = ex.0.open_request().map_err(closed)?;
            bytes_value(lua, Some(req.method()))
        })?,
    )?;
    natives.raw_set(
        "getRequestHeaders",
        native(lua, move |lua, ex: Ex| {
            let req = ex.0.open_request().map_err(closed)?;
            let build = || -> mlua::Result<Table> {
                let joined = req.joined_headers();
                let t = lua.create_table_with_capacity(0, joined.len())?;
                for (name, value) in joined {
                    t.raw_set(name, lua.create_string(&value)?)?;
                }
                t.set_metatable(Some(headers_mt.clone()))?;
                Ok(t)
            };
            one(Value::Table(build().map_err(|e| e.to_string())?))
        })?,
    )?;

    // ---- response ----
    natives.raw_set(
        "write",
        native(lua, |lua, (ex, v): (Ex, Value)| {
            let s = text(lua, &v, 1, "write")?;
            ex.0.write(&s.as_bytes()).map_err(closed)?;
            none()
        })?,
    )?;
    natives.raw_set(
        "writeLine",
        native(lua, |lua, (ex, v): (Ex, Value)| {
            let s = text(lua, &v, 1, "writeLine")?;
            let mut line = s.as_bytes().to_vec();
            line.push(b'\n');
            ex.0.write(&line).map_err(closed)?;
            none()
        })?,
    )?;
    natives.raw_set(
        "flush",
        native(lua, |_, ex: Ex| {
            if ex.0.is_closed() {
                return Err(closed(craftos_http_core::ExchangeClosed));
            }
            none()
        })?,
    )?;
    natives.raw_set(
        "responseClose",
        native(lua, |_, (ex, mark): (Ex, Value)| {
            // `close(FAIL)` is http.listen answering for a callback that
            // raised (H4): 500 unless already closed.
            if mark == fail_mark() {
                ex.0.finish_with_status(500);
                return none();
            }
            ex.0.close().map_err(closed)?;
            none()
        })?,
    )?;
    natives.raw_set(
        "setStatusCode",
        native(lua, |_, (ex, code, reason): (Ex, Value, Value)| {
            let code = args::integer(&code, 1, "setStatusCode")?;
            let reason = match &reason {
                Value::Nil => None,
                Value::String(s) => Some(s.as_bytes().to_vec()),
                other => return Err(args::bad_type(2, "setStatusCode", "string", other)),
            };
            ex.0.set_status(code, reason.as_deref())
                .map_err(|e| match e {
                    ResponseError::InvalidReason => args::bad_value(2, &e.to_string()),
                    e => response_error(e, 1),
                })?;
            none()
        })?,
    )?;
    natives.raw_set(
        "setResponseHeader",
        native(lua, |lua, (ex, name, value): (Ex, Value, Value)| {
            let name = text(lua, &name, 1, "setResponseHeader")?;
            let values: Vec<mlua::LuaString> = match &value {
                Value::Table(t) => {
                    let mut out = Vec::new();
                    for v in t.sequence_values::<Value>() {
                        let v = v.map_err(|e| e.to_string())?;
                        out.push(
                            text(lua, &v, 2, "setResponseHeader")
                                .map_err(|_| args::bad_value(2, "invalid header value"))?,
                        );
                    }
                    out
                }
                other => vec![text(lua, other, 2, "setResponseHeader")?],
            };
            let values: Vec<_> = values.iter().map(|v| v.as_bytes()).collect();
            let slices: Vec<&[u8]> = values.iter().map(|v| &v[..]).collect();
            ex.0.set_header(&name.as_bytes(), &slices)
                .map_err(|e| match e {
                    ResponseError::InvalidHeaderValue => response_error(e, 2),
                    e => response_error(e, 1),
                })?;
            none()
        })?,
    )?;
    Ok(())
}
